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
                Probe(target="pages", answers=True, similarity=0.57, passage="k"),
                pages * 300,
            ),
            "packages": Listed(
                "packages",
                Probe(target="packages", answers=True, similarity=0.55, passage="p"),
                packages * 300,
            ),
        }
    )
    # "killall package" names no kind it asks for (``planning._kinds``): both bases answer
    ranked = probe.rerank("killall package", [], {"pages", "packages"}, set())
    assert [h.descriptor.name for h in ranked] == ["packages", "pages"]
    assert ranked[0].score == 0.55  # the best fitting base keeps its passage's score
    flat = ContentProbe(dict(probe.bases), vocabulary=0.0)
    ranked = flat.rerank("killall package", [], {"pages", "packages"}, set())
    assert [h.descriptor.name for h in ranked] == ["pages", "packages"]


STANZAS = (
    "Debian package psmisc. Package: psmisc Description: utilities that use the proc file "
    "system. Commands: killall, pstree, fuser",
    "Debian package procps. Package: procps Description: /proc file system utilities. "
    "Commands: ps, top, free, kill",
    "Debian package curl. Package: curl Description: command line tool for transferring data "
    "with URL syntax. Commands: curl",
)
PAGES = (
    "killall(1) manual page. killall sends a signal to all processes running any of the "
    "specified commands. If no signal name is specified, SIGTERM is sent.",
    "sed(1) manual page. sed is a stream editor; -i edits files in place.",
)


def _opening(passage: str) -> str:
    """What a chromadb base's probe returns: the passage's text without its title."""
    return passage.split(". ", 1)[1][:300]


def _packages(similarity: float, passage: str, broad: int = 0) -> ContentProbe:
    return ContentProbe(
        {
            "packages": Listed(
                "packages",
                Probe(
                    target="packages",
                    answers=True,
                    similarity=similarity,
                    passage=_opening(passage),
                ),
                STANZAS * 50,
            ),
            "pages": Listed(
                "pages", Probe(target="pages", answers=False, similarity=0.2), PAGES * 50
            ),
        },
        broad=broad,
    )


def test_a_passage_not_naming_what_no_base_holds_is_no_answer() -> None:
    """ "htop" is in no base: the closest stanza (curl's, 0.5) is about another program."""
    probe = _packages(0.5, STANZAS[2])
    names = {"packages", "pages"}
    assert probe.rerank("the package with htop", [], names, set()) == []
    # The same passage, as close, answers a clause in the bases' own words ...
    ranked = probe.rerank("the package with curl", [], names, set())
    assert [h.descriptor.name for h in ranked] == ["packages"]
    # ... a very close passage answers whatever it does not name (it says it otherwise) ...
    close = _packages(0.7, STANZAS[2])
    assert [h.descriptor.name for h in close.rerank("the package with htop", [], names, set())]
    # ... and without the coverage judgement, or with bases too narrow for a word they lack
    # to say anything, the far one answers too.
    blind = ContentProbe(dict(probe.bases), coverage=0.0, broad=0)
    assert [h.descriptor.name for h in blind.rerank("the package with htop", [], names, set())]
    narrow = _packages(0.5, STANZAS[2], broad=5000)
    assert [h.descriptor.name for h in narrow.rerank("the package with htop", [], names, set())]


def test_the_passage_is_judged_by_its_whole_document() -> None:
    """A probe returns a passage's opening; the words of its whole document (every passage
    under its title) are what it names."""
    listed = STANZAS[0].replace("Commands: killall, pstree, fuser", "")
    rest = "Debian package psmisc. Commands: killall, pstree, fuser"

    def probe(texts: tuple[str, ...]) -> ContentProbe:
        packages = Probe(target="packages", answers=True, similarity=0.3, passage=_opening(listed))
        return ContentProbe(
            {
                "packages": Listed("packages", packages, texts * 50),
                "pages": Listed(
                    "pages", Probe(target="pages", answers=False, similarity=0.2), PAGES * 50
                ),
            },
            broad=0,
        )

    names = {"packages", "pages"}
    whole = probe((listed, rest, *STANZAS[1:]))
    # "killall" is in the document's second passage: a far passage of it still answers ...
    assert [h.descriptor.name for h in whole.rerank("killall pstree", [], names, set())]
    # ... not a clause about what the document never names ("sed" is the man pages' word),
    assert whole.rerank("the stream editor sed", [], names, set()) == []
    # ... nor, with the second passage gone, the clause it named.
    alone = probe((listed, *STANZAS[1:], rest.replace("psmisc", "other")))
    assert alone.rerank("killall pstree", [], names, set()) == []


