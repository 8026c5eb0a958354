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

_BROKEN = re.compile(
    r"([A-Za-z0-9]*[A-Za-z])([-\u2010\u00ad])[ \t]*\r?\n([ \t]*)([A-Za-z]+)(\S*)[ \t]*"
)
"""A word broken at a line end by a hyphen: its start, the hyphen, the next line's indent,
the word's rest and what is attached to it (``fied.``)."""
_FORMATTER = "\u2010\u00ad"


def join_line_hyphens(text: str) -> str:
    """``text`` with words broken at a line end by a hyphen joined (see the module's
    docstring). The word's rest moves up and the line break follows it, so the text keeps
    its lines (an option's first line, a "NOTE:" line, a paragraph's end)."""
    if "-" not in text and "\u2010" not in text and "\u00ad" not in text:
        return text
    lower = text.lower()

    def join(m: re.Match[str]) -> str:
        head, hyphen, indent, rest, attached = m.groups()
        if hyphen in _FORMATTER:
            if not (head[-1].islower() and rest[0].islower()):
                return m.group(0)
            joined = f"{head}{rest}".lower()
            inline = (f"{head}\u2010{rest}".lower(), f"{head}-{rest}".lower())
            if any(c in lower for c in inline) and not re.search(rf"\b{joined}\b", lower):
                hyphen = "\u2010"
            else:
                hyphen = ""
        word = f"{head}{hyphen}{rest}{attached}"
        if m.end() == len(m.string) or m.string[m.end()] in "\r\n":
            return word  # the next line held only the word's rest: the two lines are one
        return f"{word}\n{indent}"

    return _BROKEN.sub(join, text).replace("\u00ad", "")
