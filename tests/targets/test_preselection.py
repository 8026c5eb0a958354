"""Preselection at scale: two-stage search, BM25 share and per-part retrieval, with the real
MiniLM embedder over a seeded pool of generated tools."""

from __future__ import annotations

import random

import numpy as np
import pytest

from agentroute.embeddings import default_embedder
from agentroute.targets import TargetIndex, preselect
from agentroute.targets._preselect import request_parts
from agentroute.text import index_words
from agentroute.text._bm25 import LexicalIndex
from agentroute.types import TargetDescriptor, TargetKind

_VERBS = ["get", "list", "search", "convert", "translate", "track", "download", "find"]
_THINGS = ["weather forecast", "stock quote", "flight", "hotel", "song lyrics", "exchange rate",
           "parcel", "recipe", "movie", "news headline", "football match", "crypto price",
           "book", "podcast", "train timetable", "air quality"]  # fmt: skip
_PROVIDERS = ["acme", "globex", "initech", "umbrella", "hooli", "stark"]


def pool(seed: int = 7) -> list[TargetDescriptor]:
    """A fixed pool of tools: verb x thing at a few providers, worded a little differently."""
    rng = random.Random(seed)
    out = []
    for thing in _THINGS:
        for verb in rng.sample(_VERBS, 4):
            provider = rng.choice(_PROVIDERS)
            name = f"{provider}.{verb}_{thing.replace(' ', '_')}"
            out.append(TargetDescriptor(
                name=name, kind=TargetKind.TOOL, server=provider,
                description=f"{verb.capitalize()} {thing} data from the {provider} service.",
                input_schema={"type": "object", "properties": {"query": {"type": "string"}}},
            ))  # fmt: skip
    return out


REQUESTS = [
    "What's the weather forecast for Lisbon tomorrow?",
    "I am flying to Rome next week. Find me a hotel there. Also track my parcel 1Z999.",
    "Show the latest news headlines and the crypto price of bitcoin",
    "Download the lyrics of Yesterday",
    "how is the air quality in Delhi",
]


@pytest.fixture(scope="module")
def embedder():  # type: ignore[no-untyped-def]
    return default_embedder()


def names(hits: list) -> list[str]:  # type: ignore[type-arg]
    return [h.descriptor.name for h in hits]


def test_two_stage_equals_exhaustive_when_candidates_cover_the_pool(embedder) -> None:  # type: ignore[no-untyped-def]
    tools = pool()
    exhaustive = TargetIndex(embedder, candidates=0)
    staged = TargetIndex(embedder, candidates=len(tools))
    for idx in (exhaustive, staged):
        idx.add(tools)
    for request in REQUESTS:
        a, b = exhaustive.search(request, k=8), staged.search(request, k=8)
        assert names(a) == names(b)
        assert [h.score for h in a] == pytest.approx([h.score for h in b])
        assert [h.rank_score for h in a] == pytest.approx([h.rank_score for h in b])


def test_two_stage_finds_the_exhaustive_top_hits_without_server_mean(embedder) -> None:  # type: ignore[no-untyped-def]
    """With the server mean off, a candidate's score does not depend on the others: whenever
    the exhaustive top k are among the first stage's candidates, the order is the same."""
    tools = pool()
    options = {"server_weight": 0.0, "lexical_weight": 0.0}
    exhaustive = TargetIndex(embedder, candidates=0, **options)
    staged = TargetIndex(embedder, candidates=24, **options)
    for idx in (exhaustive, staged):
        idx.add(tools)
    assert len(tools) > 24 * 2  # the first stage really leaves targets out
    for request in REQUESTS:
        a, b = exhaustive.search(request, k=5), staged.search(request, k=5)
        assert names(a) == names(b)
        assert [h.rank_score for h in a] == pytest.approx([h.rank_score for h in b])
        assert [h.best_text for h in a] == [h.best_text for h in b]


