"""Configuration errors that say which file, line and field is wrong."""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["ConfigError", "locate", "setting_error"]


class ConfigError(ValueError):
    """A configuration file that cannot be used, with where and why."""

    def __init__(
        self, path: str | Path, message: str, *, line: int | None = None, field: str | None = None
    ) -> None:
        self.path = str(path)
        self.line = line
        self.field = field
        self.message = message
        where = self.path + (f":{line}" if line else "")
        what = f" [{field}]" if field else ""
        super().__init__(f"{where}{what}: {message}")


_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-\.\"' ]+?)\s*=")


def _split_key(text: str) -> tuple[str, ...]:
    parts = re.findall(r'"([^"]*)"|\'([^\']*)\'|([^.\s]+)', text)
    return tuple(next(p for p in group if p) for group in parts)


def locate(text: str, loc: tuple[str | int, ...]) -> int | None:
    """The 1-based line that defines ``loc`` (a pydantic error location), or its table."""
    wanted = tuple(str(p) for p in loc if not isinstance(p, int))
    table: tuple[str, ...] = ()
    lines: dict[tuple[str, ...], int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        header = _HEADER.match(line)
        if header:
            table = _split_key(header.group(1))
            lines.setdefault(table, number)
            continue
        key = _KEY.match(line)
        if key:
            lines.setdefault(table + _split_key(key.group(1)), number)
    for end in range(len(wanted), 0, -1):
        if wanted[:end] in lines:
            return lines[wanted[:end]]
    return None


def setting_error(source: Path | None, loc: tuple[str, ...], message: str) -> ConfigError:
    """``message`` about the setting ``loc`` of ``source``, at its line: a value the schema
    accepts but the build cannot use (a model without a key) is the file's error too."""
    where = source or Path("agentroute.toml")
    text = where.read_text(encoding="utf-8") if where.is_file() else ""
    return ConfigError(where, message, line=locate(text, loc), field=".".join(loc))