async def test_a_write_verb_asks_the_bases_only_when_no_writing_target_fits() -> None:
    """ "sort lines in reverse order" reads as a write, but nothing here sorts: the base that
    says how answers. "commit the staged changes" has its writing tool: no base is asked."""
    from agentroute.embeddings import default_embedder
    from agentroute.planning import SemanticPlanner
    from agentroute.targets import TargetIndex
    from agentroute.types import PlanningContext

    calls: list[str] = []

    class Counting(Base):
        def probe(self, query: str, vector: object = None) -> Probe:
            calls.append(query)
            return self.result

    manuals = Counting(
        "manuals", Probe(target="manuals", answers=True, similarity=0.7, passage="sort -r")
    )
    commit = TargetDescriptor(
        name="git.git_commit",
        kind=TargetKind.TOOL,
        effect="write",
        description="Records changes to the repository: commit the staged changes with a message",
        examples=["commit the staged changes", "commit with message 'fix typo'"],
    )
    index = TargetIndex(default_embedder())
    index.add([commit, manuals.descriptor])
    planner = SemanticPlanner(index, probe=ContentProbe({"manuals": manuals}))
    targets = [commit, manuals.descriptor]

    plan = await planner.plan(
        PlanningContext(request="sort lines in reverse order", targets=targets)
    )
    assert [s.target for s in plan.steps] == ["manuals"] and calls
    calls.clear()
    plan = await planner.plan(PlanningContext(request="commit the staged changes", targets=targets))
    assert [s.target for s in plan.steps] == ["git.git_commit"] and calls == []


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


def test_a_clause_about_what_no_base_ever_mentions_needs_a_very_close_passage() -> None:
    """ "killall uranium": "uranium" is a word of the language that no base uses anywhere;
    a stanza close to the clause's other words answers another question."""
    english = {"uranium", "signal"}.__contains__

    def probe(similarity: float, **kwargs: float) -> ContentProbe:
        kwargs.setdefault("unheard_broad", 0)
        return ContentProbe(
            {
                "packages": Listed(
                    "packages",
                    Probe(
                        target="packages",
                        answers=True,
                        similarity=similarity,
                        passage=_opening(STANZAS[0]),
                    ),
                    STANZAS * 50,
                ),
                "pages": Listed(
                    "pages", Probe(target="pages", answers=False, similarity=0.2), PAGES * 50
                ),
            },
            broad=0,
            english=english,
            **kwargs,
        )

    names = {"packages", "pages"}
    asked = "package with killall for uranium"  # no kind asked for (``planning._kinds``)
    assert probe(0.5).rerank(asked, [], names, set()) == []
    # the same passage answers the clause in the bases' words ...
    heard = probe(0.5).rerank("which package with killall", [], names, set())
    assert [h.descriptor.name for h in heard] == ["packages"]
    # ... and a very close passage answers the unheard one (it says it otherwise),
    assert [h.descriptor.name for h in probe(0.65).rerank(asked, [], names, set())]
    # as does any passage once the share asked for is out of reach, or in bases using too
    # few words for an ordinary word they lack to say anything.
    assert [h.descriptor.name for h in probe(0.5, unheard=1.1).rerank(asked, [], names, set())]
    narrow = probe(0.5, unheard_broad=5000)
    assert [h.descriptor.name for h in narrow.rerank(asked, [], names, set())]


