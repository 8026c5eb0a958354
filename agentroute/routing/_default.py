"""The router an agent gets when it has several experts and no routing configuration."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from agentroute.embeddings._base import Embedder
from agentroute.routing._base import BaseRouter
from agentroute.routing._factory import make_router
from agentroute.routing._features import QueryFeaturizer
from agentroute.routing._outcomes import OutcomeStore, RoutingConfig
from agentroute.routing._table import load_outcome_table
from agentroute.types import TargetDescriptor

__all__ = ["default_router", "learn_stored"]


def default_router(
    outcomes: OutcomeStore | str | Path | Sequence[str | Path] | None = None,
    *,
    kind: str = "graph",
    config: RoutingConfig | None = None,
    embedder: Embedder | None = None,
    descriptors: Sequence[TargetDescriptor] = (),
) -> BaseRouter:
    """A :class:`GraphRouter` (descriptor prior until outcomes arrive), warmed from an
    :class:`OutcomeStore` or outcome files when given. Feed it ``router.learn(outcome)``."""
    router = make_router(
        kind,
        featurizer=QueryFeaturizer(embedder),
        config=config,
        descriptors=descriptors,
    )
    if outcomes is None:
        return router
    if isinstance(outcomes, OutcomeStore):
        return learn_stored(router, outcomes)
    return router.fit(load_outcome_table(outcomes, drop_incomplete=False))


def learn_stored(router: BaseRouter, store: OutcomeStore) -> BaseRouter:
    """Feed ``router`` every outcome ``store`` kept (embedded in one batch)."""
    items = store.load()
    if items:
        if not router._fitted_featurizer:
            router.featurizer.fit([o.query for o in items])
            router._fitted_featurizer = True
        vectors = router.featurizer.embed([o.query for o in items])
        for o, v in zip(items, vectors, strict=True):
            router.learn(o, v)
    return router
