"""Words broken across a line end by a hyphen, joined again before a text is cut and indexed.

A manual page formatted for a terminal breaks long words with U+2010 HYPHEN and indents the
next line (``cur‐\\n       rent``): 869 such breaks in the carried man pages left "cur" and
"rent" in BM25's postings and in what the encoder read, never "current". So:

* U+2010 (groff's hyphenation character) or a soft hyphen (U+00AD) between a lower-case
  letter and a line starting with one is dropped with the break (``current``), unless the
  document writes the hyphenated compound inline (``file‐name``) and never the joined word;
  upper-case halves are left broken: ``COL‐\\nUMNS`` and ``MS‐\\nDOS`` look alike;
* an ASCII ``-`` at a line end is a compound's own hyphen (``update-\\n alternatives``,
  ``--no-\\n prefix``): the break goes, the hyphen stays (``update-alternatives``), so the
  name and the option read whole;
* a soft hyphen anywhere else is invisible and dropped.
"""

from __future__ import annotations

import re

__all__ = ["join_line_hyphens"]

_FORMATTED = re.compile(r"([A-Za-z]*[a-z])[\u2010\u00ad][ \t]*\r?\n[ \t]*([a-z][A-Za-z]*)")
"""A word broken by the formatter's hyphen at a line end: the word's start, its rest."""
_ASCII = re.compile(r"([A-Za-z0-9]*[A-Za-z])-[ \t]*\r?\n[ \t]*(?=[A-Za-z])")
"""A compound broken at its own hyphen at a line end."""


def join_line_hyphens(text: str) -> str:
    """``text`` with words broken at a line end by a hyphen joined (see the module's
    docstring); lines otherwise as they were."""
    if "-" not in text and "\u2010" not in text and "\u00ad" not in text:
        return text
    lower = text.lower()

    def formatted(m: re.Match[str]) -> str:
        head, rest = m.group(1), m.group(2)
        joined = f"{head}{rest}".lower()
        compound = (f"{head}\u2010{rest}".lower(), f"{head}-{rest}".lower())
        if any(c in lower for c in compound) and not re.search(rf"\b{joined}\b", lower):
            return f"{head}\u2010{rest}"
        return f"{head}{rest}"

    text = _FORMATTED.sub(formatted, text)
    text = _ASCII.sub(r"\1-", text)
    return text.replace("\u00ad", "")
