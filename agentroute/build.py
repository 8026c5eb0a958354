"""The one place an agent's parts are assembled: from ``Agent``'s arguments, or from a ``Config``.

* From ``Agent``'s arguments, when it starts: the targets (MCP servers started), the planner and
  its index, the gate. Each argument accepts several forms (a planner or a chat model; a gate or
  policy files) and each form builds differently.
* From a ``Config`` (``parts_from_config``): the expert models, knowledge bases, MCP server
  specs, case bank and expert routing that ``agentroute.toml`` describes, as ``Agent``'s keyword
  arguments (``AgentParts``); ``Agent.from_config`` and ``Agent.default`` call ``Agent(**...)``.

``Agent`` (``_agent``) keeps the lifecycle and the turn API, and imports this module; this module
never imports ``Agent``.
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeAlias, cast

from agentroute._lazy import is_chat_model
from agentroute._log import get_logger
from agentroute.config._models import Config, ExpertConfig, KnowledgeConfig
from agentroute.protocols import Gate, Planner, Target
from agentroute.types import Health, TargetDescriptor, TargetKind

if TYPE_CHECKING:  # imported where used: ``serve kb`` builds one base, not a turn
    from langchain_core.language_models.chat_models import BaseChatModel

    from agentroute._chroma_client import ChromaServer
    from agentroute._postgres import PostgresServer
    from agentroute.embeddings._base import Embedder
    from agentroute.embeddings._vector_cache import TextVectorCache
    from agentroute.knowledge import ChromaKnowledgeBase
    from agentroute.mcp import McpHub
    from agentroute.mcp._server import McpServer
    from agentroute.targets._index import TargetIndex
    from agentroute.text import Speller, UnknownNames
    from agentroute.turn._readers import ArgumentReader

__all__ = [
    "BUILTIN_MCP",
    "AgentParts",
    "ToolFollower",
    "builtin_mcp_specs",
    "case_bank",
    "case_bank_where",
    "chat_models",
    "chroma_base",
    "collect_targets",
    "expert_routing",
    "knowledge_bases",
    "make_expert",
    "make_gate",
    "make_index",
    "make_planner",
    "make_reader",
    "needs_index",
    "parts_from_config",
    "probe_health",
    "shortlist_index",
    "text_vectors",
    "text_vectors_path",
]

log = get_logger(__name__)

PlannerArg: TypeAlias = "Planner | BaseChatModel | None"
PolicyArg = Gate | str | Path | Sequence[str | Path] | None


# -- from Agent's arguments ----------------------------------------------------------------------


async def collect_targets(
    mcp: Sequence[Any], given: Sequence[Target]
) -> tuple[McpHub | None, dict[str, Target]]:
    """Start the MCP servers (in parallel) and gather every target by name; a target given
    in Python wins over a server's tool of the same name."""
    hub = None
    targets: dict[str, Target] = {}
    if mcp:
        from agentroute.mcp import McpHub

        hub = McpHub(mcp)
        await hub.start()
        targets.update((t.descriptor.name, t) for t in hub.targets())
    targets.update((t.descriptor.name, t) for t in given)
    return hub, targets


async def probe_health(targets: dict[str, Target]) -> dict[str, Health]:
    """Every target's health; a probe that raises is an unhealthy target, not an error."""
    out: dict[str, Health] = {}
    for name, target in list(targets.items()):  # a server's new tools may land meanwhile
        try:
            out[name] = await target.health()
        except Exception as exc:
            out[name] = Health(ok=False, detail=repr(exc))
    return out


def needs_index(planner: PlannerArg, targets: dict[str, Target], shortlist: int) -> bool:
    """An index is built for our planners, and for any planner when the tools overflow the
    shortlist (the planner is then shown only the retrieved ones)."""
    if planner is None or is_chat_model(planner):
        return True
    return 0 < shortlist < _tools(targets)


