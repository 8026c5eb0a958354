"""How a document is cut into passages: a markdown document along its headings, any other
text by length.

A fixed window of sentences runs a passage from one section into the next and cuts code
blocks in two; a citation can then only name the document. A markdown document (one with
``#`` headings or fenced code) is read as what it is made of:

* **sections**: no passage spans two; each keeps its heading path (``Install › Linux``),
  embedded with the document's title and shown in citations;
* **paragraphs**: passages are cut between paragraphs, packed up to ``max_chars`` (one longer
  than that is cut between sentences);
* **code**: a fenced block is never cut inside (beyond twice the length, it is cut hard).

Other text (manual pages, package records, prose) keeps sentence windows of ``max_chars``:
cutting those by paragraph and section too was measured and lost routing (natural/train of
``bench_kb_routing.py``: 93.8% → 91.2%, Debian packages 95% → 85%).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["CHUNKER", "Chunk", "chunk_document", "chunk_text"]

CHUNKER = "markdown-1"
"""Recorded with what was ingested: a new way of cutting re-embeds a base once."""

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


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
    if not any(_HEADING.match(line) or _FENCE.match(line) for line in text.splitlines()):
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

    for line in text.splitlines():
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
        if heading is not None:
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
