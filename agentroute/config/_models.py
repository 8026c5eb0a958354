"""``agentroute.toml``, as pydantic models. Everything here can also be built from Python."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from agentroute._chroma_client import ChromaServer, check_env_name, parse_chroma_url
from agentroute._postgres import PostgresServer, refuse_password

__all__ = [
    "AgentSection",
    "BudgetSection",
    "Config",
    "ExpertConfig",
    "KnowledgeConfig",
    "LoggingSection",
    "MemorySection",
    "ObservabilitySection",
    "PersistenceSection",
    "PlannerSection",
    "PolicySection",
    "RoutingSection",
    "check_base_name",
]

_BASE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]{0,62}")


def check_base_name(name: str) -> str:
    """A knowledge base's name is a routing target, a policy selector, a folder and a
    collection name: letters, digits, ``_`` and ``-`` alone fit all four."""
    if not _BASE_NAME.fullmatch(name):
        raise ValueError(
            f"{name!r} is not a knowledge base name: use letters, digits, '_' and '-' "
            "(at most 63, not starting with '-'), e.g. 'team_docs'"
        )
    return name


BaseName = Annotated[str, AfterValidator(check_base_name)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AgentSection(_Section):
    name: str = "agentroute"
    data_dir: Path = Path(".agentroute")
    """Chat threads (SQLite), the case bank and knowledge bases live here by default. (What
    can be computed again, built models and embedded texts, is cached per user instead:
    ``$AGENTROUTE_CACHE_DIR``, else ``$XDG_CACHE_HOME/agentroute`` or ``~/.cache/agentroute``.)"""
    max_rounds: int = Field(3, ge=1, le=10)
    step_timeout_s: float = Field(30.0, gt=0)
    builtin_targets: bool = True
    """Include the embedded experts (calc, units MCP servers; the bundled facts base)."""


class PlannerSection(_Section):
    kind: Literal["semantic", "llm"] = "semantic"
    model: str | None = None
    """For ``llm``: an expert's name from [experts], or a model spec such as ``ollama:qwen3``."""
    threshold: float | None = Field(None, ge=-1, le=1)
    """Semantic planner: one similarity below which a clause has no suitable target, for every
    target; unset, the per-target thresholds learned on the planning benchmark apply."""
    answer_with_llm: bool = True
    """With an LLM planner, also let it write the final answer (the composed one is the fallback)."""

    @model_validator(mode="after")
    def _llm_needs_model(self) -> PlannerSection:
        if self.kind == "llm" and not self.model:
            raise ValueError("planner kind 'llm' needs a 'model'")
        return self


class BudgetSection(_Section):
    per_turn_usd: float | None = Field(None, ge=0)
    per_session_usd: float | None = Field(None, ge=0)


class ExpertConfig(_Section):
    model: str | None = None
    """``openai:gpt-4o-mini``, ``ollama:llama3.2`` or a bare model name served at ``base_url``."""
    base_url: str | None = None
    api_key_env: str | None = None
    replay: Path | None = None
    """Instead of a live model: a RouterBench-layout CSV whose recorded answers are replayed."""
    replay_model: str | None = None
    description: str = ""
    domains: list[str] = Field(default_factory=list)
    examples: list[str] = Field(default_factory=list)
    role: Literal["general", "specialist"] | None = None
    """``general``: the catch-all, it answers every part no specialist serves (requests that
    need live data or an action still are declined); ``specialist``: never the catch-all.
    Unset: general when its name, domains or description say "general(-purpose)"."""
    price_in_per_m: float = Field(0.0, ge=0)
    price_out_per_m: float = Field(0.0, ge=0)
    latency_s: float = Field(1.0, ge=0)
    timeout_s: float = Field(60.0, gt=0)

    @model_validator(mode="after")
    def _one_backend(self) -> ExpertConfig:
        if (self.model is None) == (self.replay is None):
            raise ValueError("give exactly one of 'model' or 'replay'")
        return self


