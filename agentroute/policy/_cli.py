"""``agentroute policy ...``: check, explain, test, fmt, and Progent import/export.

The lead mounts :data:`policy_app` (or one built by :func:`make_policy_app` with a callback that
returns the configuration's live tool schemas) under the main CLI. Standalone, ``--schemas
file.json`` (``{"server.tool": <JSON schema>}``) gives the schemas.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from agentroute.policy._errors import PolicyError, PolicyValidationError
from agentroute.policy._fmt import format_policy
from agentroute.policy._gate import PolicyGate
from agentroute.policy._load import _byte_location
from agentroute.policy._parser import parse
from agentroute.policy._policy import Policy
from agentroute.policy._progent import export_progent, import_progent
from agentroute.types import TargetKind, ToolCall

__all__ = ["make_policy_app", "parse_call", "policy_app", "unknown_tool_hint"]

SchemasProvider = Callable[[Path | None], dict[str, dict[str, Any]] | None]
"""The live tool schemas of the configuration at ``--config`` (``None``: the one found)."""
SchemasOrigin = Callable[[Path | None], str]
"""Where the live schemas come from, for messages (e.g. the path of agentroute.toml)."""

_SchemasOpt = Annotated[
    Path | None, typer.Option("--schemas", help='JSON file: {"server.tool": <input JSON schema>}')
]
_ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        help="agentroute.toml whose servers' tool schemas the policy is checked against "
        "(default: found in . or a parent; else the embedded default)",
    ),
]


def parse_call(text: str) -> tuple[str, dict[str, Any]]:
    """``'server.tool {"arg": 1}'`` → ``("server.tool", {"arg": 1})``."""
    text = text.strip()
    name, _, rest = text.partition(" ")
    args = json.loads(rest) if rest.strip() else {}
    if not isinstance(args, dict):
        raise ValueError("the arguments must be a JSON object")
    return name, args


def _to_call(
    name: str,
    args: dict[str, Any],
    kind: str,
    step: str = "cli",
    origins: dict[str, list[str]] | None = None,
    request: str | None = None,
) -> ToolCall:
    tk = TargetKind(kind)
    query = str(args.get("query", "")) if tk != TargetKind.TOOL else ""
    rest = {k: v for k, v in args.items() if not (tk != TargetKind.TOOL and k == "query")}
    if tk != TargetKind.TOOL:
        for prefix in ("expert.", "kb."):
            if name.startswith(prefix):
                name = name[len(prefix) :]
    return ToolCall(
        step_id=step,
        target=name,
        kind=tk,
        args=rest,
        query=query,
        origins=origins,
        request=request,
    )


def _origins(given: list[str] | dict[str, Any] | None) -> dict[str, list[str]] | None:
    """``["recipient=tool:slack.read_channel", "body=user"]`` (the CLI) or ``{"recipient":
    "tool", "body": ["user"]}`` (a case) as labels per argument; ``None`` when none given."""
    if not given:
        return None
    pairs = given.items() if isinstance(given, dict) else (g.split("=", 1) for g in given)
    out: dict[str, list[str]] = {}
    for pair in pairs:
        if len(pair) != 2 or not pair[0]:
            raise typer.BadParameter(f"expected ARG=LABEL, got {'='.join(pair)!r}")
        arg, labels = pair
        out.setdefault(str(arg), []).extend([labels] if isinstance(labels, str) else labels)
    return out


def unknown_tool_hint(
    schemas: dict[str, dict[str, Any]] | None, schemas_file: Path | None, origin: str
) -> str:
    """How to check a policy against tools the schemas lack: "unknown tool" alone left a new
    user guessing where the tools are supposed to come from."""
    known = sorted(schemas or {})
    names = ", ".join(known[:8]) + (", ..." if len(known) > 8 else "") if known else "none"
    if schemas_file is not None:
        return (
            f"hint: with --schemas, policies are checked against the tools of {schemas_file}: "
            f"{names}. Give a file that has the tool, or leave --schemas out to check against "
            "the configured tools."
        )
    return (
        f"hint: without --schemas, policies are checked against the tools of {origin}: "
        f"{names}. To check against other tools, add their MCP server to agentroute.toml "
        "(a [mcp.<server>] table with command and args, or url) and run from its folder, or "
        'give their schemas: --schemas FILE, a JSON object {"server.tool": <input JSON '
        "schema>} (or the tools a server lists)."
    )


def make_policy_app(
    schemas_provider: SchemasProvider | None = None,
    schemas_origin: SchemasOrigin | None = None,
) -> typer.Typer:
    """Build the sub-app; ``schemas_provider`` supplies live tool schemas when no file is given
    (``schemas_origin`` says where they come from, for the "unknown tool" hint)."""
    app = typer.Typer(
        help="Check, explain, test and format privilege policies.", no_args_is_help=True
    )
    console = Console(width=200)

    def schemas_from(
        path: Path | None, config: Path | None = None
    ) -> dict[str, dict[str, Any]] | None:
        if path is not None:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if isinstance(data, list):  # list_tools-like: [{"name":..., "inputSchema":...}]
                    data = {
                        d["name"]: d.get("inputSchema") or d.get("input_schema") or {} for d in data
                    }
                return dict(data)
            except json.JSONDecodeError as exc:  # said naming no file: 'JSONDecodeError: ...'
                why = f"{path}:{exc.lineno}: invalid JSON: {exc.msg}"
            except (OSError, UnicodeDecodeError, KeyError, TypeError, ValueError) as exc:
                why = f"{path}: {exc}"
            typer.echo(
                f'error: --schemas {why}; expected {{"server.tool": <input JSON schema>}} '
                'or a list of {"name", "inputSchema"}',
                err=True,
            )
            raise typer.Exit(2)
        return schemas_provider(config) if schemas_provider is not None else None

    def load(
        files: list[Path],
        schemas: dict[str, dict[str, Any]] | None,
        schemas_file: Path | None,
        config: Path | None = None,
    ) -> Policy:
        try:
            return Policy.from_files(files, schemas)
        except PolicyError as exc:
            typer.echo(str(exc), err=True)
            if isinstance(exc, PolicyValidationError) and any(
                msg.startswith("unknown tool ") for _, msg in exc.issues
            ):
                origin = (
                    schemas_origin(config) if schemas_origin is not None else "the configuration"
                )
                typer.echo(unknown_tool_hint(schemas, schemas_file, origin), err=True)
            raise typer.Exit(1) from None
        except OSError as exc:  # 'error: [Errno 2] No such file ...' read as Python's, not ours
            said = f"{exc.filename}: {exc.strerror}" if exc.filename else str(exc)
            typer.echo(f"error: {said}", err=True)
            raise typer.Exit(2) from None

    @app.command()
    def check(
        files: Annotated[list[Path], typer.Argument(help="policy files")],
        schemas: _SchemasOpt = None,
        config: _ConfigOpt = None,
    ) -> None:
        """Parse and validate against the tool schemas; exit 1 with file:line:col messages."""
        s = schemas_from(schemas, config)
        policy = load(files, s, schemas, config)
        against = (
            f"{len(s)} tool schemas"
            if s is not None
            else "no tool schemas (syntax and types of literals only)"
        )
        typer.echo(
            f"ok: {len(policy.rules)} rules in {len(policy.files)} file(s), checked against "
            f"{against}; version {policy.version}"
        )

    @app.command()
    def lint(
        files: Annotated[list[Path], typer.Argument(help="policy files")],
        schemas: _SchemasOpt = None,
        agent: Annotated[str | None, typer.Option(help="agent the gate is bound to")] = None,
        config: _ConfigOpt = None,
    ) -> None:
        """Find rules that never decide, duplicates and ties; exit 1 when there is any.

        A tie: rules of equal priority that only the tie rule settles."""
        from agentroute.policy._lint import lint_policy

        policy = load(files, schemas_from(schemas, config), schemas, config)
        findings = lint_policy(policy, agent)
        for finding in findings:
            typer.echo(str(finding))
        if findings:
            raise typer.Exit(1)
        typer.echo(f"ok: {len(policy.rules)} rules, nothing to report")

    @app.command()
    def explain(
        file: Annotated[Path, typer.Argument(help="The policy file.")],
        call: Annotated[str, typer.Option("--call", help="'server.tool {\"arg\": ...}'")],
        schemas: _SchemasOpt = None,
        kind: Annotated[str, typer.Option(help="tool | expert | knowledge")] = "tool",
        agent: Annotated[str | None, typer.Option(help="agent the gate is bound to")] = None,
        origin: Annotated[
            list[str] | None,
            typer.Option(
                "--from",
                help="where an argument came from, ARG=LABEL (user, tool:<target>, ...); repeat",
            ),
        ] = None,
        request: Annotated[
            str | None,
            typer.Option("--request", help="the user's request the call serves ($request)"),
        ] = None,
        config: _ConfigOpt = None,
    ) -> None:
        """Show the deciding rule for one call, and the rules it was checked against."""
        policy = load([file], schemas_from(schemas, config), schemas, config)
        name, args = parse_call(call)
        gate = PolicyGate(policy, agent=agent, log_decisions=False)
        tc = _to_call(name, args, kind, origins=_origins(origin), request=request)
        decision = gate.check(tc, session="explain")
        from agentroute.policy._gate import call_key

        key, _ = call_key(tc)
        typer.echo(f"{decision.effect.upper()}  {key}  rule={decision.rule or '-'}")
        typer.echo(f"reason: {decision.reason}")
        typer.echo(f"policy: {decision.policy_version}")
        if tc.origins:
            shown = "; ".join(f"{a} from {', '.join(ls)}" for a, ls in tc.origins.items())
            typer.echo(f"provenance: {shown}")
        if decision.fallback:
            typer.echo(f"planner sees: {decision.fallback}")
        if decision.updates:
            typer.echo("installs: " + "; ".join(decision.updates))
        table = Table(title=f"rules for {key}, in evaluation order")
        for col in ("#", "rule", "priority", "effect", "source"):
            table.add_column(col)
        for i, r in enumerate(policy.rules_for(key, agent), 1):
            table.add_row(str(i), r.id, str(r.priority), r.effect, r.source)
        console.print(table)

    @app.command()
    def test(
        file: Annotated[Path, typer.Argument(help="The policy file.")],
        cases: Annotated[
            Path, typer.Argument(help="JSONL, one call a line with the decision it should get.")
        ],
        schemas: _SchemasOpt = None,
        agent: Annotated[str | None, typer.Option(help="agent the gate is bound to")] = None,
        config: _ConfigOpt = None,
    ) -> None:
        """Replay CASES.jsonl in order: each call's decision against the one expected.

        A line: {"call": "server.tool", "args": {...}, "expect": "allow"};
        "from": {"arg": "tool:<target>"} sets provenance, "request": "..." $request."""
        policy = load([file], schemas_from(schemas, config), schemas, config)
        gate = PolicyGate(policy, agent=agent, log_decisions=False)
        table = Table(title=f"{cases}")
        for col in ("#", "call", "expected", "actual", "rule", "ok"):
            table.add_column(col)
        failures = 0
        for n, line in enumerate(cases.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("//"):
                continue
            case = json.loads(line)
            name = case.get("call") or case.get("target")
            args = case.get("args") or {}
            if " " in str(name):
                name, args = parse_call(str(name))
            expected = case.get("expect") or case.get("expected")
            tc = _to_call(
                str(name),
                args,
                case.get("kind", "tool"),
                step=f"case{n}",
                origins=_origins(case.get("from")),
                request=case.get("request"),
            )
            session = str(case.get("session", "test"))
            decision = gate.check(tc, session=session)
            if decision.effect == "ask" and "approve" in case:
                gate.resolve_ask(tc, bool(case["approve"]), session=session)
            ok = decision.effect == expected
            failures += not ok
            table.add_row(
                str(n),
                f"{name} {json.dumps(args)[:60]}",
                str(expected),
                decision.effect,
                decision.rule or "default",
                "✓" if ok else "✗ MISMATCH",
            )
        console.print(table)
        if failures:
            typer.echo(f"{failures} case(s) did not match", err=True)
            raise typer.Exit(1)

    @app.command()
    def fmt(
        files: Annotated[list[Path], typer.Argument(help="policy files")],
        check: Annotated[bool, typer.Option("--check", help="exit 1 if not formatted")] = False,
    ) -> None:
        """Rewrite files in canonical form (comments are not kept)."""
        changed = 0
        for f in files:
            data = f.read_bytes()
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:  # the loader's message, at the offending byte
                where = _byte_location(str(f), data, exc.start)
                typer.echo(f"{where}: invalid UTF-8: a policy file must be UTF-8 text", err=True)
                raise typer.Exit(1) from None
            try:
                out = format_policy(parse(text, str(f)))
            except PolicyError as exc:
                typer.echo(str(exc), err=True)
                raise typer.Exit(1) from None
            if out != text:
                changed += 1
                if check:
                    typer.echo(f"would reformat {f}", err=True)
                else:
                    f.write_text(out, encoding="utf-8")
                    typer.echo(f"formatted {f}")
        if check and changed:
            raise typer.Exit(1)

    @app.command("import-progent")
    def import_cmd(
        file: Annotated[Path, typer.Argument(help="A Progent JSON policy.")],
        schemas: _SchemasOpt = None,
        server: Annotated[
            str | None, typer.Option(help="prefix tool names with this MCP server")
        ] = None,
    ) -> None:
        """Convert a Progent JSON policy to the DSL (stdout); differences go to stderr."""
        report = import_progent(
            file.read_text(encoding="utf-8"), schemas_from(schemas), server=server
        )
        typer.echo(report.text, nl=False)
        for d in report.differences:
            typer.echo(f"difference: {d}", err=True)

    @app.command("export-progent")
    def export_cmd(
        file: Annotated[Path, typer.Argument(help="The policy file.")],
        schemas: _SchemasOpt = None,
    ) -> None:
        """Convert a policy to Progent's JSON form (stdout); what cannot be exported goes to stderr."""
        data, notes = export_progent(load([file], schemas_from(schemas), schemas))
        typer.echo(json.dumps(data, indent=2))
        for n in notes:
            typer.echo(f"not exported: {n}", err=True)

    return app


policy_app = make_policy_app()

if __name__ == "__main__":  # pragma: no cover
    policy_app()