def make_index(
    embedder: Callable[[], Embedder], targets: dict[str, Target], cache: Path | None = None
) -> TargetIndex:
    """The index over every target; with ``cache``, texts embedded by an earlier run are read
    back from that SQLite file instead of embedded again."""
    from agentroute.embeddings._vector_cache import TextVectorCache
    from agentroute.targets._index import TargetIndex

    vectors = TextVectorCache(cache) if cache is not None else None
    try:
        index = TargetIndex(embedder(), cache=vectors)
        index.add([t.descriptor for t in targets.values()])
    finally:
        if vectors is not None:
            vectors.close()
    index.cache = None
    return index


def make_planner(
    planner: PlannerArg,
    index: TargetIndex | None,
    threshold: float | None,
    targets: dict[str, Target] | None = None,
) -> Planner:
    """The planner as given, or the semantic planner (behind an LLM planner for a chat model);
    with ``targets``, it probes their knowledge bases' content while it plans."""
    if planner is not None and not is_chat_model(planner):
        return planner
    from agentroute.planning import ContentProbe, SemanticPlanner

    assert index is not None, "our planners need the target index"
    speller = _speller(index, targets or {})
    semantic = SemanticPlanner(
        index,
        threshold=threshold,
        speller=speller,
        names=_unknown_names(index, speller),
        probe=ContentProbe.of(
            targets or {}, embed=index.embed_query, embedder_id=index.embedder.id
        ),
    )
    if not is_chat_model(planner):
        return semantic
    from agentroute.planning import LLMPlanner

    return LLMPlanner(planner, semantic)


def _speller(index: TargetIndex, targets: dict[str, Target]) -> Speller | None:
    """Misspelt words read as the targets' own (`agentroute.text.Speller`), when the embedder
    knows which words are English (MiniLM's vocabulary); else none is corrected."""
    words = getattr(index.embedder, "words", None)
    if not callable(words) or not targets:
        return None
    from agentroute.text import Speller

    known = words()
    texts = []
    for target in targets.values():
        d = target.descriptor
        texts += [re.sub(r"[._-]+", " ", d.name), d.description, *d.examples, *d.domains]
    return Speller(texts, known.__contains__)


def _unknown_names(index: TargetIndex, speller: Speller | None) -> UnknownNames | None:
    """Names no vocabulary knows (`agentroute.text.UnknownNames`), when the embedder knows
    which words are English; else no name is taken for unknown."""
    words = getattr(index.embedder, "words", None)
    if not callable(words) or speller is None:
        return None
    from agentroute.text import UnknownNames

    return UnknownNames(words(), speller.vocabulary)


def make_reader(index: TargetIndex | None, targets: dict[str, Target]) -> ArgumentReader | None:
    """Each step's query read in its target's own words (`agentroute.turn._readers`), when
    the embedder knows which words are English (MiniLM's vocabulary); else as written."""
    words = getattr(index.embedder, "words", None) if index is not None else None
    if not callable(words) or not targets:
        return None
    from agentroute.turn._readers import ArgumentReader

    return ArgumentReader(targets, words())


def make_gate(policy: PolicyArg, targets: dict[str, Target], agent: str) -> Gate:
    """No policy: the safe default (read-only calls pass, writing tools ask a human); a gate
    as given; policy files checked against the live tool schemas."""
    if policy is None:
        from agentroute.policy._safe_default import SafeDefaultGate

        return SafeDefaultGate(targets)
    if not isinstance(policy, str | Path | list | tuple):
        return cast(Gate, policy)
    from agentroute.policy import PolicyGate
    from agentroute.targets._schemas import policy_schemas

    files = [policy] if isinstance(policy, str | Path) else list(policy)
    return PolicyGate.from_files(
        [Path(f) for f in files], schemas=policy_schemas(targets), agent=agent
    )


def shortlist_index(index: TargetIndex | None, targets: dict[str, Target], shortlist: int) -> Any:
    """The index the plan node narrows with, only when the tools overflow the shortlist."""
    return index if 0 < shortlist < _tools(targets) else None


