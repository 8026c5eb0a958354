"""A knowledge base answers with the statements that answer, each cited by document, section
and option, and declines a name in its own shape that it never writes, naming the nearest it
holds (real chromadb on disk, real MiniLM)."""

from __future__ import annotations

import pytest

from agentroute.embeddings import MiniLMEmbedder
from agentroute.knowledge import ChromaKnowledgeBase, Document
from agentroute.knowledge._answer import answer_claims, units
from agentroute.knowledge._documents import Hit
from agentroute.knowledge._names import NameIndex
from agentroute.text import shaped_names

LS = """NAME
ls - list directory contents

DESCRIPTION
List information about the FILEs (the current directory by default).

OPTIONS
-a, --all
do not ignore entries starting with .

-S sort by file size, largest first

--block-size=SIZE
with -l, scale sizes by SIZE when printing them
"""

PACKAGES = {
    "hyperlapse": "Package: hyperlapse\nSection: video\nDescription: make time-lapse videos "
    "from shaky footage\nThis package stabilises hand-held recordings into smooth hyperlapse "
    "clips. Maintainer: Video Team.",
    "studio-controls": "Package: studio-controls\nSection: sound\nDescription: control panel "
    "for audio studios\nThis package configures the JACK audio server for recording studios.",
    "python3-numpy": "Package: python3-numpy\nSection: python\nDescription: fast array "
    "processing for Python 3\nNumPy provides n-dimensional arrays and numerical routines.",
    "debhelper": "Package: debhelper\nSection: devel\nDescription: helper programs for "
    "debian/rules\nA collection of programs used in debian/rules to build packages. "
    "It is maintained by the Debian debhelper team.",
}


@pytest.fixture(scope="module")
def bases(
    tmp_path_factory: pytest.TempPathFactory, minilm: MiniLMEmbedder
) -> dict[str, ChromaKnowledgeBase]:
    root = tmp_path_factory.mktemp("claims")
    man = ChromaKnowledgeBase("man", root / "man", minilm, description="Linux manual pages")
    man.add(
        [
            Document(id="ls.1", title="ls(1) manual page", text=LS),
            Document(
                id="cp.1",
                title="cp(1) manual page",
                text="NAME\ncp - copy files and directories\n\n-r, --recursive\ncopy "
                "directories recursively\n\n-u, --update\ncopy only when the SOURCE file is "
                "newer than the destination file",
            ),
        ]
    )
    deb = ChromaKnowledgeBase("deb", root / "deb", minilm, description="Debian packages")
    deb.add(
        Document(id=f"pkg-{n}", title=f"Debian package {n}", text=t) for n, t in PACKAGES.items()
    )
    py = ChromaKnowledgeBase("py", root / "py", minilm, description="Python standard library")
    py.add(
        [
            Document(
                id="mod-shutil",
                title="module shutil",
                text="Utility functions for copying and archiving files and directory trees.\n\n"
                "copytree: Recursively copy a directory tree and return the destination "
                "directory. shutil.copytree copies permissions as well.\n\n"
                "rmtree: Recursively delete a directory tree.",
            ),
            Document(
                id="mod-heapq",
                title="module heapq",
                text="Heap queue algorithm, also known as the priority queue algorithm.\n\n"
                "heappush: Push item onto heap, maintaining the heap invariant.",
            ),
        ]
    )
    facts = ChromaKnowledgeBase("facts", root / "facts", minilm, description="Encyclopedia")
    facts.add(
        [
            Document(
                id="danube",
                title="Danube",
                text="The Danube is Europe's second-longest river after the Volga. It flows "
                "through ten countries. It is 2,850 km long and well-known for its cities.",
            ),
            Document(
                id="bulb",
                title="Invention of the light bulb",
                text="Thomas Edison developed the first commercially practical incandescent "
                "light bulb in 1879, using a carbon filament. Joseph Swan independently made a "
                "working carbon-filament lamp in England around the same time.",
            ),
            Document(
                id="rhine",
                title="Rhine",
                text="The Rhine is a well-known river that rises in the Swiss Alps.",
            ),
        ]
    )
    return {"man": man, "deb": deb, "py": py, "facts": facts}


def test_units_keep_an_option_with_its_description_and_a_field_line_whole() -> None:
    got = {u.text: u.heading for u in units(LS)}
    assert got["-a, --all do not ignore entries starting with ."] == "OPTIONS"
    assert got["-S sort by file size, largest first"] == "OPTIONS"
    assert got["List information about the FILEs (the current directory by default)."] == (
        "DESCRIPTION"
    )
    assert "OPTIONS" not in got and "NAME" not in got  # headings are no statements
    record = [
        u.text
        for u in units(
            "Package: foo\nSection: admin\nDescription: add users\nIt adds users. It is old."
        )
    ]
    assert record[:3] == ["Package: foo", "Section: admin", "Description: add users"]
    assert record[3:] == ["It adds users.", "It is old."]


