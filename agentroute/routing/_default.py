"""The router an agent gets when it has several experts and no routing configuration."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from agentroute.embeddings._base import Embedder
from agentroute.routing._base import BaseRouter
from agentroute.routing._factory import DEFAULT_ROUTER, fit_from_outcomes, make_router
from agentroute.routing._features import QueryFeaturizer
from agentroute.routing._outcomes import OutcomeStore, RoutingConfig
from agentroute.types import TargetDescriptor

__all__ = ["default_router", "learn_stored"]


def default_router(
    outcomes: OutcomeStore | str | Path | Sequence[str | Path] | None = None,
    *,
    kind: str = DEFAULT_ROUTER,
    config: RoutingConfig | None = None,
    embedder: Embedder | None = None,
    descriptors: Sequence[TargetDescriptor] = (),
    cache_dir: str | Path | None = None,
) -> BaseRouter:
    """A router of :data:`DEFAULT_ROUTER`'s kind (descriptor prior until outcomes arrive),
    warmed from an :class:`OutcomeStore` or outcome files when given (the fit on files cached
    under ``cache_dir``, keyed by their contents). Feed it ``router.learn(outcome)``."""
    if outcomes is not None and not isinstance(outcomes, OutcomeStore):
        return fit_from_outcomes(
            outcomes,
            router=kind,
            embedder=embedder,
            descriptors=descriptors,
            config=config,
            cache_dir=cache_dir,
            drop_incomplete=False,
        )
    router = make_router(
        kind,
        featurizer=QueryFeaturizer(embedder),
        config=config,
        descriptors=descriptors,
    )
    if outcomes is None:
        return router
    return learn_stored(router, outcomes)


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
