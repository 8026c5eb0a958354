"""How the content probe re-ranks a clause's candidates (the ranking logic alone; the probes
of real bases are tested in tests/knowledge/test_probe.py and end to end in
tests/e2e/test_kb_content_routing.py)."""

from __future__ import annotations

from dataclasses import dataclass

from agentroute.planning import ContentProbe
from agentroute.planning._candidate import Candidate
from agentroute.protocols import Probing
from agentroute.types import Probe, TargetDescriptor, TargetKind


@dataclass
class Base:
    """A base whose probe says what the test needs."""

    name: str
    result: Probe

    @property
    def descriptor(self) -> TargetDescriptor:
        return TargetDescriptor(name=self.name, kind=TargetKind.KNOWLEDGE, description="kb")

    def probe(self, query: str, vector: object = None) -> Probe:
        return self.result


def hit(name: str, score: float, kind: TargetKind = TargetKind.TOOL) -> Candidate:
    return Candidate(TargetDescriptor(name=name, kind=kind, description="d"), score)


def test_only_probing_targets_are_probed() -> None:
    base = Base("kb", Probe(target="kb", answers=True, similarity=0.7))
    assert isinstance(base, Probing)
    probe = ContentProbe.of({"kb": base, "tool": object()})
    assert probe is not None and set(probe.bases) == {"kb"}
    assert ContentProbe.of({"tool": object()}) is None


def test_the_best_passage_wins_not_the_best_description() -> None:
    probe = ContentProbe(
        {
            "a": Base("a", Probe(target="a", answers=True, similarity=0.72, passage="p")),
            "b": Base("b", Probe(target="b", answers=True, similarity=0.35, passage="q")),
        }
    )
    hits = [hit("b", 0.5, TargetKind.KNOWLEDGE), hit("calc", 0.4), hit("a", 0.2)]
    ranked = probe.rerank("q", hits, {"a", "b", "calc"}, set())
    assert [h.descriptor.name for h in ranked] == ["a", "calc", "b"]
    assert [h.score for h in ranked] == [0.72, 0.4, 0.35]  # bases by passage, not description


def test_a_base_without_an_answer_leaves_the_candidates() -> None:
    probe = ContentProbe(
        {
            "geo": Base(
                "geo",
                Probe(target="geo", answers=False, similarity=0.51, missing=["Liechtenstein"]),
            ),
            "far": Base("far", Probe(target="far", answers=False, similarity=0.12)),
            "near": Base("near", Probe(target="near", answers=False, similarity=0.4)),
        }
    )
    hits = [hit("geo", 0.6, TargetKind.KNOWLEDGE), hit("far", 0.5, TargetKind.KNOWLEDGE)]
    ranked = probe.rerank("capital of Liechtenstein", hits, {"geo", "far", "near"}, set())
    # Another entity's passage, an off-topic base and a close one that would still not
    # answer are all gone: the planner routes only to a base that will answer (issue 13).
    assert [h.descriptor.name for h in ranked] == []


def test_unavailable_and_excluded_bases_are_not_probed() -> None:
    calls: list[str] = []

    class Counting(Base):
        def probe(self, query: str, vector: object = None) -> Probe:
            calls.append(self.name)
            return self.result

    probe = ContentProbe(
        {n: Counting(n, Probe(target=n, answers=True, similarity=0.6)) for n in "xyz"}
    )
    ranked = probe.rerank("q", [hit("calc", 0.45)], {"x", "y", "calc"}, {"y"})
    assert calls == ["x"]
    assert [h.descriptor.name for h in ranked] == ["x", "calc"]


def test_no_base_is_probed_when_a_tool_surely_fits() -> None:
    calls: list[str] = []

    class Counting(Base):
        def probe(self, query: str, vector: object = None) -> Probe:
            calls.append(self.name)
            return self.result

    probe = ContentProbe({"x": Counting("x", Probe(target="x", answers=True, similarity=0.9))})
    ranked = probe.rerank("convert 5 miles to km", [hit("units", 0.72)], {"x", "units"}, set())
    assert calls == [] and [h.descriptor.name for h in ranked] == ["units"]


