"""Misspelt words read as the targets' own words, for routing ("git stauts", "serch for csv
fiels", "ecko 'hi'").

A slip in the word that names the act routes the clause elsewhere ("stauts" shares nothing
with git status). A word is corrected only when it is no word at all (``known``: a general
English vocabulary, such as the embedding model's) and is one or two slips from exactly one
word the targets' texts use: ordinary words the targets never say ("spend") stay (the words
of this package's own tables count as known too: "multiply"), and so do
names (capitalised), file names and anything with a digit. The corrected text is for choosing
the target; the clause itself, with the user's spelling, is what the target is asked.

The same corrector reads a target's argument against that target's own words
(`Speller.read`: unit names for a converter, the graph's countries and relations, time-zone
places): there a capitalised word is read too ("Frnace" is a slip of the graph's France), a
quoted span never is (what to echo or search for is the user's own text), and the
corrections made are returned so the trace can show them.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import cache
from importlib import resources

__all__ = ["Speller"]

_WORD = re.compile(r"(?<![\w./'-])[a-z]+(?![\w./'-])")
_ANY_CASE_WORD = re.compile(r"(?<![\w./'-])[A-Za-z]+(?![\w./'-])")
_QUOTED = re.compile(r"\"[^\"]*\"|(?<!\w)'[^']*'(?!\w)|`[^`]*`|“[^”]*”")
"""Quoted spans: the user's own text, given to a tool as it is."""
_LETTERS = re.compile(r"[a-z]+")
_MIN_LENGTH = 4
_TIMES = re.compile(r"(?<=\d)\s*[x×]\s*(?=\d)")
"""A multiplication sign run into its numbers ("12x8", "45 x2"): one token to the model."""
_CASUAL: dict[str, str] = json.loads(
    resources.files("agentroute.text").joinpath("casual.json").read_text("utf-8")
)["words"]
_CASUAL_WORD = re.compile(
    r"(?<![\w'])(?:"
    + "|".join(re.escape(w) for w in sorted(_CASUAL, key=len, reverse=True))
    + r")(?![\w']|\.\w)",
    re.IGNORECASE,
)


@cache
def _table_words() -> frozenset[str]:
    """The words of this package's own word tables: English words every reader here knows
    ("multiply", "subtract"), whatever the general vocabulary lacks."""
    words: set[str] = set()
    for entry in resources.files("agentroute.text").iterdir():
        if entry.name.endswith((".json", ".txt")):
            words.update(_LETTERS.findall(entry.read_text("utf-8").lower()))
    return frozenset(words)


def _allowed(word: str) -> int:
    """Slips a word of this length may carry and still be recognised."""
    return 0 if len(word) < _MIN_LENGTH else 1 if len(word) < 8 else 2


def distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (a swap of neighbours is one slip), capped at
    ``limit + 1``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], before[j - 2] + 1)
        if min(row) > limit:
            return limit + 1
        before, prev = prev, row
    return prev[-1]


def _likeliest(word: str, closest: set[str]) -> str | None:
    """The one word ``word`` misspells among equally close ones, or ``None``: two letters
    swapped ("tiem": "time", not "them") is the likelier slip."""
    if len(closest) == 1:
        return next(iter(closest))
    swapped = {c for c in closest if sorted(c) == sorted(word)}
    return next(iter(swapped)) if len(swapped) == 1 else None


@cache
def _starting(words: frozenset[str]) -> dict[str, list[str]]:
    """``words`` by their first letter."""
    by_start: dict[str, list[str]] = defaultdict(list)
    for word in words:
        by_start[word[:1]].append(word)
    return by_start


def _cased(word: str, like: str) -> str:
    """``word`` in the case of ``like``: "FRANCE" for "FRNACE", "France" for "Frnace"."""
    if like.isupper() and len(like) > 1:
        return word.upper()
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


class Speller:
    """Corrects unknown words to the one vocabulary word they misspell."""

    def __init__(
        self,
        vocabulary: Iterable[str],
        known: Callable[[str], bool],
        rivals: frozenset[str] | None = None,
    ) -> None:
        """``rivals``: English words outside the vocabulary a slip may rather be of; a word
        nearer one of them than its vocabulary word stays ("mulitply" is a slip of
        "multiply", not of a calculator's "multiple")."""
        self.vocabulary = frozenset(
            w for text in vocabulary for w in _LETTERS.findall(text.lower()) if len(w) >= 3
        )
        self.known = known
        self.rivals = rivals
        self._by_start: dict[str, list[str]] = defaultdict(list)
        for word in sorted(self.vocabulary):
            self._by_start[word[0]].append(word)
        self._seen: dict[str, str | None] = {}

    def correct(self, text: str) -> str:
        """``text`` with chat spellings in full ("wats" → "what's", ``casual.json``), "12x8"
        spaced as "12 x 8" and each misspelt word replaced (see the module's docstring)."""
        text = _CASUAL_WORD.sub(lambda m: _CASUAL[m.group(0).lower()], text)
        text = _TIMES.sub(" x ", text)
        return _WORD.sub(lambda m: self.word(m.group(0)) or m.group(0), text)

    def read(self, text: str) -> tuple[str, dict[str, str]]:
        """``text`` as the owner of the vocabulary reads it, and the corrections made: each
        misspelt word, capitalised or not, replaced by the vocabulary word it misspells (in
        its case); quoted spans, file names and words with digits stay as written."""
        corrections: dict[str, str] = {}

        def fix(m: re.Match[str]) -> str:
            found = self.word(m.group(0).lower())
            if found is None:
                return m.group(0)
            corrections[m.group(0)] = _cased(found, m.group(0))
            return corrections[m.group(0)]

        out, start = [], 0
        for quoted in _QUOTED.finditer(text):
            out += [_ANY_CASE_WORD.sub(fix, text[start : quoted.start()]), quoted.group(0)]
            start = quoted.end()
        out.append(_ANY_CASE_WORD.sub(fix, text[start:]))
        return "".join(out), corrections

    def _rivalled(self, word: str, slips: int) -> bool:
        """Whether an English word outside the vocabulary is nearer ``word`` than ``slips``
        (a word one slip from ``word`` is the likelier meaning of a word two from ours)."""
        if self.rivals is None or slips < 2:
            return False
        near = _starting(self.rivals)
        pool = [*near.get(word[0], ()), *near.get(word[1], ())]
        return any(w not in self.vocabulary and distance(word, w, slips - 1) < slips for w in pool)

    def word(self, word: str) -> str | None:
        """The vocabulary word ``word`` misspells, or ``None``."""
        if word in self._seen:
            return self._seen[word]
        found = None
        limit = _allowed(word)
        if (
            limit
            and word not in self.vocabulary
            and word not in _table_words()
            and not self.known(word)
        ):
            best: dict[int, set[str]] = defaultdict(set)
            for candidate in self._by_start.get(word[0], ()):
                d = distance(word, candidate, limit)
                if d <= limit:
                    best[d].add(candidate)
            if not best:  # the first letter swapped with the second ("qsuare")
                for candidate in self._by_start.get(word[1], ()):
                    if candidate[:2] == word[1::-1] and distance(word, candidate, limit) <= 1:
                        best[1].add(candidate)
            if best:
                found = _likeliest(word, best[min(best)])
            if found is not None and self._rivalled(word, min(best)):
                found = None
        if len(self._seen) < 4096:
            self._seen[word] = found
        return found
