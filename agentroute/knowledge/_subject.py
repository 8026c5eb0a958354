"""What a question is about, and whether a passage is about it rather than naming it in passing.

Why (issue 13 item 4, issue 15 item 4): "what does the htop command do?" was answered with the
project README's passage on benchmark scoring, which names htop only in a quoted example
("which package provides htop"); "Who is the marketing lead?" with the handbook's HR and
Finance sections, for "lead". A short question whose subject is one noun phrase
(``subject_patterns.txt``: "who is the marketing lead", "what does the htop command do",
"what is rsync used for") is answered only by a passage about that phrase: each of its words
(but a kind noun, "command") written in the passage's title or section path, or in its text
outside a quotation or a parenthesis (an example, an aside) twice or where a statement opens
("htop is ..."), not once mid-sentence ("usually run over ssh": named in passing). A base
that never writes one of them holds no such thing.
"""

from __future__ import annotations

import re
from functools import cache

from agentroute.knowledge._names import VERSION_TAIL as _VERSION_TAIL
from agentroute.text import KIND_NOUNS, STOP_WORDS, stem, word_list

__all__ = ["asked_subject", "plainly_about", "writes_word"]

_ASIDE = re.compile(r"\([^()]*\)|\"[^\"]*\"|“[^”]*”|`[^`]*`")
"""A parenthesis, a quotation or a code span: what a passage names by the way."""
_SENTENCE = re.compile(r"(?<=[.!?:])\s+|\n")
OPENING = 4
"""A word among a statement's first this many is what it is about ("htop is an interactive
process viewer", "Lead: Anna Schmidt"); later, once, it is named in passing ("usually run
over ssh")."""
_WORD = re.compile(r"[a-z0-9][\w.+-]*[a-z0-9+]|[a-z0-9]")


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    lines = word_list("agentroute.knowledge", "subject_patterns.txt")
    return tuple(re.compile(p, re.I) for p in sorted(lines))


def asked_subject(query: str) -> list[str]:
    """The words of the noun phrase ``query`` is about ("who is the marketing lead" →
    marketing, lead; "what does the htop command do" → htop), none when it is not shaped so."""
    for pattern in _patterns():
        m = pattern.match(query)
        if m is not None:
            words = _WORD.findall(m.group("np").lower())
            return [w for w in words if w not in STOP_WORDS and w not in KIND_NOUNS]
    return []


def plainly_about(heading: str, text: str, word: str) -> bool:
    """Whether a passage under ``heading`` is about ``word``: its heading names it, or its
    text, outside its asides (a parenthesis, a quotation, a code span), writes it twice or
    among a statement's first ``OPENING`` words."""
    if writes_word(heading, word):
        return True
    plain = _ASIDE.sub(" ", text)
    opening = [_WORD.findall(s.lower())[:OPENING] for s in _SENTENCE.split(plain)]
    said = [w for s in _SENTENCE.split(plain) for w in _WORD.findall(s.lower()) if _same(w, word)]
    return len(said) >= 2 or any(_same(w, word) for ws in opening for w in ws)


def _same(written: str, word: str) -> bool:
    """``written`` is ``word``, a form of it, or it with a version ("libpolkit-agent-1-0")."""
    return written == word or stem(written) == stem(word) or _VERSION_TAIL.sub("", written) == word


def writes_word(text: str, word: str) -> bool:
    """Whether ``text`` writes ``word`` as a word of its own, or a form of it ("leads"): not
    inside another ("top" of "desktop", which ``text.mentions`` would take)."""
    return any(_same(w, word) for w in _WORD.findall(text.lower()))
