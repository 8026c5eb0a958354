"""Read ``agentroute.toml``: TOML syntax, then pydantic, each error pinned to file:line [field]."""

from __future__ import annotations

import difflib
import re
import tomllib
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from agentroute.config._errors import ConfigError, locate
from agentroute.config._models import Config

__all__ = ["DEFAULT_CONFIG_NAME", "find_config", "load_config"]

DEFAULT_CONFIG_NAME = "agentroute.toml"
_TOML_AT = re.compile(r"\(at line (\d+), column (\d+)\)")


def find_config(start: Path | None = None) -> Path | None:
    """``agentroute.toml`` in the working directory or a parent, if any."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / DEFAULT_CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def _resolve_paths(config: Config, base: Path) -> Config:
    def fix(p: Path | None) -> Path | None:
        return p if p is None or p.is_absolute() else base / p

    agent = config.agent
    if not agent.data_dir.is_absolute():
        agent.data_dir = base / agent.data_dir
    for expert in config.experts.values():
        expert.replay = fix(expert.replay)
    for kb in config.knowledge.values():
        kb.path = fix(kb.path)
        kb.documents = [d if d.is_absolute() else base / d for d in kb.documents]
    config.policy.files = [f if f.is_absolute() else base / f for f in config.policy.files]
    config.routing.outcomes = [f if f.is_absolute() else base / f for f in config.routing.outcomes]
    config.memory.path = fix(config.memory.path)
    return config


def load_config(path: str | Path) -> Config:
    """Load and validate; raises ``ConfigError`` naming the file, line and field."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(path, "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, f"cannot read: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_AT.search(str(exc))
        line = int(match.group(1)) if match else None
        raise ConfigError(
            path, f"invalid TOML: {_TOML_AT.sub('', str(exc)).strip()}", line=line
        ) from None
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(p for p in first["loc"] if p != "[key]")  # a table's name: the table's
        field = ".".join(str(p) for p in loc) or None
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        said = first["msg"].removeprefix("Value error, ")  # our own message, said as it is
        if first["type"] == "extra_forbidden":
            said = unknown_key(Config, loc)
        raise ConfigError(path, f"{said}{more}", line=locate(text, loc), field=field) from None
    _validate_mcp(config, path, text)
    config.source = path.resolve()
    return _check_files(_resolve_paths(config, path.resolve().parent), path, text)


def _check_files(config: Config, path: Path, text: str) -> Config:
    """A policy or replay file the disk lacks is the configuration's error, at its line:
    later it would surface as a bare ``FileNotFoundError`` naming no setting. (Outcome files
    are read only when experts are routed: ``build.expert_routing`` names them there.)"""
    named: list[tuple[tuple[str | int, ...], Path | None]] = [
        (("policy", "files", i), f) for i, f in enumerate(config.policy.files)
    ]
    named += [(("experts", n, "replay"), e.replay) for n, e in config.experts.items()]
    for loc, file in named:
        if file is not None and not file.is_file():
            field = ".".join(str(p) for p in loc)
            raise ConfigError(path, f"no such file: {file}", line=locate(text, loc), field=field)
    return config


def _validate_mcp(config: Config, path: Path, text: str) -> None:
    from agentroute.mcp import McpServerSpec

    for name, raw in config.mcp.items():
        try:
            McpServerSpec.model_validate({"name": name, **raw})
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = ("mcp", name, *first["loc"])
            said = first["msg"]
            if first["type"] == "extra_forbidden":
                said = unknown_key(McpServerSpec, tuple(first["loc"]), hidden=frozenset({"name"}))
            raise ConfigError(
                path, said, line=locate(text, loc), field=".".join(str(p) for p in loc)
            ) from None


def _section(model: Any, loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The model of the table ``loc`` names (a ``dict[str, Model]`` field's key skipped)."""
    parts = list(loc)
    while parts:
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        field = model.model_fields.get(str(parts.pop(0)))
        if field is None:
            return None
        model = field.annotation
        if typing.get_origin(model) in (typing.Union, types.UnionType):
            model = next((a for a in typing.get_args(model) if a is not type(None)), None)
        if typing.get_origin(model) is dict and parts:
            parts.pop(0)
            model = typing.get_args(model)[1]
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def unknown_key(
    root: type[BaseModel], loc: tuple[str | int, ...], hidden: frozenset[str] = frozenset()
) -> str:
    """Pydantic's "Extra inputs are not permitted", said as a misspelt key is fixed: the
    nearest setting the table takes, else the ones it takes."""
    section = _section(root, loc[:-1])
    if section is None:
        return "unknown setting"
    known = [n for n, f in section.model_fields.items() if not f.exclude and n not in hidden]
    what = "table" if len(loc) == 1 and root is Config else "setting"
    near = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
    if near:
        return f"unknown {what}; did you mean {near[0]!r}?"
    return f"unknown {what}; known: {', '.join(known)}"