async def test_an_option_question_is_answered_by_its_line_cited_to_the_option(
    bases: dict[str, ChromaKnowledgeBase],
) -> None:
    obs = await bases["man"].invoke("s1", "What does the --all option of ls do?", None, timeout=30)
    assert obs.ok, obs.error
    claim = obs.data["claims"][0]
    assert claim["text"] == "-a, --all do not ignore entries starting with ."
    # the option's own passage (hybrid chunking) names it in its section, cited once
    assert claim["citation"] == "ls(1) manual page › OPTIONS › -a, --all"
    assert obs.data["sentence"] == claim["text"]
    # what chat shows: the claim under its citation, not the whole page
    assert "ls(1) manual page › OPTIONS › -a, --all" in obs.result
    assert "largest first" not in obs.result
    assert obs.sources[0].ref == "ls.1"


async def test_a_claim_leaning_on_the_sentence_before_keeps_both(
    bases: dict[str, ChromaKnowledgeBase],
) -> None:
    obs = await bases["facts"].invoke(
        "s1", "Through how many countries does the Danube flow?", None, timeout=30
    )
    assert obs.ok, obs.error
    text = obs.data["claims"][0]["text"]
    assert "It flows through ten countries." in text
    assert text.startswith("The Danube is Europe's second-longest river")  # what "It" is


@pytest.mark.parametrize(
    ("base", "question", "nearest"),
    [
        ("deb", "Who maintains the Debian package hyperlapse-studio?", "hyperlapse"),
        ("deb", "describe studio-hyperlapse", "studio-controls"),
        ("py", "What does shutil.fastcopytree do?", "shutil.copytree"),
        ("man", "What does the --turbo-sync option of cp do?", ""),
        ("man", "What does the zqlint command do?", ""),
    ],
)
async def test_a_name_the_base_never_writes_is_declined_with_the_nearest_it_holds(
    bases: dict[str, ChromaKnowledgeBase], base: str, question: str, nearest: str
) -> None:
    kb = bases[base]
    obs = await kb.invoke("s1", question, None, timeout=30)
    assert not obs.ok
    assert obs.error.startswith("no "), obs.error
    assert "nearest:" in obs.error and nearest in obs.error
    probe = kb.probe(question)
    assert not probe.answers and probe.missing


@pytest.mark.parametrize(
    ("base", "question", "doc"),
    [
        ("deb", "Who maintains the Debian package hyperlapse?", "pkg-hyperlapse"),
        ("deb", "What is python3-numpy?", "pkg-python3-numpy"),
        ("py", "What does shutil.copytree do?", "mod-shutil"),
        ("py", "How do I call heapq.heappush()?", "mod-heapq"),
        ("man", "What does the --update option of cp do?", "cp.1"),
        ("man", "what does ls -S do", "ls.1"),
        # a hyphenated word is no name to a base that titles nothing so
        ("facts", "Which is Europe's second-longest river?", "danube"),
        ("facts", "Is the Rhine a well-known river?", "rhine"),
    ],
)
async def test_a_name_the_base_writes_is_answered_from_its_document(
    bases: dict[str, ChromaKnowledgeBase], base: str, question: str, doc: str
) -> None:
    obs = await bases[base].invoke("s1", question, None, timeout=30)
    assert obs.ok, obs.error
    assert obs.data["claims"][0]["doc_id"] == doc


def test_shapes_of_names() -> None:
    got = {
        (n.text, n.shape, n.noun)
        for n in shaped_names(
            "What does the zqlint command do with --turbo-sync and os.path, e.g. in python3-numpy?"
        )
    }
    assert got == {
        ("zqlint", "marked", "command"),
        ("--turbo-sync", "option", "option"),
        ("os.path", "dotted", ""),
        ("python3-numpy", "hyphenated", ""),
    }
    assert shaped_names("what is the capital of france?") == []


def test_a_shape_counts_only_where_the_base_names_things_so() -> None:
    packages = NameIndex(
        ["Package: foo-bar. a tool"], ["Debian package foo-bar", "Debian package baz-qux"]
    )
    prose = NameIndex(["The Danube is a well-known river."], ["Danube", "Rhine"])
    assert "hyphenated" in packages.native and "hyphenated" not in prose.native
    assert [m.name.text for m in packages.missing("what is baz-foo?")] == ["baz-foo"]
    assert [m.name.text for m in packages.missing("the package quux-bar")] == ["quux-bar"]
    # a compound of words no title is made of is no name of its: "end-users", "non-free"
    assert packages.missing("what is quux-bar?") == []
    assert prose.missing("what is the second-longest river?") == []


