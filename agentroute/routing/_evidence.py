"""A model's descriptor as evidence: where a model with few or no outcomes sits among the
models the router has outcomes for.

Each model with outcomes has a profile learned from them: its quality on each task (the
graph router's task level, an IRT-like ability per task). A descriptor (description and
strengths, embedded; price; latency; context window; published benchmark scores) is mapped
into that space in two parts:

* **resemblance**: a weight on each known model from how alike their descriptors are
  (cosine of the embedded texts, closeness of price per call, latency and context window in
  orders of magnitude, of published scores), so a model described as a coder borrows the
  coders' profile, per query as well as per task;
* **ability**: per task, the least-squares slope of the known models' quality on each
  published benchmark they share, applied to the gap between the new model's score and the
  resembling models' average; a better-scoring model is predicted better where the known
  models' scores say the benchmark matters.

Two descriptors that differ only in their description resemble different models and so get
different predictions. Without any evidence (a bare name) there is no resemblance to compute:
the model gets the average profile and is priced as the dearest candidate (see ``_base``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from agentroute.routing._outcomes import ExpertDescriptor
from agentroute.types import TargetDescriptor

__all__ = ["DescriptorFit", "descriptor_text", "fit_descriptor", "has_evidence"]

F64 = npt.NDArray[np.float64]
F32 = npt.NDArray[np.float32]

TEXT_TEMPERATURES = (0.02, 0.05, 0.1, 0.2, 1.0)
"""Candidate cosine differences between two known models' texts that change their weight
e-fold; the router picks one by predicting its own known models leave-one-model-out."""
DECADE_SCALE = 0.5
"""Orders of magnitude of price (latency, context) that cost a weight one e-fold (squared)."""
SCORE_SCALE = 0.05
"""Published-score gap that costs a weight one e-fold (squared)."""
_MIN_SLOPE_MODELS = 3


def descriptor_text(desc: TargetDescriptor | None) -> str:
    """The words a descriptor says about what its model is good at."""
    if desc is None:
        return ""
    parts = [desc.description, *desc.domains]
    if isinstance(desc, ExpertDescriptor):
        parts += desc.strengths
    return ". ".join(p.strip() for p in parts if p and p.strip())


def has_evidence(desc: TargetDescriptor | None) -> bool:
    """Whether a descriptor says anything beyond its name."""
    if desc is None:
        return False
    if descriptor_text(desc) or desc.price_in_per_m > 0 or desc.price_out_per_m > 0:
        return True
    return isinstance(desc, ExpertDescriptor) and bool(desc.published_scores)


@dataclass
class DescriptorFit:
    """Where a descriptor sits among the known models."""

    weights: F64
    """Resemblance to each known model, summing to 1."""
    task_quality: F64
    """Predicted quality on each task: the resembling models' profile plus the ability
    offset from published scores."""
    offset: F64
    """The ability part of ``task_quality``, per task."""
    pseudo_counts: float = 5.0
    """How many outcomes the prediction is worth (set by the router from how well descriptors
    predicted its known models)."""


def _scores(desc: TargetDescriptor | None) -> dict[str, float]:
    return dict(desc.published_scores) if isinstance(desc, ExpertDescriptor) else {}


def _log_feature(value: float | None) -> float:
    return float(np.log10(value)) if value is not None and value > 0 else float("nan")


def fit_descriptor(
    desc: TargetDescriptor,
    cost_per_call: float,
    known: Sequence[str],
    known_desc: Mapping[str, TargetDescriptor],
    known_cost: F64,
    task_means: F64,
    embed: Callable[[list[str]], F32],
    *,
    temperature: float = 0.05,
) -> DescriptorFit:
    """Map ``desc`` (predicted to cost ``cost_per_call``) among the ``known`` models, whose
    mean observed cost per call is ``known_cost`` and quality per task ``task_means``
    (tasks × known)."""
    k = len(known)
    logw = np.zeros(k)
    # Text: the description and strengths against each known model's.
    text = descriptor_text(desc)
    texts = [descriptor_text(known_desc.get(m)) for m in known]
    with_text = [i for i, t in enumerate(texts) if t]
    if text and with_text:
        vecs = embed([text, *(texts[i] for i in with_text)])
        sims = vecs[1:].astype(np.float64) @ vecs[0].astype(np.float64)
        logw[with_text] += (sims - sims.max()) / temperature
        if len(with_text) < k:  # a model without words is as alike as the least alike
            rest = np.setdiff1d(np.arange(k), with_text)
            logw[rest] += (sims.min() - sims.max()) / temperature
    # Price per call, latency and context window: closeness in orders of magnitude.
    mine = [_log_feature(cost_per_call), _log_feature(desc.latency_s)]
    ctx = desc.context_tokens if isinstance(desc, ExpertDescriptor) else None
    mine.append(_log_feature(ctx))
    for f, value in enumerate(mine):
        if np.isnan(value):
            continue
        theirs = np.array(
            [_known_feature(f, m, known_desc, known_cost[i]) for i, m in enumerate(known)]
        )
        ok = ~np.isnan(theirs)
        logw[ok] -= ((theirs[ok] - value) / DECADE_SCALE) ** 2 / 2
    # Published scores: closeness, and the ability offset below.
    scores = _scores(desc)
    known_scores = [_scores(known_desc.get(m)) for m in known]
    for bench, value in scores.items():
        theirs = np.array([s.get(bench, np.nan) for s in known_scores])
        ok = ~np.isnan(theirs)
        logw[ok] -= ((theirs[ok] - value) / SCORE_SCALE) ** 2 / 2 / max(len(scores), 1)
    w = np.exp(logw - logw.max())
    w /= w.sum()
    base = task_means @ w
    offset = np.zeros(task_means.shape[0])
    used = 0
    for bench, value in scores.items():
        theirs = np.array([s.get(bench, np.nan) for s in known_scores])
        ok = ~np.isnan(theirs)
        if ok.sum() < _MIN_SLOPE_MODELS or np.ptp(theirs[ok]) <= 0:
            continue
        x = theirs[ok] - theirs[ok].mean()
        slope = (task_means[:, ok] - task_means[:, ok].mean(axis=1, keepdims=True)) @ x / (x @ x)
        wk = w[ok] / max(w[ok].sum(), 1e-12)
        offset += slope * (value - float(theirs[ok] @ wk))
        used += 1
    if used:
        offset /= used
    quality = np.clip(base + offset, 0.02, 0.98)
    return DescriptorFit(weights=w, task_quality=quality, offset=quality - base)


def _known_feature(
    f: int, model: str, known_desc: Mapping[str, TargetDescriptor], cost: float
) -> float:
    desc = known_desc.get(model)
    if f == 0:
        return _log_feature(cost)
    if desc is None:
        return float("nan")
    if f == 1:
        return _log_feature(desc.latency_s)
    return _log_feature(desc.context_tokens if isinstance(desc, ExpertDescriptor) else None)
