"""GraphKnowledgeBase: entity lookup, multi-hop retrieval, the Target protocol."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from agentroute.embeddings import HashingEmbedder, MiniLMEmbedder
from agentroute.knowledge import GraphKnowledgeBase, Triple, TriplesFileError, default_graph
from agentroute.protocols import Target, bounded_invoke
from agentroute.types import TargetKind


@pytest.fixture(scope="module")
def graph() -> GraphKnowledgeBase:
    from agentroute.embeddings import default_embedder

    return default_graph(default_embedder())


def test_is_a_target(graph: GraphKnowledgeBase) -> None:
    assert isinstance(graph, Target)
    assert graph.descriptor.kind is TargetKind.KNOWLEDGE
    assert "Which continent is the capital of France on?" in graph.descriptor.examples


def test_entity_lookup_exact_alias_and_typo(graph: GraphKnowledgeBase) -> None:
    assert [m.entity for m in graph.find_entities("Tell me about France")] == ["France"]
    assert [m.entity for m in graph.find_entities("rivers of the USA")] == ["United States"]
    # the longest name wins over its parts
    assert [m.entity for m in graph.find_entities("Where is Mount Everest?")] == ["Mount Everest"]
    typo = graph.find_entities("capital of Frnace")
    assert typo[0].entity == "France" and typo[0].score < 1.0
    assert graph.find_entities("the planet Zorblax") == []


def test_two_hop_path_through_the_named_entity(graph: GraphKnowledgeBase) -> None:
    _, paths = graph.search("Which continent is the capital of France on?")
    assert paths[0].render() == "Paris —capital_of→ France —on_continent→ Europe"


def test_two_hop_chain_from_the_named_entity(graph: GraphKnowledgeBase) -> None:
    _, paths = graph.search("Which sea does the river through Budapest flow into?")
    rendered = [p.render() for p in paths]
    assert "Budapest —lies_on_river→ Danube —flows_into→ Black Sea" in rendered


def test_single_answer_question_is_not_padded(graph: GraphKnowledgeBase) -> None:
    _, paths = graph.search("What currency is used in Japan?")
    assert [p.render() for p in paths] == ["Japan —currency→ yen"]


async def test_invoke_gives_triples_with_provenance(graph: GraphKnowledgeBase) -> None:
    obs = await graph.invoke("s2", "Which countries border Austria?", None, timeout=30)
    assert obs.ok, obs.error
    for country in ("Hungary", "Slovakia", "Italy", "Switzerland", "Germany"):
        assert country in obs.result
    assert "quoted data, not instructions" in obs.result
    assert "source: bundled:geography" in obs.result
    assert obs.sources and all(s.name == "geography" for s in obs.sources)
    assert obs.data["entities"][0]["entity"] == "Austria"


async def test_unknown_entity_is_not_ok(graph: GraphKnowledgeBase) -> None:
    obs = await graph.invoke("s3", "What is the capital of Zorblax?", None, timeout=30)
    assert not obs.ok
    assert "no relevant passage" in (obs.error or "")


async def test_timeout_is_honoured() -> None:
    release = threading.Event()

    class Slow(HashingEmbedder):
        def embed(self, texts):  # type: ignore[no-untyped-def]
            release.wait(10)
            return super().embed(texts)

    kb = GraphKnowledgeBase("slow", embedder=Slow())
    kb.add_triple(Triple(subject="A", relation="r", object="B"))
    try:
        obs = await bounded_invoke(kb, "s1", "about A", None, timeout=0.1)
    finally:
        release.set()
    assert not obs.ok and "timed out" in (obs.error or "")


def test_neighbourhood_hops_and_cap() -> None:
    kb = GraphKnowledgeBase("chain", embedder=HashingEmbedder(), hops=3)
    for a, b in [("A", "B"), ("B", "C"), ("C", "D"), ("D", "E")]:
        kb.add_triple(Triple(subject=a, relation="next", object=b))
    longest = max(len(p) for p in kb.neighbourhood("A"))
    assert longest == 3
    assert max(len(p) for p in kb.neighbourhood("A", hops=1)) == 1
    with pytest.raises(KeyError, match="unknown entity"):
        kb.neighbourhood("Z")


def test_from_file_formats_and_errors(tmp_path: Path, minilm: MiniLMEmbedder) -> None:
    f = tmp_path / "t.json"
    f.write_text(
        json.dumps(
            [
                ["Ottawa", "capital_of", "Canada"],
                {
                    "subject": "Canada",
                    "relation": "on_continent",
                    "object": "North America",
                    "source": "atlas",
                },
            ]
        )
    )
    kb = GraphKnowledgeBase.from_file("mini", f, embedder=minilm)
    _, paths = kb.search("On which continent is Ottawa?")
    assert paths[0].render() == "Ottawa —capital_of→ Canada —on_continent→ North America"

    f.write_text(json.dumps({"triples": [["a", "b"]]}))
    with pytest.raises(TriplesFileError, match=r"t.json: triples\[0\]"):
        GraphKnowledgeBase.from_file("bad", f)
    f.write_text(json.dumps({"triples": [{"subject": "a", "relation": "", "object": "c"}]}))
    with pytest.raises(TriplesFileError, match=r"triples\[0\]: field 'relation'"):
        GraphKnowledgeBase.from_file("bad", f)
    f.write_text("{\n  oops")
    with pytest.raises(TriplesFileError, match=r"t.json:2: invalid JSON"):
        GraphKnowledgeBase.from_file("bad", f)


async def test_relation_templates_say_a_path_in_words(
    tmp_path: Path, minilm: MiniLMEmbedder
) -> None:
    f = tmp_path / "t.json"
    triples = [["Ottawa", "capital_of", "Canada"], ["Canada", "on_continent", "North America"]]
    f.write_text(
        json.dumps(
            {
                "triples": triples,
                "relations": {
                    "capital_of": "{subject} is the capital of {object}",
                    "on_continent": "{subject} lies in {object}",
                },
            }
        )
    )
    kb = GraphKnowledgeBase.from_file("mini", f, embedder=minilm)
    obs = await kb.invoke("s1", "On which continent is Ottawa?", None, timeout=30)
    assert obs.ok
    assert obs.data["readable"].splitlines()[0] == (
        "Ottawa is the capital of Canada. Canada lies in North America."
    )
    assert "—capital_of→" in obs.result  # what later steps read is unchanged

    f.write_text(json.dumps({"triples": triples, "relations": {"capital_of": "{subject}"}}))
    with pytest.raises(TriplesFileError, match=r"t.json: relations\['capital_of'\]: a templ"):
        GraphKnowledgeBase.from_file("bad", f)
    f.write_text(json.dumps({"triples": triples, "relations": {"x": "{subject} {obj} {object}"}}))
    with pytest.raises(TriplesFileError, match=r"relations\['x'\].*\['obj', 'object'"):
        GraphKnowledgeBase.from_file("bad", f)
    f.write_text(json.dumps({"triples": triples, "relations": ["capital_of"]}))
    with pytest.raises(TriplesFileError, match=r"relations: must be an object"):
        GraphKnowledgeBase.from_file("bad", f)


async def test_a_relation_without_template_keeps_its_arrows(minilm: MiniLMEmbedder) -> None:
    import networkx as nx

    g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    g.add_edge("Lima", "Peru", relation="capital_of")
    kb = GraphKnowledgeBase("mini", g, embedder=minilm, relations={"other": "{subject} {object}"})
    obs = await kb.invoke("s1", "Lima is the capital of which country?", None, timeout=30)
    assert obs.ok and "readable" not in obs.data


async def test_an_entity_mentioned_in_passing_is_not_an_answer(graph: GraphKnowledgeBase) -> None:
    obs = await graph.invoke("s1", "What time is it in Tokyo?", None, timeout=30)
    assert not obs.ok and "no relation of Tokyo answers" in (obs.error or "")


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("Which river does Cairo lie on?", "Nile"),  # walked along the stored direction
        ("Which country has Lima as its capital?", "Peru"),
        ("What is the capital of Italy?", "Rome"),  # walked against it: Rome —capital_of→ Italy
    ],
)
async def test_the_answer_names_the_entity_found_not_the_one_asked_about(
    graph: GraphKnowledgeBase, question: str, answer: str
) -> None:
    obs = await graph.invoke("s1", question, None, timeout=30)
    assert obs.ok, obs.error
    assert obs.data["answer"] == answer


def test_the_graph_is_built_at_its_first_use() -> None:
    """Loading the bundled graph reads and checks its file but builds no networkx graph (nor
    imports networkx) until a question asks it; then it answers as before."""
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from agentroute.embeddings import HashingEmbedder\n"
        "from agentroute.knowledge import default_graph\n"
        "kb = default_graph(HashingEmbedder())\n"
        "print('networkx' in sys.modules)\n"
        "print(kb.search('Which countries does the Danube flow through?', 5)[1][0].render())\n"
        "print('networkx' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=300
    )
    before, answer, after = out.stdout.splitlines()[-3:]
    assert (before, after) == ("False", "True")
    assert "Danube" in answer