async def test_a_second_statement_nearly_as_close_is_kept_in_the_passage_order(
    bases: dict[str, ChromaKnowledgeBase],
) -> None:
    obs = await bases["facts"].invoke("s1", "light bulb inventor", None, timeout=30)
    assert obs.ok, obs.error
    text = obs.data["claims"][0]["text"]
    assert text.startswith("Thomas Edison developed") and "Joseph Swan" in text
    # a far second is not: the option's own line answers alone
    obs = await bases["man"].invoke("s1", "What does the --all option of ls do?", None, timeout=30)
    assert obs.data["claims"][0]["text"] == "-a, --all do not ignore entries starting with ."


def test_a_bare_word_is_a_name_only_when_the_question_is_about_it_alone() -> None:
    pages = NameIndex(
        [f"{c}(1) manual page. {c} - {what}" for c, what in MAN_LINES] * 2,
        [f"{c}(1) manual page" for c, _ in MAN_LINES],
    )
    asked = {
        q: [m.name.text for m in pages.missing(q)]
        for q in [
            "how do I use zqlint",
            "What is zqlint used for?",
            "zqlint(1)",
            "Zqlint manual page",
            "what does zqlint do on linux?",
        ]
    }
    assert all([w.lower() for w in got] == ["zqlint"] for got in asked.values()), asked
    assert [m.nearest for m in pages.missing("how do I use grepz")] == [["grep"]]
    # the base writes it, or an inflected form of it
    assert pages.missing("how do I use grep") == []
    assert pages.missing("what does grepping do") == []
    # words the base never writes beside one it does: a topic, not a name
    assert pages.missing("how do I use zqlint with grep") == []
    # several words it never writes: a topic it does not hold, for the passages to judge
    assert pages.missing("tell me about quuxing frobnication") == []
    # a capitalised name or a shaped one is the other checks' to read
    assert pages.missing("what does Zqlint do with Xorblat") == []
    assert pages.missing("how do I call heapq.heappush()") == []
    # an encyclopedia titles nothing by a bare word: an unknown one is a topic it lacks
    prose = NameIndex(["The Danube is a well-known river."] * 6, ["Danube", "Rhine"])
    assert prose.missing("what is chemistry used for?") == []


MAN_LINES = [
    ("grep", "print lines that match patterns"),
    ("tar", "an archiving utility"),
    ("chmod", "change file mode bits"),
]


GZIP = Hit(
    chunk_id="gzip-0",
    doc_id="gzip.1",
    title="gzip(1) manual page",
    similarity=0.6,
    text="DESCRIPTION\ngzip reduces the size of the named files using Lempel-Ziv coding.\n\n"
    "OPTIONS\n-k, --keep\nKeep (don't delete) input files during compression or "
    "decompression.\n\nBUGS\nThe --keep option was added in version 1.6.",
)
ZIP = Hit(
    chunk_id="zip-0",
    doc_id="zip.1",
    title="zip(1) manual page",
    similarity=0.55,
    text="zip is a compression and file packaging utility for Unix. It is compatible with PKZIP.",
)


def test_claims_are_the_closest_statements_wherever_they_lie(minilm: MiniLMEmbedder) -> None:
    # the first-ranked passage only shares the topic: no claim of it; the other holds two
    claims = answer_claims(
        "How do I keep the input files when compressing with gzip?", [ZIP, GZIP], minilm.embed
    )
    assert [c.doc_id for c in claims] == ["gzip.1"] * len(claims)
    assert claims[0].text.startswith("-k, --keep Keep")
    assert claims[0].citation == "gzip(1) manual page › OPTIONS › -k"
    assert claims[1].citation == "gzip(1) manual page › BUGS"


def test_a_telling_word_asked_about_picks_its_statement(minilm: MiniLMEmbedder) -> None:
    question = "Since which version can gzip keep its input files?"
    # a base where keeping input files is said everywhere and a version only once
    common = [f"{c} can keep its input files." for c in ("bzip2", "xz", "zstd", "lz4", "lzop")]
    base = NameIndex([*common, "gzip 1.6 is a version."], ["gzip", "bzip2", "xz"])
    plain = answer_claims(question, [GZIP], minilm.embed)
    weighted = answer_claims(question, [GZIP], minilm.embed, weight=base.weight)
    assert weighted[0].text == "The --keep option was added in version 1.6."
    assert plain[0].text != weighted[0].text  # the word counts by how telling it is


def test_a_dotted_name_is_known_by_the_tail_of_a_longer_one() -> None:
    """ "Text.from_ansi" is rich.text.Text.from_ansi asked without its module; a tail no
    dotted name ends with ("Text.from_html") is still no name of the base's."""
    library = NameIndex(
        ["Create a Text object from a string containing ANSI escape codes."],
        ["rich.text.Text.from_ansi", "rich.text.Text.assemble"],
    )
    assert library.knows("text.from_ansi")
    assert not library.knows("text.from_html")
