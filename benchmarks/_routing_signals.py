"""Per-prompt signals that separate "needs the strong model" from "a cheap one suffices"
(issue 17, session 22). Design runs inside RouteLLM's design halves and RouterBench's held-out
train split; ``heldout`` measures the design halves' best combination once on the other halves.

Label: the weak (cheap) model fails and the strong one succeeds. For each signal, by 5-fold CV:
AUC for that label and, on RouteLLM, APGR when prompts are ranked by it. Signals:

* the prompt's surface: log length, count of numbers, sentences, operation words (GSM8K),
  answer options' mean length and a negation cue ("NOT", "EXCEPT", "LEAST") (MMLU);
* the subject's (task's) mean gain on the training folds, for the labelled subject and for the
  one a nearest-centroid classifier infers from the embedding (a router is not told it);
* the weak model's outcomes on the prompt's nearest neighbours (MiniLM), similarity-weighted,
  at k = 5 ... 100, and the neighbours' mean gain;
* the tf-idf logistic regression's gain (the reference router);
* stacking: a logistic regression (for the label) or a ridge regression (for the gain) over
  the above, on out-of-fold values; the mean rank of two or three signals;
* on RouterBench, per task: what the other nine models' outcomes on the same prompt tell (a
  ceiling for any estimate of the prompt's difficulty), that difficulty read from the
  prompt's embedding, and the disagreement of the cheapest models' answers (what a cascade
  sees after paying for them).

Run through ``bench_routing.py --signals`` (with ``--dev``, ``--routellm --dev``, ``--routellm``).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import numpy as np
from _routellm import STRONG, _half, data_dir
from _tfidf_peers import tfidf_logreg_quality

from agentroute.eval import apgr, auc
from agentroute.eval._evaluate import _folds
from agentroute.eval._peers import task_classifier_quality
from agentroute.routing import QueryFeaturizer, load_outcome_table
from agentroute.routing._cascade import normalise_answer
from agentroute.routing._features import embed_cached

KS = (5, 10, 25, 50, 100)
YI = "zero-one-ai/Yi-34B-Chat"
_NUM = re.compile(r"\d+(?:[.,]\d+)*")
_OPTION = re.compile(r"^[A-D]\. (.*)$", re.M)
_OPS = re.compile(
    r"\b(percent|half|twice|times|each|every|per|total|left|remaining|more than|less than|"
    r"fraction|average|ratio|discount|profit|rate)\b",
    re.I,
)


def surface(texts: list[str]) -> dict[str, np.ndarray]:
    """Prompt-surface difficulty features."""
    feats: dict[str, list[float]] = {
        k: [] for k in ("length", "numbers", "sentences", "ops", "opt_len", "negation", "digits")
    }
    for t in texts:
        stem = t.split("\nA. ")[0]
        opts = _OPTION.findall(t)
        feats["length"].append(np.log1p(len(t)))
        feats["numbers"].append(len(_NUM.findall(stem)))
        feats["sentences"].append(len(re.findall(r"[.?!](?:\s|$)", stem)))
        feats["ops"].append(len(_OPS.findall(stem)))
        feats["opt_len"].append(np.log1p(np.mean([len(o) for o in opts])) if opts else 0.0)
        feats["negation"].append(float(bool(re.search(r"\b(NOT|EXCEPT|LEAST)\b", stem))))
        feats["digits"].append(sum(ch.isdigit() for ch in t) / max(len(t), 1))
    return {k: np.asarray(v, dtype=float) for k, v in feats.items()}


def knn_scores(xtr: np.ndarray, ytr: np.ndarray, xte: np.ndarray) -> dict[str, np.ndarray]:
    """Similarity-weighted neighbour means of ``ytr`` columns (weak ok, gain) at several k."""
    sims = xte @ xtr.T
    order = np.argsort(-sims, axis=1)
    out: dict[str, np.ndarray] = {}
    for k in KS:
        top = order[:, :k]
        s = np.take_along_axis(sims, top, axis=1)
        w = np.exp(s / 0.05)
        w /= w.sum(axis=1, keepdims=True)
        for j, name in enumerate(("weak_ok", "gain")):
            out[f"knn{k}_{name}"] = (w * ytr[top, j]).sum(axis=1)
    return out


def _logreg(x: np.ndarray, y: np.ndarray, l2: float = 1.0) -> np.ndarray:
    """Weights (bias last) of an L2 logistic regression by Newton steps."""
    x1 = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(x1.shape[1])
    reg = l2 * np.eye(x1.shape[1])
    reg[-1, -1] = 0.0
    for _ in range(25):
        p = 1 / (1 + np.exp(-(x1 @ w)))
        g = x1.T @ (p - y) + reg @ w
        h = (x1 * (p * (1 - p))[:, None]).T @ x1 + reg
        w -= np.linalg.solve(h, g)
    return w


def signals(
    texts: list[str],
    tasks: list[str],
    q: np.ndarray,
    vec: np.ndarray | None,
    s: int,
    w: int,
    seed: int,
) -> dict[str, np.ndarray]:
    """Out-of-fold value of every signal (higher: more likely to need the strong model);
    without ``vec`` no neighbour signals."""
    n = len(texts)
    fold = _folds(n, 5, seed)
    surf = surface(texts)
    gain = q[:, s] - q[:, w]
    y2 = np.stack([q[:, w], gain], axis=1)
    out: dict[str, np.ndarray] = {k: v.copy() for k, v in surf.items()}
    out["short"] = -surf["length"]
    oof: dict[str, np.ndarray] = {}
    tk = np.array(tasks)
    for f in range(5):
        tr, te = np.flatnonzero(fold != f), np.flatnonzero(fold == f)
        if vec is not None:
            for k, v in knn_scores(vec[tr], y2[tr], vec[te]).items():
                oof.setdefault(k, np.zeros(n))[te] = v
        lr = tfidf_logreg_quality([texts[i] for i in tr], q[tr], [texts[i] for i in te])
        oof.setdefault("tfidf_gain", np.zeros(n))[te] = lr[:, s] - lr[:, w]
        means = {t: gain[tr][tk[tr] == t].mean() for t in set(tk[tr])}
        oof.setdefault("task_gain", np.zeros(n))[te] = [
            means.get(t, gain[tr].mean()) for t in tk[te]
        ]
        if vec is not None and len(means) > 1:
            # The subject as a router must infer it (nearest centroid on the embedding).
            pq = task_classifier_quality(
                vec[tr].astype(np.float32),
                [tasks[i] for i in tr],
                q[tr],
                vec[te].astype(np.float32),
            )
            oof.setdefault("inferred_task_gain", np.zeros(n))[te] = pq[:, s] - pq[:, w]
    for k, v in oof.items():
        out[k] = -v if k.endswith("weak_ok") else v
    return out


def stack(
    feats: dict[str, np.ndarray], names: list[str], label: np.ndarray, seed: int
) -> np.ndarray:
    """Out-of-fold logistic stacking of ``names`` for ``label`` (standardised features)."""
    x = np.stack([feats[k] for k in names], axis=1)
    x = (x - x.mean(axis=0)) / np.maximum(x.std(axis=0), 1e-9)
    fold = _folds(len(x), 5, seed + 7)
    out = np.zeros(len(x))
    for f in range(5):
        tr, te = fold != f, fold == f
        wts = _logreg(x[tr], label[tr])
        out[te] = np.hstack([x[te], np.ones((int(te.sum()), 1))]) @ wts
    return out


def stack_gain(
    feats: dict[str, np.ndarray], names: list[str], gain: np.ndarray, seed: int
) -> np.ndarray:
    """Out-of-fold ridge regression of the gain on ``names`` (standardised features)."""
    x = np.stack([feats[k] for k in names], axis=1)
    x = (x - x.mean(axis=0)) / np.maximum(x.std(axis=0), 1e-9)
    x = np.hstack([x, np.ones((len(x), 1))])
    fold = _folds(len(x), 5, seed + 7)
    out = np.zeros(len(x))
    for f in range(5):
        tr, te = fold != f, fold == f
        wts = np.linalg.solve(x[tr].T @ x[tr] + 1.0 * np.eye(x.shape[1]), x[tr].T @ gain[tr])
        out[te] = x[te] @ wts
    return out


def rank_mean(feats: dict[str, np.ndarray], names: list[str]) -> np.ndarray:
    """Mean of the signals' ranks (each signal counted equally)."""
    return np.mean([np.argsort(np.argsort(feats[k])) for k in names], axis=0)