def _tools(targets: dict[str, Target]) -> int:
    return sum(t.descriptor.kind is TargetKind.TOOL for t in targets.values())


class ToolFollower:
    """Keeps an agent's targets and index in step with its MCP servers' tool lists.

    A server that was down when the agent started, one restarted with other tools, or one
    announcing ``tools/list_changed`` changes what can be routed to; without this, the agent
    would keep routing over the tools it saw at start-up. Targets given in Python keep their
    names: a server's tool never replaces one. Changes land on the agent's loop thread; readers
    on other threads (or across awaits) iterate over a ``list()`` copy of the targets.
    """

    def __init__(self, hub: McpHub, targets: dict[str, Target], index: TargetIndex | None) -> None:
        self.hub = hub
        self.targets = targets
        self.index = index
        self._lock = asyncio.Lock()
        self._pending: set[asyncio.Task[None]] = set()

    @classmethod
    def attach(
        cls, hub: McpHub | None, targets: dict[str, Target], index: TargetIndex | None
    ) -> ToolFollower | None:
        """A follower listening to every server of ``hub`` (``None`` without servers)."""
        if hub is None:
            return None
        follower = cls(hub, targets, index)
        hub.on_tools_changed(follower)
        return follower

    def __call__(self, server: McpServer) -> None:
        task = asyncio.get_running_loop().create_task(self.apply(server))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def apply(self, server: McpServer) -> None:
        from agentroute.mcp._target import McpToolTarget

        async with self._lock:  # one server's changes at a time, in order
            now = {t.name: t for t in self.hub.targets_of(server)}
            mine = {
                name
                for name, t in self.targets.items()
                if isinstance(t, McpToolTarget) and t.server is server
            }
            removed = sorted(mine - set(now))
            fresh = [
                t
                for name, t in now.items()
                if name not in self.targets
                or (name in mine and self.targets[name].descriptor != t.descriptor)
            ]
            if self.index is not None:
                for name in removed:
                    self.index.remove(name)
                if fresh:  # embedding is CPU work: off the loop that runs turns
                    await asyncio.to_thread(self.index.add, [t.descriptor for t in fresh])
            for name in removed:
                del self.targets[name]
            for target in fresh:
                self.targets[target.name] = target
            log.info(
                "agent.tools_changed",
                server=server.name,
                added=[t.name for t in fresh],
                removed=removed,
                total=len(self.targets),
            )


# -- from a Config -------------------------------------------------------------------------------

BUILTIN_MCP: dict[str, str] = {
    "calc": "agentroute_tools.calc",
    "units": "agentroute_tools.units",
}
"""The project's own MCP expert servers (module names), served in-process by the embedded
default; an ``[mcp.<name>]`` of the same name in ``agentroute.toml`` replaces one (e.g. with
``in_process = false`` to run it as a subprocess)."""


@dataclass
class AgentParts:
    """What a ``Config`` builds: ``Agent``'s keyword arguments, and what was opened for the agent
    (the case bank, the outcome store), which the agent closes with itself."""

    kwargs: dict[str, Any]
    owned: list[Any] = field(default_factory=list)

    def close(self) -> None:
        """Close what was opened (when no agent was made of the parts, e.g. a bad override)."""
        while self.owned:
            self.owned.pop().close()


def builtin_mcp_specs() -> list[Any]:
    """The built-in servers, each run in the agent's own process: no interpreter to start, no
    second import of mcp, no process to stop on exit (see ``McpServerSpec.in_process``)."""
    from agentroute.mcp import McpServerSpec

    return [McpServerSpec(name=name, module=module) for name, module in BUILTIN_MCP.items()]


