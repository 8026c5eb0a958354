"""Files → one validated, compiled :class:`Policy` (includes, constants, scopes, checks).

The compiled records themselves (and compiling one rule) live in ``_compiled``; this module
resolves includes, ``let`` constants and ``def`` predicates (expanded into the rules that call
them, ``_predicates``), collects scoped rules and defaults, and validates everything against the
tools' schemas before compiling.

Whatever a policy file holds (bytes that are not UTF-8, include paths that cannot be opened,
include chains or fan-outs without end, conditions that defeat a check), loading ends in a
:class:`PolicyError` located at file:line:col, or a policy, in bounded time. Only a top-level
path that cannot be opened at all stays the caller's error (``OSError``; ``ValueError`` for a
NUL in it): there is no policy text to point into.
"""

from __future__ import annotations

import difflib
import fnmatch
import hashlib
import os
import stat
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO

from agentroute.policy._ast import (
    Def,
    Default,
    Include,
    Let,
    Literal,
    PolicyFile,
    Rule,
    Scope,
    Update,
)
from agentroute.policy._check import CheckContext, check_condition
from agentroute.policy._compiled import (
    CompiledRule,
    DefaultEffect,
    LoadedPolicy,
    compile_rule,
    is_glob,
    substitute_call,
)
from agentroute.policy._errors import Location, PolicySyntaxError, PolicyValidationError
from agentroute.policy._origins import DYNAMIC_CONSTANTS
from agentroute.policy._parser import parse
from agentroute.policy._predicates import PredicateError, expand_rule

__all__ = [
    "MAX_FILES",
    "MAX_FILE_BYTES",
    "MAX_INCLUDE_DEPTH",
    "MAX_TOTAL_BYTES",
    "CheckContext",
    "CompiledRule",
    "DefaultEffect",
    "LoadedPolicy",
    "compile_rule",
    "load_files",
    "load_text",
    "substitute_call",
]


MAX_FILE_BYTES = 1 << 20
"""Largest policy file read (1 MiB); the text limit of the parser, in bytes."""
MAX_TOTAL_BYTES = 4 << 20
"""Most bytes one load reads, over all its files and includes."""
MAX_FILES = 256
"""Most files one load parses (counting a file included twice twice): bounds include fan-out."""
MAX_INCLUDE_DEPTH = 32
"""Longest chain of includes (also stops cycles the path check cannot see, via hard links)."""


def _byte_location(file: str, data: bytes, offset: int) -> Location:
    """file:line:col of a byte offset, the column counted in characters as the parser does."""
    start = data.rfind(b"\n", 0, offset) + 1
    col = len(data[start:offset].decode("utf-8", "replace")) + 1
    return Location(file, data.count(b"\n", 0, offset) + 1, col)


