"""Whose words a clause uses: each knowledge base's vocabulary as a prior among bases.

Why: a base's closest passage is not always the base that answers. "which package has
killall" is closest to the killall man page (0.59) while the Debian base's stanza naming it
scores 0.48; but "package" is the Debian base's own word (every stanza has it), rarer in the
man pages. A unigram model of each base's text (Dirichlet-smoothed against all bases' text)
says how much more likely the clause's words are in one base than in the collection: the
mean log-ratio over the clause's words the collection knows, each ratio no lower than
``LACKING`` (a base lacking a word may say it otherwise; a base using it far more says much:
"killall" is everywhere in its man page and once in the Debian stanza, which must not drown
"package"). Learned from the bases' own passages, not from questions; on
benchmarks/bench_kb_routing.py's train split (its probes replayed, best passage plus 0.2
times this prior) it lifted hand-written singles from 92.5% to 96.3% and generated ones from
66.5% to 74.7% (unfloored: 96.3% and 70.9%). A single base has no prior (every ratio is 1).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Set

from agentroute.text import index_words

__all__ = ["Vocabulary"]

_COMPARED = re.compile(r"([a-z]{2,})(?:er|est)")
"""A comparative or superlative: the adjective and its ending."""

SMOOTHING = 2000.0
"""Dirichlet prior mass (in words): a base's rare word counts only as far as its text is long."""

LACKING = -0.5
"""The lowest log-ratio one word gives (-0.25 to -0.75 alike on the train split)."""


BROAD = 2000
"""Distinct words the bases must use between them before a word they lack says anything:
a few documents lack most ordinary words ("has", "tall"); thousands lack only names."""


class Vocabulary:
    """Word counts per base and over all of them."""

    def __init__(
        self,
        texts: Mapping[str, Iterable[str]],
        smoothing: float = SMOOTHING,
        lacking: float = LACKING,
        broad: int = BROAD,
    ) -> None:
        self.broad = broad
        self.smoothing = smoothing
        self.lacking = lacking
        self.counts: dict[str, Counter[str]] = {}
        self.documents: Counter[str] = Counter()
        """In how many passages of all bases each word occurs (what a word weighs)."""
        self.passages = 0
        for name, passages in texts.items():
            c: Counter[str] = Counter()
            for passage in passages:
                words = index_words(passage)
                c.update(words)
                self.documents.update(set(words))
                self.passages += 1
            self.counts[name] = c
        self.total: Counter[str] = Counter()
        for c in self.counts.values():
            self.total.update(c)
        self.size = max(sum(self.total.values()), 1)
        self.sizes = {name: sum(c.values()) for name, c in self.counts.items()}
        self._stems = {w[:5] for w in self.total if len(w) >= 5}

    def prior(self, clause: str, skip: Set[str] = frozenset()) -> dict[str, float]:
        """Each base's mean log-likelihood ratio of the clause's known words (0: no word is
        known, or no base speaks them more than the others). ``skip``: index words that only
        frame the question ("explain", "tell", "true"): whichever base uses them more says
        nothing of where the answer is."""
        known = [w for w in dict.fromkeys(index_words(clause)) if w in self.total and w not in skip]
        if not known:
            return dict.fromkeys(self.counts, 0.0)
        out: dict[str, float] = {}
        for name, c in self.counts.items():
            total = 0.0
            for w in known:
                p = self.total[w] / self.size
                total += math.log(
                    (c[w] + self.smoothing * p) / (self.sizes[name] + self.smoothing) / p
                )
            out[name] = total / len(known)
        return out

    def weight(self, word: str) -> float:
        """A word's inverse document frequency over every base's passages; a word no base
        uses weighs most."""
        return math.log((self.passages + 1) / (self.documents.get(word, 0) + 1))

    def unknown(self, clause: str, english: Callable[[str], bool] | None = None) -> list[str]:
        """The clause's words no base uses in any form (numbers aside), nor, given
        ``english``, the language ("tall", "patent"): names the bases do not hold ("htop");
        none while the bases' vocabulary is narrower than ``broad`` words."""
        if len(self.total) < self.broad:
            return []
        out = []
        for w in dict.fromkeys(index_words(clause)):
            if w.isdigit() or w in self.total or w[:5] in self._stems:
                continue
            if english is not None and (english(w) or english(w + "s")):
                continue
            out.append(w)
        return out

    def unheard(self, clause: str, english: Callable[[str], bool] | None) -> float:
        """The weighted share of the clause's words that are the language's ("uranium",
        "pandas", "joke") yet no passage of any base uses in any form: the clause asks about
        something the collection never mentions, so a passage close to its other words
        ("atomic number") answers another question. 0.0 without ``english`` or while the
        bases' vocabulary is narrower than ``broad`` words."""
        if english is None or len(self.total) < self.broad:
            return 0.0
        # a letter is no word ("100M": its unit)
        words = [w for w in self.content_words(clause) if len(w) > 1]
        total = unheard = 0.0
        for w in words:
            weight = self.weight(w)
            total += weight
            if w in self.total or w[:5] in self._stems or self._compared(w):
                continue
            if english(w) or english(w + "s"):
                unheard += weight
        return unheard / total if total > 0 else 0.0

    def _compared(self, word: str) -> bool:
        """Whether ``word`` compares an adjective the bases use ("bigger" of "big", "larger"
        of "large", "older" of "old"): "files bigger than 100M" asks what the bases say of
        sizes, in a form they need not write."""
        m = _COMPARED.fullmatch(word)
        if m is None:
            return False
        stem = m.group(1)
        return any(w in self.total for w in (stem, stem + "e", stem[:-1]) if len(w) > 1)

    def content_words(self, clause: str) -> list[str]:
        """The words of ``clause`` a passage can be found by: its index words, numbers left
        out ("12 * 12" has none)."""
        return [w for w in dict.fromkeys(index_words(clause)) if not w.isdigit()]

    def coverage(self, clause: str, text: str | Set[str]) -> float:
        """How much of what the clause asks ``text`` names: the weighted share of the
        clause's words found in it (a word matching by its first five letters, "sorted" and
        "sorting" alike; numbers are what is asked about, not what to find); 1.0 for a clause
        without content words. ``text`` may be given as its words (``index_words``)."""
        words = self.content_words(clause)
        have = set(index_words(text)) if isinstance(text, str) else text
        stems = {h[:5] for h in have if len(h) >= 5}
        total = found = 0.0
        for w in words:
            weight = self.weight(w)
            total += weight
            if w in have or (len(w) >= 5 and w[:5] in stems):
                found += weight
        return found / total if total > 0 else 1.0