def make_expert(name: str, cfg: ExpertConfig, *, source: Path | None = None) -> Target:
    """The expert ``[experts.NAME]`` configures; a model it cannot make (no key, an unknown
    provider) is ``source``'s error at that setting, not a bare ``ValueError``."""
    from agentroute.config._errors import setting_error
    from agentroute.models import ChatModelExpert, make_chat_model
    from agentroute.routing._outcomes import placeholder_description

    descriptor = TargetDescriptor(
        name=name,
        kind=TargetKind.EXPERT,
        description=cfg.description or placeholder_description(name),
        domains=cfg.domains,
        examples=cfg.examples,
        role=cfg.role,
        price_in_per_m=cfg.price_in_per_m,
        price_out_per_m=cfg.price_out_per_m,
        latency_s=cfg.latency_s,
    )
    if cfg.replay is not None:
        from agentroute.models import ReplayChatModel

        model: Any = ReplayChatModel.from_csv(cfg.replay, model=cfg.replay_model or name)
    else:
        assert cfg.model is not None
        try:
            model = make_chat_model(
                cfg.model,
                base_url=cfg.base_url,
                api_key_env=cfg.api_key_env,
                timeout_s=cfg.timeout_s,
            )
        except ValueError as exc:
            raise setting_error(source, ("experts", name, "model"), str(exc)) from None
    return ChatModelExpert(model, descriptor, timeout_s=cfg.timeout_s)


def knowledge_bases(
    config: Config, embedder: Any, vectors: TextVectorCache | None = None
) -> dict[str, Callable[[], Target]]:
    """Each knowledge base ``config`` names, as a factory that opens it: ``serve kb NAME`` opens
    only the one it serves; a configured base of a built-in's name replaces it. With
    ``vectors`` (``text_vectors()``), passages another data directory already embedded are
    read back instead of embedded again."""
    data_dir = config.agent.data_dir
    out: dict[str, Callable[[], Target]] = {}
    if config.agent.builtin_targets:
        from agentroute.knowledge import build_default_knowledge, default_graph

        out["facts"] = lambda: build_default_knowledge(data_dir / "knowledge", embedder, vectors)
        out["geography"] = lambda: default_graph(embedder)
    server = config.persistence.vector_server()
    for name, kb in config.knowledge.items():
        out.pop(name, None)  # a replaced built-in is listed where it is configured
        out[name] = partial(
            _configured_base, name, kb, data_dir, embedder, vectors, server, source=config.source
        )
    return out


def _configured_base(
    name: str,
    kb: KnowledgeConfig,
    data_dir: Path,
    embedder: Any,
    vectors: TextVectorCache | None,
    server: ChromaServer | PostgresServer | None = None,
    *,
    source: Path | None = None,
) -> Target:
    from agentroute.knowledge import GraphKnowledgeBase

    if kb.kind == "graph":
        if kb.path is None:
            from agentroute.config._errors import setting_error

            said = "a graph base needs 'path' (a triples JSON file)"
            raise setting_error(source, ("knowledge", name, "kind"), said)
        return GraphKnowledgeBase.from_file(
            name,
            kb.path,
            embedder=embedder,
            description=kb.description,
            domains=kb.domains,
            examples=kb.examples,
        )
    base = chroma_base(name, kb, data_dir, embedder, vectors, server, reembed=True)
    if kb.documents:
        from agentroute.knowledge import DocumentFileError

        try:
            report = base.ingest(kb.documents, configured_by=source)
        except DocumentFileError as exc:  # which base's documents, in the user's file
            from agentroute.config._errors import setting_error

            raise setting_error(source, ("knowledge", name, "documents"), str(exc)) from None
        if report.replaced_said is not None:
            log.warning("knowledge.shared_data_dir", kb=name, consequence=report.replaced_said)
        for unreadable in report.unreadable:  # one file never stops the agent
            log.warning(
                "knowledge.file_skipped",
                kb=name,
                file=unreadable,
                consequence="cannot read it: skipped, its passages as last ingested",
            )
    return base


