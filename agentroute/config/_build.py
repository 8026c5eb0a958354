"""Turn a validated ``Config`` into a running ``Agent``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import structlog

from agentroute._agent import Agent
from agentroute._records import TargetKind
from agentroute.config._models import Config, ExpertConfig
from agentroute.targets._base import Target, TargetDescriptor
from agentroute.turn._state import Budget

log = structlog.get_logger(__name__)

__all__ = ["BUILTIN_MCP", "agent_from_config", "builtin_mcp_specs", "make_expert"]

BUILTIN_MCP: dict[str, str] = {
    "calc": "agentroute_tools.calc",
    "units": "agentroute_tools.units",
}
"""The project's own MCP expert servers, spawned over stdio by the embedded default."""


def builtin_mcp_specs() -> list[Any]:
    from agentroute.mcp import McpServerSpec

    return [
        McpServerSpec(name=name, command=sys.executable, args=["-m", module], warm_spare=True)
        for name, module in BUILTIN_MCP.items()
    ]


def make_expert(name: str, cfg: ExpertConfig) -> Target:
    from agentroute.models import ChatModelExpert, make_chat_model

    descriptor = TargetDescriptor(
        name=name,
        kind=TargetKind.EXPERT,
        description=cfg.description or f"expert model {name}",
        domains=cfg.domains,
        examples=cfg.examples,
        price_in_per_m=cfg.price_in_per_m,
        price_out_per_m=cfg.price_out_per_m,
        latency_s=cfg.latency_s,
    )
    if cfg.replay is not None:
        from agentroute.models import ReplayChatModel

        model: Any = ReplayChatModel.from_csv(cfg.replay, model=cfg.replay_model or name)
    else:
        assert cfg.model is not None
        model = make_chat_model(
            cfg.model, base_url=cfg.base_url, api_key_env=cfg.api_key_env, timeout_s=cfg.timeout_s
        )
    return ChatModelExpert(model, descriptor)


def _knowledge(config: Config, embedder: Any) -> list[Target]:
    from agentroute.knowledge import ChromaKnowledgeBase, GraphKnowledgeBase

    out: list[Target] = []
    data_dir = config.agent.data_dir
    if config.agent.builtin_targets:
        from agentroute.knowledge import build_default_knowledge, default_graph

        out.append(build_default_knowledge(data_dir / "knowledge", embedder))
        out.append(default_graph(embedder))
    for name, kb in config.knowledge.items():
        if kb.kind == "graph":
            if kb.path is None:
                raise ValueError(
                    f"knowledge.{name}: a graph base needs 'path' (a triples JSON file)"
                )
            out.append(
                GraphKnowledgeBase.from_file(
                    name,
                    kb.path,
                    embedder=embedder,
                    description=kb.description,
                    domains=kb.domains,
                    examples=kb.examples,
                )
            )
        else:
            base = ChromaKnowledgeBase(
                name,
                kb.path or data_dir / "knowledge" / name,
                embedder,
                description=kb.description,
                domains=kb.domains,
                examples=kb.examples,
            )
            if kb.documents:
                base.index_files(kb.documents)
            out.append(base)
    return out


