"""Records of the graph knowledge base, and reading them from a triples file."""

from __future__ import annotations

import json
import string
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

__all__ = [
    "EntityMatch",
    "GraphPath",
    "Triple",
    "TriplesFile",
    "TriplesFileError",
    "read_triples_file",
]


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

    def sentence(self, phrases: Mapping[str, str]) -> str | None:
        """The triple as a person says it, from its relation's template (``{subject} lies on
        the river {object}``); ``None`` when the graph gives its relation none."""
        template = phrases.get(self.relation)
        if template is None:
            return None
        said = template.format(subject=self.subject, object=self.object).strip()
        return said[:1].upper() + said[1:] + ("" if said.endswith((".", "!", "?")) else ".")


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

    def sentences(self, phrases: Mapping[str, str]) -> str | None:
        """The path as sentences ("Paris is the capital of France. France is in Europe."), or
        ``None`` when a relation on it has no template: then the arrows say it."""
        said = [t.sentence(phrases) for t in self.triples]
        if any(s is None for s in said):
            return None
        return " ".join(s for s in said if s)


class TriplesFile(BaseModel):
    """What a triples file holds: entities with their aliases, the triples, and how each
    relation reads as a sentence (``relations``: relation -> template with ``{subject}`` and
    ``{object}``; optional, a relation without one is shown as ``A —r→ B``)."""

    model_config = ConfigDict(extra="forbid")

    entities: dict[str, dict[str, Any]]
    triples: list[Triple]
    relations: dict[str, str] = {}


def read_triples_file(path: Path) -> TriplesFile:
    """A triples file: ``{"entities": {...}, "triples": [...], "relations": {...}}`` or a bare
    list of triples."""
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
    relations = _parse_relations(raw.get("relations", {}), f"{path}: relations")
    return TriplesFile(entities=entities, triples=triples, relations=relations)


def _parse_relations(raw: Any, where: str) -> dict[str, str]:
    """Sentence templates by relation; each names ``{subject}`` and ``{object}`` and nothing
    else, so a template can never fail to render at answer time."""
    if not isinstance(raw, dict):
        raise TriplesFileError(f"{where}: must be an object of relation -> sentence template")
    for relation, template in raw.items():
        if not isinstance(template, str) or not template.strip():
            raise TriplesFileError(f"{where}[{relation!r}]: must be a non-empty string")
        try:
            fields = {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
        except ValueError as exc:
            raise TriplesFileError(f"{where}[{relation!r}]: {exc}: {template!r}") from exc
        if fields != {"subject", "object"}:
            raise TriplesFileError(
                f"{where}[{relation!r}]: a template names {{subject}} and {{object}} (and no "
                f"other field), got {sorted(fields)} in {template!r}"
            )
    return dict(raw)


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
