"""The learned fusion of preselection: its signals, its greedy choice and the fitted model,
with the real MiniLM embedder over small tool sets."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from agentroute.embeddings import default_embedder
from agentroute.targets import TargetIndex, preselect
from agentroute.targets._fusion import (
    COVER,
    FEATURES,
    Fusion,
    choose,
    features,
    load_fusion,
    part_covers,
)
from agentroute.targets._preselect import request_parts, searches, signals
from agentroute.types import TargetDescriptor, TargetKind


def tool(server: str, name: str, description: str) -> TargetDescriptor:
    return TargetDescriptor(name=f"{server}.{name}", kind=TargetKind.TOOL, server=server,
                            description=description)  # fmt: skip


TOOLS = [
    tool("qrmaker", "generate_qr", "Generate a QR code image for a text or URL"),
    tool("qrmaker", "read_qr", "Decode the text stored in a QR code image"),
    tool("quickqr", "make_qr_code", "Create a QR code from any text or link"),
    tool("barcodes", "qr_generator", "QR code generator: turn a URL into a QR code picture"),
    tool("wordsmith", "random_word", "Returns a random English word"),
    tool("wordsmith", "random_sentence", "Returns a random English sentence"),
    tool("weather", "forecast", "Weather forecast for a city for the next days"),
    tool("weather", "current", "Current weather conditions in a city"),
    tool("fx", "convert", "Convert an amount of money between currencies at today's rate"),
]


@pytest.fixture(scope="module")
def index() -> TargetIndex:
    idx = TargetIndex(default_embedder())
    idx.add(TOOLS)
    return idx


def names(positions: list[int]) -> list[str]:
    return [TOOLS[i].name for i in positions]


def vectors(index: TargetIndex) -> np.ndarray:  # type: ignore[type-arg]
    m = index._matrix()
    return m.rows[m.starts]


def test_signals_of_a_two_part_request(index: TargetIndex) -> None:
    request = "Make me a QR code for my blog. Then tell me the weather forecast for Oslo."
    whole, parts = searches(index, request, k=5)
    assert len(parts) == len(request_parts(request)) == 2
    m = index._matrix()
    candidates, x = features(m.groups, signals(m, whole), [signals(m, p) for p in parts])
    assert x.shape == (len(candidates), len(FEATURES))
    column = {f: x[:, i] for i, f in enumerate(FEATURES)}
    # scores are relative to the request's best; each part's first is flagged
    assert column["whole_rank"].max() == pytest.approx(0.0)
    assert column["part_rank"].max() == pytest.approx(0.0)
    firsts = {
        TOOLS[int(c)].name
        for c, f in zip(candidates, column["part_first"], strict=True)
        if f == 1.0
    }
    assert len(firsts) == 2
    assert any("qr" in n for n in firsts) and any(n.startswith("weather.") for n in firsts)
    assert ((column["parts_top"] >= 0) & (column["parts_top"] <= 1)).all()


def test_one_part_request_reads_the_whole_search_as_its_part(index: TargetIndex) -> None:
    whole, parts = searches(index, "weather in Oslo tomorrow", k=5)
    assert parts == []
    m = index._matrix()
    _, x = features(m.groups, signals(m, whole), [])
    column = {f: x[:, i] for i, f in enumerate(FEATURES)}
    np.testing.assert_allclose(column["whole_rank"], column["part_rank"])
    np.testing.assert_allclose(column["whole_place"], column["part_place"])


def test_choice_drops_the_same_function_of_another_server(index: TargetIndex) -> None:
    """Three QR generators of three servers score highest; only one of them is wanted, so with
    the redundancy share the random word and sentence tools take their places."""
    groups = index._matrix().groups
    scores = np.array([3.0, 0.5, 2.9, 2.8, 2.0, 1.9, 0.1, 0.1, 0.0])
    plain = Fusion(np.zeros(0), np.ones(0), np.zeros(0))
    wary = Fusion(np.zeros(0), np.ones(0), np.zeros(0), redundancy=2.0)
    assert names(choose(scores, vectors(index), groups, 3, plain)) == [
        "qrmaker.generate_qr", "quickqr.make_qr_code", "barcodes.qr_generator"]  # fmt: skip
    assert names(choose(scores, vectors(index), groups, 3, wary)) == [
        "qrmaker.generate_qr", "wordsmith.random_word", "wordsmith.random_sentence"]  # fmt: skip


def test_choice_lifts_a_chosen_tools_siblings(index: TargetIndex) -> None:
    groups = index._matrix().groups
    scores = np.array([0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0, 1.0, 1.2])
    plain = Fusion(np.zeros(0), np.ones(0), np.zeros(0))
    kin = Fusion(np.zeros(0), np.ones(0), np.zeros(0), sibling=0.5)
    assert names(choose(scores, vectors(index), groups, 2, plain))[1] == "fx.convert"
    assert names(choose(scores, vectors(index), groups, 2, kin))[1] == "weather.current"
    # the given firsts come first, excluded targets never
    scores[3] = -np.inf
    picked = choose(scores, vectors(index), groups, 9, kin, first=[5])
    assert picked[0] == 5 and 3 not in picked and len(picked) == 8


def test_choice_serves_each_part_before_any_runner_up(index: TargetIndex) -> None:
    """The QR part's three makers outscore the weather part's tool; with the coverage share
    the weather tool comes second, once the QR part is served."""
    request = "Make me a QR code for my blog. Then tell me the current weather in Oslo."
    whole, parts = searches(index, request, k=5)
    m = index._matrix()
    whole_signals, part_signals = signals(m, whole), [signals(m, p) for p in parts]
    candidates, _ = features(m.groups, whole_signals, part_signals)
    covers = part_covers(whole_signals, part_signals, candidates)
    assert covers.shape == (2, len(candidates)) and (covers.sum(axis=1) == COVER).all()
    at = {TOOLS[int(c)].name: n for n, c in enumerate(candidates)}
    assert covers[1, at["weather.current"]] and not covers[0, at["weather.current"]]
    scores = np.zeros(len(candidates))
    for rank, name in enumerate(["qrmaker.generate_qr", "quickqr.make_qr_code",
                                 "barcodes.qr_generator", "weather.current"]):  # fmt: skip
        scores[at[name]] = 4.0 - rank
    vecs, groups = m.rows[m.starts[candidates]], m.groups[candidates]
    plain = Fusion(np.zeros(0), np.ones(0), np.zeros(0))
    served = Fusion(np.zeros(0), np.ones(0), np.zeros(0), coverage=2.5)
    chosen = [TOOLS[int(candidates[n])].name for n in choose(scores, vecs, groups, 2, plain)]
    assert "weather.current" not in chosen
    chosen = [
        TOOLS[int(candidates[n])].name for n in choose(scores, vecs, groups, 2, served, (), covers)
    ]
    assert chosen == ["qrmaker.generate_qr", "weather.current"]


@pytest.mark.parametrize(
    "request_text",
    [
        "Make me a QR code for my blog. Then tell me the current weather in Oslo.",
        "Create a QR code for my website link, and what's the weather like in Oslo right now?",
    ],
)
def test_fitted_model_covers_both_parts_of_a_request(index: TargetIndex, request_text: str) -> None:
    """Three servers make QR codes, so that part alone could fill the list; the other part's
    tool is in it, and only one of the look-alike QR makers of other servers."""
    assert load_fusion() is not None
    assert len(request_parts(request_text)) == 2
    found = [h.descriptor.name for h in preselect(index, request_text, k=3)]
    assert "weather.current" in found
    assert 1 <= sum("qr" in n for n in found) <= 2


def test_a_model_fitted_on_other_features_is_not_used(tmp_path: Path) -> None:
    path = tmp_path / "weights.json"
    path.write_text(json.dumps({"features": ["cosine"], "mean": [0], "scale": [1], "weights": [1]}))
    assert load_fusion(path) is None
    assert load_fusion(tmp_path / "missing.json") is None
    model = Fusion(np.zeros(len(FEATURES)), np.ones(len(FEATURES)), np.arange(len(FEATURES)) / 10,
                   redundancy=0.5, sibling=1.0)  # fmt: skip
    fitted = tmp_path / "fitted.json"
    fitted.write_text(json.dumps(model.to_json()))
    loaded = load_fusion(fitted)
    assert loaded is not None and loaded.redundancy == 0.5 and loaded.sibling == 1.0
    np.testing.assert_allclose(loaded.weights, model.weights)