def _rows(feats: dict[str, np.ndarray], q: np.ndarray, s: int, w: int) -> dict[str, Any]:
    need = (q[:, w] < 0.5) & (q[:, s] > 0.5)
    return {k: {"auc": auc(v, need), "apgr": apgr(v, q[:, s], q[:, w])} for k, v in feats.items()}


def _print(title: str, rows: dict[str, Any], key: str = "apgr", top: int = 40) -> None:
    print(title)
    for k, r in sorted(rows.items(), key=lambda kv: -kv[1][key])[:top]:
        print(f"  {k:<26} " + "  ".join(f"{m.upper()} {v:.3f}" for m, v in r.items()))


def run(embedder: Any, cache: Any) -> dict[str, Any]:
    """Every signal on RouteLLM's design halves (5-fold CV inside each)."""
    result: dict[str, Any] = {"split": "design half (seed 1)", "label": "weak fails, strong right"}
    for name in ("gsm8k", "mmlu"):
        table = load_outcome_table(data_dir() / f"{name}.jsonl.gz")
        table = table.subset(_half(table, design=True))
        fz = QueryFeaturizer(embedder).fit(table.queries)
        vec = embed_cached(fz, table.queries, cache).astype(float)
        q = table.quality
        s, w = table.models.index(STRONG), 1 - table.models.index(STRONG)
        need = (q[:, w] < 0.5) & (q[:, s] > 0.5)
        gain = q[:, s] - q[:, w]
        feats = signals(list(table.queries), list(table.tasks), q, vec, s, w, seed=0)
        base = ["length", "numbers", "sentences", "ops", "opt_len", "negation", "digits"]
        knn = [f"knn{k}_{v}" for k in KS for v in ("weak_ok", "gain")]
        for label, names in (
            ("surface", base),
            ("surface+task", [*base, "task_gain"]),
            ("knn+tfidf", [*knn, "tfidf_gain"]),
            ("all", [*base, "task_gain", *knn, "tfidf_gain"]),
            ("tfidf+task+len+knn", ["tfidf_gain", "task_gain", "length", "knn100_gain"]),
        ):
            feats[f"logistic stack {label}"] = stack(feats, names, need.astype(float), seed=0)
            feats[f"ridge stack {label}"] = stack_gain(feats, names, gain, seed=0)
        for combo in COMBOS:
            if all(k in feats for k in combo):
                feats["rank " + "+".join(combo)] = rank_mean(feats, list(combo))
        rows = _rows(feats, q, s, w)
        _print(f"\n{name}: {len(table)} prompts, needs strong {need.mean():.3f}", rows)
        result[name] = rows
    return result


