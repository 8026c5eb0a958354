"""Preselection's learned re-ranker: its features, its file, and that a request of several
parts is really ordered by it (real MiniLM embedder, the shipped weights)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from agentroute.embeddings import default_embedder
from agentroute.targets import TargetIndex, preselect
from agentroute.targets._preselect import candidate_table, request_parts
from agentroute.targets._rerank import (
    BASE_FEATURES,
    FEATURES,
    MODEL_FILE,
    Reranker,
    feature_table,
    load_reranker,
)
from agentroute.types import TargetDescriptor, TargetKind


def test_positions_servers_and_ranks_within_a_server() -> None:
    # five candidates, best first, on servers 7, 3, 7, 9, 3
    base = np.arange(5 * len(BASE_FEATURES), dtype=np.float64).reshape(5, len(BASE_FEATURES))
    table = feature_table(base, np.array([7, 3, 7, 9, 3], dtype=np.int64))
    assert table.shape == (5, len(FEATURES))
    assert np.array_equal(table[:, : len(BASE_FEATURES)], base)  # handed over as they are
    col = {name: table[:, FEATURES.index(name)] for name in FEATURES}
    assert col["position"] == pytest.approx([1, 1 / 2, 1 / 3, 1 / 4, 1 / 5])
    # server 7 holds the best candidate, 3 the second, 9 the fourth: servers rank 1st, 2nd, 3rd
    assert col["server_rank"] == pytest.approx([1, 1 / 2, 1, 1 / 3, 1 / 2])
    assert col["rank_in_server"] == pytest.approx([1, 1, 1 / 2, 1, 1 / 2])


def test_a_model_file_round_trips_and_a_stale_one_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    n = len(FEATURES)
    model = Reranker(30, np.zeros(n), np.ones(n), np.linspace(-1.0, 1.0, n))
    path = tmp_path / "model.json"
    path.write_text(json.dumps(model.to_json()))
    back = load_reranker(path)
    assert back is not None and back.candidates == 30
    table = np.random.default_rng(3).normal(size=(6, n))
    assert back.scores(table) == pytest.approx(table @ np.linspace(-1.0, 1.0, n))
    stale = {**model.to_json(), "features": [*FEATURES[:-1], "something_else"]}
    with pytest.raises(ValueError, match="retrain"):
        Reranker.from_json(stale)
    short = {**model.to_json(), "weights": [1.0]}
    with pytest.raises(ValueError, match="values"):
        Reranker.from_json(short)
    assert load_reranker(tmp_path / "absent.json") is None


def test_the_shipped_model_matches_this_version() -> None:
    model = load_reranker(MODEL_FILE)
    assert model is not None
    assert model.candidates >= 5
    assert np.isfinite(model.weights).all() and (model.scale > 0).all()
    # the summed score is what the candidates were drawn by; it must not count against them
    assert model.weights[FEATURES.index("combined")] > 0


def _tools() -> list[TargetDescriptor]:
    specs = {
        "skyview": ["weather forecast for a city", "air quality index of a city",
                    "sunrise and sunset times"],
        "meteo": ["hourly weather forecast", "historical weather data"],
        "fx": ["currency exchange rate between two currencies", "convert an amount of money"],
        "hotels": ["search hotels in a city", "hotel reviews", "book a hotel room"],
        "flights": ["search flights between airports", "flight status by number"],
        "recipes": ["recipe search by ingredient", "nutrition facts of a dish"],
    }  # fmt: skip
    return [
        TargetDescriptor(name=f"{server}.{desc.split()[0]}_{i}", kind=TargetKind.TOOL,
                         server=server, description=desc.capitalize() + ".")
        for server, descs in specs.items() for i, desc in enumerate(descs)
    ]  # fmt: skip


@pytest.fixture(scope="module")
def index() -> TargetIndex:
    idx = TargetIndex(default_embedder())
    idx.add(_tools())
    return idx


REQUEST = ("We are flying to Lisbon next week. Find us a hotel near the centre. "
           "Also, what is the weather forecast there, and convert 300 dollars to euros?")  # fmt: skip


def test_a_request_of_several_parts_is_ordered_by_the_model(index: TargetIndex) -> None:
    model = load_reranker()
    assert model is not None and len(request_parts(REQUEST)) >= 2
    _, _, positions, base = candidate_table(index, REQUEST, k=len(index))
    assert base is not None
    learned = model.scores(feature_table(base, index._matrix().groups[positions]))
    names = index._matrix().names
    want = [names[int(positions[i])] for i in np.argsort(-learned, kind="stable")]
    got = [h.descriptor.name for h in preselect(index, REQUEST, k=len(index))]
    assert got == want
    plain = [h.descriptor.name for h in preselect(index, REQUEST, k=len(index), rerank=False)]
    assert sorted(plain) == sorted(got)  # the same candidates, maybe in another order
    top = got[:5]
    assert any(n.startswith("hotels.") for n in top)
    assert any(n.startswith("fx.") for n in top)


def test_each_part_keeps_its_own_best_first_when_asked(index: TargetIndex) -> None:
    _, _, positions, base = candidate_table(index, REQUEST, k=3, per_part=1)
    assert base is not None
    names = index._matrix().names
    firsts = {names[int(i)] for i in positions[base[:, BASE_FEATURES.index("first")] > 0]}
    assert 2 <= len(firsts) <= len(request_parts(REQUEST))
    got = [h.descriptor.name for h in preselect(index, REQUEST, k=len(firsts), per_part=1)]
    assert set(got) == firsts


def test_a_one_part_request_is_not_re_ranked(index: TargetIndex) -> None:
    request = "what is the air quality in Delhi today"
    assert request_parts(request) == []
    with_model = [h.descriptor.name for h in preselect(index, request, k=5)]
    without = [h.descriptor.name for h in preselect(index, request, k=5, rerank=False)]
    assert with_model == without


def test_the_part_and_cosine_features_read_the_request(index: TargetIndex) -> None:
    parts = request_parts(REQUEST)
    _, _, positions, base = candidate_table(index, REQUEST, k=len(index))
    assert base is not None
    m = index._matrix()
    col = {name: base[:, BASE_FEATURES.index(name)] for name in BASE_FEATURES}
    server = {m.names[int(i)].split(".")[0]: row for row, i in enumerate(positions)}
    # the hotel part is served by the hotels server, no part asks for a recipe
    assert col["server_parts"][server["hotels"]] >= 1 / len(parts)
    assert col["server_parts"][server["recipes"]] == 0.0
    assert ((col["server_parts"] >= 0) & (col["server_parts"] <= 1)).all()
    # every tool here has a description; the plain cosine's best has rank 1 under some text
    assert not col["undescribed"].any()
    assert col["cosine_rank"].max() == 1.0 and (col["cosine_rank"] > 0).all()
    # the request names hotels, flights, weather and money: the recipes server holds none of it
    coverage = col["server_coverage"]
    assert coverage[server["recipes"]] == 0.0 < coverage[server["hotels"]] <= 1.0
    assert coverage[server["fx"]] > 0.0


def test_a_tool_without_a_description_is_marked() -> None:
    idx = TargetIndex(default_embedder())
    bare = TargetDescriptor(name="rates.latest", kind=TargetKind.TOOL, server="rates",
                            input_schema={"type": "object", "properties": {"base": {}}})  # fmt: skip
    idx.add([*_tools(), bare])
    _, _, positions, base = candidate_table(idx, REQUEST, k=len(idx))
    assert base is not None
    names = [idx._matrix().names[int(i)] for i in positions]
    marked = base[:, BASE_FEATURES.index("undescribed")]
    assert marked[names.index("rates.latest")] == 1.0
    assert marked.sum() == 1.0
