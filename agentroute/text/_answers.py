"""The value a knowledge base's answering sentence gives the question that found it.

"What's the boiling point of water in Celsius, and what is that in Fahrenheit?": the second
step needs "100 degrees Celsius", not the quoted passage about water; "Who invented the
telephone, and in what year was that patent granted?" needs "Alexander Graham Bell". A
question asks for a quantity ("how long", "what year", "the boiling point of ...") or an
entity ("who", "which", "what is the capital of ..."); the sentence's number (with the unit
after it) closest in words to the question, or its first proper-noun span the question does
not name, is the answer. ``None`` when the question asks for neither or the sentence has none:
then a later step gets the whole passage, as before. The words are data (``answers.json``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources

from agentroute.text._entities import mentions
from agentroute.text._lexicon import STOP_WORDS, cue_table

__all__ = ["Answer", "answer_in", "asks_how_much", "asks_quantity"]

_TABLES = json.loads(resources.files("agentroute.text").joinpath("answers.json").read_text("utf-8"))
_QUANTITY_PHRASES = tuple(_TABLES["quantity_phrases"])
_QUANTITY_NOUNS = frozenset(_TABLES["quantity_nouns"])
_UNIT_KINDS: dict[str, list[str]] = {
    noun: kind["units"] for kind in _TABLES["unit_kinds"] for noun in kind["asked_as"]
}
_ENTITY_WORDS = frozenset(_TABLES["entity_words"])
_DEFINITION = tuple(_TABLES["definition_starts"])
_FUNCTION_WORDS = frozenset(_TABLES["function_words"])
_PERSON_OR_PLACE = frozenset({"who", "whom", "whose", "where"})
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_NUMBER = re.compile(r"(?<![\w.])[-−]?\d[\d,]*(?:\.\d+)?(?![\w])")
_UNIT_WORD = re.compile(r"[ \t]*(°\s?[A-Za-z]+|%|[A-Za-z][A-Za-z²³/^]*)")
_UNIT_JOIN = frozenset({"per", "square", "cubic", "degree", "degrees"})
"""Words a unit goes on after ("metres per second", "degrees Celsius"); otherwise it is one
word, or a capitalised one after it: "8,849 metres high" is "8849 metres"."""
_NAME = re.compile(r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*")
_YEAR = re.compile(r"1\d{3}|20\d{2}")
_PREPOSITIONS = frozenset(cue_table("clauses.json")["prepositions"])
"""A word after a year that is no unit of it ("in 1903 near Kitty Hawk")."""


@dataclass(frozen=True)
class Answer:
    """What a sentence answers: ``text`` ("100 degrees Celsius", "Alexander Graham Bell"),
    and for a quantity its ``number`` and ``unit``."""

    text: str
    number: str = ""
    unit: str = ""


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _stems(text: str) -> set[str]:
    return {w[:4] for w in _words(text) if len(w) > 2 and w not in STOP_WORDS}


def asks_how_much(question: str) -> bool:
    """Whether ``question`` asks for a quantity in so many words ("how long", "what year"),
    not just by naming one ("the temperature in Paris" may want the weather tool's city)."""
    low = " ".join(_words(question))
    return any(re.search(rf"\b{p}\b", low) for p in _QUANTITY_PHRASES)


def asks_quantity(question: str) -> bool:
    """Whether ``question`` asks for a quantity, in so many words or by its noun ("the
    atomic number of gold", "what year ..."): its answer is a number a later part may use."""
    return _asks_quantity(question)


def _asks_quantity(question: str) -> bool:
    low = " ".join(_words(question))
    if asks_how_much(question):
        return True
    words = set(low.split())
    words |= {w[:-1] for w in words if w.endswith("s")}  # "the atomic numbers of ..."
    # "what is the boiling point of ...", a bare "boiling point of water" (not "who ...").
    return bool(_QUANTITY_NOUNS & words) and not words & _PERSON_OR_PLACE


def _asks_entity(question: str) -> bool:
    low = " ".join(_words(question)).replace("what's", "what is")
    if low.startswith(_DEFINITION):
        return False
    if low.startswith(("what is", "what was")) and " the " not in f" {low} ":
        return False
    return bool(_ENTITY_WORDS & set(low.split()[:3]))


def _unit_after(text: str, at: int) -> tuple[str, int]:
    """The unit words right after a number ("degrees Celsius", "metres per second")."""
    words: list[str] = []
    end = at
    while len(words) < 4:
        m = _UNIT_WORD.match(text, end)
        if m is None:
            break
        word = m.group(1)
        low = word.lower()
        if low in STOP_WORDS and low not in _UNIT_JOIN:
            break
        if words and words[-1].lower() not in _UNIT_JOIN and low != "per" and not word[0].isupper():
            break
        words.append(word)
        end = m.end()
    while words and words[-1].lower() in _UNIT_JOIN:
        words.pop()
    return " ".join(words), end


def _nearness(asked: set[str], before: str) -> float:
    """How closely the words right before a number match the question's: each matching word
    counts 1/distance ("freezes at 0 ... boils at 100": "boiling" picks the 100)."""
    words = _words(before)
    return sum(
        1 / (len(words) - i)
        for i, w in enumerate(words)
        if len(w) > 2 and w not in STOP_WORDS and w[:4] in asked
    )


def _kind_fit(question: str, unit: str) -> int:
    """1 when ``unit`` is written like a unit of what the question names ("speed": "metres
    per second"), -1 when it is not ("degrees Celsius"), 0 when the question names no kind."""
    cues = [c for w in _words(question) for c in _UNIT_KINDS.get(w, ())]
    if not cues:
        return 0
    words = unit.lower().split()
    fits = any(w.startswith(c) if len(c) > 2 else w == c for w in words for c in cues)
    return 1 if fits else -1


def _quantity(question: str, sentence: str) -> Answer | None:
    asked = _stems(question)
    wants_year = bool(re.search(r"\b(?:year|when)\b", question, re.IGNORECASE))
    best: tuple[float, int, Answer] | None = None
    since = skip = 0
    for i, m in enumerate(_NUMBER.finditer(sentence)):
        if m.start() < skip:
            continue
        unit, end = _unit_after(sentence, m.end())
        if unit and unit.split()[0].lower() in _PREPOSITIONS:
            unit = ""  # "1903 near Kitty Hawk": a place after the number, not its unit
        fit = _kind_fit(question, unit)
        score = _nearness(asked, sentence[since : m.start()])
        score += 2 * len(asked & _stems(unit)) + 3 * fit
        if wants_year:
            score += 3 if _YEAR.fullmatch(m.group(0)) and not unit else -3
        number = m.group(0).replace(",", "").replace("−", "-")
        found = Answer(f"{number} {unit}".strip(), number, unit)
        if best is None or (score, -i) > (best[0], best[1]):
            best = (score, -i, found)
        skip = end
        if fit >= 0:
            # a number of another kind ("at 20 degrees Celsius" in a question about speed)
            # qualifies the one after it: the words before it still lead to that one
            since = end
    return best[2] if best else None


def _entity(question: str, sentence: str) -> Answer | None:
    for m in _NAME.finditer(sentence):
        words = m.group(0).split()
        # "The", "Its" opening a sentence name nothing.
        while words and (words[0].lower() in STOP_WORDS or words[0].lower() in _FUNCTION_WORDS):
            words.pop(0)
        name = " ".join(words).rstrip(".'’")
        if name and not mentions(question, name):
            return Answer(name)
    return None


def answer_in(question: str, sentence: str) -> Answer | None:
    """The quantity or entity ``question`` asks for, as ``sentence`` states it, or ``None``."""
    if _asks_quantity(question):
        return _quantity(question, sentence)
    if _asks_entity(question):
        return _entity(question, sentence)
    return None
