"""A model's descriptor as evidence: where a model with few or no outcomes sits among the
models the router has outcomes for.

Each model with outcomes has a profile learned from them: its quality on each task (the
graph router's task level, an IRT-like ability per task). A descriptor (description and
strengths, embedded; price; latency; context window; published benchmark scores) is mapped
into that space in two parts:

* **resemblance**: a weight on each known model from how alike their descriptors are
  (cosine of the embedded texts with every model and family name masked out, closeness of
  price per call, size, latency and context window in orders of magnitude, of published
  scores), so a model described as a coder borrows the coders' profile, per query as well as
  per task, and a shared family name ("Gemma", "Llama") is no resemblance by itself;
* **ability**: per task, the least-squares slope of the known models' quality on each
  published benchmark they share (and, where the router's own leave-one-model-out check says
  so, on log size and log price), applied to the gap between the new model's value and the
  resembling models' average; a better-scoring model is predicted better where the known
  models' scores say the benchmark matters.

Two descriptors that differ only in their description resemble different models and so get
different predictions. Without any evidence (a bare name) there is no resemblance to compute:
the model gets the average profile and is priced as the dearest candidate (see ``_base``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from agentroute.routing._outcomes import ExpertDescriptor, placeholder_description
from agentroute.types import TargetDescriptor

__all__ = [
    "ABILITY_SETS",
    "TEXT_TEMPERATURES",
    "TRUSTS",
    "DescriptorFit",
    "fit_descriptor",
    "has_evidence",
    "mask_names",
    "model_size_b",
    "name_tokens",
]

F64 = npt.NDArray[np.float64]
F32 = npt.NDArray[np.float32]

TEXT_TEMPERATURES = (0.02, 0.05, 0.1, 0.2, 1.0, math.inf)
"""Candidate cosine differences between two known models' texts that change their weight
e-fold (``inf``: the text is not read); the router picks one by predicting its own known
models leave-one-model-out."""
ABILITY_SETS: tuple[tuple[str, ...], ...] = ((), ("size",), ("price",), ("size", "price"))
"""Candidate numeric features whose per-task slope adds an ability offset (published scores
always do); chosen with the temperature, leave-one-model-out."""
TRUSTS = (0.0, 0.25, 0.5, 0.75, 1.0)
"""Candidate shares of the descriptor's prediction kept against the known models' average
profile (0: a descriptor says nothing a plain average does not); chosen the same way, so
descriptors that do not predict the known models' quality are not believed for a new one."""
DECADE_SCALE = 0.5
"""Orders of magnitude of price (latency, context) that cost a weight one e-fold (squared)."""
SCORE_SCALE = 0.05
"""Published-score gap that costs a weight one e-fold (squared)."""
_MIN_SLOPE_MODELS = 3


def descriptor_text(desc: TargetDescriptor | None) -> str:
    """The words a descriptor says about what its model is good at."""
    if desc is None:
        return ""
    said = desc.description if desc.description != placeholder_description(desc.name) else ""
    parts = [said, *desc.domains]
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


_WORD = re.compile(r"[A-Za-z0-9][\w.\-/']*")
_PIECE = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")
_NAME_SIZE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s?b(?![a-z])", re.IGNORECASE)
_TEXT_SIZE = re.compile(r"(\d+(?:\.\d+)?)[\s-]?(?:billion|b)[\s-]+param", re.IGNORECASE)


def name_tokens(names: Iterable[str]) -> frozenset[str]:
    """The pieces model names are made of (``gemma-2-9b-it`` -> gemma, 2, 9b, it): a word in
    a description built from them names a model or a family, and says nothing of ability."""
    out: set[str] = set()
    for name in names:
        for piece in _PIECE.findall(name.lower()):
            out.add(piece)
            stem = piece.rstrip("0123456789.")
            if len(stem) >= 3:
                out.add(stem)
    return frozenset(out)


def mask_names(text: str, tokens: frozenset[str]) -> str:
    """``text`` without its capitalised or numbered words made of model-name pieces
    ("CodeGemma-7B", "Llama-3", "Gemma"): two descriptions then resemble each other for what
    they say a model does, not for a shared family name. Lower-case words ("code",
    "chat") are kept: there they describe the model."""

    def keep(m: re.Match[str]) -> str:
        word = m.group(0)
        if not (word[0].isupper() or word[0].isdigit()):
            return word
        pieces = _PIECE.findall(word.lower())
        named = [p for p in pieces if p in tokens or p.rstrip("0123456789.") in tokens]
        return "" if named and (len(named) * 2 >= len(pieces) or pieces[0] in named) else word

    return re.sub(r"\s+", " ", _WORD.sub(keep, text)).strip()