class RoutingSection(_Section):
    """How a step for an expert picks among several experts."""

    kind: Literal["graph", "blend", "knn", "prior", "cascade"] = "graph"
    """``cascade``: the experts become one target, ``cascade``, that tries the cheap ones first
    and escalates when their weighted vote is not convincing (``agentroute.routing``)."""
    dollars_per_point: float = Field(0.0005, ge=0)
    """The most you would pay for one more point (0.01) of expected quality."""
    outcomes: list[Path] = Field(default_factory=list)
    """Outcome files (RouterBench or long layout, CSV/JSONL) to learn from before any feedback;
    models are named as the experts are in [experts]."""
    explore: float = Field(2.0, ge=0)
    """Optimism under uncertainty: a model's score gains ``explore`` standard deviations of
    its predicted quality, so a promising model with few outcomes gets tried (0: off)."""
    explore_until: float = Field(100.0, ge=0)
    """Outcomes on a query's region after which a model is no longer explored there."""
    explore_cap: float = Field(0.1, ge=0, le=1)
    """The most exploring may add to a score, in quality; with ``dollars_per_point`` it bounds
    what exploring can cost a call."""
    cascade_width: int = Field(2, ge=1, le=5)
    cascade_cost_fraction: float = Field(0.25, gt=0, le=1)
    cascade_threshold: float = Field(0.9, ge=0, le=1)


class KnowledgeConfig(_Section):
    kind: Literal["chroma", "graph"] = "chroma"
    path: Path | None = None
    """chroma: the directory of the on-disk collection (a base given one stays there, on disk,
    whatever [persistence] says); graph: a JSON file of triples."""
    documents: list[Path] = Field(default_factory=list)
    """chroma: text/markdown/JSONL files, directories or globs to ingest (only what changed
    is embedded again)."""
    description: str = ""
    domains: list[str] = Field(default_factory=list)
    examples: list[str] = Field(default_factory=list)
    precision: Literal["float32", "int8"] = "int8"
    """chroma: MiniLM's arithmetic for the base's passages and queries alike. ``int8`` (ONNX
    Runtime's int8 matrix products, the default) ingests ~1.8x the chunks per CPU-second of
    ``float32`` with the same retrieval on the train questions (bench_knowledge doc@3 0.561
    against 0.565, the man-page option's passage in the top 3 0.982 against 0.969). The model
    is recorded with the base: changing it re-embeds a base that has ``documents``."""
    chunk_chars: int = Field(600, ge=100, le=4000)
    """chroma: the longest passage, cut between sentences (changing it re-embeds the base)."""
    chunk_overlap: int = Field(0, ge=0, le=2000)
    """chroma: characters of a passage's last sentences repeated at the start of the next, in
    text without structure (manual pages, markdown and package records are cut by their
    structure); changing it re-embeds the base."""
    top_k: int = Field(3, ge=1, le=50)
    """chroma: the most passages an answer quotes."""
    min_similarity: float = Field(0.3, ge=0.0, le=1.0)
    """chroma: the cosine similarity under which a passage answers nothing."""
    where: dict[str, Any] = Field(default_factory=dict)
    """chroma: a metadata filter every search of the base applies (chromadb's ``where``
    syntax, e.g. ``{section = "admin"}``)."""


class PolicySection(_Section):
    files: list[Path] = Field(default_factory=list)


class MemorySection(_Section):
    enabled: bool = True
    path: Path | None = None


