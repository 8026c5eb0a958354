"""What the router knows and learns: expert descriptors, outcomes, the cost knob.

The one cost knob is ``dollars_per_point``: *the most you would pay for one more point (0.01)
of expected quality*. A candidate's score is ``predicted_quality - predicted_cost /
(100 * dollars_per_point)``, so a model that costs $0.002 more than another is worth it only if
its predicted quality is more than ``0.002 / dollars_per_point`` points higher.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from agentroute.types import TargetDescriptor

__all__ = [
    "ExpertDescriptor",
    "Outcome",
    "OutcomeStore",
    "RoutingConfig",
    "placeholder_description",
]


def placeholder_description(name: str) -> str:
    """The description an expert configured without one is given (a target needs words for
    the planner). It says nothing about the model, so routing never reads it as evidence: a
    bare configured name stays a bare name (priced as the dearest, its typo named)."""
    return f"expert model {name}"


class ExpertDescriptor(TargetDescriptor):
    """A :class:`TargetDescriptor` plus what helps predict an expert before it has outcomes."""

    domain_scores: dict[str, float] = Field(default_factory=dict)
    """Optional example quality in [0, 1] per domain or task (e.g. from a model card)."""
    typical_tokens_out: int = 256
    """Typical answer length, for pricing a call before any outcome is recorded."""
    strengths: list[str] = Field(default_factory=list)
    """What the model is said to be good at, in words (embedded with the description)."""
    published_scores: dict[str, float] = Field(default_factory=dict)
    """Published benchmark scores in [0, 1] (e.g. ``{"mmlu": 0.86}``): compared with the
    same benchmark's scores of the models the router has outcomes for."""
    context_tokens: int | None = Field(default=None, ge=1)
    """Context window, in tokens."""
    parameters_b: float | None = Field(default=None, gt=0)
    """Size in billions of parameters (else read from the name, e.g. ``llama-3.1-8b``, or a
    description stating it): compared with the known models' sizes."""

    @field_validator("domain_scores", "published_scores")
    @classmethod
    def _scores_in_range(cls, v: dict[str, float]) -> dict[str, float]:
        for k, s in v.items():
            if not 0.0 <= s <= 1.0:
                raise ValueError(f"score {k!r} must be in [0, 1], got {s}")
        return v


class Outcome(BaseModel):
    """One routed call and how it went."""

    model_config = ConfigDict(extra="forbid")

    query: str
    model: str
    quality: float = Field(ge=0.0, le=1.0)
    """1 = fully correct / accepted, 0 = wrong; graded values allowed."""
    cost_usd: float = Field(ge=0.0)
    latency_s: float = Field(default=0.0, ge=0.0)
    task: str = ""
    """Task or domain label, if known (``eval_name`` in RouterBench)."""
    time: float = Field(default_factory=time.time)


class RoutingConfig(BaseModel):
    """The cost knob (see the module docstring for its meaning)."""

    model_config = ConfigDict(extra="forbid")

    dollars_per_point: float = Field(default=0.0005, ge=0.0)
    """Most dollars you would pay for +0.01 expected quality. 0 = always cheapest;
    ``inf`` = best predicted quality whatever it costs."""

    explore: float = Field(default=2.0, ge=0.0)
    """Optimism under uncertainty: a candidate's score gains ``explore`` standard deviations
    of its predicted quality (0: none) while it has fewer than ``explore_until`` outcomes on
    the query's region, so a promising model with few outcomes gets tried. On by default:
    50 outcomes of a good new model are too noisy to beat a known one on their mean alone
    (RouterBench's train split; ``routing/README.md``)."""
    explore_until: float = Field(default=100.0, ge=0.0)
    """Outcomes on a query's region after which a model is no longer explored there: the
    exploration budget per model and region."""
    explore_cap: float = Field(default=0.1, ge=0.0, le=1.0)
    """The most quality the exploration bonus may add (0.1 = 10 points): through the knob, a
    bounded price: exploring costs at most ``100 * explore_cap * dollars_per_point`` dollars
    more a call than the plain choice."""

    max_alternatives: int | None = Field(default=None, ge=1)
    """Keep only the best N scored candidates in ``RouteDecision.alternatives`` (``None``: all).
    With a thousand candidates, building the full list is most of a decision's time."""

    def cost_weight(self) -> float:
        """Quality units lost per dollar: ``1 / (100 * dollars_per_point)``."""
        if self.dollars_per_point == 0:
            return 1e12
        return 1.0 / (100.0 * self.dollars_per_point)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS outcomes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    query TEXT NOT NULL, model TEXT NOT NULL, quality REAL NOT NULL, cost_usd REAL NOT NULL,
    latency_s REAL NOT NULL, task TEXT NOT NULL, time REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS outcomes_model ON outcomes(model);
"""


class OutcomeStore:
    """Append-only outcomes in SQLite (a file in WAL mode, or ``":memory:"``)."""

    def __init__(self, path: str | Path = ":memory:") -> None:
        self.path = str(path)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False)
        if self.path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)

    def append(self, outcome: Outcome) -> None:
        self.extend([outcome])

    def extend(self, outcomes: list[Outcome]) -> None:
        rows = [
            (o.query, o.model, o.quality, o.cost_usd, o.latency_s, o.task, o.time) for o in outcomes
        ]
        with self._lock, self._db:
            self._db.executemany(
                "INSERT INTO outcomes (query, model, quality, cost_usd, latency_s, task, time)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                rows,
            )

    def load(self, *, model: str | None = None) -> list[Outcome]:
        """Every outcome in insertion order (optionally of one model)."""
        sql = "SELECT query, model, quality, cost_usd, latency_s, task, time FROM outcomes"
        args: tuple[str, ...] = ()
        if model is not None:
            sql += " WHERE model = ?"
            args = (model,)
        with self._lock:
            rows = self._db.execute(sql + " ORDER BY id", args).fetchall()
        keys = ("query", "model", "quality", "cost_usd", "latency_s", "task", "time")
        return [Outcome(**dict(zip(keys, r, strict=True))) for r in rows]

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM outcomes").fetchone()[0])

    def export_jsonl(self, path: str | Path) -> int:
        """Write every outcome as one JSON object per line (the long layout fit reads)."""
        items = self.load()
        with Path(path).open("w", encoding="utf-8") as fh:
            for o in items:
                fh.write(json.dumps(o.model_dump()) + "\n")
        return len(items)

    def close(self) -> None:
        self._db.close()
