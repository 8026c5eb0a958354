"""A base asked directly reads a keyword fragment's capitalised words as keywords, not as the
one name asked about: "kubectl admin Kubernetes interacting" is answered by kubectl's record,
which never writes "Kubernetes", and "Dialect Excel-generated TAB-delimited" by the passage
writing "Dialect". Switched off (``FRAGMENT_RUN`` out of reach), both are declined for a name
no passage writes. A sentence naming what the base does not hold is still declined, and the
planner's probe still declines the fragment. Through ``serve kb``'s MCP server and the base
itself, over a real chromadb base on disk with real MiniLM."""

from __future__ import annotations

import pytest

from agentroute.embeddings import MiniLMEmbedder
from agentroute.knowledge import ChromaKnowledgeBase, Document, _keywords
from agentroute.knowledge._keywords import keyword_fragment
from agentroute.mcp import build_target_server

DOCS = {
    "kubectl": (
        "Debian package kubectl",
        "Package: kubectl\nSection: admin\nDescription: command line client\n"
        "A client for interacting with the API of a container cluster.\nCommands: kubectl",
    ),
    "kpt": (
        "Debian package kpt",
        "Package: kpt\nSection: admin\nDescription: package manager for configuration\n"
        "Commands: kpt",
    ),
    "csv": (
        "module csv",
        "Reading and writing comma-separated files. Sniffer: guesses the format of a file and "
        "returns a Dialect object describing it. reader: iterates over the rows of a file.",
    ),
    "json": (
        "module json",
        "Encoding and decoding JSON. dumps: serializes an object to a string. loads: parses a "
        "string into an object.",
    ),
    "tar": (
        "Debian package tar",
        "Package: tar\nSection: utils\nDescription: archiving utility\nCommands: tar",
    ),
    "gzip": (
        "Debian package gzip",
        "Package: gzip\nSection: utils\nDescription: compression utility\nCommands: gzip",
    ),
}
KUBE = "Can you explain kubectl admin Kubernetes interacting"
DIALECT = "I'd like to know about Dialect Excel-generated TAB-delimited Unix-generated, please."


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory, minilm: MiniLMEmbedder) -> ChromaKnowledgeBase:
    base = ChromaKnowledgeBase(
        "software",
        tmp_path_factory.mktemp("keyword_fragment") / "kb",
        minilm,
        description="Debian package records and Python module docs",
    )
    base.add(Document(id=i, title=t, text=x) for i, (t, x) in DOCS.items())
    return base


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        (KUBE, True),
        (DIALECT, True),
        ("What is interoperability AOP Aspect-Oriented EJB?", True),
        ("what about BackgroundBrowser browsers started background", True),
        ("How does the Zorblax scheduler handle CPU pre-emption between threads?", False),
        ("Who maintains the Debian package hyperlapse-studio?", False),
        ("What does it mean that if a file exists in your home?", False),
        ("kubectl Kubernetes client", False),  # three words: a name and what it is
        ("tabs, spaces, newlines and quotes", False),  # a list in a clause
    ],
)
def test_a_fragment_is_one_run_of_content_words(query: str, fragment: bool) -> None:
    assert keyword_fragment(query) is fragment


@pytest.mark.parametrize(("query", "doc", "said"), [(KUBE, "kubectl", "kubectl"),
                                                    (DIALECT, "csv", "Dialect")])  # fmt: skip
async def test_a_served_base_answers_a_fragment_by_its_other_keywords(
    kb: ChromaKnowledgeBase, query: str, doc: str, said: str
) -> None:
    server = build_target_server([kb], "kb")
    out = await server.call_tool("software", {"query": query})
    content = out.structured_content
    assert content is not None and content.get("sources"), content
    assert content["sources"][0]["ref"] == doc
    assert said in str(content["result"])
    assert not kb.probe(query).answers  # the planner's probe still declines it


@pytest.mark.parametrize("query", [KUBE, DIALECT])
async def test_switched_off_it_is_declined_for_the_name(
    kb: ChromaKnowledgeBase, monkeypatch: pytest.MonkeyPatch, query: str
) -> None:
    monkeypatch.setattr(_keywords, "FRAGMENT_RUN", 100)
    obs = await kb.invoke("s1", query, None, timeout=30)
    assert not obs.ok and "no passage about" in (obs.error or ""), obs.result


async def test_a_sentence_naming_what_the_base_lacks_is_still_declined(
    kb: ChromaKnowledgeBase,
) -> None:
    for query in ["Is the Kubernetes scheduler in the admin section?",
                  "what about the Kubernetes client admin interacting"]:  # fmt: skip
        obs = await kb.invoke("s1", query, None, timeout=30)
        assert not obs.ok and "no passage about Kubernetes" in (obs.error or ""), obs.result