class PersistenceSection(_Section):
    """Where the stores live. ``chroma``: the knowledge bases' collections and the case bank,
    embedded on disk in the data directory (the default) or on a Chroma server
    (``chroma_url``), which several processes and hosts share. ``threads``: the chat threads, in the data directory's SQLite file (the
    default) or on a Postgres server (``postgres_url_env``), which several processes share.
    ``vectors = "pgvector"``: the case bank and the knowledge bases in PostgreSQL with
    pgvector instead (at ``postgres_url_env`` too). The bundled ``facts`` base stays in the data
    directory."""

    threads: Literal["sqlite", "postgres"] = "sqlite"
    postgres_url_env: str | None = None
    """The environment variable holding the Postgres server's URL,
    ``postgresql://user:password@host:port/database`` (never the URL itself in the file)."""
    postgres_url: str | None = None
    """The URL itself, only without a password (libpq then reads ``PGPASSWORD`` or
    ``~/.pgpass``); one with a password is refused (use ``postgres_url_env``)."""
    postgres_pool_size: int = Field(5, ge=1, le=100)
    """Connections one process holds at most (each worker of a server holds its own)."""
    postgres_timeout_s: float = Field(30.0, gt=0)
    """The longest a call waits for a connection: a server restarting within it delays the
    turn; one down for longer fails the turn with an error naming the server."""

    chroma: Literal["embedded", "server"] | None = None
    """Unset: ``server`` when ``chroma_url`` is given, else ``embedded``."""
    chroma_url: str | None = None
    """The server's address, ``http://host:port`` (``chroma run --port``; https for TLS)."""
    chroma_tenant: str = Field("default_tenant", min_length=1)
    chroma_database: str = Field("default_database", min_length=1)
    """Created on the server when missing: one database per project keeps its bases apart."""
    chroma_token_env: str | None = None
    """The environment variable holding the server's bearer token (never the token itself)."""
    chroma_timeout_s: float = Field(60.0, gt=0)
    """The longest wait for one answer from the server (a hung server fails the call)."""
    chroma_token: str | None = Field(None, exclude=True)
    """Refused: a secret does not belong in the file (see ``chroma_token_env``)."""
    vectors: Literal["chroma", "pgvector"] = "chroma"
    """Where the case bank and the configured knowledge bases keep their vectors: chromadb
    (embedded, or the Chroma server above), or PostgreSQL with pgvector at the DSN that
    ``postgres_url_env`` names, which any number of processes share."""

    @field_validator("chroma_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None:
            parse_chroma_url(value)
        return value

    @field_validator("chroma_token_env")
    @classmethod
    def _env_name(cls, value: str | None) -> str | None:
        return check_env_name(value)

    @field_validator("postgres_url_env")
    @classmethod
    def _url_env_name(cls, value: str | None) -> str | None:
        try:
            return check_env_name(value)
        except ValueError:  # said without the value: it may be the URL, password and all
            raise ValueError(
                "not an environment variable's name: name the variable that holds the URL "
                "(e.g. AGENTROUTE_POSTGRES_URL), never the URL itself"
            ) from None

    @field_validator("postgres_url")
    @classmethod
    def _postgres_url(cls, value: str | None) -> str | None:
        return None if value is None else refuse_password(value)

    @field_validator("chroma_token")
    @classmethod
    def _no_secret(cls, value: str | None) -> None:
        if value is not None:
            raise ValueError(
                "a token does not belong in the file: put it in an environment variable and "
                "name that variable in chroma_token_env"
            )
        return None

    @model_validator(mode="after")
    def _one_store(self) -> PersistenceSection:
        if self.chroma == "server" and self.chroma_url is None:
            raise ValueError("chroma = 'server' needs chroma_url (http://host:port)")
        if self.chroma == "embedded" and self.chroma_url is not None:
            raise ValueError("chroma = 'embedded' with a chroma_url: drop one of them")
        if self.postgres_url is not None and self.postgres_url_env is not None:
            raise ValueError("both postgres_url and postgres_url_env: drop one of them")
        if self.threads == "postgres" and self.postgres_server() is None:
            raise ValueError(
                "threads = 'postgres' needs postgres_url_env: the name of the environment "
                "variable holding the server's URL (postgresql://user:password@host:port/db)"
            )
        if self.vectors == "pgvector" and self.postgres_server() is None:
            raise ValueError(
                "vectors = 'pgvector' needs postgres_url_env (the environment variable "
                "holding the database's URL)"
            )
        if self.vectors == "pgvector" and (self.chroma_url is not None or self.chroma == "server"):
            raise ValueError("vectors = 'pgvector' with chroma settings: drop one of them")
        return self

    def vector_server(self) -> ChromaServer | PostgresServer | None:
        """Where cases and knowledge bases live: a Chroma server, the Postgres server (with
        pgvector; the same address as the threads'), or ``None`` (embedded chromadb in the data
        directory)."""
        if self.vectors == "pgvector":
            return self.postgres_server()
        return self.chroma_server()

    def chroma_server(self) -> ChromaServer | None:
        """The Chroma server the knowledge bases and the case bank live on (``None``: embedded)."""
        if self.chroma_url is None:
            return None
        return ChromaServer(
            url=self.chroma_url,
            tenant=self.chroma_tenant,
            database=self.chroma_database,
            token_env=self.chroma_token_env,
            timeout_s=self.chroma_timeout_s,
        )

    def postgres_server(self) -> PostgresServer | None:
        """The Postgres server named here (``None``: none is)."""
        if self.postgres_url is None and self.postgres_url_env is None:
            return None
        return PostgresServer(
            url=self.postgres_url,
            url_env=self.postgres_url_env,
            setting="[persistence] postgres_url"
            if self.postgres_url is not None
            else f"[persistence] postgres_url_env = {self.postgres_url_env}",
            pool_size=self.postgres_pool_size,
            timeout_s=self.postgres_timeout_s,
        )

    def thread_store(self, data_dir: Path) -> Path | PostgresServer:
        """Where chat threads live: the data directory's SQLite file, or the server."""
        server = self.postgres_server() if self.threads == "postgres" else None
        return server if server is not None else data_dir / "threads.sqlite"


class LoggingSection(_Section):
    format: Literal["console", "json"] = "console"
    level: Literal["debug", "info", "warning", "error"] = "warning"


class ObservabilitySection(_Section):
    """Spans exported over OTLP/gRPC only where configured: nothing leaves the machine by
    default. Prometheus counters are not configured here: ``serve api`` serves ``/metrics``."""

    otlp_endpoint: str | None = None
    """``http://host:4317`` (plain gRPC) or ``https://...``; unset, the standard
    ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`` / ``OTEL_EXPORTER_OTLP_ENDPOINT`` are read, and with
    neither no span is exported. A collector's token: ``OTEL_EXPORTER_OTLP_HEADERS``."""
    service_name: str = "agentroute"
    """The spans' ``service.name`` (``OTEL_SERVICE_NAME`` wins)."""

    @field_validator("otlp_endpoint")
    @classmethod
    def _endpoint(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError(f"{value!r}: expected http://host:port or https://host:port")
        return value


class Config(_Section):
    agent: AgentSection = AgentSection()
    planner: PlannerSection = PlannerSection()
    budget: BudgetSection = BudgetSection()
    experts: dict[str, ExpertConfig] = Field(default_factory=dict)
    routing: RoutingSection = RoutingSection()
    mcp: dict[str, dict[str, Any]] = Field(default_factory=dict)
    """MCP servers by name: ``command``/``args``/``env_allow`` for stdio, or ``url``/``headers``."""
    knowledge: dict[BaseName, KnowledgeConfig] = Field(default_factory=dict)
    policy: PolicySection = PolicySection()
    memory: MemorySection = MemorySection()
    persistence: PersistenceSection = PersistenceSection()
    logging: LoggingSection = LoggingSection()
    observability: ObservabilitySection = ObservabilitySection()
    source: Path | None = Field(default=None, exclude=True)
    """The file this was loaded from (paths inside are relative to its folder)."""

    def memory_folder(self) -> Path:
        """The local case bank's folder: ``[memory] path``, else ``memory`` in the data
        directory (where the agent opens it, and ``agentroute memory`` finds it)."""
        return self.memory.path or self.agent.data_dir / "memory"