def chroma_base(
    name: str,
    kb: KnowledgeConfig,
    data_dir: Path,
    embedder: Any,
    vectors: TextVectorCache | None,
    server: ChromaServer | PostgresServer | None = None,
    *,
    reembed: bool = False,
) -> ChromaKnowledgeBase:
    """The configured chromadb base ``name``, opened as it stands (``agentroute kb`` ingests it
    with a progress bar; an agent's start ingests it quietly): on ``server`` (``[persistence]``)
    unless the base names its own folder (``path``). ``reembed``: a base whose ``documents``
    were embedded by another model than its ``precision`` now names is emptied, to be ingested
    again (else opening it fails): its passages and queries are never embedded by two models.
    ``precision`` picks MiniLM's arithmetic: it applies when ``embedder`` is MiniLM, and
    another embedder (a stand-in, one of the user's) embeds the base as given."""
    from agentroute.embeddings import EmbedderMismatchError
    from agentroute.knowledge import ChromaKnowledgeBase

    embedder = _with_precision(embedder, kb.precision)
    path = kb.path or data_dir / "knowledge" / name
    on = server if kb.path is None else None
    if reembed and kb.documents:
        try:
            return _chroma_base(name, kb, path, embedder, vectors, on)
        except EmbedderMismatchError as exc:
            log.warning("knowledge.reembed", kb=name, reason=str(exc))
            ChromaKnowledgeBase.destroy(name, path, on)
    return _chroma_base(name, kb, path, embedder, vectors, on)


def _with_precision(embedder: Any, precision: str) -> Any:
    """MiniLM at ``precision`` in place of MiniLM at another; any other embedder unchanged."""
    from agentroute.embeddings import MiniLMEmbedder, int8_embedder

    if not isinstance(embedder, MiniLMEmbedder) or embedder.precision == precision:
        return embedder
    if precision == "int8":
        return int8_embedder()
    from agentroute.embeddings import default_embedder

    return default_embedder()


def _chroma_base(
    name: str,
    kb: KnowledgeConfig,
    path: Path,
    embedder: Any,
    vectors: TextVectorCache | None,
    server: ChromaServer | PostgresServer | None,
) -> ChromaKnowledgeBase:
    from agentroute.knowledge import ChromaKnowledgeBase

    return ChromaKnowledgeBase(
        name,
        path,
        embedder,
        description=kb.description,
        domains=kb.domains,
        examples=kb.examples,
        vectors=vectors,
        chunk_chars=kb.chunk_chars,
        chunk_overlap=kb.chunk_overlap,
        top_k=kb.top_k,
        min_similarity=kb.min_similarity,
        where=kb.where or None,
        server=server,
    )


def text_vectors_path() -> Path | None:
    """The user's cache of embedded texts (targets' descriptions, knowledge passages): one file
    for every data directory, so a first run in a new folder embeds only what is new."""
    from agentroute.embeddings._cache_dir import user_cache_dir

    folder = user_cache_dir()
    return folder / "text_vectors.sqlite" if folder is not None else None


@contextmanager
def text_vectors() -> Iterator[TextVectorCache | None]:
    """The user's text-vector cache, open while knowledge bases are opened and indexed (a base
    kept past it simply embeds what it adds later)."""
    from agentroute.embeddings._vector_cache import TextVectorCache

    path = text_vectors_path()
    vectors = TextVectorCache(path) if path is not None else None
    try:
        yield vectors
    finally:
        if vectors is not None:
            vectors.close()


def _routing_cache_dir() -> Path | None:
    """Where fitted routers are kept (the user cache, like embeddings), keyed by their files."""
    from agentroute.embeddings._cache_dir import user_cache_dir

    folder = user_cache_dir()
    return folder / "routing" if folder is not None else None


