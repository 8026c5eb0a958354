"""Routers by name, and a router fitted on every outcome in a file of outcomes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from agentroute.embeddings._base import Embedder
from agentroute.routing._base import BaseRouter
from agentroute.routing._blend import BlendRouter
from agentroute.routing._features import QueryFeaturizer, embed_cached
from agentroute.routing._fitcache import fitted_cached
from agentroute.routing._graph import GraphRouter
from agentroute.routing._outcomes import RoutingConfig
from agentroute.routing._routers import KnnRouter, PriorRouter
from agentroute.routing._table import (
    OutcomeFileError,
    OutcomeSource,
    OutcomeTable,
    load_outcome_table,
)
from agentroute.types import TargetDescriptor

__all__ = ["DEFAULT_ROUTER", "ROUTERS", "fit_from_outcomes", "make_router"]

ROUTERS: dict[str, type[BaseRouter]] = {
    "prior": PriorRouter,
    "knn": KnnRouter,
    "graph": GraphRouter,
    "blend": BlendRouter,
}


DEFAULT_ROUTER = "graph"
"""The router kind wherever none is named: :func:`make_router`, :func:`fit_from_outcomes`,
``default_router``, ``[routing] kind`` and ``agentroute route explain``. The graph router
matches the blend on RouterBench at a fraction of the fitting time."""


def make_router(kind: str = DEFAULT_ROUTER, **kwargs: Any) -> BaseRouter:
    """A router by name: ``prior``, ``knn``, ``graph`` (the default) or ``blend``."""
    try:
        cls = ROUTERS[kind]
    except KeyError:
        raise ValueError(f"unknown router {kind!r}; choose one of {sorted(ROUTERS)}") from None
    return cls(**kwargs)


def fit_from_outcomes(
    source: OutcomeSource,
    *,
    router: str = DEFAULT_ROUTER,
    embedder: Embedder | None = None,
    descriptors: Sequence[TargetDescriptor] = (),
    config: RoutingConfig | None = None,
    cache_dir: str | Path | None = None,
    drop_incomplete: bool = True,
    **router_kwargs: Any,
) -> BaseRouter:
    """A router fitted on every outcome in ``source`` (files in the RouterBench wide layout
    or the long layout, see :func:`load_outcome_table`, or a loaded table). With ``cache_dir``
    the query embeddings and, for files, the fitted router itself are cached there (keyed by
    the files' contents), so a second call on the same files does not refit.
    ``drop_incomplete=False`` keeps queries some model has no outcome on (fine for fitting)."""
    featurizer = QueryFeaturizer(embedder)
    cache = Path(cache_dir).expanduser() if cache_dir else None  # "~/.cache/x" as written

    def fit() -> BaseRouter:
        table = (
            source
            if isinstance(source, OutcomeTable)
            else load_outcome_table(source, drop_incomplete=drop_incomplete)
        )
        featurizer.fit(table.queries)
        r = make_router(
            router, featurizer=featurizer, descriptors=descriptors, config=config, **router_kwargs
        )
        r._fitted_featurizer = True
        return r.fit(table, embed_cached(featurizer, table.queries, cache))

    if cache is None or isinstance(source, OutcomeTable):
        return fit()
    files = [Path(source)] if isinstance(source, (str, Path)) else [Path(p) for p in source]
    for f in files:
        if not f.is_file():  # named as the loader names it, before the cache reads the bytes
            raise OutcomeFileError(f"{f}: no such file")
    return fitted_cached(
        files,
        router,
        featurizer,
        fit,
        cache,
        config=config,
        descriptors=descriptors,
        kwargs={**router_kwargs, "drop_incomplete": drop_incomplete},
    )
