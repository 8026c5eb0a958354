"""Reading documents from files: JSONL (one :class:`Document` per line), text and markdown;
and which files a base's ``documents`` entries name (a file, a directory, a glob)."""

from __future__ import annotations

import glob
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from agentroute.knowledge._documents import Document

__all__ = [
    "DocumentFileError",
    "SourceFile",
    "expand_sources",
    "file_hash",
    "load_documents",
    "not_utf8",
]

DOCUMENT_SUFFIXES = frozenset({".md", ".markdown", ".txt", ".rst", ".text", ".jsonl"})
"""What a directory or a glob contributes: text a base can read (a named file is read
whatever its suffix)."""
_GLOB = frozenset("*?[")


class DocumentFileError(ValueError):
    """A document file that cannot be read, with the file and line at fault."""


def not_utf8(exc: UnicodeDecodeError) -> str:
    """What to do about a file that is not UTF-8 text (Python's codec message named neither
    the line nor the remedy)."""
    head = exc.object[: exc.start]
    line = head.count(b"\n") + 1
    return (
        f"not UTF-8 text (byte 0x{exc.object[exc.start]:02x} on line {line}): save it as "
        "UTF-8, or move it out of the base's documents"
    )


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class SourceFile:
    """One file a base reads, and the id its text becomes (a JSONL file's records keep their
    own): the path below the directory or glob that named it, so two ``README.md`` of
    different folders stay two documents."""

    path: Path
    text_id: str


def expand_sources(entries: list[Path]) -> list[SourceFile]:
    """The files ``entries`` name, each once, in a stable order: a file as itself, a directory
    as every document file below it, a glob (``docs/**/*.md``) as its matches. A missing file,
    an empty directory or a glob matching nothing is an error naming the entry: a base that
    silently reads nothing answers nothing."""
    out: dict[Path, SourceFile] = {}
    ids: dict[str, Path] = {}
    for entry in entries:
        text = str(entry)
        if any(c in text for c in _GLOB):
            root = _glob_root(text)
            found = [Path(p) for p in sorted(glob.glob(text, recursive=True))]
            files = [p for p in found if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES]
            named = [(p, p.relative_to(root).as_posix()) for p in files]
            if not named:
                raise DocumentFileError(
                    f"{entry}: the pattern matches no document file{_skipped(found)}"
                )
        elif entry.is_dir():
            visible = sorted(
                p
                for p in entry.rglob("*")
                if not any(part.startswith(".") for part in p.relative_to(entry).parts)
            )
            files = [p for p in visible if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES]
            named = [(p, p.relative_to(entry).as_posix()) for p in files]
            if not named:
                raise DocumentFileError(
                    f"{entry}: the directory holds no document file{_skipped(visible)}"
                )
        elif entry.is_file():
            named = [(entry, entry.name)]
        else:
            raise DocumentFileError(f"{entry}: no such document file, directory or pattern")
        named = [(p, i.replace("#", "%23")) for p, i in named]  # "#" separates chunk ids
        for path, text_id in named:
            path = path.resolve()
            if path in out:
                continue
            if text_id in ids and path.suffix != ".jsonl":
                raise DocumentFileError(
                    f"{path}: its document id {text_id!r} is also {ids[text_id]}'s; "
                    "list their directory instead, so each is named by its path below it"
                )
            ids.setdefault(text_id, path)
            out[path] = SourceFile(path, text_id)
    return list(out.values())


def _skipped(paths: list[Path]) -> str:
    """Why nothing was read, when files were there: which suffixes count and which files were
    passed over (a directory of ``ls.1``, ``notes.html`` otherwise looks empty), and how to
    add one anyway."""
    others = [p for p in paths if p.is_file()]
    if not others:
        return ""
    shown = ", ".join(p.name for p in others[:3]) + (", ..." if len(others) > 3 else "")
    suffixes = " ".join(sorted(DOCUMENT_SUFFIXES))
    return (
        f" (read: {suffixes}; passed over {len(others)} other file(s): {shown}; "
        "name a file itself to read it as text)"
    )


def _glob_root(pattern: str) -> Path:
    """The directory a glob starts from: its parts before the first wildcard."""
    parts: list[str] = []
    for part in Path(pattern).parts:
        if any(c in part for c in _GLOB):
            break
        parts.append(part)
    return Path(*parts) if parts else Path(".")


def load_documents(path: str | Path, text_id: str | None = None) -> list[Document]:
    """``.jsonl``: each non-blank line a JSON object with the fields of :class:`Document`.
    ``.txt``/``.md`` (or anything else): the whole file is one document, id = ``text_id`` (the
    file name by default), title = the first markdown heading if there is one."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DocumentFileError(f"{path}: {not_utf8(exc)}") from exc
    except OSError as exc:
        raise DocumentFileError(f"{path}: cannot read: {exc}") from exc
    if path.suffix == ".jsonl":
        return _load_jsonl(path, text)
    if not text.strip():
        raise DocumentFileError(f"{path}: empty file")
    title = path.stem
    lines = text.splitlines()
    for line, under in zip(lines, [*lines[1:], ""], strict=True):
        if line.startswith("#"):
            title = line.lstrip("#").strip() or title
            break
        if line.strip() and under.strip() and set(under.strip()) == {"="}:  # setext title
            title = line.strip()
            break
    return [Document(id=text_id or path.name, text=text, title=title, source=str(path))]


def _load_jsonl(path: Path, text: str) -> list[Document]:
    docs: list[Document] = []
    seen: dict[str, int] = {}
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DocumentFileError(f"{path}:{lineno}: invalid JSON: {exc.msg}") from exc
        if not isinstance(raw, dict):
            raise DocumentFileError(
                f"{path}:{lineno}: expected a JSON object, got {type(raw).__name__}"
            )
        raw.setdefault("source", str(path.name))
        try:
            doc = Document.model_validate(raw)
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(p) for p in err["loc"]) or "(document)"
            raise DocumentFileError(f"{path}:{lineno}: field {field!r}: {err['msg']}") from exc
        if doc.id in seen:
            raise DocumentFileError(
                f"{path}:{lineno}: duplicate id {doc.id!r} (first on line {seen[doc.id]})"
            )
        seen[doc.id] = lineno
        docs.append(doc)
    return docs