def test_a_passage_whose_document_lacks_the_option_asked_about_is_no_answer() -> None:
    """ "what does the -i option of sed do": the man page naming "-i" answers; a stanza
    naming the program but never its options does not, however close."""

    def probe(pages: float, packages: float) -> ContentProbe:
        return ContentProbe(
            {
                "pages": Listed(
                    "pages",
                    Probe(
                        target="pages", answers=True, similarity=pages, passage=_opening(PAGES[1])
                    ),
                    PAGES * 50,
                ),
                "packages": Listed(
                    "packages",
                    Probe(
                        target="packages",
                        answers=True,
                        similarity=packages,
                        passage=_opening(STANZAS[0]),
                    ),
                    STANZAS * 50,
                ),
            },
            broad=0,
        )

    names = {"pages", "packages"}
    # the stanza is closer, but only the page names the option
    ranked = probe(0.7, 0.8).rerank("what does the -i option of sed do", [], names, set())
    assert [h.descriptor.name for h in ranked] == ["pages"]
    # an option no document names: no base answers
    assert probe(0.7, 0.8).rerank("what does the -z option of killall do", [], names, set()) == []
    # without an option both answer
    ranked = probe(0.7, 0.8).rerank("what does sed do", [], names, set())
    assert {h.descriptor.name for h in ranked} == {"pages", "packages"}


def test_a_kind_asked_for_is_answered_only_by_a_document_of_that_kind() -> None:
    """ "which package has killall": the man page is closer, but a manual page is no
    package; the stanza naming killall answers. Asked for a program no stanza names, no
    base answers: the closest stanza is another package's, and the man page is no package."""
    titled = tuple(f"{t} plus some more words of text." for t in PAGES)

    def bases(page: float, stanza: str, similarity: float = 0.6) -> ContentProbe:
        return ContentProbe(
            {
                "pages": Listed(
                    "pages",
                    Probe(
                        target="pages", answers=True, similarity=page, passage=_opening(PAGES[0])
                    ),
                    titled * 50,
                ),
                "packages": Listed(
                    "packages",
                    Probe(
                        target="packages",
                        answers=True,
                        similarity=similarity,
                        passage=_opening(stanza),
                    ),
                    STANZAS * 50,
                ),
            },
            broad=0,
            rare=0.4,  # three documents: a word one of them names is rare
            vocabulary=0.0,  # tiny bases: their vocabularies are no evidence here
        )

    names = {"pages", "packages"}
    ranked = bases(0.62, STANZAS[0]).rerank("which package has killall", [], names, set())
    assert [h.descriptor.name for h in ranked] == ["packages"]
    # how to use it asks for no kind: the closer manual page answers first
    ranked = bases(0.62, STANZAS[0]).rerank("how do I use killall", [], names, set())
    assert [h.descriptor.name for h in ranked][:1] == ["pages"]
    # a stanza not naming the program asked about is no answer, nor is the manual page ...
    assert bases(0.62, STANZAS[2]).rerank("which package has pkill", [], names, set()) == []
    # ... unless the stanza is very close (it may name the program otherwise)
    close = bases(0.62, STANZAS[2], similarity=0.7)
    assert [h.descriptor.name for h in close.rerank("which package has pkill", [], names, set())]


LIBRARY = (
    "tinyhttp.Client.send. Send a request as built, and return its response.",
    "tinyhttp.Client.close. Close the client's connection pool.",
    "tinyhttp.quote. Percent-encode a string for use in a URL.",
)
MANUALS = (
    "watch(1) manual page. watch runs a command repeatedly; --beep beeps when the command "
    "exits with an error, and the client terminal shows its output.",
    "gdb(1) manual page. gdb, the GNU debugger: set a breakpoint on a line with break.",
)


def _two(library: str, manual: str, similarity: float = 0.6) -> ContentProbe:
    return ContentProbe(
        {
            "library": Listed(
                "library",
                Probe(
                    target="library", answers=True, similarity=similarity, passage=_opening(library)
                ),
                LIBRARY * 50,
            ),
            "manuals": Listed(
                "manuals",
                Probe(
                    target="manuals", answers=True, similarity=similarity, passage=_opening(manual)
                ),
                MANUALS * 50,
            ),
        },
        broad=0,
    )


def test_a_document_not_naming_the_identifier_asked_about_is_no_answer() -> None:
    """ "tinyhttp.Client.beep": a made-up method of a real class. The manual page writing
    "beep" and "client" never writes tinyhttp, and the library's send() never says beep: no
    base answers. A real one ("tinyhttp.Client.send") is the library's, and a file's name
    ("notes.txt") is no identifier."""
    names = {"library", "manuals"}
    probe = _two(LIBRARY[0], MANUALS[0])
    assert probe.rerank("tinyhttp.Client.beep", [], names, set()) == []
    assert probe.rerank("what does reverse_words do", [], names, set()) == []
    ranked = probe.rerank("tinyhttp.Client.send", [], names, set())
    assert [h.descriptor.name for h in ranked] == ["library"]
    ranked = probe.rerank("tinyhttp.Client.send of notes.txt", [], names, set())
    assert [h.descriptor.name for h in ranked] == ["library"]