def test_two_stage_keeps_scores_cosines_and_kinds(embedder) -> None:  # type: ignore[no-untyped-def]
    tools = pool()
    expert = TargetDescriptor(name="weather_expert", kind=TargetKind.EXPERT,
                              description="An expert on weather forecasts")  # fmt: skip
    idx = TargetIndex(embedder, candidates=20)
    idx.add([*tools, expert])
    request = "What's the weather forecast for Lisbon tomorrow?"
    vector = idx.encode_query(request).vector
    for hit in idx.search(request, k=5):
        rows = embedder.embed([hit.best_text])
        assert hit.score == pytest.approx(float(rows[0] @ vector), abs=1e-4)
    only_tools = idx.search(request, k=5, kinds={TargetKind.TOOL})
    assert all(h.descriptor.kind is TargetKind.TOOL for h in only_tools)
    assert (
        idx.search(request, k=3, kinds={TargetKind.EXPERT})[0].descriptor.name == "weather_expert"
    )


def test_lexical_share_lifts_the_tool_named_by_a_rare_word(embedder) -> None:  # type: ignore[no-untyped-def]
    tools = [
        TargetDescriptor(name="cars.vin_decode", kind=TargetKind.TOOL, server="cars",
                         description="Decode a VIN into make, model and year"),
        TargetDescriptor(name="cars.plate_lookup", kind=TargetKind.TOOL, server="cars",
                         description="Look up a vehicle by its licence plate"),
        TargetDescriptor(name="cars.recalls", kind=TargetKind.TOOL, server="cars",
                         description="List safety recalls of a car model"),
    ]  # fmt: skip
    plain = TargetIndex(embedder, lexical_weight=0.0)
    hybrid = TargetIndex(embedder, lexical_weight=1.0)
    for idx in (plain, hybrid):
        idx.add(tools)
    request = "what does VIN WBAWY32040L678750 stand for"
    a = {h.descriptor.name: h for h in plain.search(request, k=3)}
    b = {h.descriptor.name: h for h in hybrid.search(request, k=3)}
    assert names(hybrid.search(request, k=1)) == ["cars.vin_decode"]
    # the best BM25 match gains the whole share, the others less; cosines stay as they were
    gain = b["cars.vin_decode"].rank_score - a["cars.vin_decode"].rank_score
    assert gain == pytest.approx(1.0, abs=1e-6)
    assert b["cars.recalls"].rank_score - a["cars.recalls"].rank_score < gain
    assert b["cars.vin_decode"].score == pytest.approx(a["cars.vin_decode"].score)


def test_bm25_scores() -> None:
    lex = LexicalIndex(["get weather forecast", "stock quote for a ticker", "weather alerts"])
    scores = lex.scores("weather forecasts please")
    assert scores[0] > scores[2] > 0.0 == scores[1]
    assert not lex.scores("nothing in common").any()
    assert index_words("getUserTweets of_the_Accounts") == ["get", "user", "tweet", "account"]


def test_preselect_covers_every_part_of_a_request(embedder) -> None:  # type: ignore[no-untyped-def]
    tools = pool()
    idx = TargetIndex(embedder)
    idx.add(tools)
    request = ("I'm planning a weekend away with friends. Find me a hotel in Rome. "
               "Also convert 200 dollars with the exchange rate of today.")  # fmt: skip
    parts = request_parts(request)  # the stated preamble joins the part it feeds
    assert len(parts) == 2 and "hotel" in parts[0] and "convert" in parts[1]
    found = names(preselect(idx, request, k=4))
    assert any("hotel" in n for n in found)
    assert any("exchange_rate" in n for n in found)
    whole = idx.encode_query(request).vector
    for hit in preselect(idx, request, k=4):  # score stays the cosine with the request
        assert hit.score == pytest.approx(
            float(embedder.embed([hit.best_text])[0] @ whole), abs=1e-4
        )


def test_preselect_of_a_one_part_request_is_the_plain_search_plus_the_server_share(
    embedder,
) -> None:  # type: ignore[no-untyped-def]
    from agentroute.targets._preselect import LEXICAL_WEIGHT, _with_siblings

    tools = pool()
    idx = TargetIndex(embedder, lexical_weight=LEXICAL_WEIGHT)  # preselect's own BM25 share
    idx.add(tools)
    request = "how is the air quality in Delhi"
    assert request_parts(request) == []
    plain = {h.descriptor.name: h.rank_score for h in idx.search(request, k=len(tools))}
    assert len(plain) == len(tools)
    servers = sorted({d.server for d in tools})
    groups = np.array([servers.index(d.server) for d in tools], dtype=np.int64)
    expected = _with_siblings(groups, np.array([plain[d.name] for d in tools]))
    hits = preselect(idx, request, k=5)
    want = [tools[i].name for i in np.argsort(-expected)[:5]]
    assert names(hits) == want
    assert [h.rank_score for h in hits] == pytest.approx(sorted(expected, reverse=True)[:5])
    assert preselect(idx, request, k=0) == []
    assert np.isfinite([h.rank_score for h in hits]).all()


