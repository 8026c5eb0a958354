"""Where a request splits into parts, as a learned per-junction classifier (no LLM).

A junction is a run of connecting tokens between two words (", and then", ";", "?", "+",
"also"). The rules of ``_clauses`` decide most of them; this logistic model, trained on the
planning benchmark's train and development requests (their gold plans say how many parts a
request has and which key values each part holds), scores every junction with features of the
words around it. ``learned/junctions.json`` holds its weights and cue words, apart from the word
tables (its features carry the training requests' misspellings, which the speller must not take
for words); how to retrain it: ``python benchmarks/train_junctions.py``.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from agentroute.text._clauses import Clause, clauses, sets_time
from agentroute.text._word_problems import asks_result, compound_quantities

__all__ = [
    "CONFIDENT",
    "Junction",
    "junction_features",
    "junctions",
    "split_confident",
    "split_probability",
]

CONFIDENT = 0.9
"""The split probability over which a junction the rules kept inside a clause splits it:
chosen by nested leave-one-file-out cross-validation over the development sets
(``benchmarks/bench_junctions.py``), never on the test split. Held out there, the rules of
the commit before each set read 87.8% of its 1,208 requests right, with the model 89.7%."""

_TOKEN = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?|[^\W\d_][\w'’]*|[^\w\s]", re.UNICODE)
_QUOTE = re.compile(r"\"[^\"]*\"|“[^”]*”|‘[^’]*’|(?<!\w)'[^']+'(?!\w)|\([^()]*\)|`[^`]*`")
_DOTTED = re.compile(r"(?<=[^\W\d_])\.(?=[^\W\d_])")
"""The dot inside a dotted name ("resolv.conf", "str.partition"): no sentence ends there."""


@dataclass(frozen=True)
class Junction:
    """A run of cue tokens: ``start``/``end`` are character offsets in the text."""

    start: int
    end: int
    index: int
    """Its place among the text's junctions."""
    features: tuple[str, ...]


@cache
def _model() -> tuple[frozenset[str], dict[str, float], float]:
    data = json.loads(
        resources.files("agentroute.text").joinpath("learned", "junctions.json").read_text("utf-8")
    )
    return frozenset(data["cues"]), dict(data["weights"]), float(data["bias"])


def _shape(token: str) -> str:
    if token[0].isdigit():
        return "num"
    if not token[0].isalpha():
        return "punct"
    return "Cap" if token[0].isupper() else "low"


def junctions(text: str, cues: frozenset[str] | None = None) -> list[Junction]:
    """Every junction of ``text`` outside quotes and parentheses, with its features."""
    cue_words = _model()[0] if cues is None else cues
    masked = _DOTTED.sub("_", _QUOTE.sub(lambda m: "_" * len(m.group(0)), text))
    tokens = [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(masked)]
    runs: list[tuple[int, int]] = []  # token index ranges of cue runs
    i = 0
    while i < len(tokens):
        if tokens[i][2].lower() in cue_words:
            j = i
            while j < len(tokens) and tokens[j][2].lower() in cue_words:
                j += 1
            if i > 0 and j < len(tokens):  # a run between two words
                runs.append((i, j))
            i = j
        else:
            i += 1
    out = []
    bounds = [0, *(j for _, j in runs)]
    for n, (i, j) in enumerate(runs):
        left_start = bounds[n]
        right_end = runs[n + 1][0] if n + 1 < len(runs) else len(tokens)
        words = [t[2] for t in tokens]
        feats = junction_features(
            words[left_start:i], [w.lower() for w in words[i:j]], words[j:right_end], words
        )
        feats += (f"first={n == 0}", f"last={n + 1 == len(runs)}")
        out.append(Junction(tokens[i][0], tokens[j - 1][1], n, feats))
    return out