def model_size_b(desc: TargetDescriptor | None, name: str = "") -> float | None:
    """Billions of parameters: the descriptor's ``parameters_b``, else the size its name
    carries ("llama-3.1-8b"), else the one its description states ("a 7-billion
    parameter model"); ``None`` when none says."""
    if isinstance(desc, ExpertDescriptor) and desc.parameters_b:
        return float(desc.parameters_b)
    name = desc.name if desc is not None else name
    for m in _NAME_SIZE.finditer(name.rsplit("/", 1)[-1]):
        return float(m.group(1))
    if desc is not None:
        m2 = _TEXT_SIZE.search(desc.description or "")
        if m2:
            return float(m2.group(1))
    return None


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
    abilities: tuple[str, ...] = field(default=())
    """The numeric features whose slope added to the ability offset."""
    trust: float = 1.0
    """The share of the descriptor's prediction kept against the known models' average."""
    temperature: float = 0.05
    """The text temperature used (``inf``: the text was not read)."""


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
    abilities: tuple[str, ...] = (),
    trust: float = 1.0,
) -> DescriptorFit:
    """Map ``desc`` (predicted to cost ``cost_per_call``) among the ``known`` models, whose
    mean observed cost per call is ``known_cost`` and quality per task ``task_means``
    (tasks × known); ``abilities``: the numeric features ("size", "price") whose per-task
    slope adds to the ability offset; ``trust``: the share of the prediction kept against the
    known models' average profile (resemblance weights likewise blended with uniform ones)."""
    k = len(known)
    logw = np.zeros(k)
    # Text: the description and strengths against each known model's, names masked out.
    if math.isfinite(temperature):
        tokens = name_tokens([desc.name, *known, *known_desc])
        text = mask_names(descriptor_text(desc), tokens)
        texts = [mask_names(descriptor_text(known_desc.get(m)), tokens) for m in known]
        with_text = [i for i, t in enumerate(texts) if t]
        if text and with_text:
            vecs = embed([text, *(texts[i] for i in with_text)])
            sims = vecs[1:].astype(np.float64) @ vecs[0].astype(np.float64)
            logw[with_text] += (sims - sims.max()) / temperature
            if len(with_text) < k:  # a model without words is as alike as the least alike
                rest = np.setdiff1d(np.arange(k), with_text)
                logw[rest] += (sims.min() - sims.max()) / temperature
    # Price per call, size, latency and context window: closeness in orders of magnitude.
    ctx = desc.context_tokens if isinstance(desc, ExpertDescriptor) else None
    mine = [
        _log_feature(cost_per_call),
        _log_feature(model_size_b(desc)),
        _log_feature(desc.latency_s),
        _log_feature(ctx),
    ]
    theirs_all: list[F64] = []
    for f, value in enumerate(mine):
        theirs = np.array(
            [_known_feature(f, m, known_desc, known_cost[i]) for i, m in enumerate(known)]
        )
        theirs_all.append(theirs)
        if np.isnan(value):
            continue
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
    gaps = [
        (value, np.array([s.get(bench, np.nan) for s in known_scores]))
        for bench, value in scores.items()
    ]
    gaps += [(mine[_FEATURE[a]], theirs_all[_FEATURE[a]]) for a in abilities]
    offset = np.zeros(task_means.shape[0])
    used = 0
    for value, theirs in gaps:
        ok = ~np.isnan(theirs)
        if np.isnan(value) or ok.sum() < _MIN_SLOPE_MODELS or np.ptp(theirs[ok]) <= 0:
            continue
        x = theirs[ok] - theirs[ok].mean()
        slope = (task_means[:, ok] - task_means[:, ok].mean(axis=1, keepdims=True)) @ x / (x @ x)
        wk = w[ok] / max(w[ok].sum(), 1e-12)
        offset += slope * (value - float(theirs[ok] @ wk))
        used += 1
    if used:
        offset /= used
    average = task_means.mean(axis=1)
    quality = np.clip(average + trust * (base + offset - average), 0.02, 0.98)
    w = trust * w + (1.0 - trust) / k
    base = task_means @ w
    return DescriptorFit(
        weights=w,
        task_quality=quality,
        offset=quality - base,
        abilities=abilities,
        trust=trust,
        temperature=temperature,
    )


_FEATURE = {"price": 0, "size": 1}


def _known_feature(
    f: int, model: str, known_desc: Mapping[str, TargetDescriptor], cost: float
) -> float:
    desc = known_desc.get(model)
    if f == 0:
        return _log_feature(cost)
    if f == 1:
        return _log_feature(model_size_b(desc, model))
    if desc is None:
        return float("nan")
    if f == 2:
        return _log_feature(desc.latency_s)
    return _log_feature(desc.context_tokens if isinstance(desc, ExpertDescriptor) else None)
