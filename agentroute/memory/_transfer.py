"""Export and import of cases as JSONL: lossless both ways, tampering caught on the way in."""

from __future__ import annotations

import os
from typing import TextIO

from pydantic import ValidationError

from agentroute._log import get_logger
from agentroute.embeddings._base import Embedder
from agentroute.memory._case import Case, CaseStatus, content_hash
from agentroute.memory._store import CaseStore, MemoryStoreError

__all__ = ["export_jsonl", "import_jsonl"]

log = get_logger(__name__)


def export_jsonl(
    store: CaseStore,
    path: str | os.PathLike[str] | TextIO,
    *,
    namespace: str | None = None,
) -> int:
    """Every case (all statuses, stats and provenance) as one JSON object per line; ``path``
    may be an open text stream (stdout, for ``export -``)."""
    if not isinstance(path, (str, os.PathLike)):
        return _write(store, path, namespace)
    with open(path, "w", encoding="utf-8") as out:
        return _write(store, out, namespace)


def _write(store: CaseStore, out: TextIO, namespace: str | None) -> int:
    n = 0
    for case in store.cases(namespace=namespace):
        out.write(case.model_dump_json() + "\n")
        n += 1
    return n


def _why(exc: ValidationError) -> str:
    """Pydantic's first complaint as 'field: message', not its multi-line report with URLs."""
    err = exc.errors()[0]
    field = ".".join(str(part) for part in err["loc"])
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{field}: {err['msg']}{more}" if field else f"{err['msg']}{more}"


def import_jsonl(
    store: CaseStore,
    embedder: Embedder,
    path: str | os.PathLike[str],
    *,
    namespace: str | None = None,
) -> int:
    """Load an export; tasks are re-embedded with this bank's embedder.

    Cases come back exactly as exported, except that a case whose content no longer matches
    its content hash (edited after export) is put in quarantine, with the reason. Every line
    is checked before any is stored, so a file with a bad line imports nothing.
    """
    cases: list[tuple[int, Case]] = []
    with open(path, encoding="utf-8") as src:
        for lineno, line in enumerate(src, 1):
            if not line.strip():
                continue
            try:
                cases.append((lineno, Case.model_validate_json(line)))
            except ValidationError as exc:
                raise MemoryStoreError(
                    f"{path}:{lineno}: not a case record: {_why(exc)}; nothing imported"
                ) from exc
    n = 0
    for lineno, case in cases:
        if case.provenance.content_hash != content_hash(case):
            case.status = CaseStatus.QUARANTINED
            case.status_reason = f"content hash mismatch on import ({path}:{lineno})"
            log.warning("memory.import_tampered", case_id=case.id, line=lineno)
        elif namespace is not None:
            case.namespace = namespace
            case.provenance.content_hash = content_hash(case)
        store.put(case, embedder.embed([case.task])[0])
        n += 1
    return n
