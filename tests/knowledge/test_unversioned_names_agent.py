"""A package asked without its version ("libnss" for libnss3) is the base's package, through
the real Agent graph over a real chromadb base on disk: the entity check declined it as a
made-up name. A name no version of which the base holds is still declined."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from agentroute import Agent
from agentroute.embeddings import default_embedder
from agentroute.knowledge import ChromaKnowledgeBase, Document
from agentroute.knowledge._names import NameIndex

from .kb_agent import kb_agent

PACKAGES = {
    "libnss3": "Package: libnss3\nSection: libs\nDescription: Network Security Service "
    "libraries\nThis is a set of libraries designed to support cross-platform development of "
    "security-enabled client and server applications.",
    "libtcl8.6": "Package: libtcl8.6\nSection: libs\nDescription: Tcl (the Tool Command "
    "Language) v8.6 - run-time library files\nTcl is a powerful, easy to use, embeddable, "
    "cross-platform interpreted scripting language.",
    "libpolkit-agent-1-0": "Package: libpolkit-agent-1-0\nSection: libs\nDescription: polkit "
    "Authentication Agent API\nThis library lets a desktop session act as the agent that asks "
    "the user for a password when an unprivileged program needs a privileged action.",
    "debhelper": "Package: debhelper\nSection: devel\nDescription: helper programs for "
    "debian/rules\nA collection of programs used in debian/rules to build Debian packages.",
}


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> ChromaKnowledgeBase:
    base = ChromaKnowledgeBase(
        "packages",
        tmp_path_factory.mktemp("unversioned") / "kb",
        default_embedder(),
        description="Debian packages and what they contain.",
    )
    base.add(
        Document(id=f"pkg-{n}", title=f"Debian package {n}", text=t) for n, t in PACKAGES.items()
    )
    return base


@pytest.fixture(scope="module")
def agent(kb: ChromaKnowledgeBase) -> Iterator[Agent]:
    with kb_agent(kb, "unversioned") as a:
        yield a


@pytest.mark.parametrize(
    ("question", "doc", "said"),
    [
        ("What does the Debian package libnss provide?", "pkg-libnss3", "Network Security"),
        ("what is the package libpolkit-agent for?", "pkg-libpolkit-agent-1-0", "polkit"),
        ("Tell me about the libtcl package.", "pkg-libtcl8.6", "Tcl"),
    ],
)
def test_a_package_asked_without_its_version_is_answered(
    agent: Agent, question: str, doc: str, said: str
) -> None:
    result = agent.run(question)
    assert [s.target for s in result.steps] == ["packages"], result.unmatched
    step = result.steps[0]
    assert step.ok, step.error
    assert step.data["claims"][0]["doc_id"] == doc
    assert said in result.answer


async def test_a_name_of_no_version_the_base_holds_is_still_declined(
    agent: Agent, kb: ChromaKnowledgeBase
) -> None:
    for question in (
        "Who maintains the Debian package libnss-studio?",
        "what is libpolkit-studio?",
    ):
        result = await agent.arun(question)
        assert not any(s.ok for s in result.steps), question
        obs = await kb.invoke("s1", question, None, timeout=30)
        assert not obs.ok and obs.error.startswith("no "), obs.error


def test_only_a_version_is_dropped() -> None:
    packages = ["libnss3", "libtcl8.6", "libpolkit-agent-1-0", "x11", "gtk2.0-common"]
    names = NameIndex(
        ["Package: libnss3 libtcl8.6 libpolkit-agent-1-0 x11 gtk2.0-common; encodes base64"],
        [f"Debian package {p}" for p in packages],
    )
    assert all(names.knows(n) for n in ("libnss", "libtcl", "libpolkit-agent", "libpolkit-agent-"))
    assert not any(names.knows(n) for n in ("libnss4", "libns", "x", "gtk2.0", "libpolkit"))
    assert not names.knows(
        "base"
    )  # a passage's word with a digit tail names nothing the base holds
