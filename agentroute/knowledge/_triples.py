"""Records of the graph knowledge base, and reading them from a triples file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

__all__ = ["EntityMatch", "GraphPath", "Triple", "TriplesFileError", "read_triples_file"]


class TriplesFileError(ValueError):
    """A triples file that cannot be loaded, naming the file and the item at fault."""


class Triple(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    subject: str
    relation: str
    object: str
    source: str | None = None

    def render(self) -> str:
        return f"{self.subject} —{self.relation}→ {self.object}"


class EntityMatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    entity: str
    surface: str
    """The words of the query that named it."""
    score: float
    """1.0 for an exact name or alias match; the cosine similarity otherwise."""


class GraphPath(BaseModel):
    """A chain of triples walked from a seed entity (each triple in its stored direction)."""

    model_config = ConfigDict(extra="forbid")

    triples: list[Triple]
    score: float

    def render(self) -> str:
        """Consecutive triples that chain (``A→B``, ``B→C``) read as one ``A —r→ B —s→ C``."""
        out = ""
        prev: Triple | None = None
        for t in self.triples:
            if prev is None:
                out = t.render()
            elif prev.object == t.subject:
                out += f" —{t.relation}→ {t.object}"
            else:
                out += f"; {t.render()}"
            prev = t
        return out


def read_triples_file(path: Path) -> tuple[dict[str, dict[str, Any]], list[Triple]]:
    """``(entities, triples)`` from ``{"entities": {...}, "triples": [...]}`` or a bare list."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise TriplesFileError(f"{path}: cannot read: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise TriplesFileError(f"{path}:{exc.lineno}: invalid JSON: {exc.msg}") from exc
    if isinstance(raw, list):
        raw = {"triples": raw}
    if not isinstance(raw, dict) or not isinstance(raw.get("triples"), list):
        raise TriplesFileError(f"{path}: expected an object with a 'triples' list")
    entities = raw.get("entities", {})
    if not isinstance(entities, dict):
        raise TriplesFileError(f"{path}: 'entities' must be an object of name -> attributes")
    for entity, attrs in entities.items():
        if not isinstance(attrs, dict):
            raise TriplesFileError(f"{path}: entities[{entity!r}] must be an object")
        aliases = attrs.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise TriplesFileError(
                f"{path}: entities[{entity!r}].aliases must be a list of strings"
            )
    triples = [
        _parse_triple(item, f"{path}: triples[{i}]") for i, item in enumerate(raw["triples"])
    ]
    return entities, triples


def _parse_triple(item: Any, where: str) -> Triple:
    if isinstance(item, list):
        if len(item) not in (3, 4) or not all(isinstance(x, str) for x in item):
            raise TriplesFileError(
                f"{where}: expected [subject, relation, object(, source)] strings, got {item!r}"
            )
        return Triple(
            subject=item[0],
            relation=item[1],
            object=item[2],
            source=item[3] if len(item) == 4 else None,
        )
    if isinstance(item, dict):
        for field in ("subject", "relation", "object"):
            if not isinstance(item.get(field), str) or not item[field]:
                raise TriplesFileError(f"{where}: field {field!r} must be a non-empty string")
        extra = set(item) - {"subject", "relation", "object", "source"}
        if extra:
            raise TriplesFileError(f"{where}: unknown field(s) {sorted(extra)}")
        return Triple.model_validate(item)
    raise TriplesFileError(f"{where}: expected a list or an object, got {type(item).__name__}")
