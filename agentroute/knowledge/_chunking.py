"""How a document is cut into passages: along the structure it has, any other text by length.

A fixed window of sentences runs a passage from one section into the next, cuts code blocks
and package records in two, and drowns a command's option in its neighbours (issue 15: the
right man page was found for 96% of option questions, the option's own description was in
the top 3 for 43%). So a document is read as what it is:

* **markdown** (``#`` headings or fenced code): no passage spans two sections; each keeps its
  heading path (``Install › Linux``), embedded with the document's title and shown in
  citations; passages are packed from whole paragraphs up to ``max_chars``;
* **a manual page** (``NAME`` first, then upper-case section lines): by section, and each
  option (a paragraph opening with its flags) is a passage of its own, titled
  ``OPTIONS › -a, --all`` and embedded after the page's NAME line (``ls - list directory
  contents``: an option's description alone names no command); a section too short to stand
  alone (NAME, SYNOPSIS) is packed with the next. Cutting pages by section lost routing
  (``bench_kb_routing.py`` natural/train 93.8% → 91.2%): a NAME section alone is closer to
  "which package gives me ps" than the package's record is;
* **a Debian package record** (``Package:`` first): one passage, whole;
* **code** (a fenced block) is never cut;
* anything else: sentence windows of ``max_chars``, ``overlap`` characters of the previous
  window's last sentences carried into the next.

A word a formatter broke at a line end with a hyphen (``cur‐\\n       rent``) is joined first,
outside code blocks and package records (``_hyphens``).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from agentroute.knowledge._hyphens import join_line_hyphens

__all__ = ["CHUNKER", "Chunk", "chunk_document", "chunk_text"]

CHUNKER = "structure-5"
"""Recorded with what was ingested: a new way of cutting re-embeds a base once."""

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
"""The line under a setext heading (``PyYAML`` over ``======``: level 1, ``---``: level 2),
as many READMEs write their title."""
_FENCE = re.compile(r"^\s*(```|~~~)")
_MAN_SECTION = re.compile(r"^[A-Z][A-Z0-9 ]{2,40}$")
"""A manual page's section line (``NAME``, ``OPTIONS``, ``EXIT STATUS``)."""
_FLAG = re.compile(r"--?[A-Za-z0-9?][\w-]*(\[?=[^\s,]*\]?|\[[^\s,]*\])?")
"""An option as a manual page lists it: ``-a``, ``--block-size=SIZE``, ``--color[=WHEN]``."""
_FLAG_ARG = re.compile(r"[A-Z][A-Z_]*|<[^>]+>|\[[^\]]*\]")
"""An option's argument after a space (``-m NUM``, ``-o <file>``)."""
_SUBTITLE = re.compile(r"[A-Z][\w /-]{2,38}[A-Za-z]")
"""A short title line without a sentence's end (``General Output Control``)."""


@dataclass(frozen=True)
class Chunk:
    """One passage and the section it lies in (``""``: the document's top)."""

    text: str
    section: str = ""
    context: str = ""
    """What the passage is embedded after besides its title (a manual page's NAME line);
    not part of the stored passage."""


def chunk_text(text: str, max_chars: int = 600, overlap: int = 0) -> list[str]:
    """Split ``text`` into chunks of at most ~``max_chars``, cutting between sentences (a single
    overlong sentence is cut hard); each chunk but the first starts with the last sentences of
    the one before, up to ``overlap`` characters. The MiniLM encoder reads at most 256 tokens
    (~1000 chars)."""
    text = text.strip()
    if len(text) <= max_chars:
        return [text]
    chunks: list[str] = []
    current: list[str] = []
    fresh = False
    """Whether ``current`` holds a sentence no chunk has yet (not only the carried overlap)."""

    def close() -> None:
        nonlocal current, fresh
        if fresh:
            chunks.append(" ".join(current))
        carried: list[str] = []
        for sentence in reversed(current if overlap > 0 else []):
            if sum(len(c) + 1 for c in carried) + len(sentence) > overlap:
                break
            carried.insert(0, sentence)
        current, fresh = carried, False

    for sentence in _SENTENCE_END.split(text):
        while len(sentence) > max_chars:
            close()
            chunks.append(sentence[:max_chars])
            current = []
            sentence = sentence[max_chars:]
        if current and sum(len(c) + 1 for c in current) + len(sentence) > max_chars:
            close()
            if current and sum(len(c) + 1 for c in current) + len(sentence) > max_chars:
                current = []
        current.append(sentence)
        fresh = True
    close()
    return chunks


