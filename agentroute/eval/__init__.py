"""Research measurement, kept out of the runtime: cross-validated router evaluation against
baselines (RouterBench measures) and the case bank's red-team poisoning scenario.

Nothing the agent runs imports this package; the ``route evaluate`` command, the tests and the
benchmarks do.
"""

from agentroute.eval._evaluate import (
    CurveResult,
    EvaluationReport,
    cross_validated_predictions,
    evaluate,
)
from agentroute.eval._redteam import RedTeamReport, run_poisoning
from agentroute.routing._curves import (
    aiq,
    cost_to_match,
    knob_grid,
    sweep,
    upper_hull,
    zero_router_points,
)

__all__ = [
    "CurveResult",
    "EvaluationReport",
    "RedTeamReport",
    "aiq",
    "cost_to_match",
    "cross_validated_predictions",
    "evaluate",
    "knob_grid",
    "run_poisoning",
    "sweep",
    "upper_hull",
    "zero_router_points",
]