def _expert_routing(config: Config, embedder: Any, experts: list[Target]) -> tuple[Any, Any]:
    """The model router (or, for ``kind = "cascade"``, the cascade target) and its outcome store.

    Outcomes come from the files in ``[routing] outcomes`` first, then from the store of
    outcomes this agent recorded (``Agent.feedback``), so a restart keeps what it learned."""
    from agentroute.config._errors import ConfigError, locate
    from agentroute.routing import (
        CascadeExpert,
        CascadeRouter,
        OutcomeStore,
        RoutingConfig,
        default_router,
    )
    from agentroute.routing._default import learn_stored
    from agentroute.routing._table import OutcomeFileError

    rc = config.routing
    config.agent.data_dir.mkdir(parents=True, exist_ok=True)
    store = OutcomeStore(config.agent.data_dir / "outcomes.sqlite")
    kind = "graph" if rc.kind == "cascade" else rc.kind
    try:
        router = default_router(
            rc.outcomes or store,
            kind=kind,
            config=RoutingConfig(dollars_per_point=rc.dollars_per_point),
            embedder=embedder,
            descriptors=[e.descriptor for e in experts],
        )
    except OutcomeFileError as exc:  # name the config field, not just the outcome file
        source = config.source or Path("agentroute.toml")
        text = source.read_text(encoding="utf-8") if source.is_file() else ""
        line = locate(text, ("routing", "outcomes"))
        raise ConfigError(source, str(exc), line=line, field="routing.outcomes") from None
    if rc.outcomes:  # the files warmed it; what this agent learned since comes on top
        learn_stored(router, store)
    if rc.kind != "cascade":
        return router, store
    cascade = CascadeRouter(
        router,
        width=rc.cascade_width,
        cost_fraction=rc.cascade_cost_fraction,
        threshold=rc.cascade_threshold,
    )
    return CascadeExpert(cascade, experts), store


def agent_from_config(config: Config, **overrides: Any) -> Agent:
    from agentroute.embeddings import default_embedder
    from agentroute.observability import configure_logging

    configure_logging(config.logging.format, config.logging.level)
    embedder = overrides.pop("embedder", None) or default_embedder()
    experts = {name: make_expert(name, cfg) for name, cfg in config.experts.items()}
    targets: list[Target] = [*experts.values(), *_knowledge(config, embedder)]
    mcp: list[Any] = builtin_mcp_specs() if config.agent.builtin_targets else []
    if config.mcp:
        from agentroute.mcp import McpServerSpec

        mcp += [McpServerSpec.model_validate({"name": n, **raw}) for n, raw in config.mcp.items()]
    planner: Any = None
    answer_model = None
    if config.planner.kind == "llm":
        assert config.planner.model is not None
        if config.planner.model in experts:
            planner = experts[config.planner.model].model  # type: ignore[attr-defined]
        else:
            from agentroute.models import make_chat_model

            planner = make_chat_model(config.planner.model)
        answer_model = planner if config.planner.answer_with_llm else None
    live: dict[str, Agent] = {}
    owned: list[Any] = []
    memory = None
    if config.memory.enabled and "memory" not in overrides:  # else it would hold the lock
        from agentroute.memory import CaseBank, EmbedderMismatchError, MemoryStoreError

        try:
            memory = CaseBank.open(
                config.memory.path or config.agent.data_dir / "memory",
                embedder=embedder,
                targets=lambda: live["agent"].target_descriptions() if live else {},
                agent=config.agent.name,
            )
            owned.append(memory)
        except (MemoryStoreError, EmbedderMismatchError) as exc:  # e.g. another process holds it
            log.warning("memory.unavailable", error=str(exc), consequence="running without memory")
    router: Any = None
    outcomes: Any = None
    if len(experts) > 1:
        router, outcomes = _expert_routing(config, embedder, list(experts.values()))
        owned.append(outcomes)
        if config.routing.kind == "cascade":
            targets = [router, *(t for t in targets if t not in experts.values())]
            router = None
    kwargs: dict[str, Any] = dict(
        name=config.agent.name,
        targets=targets,
        mcp=mcp,
        planner=planner,
        policy=[Path(p) for p in config.policy.files] or None,
        memory=memory,
        model_router=router,
        answer_model=answer_model,
        embedder=embedder,
        budget=Budget(config.budget.per_turn_usd, config.budget.per_session_usd),
        max_rounds=config.agent.max_rounds,
        step_timeout_s=config.agent.step_timeout_s,
        threshold=config.planner.threshold,
        threads=config.agent.data_dir / "threads.sqlite",
        outcomes=outcomes,
        index_cache=config.agent.data_dir / "index_vectors.sqlite",
    )
    kwargs.update(overrides)
    try:
        agent = Agent(**kwargs)
    except BaseException:  # a bad override: the bank's lock must not outlive the failure
        for resource in owned:
            resource.close()
        raise
    agent._owned.extend(owned)
    live["agent"] = agent
    return agent
