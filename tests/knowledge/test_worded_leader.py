"""A base asked directly answers a keyword fragment that embeds far from every passage and
that no passage writes half of, when one document's passage writes two of its words making
up ``POOL_SHARE`` of their weight and half again as much as any other document's
(``WORDED_LEAD``): the fragment's words point to that one document. Switched off
(``WORDED_LEAD`` infinite), it is declined below the similarity floor. The planner's probe
still routes by similarity. Through ``serve kb``'s MCP server and the base itself, over a real
chromadb base on disk with real MiniLM."""

from __future__ import annotations

import pytest

from agentroute.embeddings import MiniLMEmbedder
from agentroute.knowledge import ChromaKnowledgeBase, Document, Hit, _chroma_kb
from agentroute.knowledge._answer import written_share
from agentroute.knowledge._chroma_kb import _worded_leaders
from agentroute.mcp import build_target_server

DOCS = {
    "moor": ("Mooring", "A mooring line is looped twice over a cast-iron bollard on the quay."),
    "tides": ("Tides", "The harbour has two high tides a day; deep ships enter at high tide."),
    "cargo": ("Cargo", "Cranes unload containers from ships onto trucks at the quay."),
    "fees": ("Fees", "Every ship pays a harbour fee by its tonnage."),
    "pilots": ("Pilots", "Pilots guide large ships through the harbour entrance."),
    "fuel": ("Fuel", "Diesel is sold at the fuel pontoon from six in the morning."),
    "ice": ("Ice", "In winter an icebreaker keeps the channel open."),
    "fish": ("Fish market", "Fishermen sell their catch at the market hall before dawn."),
    "customs": ("Customs", "Customs officers inspect containers arriving from abroad."),
    "repairs": ("Repairs", "The dry dock repairs hulls and propellers."),
    "lights": ("Lighthouse", "The lighthouse flashes white every ten seconds."),
    "radio": ("Radio", "Ships call the harbour office on channel twelve."),
    "waste": ("Waste", "Oily water is pumped ashore into a tank truck."),
    "yachts": ("Yachts", "Visiting yachts moor at the marina pontoons."),
    "ferry": ("Ferry", "The ferry to the island leaves every hour."),
    "weather": ("Weather", "Gale warnings are posted at the harbour office."),
    "security": ("Security", "Only crew with passes may enter the container terminal."),
    "water": ("Fresh water", "Fresh water hoses are on every berth."),
    "tugs": ("Tugboats", "Tugboats push ships against the quay."),
    "parking": ("Parking", "Cars park behind the ferry terminal."),
}
FRAGMENT = "what about looped twice saxophone quarantine"
"""Two words the mooring passage alone writes, two the base never writes."""


@pytest.fixture(scope="module")
def harbour(
    tmp_path_factory: pytest.TempPathFactory, minilm: MiniLMEmbedder
) -> ChromaKnowledgeBase:
    kb = ChromaKnowledgeBase(
        "harbour",
        tmp_path_factory.mktemp("leader") / "harbour",
        minilm,
        description="Harbour operations manual",
    )
    kb.add(Document(id=i, title=t, text=x) for i, (t, x) in DOCS.items())
    return kb


def test_the_fragment_is_far_from_every_passage_and_half_written_by_none(
    harbour: ChromaKnowledgeBase,
) -> None:
    hits = harbour.search(FRAGMENT, 8)
    assert hits[0].doc_id == "moor"
    assert max(h.similarity for h in hits) < harbour.min_similarity
    share, held = written_share(FRAGMENT, f"{hits[0].heading} {hits[0].text}",
                                harbour._names().weight)  # fmt: skip
    assert _chroma_kb.POOL_SHARE <= share < _chroma_kb.WORDED_SHARE and held == 2


async def test_a_served_base_answers_it_from_the_passage_its_words_point_to(
    harbour: ChromaKnowledgeBase,
) -> None:
    server = build_target_server([harbour], "kb")
    out = await server.call_tool("harbour", {"query": FRAGMENT})
    assert "looped twice over a cast-iron bollard" in str(out.structured_content), out
    assert out.structured_content["sources"][0]["ref"] == "moor"  # the first claim
    assert not harbour.probe(FRAGMENT).answers  # only a base asked directly answers


async def test_switched_off_it_is_declined(
    harbour: ChromaKnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_chroma_kb, "WORDED_LEAD", float("inf"))
    obs = await harbour.invoke("s1", FRAGMENT, None, timeout=30)
    assert not obs.ok and "best similarity" in (obs.error or "")


def _hit(doc: str, n: int = 0) -> Hit:
    return Hit(chunk_id=f"{doc}#{n}", doc_id=doc, text="", similarity=0.2)


def test_a_leader_writes_half_again_what_any_other_document_writes() -> None:
    hits = [_hit("a"), _hit("a", 1), _hit("b"), _hit("c")]
    shares = {"a#0": (0.45, 2), "a#1": (0.2, 1), "b#0": (0.25, 2), "c#0": (0.0, 0)}
    assert _worded_leaders(hits, shares) == {"a#0"}  # its own document's passage no rival
    assert _worded_leaders(hits, {**shares, "b#0": (0.35, 2)}) == set()  # 0.45 < 1.5 × 0.35
    assert _worded_leaders(hits, {**shares, "a#0": (0.45, 1)}) == set()  # one word is a name
    assert _worded_leaders(hits, {**shares, "a#0": (0.39, 2)}) == set()  # below POOL_SHARE