COMBOS = (
    ("tfidf_gain", "task_gain"),
    ("tfidf_gain", "inferred_task_gain"),
    ("tfidf_gain", "length"),
    ("tfidf_gain", "task_gain", "length"),
    ("tfidf_gain", "knn100_gain"),
)
CHOSEN = {"gsm8k": ("tfidf_gain", "length"), "mmlu": ("tfidf_gain", "task_gain")}
"""The best rank combination of each set's design half, measured once on its held-out half."""


def heldout() -> dict[str, Any]:
    """The design halves' best combination and its parts, on the held-out halves, once."""
    result: dict[str, Any] = {"split": "held-out half (seed 1)"}
    for name, combo in CHOSEN.items():
        table = load_outcome_table(data_dir() / f"{name}.jsonl.gz")
        table = table.subset(_half(table, design=False))
        q = table.quality
        s, w = table.models.index(STRONG), 1 - table.models.index(STRONG)
        feats = signals(list(table.queries), list(table.tasks), q, None, s, w, seed=0)
        feats = {k: feats[k] for k in combo}
        feats["rank " + "+".join(combo)] = rank_mean(feats, list(combo))
        rows = _rows(feats, q, s, w)
        _print(f"\n{name} held-out half: {len(table)} prompts", rows)
        result[name] = rows
    return result