def expert_routing(config: Config, embedder: Any, experts: list[Target]) -> tuple[Any, Any]:
    """The model router (or, for ``kind = "cascade"``, the cascade target) and its outcome store.

    Outcomes come from the files in ``[routing] outcomes`` first, then from the store of
    outcomes this agent recorded (``Agent.feedback``), so a restart keeps what it learned."""
    from agentroute.config._errors import setting_error
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
            config=RoutingConfig(
                dollars_per_point=rc.dollars_per_point,
                explore=rc.explore,
                explore_until=rc.explore_until,
                explore_cap=rc.explore_cap,
            ),
            embedder=embedder,
            descriptors=[e.descriptor for e in experts],
            cache_dir=_routing_cache_dir() if rc.outcomes else None,
        )
    except (OutcomeFileError, FileNotFoundError) as exc:  # name the config field, not the file
        store.close()
        raise setting_error(config.source, ("routing", "outcomes"), str(exc)) from None
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


def case_bank(config: Config, embedder: Any) -> Any:
    """The configured agent's case bank: in pgvector, on the Chroma server, or in the data
    directory (``[memory] path``); ``agentroute memory`` opens the same one."""
    from agentroute.memory import CaseBank

    pg = config.persistence.postgres_server() if config.persistence.vectors == "pgvector" else None
    if pg is not None:  # shared by every process on the database: no lock to hold
        from agentroute.memory._pgvector import PgVectorCaseStore

        return CaseBank(PgVectorCaseStore(pg, embedder), embedder, agent=config.agent.name)
    return CaseBank.open(
        config.memory_folder(),
        embedder=embedder,
        agent=config.agent.name,
        server=config.persistence.chroma_server(),
    )


def _say_other_names(bank: Any, config: Config) -> None:
    """Each ``[agent] name`` recalls only its own cases: a renamed agent starts from an empty
    memory while its cases stay under the old name. Say so while the new name has none (the
    cases are never moved or deleted), with the two ways back."""
    name = config.agent.name
    try:
        names = bank.store.namespaces()
    except Exception as exc:  # a notice only: the bank's own errors surface where it is used
        log.debug("memory.names_unread", error=str(exc))
        return
    others = [n for n in names if n != name]
    if name in names or not others:
        return
    old = others[0]
    log.warning(
        "memory.other_agent_names",
        agent=name,
        not_recalled=others,
        where=case_bank_where(config),
        reason=f"[agent] name is {name!r}: the cases of {', '.join(map(repr, others))} are "
        "kept but not recalled by this name",
        use_them=f'set [agent] name = "{old}" again, or copy them: agentroute memory export '
        f"cases.jsonl -n {old} && agentroute memory import cases.jsonl -n {name}",
    )


def case_bank_where(config: Config) -> str:
    """Where ``case_bank`` keeps the cases, for messages (no user, no password)."""
    persistence = config.persistence
    if persistence.vectors == "pgvector" and (pg := persistence.postgres_server()) is not None:
        return f"pgvector at {pg.where()}"
    if (server := persistence.chroma_server()) is not None:
        return f"the Chroma server at {server.url}"
    return str(config.memory_folder())


def chat_models(config: Config) -> tuple[dict[str, Target], Any]:
    """The configured experts and the LLM planner's chat model (``None``: the semantic
    planner). A model that cannot be made is the file's error at its setting: ``serve api``
    asks before its workers start, where it would be a traceback in each."""
    from agentroute.config._errors import setting_error

    experts = {
        name: make_expert(name, cfg, source=config.source) for name, cfg in config.experts.items()
    }
    if config.planner.kind != "llm":
        return experts, None
    assert config.planner.model is not None
    if config.planner.model in experts:
        return experts, experts[config.planner.model].model  # type: ignore[attr-defined]
    from agentroute.models import make_chat_model

    try:
        return experts, make_chat_model(config.planner.model)
    except ValueError as exc:  # neither an expert's name nor a model it can make
        said = f"{exc} (or name one of [experts]: {', '.join(experts) or 'none'})"
        raise setting_error(config.source, ("planner", "model"), said) from None