def junction_features(
    left: list[str], cue: list[str], right: list[str], words: list[str]
) -> tuple[str, ...]:
    """Features of a junction: its cue words, the words either side, what the parts hold."""
    low_left = [w.lower() for w in left]
    low_right = [w.lower() for w in right]
    prev1 = low_left[-1] if low_left else "<s>"
    prev2 = low_left[-2] if len(low_left) > 1 else "<s>"
    next1 = low_right[0] if low_right else "</s>"
    next2 = low_right[1] if len(low_right) > 1 else "</s>"
    head = words[0].lower() if words else "<s>"
    lhead = low_left[0] if low_left else "<s>"
    cue_text = " ".join(cue)
    feats = [
        "bias",
        f"cue={cue_text}",
        *(f"cw={c}" for c in cue),
        f"p1={prev1}",
        f"p2={prev2}",
        f"n1={next1}",
        f"n2={next2}",
        f"n1n2={next1} {next2}",
        f"cue+n1={cue_text}|{next1}",
        f"p1+cue={prev1}|{cue_text}",
        f"p1s={_shape(left[-1]) if left else '<s>'}",
        f"n1s={_shape(right[0]) if right else '</s>'}",
        f"shapes={_shape(left[-1]) if left else '<s>'}|{cue_text}|{_shape(right[0]) if right else '</s>'}",
        f"head={head}",
        f"lhead={lhead}",
        f"lhead+cue={lhead}|{cue_text}",
        f"ldigit={any(w[0].isdigit() for w in left)}",
        f"rdigit={any(w[0].isdigit() for w in right)}",
        f"digits={any(w[0].isdigit() for w in left)}|{any(w[0].isdigit() for w in right)}",
        f"llen={min(len(left), 8)}",
        f"rlen={min(len(right), 8)}",
    ]
    feats.extend(f"lw={w}" for w in set(low_left))
    feats.extend(f"rw={w}" for w in set(low_right))
    return tuple(feats)


def split_probability(junction: Junction) -> float:
    """How likely a new part starts at ``junction`` (the logistic model's output)."""
    _, weights, bias = _model()
    z = bias + sum(weights.get(f, 0.0) for f in junction.features)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


_APPOSED = re.compile(r"[A-Z][\w'’-]*\s*$")
_NAME_ONLY = re.compile(r"\s*[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?[?.!]*\s*")
_TOPIC_END = re.compile(
    r"\b(?:about|on|regarding|concerning)\s+(?:(?:the|a|an|my|our|your)\s+)?"
    r"[^\W\d]+(?:\s+[^\W\d]+){0,2}\s*$",
    re.IGNORECASE,
)
_BARE_THING = re.compile(
    r"\s*(?:the|a|an|my|our|your|his|her|their)\s+[^\W\d]+(?:\s+[^\W\d]+){0,2}[?.!]*\s*",
    re.IGNORECASE,
)


def _holds(text: str, junction: Junction) -> bool:
    """A cut no part starts at, whatever the model says: a name after a comma that only
    places the name before it ("the time in Tokyo, Japan"), or one more thing of a list of
    topics ("an email about the heating and the leaking tap")."""
    left, right = text[: junction.start], text[junction.end :]
    if "," in text[junction.start : junction.end] and _APPOSED.search(left):
        return _NAME_ONLY.fullmatch(right) is not None
    return _TOPIC_END.search(left) is not None and _BARE_THING.fullmatch(right) is not None


def split_confident(found: list[Clause], threshold: float = CONFIDENT) -> list[Clause]:
    """``found`` (the rules' clauses) with each clause cut where the model is confident a
    new part starts, each piece read by the rules again (its lead words, frames and lists).
    Reading the cut clause whole again with a ``;`` at each cut scored lower on the held-out
    sets (89.1% against 89.6%, ``benchmarks/bench_junctions.py``)."""
    out: list[Clause] = []
    group = max((c.group for c in found), default=0)
    for clause in found:
        cuts = [
            j
            for j in junctions(clause.text)
            if split_probability(j) >= threshold and not _holds(clause.text, j)
        ]
        if clause.facts and asks_result(clause.text[clause.facts :]):
            cuts = []  # quantities stated and one question about them: one part
        elif clause.facts and sets_time(clause.text):  # "when it's 9am in Tokyo, what time ..."
            cuts = [j for j in cuts if j.start > clause.facts]
        whole = compound_quantities(clause.text)  # "1 week and 3 days": one quantity
        cuts = [j for j in cuts if not any(a < j.start < b for a, b in whole)]
        if not cuts:
            out.append(clause)
            continue
        last = 0
        for end in [*cuts, None]:
            piece = clause.text[last : end.start if end is not None else len(clause.text)]
            last = end.end if end is not None else last
            if not piece.strip():
                continue
            for part in clauses(piece):
                group += 1
                out.append(Clause(part.text, group, part.facts))
    return out
