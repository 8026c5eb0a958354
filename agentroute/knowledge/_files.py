"""Reading documents from files: JSONL (one :class:`Document` per line), text and markdown."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pydantic import ValidationError

from agentroute.knowledge._documents import Document

__all__ = ["DocumentFileError", "file_hash", "load_documents"]


class DocumentFileError(ValueError):
    """A document file that cannot be read, with the file and line at fault."""


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_documents(path: str | Path) -> list[Document]:
    """``.jsonl``: each non-blank line a JSON object with the fields of :class:`Document`.
    ``.txt``/``.md`` (or anything else): the whole file is one document, id = file name, title =
    the first markdown heading if there is one."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DocumentFileError(f"{path}: cannot read: {exc}") from exc
    if path.suffix == ".jsonl":
        return _load_jsonl(path, text)
    if not text.strip():
        raise DocumentFileError(f"{path}: empty file")
    title = path.stem
    for line in text.splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip() or title
            break
    return [Document(id=path.name, text=text, title=title, source=str(path))]


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
