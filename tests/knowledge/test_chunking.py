"""A markdown document is cut along its structure (issue 15): sections with their heading
path, paragraphs, code blocks whole; other text keeps sentence windows."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from agentroute.embeddings import HashingEmbedder
from agentroute.knowledge import ChromaKnowledgeBase, Document
from agentroute.knowledge._chunking import chunk_document, chunk_text

MAN = """NAME
ls - list directory contents

DESCRIPTION
List information about the FILEs (the current directory by default).

-a, --all
do not ignore entries starting with .

-d, --directory
list directories themselves, not their contents

EXAMPLES
ls -la shows everything.
"""

MARKDOWN = """# Guide
Intro text.

## Install
Run the installer.

```sh
pip install thing

thing --check
```

## Use
Call it.
"""


def test_a_manual_page_is_cut_by_section_and_option() -> None:
    chunks = chunk_document(MAN, max_chars=80)
    assert [(c.section, c.text.splitlines()[0]) for c in chunks] == [
        ("NAME", "ls - list directory contents"),
        ("DESCRIPTION", "List information about the FILEs (the current directory by default)."),
        ("DESCRIPTION › -a, --all", "-a, --all"),
        ("DESCRIPTION › -d, --directory", "-d, --directory"),
        ("EXAMPLES", "ls -la shows everything."),
    ]
    # an option's passage is embedded after the page's NAME line: alone it names no command
    assert [c.context for c in chunks] == ["", "", *["ls - list directory contents"] * 2, ""]
    assert chunks[3].text == "-d, --directory\nlist directories themselves, not their contents"


def test_a_section_too_short_to_stand_alone_is_packed_with_the_next() -> None:
    chunks = chunk_document(MAN, max_chars=600)
    assert chunks[0].section == "NAME"
    assert chunks[0].text == (
        "ls - list directory contents\n\nDESCRIPTION\n\n"
        "List information about the FILEs (the current directory by default)."
    )
    assert [c.section for c in chunks[1:]] == [
        "DESCRIPTION › -a, --all",
        "DESCRIPTION › -d, --directory",
        "EXAMPLES",
    ]


def test_options_with_arguments_and_titled_groups_are_options_too() -> None:
    page = (
        "NAME\ngrep - print lines that match patterns\n\nOPTIONS\nGeneral Output Control\n"
        "-m NUM, --max-count=NUM\nStop reading a file after NUM matching lines.\n\n"
        "--color[=WHEN], --colour[=WHEN]\nSurround the matched strings with colour.\n\n"
        "-v is a flag mentioned in prose, not an option's paragraph\n"
    )
    sections = [c.section for c in chunk_document(page)]
    assert "OPTIONS › -m NUM, --max-count=NUM" in sections
    assert "OPTIONS › --color[=WHEN], --colour[=WHEN]" in sections
    # the title line stays in the prose above, not glued to the option below it
    title = [c for c in chunk_document(page) if "General Output Control" in c.text]
    assert len(title) == 1 and "›" not in title[0].section
    assert "--max-count" not in title[0].text


def test_text_that_only_looks_like_a_page_keeps_sentence_windows() -> None:
    """Upper-case words inside prose make no manual page: NAME must open the document."""
    text = "The NASA mission launched in 1969. " * 6 + "\nAPOLLO\nIt landed on the Moon."
    chunks = chunk_document(text, max_chars=80)
    assert {c.section for c in chunks} == {""} and {c.context for c in chunks} == {""}
    assert [c.text for c in chunks] == chunk_text(text, 80)


def test_a_package_record_is_one_passage_whatever_its_length() -> None:
    record = "Package: git-daemon-run\nSection: vcs\nDescription: " + "x words. " * 200
    assert [c.text for c in chunk_document(record, max_chars=200)] == [record.strip()]


def test_a_code_block_is_never_cut_even_when_long() -> None:
    code = "```py\n" + "\n".join(f"x{i} = {i}" for i in range(300)) + "\n```"
    chunks = chunk_document(f"# Code\n{code}\n\nAfter it.", max_chars=200)
    assert chunks[0].text == code and chunks[1].text == "After it."


def test_overlap_carries_the_last_sentences_into_the_next_window() -> None:
    text = " ".join(f"Sentence number {i} ends here." for i in range(12))
    plain = chunk_text(text, 100)
    assert chunk_text(text, 100, overlap=0) == plain
    over = chunk_text(text, 100, overlap=40)
    assert len(over) > len(plain)
    for before, after in itertools.pairwise(over):
        last = before.rsplit(". ", 1)[-1]
        assert after.startswith(last.rstrip(".")), (before, after)
    # every sentence is still in some window, none is cut
    assert all(any(f"number {i} ends" in c for c in over) for i in range(12))


def test_markdown_sections_keep_their_path_and_code_stays_whole() -> None:
    chunks = chunk_document(MARKDOWN)
    assert [(c.section, c.text.splitlines()[0]) for c in chunks] == [
        ("Guide", "Intro text."),
        ("Guide › Install", "Run the installer."),
        ("Guide › Install", "```sh"),
        ("Guide › Use", "Call it."),
    ]
    assert chunks[2].text.endswith("thing --check\n```")  # the blank line inside is no cut


def test_paragraphs_are_packed_and_never_cut_when_they_fit() -> None:
    body = "\n\n".join(f"Paragraph {i} says a little." for i in range(40))
    chunks = chunk_document("# Notes\n" + body, max_chars=200)
    assert all(len(c.text) <= 200 and c.section == "Notes" for c in chunks)
    assert 1 < len(chunks) < 40
    assert "".join(c.text for c in chunks).count("Paragraph") == 40
    assert all(c.text.startswith("Paragraph") and c.text.endswith(".") for c in chunks)


def test_a_passage_is_found_and_cited_with_its_section(tmp_path: Path) -> None:
    kb = ChromaKnowledgeBase("docs", tmp_path / "db", HashingEmbedder(), chunk_chars=100)
    kb.add([Document(id="guide.md", title="Guide", text=MARKDOWN)])
    hit = kb.search("call it", 1)[0]
    assert (hit.text, hit.metadata["section"]) == ("Call it.", "Guide › Use")


def test_a_new_way_of_cutting_is_ingested_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The chunker's version is part of what an ingestion records: a base cut the old way is
    cut again once, then left alone."""
    corpus = tmp_path / "man.jsonl"
    corpus.write_text(json.dumps({"id": "guide", "title": "Guide", "text": MARKDOWN}) + "\n")
    kb = ChromaKnowledgeBase("docs", tmp_path / "db", HashingEmbedder())
    first = kb.ingest([corpus])
    assert first.chunks_written == 4
    assert kb.ingest([corpus]).files_unchanged == 1
    monkeypatch.setattr("agentroute.knowledge._chroma_kb.CHUNKER", "structure-next")
    again = kb.ingest([corpus])
    assert (again.files_read, again.documents_updated, again.chunks_written) == (1, 1, 4)
    assert kb.count() == 4


def test_setext_headings_are_headings_and_the_title() -> None:
    """Many READMEs title themselves ``PyYAML`` over ``======``: without it the first ``##``
    became every later section's parent (``Installation › Release cadence``)."""
    text = (
        "PyYAML\n======\n\nA YAML framework.\n\n## Installation\n\nType make.\n\n"
        "Testing\n-------\n\nRun the suite.\n\n## Release cadence\n\nEvery quarter.\n"
    )
    sections = [c.section for c in chunk_document(text)]
    assert sections == [
        "PyYAML",
        "PyYAML › Installation",
        "PyYAML › Testing",
        "PyYAML › Release cadence",
    ]
    assert chunk_document("one line\nand a second\n---\n\nmore")[0].section == ""
    ruled = chunk_document("# Rules\n\nFirst.\n\n---\n\nSecond.")  # a rule, not a heading
    assert {c.section for c in ruled} == {"Rules"}


def test_a_setext_title_names_the_document(tmp_path: Path) -> None:
    from agentroute.knowledge._files import load_documents

    (tmp_path / "README.md").write_text("PyYAML\n======\n\nText.\n\n## Install\n\nmake\n")
    assert load_documents(tmp_path / "README.md")[0].title == "PyYAML"
