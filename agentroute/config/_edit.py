"""Editing ``agentroute.toml`` from the command line (``agentroute kb add``/``rm``).

The file is the one model of what is configured: the CLI writes it rather than keeping a state
of its own. tomlkit keeps the user's comments, order and formatting; the edited text must load
(``load_config``) before it replaces the file, whole (a crash leaves the old file or the new).
"""

from __future__ import annotations

from pathlib import Path

import tomlkit

from agentroute._durable import write_bytes
from agentroute.config._errors import ConfigError, setting_error
from agentroute.config._load import load_config

__all__ = ["add_knowledge", "remove_knowledge"]


def add_knowledge(path: Path, name: str, documents: list[str], description: str = "") -> None:
    """Add ``[knowledge.NAME]`` reading ``documents`` (files, directories, globs; relative to
    the file's folder, as every path in it). An existing base of that name is an error."""
    doc = _read(path)
    knowledge = doc.setdefault("knowledge", tomlkit.table(is_super_table=True))
    if name in knowledge:
        said = f"a knowledge base {name!r} is already configured (kb rm {name} removes it)"
        raise setting_error(path, ("knowledge", name), said)
    table = tomlkit.table()
    table["documents"] = [_relative(d, path.parent) for d in documents]
    if description:
        table["description"] = description
    knowledge[name] = table
    _write(path, doc)


def remove_knowledge(path: Path, name: str) -> None:
    """Remove ``[knowledge.NAME]``; the rest of the file stays as written."""
    doc = _read(path)
    knowledge = doc.get("knowledge")
    if knowledge is None or name not in knowledge:
        raise ConfigError(path, f"no knowledge base {name!r} is configured", field=name)
    del knowledge[name]
    if not knowledge:
        del doc["knowledge"]
    _write(path, doc)


def _read(path: Path) -> tomlkit.TOMLDocument:
    if not path.exists():
        return tomlkit.document()
    load_config(path)  # a file that is already broken is reported as it is, not edited
    return tomlkit.parse(path.read_text(encoding="utf-8"))


def _write(path: Path, doc: tomlkit.TOMLDocument) -> None:
    text = tomlkit.dumps(doc)
    if text.strip():  # the blank line before a removed table goes with it: add, rm = as was
        text = text.rstrip("\n") + "\n"
    trial = path.with_name(path.name + ".check.toml")
    try:
        trial.write_text(text, encoding="utf-8")
        load_config(trial)
    except ConfigError as exc:
        raise ConfigError(
            path, f"the edit would not load: {exc.message}", field=exc.field
        ) from None
    finally:
        trial.unlink(missing_ok=True)
    write_bytes(path, text.encode("utf-8"))


def _relative(entry: str, folder: Path) -> str:
    """``entry`` as the file will hold it: relative to its folder when it lies below it."""
    p = Path(entry)
    if not p.is_absolute():
        p = Path.cwd() / p
    try:
        return p.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return str(p)
