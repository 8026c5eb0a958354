"""``agentroute serve``: expose an expert, a knowledge base or the whole agent over MCP, or the
agent as an OpenAI-compatible HTTP API."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from agentroute.cli._load import ConfigOption, DataDirOption, load_agent, load_settings

serve_app = typer.Typer(no_args_is_help=True)

Transport = Annotated[str, typer.Option("--transport", "-t", help="stdio or http")]
Port = Annotated[int, typer.Option("--port", help="HTTP port (with --transport http)")]
Name = Annotated[str, typer.Argument(help="As configured (agentroute targets lists them).")]


def _serve(targets: list[Any], name: str, transport: str, port: int) -> None:
    from agentroute.mcp import build_target_server, run_server

    if transport not in ("stdio", "http"):
        typer.echo(f"error: --transport must be stdio or http, not {transport!r}", err=True)
        raise typer.Exit(2)

    server = build_target_server(targets, name)
    run_server(server, transport=transport, port=port)  # type: ignore[arg-type]


def _pick(agent: Any, name: str, kind: str) -> Any:
    agent.start()
    found = agent._runtime.targets.get(name)
    if found is None or found.descriptor.kind.value != kind:
        names = [d.name for d in agent.targets() if d.kind.value == kind]
        typer.echo(f"error: no {kind} named {name!r}; configured: {names}", err=True)
        raise typer.Exit(2)
    return found


@serve_app.command("expert")
def serve_expert(
    name: Name,
    transport: Transport = "stdio",
    port: Port = 8765,
    config: ConfigOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Serve the configured expert model NAME as an MCP tool."""
    settings = load_settings(config, data_dir)
    if name in settings.experts:  # one model: no agent, no tool servers, no knowledge
        from agentroute.build import make_expert

        expert = make_expert(name, settings.experts[name], source=settings.source)
        _serve([expert], name, transport, port)
        return
    # an expert the agent makes (a cascade), or an error naming them
    agent = load_agent(config, data_dir)
    _serve([_pick(agent, name, "expert")], name, transport, port)


@serve_app.command("kb")
def serve_kb(
    name: Name,
    transport: Transport = "stdio",
    port: Port = 8765,
    config: ConfigOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Serve the knowledge base NAME as an MCP tool."""
    from agentroute.build import knowledge_bases, text_vectors
    from agentroute.embeddings import default_embedder

    settings = load_settings(config, data_dir)
    with text_vectors() as vectors:
        bases = knowledge_bases(settings, default_embedder(), vectors)
        if name not in bases:
            typer.echo(f"error: no knowledge named {name!r}; configured: {list(bases)}", err=True)
            raise typer.Exit(2)
        base = bases[name]()  # the one served is the one opened
    _serve([base], name, transport, port)


@serve_app.command("agent")
def serve_agent(
    name: Annotated[
        str, typer.Option("--name", help="The tool's name another router sees.")
    ] = "agentroute",
    transport: Transport = "stdio",
    port: Port = 8765,
    config: ConfigOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Serve the whole agent as one MCP tool, so another router can use it."""
    agent = load_agent(config, data_dir)

    class _AgentTool:
        description = agent_description(name, agent.targets())

        async def ask(self, query: str) -> str:
            result = await agent.arun(query)
            while result.pending_approval is not None:  # no human on this side to say yes
                result = await agent.aresume(result.thread, False)
            return result.answer

    _serve([_AgentTool()], name, transport, port)


@serve_app.command("api")
def serve_api(
    host: Annotated[str, typer.Option("--host", help="address to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port")] = 8700,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="worker processes")] = 1,
    token_env: Annotated[
        str | None,
        typer.Option("--token-env", help="the environment variable holding the bearer token"),
    ] = None,
    memory: Annotated[
        bool | None,
        typer.Option(
            "--memory/--no-memory",
            help="open the case bank in every worker (default: as \\[memory] enabled says)",
        ),
    ] = None,
    thread_wait_s: Annotated[
        float, typer.Option("--thread-wait", help="seconds a request waits for a busy thread")
    ] = 300.0,
    config: ConfigOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Serve the agent as an OpenAI-compatible API: POST /v1/chat/completions, GET /v1/models."""
    from agentroute.api import ApiSettings
    from agentroute.api import serve_api as run_api

    settings = load_settings(config, data_dir)  # a bad file fails here once, not in every worker
    if settings.experts or settings.planner.kind == "llm":  # and so does a model it cannot make
        from agentroute.build import chat_models

        chat_models(settings)
    if memory is None:  # the workers share one case bank (any number of processes can)
        memory = settings.memory.enabled
    api = ApiSettings(
        config=str(config) if config else None,
        data_dir=str(settings.agent.data_dir),
        token_env=token_env,
        memory=memory,
        thread_wait_s=thread_wait_s,
        workers=workers,
    )
    try:
        run_api(api, host=host, port=port)
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


def agent_description(name: str, targets: list[Any], limit: int = 40) -> str:
    """A served agent as the union of its targets: what each answers, as examples (another
    agentroute finds it by each of them, not by one sentence about routing)."""
    lines: list[str] = []
    for d in targets:
        said = d.examples[:3] or [d.description.split(". ")[0].strip() or d.name]
        lines += [s for s in said if s and s not in lines]
    head = f"The agentroute agent {name}: routes a request to its experts, tools and knowledge."
    return head + "\n\nExamples:\n" + "\n".join(f"- {s}" for s in lines[:limit])
