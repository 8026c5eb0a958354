from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from typer._click.core import Command, Context  # typer carries its own click
from typer._click.formatting import HelpFormatter
from typer.core import TyperGroup

from agentroute.cli._load import ConfigOption, DataDirOption, load_agent


def _policy_app() -> typer.Typer:
    from agentroute.policy._cli import make_policy_app

    return make_policy_app(_live_schemas, _schemas_origin)


def _attribute(module: str, attr: str) -> Callable[[], typer.Typer]:
    return lambda: getattr(importlib.import_module(module), attr)


_GROUPS: dict[str, tuple[Callable[[], typer.Typer], str]] = {
    "serve": (
        _attribute("agentroute.cli._serve", "serve_app"),
        "Expose an expert, a knowledge base or the agent over MCP, or the agent as an "
        "OpenAI-compatible HTTP API.",
    ),
    "policy": (
        _policy_app,
        "Check, explain, test and format policies (against the live tool schemas).",
    ),
    "memory": (
        _attribute("agentroute.cli._memory", "memory_app"),
        "Inspect and manage the case bank.",
    ),
    "route": (_attribute("agentroute.cli._route", "route_app"), "Explain expert-model routing."),
    "kb": (
        _attribute("agentroute.cli._kb", "kb_app"),
        "Add, ingest, list and remove knowledge bases (only what changed is embedded again).",
    ),
}
"""The command groups, each imported only when named (``memory`` alone pulls chromadb, ``policy``
the policy language): ``agentroute run`` pays for none of them, ``--help`` lists them all."""


