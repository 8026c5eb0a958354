"""Read ``agentroute.toml``: TOML syntax, then pydantic, each error pinned to file:line [field]."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from pydantic import ValidationError

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
            raise ConfigError(
                path, first["msg"], line=locate(text, loc), field=".".join(str(p) for p in loc)
            ) from None