def test_siblings_of_a_server_strong_match_rise_above_an_equal_stranger() -> None:
    from agentroute.targets._preselect import SIBLING_WEIGHT, _with_siblings

    groups = np.array([0, 0, 1, 1], dtype=np.int64)
    ranks = np.array([0.9, 0.4, 0.4, -np.inf])
    lifted = _with_siblings(groups, ranks)
    # tool 1 shares a server with the best tool 0; tool 2 ties it but its server is weak
    assert lifted[1] > lifted[2]
    assert lifted[0] == pytest.approx(0.9 + SIBLING_WEIGHT * (0.9 + 0.4) / 2)
    assert lifted[2] == pytest.approx(0.4 + SIBLING_WEIGHT * 0.4)  # the excluded counts lowest
    assert np.isneginf(lifted[3])  # excluded stays excluded
    assert list(np.argsort(-lifted)[:1]) == [0]


def test_a_server_with_two_fitting_tools_lifts_more_than_one_lucky_match() -> None:
    from agentroute.targets._preselect import SIBLING_WEIGHT, _with_siblings

    # server 0: two tools that fit; server 1: one that fits a little better, one that does not;
    # server 2: a single tool (its best counts twice)
    groups = np.array([1, 0, 2, 1, 0], dtype=np.int64)
    ranks = np.array([0.8, 0.7, 0.5, 0.1, 0.7])
    lifted = _with_siblings(groups, ranks)
    assert lifted[1] > lifted[0]
    assert lifted[1] == pytest.approx(0.7 + SIBLING_WEIGHT * 0.7)
    assert lifted[0] == pytest.approx(0.8 + SIBLING_WEIGHT * 0.45)
    assert lifted[2] == pytest.approx(0.5 + SIBLING_WEIGHT * 0.5)


def test_preselect_brings_its_own_bm25_share_whatever_the_index(embedder) -> None:  # type: ignore[no-untyped-def]
    from agentroute.targets._preselect import LEXICAL_WEIGHT

    plain, hybrid = TargetIndex(embedder), TargetIndex(embedder, lexical_weight=LEXICAL_WEIGHT)
    for idx in (plain, hybrid):
        idx.add(pool())
    for request in REQUESTS:
        a, b = preselect(plain, request, k=6), preselect(hybrid, request, k=6)
        assert names(a) == names(b)
        assert [h.rank_score for h in a] == pytest.approx([h.rank_score for h in b])


def test_read_only_parts_retrieve_no_writing_tool(embedder) -> None:  # type: ignore[no-untyped-def]
    tools = [
        TargetDescriptor(name="git.git_log", kind=TargetKind.TOOL, server="git", effect="read",
                         description="Show the commit history of a repository"),
        TargetDescriptor(name="git.git_commit", kind=TargetKind.TOOL, server="git",
                         effect="write", description="Record staged changes as a new commit"),
        TargetDescriptor(name="weather.forecast", kind=TargetKind.TOOL, server="weather",
                         effect="read", description="Weather forecast for a city"),
    ]  # fmt: skip
    idx = TargetIndex(embedder)
    idx.add(tools)
    read = "show me the last 5 commits. What is the weather forecast for Oslo?"
    assert len(request_parts(read)) == 2
    assert "git.git_commit" in names(preselect(idx, read, k=3))  # it fits the words
    assert "git.git_commit" not in names(preselect(idx, read, k=3, read_only_parts=True))
    write = "commit the staged changes. What is the weather forecast for Oslo?"
    assert "git.git_commit" in names(preselect(idx, write, k=2, read_only_parts=True))


