"""Routers by name, and a router fitted on every outcome in a file of outcomes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from agentroute.embeddings._base import Embedder
from agentroute.routing._base import BaseRouter
from agentroute.routing._blend import BlendRouter
from agentroute.routing._features import QueryFeaturizer, embed_cached
from agentroute.routing._graph import GraphRouter
from agentroute.routing._outcomes import RoutingConfig
from agentroute.routing._routers import KnnRouter, PriorRouter
from agentroute.routing._table import OutcomeSource, as_outcome_table
from agentroute.types import TargetDescriptor

__all__ = ["ROUTERS", "fit_from_outcomes", "make_router"]

ROUTERS: dict[str, type[BaseRouter]] = {
    "prior": PriorRouter,
    "knn": KnnRouter,
    "graph": GraphRouter,
    "blend": BlendRouter,
}


def make_router(kind: str = "blend", **kwargs: Any) -> BaseRouter:
    """A router by name: ``prior``, ``knn``, ``graph`` or ``blend`` (the best on RouterBench)."""
    try:
        cls = ROUTERS[kind]
    except KeyError:
        raise ValueError(f"unknown router {kind!r}; choose one of {sorted(ROUTERS)}") from None
    return cls(**kwargs)


def fit_from_outcomes(
    source: OutcomeSource,
    *,
    router: str = "blend",
    embedder: Embedder | None = None,
    descriptors: Sequence[TargetDescriptor] = (),
    config: RoutingConfig | None = None,
    cache_dir: str | Path | None = None,
    **router_kwargs: Any,
) -> BaseRouter:
    """A router fitted on every outcome in ``source`` (files in the RouterBench wide layout
    or the long layout, see :func:`load_outcome_table`, or a loaded table)."""
    table = as_outcome_table(source)
    featurizer = QueryFeaturizer(embedder).fit(table.queries)
    r = make_router(
        router, featurizer=featurizer, descriptors=descriptors, config=config, **router_kwargs
    )
    r._fitted_featurizer = True
    vectors = embed_cached(featurizer, table.queries, Path(cache_dir) if cache_dir else None)
    return r.fit(table, vectors)
