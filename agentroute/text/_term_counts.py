"""How often each term occurs in each document, as flat arrays: what BM25's postings are made
from (``LexicalIndex.from_counts``).

Postings carry the collection's average length and each term's document frequency, so one
changed document changes every weight; the counts do not. A knowledge base keeps the counts
beside its snapshot and, after an edit, keeps the rows of the documents it still holds and
counts only the new ones, instead of reading every passage's words again (0.7 CPU-s of a
one-document edit in a 5,700-passage base).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["TermCounts"]

Words = Callable[[str], list[str]]


@dataclass(frozen=True)
class TermCounts:
    """``tf[k]`` occurrences of ``terms[term[k]]`` in document ``doc[k]``, for ``size``
    documents; rows sorted by document."""

    terms: list[str]
    doc: npt.NDArray[np.int64]
    term: npt.NDArray[np.int64]
    tf: npt.NDArray[np.float64]
    size: int

    @classmethod
    def of(cls, documents: Sequence[str], words: Words) -> TermCounts:
        """The counts of ``documents`` read by ``words``."""
        vocabulary: dict[str, int] = {}
        doc: list[int] = []
        term: list[int] = []
        tf: list[int] = []
        for i, text in enumerate(documents):
            for w, n in Counter(words(text)).items():
                doc.append(i)
                term.append(vocabulary.setdefault(w, len(vocabulary)))
                tf.append(n)
        return cls(
            list(vocabulary),
            np.asarray(doc, dtype=np.int64),
            np.asarray(term, dtype=np.int64),
            np.asarray(tf, dtype=np.float64),
            len(documents),
        )

    def keep(self, rows: Sequence[int]) -> TermCounts:
        """Documents ``rows`` of these (each at most once), renumbered in that order; terms
        no kept document uses are dropped."""
        place = np.full(self.size, -1, dtype=np.int64)
        picked = np.asarray(rows, dtype=np.int64)
        if len(np.unique(picked)) != len(picked):
            raise ValueError("keep() takes each document at most once")
        place[picked] = np.arange(len(picked), dtype=np.int64)
        new_doc = place[self.doc]
        mask = new_doc >= 0
        order = np.argsort(new_doc[mask], kind="stable")
        used, term = np.unique(self.term[mask][order], return_inverse=True)
        return TermCounts(
            [self.terms[t] for t in used.tolist()],
            new_doc[mask][order],
            np.asarray(term, dtype=np.int64).reshape(-1),
            self.tf[mask][order],
            len(picked),
        )

    def extend(self, more: TermCounts) -> TermCounts:
        """These documents followed by ``more``'s, on one vocabulary."""
        vocabulary = {t: i for i, t in enumerate(self.terms)}
        remap = np.asarray(
            [vocabulary.setdefault(t, len(vocabulary)) for t in more.terms], dtype=np.int64
        )
        return TermCounts(
            list(vocabulary),
            np.concatenate([self.doc, more.doc + self.size]),
            np.concatenate([self.term, remap[more.term] if len(more.term) else more.term]),
            np.concatenate([self.tf, more.tf]),
            self.size + more.size,
        )

    def arrays(self) -> dict[str, npt.NDArray[Any]]:
        """Plain arrays to store (what ``from_arrays`` reads back)."""
        return {
            "terms": np.asarray(self.terms, dtype=np.str_),
            "doc": self.doc.astype(np.int32),
            "term": self.term.astype(np.int32),
            "tf": self.tf.astype(np.int32),
            "size": np.asarray([self.size], dtype=np.int64),
        }

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, npt.NDArray[Any]]) -> TermCounts:
        """The counts whose ``arrays()`` these are; a malformed set raises ``ValueError``."""
        try:
            terms = [str(t) for t in arrays["terms"].tolist()]
            doc = np.asarray(arrays["doc"], dtype=np.int64)
            term = np.asarray(arrays["term"], dtype=np.int64)
            tf = np.asarray(arrays["tf"], dtype=np.float64)
            size = int(arrays["size"][0])
        except (KeyError, IndexError, TypeError) as exc:
            raise ValueError(f"not a set of term counts: {exc}") from None
        if not len(doc) == len(term) == len(tf):
            raise ValueError("term counts of unequal lengths")
        if len(doc) and (
            doc.min() < 0 or doc.max() >= size or term.min() < 0 or term.max() >= len(terms)
        ):
            raise ValueError("term counts point outside their documents or vocabulary")
        return cls(terms, doc, term, tf, size)
