"""Outcome tables: per-query quality and cost of every model in a pool, loaded from files.

Two layouts are read, so any pool of models and tasks can be fitted and evaluated:

* **wide** (RouterBench): one row per prompt, columns ``prompt``, ``eval_name`` (optional),
  one quality column per model (named by the model), ``<model>|total_cost`` and optionally
  ``<model>|model_response``. CSV or JSONL.
* **long**: one row per (query, model) outcome with ``query`` (or ``prompt``), ``model`` (or
  ``model_name``), ``quality`` (or ``score``/``performance``), ``cost_usd`` (or
  ``cost``/``total_cost``), optional ``task`` (or ``eval_name``/``task_name``) and
  ``response``. CSV, JSONL, or a ``.json`` list of rows (LLMRouter's layout).

Any of these may be gzipped (``.jsonl.gz``, ``.csv.gz``, ``.json.gz``): outcome sets carried in
a repository are large and compress tenfold.

A row without a task field gets the task ``""`` (not its file's name): a router fitted on a pool
with no task labels clusters the queries into pseudo-tasks instead (``_clusters``).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "OutcomeFileError",
    "OutcomeSource",
    "OutcomeTable",
    "as_outcome_table",
    "load_outcome_table",
]

_SKIP_COLUMNS = {
    "",
    "sample_id",
    "prompt",
    "eval_name",
    "task",
    "task_name",
    "oracle_model_to_route_to",
    "query",
}
_QUERY_KEYS = ("query", "prompt")
_QUALITY_KEYS = ("quality", "score", "performance")
_COST_KEYS = ("cost_usd", "cost", "total_cost")
_TASK_KEYS = ("task", "eval_name", "task_name", "domain")
_MODEL_KEYS = ("model", "model_name")


class OutcomeFileError(ValueError):
    """A file of outcomes that cannot be read; the message names the file, line and field."""


@dataclass
class OutcomeTable:
    """Quality and cost of each model on each query (``nan`` where a model was not tried)."""

    queries: list[str]
    tasks: list[str]
    models: list[str]
    quality: npt.NDArray[np.float64]
    """Shape ``(n_queries, n_models)``, values in [0, 1]."""
    cost: npt.NDArray[np.float64]
    """Dollars, same shape."""
    responses: dict[tuple[int, int], str] = field(default_factory=dict)
    """``(query index, model index) -> recorded response`` (kept only when asked for)."""

    def __post_init__(self) -> None:
        shape = (len(self.queries), len(self.models))
        if self.quality.shape != shape or self.cost.shape != shape:
            raise ValueError(f"quality/cost must have shape {shape}")
        if len(self.tasks) != len(self.queries):
            raise ValueError("tasks must have one entry per query")

    def __len__(self) -> int:
        return len(self.queries)

    def subset(self, rows: Sequence[int] | npt.NDArray[np.int64]) -> OutcomeTable:
        """The rows given (responses are not carried over)."""
        idx = np.asarray(rows, dtype=np.int64)
        return OutcomeTable(
            queries=[self.queries[i] for i in idx],
            tasks=[self.tasks[i] for i in idx],
            models=list(self.models),
            quality=self.quality[idx],
            cost=self.cost[idx],
        )

    def complete(self) -> OutcomeTable:
        """Only the queries on which every model has a quality and a cost."""
        ok = ~(np.isnan(self.quality).any(axis=1) | np.isnan(self.cost).any(axis=1))
        return self.subset(np.flatnonzero(ok))

    @staticmethod
    def concat(tables: Iterable[OutcomeTable]) -> OutcomeTable:
        """Stack tables over the union of their models (missing cells are ``nan``)."""
        parts = list(tables)
        models: list[str] = []
        for t in parts:
            models += [m for m in t.models if m not in models]
        col = {m: j for j, m in enumerate(models)}
        queries: list[str] = []
        tasks: list[str] = []
        qs, cs = [], []
        responses: dict[tuple[int, int], str] = {}
        for t in parts:
            q = np.full((len(t), len(models)), np.nan)
            c = np.full((len(t), len(models)), np.nan)
            cols = [col[m] for m in t.models]
            q[:, cols] = t.quality
            c[:, cols] = t.cost
            for (i, j), text in t.responses.items():
                responses[(len(queries) + i, col[t.models[j]])] = text
            queries += t.queries
            tasks += t.tasks
            qs.append(q)
            cs.append(c)
        return OutcomeTable(queries, tasks, models, np.vstack(qs), np.vstack(cs), responses)


def _float(value: Any, where: str) -> float:
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return float("nan")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise OutcomeFileError(f"{where}: not a number: {value!r}") from None


def _quality(value: Any, where: str) -> float:
    """A quality cell: a number in [0, 1], or empty (``nan``: the model was not tried)."""
    q = _float(value, where)
    if not np.isnan(q) and not 0.0 <= q <= 1.0:
        raise OutcomeFileError(f"{where}: must be in [0, 1], got {q}")
    return q


def _cost(value: Any, where: str) -> float:
    """A cost cell: dollars spent, or empty (``nan``); a negative one is a broken file, not a
    refund."""
    cost = _float(value, where)
    if not np.isnan(cost) and cost < 0.0:
        raise OutcomeFileError(f"{where}: must be >= 0 (dollars), got {cost}")
    return cost


def _missing(keys: Sequence[str], row: dict[str, Any]) -> str:
    """Which field a row lacks, its accepted names and the fields the row does have: a
    misspelt column is then visible in the message."""
    names = " or ".join(repr(k) for k in keys)
    have = ", ".join(repr(k) for k in row if k is not None) or "none"
    return f"field {keys[0]!r} is missing or empty (accepted names: {names}; the row has {have})"


def _first(row: dict[str, Any], keys: Sequence[str]) -> Any:
    for k in keys:
        if k in row and row[k] not in (None, ""):
            return row[k]
    return None


def _open(path: Path) -> io.TextIOWrapper:
    """The file as text, gunzipped when its name ends in ``.gz``."""
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")
    return io.TextIOWrapper(path.open("rb"), encoding="utf-8", newline="")


def _suffix(path: Path) -> str:
    """The format's suffix: ``.jsonl`` for ``x.jsonl`` and ``x.jsonl.gz`` alike."""
    return Path(path.stem).suffix if path.suffix == ".gz" else path.suffix