def _make_data_dir(config: Config) -> None:
    """Every store lives below ``[agent] data_dir``: one that cannot be made, or is there but
    cannot be written (a read-only mount, another user's), is that setting's error (it was an
    ``OSError`` of whichever store opened first, naming no setting)."""
    folder = config.agent.data_dir
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _data_dir_error(config, "cannot create the data directory", str(exc.strerror or exc))
    if not os.access(folder, os.W_OK | os.X_OK):
        read_only = bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
        said = "read-only file system" if read_only else "permission denied"
        _data_dir_error(config, "the data directory is not writable", said)


def _data_dir_error(config: Config, what: str, reason: str) -> NoReturn:
    """``what`` went wrong with the data directory, as the error of ``[agent] data_dir``, or
    of the folder itself when the file does not set it (``--data-dir``, the default)."""
    from agentroute.config._errors import ConfigError, locate, setting_error

    folder = config.agent.data_dir
    source = config.source
    text = source.read_text(encoding="utf-8") if source and source.is_file() else ""
    if locate(text, ("agent", "data_dir")) == locate(text, ("agent",)):  # not the file's
        raise ConfigError(folder, f"{what}: {reason}")
    said = what.replace("the data directory", f"the data directory {folder}")
    raise setting_error(source, ("agent", "data_dir"), f"{said}: {reason}")


def parts_from_config(config: Config, **overrides: Any) -> AgentParts:
    """``Agent``'s keyword arguments for ``config``; ``overrides`` (``Agent``'s keywords) win.

    An overridden ``memory`` opens no case bank (it would hold the bank's lock)."""
    from agentroute.embeddings import default_embedder
    from agentroute.observability import configure_logging, configure_tracing
    from agentroute.turn._state import Budget

    configure_logging(config.logging.format, config.logging.level)
    configure_tracing(
        config.observability.otlp_endpoint, service_name=config.observability.service_name
    )
    _make_data_dir(config)
    embedder = overrides.pop("embedder", None) or default_embedder()
    experts, planner = chat_models(config)  # before any base is ingested: cheap to get wrong
    with text_vectors() as vectors:
        bases = [opened() for opened in knowledge_bases(config, embedder, vectors).values()]
    targets: list[Target] = [*experts.values(), *bases]
    builtin = builtin_mcp_specs() if config.agent.builtin_targets else []
    mcp: list[Any] = [spec for spec in builtin if spec.name not in config.mcp]
    if config.mcp:
        from agentroute.mcp import McpServerSpec

        mcp += [McpServerSpec.model_validate({"name": n, **raw}) for n, raw in config.mcp.items()]
    answer_model = planner if planner is not None and config.planner.answer_with_llm else None
    parts = AgentParts(kwargs={})
    memory = None
    if config.memory.enabled and "memory" not in overrides:
        from agentroute.memory import EmbedderMismatchError, MemoryStoreError

        try:  # the turn hands the bank its live targets (``Memory.reusable_plan``/``remember``)
            memory = case_bank(config, embedder)
            parts.owned.append(memory)
            _say_other_names(memory, config)
        except (MemoryStoreError, EmbedderMismatchError) as exc:  # e.g. another embedder's bank
            log.warning("memory.unavailable", error=str(exc), consequence="running without memory")
    router: Any = None
    outcomes: Any = None
    if len(experts) > 1:
        try:
            router, outcomes = expert_routing(config, embedder, list(experts.values()))
        except BaseException:
            parts.close()
            raise
        parts.owned.append(outcomes)
        if config.routing.kind == "cascade":
            targets = [router, *(t for t in targets if t not in experts.values())]
            router = None
    parts.kwargs = dict(
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
        threads=config.persistence.thread_store(config.agent.data_dir),
        outcomes=outcomes,
        index_cache=text_vectors_path(),
    )
    parts.kwargs.update(overrides)
    return parts