def test_a_tool_naming_the_act_outranks_a_passage_sharing_only_the_place() -> None:
    japan = "Japan is an island country in East Asia. Its capital and largest city is Tokyo."
    probe = ContentProbe(
        {
            "facts": Base(
                "facts", Probe(target="facts", answers=True, similarity=0.45, passage=japan)
            )
        }
    )
    clock = Candidate(
        TargetDescriptor(
            name="time.get_current_time",
            kind=TargetKind.TOOL,
            description="Get the current time in a specific timezone",
        ),
        0.34,
    )
    ranked = probe.rerank("time in tokyo", [clock], {"facts", clock.descriptor.name}, set())
    assert [h.descriptor.name for h in ranked] == ["time.get_current_time", "facts"]
    # A passage sharing what is asked, not only where, keeps its place above the tool.
    ranked = probe.rerank("largest city of japan", [clock], {"facts", clock.descriptor.name}, set())
    assert ranked[0].descriptor.name == "facts"


def test_an_expert_naming_the_rest_outranks_a_passage_sharing_only_the_language() -> None:
    """ "in Italian" is where the words go, not what Italy's passage says; the translator's
    own example ("How do you say thank you in Japanese") names the "say" the passage lacks."""
    italy = "Italy is a country in Southern Europe. Its capital is Rome. The official language is Italian."
    probe = ContentProbe(
        {
            "facts": Base(
                "facts", Probe(target="facts", answers=True, similarity=0.38, passage=italy)
            )
        }
    )
    translator = Candidate(
        TargetDescriptor(
            name="translator",
            kind=TargetKind.EXPERT,
            description="Translation specialist: translates text between languages",
            examples=["How do you say thank you in Japanese"],
        ),
        0.35,
    )
    names = {"facts", "translator"}
    ranked = probe.rerank("how do you say 'cheese' in Italian", [translator], names, set())
    assert [h.descriptor.name for h in ranked] == ["translator", "facts"]
    # A passage that answers what is asked keeps its place above the expert.
    ranked = probe.rerank("what is the official language of Italy", [translator], names, set())
    assert ranked[0].descriptor.name == "facts"


@dataclass
class Listed(Base):
    """A base that also lists its passages (its vocabulary)."""

    texts: tuple[str, ...] = ()

    def passages(self) -> list[str]:
        return list(self.texts)


def test_the_vocabulary_decides_between_close_passages() -> None:
    packages = (
        "Package: procps Description: /proc file system utilities. Commands: ps, top",
        "Package: psmisc Description: utilities using the proc file system. Commands: killall",
        "Package: curl Description: command line tool for transferring data. Commands: curl",
    )
    pages = (
        "killall sends a signal to all processes running any of the specified commands.",
        "sed is a stream editor; -i edits files in place.",
    )
    # Bases of some size (a few thousand words): a tiny base's vocabulary is no evidence.
    probe = ContentProbe(
        {
            "pages": Listed(
                "pages",
                Probe(target="pages", answers=True, similarity=0.59, passage="k"),
                pages * 300,
            ),
            "packages": Listed(
                "packages",
                Probe(target="packages", answers=True, similarity=0.55, passage="p"),
                packages * 300,
            ),
        }
    )
    ranked = probe.rerank("which package has killall", [], {"pages", "packages"}, set())
    assert [h.descriptor.name for h in ranked] == ["packages", "pages"]
    assert ranked[0].score == 0.55  # the best fitting base keeps its passage's score
    flat = ContentProbe(dict(probe.bases), vocabulary=0.0)
    ranked = flat.rerank("which package has killall", [], {"pages", "packages"}, set())
    assert [h.descriptor.name for h in ranked] == ["pages", "packages"]


def test_a_converter_asked_how_many_in_one_of_a_unit_outranks_its_definition() -> None:
    kilogram = "The kilogram is the SI base unit of mass. Since 2019 it is defined by h."
    probe = ContentProbe(
        {
            "facts": Base(
                "facts", Probe(target="facts", answers=True, similarity=0.73, passage=kilogram)
            )
        }
    )
    units = Candidate(
        TargetDescriptor(
            name="units.convert",
            kind=TargetKind.TOOL,
            description="Convert a quantity between units",
            examples=["5 miles in km", "convert 100 F to C", "how many ounces in 2 pounds"],
        ),
        0.45,
    )
    available = {"facts", units.descriptor.name}
    ranked = probe.rerank("how many grams in a kilogram", [units], available, set())
    assert [h.descriptor.name for h in ranked] == ["units.convert", "facts"]
    # "a" outside a how-many question is no quantity to convert: the definition leads
    ranked = probe.rerank("what is a kilogram", [units], available, set())
    assert ranked[0].descriptor.name == "facts"
