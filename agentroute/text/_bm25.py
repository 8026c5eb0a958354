"""Keyword scoring (Okapi BM25): the one lexical index of the project, beside the embeddings.

MiniLM places "Transfermarkt details" and "football player profile" near each other, but a
request naming a rare word a tool's name or argument carries ("VIN", "ASIN", "TikTok"), or a
passage's exact term (``--detach``, ``git-daemon``, ``subprocess.run``), is found more surely
by the word itself. The target index adds a share of each target's BM25 score to its rank
(``agentroute.targets``); a knowledge base fuses its BM25 ranking with its dense one
(``agentroute.knowledge``). Precomputed postings: a query costs one ``bincount`` over the
postings of its words, never a loop over documents; the postings are plain arrays, so a base
stores them beside its snapshot and a restart reads them back instead of tokenising again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from agentroute.text._index_words import index_words
from agentroute.text._term_counts import TermCounts

__all__ = ["LexicalIndex", "bm25_idf", "collection_idf"]

Words = Callable[[str], list[str]]


class LexicalIndex:
    """BM25 (``k1``, ``b``) over ``documents`` in their order; ``words`` reads a text into the
    terms it is indexed and matched by (a query is read the same way)."""

    def __init__(
        self,
        documents: Sequence[str],
        k1: float = 1.2,
        b: float = 0.75,
        *,
        words: Words = index_words,
    ) -> None:
        self.words = words
        counts = [Counter(words(d)) for d in documents]
        self.size = len(documents)
        lengths = np.array([sum(c.values()) for c in counts], dtype=np.float64)
        average = float(lengths.mean()) if self.size and lengths.mean() > 0 else 1.0
        postings: dict[str, tuple[list[int], list[float]]] = {}
        for i, c in enumerate(counts):
            norm = k1 * (1.0 - b + b * lengths[i] / average)
            for term, tf in c.items():
                docs, weights = postings.setdefault(term, ([], []))
                docs.append(i)
                weights.append(tf * (k1 + 1.0) / (tf + norm))
        self._postings: dict[str, tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]] = {}
        for term, (docs, weights) in postings.items():
            idf = float(bm25_idf(self.size, len(docs)))
            self._postings[term] = (
                np.asarray(docs, dtype=np.int64),
                np.asarray(weights, dtype=np.float64) * idf,
            )

    @classmethod
    def from_counts(
        cls, counts: TermCounts, k1: float = 1.2, b: float = 0.75, *, words: Words = index_words
    ) -> LexicalIndex:
        """The index ``LexicalIndex(documents, k1, b, words=words)`` builds, from the
        documents' term counts (as ``words`` read them): array arithmetic, no text read (a
        knowledge base patches its counts after an edit and rebuilds its postings from them)."""
        index = cls.__new__(cls)
        index.words = words
        index.size = counts.size
        lengths = np.bincount(counts.doc, weights=counts.tf, minlength=counts.size)
        average = float(lengths.mean()) if counts.size and lengths.mean() > 0 else 1.0
        norm = k1 * (1.0 - b + b * lengths / average)
        tf = counts.tf
        weights = tf * (k1 + 1.0) / (tf + norm[counts.doc])
        frequency = np.bincount(counts.term, minlength=len(counts.terms)).astype(np.float64)
        idf = bm25_idf(counts.size, frequency)
        order = np.lexsort((counts.doc, counts.term))
        docs, terms = counts.doc[order], counts.term[order]
        weights = weights[order] * idf[terms]
        starts = np.searchsorted(terms, np.arange(len(counts.terms) + 1))
        index._postings = {
            term: (docs[starts[i] : starts[i + 1]], weights[starts[i] : starts[i + 1]])
            for i, term in enumerate(counts.terms)
            if starts[i + 1] > starts[i]
        }
        return index

    def scores(self, text: str, idf: Mapping[str, float] | None = None) -> npt.NDArray[np.float64]:
        """Every document's BM25 score for ``text`` (0 where no term is shared). ``idf``: each
        term's inverse document frequency over a larger collection this index is part of (see
        ``collection_idf``), in place of its own: scores of several indexes then compare."""
        terms = [w for w in dict.fromkeys(self.words(text)) if w in self._postings]
        if not terms:
            return np.zeros(self.size, dtype=np.float64)
        docs = np.concatenate([self._postings[t][0] for t in terms])
        weights = np.concatenate([
            self._postings[t][1] * (1.0 if idf is None else idf[t] / self._idf(t)) for t in terms
        ])  # fmt: skip
        out = np.asarray(np.bincount(docs, weights=weights, minlength=self.size), np.float64)
        return out

    def coverage(self, text: str) -> npt.NDArray[np.float64]:
        """Per document, the share of ``text``'s terms (each weighed by its inverse document
        frequency, only the terms some document holds) that it holds: where BM25 rewards a
        document for repeating one word, this counts how much of what the text names, its
        rare words most, the document names at all."""
        terms = [w for w in dict.fromkeys(self.words(text)) if w in self._postings]
        out = np.zeros(self.size, dtype=np.float64)
        if not terms:
            return out
        weights = [self._idf(t) for t in terms]
        for t, weight in zip(terms, weights, strict=True):
            out[self._postings[t][0]] += weight
        return out / sum(weights)

    def frequencies(self, text: str) -> dict[str, int]:
        """How many of this index's documents hold each of ``text``'s terms (those it has)."""
        return {
            t: len(self._postings[t][0])
            for t in dict.fromkeys(self.words(text))
            if t in self._postings
        }

    def holds(self, term: str) -> bool:
        """Whether a document of this index is indexed by ``term`` (as ``words`` read it)."""
        return term in self._postings

    def _idf(self, term: str) -> float:
        return float(bm25_idf(self.size, len(self._postings[term][0])))

    def arrays(self) -> dict[str, npt.NDArray[Any]]:
        """The postings as four flat arrays (what ``from_arrays`` reads back)."""
        terms = list(self._postings)
        lengths = [len(self._postings[t][0]) for t in terms]
        empty_i = np.zeros(0, dtype=np.int64)
        empty_f = np.zeros(0, dtype=np.float64)
        return {
            "terms": np.asarray(terms, dtype=np.str_),
            "starts": np.cumsum([0, *lengths], dtype=np.int64),
            "docs": np.concatenate([self._postings[t][0] for t in terms] or [empty_i]),
            "weights": np.concatenate([self._postings[t][1] for t in terms] or [empty_f]),
            "size": np.asarray([self.size], dtype=np.int64),
        }

    @classmethod
    def from_arrays(
        cls, arrays: Mapping[str, npt.NDArray[Any]], *, words: Words = index_words
    ) -> LexicalIndex:
        """The index whose ``arrays()`` these are, read with the same ``words``."""
        index = cls.__new__(cls)
        index.words = words
        index.size = int(arrays["size"][0])
        starts = arrays["starts"]
        docs = np.asarray(arrays["docs"], dtype=np.int64)
        weights = np.asarray(arrays["weights"], dtype=np.float64)
        index._postings = {
            str(term): (docs[starts[i] : starts[i + 1]], weights[starts[i] : starts[i + 1]])
            for i, term in enumerate(arrays["terms"].tolist())
        }
        return index


def bm25_idf(size: int, frequency: Any) -> Any:
    """BM25's inverse document frequency of a term ``frequency`` of ``size`` documents hold
    (a number, or an array of frequencies: an array of weights)."""
    return np.log(1.0 + (size - frequency + 0.5) / (frequency + 0.5))


def collection_idf(indexes: Sequence[LexicalIndex], text: str) -> dict[str, float]:
    """The inverse document frequency of ``text``'s terms over ``indexes`` read as one
    collection: a term common in one base and rare in another weighs the same in both, so
    their BM25 scores (``scores(text, idf)``) rank in one list."""
    size = sum(i.size for i in indexes)
    held: Counter[str] = Counter()
    for index in indexes:
        held.update(index.frequencies(text))
    return {t: float(bm25_idf(size, n)) for t, n in held.items()}
