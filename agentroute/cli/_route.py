"""``agentroute route ...``: explain a routing decision, evaluate a router on outcome files.

``explain`` routes among the experts of ``agentroute.toml`` when it configures two or more
(with the router, knob and outcomes it configures; ``--outcomes`` replaces the configured
outcome files); with no such configuration, among the models of the outcome files
(``--outcomes``, or the folder ``$AGENTROUTE_ROUTERBENCH`` names). Either fit is cached under
the user cache, keyed by the outcome files' contents, so only the first call pays for it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer

from agentroute.embeddings._ngram_hashing import NgramHashingEmbedder
from agentroute.routing._base import BaseRouter
from agentroute.routing._factory import DEFAULT_ROUTER
from agentroute.routing._outcomes import RoutingConfig
from agentroute.types import RouteDecision, TargetDescriptor, TargetKind

__all__ = ["default_outcome_files", "explain", "render_decision", "route_app"]

_OUTCOME_FILES_HELP = (
    "Outcome files: CSV, JSONL or a .json list of rows (LLMRouter's), wide or long layout, "
    "plain or gzipped."
)
route_app = typer.Typer(no_args_is_help=True, help="Explain and evaluate expert-model routing.")


def _routing_cache() -> Path | None:
    """Outcome queries' vectors, in the user's cache (``AGENTROUTE_CACHE_DIR``) with the rest."""
    from agentroute.embeddings._cache_dir import user_cache_dir

    folder = user_cache_dir()
    return folder / "routing" if folder is not None else None


def default_outcome_files() -> list[Path]:
    """The outcome files named by ``$AGENTROUTE_ROUTERBENCH`` (a folder of RouterBench CSVs).

    The package carries no outcome data and never looks for any outside the paths it is given:
    a clone of the repository has RouterBench in ``data/routerbench``."""
    env = os.environ.get("AGENTROUTE_ROUTERBENCH")
    if not env:
        return []
    return sorted(Path(env).glob("*.csv"))


_NO_OUTCOMES = (
    "no outcome files: give --outcomes FILE (CSV or JSONL; a clone of agentroute carries "
    "RouterBench in data/routerbench/), set AGENTROUTE_ROUTERBENCH to a folder of them, or "
    "configure two or more [experts] in agentroute.toml"
)


def render_decision(decision: RouteDecision) -> str:
    """A plain-text table of the candidates, best first, with the decision's reason."""
    lines = [
        f"chosen: {decision.target or '(none)'}",
        f"reason: {decision.reason}",
        "",
        f"{'candidate':<40}{'score':>9}{'quality':>9}{'cost $':>12}",
    ]
    for a in decision.alternatives:
        mark = "*" if a.target == decision.target else " "
        q = f"{a.predicted_quality:.3f}" if a.predicted_quality is not None else "-"
        c = f"{a.predicted_cost:.6f}" if a.predicted_cost is not None else "-"
        lines.append(f"{mark}{a.target:<39}{a.score:>9.3f}{q:>9}{c:>12}")
    return "\n".join(lines)


def explain(
    router: BaseRouter,
    query: str,
    candidates: list[TargetDescriptor],
    *,
    max_cost_usd: float | None = None,
) -> RouteDecision:
    return router.choose(query, candidates, max_cost_usd=max_cost_usd, step_id="explain")


def _fit(outcomes: list[Path], router: str, hashing: bool, dollars_per_point: float) -> BaseRouter:
    from agentroute.routing._factory import fit_from_outcomes

    files = outcomes or default_outcome_files()
    if not files:
        raise typer.BadParameter(_NO_OUTCOMES, param_hint="--outcomes")
    return fit_from_outcomes(
        files,
        router=router,
        embedder=NgramHashingEmbedder() if hashing else None,
        config=RoutingConfig(dollars_per_point=dollars_per_point),
        cache_dir=_routing_cache(),
    )