def chunk_document(text: str, max_chars: int = 600, overlap: int = 0) -> list[Chunk]:
    """The passages of ``text``, in order (see the module's docstring)."""
    text = text.strip()
    if not text:
        return []
    if text.startswith("Package:"):
        return [Chunk(text)]
    if _MAN_SECTION.match(text.split("\n", 1)[0]) and text.startswith("NAME"):
        return _man_page(join_line_hyphens(text), max_chars, overlap)
    lines = text.splitlines()
    if not any(_HEADING.match(line) or _FENCE.match(line) for line in lines) and not any(
        _SETEXT.match(under) and above.strip() for above, under in itertools.pairwise(lines)
    ):
        return [Chunk(c) for c in chunk_text(join_line_hyphens(text), max_chars, overlap)]
    out: list[Chunk] = []
    section, packed = "", ""

    def flush() -> None:
        nonlocal packed
        if packed:
            out.extend(Chunk(c, section) for c in chunk_text(packed, max_chars, overlap))
            packed = ""

    for kind, block, heading in _blocks(text):
        if kind == "heading":
            flush()
            section = heading
        elif kind == "code":
            flush()
            out.append(Chunk(block, section))
        elif packed and len(packed) + 2 + len(block) > max_chars:
            flush()
            packed = block
        else:
            packed = f"{packed}\n\n{block}" if packed else block
    flush()
    return out


def _man_page(text: str, max_chars: int, overlap: int) -> list[Chunk]:
    """A manual page by section, each option a passage titled by its flags and embedded after
    the page's NAME line; a section under a third of a passage (NAME, SYNOPSIS) is packed
    with what follows, its heading kept: alone, "ps - report a snapshot of the current
    processes" is closer to "which package gives me ps" than the package's own record."""
    sections: list[tuple[str, list[str]]] = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if _MAN_SECTION.match(line) and (i == 0 or not lines[i - 1].strip()):
            sections.append((line.strip(), []))
        elif sections:
            sections[-1][1].append(line)
    name = next((" ".join(" ".join(b).split()) for s, b in sections if s == "NAME"), "")
    out: list[Chunk] = []
    packed, label = "", ""

    def flush() -> None:
        nonlocal packed, label
        if packed:
            out.extend(Chunk(c, label) for c in chunk_text(packed, max_chars, overlap))
        packed, label = "", ""

    for section, body in sections:
        if packed and len(packed) < max_chars // 3:
            packed = f"{packed}\n\n{section}"
        else:
            flush()
            label = section
        for block in _man_blocks(body):
            flags = _option_head(block)
            if flags:
                flush()
                title = f"{section} › {flags}"
                out.extend(Chunk(c, title, name) for c in chunk_text(block, max_chars, overlap))
            elif packed and len(packed) + 2 + len(block) > max_chars:
                flush()
                packed, label = block, section
            else:
                packed = f"{packed}\n\n{block}" if packed else block
                label = label or section
    flush()
    return out or [Chunk(c) for c in chunk_text(text, max_chars, overlap)]


def _man_blocks(lines: list[str]) -> list[str]:
    """A section's paragraphs; a short title line ("General Output Control") directly above an
    option starts a paragraph of its own, so the option below it opens the next."""
    blocks: list[list[str]] = [[]]
    for line in lines:
        if not line.strip():
            blocks.append([])
            continue
        prev = blocks[-1][-1] if blocks[-1] else ""
        if prev and _option_head(line) and _SUBTITLE.fullmatch(prev.strip()):
            blocks.append([])
        blocks[-1].append(line)
    return ["\n".join(b).strip() for b in blocks if any(x.strip() for x in b)]


def _option_head(block: str) -> str:
    """The flags an option's paragraph opens with (``-a, --all``; ``--color[=WHEN]``), or
    ``""`` when the paragraph is no option."""
    first = block.split("\n", 1)[0].strip()
    if not first.startswith("-"):
        return ""
    head: list[str] = []
    for token in first.split():
        bare = token.rstrip(",")
        if _FLAG.fullmatch(bare) or (head and _FLAG_ARG.fullmatch(bare)):
            head.append(token)
        else:
            break
    return " ".join(head).rstrip(",")


def _blocks(text: str) -> list[tuple[str, str, str]]:
    """``(kind, text, section)`` in order: ``heading`` (with the section path it opens),
    ``code`` or ``text`` (a paragraph)."""
    out: list[tuple[str, str, str]] = []
    path: list[tuple[int, str]] = []
    paragraph: list[str] = []
    code: list[str] | None = None

    def end_paragraph() -> None:
        if paragraph:
            block = join_line_hyphens("\n".join(paragraph).strip())
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
        setext = _SETEXT.match(line) if len(paragraph) == 1 else None
        if heading is not None:
            level, title = len(heading.group(1)), heading.group(2)
        elif setext is not None:
            level, title = (1 if setext.group(1)[0] == "=" else 2), paragraph[0].strip()
            paragraph.clear()
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