def _open_regular(path: Path) -> BinaryIO:
    """Open for reading, refusing what is not a regular file (a FIFO would block, a device
    never end) without blocking on it first."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError("not a regular file")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _shown(path: str) -> str:
    return path if path.isprintable() and len(path) <= 200 else repr(path[:200])


class _Loader:
    def __init__(self, schemas: dict[str, dict[str, Any]] | None) -> None:
        self.schemas = schemas
        self.issues: list[tuple[Location, str]] = []
        self.consts: dict[str, Any] = {}
        self.const_at: dict[str, Location] = {}
        self.defs: dict[str, Def] = {}
        self.defaults: dict[str, tuple[Default, str]] = {}
        self.rules: list[tuple[Rule, str]] = []
        self.files: list[str] = []
        self._stack: list[str] = []
        self._depth = 0
        self._parsed = 0
        self._budget = MAX_TOTAL_BYTES
        self._digest = hashlib.sha256()

    def read(self, stream: BinaryIO, file: str) -> str:
        """A file's text: at most ``MAX_FILE_BYTES`` and what is left of the load's budget,
        strict UTF-8; a failure is a syntax error at the offending byte."""
        with stream:
            data = stream.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise PolicySyntaxError(
                f"policy file too large: more than {MAX_FILE_BYTES:,} bytes",
                _byte_location(file, data, MAX_FILE_BYTES),
            )
        if len(data) > self._budget:
            raise PolicySyntaxError(
                f"the policy and its includes are too large: more than {MAX_TOTAL_BYTES:,} bytes in all",
                _byte_location(file, data, self._budget),
            )
        self._budget -= len(data)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise PolicySyntaxError(
                f"invalid UTF-8 (byte 0x{data[exc.start]:02x}): a policy file must be UTF-8 text",
                _byte_location(file, data, exc.start),
            ) from None

    def parse(self, text: str, file: str, where: Location | None) -> PolicyFile:
        """Parse one more file of this load, within the load's file count."""
        self._parsed += 1
        if self._parsed > MAX_FILES:
            at = where or Location(file, 1, 1)
            raise PolicyValidationError(
                [*self.issues, (at, f"the policy includes more than {MAX_FILES} files in all")]
            )
        self._digest.update(len(text).to_bytes(8, "big") + text.encode("utf-8", "surrogatepass"))
        return parse(text, file)

    @property
    def version(self) -> str:
        return "sha256:" + self._digest.hexdigest()[:16]

    def add_file(self, tree: PolicyFile, path: Path | None) -> None:
        for item in tree.items:
            if isinstance(item, Include):
                self._include(item, path)
            elif isinstance(item, Let):
                if item.name in DYNAMIC_CONSTANTS:
                    self.issues.append(
                        (item.location, f"${item.name} is given by the call; it cannot be defined")
                    )
                elif item.name in self.consts:
                    self.issues.append(
                        (
                            item.location,
                            f"constant '{item.name}' already defined at {self.const_at[item.name]}",
                        )
                    )
                self.consts[item.name] = self._let_value(item)
                self.const_at[item.name] = item.location
            elif isinstance(item, Def):
                if item.name in self.defs:
                    at = self.defs[item.name].location
                    self.issues.append(
                        (item.location, f"predicate '{item.name}' already defined at {at}")
                    )
                self.defs[item.name] = item
            elif isinstance(item, Default):
                self._default(item, "file")
            elif isinstance(item, Rule):
                self.rules.append((item, "file"))
            elif isinstance(item, Scope):
                scope = f"{item.kind}:{item.name}"
                for inner in item.items:
                    if isinstance(inner, Default):
                        self._default(inner, scope)
                    else:
                        if item.kind == "server":
                            for sel in inner.selectors:
                                if not sel.startswith(item.name + "."):
                                    self.issues.append(
                                        (
                                            inner.location,
                                            f"rule selects '{sel}' inside 'scope server {item.name}': selectors there must start with '{item.name}.'",
                                        )
                                    )
                        self.rules.append((inner, scope))

    def _let_value(self, let: Let) -> Any:
        """A constant's value: its one part, or its parts joined (lists concatenated, strings
        too). ``$other`` must be defined earlier in the load."""
        values: list[Any] = []
        for part in let.parts:
            if isinstance(part, Literal):
                values.append(part.value)
            elif part.root in self.consts:
                values.append(self.consts[part.root])
            else:
                self.issues.append(
                    (part.location, f"constant ${part.root} is not defined before this 'let'")
                )
                return None
        if len(values) == 1:
            return values[0]
        if all(isinstance(v, list) for v in values):
            return [x for v in values for x in v]
        if all(isinstance(v, str) for v in values):
            return "".join(values)
        kinds = ", ".join(sorted({type(v).__name__ for v in values}))
        self.issues.append((let.location, f"'+' joins lists or strings, not a mix of {kinds}"))
        return None

    def _default(self, d: Default, scope: str) -> None:
        if scope in self.defaults:
            self.issues.append(
                (
                    d.location,
                    f"a default for {scope} is already set at {self.defaults[scope][0].location}",
                )
            )
        if d.effect == "allow" and d.fallback is not None:
            self.issues.append((d.location, "'default allow' cannot have a fallback"))
        self.defaults[scope] = (d, scope)

    def _include(self, inc: Include, path: Path | None) -> None:
        if self._depth >= MAX_INCLUDE_DEPTH:
            self.issues.append(
                (
                    inc.location,
                    f"cannot include {_shown(inc.path)}: includes nested more than {MAX_INCLUDE_DEPTH} deep",
                )
            )
            return
        try:  # a NUL, a symlink loop (RuntimeError), a FIFO, a directory, a missing file...
            base = path.parent if path is not None else Path.cwd()
            shown = Path(os.path.normpath(base / inc.path))
            target = shown.resolve()
            if str(target) in self._stack:
                self.issues.append((inc.location, f"include cycle: {_shown(inc.path)}"))
                return
            text = self.read(_open_regular(target), str(shown))
        except (OSError, ValueError, RuntimeError) as exc:
            self.issues.append((inc.location, f"cannot include {_shown(inc.path)}: {exc}"))
            return
        self._stack.append(str(target))
        self._depth += 1
        try:
            self.add_file(self.parse(text, str(shown), inc.location), shown)
        finally:
            self._stack.pop()
            self._depth -= 1
        self.files.append(str(shown))

    # --- validation --------------------------------------------------------------------
    def tools_for(self, rule: Rule) -> tuple[str, ...]:
        if self.schemas is None:
            return ()
        found: list[str] = []
        for sel in rule.selectors:
            if not is_glob(sel):
                hits = [sel] if sel in self.schemas else []
            else:
                hits = [t for t in self.schemas if fnmatch.fnmatchcase(t, sel)]
            if not hits:
                near = difflib.get_close_matches(sel, list(self.schemas), n=1, cutoff=0.75)
                said = f"; did you mean '{near[0]}'?" if near else ""
                self.issues.append(
                    (
                        rule.location,
                        f"unknown tool '{sel}': no tool of the configuration matches it{said}",
                    )
                )
            found.extend(h for h in hits if h not in found)
        return tuple(found)

    def check_rule(
        self, rule: Rule, *, update_of: tuple[str, ...] | None = None
    ) -> tuple[str, ...]:
        tools = self.tools_for(rule)
        if rule.effect == "allow" and rule.fallback is not None:
            self.issues.append(
                (rule.fallback.location, "an allow rule cannot have a fallback (nothing is denied)")
            )
        if rule.fallback is not None and rule.fallback.kind == "ask" and rule.effect != "deny":
            self.issues.append(
                (rule.fallback.location, "'fallback ask' only applies to a deny rule")
            )
        if (
            rule.fallback is not None
            and rule.fallback.kind == "stop"
            and rule.effect not in ("deny", "stop")
        ):
            self.issues.append(
                (rule.fallback.location, "'fallback stop' only applies to a deny rule")
            )
        call_schema = None
        if update_of is not None and self.schemas is not None and update_of:
            call_schema = self.schemas.get(update_of[0])
        if rule.when is not None:
            targets: list[tuple[str | None, dict[str, Any] | None]] = (
                [(t, self.schemas.get(t) or {}) for t in tools]
                if self.schemas is not None and tools
                else [(None, None)]
            )
            for tool, schema in targets:
                ctx = CheckContext(
                    tool,
                    schema,
                    self.consts,
                    call_schema=call_schema,
                    in_update=update_of is not None,
                )
                check_condition(rule.when, ctx)
                self.issues.extend(ctx.issues)
        if rule.update is not None:
            self.check_update(rule.update, tools)
        return tools

    def check_update(self, update: Update, firing_tools: tuple[str, ...]) -> None:
        for inner in update.rules:
            if inner.update is not None:
                self.issues.append(
                    (
                        inner.location,
                        "an installed rule cannot itself install rules (no nested 'then')",
                    )
                )
            if update.narrowing and inner.effect == "allow":
                self.issues.append(
                    (
                        inner.location,
                        "'then narrowing' may only install deny/ask/stop rules: an allow rule would add permissions",
                    )
                )
            self.check_rule(replace(inner, update=None), update_of=firing_tools or ())