def _configured(
    config: Path | None, outcomes: list[Path]
) -> tuple[BaseRouter, list[TargetDescriptor]] | None:
    """The configured experts' router and descriptors, when the configuration has two or more
    (``outcomes``, when given, in place of the configured outcome files)."""
    from agentroute.build import expert_routing, make_expert
    from agentroute.config import ConfigError, find_config, load_config
    from agentroute.routing._cascade_expert import CascadeExpert

    path = config or find_config()
    if path is None:
        return None
    try:
        cfg = load_config(path)
    except ConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    if len(cfg.experts) < 2:
        return None
    if outcomes:
        cfg = cfg.model_copy(
            update={"routing": cfg.routing.model_copy(update={"outcomes": list(outcomes)})}
        )
    from agentroute.embeddings import default_embedder

    experts = [make_expert(name, e, source=cfg.source) for name, e in cfg.experts.items()]
    router, _ = expert_routing(cfg, default_embedder(), experts)
    if isinstance(router, CascadeExpert):
        router = router.cascade.base
    return router, [e.descriptor for e in experts]


@route_app.command("explain")
def explain_cmd(
    query: Annotated[str, typer.Argument(help="The (sub-)query to route.")],
    outcomes: Annotated[
        list[Path], typer.Option("--outcomes", "-o", help=_OUTCOME_FILES_HELP)
    ] = [],  # noqa: B006
    router: Annotated[
        str, typer.Option(help="prior, knn, graph or blend (without a configuration).")
    ] = DEFAULT_ROUTER,
    dollars_per_point: Annotated[
        float, typer.Option(help="Most dollars you would pay for one more point (0.01) of quality.")
    ] = RoutingConfig().dollars_per_point,
    per_turn_usd: Annotated[
        float | None, typer.Option(help="Most this one call may cost, in dollars.")
    ] = None,
    hashing: Annotated[
        bool, typer.Option(help="Hashing embeddings instead of MiniLM (fast).")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the RouteDecision as JSON.")
    ] = False,
    config: Annotated[
        Path | None,
        typer.Option("--config", "-c", help="agentroute.toml (default: found in . or a parent)."),
    ] = None,
) -> None:
    """List the candidates with predicted quality, cost, score and the reason for the choice."""
    configured = _configured(config, outcomes)
    if configured is not None:
        fitted, candidates = configured
    else:
        fitted = _fit(outcomes, router, hashing, dollars_per_point)
        candidates = [
            TargetDescriptor(name=m, kind=TargetKind.EXPERT) for m in fitted.memory.models
        ]
    decision = explain(fitted, query, candidates, max_cost_usd=per_turn_usd)
    if as_json:
        typer.echo(json.dumps(decision.model_dump(mode="json"), indent=2))
    else:
        typer.echo(render_decision(decision))


@route_app.command("evaluate")
def evaluate_cmd(
    outcomes: Annotated[
        list[Path], typer.Option("--outcomes", "-o", help=_OUTCOME_FILES_HELP)
    ] = [],  # noqa: B006
    routers: Annotated[
        str, typer.Option(help="Comma-separated router names.")
    ] = "prior,knn,graph,blend",
    test: Annotated[
        list[Path],
        typer.Option("--test", help="Held-out outcome files: fit on --outcomes, measure on these."),
    ] = [],  # noqa: B006
    folds: Annotated[int, typer.Option(help="Cross-validation folds (without --test).")] = 5,
    hashing: Annotated[
        bool, typer.Option(help="Hashing embeddings instead of MiniLM (fast).")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """AIQ of routers and baselines: fit on --outcomes, scored on --test or cross-validated.

    Any model pool: the routers learn the models the outcome files name."""
    from agentroute.eval import evaluate  # research code: loaded only by this command

    files = outcomes or default_outcome_files()
    if not files:
        raise typer.BadParameter(_NO_OUTCOMES, param_hint="--outcomes")
    report = evaluate(
        files,
        test or None,
        routers=[r.strip() for r in routers.split(",") if r.strip()],
        folds=folds,
        embedder=NgramHashingEmbedder() if hashing else None,
        cache_dir=_routing_cache(),
    )
    if as_json:
        typer.echo(
            report.model_dump_json(indent=2, exclude={"results": {"__all__": {"points", "hull"}}})
        )
    else:
        typer.echo(report.table())