def run_routerbench(embedder: Any, cache: Any, files: list[Any]) -> dict[str, Any]:
    """RouterBench's held-out train split only, per task, label "Yi-34B fails, gpt-4 right":
    the prompt-only signals; what the other nine models' outcomes on the same prompt tell
    (a ceiling for any estimate of the prompt's difficulty); the prompt's difficulty (the
    other nine's failure rate) read from its text; the disagreement of cheap models' answers
    (what a cascade sees after paying for them)."""
    from _heldout import _subset, split

    table = load_outcome_table(files, keep_responses=True)
    train = _subset(table, split(table)[0])
    fz = QueryFeaturizer(embedder).fit(train.queries)
    vec = embed_cached(fz, train.queries, cache).astype(float)
    q, c = train.quality, train.cost
    s = train.models.index(STRONG)
    y = train.models.index(YI)
    others = [j for j in range(len(train.models)) if j not in (s, y)]
    by_price = sorted(others, key=lambda j: float(c[:, j].mean()))
    answers = np.array(
        [
            [normalise_answer(train.responses.get((i, j), "")) for j in range(len(train.models))]
            for i in range(len(train))
        ]
    )
    tasks = np.array(train.tasks)
    out: dict[str, Any] = {"split": "RouterBench held-out train split, 5-fold CV per task"}
    for t in sorted(set(tasks)):
        m = np.flatnonzero(tasks == t)
        qt = q[m]
        need = (qt[:, y] < 0.5) & (qt[:, s] > 0.5)
        texts = [train.queries[i] for i in m]
        feats = signals(texts, [t] * len(m), qt, vec[m], s, y, seed=0)
        feats.pop("task_gain")
        base = ["length", "numbers", "sentences", "opt_len", "negation", "digits"]
        knn = [f"knn{k}_{v}" for k in KS for v in ("weak_ok", "gain")]
        feats["logistic stack all"] = stack(
            feats, [*base, *knn, "tfidf_gain"], need.astype(float), seed=0
        )
        difficulty = 1 - qt[:, others].mean(axis=1)
        fold = _folds(len(m), 5, 0)
        from_text, from_outcomes = np.zeros(len(m)), np.zeros(len(m))
        for f in range(5):
            a, b = np.flatnonzero(fold != f), np.flatnonzero(fold == f)
            x = np.hstack([vec[m][a], np.ones((len(a), 1))])
            coef = np.linalg.solve(
                x.T @ x + 3.0 * np.eye(x.shape[1]), x.T @ (difficulty[a] - difficulty[a].mean())
            )
            from_text[b] = np.hstack([vec[m][b], np.ones((len(b), 1))]) @ coef
            wts = _logreg(qt[a][:, others], need[a].astype(float))
            from_outcomes[b] = np.hstack([qt[b][:, others], np.ones((len(b), 1))]) @ wts
        feats["difficulty read from the text (ridge)"] = from_text
        rows: dict[str, Any] = {k: {"auc": auc(v, need)} for k, v in feats.items()}
        rows["difficulty read from the text (ridge)"]["corr"] = float(
            np.corrcoef(from_text, difficulty)[0, 1]
        )
        rows["ceiling: other nine models' failure rate"] = {"auc": auc(difficulty, need)}
        rows["ceiling: logistic on the other nine's outcomes"] = {"auc": auc(from_outcomes, need)}
        for label, cols in (("3 cheapest", by_price[:3]), ("5 cheapest", by_price[:5])):
            dis = np.array(
                [1 - Counter(answers[i, cols]).most_common(1)[0][1] / len(cols) for i in m]
            )
            rows[f"answers' disagreement, {label}"] = {"auc": auc(dis, need)}
        _print(
            f"\nrouterbench {t}: {len(m)} prompts, needs gpt-4 {need.mean():.3f}", rows, "auc", 14
        )
        out[t] = rows
    return out
