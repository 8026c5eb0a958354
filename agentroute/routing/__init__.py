"""Cost-aware expert-model routing that learns from outcomes.

The cost knob: ``RoutingConfig.dollars_per_point`` is the most you would pay for one more point
(0.01) of expected quality. See ``agentroute/routing/README.md``.
"""

from typing import TYPE_CHECKING

from agentroute._lazy import lazy_exports

if TYPE_CHECKING:
    from agentroute.routing._base import BaseRouter
    from agentroute.routing._blend import BlendRouter
    from agentroute.routing._cascade import (
        CascadeResult,
        CascadeRouter,
        agreement,
        normalise_answer,
        weighted_vote,
    )
    from agentroute.routing._cascade_expert import CascadeExpert
    from agentroute.routing._default import default_router
    from agentroute.routing._factory import (
        DEFAULT_ROUTER,
        ROUTERS,
        fit_from_outcomes,
        make_router,
    )
    from agentroute.routing._features import QueryFeaturizer
    from agentroute.routing._graph import GraphRouter
    from agentroute.routing._outcomes import (
        ExpertDescriptor,
        Outcome,
        OutcomeStore,
        RoutingConfig,
    )
    from agentroute.routing._routers import KnnRouter, PriorRouter
    from agentroute.routing._table import OutcomeFileError, OutcomeTable, load_outcome_table

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "BaseRouter": "agentroute.routing._base",
        "BlendRouter": "agentroute.routing._blend",
        "CascadeResult": "agentroute.routing._cascade",
        "CascadeRouter": "agentroute.routing._cascade",
        "agreement": "agentroute.routing._cascade",
        "normalise_answer": "agentroute.routing._cascade",
        "weighted_vote": "agentroute.routing._cascade",
        "CascadeExpert": "agentroute.routing._cascade_expert",
        "default_router": "agentroute.routing._default",
        "DEFAULT_ROUTER": "agentroute.routing._factory",
        "ROUTERS": "agentroute.routing._factory",
        "fit_from_outcomes": "agentroute.routing._factory",
        "make_router": "agentroute.routing._factory",
        "QueryFeaturizer": "agentroute.routing._features",
        "GraphRouter": "agentroute.routing._graph",
        "ExpertDescriptor": "agentroute.routing._outcomes",
        "Outcome": "agentroute.routing._outcomes",
        "OutcomeStore": "agentroute.routing._outcomes",
        "RoutingConfig": "agentroute.routing._outcomes",
        "KnnRouter": "agentroute.routing._routers",
        "PriorRouter": "agentroute.routing._routers",
        "OutcomeFileError": "agentroute.routing._table",
        "OutcomeTable": "agentroute.routing._table",
        "load_outcome_table": "agentroute.routing._table",
    },
)

__all__ = [
    "DEFAULT_ROUTER",
    "ROUTERS",
    "BaseRouter",
    "BlendRouter",
    "CascadeExpert",
    "CascadeResult",
    "CascadeRouter",
    "ExpertDescriptor",
    "GraphRouter",
    "KnnRouter",
    "Outcome",
    "OutcomeFileError",
    "OutcomeStore",
    "OutcomeTable",
    "PriorRouter",
    "QueryFeaturizer",
    "RoutingConfig",
    "agreement",
    "default_router",
    "fit_from_outcomes",
    "load_outcome_table",
    "make_router",
    "normalise_answer",
    "weighted_vote",
]
