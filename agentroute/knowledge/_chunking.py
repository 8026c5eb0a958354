"""How a document is cut into passages: along its own structure, then by length.

A fixed window of sentences cuts a man page's option from its description and buries it among
twenty others ("which option of ls lists directories themselves?" finds the page, not the
line). Here a document is read as what it is made of:

* **sections**: markdown headings (their path kept: ``Install › Linux``) and a manual page's
  upper-case headings (``OPTIONS``); no passage spans two sections;
* **paragraphs and definitions**: passages are cut between paragraphs, never inside one that
  fits, so an option (``-d, --directory``) stays with its description;
* **code**: a fenced block is never cut inside (beyond twice the length, it is cut hard);
* **records**: a ``Key: value`` stanza (a Debian package) is one passage when it fits.

Paragraphs are packed up to ``max_chars``; one longer than that is cut between sentences. Each passage keeps its section, shown in citations and embedded with
the title ("ls › OPTIONS. -d, --directory: list directories themselves").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["CHUNKER", "Chunk", "chunk_document", "chunk_text"]

CHUNKER = "structure-2"
"""Recorded with what was ingested: a new way of cutting re-embeds a base once."""

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_MAN_HEADING = re.compile(r"^[A-Z][A-Z0-9 /&-]{2,40}$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_FIELD = re.compile(r"^[A-Z][\w-]*:(?:\s|$)")


@dataclass(frozen=True)
class Chunk:
    """One passage and the section it lies in (``""``: the document's top)."""

    text: str
    section: str = ""


def chunk_text(text: str, max_chars: int = 600) -> list[str]:
    """Split ``text`` into chunks of at most ~``max_chars``, cutting between sentences (a single
    overlong sentence is cut hard). The MiniLM encoder reads at most 256 tokens (~1000 chars)."""
    text = text.strip()
    if len(text) <= max_chars:
        return [text]
    chunks: list[str] = []
    current = ""
    for sentence in _SENTENCE_END.split(text):
        while len(sentence) > max_chars:
            if current:
                chunks.append(current)
                current = ""
            chunks.append(sentence[:max_chars])
            sentence = sentence[max_chars:]
        if current and len(current) + 1 + len(sentence) > max_chars:
            chunks.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}" if current else sentence
    if current:
        chunks.append(current)
    return chunks


def chunk_document(text: str, max_chars: int = 600) -> list[Chunk]:
    """The passages of ``text``, in order (see the module's docstring)."""
    text = text.strip()
    if not text:
        return []
    if _is_record(text):
        if len(text) <= max_chars:
            return [Chunk(text)]
        return [Chunk(c) for c in chunk_text(text, max_chars)]
    out: list[Chunk] = []
    section, packed = "", ""

    def flush() -> None:
        nonlocal packed
        if packed:
            out.extend(Chunk(c, section) for c in chunk_text(packed, max_chars))
            packed = ""

    for kind, block, heading in _blocks(text):
        if kind == "heading":
            flush()
            section = heading
        elif kind == "code":
            flush()
            limit = 2 * max_chars
            out.extend(Chunk(block[i : i + limit], section) for i in range(0, len(block), limit))
        elif packed and len(packed) + 2 + len(block) > max_chars:
            flush()
            packed = block
        else:
            packed = f"{packed}\n\n{block}" if packed else block
    flush()
    return out


def _is_record(text: str) -> bool:
    """A ``Key: value`` stanza: its first two lines are fields (a field's value may run on
    over many lines, as a package's description does)."""
    lines = [line for line in text.splitlines() if line.strip()]
    return len(lines) >= 2 and all(_FIELD.match(line) for line in lines[:2])


def _blocks(text: str) -> list[tuple[str, str, str]]:
    """``(kind, text, section)`` in order: ``heading`` (with the section path it opens),
    ``code`` or ``text`` (a paragraph)."""
    out: list[tuple[str, str, str]] = []
    path: list[tuple[int, str]] = []
    paragraph: list[str] = []
    code: list[str] | None = None

    def end_paragraph() -> None:
        if paragraph:
            block = "\n".join(paragraph).strip()
            out.append(("text", block, ""))
            paragraph.clear()

    lines = text.splitlines()
    for i, line in enumerate(lines):
        if code is not None:
            code.append(line)
            if _FENCE.match(line):
                out.append(("code", "\n".join(code), ""))
                code = None
            continue
        if _FENCE.match(line):
            end_paragraph()
            code = [line]
            continue
        heading = _HEADING.match(line)
        before_blank = i == 0 or not lines[i - 1].strip()
        after_text = i + 1 < len(lines) and lines[i + 1].strip()
        if heading is None and before_blank and after_text and _MAN_HEADING.match(line.strip()):
            level, title = 1, line.strip()
        elif heading is not None:
            level, title = len(heading.group(1)), heading.group(2)
        else:
            if line.strip():
                paragraph.append(line)
            else:
                end_paragraph()
            continue
        end_paragraph()
        path[:] = [(lv, t) for lv, t in path if lv < level] + [(level, title)]
        out.append(("heading", "", " › ".join(t for _, t in path)))
    end_paragraph()
    if code is not None:  # an unclosed fence: what it held is still text of the document
        out.append(("code", "\n".join(code), ""))
    return out
