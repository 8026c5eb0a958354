"""The entities a request names, and whether a passage is about them.

Why: a retrieved passage about another entity is not an answer ("capital of Liechtenstein"
answered with Switzerland's passage at similarity 0.51). A knowledge base checks that its
passage mentions what the question names before it answers.

An entity here is what the writing marks as a name, without a model or a gazetteer: a run of
capitalised words that are not function words ("New Zealand", "Burkina Faso"), a quoted
string, or a code-like token (``os.path``, ``python3-numpy``, ``__init__``). A possessive
ends a run ("Europe's Danube" names two). Lower-cased names ("capital of
frnace") are not found; then no check is made. A lower-case hyphenated word ("thread-safe",
"second-longest", "pseudo-random", "f-string") is an ordinary compound, not a name: as a
name it made every base decline a question worded with it (issue 13), while a command named
so ("ssh-keygen") is as lower-case as "grep", which is no name either.
"""

from __future__ import annotations

import difflib
import re

from agentroute.text._lexicon import STOP_WORDS, word_list

__all__ = ["asked_object", "mentions", "named_entities"]

_NOT_NAMES = word_list("agentroute.text", "not_names.txt")
"""Capitalised words that do not name an entity (question words, pronouns, days of the
week are fine as names; see the file)."""

_TOKEN = re.compile(r"[\"“]([^\"”]{2,60})[\"”]|[A-Za-z0-9_][\w.+-]*[\w+]|[A-Za-z0-9]")
_CODE = re.compile(r"^(?=.*[A-Za-z])[\w+-]*([._]|\d[a-z]|[a-z]\d)[\w.+-]*$")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_QUANTITY = re.compile(r"^\d+(?:[.,]\d+)?[A-Za-z]{1,3}$")
"""A number with its unit run on ("1.0M", "4GB", "500ms"): a quantity given, not a name."""
_AFTER_NUMBER = re.compile(r"\d\s*$")


def _is_capitalised(word: str) -> bool:
    return (word[:1].isupper() and not word.isupper()) or (word.isupper() and len(word) > 1)


def _sentence_start(text: str, at: int) -> bool:
    """Whether position ``at`` starts a sentence (capitalised by grammar, not by name)."""
    before = text[:at].rstrip(" \t\"'(“‘")
    return not before or before[-1] in ".?!:;\n"


def named_entities(text: str) -> list[str]:
    """The names ``text`` carries, in order, each once: capitalised runs ("New Zealand"),
    quoted strings and code-like tokens. Possessive ``'s`` is dropped."""
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            name = " ".join(run)
            if name.lower() not in {o.lower() for o in out}:
                out.append(name)
            run.clear()

    for m in _TOKEN.finditer(text):
        initial = _sentence_start(text, m.start())
        if m.group(1):
            flush()
            quoted = m.group(1).strip()
            if quoted.lower() not in {o.lower() for o in out}:
                out.append(quoted)
            continue
        token = m.group(0)
        possessive = text[m.end() : m.end() + 2] in ("'s", "’s")
        low = token.lower()
        if _QUANTITY.match(token) or (
            token.isupper() and len(token) <= 3 and _AFTER_NUMBER.search(text[: m.start()])
        ):
            flush()  # "1.0M", "8 GB": a quantity and its unit, what a passage need not write
            continue
        if _CODE.match(token) and not token.replace(".", "").isdigit():
            flush()
            if low not in {o.lower() for o in out}:
                out.append(token)
        elif (
            (not initial or possessive or run)
            and token[:1].isalpha()
            and _is_capitalised(token)
            and low not in STOP_WORDS
            and low not in _NOT_NAMES
        ):
            run.append(token)
            if possessive:
                flush()
        else:
            flush()
    flush()
    return out


def _close(word: str, words: set[str]) -> bool:
    if word in words:
        return True
    if len(word) < 4:
        return False
    for w in words:
        # A shared stem ("Germans"/"Germany", "Norwegian"/"Norway") or a typo ("Frnace").
        if len(w) >= 4 and (w.startswith(word[:5]) if len(word) >= 6 else False):
            return True
    return bool(difflib.get_close_matches(word, words, n=1, cutoff=0.8))


def mentions(text: str, entity: str) -> bool:
    """Whether ``text`` mentions ``entity``: every word of it, case-insensitive, a close
    spelling allowed (a typo, a plural, a demonym sharing the stem)."""
    words = {w.lower() for w in _WORD.findall(text)}
    wanted = [w.lower() for w in _WORD.findall(entity)]
    if not wanted:
        return True
    low = text.lower()
    if entity.lower() in low:
        return True
    return all(_close(w, words) for w in wanted)


_WHO_DID = re.compile(
    r"^\s*who\s+(?:first\s+)?([a-z]+)\s+(?:the|a|an)\s+(?:first\s+)?([a-z][a-z-]*(?:\s+[a-z][a-z-]*)?)"
    r"[\s?.!]*$",
    re.I,
)
_COPULAS = frozenset({"is", "was", "are", "were", "be", "been"})
_WHAT_IS = re.compile(r"^\s*what(?:'s|\s+is|\s+are)\s+(?:an?\s+)?([a-z][a-z-]{3,})[\s?.!]*$", re.I)
""""What is photosynthesis?": one word asked about, which the answer must name."""


def asked_object(text: str) -> str | None:
    """What a short question asks about when it names no entity: the object of "who did it"
    ("Who invented the jet engine?" → "jet engine"), the one word of "what is it" ("What is
    photosynthesis?"). A passage that does not mention it is about another thing, however
    close ("the steam engine", "hydrogen")."""
    m = _WHO_DID.match(text)
    if m is not None and m.group(1).lower() not in _COPULAS:
        return m.group(2).lower()
    what = _WHAT_IS.match(text)
    word = what.group(1).lower() if what else None
    return word if word not in STOP_WORDS else None