def test_a_base_never_writing_the_name_asked_about_is_no_answer() -> None:
    """ "set a breakpoint on a line in gdb": gdb is a name (no English word, a title's) that
    the manual pages hold; the Python reference never writes it, so its debugger passage,
    however close, answers about something else."""
    reference = (
        "debugger. pdb is the Python debugger: set a breakpoint on a line with break.",
        "assert. The assert statement checks a condition while debugging.",
    )
    english = {"set", "breakpoint", "line", "debugger", "python", "break", "statement"}.__contains__

    def probe(reference_similarity: float) -> ContentProbe:
        return ContentProbe(
            {
                "manuals": Listed(
                    "manuals",
                    Probe(
                        target="manuals",
                        answers=True,
                        similarity=0.55,
                        passage=_opening(MANUALS[1]),
                    ),
                    MANUALS * 50,
                ),
                "reference": Listed(
                    "reference",
                    Probe(
                        target="reference",
                        answers=True,
                        similarity=reference_similarity,
                        passage=_opening(reference[0]),
                    ),
                    reference * 50,
                ),
            },
            broad=0,
            english=english,
        )

    names = {"manuals", "reference"}
    ranked = probe(0.7).rerank("set a breakpoint on a line in gdb", [], names, set())
    assert [h.descriptor.name for h in ranked] == ["manuals"]
    # no name given: the closer passage answers first
    ranked = probe(0.7).rerank("set a breakpoint on a line", [], names, set())
    assert ranked[0].descriptor.name == "reference"


MODULES = (
    "module contextlib. Utilities for with-statement contexts. suppress: Context manager to "
    "suppress specified exceptions.",
    "module heapq. Heap queue algorithm. nlargest: Find the n largest elements in a dataset.",
    "module random. Random variable generators. choice: Choose a random element.",
)
TOPICS = (
    "raise. The raise statement raises an exception; an exception may be chained from "
    "another, and a handler may suppress it (contextlib has one).",
    "with. The with statement wraps the execution of a block with a context manager.",
)


def _titled(clause: str, modules: int, topics: int, **kwargs: float) -> list[str]:
    """The bases ``clause`` ranks, the module base's passage being ``MODULES[modules]``'s
    and the topic base's ``TOPICS[topics]``'s (the topic's passage is closer, and names
    contextlib too: ``names_named`` keeps it)."""
    probe = ContentProbe(
        {
            "modules": Listed(
                "modules",
                Probe(
                    target="modules",
                    answers=True,
                    similarity=0.49,
                    passage=_opening(MODULES[modules]),
                ),
                MODULES * 20,
            ),
            "topics": Listed(
                "topics",
                Probe(
                    target="topics",
                    answers=True,
                    similarity=0.55,
                    passage=_opening(TOPICS[topics]),
                ),
                TOPICS * 20,
            ),
        },
        english=lambda w: not w.startswith(("contextlib", "heapq")),
        vocabulary=0.0,
        **kwargs,
    )
    ranked = probe.rerank(clause, [], {"modules", "topics"}, set())
    return [h.descriptor.name for h in ranked]


def test_a_document_the_clause_names_by_its_title_wins_a_closer_passage() -> None:
    # "contextlib" is the module's title's name: its passage answers, not the raise topic's
    assert _titled("contextlib suppress exceptions", 0, 0) == ["modules", "topics"]
    assert _titled("contextlib suppress exceptions", 0, 0, titled=0.0) == ["topics", "modules"]


def test_a_title_named_only_by_ordinary_words_or_another_document_gains_nothing() -> None:
    # "random" is an English word; heapq's passage is not the document the clause names
    assert _titled("random suppress exceptions", 2, 0) == ["topics", "modules"]
    assert _titled("contextlib suppress exceptions", 1, 0) == ["topics", "modules"]