def _rows(path: Path) -> Iterable[tuple[int, dict[str, Any]]]:
    if _suffix(path) == ".json":
        yield from _json_rows(path)
        return
    if _suffix(path) in (".jsonl", ".ndjson"):
        with _open(path) as fh:
            for line_no, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise OutcomeFileError(f"{path}:{line_no}: invalid JSON: {exc}") from None
                if not isinstance(obj, dict):
                    raise OutcomeFileError(f"{path}:{line_no}: expected a JSON object")
                yield line_no, obj
        return
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    with _open(path) as fh:
        for line_no, row in enumerate(csv.DictReader(fh), start=2):
            yield line_no, row


def _json_rows(path: Path) -> Iterable[tuple[int, dict[str, Any]]]:
    """A ``.json`` file: a list of row objects, or an object holding one under ``data`` /
    ``rows`` / ``outcomes`` (LLMRouter and pandas ``orient="records"`` write these)."""
    try:
        with _open(path) as fh:
            obj = json.loads(fh.read())
    except json.JSONDecodeError as exc:
        raise OutcomeFileError(f"{path}: invalid JSON: {exc}") from None
    if isinstance(obj, dict):
        obj = next(
            (obj[k] for k in ("data", "rows", "outcomes") if isinstance(obj.get(k), list)), obj
        )
    if not isinstance(obj, list):
        raise OutcomeFileError(f"{path}: expected a list of row objects (or data/rows/outcomes)")
    for i, row in enumerate(obj, start=1):
        if not isinstance(row, dict):
            raise OutcomeFileError(f"{path}: row {i}: expected a JSON object")
        yield i, row


def _is_long(first: dict[str, Any]) -> bool:
    return _first(first, _MODEL_KEYS) is not None and _first(first, _QUALITY_KEYS) is not None


