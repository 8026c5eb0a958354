"""Research measurement, kept out of the runtime: cross-validated router evaluation against
baselines (RouterBench measures, RouteLLM's APGR) and the case bank's red-team poisoning scenario.

Nothing the agent runs imports this package; the ``route evaluate`` command, the tests and the
benchmarks do.
"""

from typing import TYPE_CHECKING

from agentroute._lazy import lazy_exports

if TYPE_CHECKING:
    from agentroute.eval._apgr import apgr, pgr_curve
    from agentroute.eval._evaluate import (
        CurveResult,
        EvaluationReport,
        cross_validated_predictions,
        evaluate,
    )
    from agentroute.eval._redteam import RedTeamReport, run_poisoning
    from agentroute.eval._separation import auc, needs_strong_auc
    from agentroute.routing._curves import (
        aiq,
        cost_to_match,
        knob_grid,
        sweep,
        upper_hull,
        zero_router_points,
    )

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "apgr": "agentroute.eval._apgr",
        "pgr_curve": "agentroute.eval._apgr",
        "CurveResult": "agentroute.eval._evaluate",
        "EvaluationReport": "agentroute.eval._evaluate",
        "cross_validated_predictions": "agentroute.eval._evaluate",
        "evaluate": "agentroute.eval._evaluate",
        "RedTeamReport": "agentroute.eval._redteam",
        "run_poisoning": "agentroute.eval._redteam",
        "auc": "agentroute.eval._separation",
        "needs_strong_auc": "agentroute.eval._separation",
        "aiq": "agentroute.routing._curves",
        "cost_to_match": "agentroute.routing._curves",
        "knob_grid": "agentroute.routing._curves",
        "sweep": "agentroute.routing._curves",
        "upper_hull": "agentroute.routing._curves",
        "zero_router_points": "agentroute.routing._curves",
    },
)

__all__ = [
    "CurveResult",
    "EvaluationReport",
    "RedTeamReport",
    "aiq",
    "apgr",
    "auc",
    "cost_to_match",
    "cross_validated_predictions",
    "evaluate",
    "knob_grid",
    "needs_strong_auc",
    "pgr_curve",
    "run_poisoning",
    "sweep",
    "upper_hull",
    "zero_router_points",
]
