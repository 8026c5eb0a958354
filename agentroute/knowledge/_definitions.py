"""Which passage defines an exact term: the one to put first when a query asks about it.

``subprocess.run`` is mentioned in every example that calls it, ``--reference`` in the
synopsis of every page that has it; BM25 counts mentions, so a passage of examples can
outrank the one that says what the name is. A passage *defines* a term when

* its heading names it: the document's title or the section path (a manual page's option
  passage is titled by its flags, ``OPTIONS › -a, --all``; a markdown section by its heading);
* or it holds a definition-list entry, a name opening a line or sentence followed by a colon
  and a capitalised description (``deepcopy: Deep copy operation…``, the shape of
  docstrings' summaries); the name is also defined qualified by each name-like word of the
  document's title (``module copy`` → ``copy.deepcopy``), as a module's functions are named.

The share a defining passage adds to the fused rank (``_fusion``) grows with how much of the
query the term is: "what does --reference do in chmod" is about ``--reference``; "which
mkdir flag leaves modes unaffected by -m" mentions ``-m`` but asks for another option.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from agentroute.text._bm25 import LexicalIndex
from agentroute.text._index_words import exact_terms, search_words

__all__ = ["defined_terms", "defining", "definition_index", "definition_index_from"]

_ENTRY = re.compile(r"(?<!\S)([A-Za-z_]\w*): (?=[A-Z])")
"""A definition-list entry: ``name: Capitalised description``."""
_NAME = re.compile(r"[A-Za-z_][\w-]*")


def defined_terms(text: str, title: str = "", section: str = "") -> list[str]:
    """The exact terms a passage with this ``title`` and ``section`` defines (see the
    module's docstring), as ``text.exact_terms`` spells them."""
    terms = dict.fromkeys([*exact_terms(title), *exact_terms(section)])
    qualifiers = [w.lower() for w in re.split(r"[\s(),:;]+", title) if _NAME.fullmatch(w)]
    for name in _ENTRY.findall(text):
        name = name.lower()
        terms[name] = None
        terms.update(dict.fromkeys(f"{q}.{name}" for q in qualifiers if q != name))
    return list(terms)


def _split(text: str) -> list[str]:
    return text.split()


def definition_index(passages: Sequence[tuple[str, str, str]]) -> LexicalIndex:
    """Postings of the terms each ``(text, title, section)`` passage defines, row for row."""
    return LexicalIndex([" ".join(defined_terms(*p)) for p in passages], words=_split)


def definition_index_from(arrays: dict[str, npt.NDArray[np.generic]]) -> LexicalIndex:
    """The index whose ``arrays()`` these are."""
    return LexicalIndex.from_arrays(arrays, words=_split)


def defining(index: LexicalIndex, query: str) -> npt.NDArray[np.float64]:
    """Per passage, the share of ``query``'s terms (``text.search_words``) that the exact
    terms it defines make up (0: it defines none the query names)."""
    out = np.zeros(index.size, dtype=np.float64)
    asked = set(search_words(query))
    if not asked:
        return out
    for term in dict.fromkeys(exact_terms(query)):
        rows = index.scores(term) > 0
        if rows.any():
            out[rows] += len(set(search_words(term)) & asked) / len(asked)
    return np.minimum(out, 1.0)