class _LazyGroups(TyperGroup):
    """The top-level command: its groups (``_GROUPS``) are built on first use; its ``--help``
    lists them by their help text alone."""

    _listing = False

    def list_commands(self, ctx: Context) -> list[str]:
        return [*super().list_commands(ctx), *(n for n in _GROUPS if n not in self.commands)]

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        if cmd_name not in self.commands and cmd_name in _GROUPS:
            if self._listing:
                return TyperGroup(name=cmd_name, help=_GROUPS[cmd_name][1])
            self.add_command(_group(cmd_name), cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


def _group(name: str) -> Command:
    load, help_text = _GROUPS[name]
    try:
        sub = load()
    except ImportError as exc:  # a partial install must still chat
        sub = typer.Typer(help=f"unavailable: {exc}")
    holder = typer.Typer()
    holder.add_typer(sub, name=name, help=help_text)
    return typer.main.get_group(holder).commands[name]


app = typer.Typer(
    name="agentroute",
    cls=_LazyGroups,
    help="Route each part of a request to the best expert model, MCP tool or knowledge base.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _print_version(wanted: bool) -> None:
    """``agentroute --version``: the installed distribution's version, then exit."""
    if wanted:
        from importlib.metadata import version

        typer.echo(f"agentroute {version('agentroute')}")
        raise typer.Exit()


@app.callback()
def _logs_to_stderr(
    _version: Annotated[
        bool,
        typer.Option(
            "--version",
            is_eager=True,
            callback=_print_version,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """Logging is set up before any command runs: unconfigured, structlog prints to stdout,
    which must carry only the command's output (``memory show … | python -m json.tool``).
    ``AGENTROUTE_LOG`` sets the level; a configuration's ``[logging]`` applies once loaded."""
    from agentroute.observability import configure_logging

    configure_logging()


_RUN_HELP = (
    "Answer one request and exit.\n\nA call that needs a human's yes is asked about on the "
    "terminal, approved by --yes, and refused when no one can answer (stdin not a terminal)."
    "\n\nExit status: 0 every part of the request was answered; 1 not answered (declined, "
    "no suitable target, a part failed or was refused, or an error); 2 a usage or "
    "configuration error."
)
"""One string per paragraph: typer keeps a docstring's line breaks in a second paragraph."""


@app.command(help=_RUN_HELP)
def run(
    question: Annotated[str, typer.Argument(help="The request.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    trace: Annotated[bool, typer.Option("--trace", help="Include the per-node trace.")] = False,
    thread: Annotated[str | None, typer.Option("--thread", help="Chat thread to continue.")] = None,
    yes: Annotated[
        bool,
        typer.Option(
            "--yes",
            "-y",
            help="Approve every call the policy (or the no-policy default) asks about.",
        ),
    ] = False,
    config: ConfigOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Answer one request and exit (the help's text is ``_RUN_HELP``)."""
    if not question.strip():  # a usage error, not a request the agent declines
        typer.echo("error: the request is empty", err=True)
        raise typer.Exit(2)
    agent = load_agent(config, data_dir, warm_spares=False)  # a spare would only idle
    try:
        result = agent.run(question, thread=thread)
        while result.pending_approval is not None:
            result = agent.resume(result.thread, _approve(result.pending_approval, yes))
    finally:
        agent.close()
    if as_json:
        exclude = None if trace else {"trace"}
        typer.echo(json.dumps(result.model_dump(mode="json", exclude=exclude), indent=2))
    else:
        from agentroute.cli._render import print_result

        print_result(result, show_trace=trace)
    if not result.ok:  # a script tells a declined or partial answer by the status alone
        raise typer.Exit(1)


def _approve(pending: dict[str, Any], yes: bool) -> bool:
    """A human's answer to a pending ``ask``: ``--yes``, else the terminal's, else no. The
    question and any refusal go to stderr: stdout carries only the answer."""
    from agentroute.cli._render import describe_approval

    err = typer.get_text_stream("stderr")
    for line in describe_approval(pending):
        typer.echo(line, err=True)
    if yes:
        typer.echo("approved (--yes)", err=True)
        return True
    if sys.stdin.isatty():
        return typer.confirm("allow?", default=False, err=True)
    err.write("refused: no terminal to ask (approve with --yes, or run it in `agentroute chat`)\n")
    return False


@app.command()
def chat(
    thread: Annotated[str | None, typer.Option("--thread", help="Resume this thread.")] = None,
    config: ConfigOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Chat interactively; every route, policy decision and cost is shown as it happens."""
    from agentroute.cli._chat import run_chat
    from agentroute.cli._load import load_settings

    run_chat(
        lambda: load_agent(config, data_dir),
        thread=thread,
        data_dir=load_settings(config, data_dir).agent.data_dir,  # the agent's, with a file too
    )


@app.command()
def targets(
    config: ConfigOption = None,
    data_dir: DataDirOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    find: Annotated[
        str | None,
        typer.Option(help="Rank the targets for this request, as the planner's shortlist does."),
    ] = None,
    k: Annotated[int, typer.Option("-k", min=1, help="How many to show with --find.")] = 10,
) -> None:
    """List what the configuration exposes, with health (or, with --find, what fits a request)."""
    from agentroute.cli._render import print_found, print_targets, target_listing

    if find is not None and not find.strip():  # as run's: nothing to rank the targets for
        typer.echo("error: the request to --find is empty", err=True)
        raise typer.Exit(2)
    agent = load_agent(config, data_dir, warm_spares=False)  # one look, then exit
    try:
        if find is not None:
            hits = agent.find_targets(find, k=k)
        else:
            descriptors, health, idle = target_listing(agent)
    finally:
        agent.close()
    if find is not None:
        if as_json:
            found = [
                {
                    "name": h.descriptor.name,
                    "kind": h.descriptor.kind.value,
                    "score": round(h.score, 4),
                    "rank_score": round(h.rank_score, 4),
                    "matched": h.best_text,
                }
                for h in hits
            ]
            typer.echo(json.dumps(found, indent=2))
        else:
            print_found(find, hits)
    elif as_json:
        rows = [
            {
                **d.model_dump(mode="json", exclude={"input_schema"}),
                "healthy": health[d.name].ok if health[d.name].checked else None,
                "health": health[d.name].detail,
            }
            for d in descriptors
        ]
        rows += [  # a server without tools (down since start-up) is listed as itself
            {"name": n, "kind": "mcp_server", "healthy": h.ok, "health": h.detail}
            for n, h in idle.items()
        ]
        typer.echo(json.dumps(rows, indent=2))
    else:
        print_targets(descriptors, health, idle)


def _live_schemas(config: Path | None) -> dict[str, dict[str, Any]] | None:
    """The tool schemas the configured servers report now (policies are checked against them);
    ``None`` when the configuration is broken: a policy file is still checked on its own, with
    the file's error said (it stopped ``policy check`` though the policy needs no agent).
    ``config`` is ``--config``; without it, the file found in . or a parent."""
    from agentroute._agent import Agent
    from agentroute.config import ConfigError, find_config
    from agentroute.targets._schemas import policy_schemas

    path = config or find_config()
    lean: dict[str, Any] = {"policy": None, "warm_spares": False, "memory": None}  # no bank
    try:  # one look, then exit
        if path is None:
            agent = Agent.default(Path(".agentroute"), **lean)
        else:
            agent = Agent.from_config(path, **lean)
    except ConfigError as exc:
        typer.echo(
            f"warning: no tool schemas: {exc}; the policy is checked without them (syntax and "
            "literals only): fix the file, or give --schemas FILE",
            err=True,
        )
        return None
    try:
        agent.start()
        assert agent._runtime is not None
        return policy_schemas(agent._runtime.targets)
    finally:
        agent.close()


def _schemas_origin(config: Path | None) -> str:
    """What ``_live_schemas`` read, as the policy commands' hint names it."""
    from agentroute.config import find_config

    path = config or find_config()
    if path is None:
        return "the embedded default configuration (no agentroute.toml here or in a parent)"
    return str(path)


def _server_setting(exc: Exception) -> Exception | None:
    """A configured server (Chroma, Postgres) that could not serve the command, said as the
    file's error at the line that names it (``ConfigError``); ``None`` for anything else. A
    server lost mid-turn fails that step instead: what reaches here stopped the command."""
    from agentroute._chroma_client import ChromaServerError
    from agentroute._postgres import PostgresError
    from agentroute.cli._load import config_read
    from agentroute.config._errors import setting_error

    path = config_read()
    if not isinstance(exc, (ChromaServerError, PostgresError)) or path is None:
        return None
    return setting_error(path, exc.setting, str(exc))


def main() -> None:
    """Errors become one clear line on stderr (``AGENTROUTE_DEBUG=1`` shows the traceback).
    The process is the command's own, so its exit skips the final heap collection."""
    import os

    from agentroute._runtime import pause_collection, skip_final_collection
    from agentroute.config._errors import ConfigError

    pause_collection()  # until the agent has started (or, with none, to the exit)
    skip_final_collection()

    try:
        app()
    except ConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:  # ``agentroute ... | head``: the reader has seen enough
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # the exit's flush must not fail again
        sys.exit(1)
    except Exception as exc:
        if os.environ.get("AGENTROUTE_DEBUG"):
            raise
        from agentroute.policy._errors import PolicyError  # only now: run imports no policy

        if isinstance(exc, PolicyError):  # a file to fix, at its line: as a config error
            typer.echo(f"error: {exc}", err=True)
            sys.exit(2)
        server = _server_setting(exc)
        if server is not None:
            typer.echo(f"error: {server}", err=True)
            sys.exit(2)
        typer.echo(f"error: {type(exc).__name__}: {exc}", err=True)
        sys.exit(1)