def _travel_tools() -> list[TargetDescriptor]:
    return [
        TargetDescriptor(name="travelhub.airport_details", kind=TargetKind.TOOL,
                         server="Travel Hacking Tool",
                         description="Name and location of an airport given its IATA code"),
        TargetDescriptor(name="travelhub.get_timezones", kind=TargetKind.TOOL,
                         server="Travel Hacking Tool",
                         description="Time zones in Olsen format with their UTC offset"),
        TargetDescriptor(name="airfinder.airport_by_code", kind=TargetKind.TOOL,
                         server="Airports Finder",
                         description="Details of an airport by its code"),
        TargetDescriptor(name="clock_expert", kind=TargetKind.EXPERT,
                         description="Answers questions about time zones"),
    ]  # fmt: skip


def test_server_words_score_a_provider_by_all_its_tools_words(embedder) -> None:  # type: ignore[no-untyped-def]
    from agentroute.targets._preselect import _server_words

    idx = TargetIndex(embedder)
    idx.add(_travel_tools())
    m = idx._matrix()
    docs = m.server_lexical
    assert docs.size == 3  # two servers and the expert on its own
    share = dict(zip(m.names, _server_words(m, ["details of the airport DFW and Olsen time zones"]),
                     strict=True))  # fmt: skip
    # the provider whose two tools hold "airport" and "Olsen" is the best one, and both its
    # tools carry its share; the provider with the airport words alone gets less
    assert share["travelhub.airport_details"] == share["travelhub.get_timezones"] == 1.0
    assert 0.0 < share["airfinder.airport_by_code"] < 1.0
    # the best share over several texts: a part naming only the other provider's words
    both = dict(zip(m.names, _server_words(m, ["Olsen time zones", "airport by its code"]),
                    strict=True))  # fmt: skip
    assert both["airfinder.airport_by_code"] == 1.0 == both["travelhub.get_timezones"]
    assert not _server_words(m, ["nothing in common here"]).any()


def test_preselect_lifts_the_tool_of_the_provider_the_request_speaks_of(embedder) -> None:  # type: ignore[no-untyped-def]
    import agentroute.targets._preselect as presel

    idx = TargetIndex(embedder)
    idx.add(_travel_tools())
    request = ("List the time zones in Olsen format. "
               "Also give me the name and location of the airport with IATA code DFW.")  # fmt: skip
    assert len(request_parts(request)) == 2
    short = "the DFW airport"  # one part: one shared word would lift a whole server
    assert request_parts(short) == []
    lifted = {h.descriptor.name: h.rank_score for h in preselect(idx, request, k=4)}
    short_lifted = [h.rank_score for h in preselect(idx, short, k=4)]
    weight, presel.SERVER_WORDS_WEIGHT = presel.SERVER_WORDS_WEIGHT, 0.0
    try:
        plain = {h.descriptor.name: h.rank_score for h in preselect(idx, request, k=4)}
        assert short_lifted == pytest.approx([h.rank_score for h in preselect(idx, short, k=4)])
    finally:
        presel.SERVER_WORDS_WEIGHT = weight
    gain = {n: lifted[n] - plain[n] for n in plain}
    assert gain["travelhub.airport_details"] == pytest.approx(weight)
    assert gain["travelhub.airport_details"] > gain["airfinder.airport_by_code"] > 0.0
    tools_only = preselect(idx, request, k=4, kinds={TargetKind.TOOL})
    assert "clock_expert" not in names(tools_only) and len(tools_only) == 3


def test_a_tool_named_in_words_written_together_is_found_by_them(embedder) -> None:  # type: ignore[no-untyped-def]
    """``createcoupon`` without a description: its name read as "create coupon"
    (`agentroute.text.split_joined`), not as word pieces nearer ``updateinventory``."""
    joined = ["getorderbyid", "getproductbyid", "listcustomers", "cancelsubscription",
              "getinvoicepdf", "createcoupon", "deletecustomer", "refundpayment",
              "getshippingrates", "updateinventory"]  # fmt: skip
    index = TargetIndex(embedder)
    index.add(
        TargetDescriptor(name=f"shop.{n}", kind=TargetKind.TOOL, server="shop", description="",
                         input_schema={"type": "object", "properties": {"id": {"type": "string"}}})
        for n in joined
    )  # fmt: skip
    hits = index.search("make a new coupon", k=3)
    assert names(hits)[0] == "shop.createcoupon", names(hits)
    assert hits[0].score > 0.5