def _dedupe(issues: list[tuple[Location, str]]) -> list[tuple[Location, str]]:
    seen: set[tuple[Location, str]] = set()
    out = []
    for i in issues:
        if i not in seen:
            seen.add(i)
            out.append(i)
    return out


def _failed(rule: Rule, stage: str, exc: Exception) -> tuple[Location, str]:
    """A rule whose check or compilation raised: an issue at the rule, never an escape.

    The parser's depth limits keep recursion far from the interpreter's limit; this is the
    backstop for a caller that left little stack, or a check that missed a case."""
    if isinstance(exc, RecursionError):
        return rule.location, f"cannot {stage} this rule: its condition is nested too deeply"
    text = f"{type(exc).__name__}: {exc}"
    return rule.location, f"cannot {stage} this rule: {text[:200]}"


def _finish(loader: _Loader) -> LoadedPolicy:
    checked: list[tuple[Rule, str, tuple[str, ...]]] = []
    for written, scope in loader.rules:
        try:
            rule = expand_rule(written, loader.defs)
        except PredicateError as exc:
            loader.issues.append((exc.where, exc.message))
            continue
        except RecursionError as exc:
            loader.issues.append(_failed(written, "expand", exc))
            continue
        try:
            checked.append((rule, scope, loader.check_rule(rule)))
        except Exception as exc:
            loader.issues.append(_failed(rule, "check", exc))
    issues = _dedupe(loader.issues)
    if issues:
        raise PolicyValidationError(issues)
    compiled: list[CompiledRule] = []
    for i, (r, s, t) in enumerate(checked):
        try:
            compiled.append(compile_rule(r, s, i, loader.consts, t))
        except Exception as exc:
            issues.append(_failed(r, "compile", exc))
    if issues:
        raise PolicyValidationError(issues)
    defaults = {
        scope: DefaultEffect(
            effect=(
                "ask"
                if d.fallback and d.fallback.kind == "ask" and d.effect == "deny"
                else "stop"
                if d.fallback and d.fallback.kind == "stop" and d.effect == "deny"
                else d.effect
            ),
            message=d.fallback.message if d.fallback else None,
            rule_id=f"{d.file}:{d.line}",
            scope=scope,
        )
        for scope, (d, _) in loader.defaults.items()
    }
    return LoadedPolicy(
        compiled, defaults, loader.consts, loader.schemas, loader.files, loader.version
    )


def load_text(
    text: str,
    schemas: dict[str, dict[str, Any]] | None = None,
    *,
    file: str = "<text>",
    base_dir: Path | None = None,
) -> LoadedPolicy:
    loader = _Loader(schemas)
    loader._budget = max(0, loader._budget - len(text))  # characters, near enough
    tree = loader.parse(text, file, None)
    anchor = (
        (base_dir / "_") if base_dir is not None else (Path(file) if file != "<text>" else None)
    )
    loader.add_file(tree, anchor)
    loader.files.insert(0, file)
    return _finish(loader)


def load_files(
    paths: list[str | Path], schemas: dict[str, dict[str, Any]] | None = None
) -> LoadedPolicy:
    loader = _Loader(schemas)
    for p in paths:
        path = Path(p)
        text = loader.read(path.open("rb"), str(p))  # OSError: the caller named no file
        loader._stack.append(str(path.resolve()))
        loader.add_file(loader.parse(text, str(p), None), path)
        loader._stack.pop()
        loader.files.append(str(p))
    return _finish(loader)