def load_outcome_table(
    paths: str | Path | Sequence[str | Path],
    *,
    keep_responses: bool = False,
    drop_incomplete: bool = True,
) -> OutcomeTable:
    """Read one or more outcome files (wide RouterBench layout or long layout, CSV or JSONL).

    ``drop_incomplete`` skips queries where some model has no quality or cost (RouterBench has a
    few such rows); evaluation needs every model's outcome on each query.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    tables = [_load_one(Path(p), keep_responses) for p in paths]
    if not tables:
        raise OutcomeFileError("no outcome files given")
    table = tables[0] if len(tables) == 1 else OutcomeTable.concat(tables)
    if drop_incomplete:
        full = table.complete()
        if keep_responses:
            ok = ~(np.isnan(table.quality).any(axis=1) | np.isnan(table.cost).any(axis=1))
            remap = {int(old): new for new, old in enumerate(np.flatnonzero(ok))}
            full.responses = {
                (remap[i], j): t for (i, j), t in table.responses.items() if i in remap
            }
        table = full
    if len(table) == 0:
        raise OutcomeFileError(f"{[str(p) for p in paths]}: no usable outcomes")
    return table


OutcomeSource = str | Path | Sequence[str | Path] | OutcomeTable
"""Outcome files (see :func:`load_outcome_table`) or a table already loaded."""


def as_outcome_table(source: OutcomeSource) -> OutcomeTable:
    """``source`` itself when it is a table, else every outcome in its files."""
    return source if isinstance(source, OutcomeTable) else load_outcome_table(source)


def _load_one(path: Path, keep_responses: bool) -> OutcomeTable:
    if not path.exists():
        raise OutcomeFileError(f"{path}: no such file")
    rows = iter(_rows(path))
    try:
        line_no, first = next(rows)
    except StopIteration:
        raise OutcomeFileError(f"{path}: empty") from None

    def all_rows() -> Iterable[tuple[int, dict[str, Any]]]:
        yield line_no, first
        yield from rows

    if _is_long(first):
        return _load_long(path, all_rows(), keep_responses)
    return _load_wide(path, first, all_rows(), keep_responses)


def _load_wide(
    path: Path,
    first: dict[str, Any],
    rows: Iterable[tuple[int, dict[str, Any]]],
    keep_responses: bool,
) -> OutcomeTable:
    models = [k for k in first if k not in _SKIP_COLUMNS and "|" not in k and k is not None]
    models = [m for m in models if f"{m}|total_cost" in first]
    if not models:
        raise OutcomeFileError(
            f"{path}: no model columns (expected '<model>' and '<model>|total_cost' columns, "
            "or a long layout with 'query', 'model', 'quality', 'cost_usd')"
        )
    queries: list[str] = []
    tasks: list[str] = []
    qual: list[list[float]] = []
    cost: list[list[float]] = []
    responses: dict[tuple[int, int], str] = {}
    for line_no, row in rows:
        query = _first(row, _QUERY_KEYS)
        if query is None:
            raise OutcomeFileError(f"{path}:{line_no}: {_missing(('prompt', 'query'), row)}")
        where = f"{path}:{line_no}"
        qual.append([_quality(row.get(m), f"{where}: field {m!r}") for m in models])
        cost.append(
            [_cost(row.get(f"{m}|total_cost"), f"{where}: field '{m}|total_cost'") for m in models]
        )
        if keep_responses:
            for j, m in enumerate(models):
                text = row.get(f"{m}|model_response")
                if text:
                    responses[(len(queries), j)] = str(text)
        queries.append(str(query))
        tasks.append(str(_first(row, _TASK_KEYS) or ""))
    return OutcomeTable(queries, tasks, models, np.array(qual), np.array(cost), responses)


def _load_long(
    path: Path, rows: Iterable[tuple[int, dict[str, Any]]], keep_responses: bool
) -> OutcomeTable:
    index: dict[str, int] = {}
    tasks: list[str] = []
    models: dict[str, int] = {}
    cells: list[tuple[int, int, float, float]] = []
    responses: dict[tuple[int, int], str] = {}
    for line_no, row in rows:
        where = f"{path}:{line_no}"
        query = _first(row, _QUERY_KEYS)
        model = _first(row, _MODEL_KEYS)
        for value, keys in ((query, _QUERY_KEYS), (model, _MODEL_KEYS)):
            if value is None:
                raise OutcomeFileError(f"{where}: {_missing(keys, row)}")
        quality = _quality(_first(row, _QUALITY_KEYS), f"{where}: field 'quality'")
        cost = _cost(_first(row, _COST_KEYS), f"{where}: field 'cost_usd'")
        i = index.setdefault(str(query), len(index))
        if i == len(tasks):
            tasks.append(str(_first(row, _TASK_KEYS) or ""))
        j = models.setdefault(str(model), len(models))
        cells.append((i, j, quality, cost))
        if keep_responses and row.get("response"):
            responses[(i, j)] = str(row["response"])
    q = np.full((len(index), len(models)), np.nan)
    c = np.full((len(index), len(models)), np.nan)
    for i, j, qq, cc in cells:
        q[i, j], c[i, j] = qq, cc
    return OutcomeTable(list(index), tasks, list(models), q, c, responses)
