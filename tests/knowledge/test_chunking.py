"""Documents are cut along their structure (issue 15): sections, paragraphs (an option with
its description), code blocks and records, each passage with its section."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agentroute.embeddings import HashingEmbedder
from agentroute.knowledge import ChromaKnowledgeBase, Document
from agentroute.knowledge._chunking import chunk_document

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


def test_a_manual_page_is_cut_by_section_and_paragraph() -> None:
    assert [c.section for c in chunk_document(MAN)] == ["NAME", "DESCRIPTION", "EXAMPLES"]
    chunks = chunk_document(MAN, max_chars=80)  # short passages: cut between paragraphs
    assert [c.section for c in chunks] == [
        "NAME",
        "DESCRIPTION",
        "DESCRIPTION",
        "DESCRIPTION",
        "EXAMPLES",
    ]
    assert chunks[3].text == "-d, --directory\nlist directories themselves, not their contents"


def test_markdown_sections_keep_their_path_and_code_stays_whole() -> None:
    chunks = chunk_document(MARKDOWN)
    assert [(c.section, c.text.splitlines()[0]) for c in chunks] == [
        ("Guide", "Intro text."),
        ("Guide › Install", "Run the installer."),
        ("Guide › Install", "```sh"),
        ("Guide › Use", "Call it."),
    ]
    assert chunks[2].text.endswith("thing --check\n```")  # the blank line inside is no cut


def test_a_record_stays_one_passage_and_prose_is_packed() -> None:
    record = "Package: adduser\nSection: admin\nDescription: add and remove users\n more text\n"
    assert [c.text for c in chunk_document(record)] == [record.strip()]
    assert chunk_document(record + "x" * 700)[0].text.startswith("Package: adduser")
    prose = "\n\n".join(f"Paragraph {i} says a little." for i in range(40))
    chunks = chunk_document(prose, max_chars=200)
    assert all(len(c.text) <= 200 for c in chunks) and len(chunks) < 40
    assert "".join(c.text for c in chunks).count("Paragraph") == 40


def test_an_option_is_found_by_what_it_does(tmp_path: Path) -> None:
    """The option's own paragraph answers (and is cited with its section), whole."""
    kb = ChromaKnowledgeBase("man", tmp_path / "db", HashingEmbedder(), chunk_chars=100)
    kb.add([Document(id="ls.1", title="ls", text=MAN)])
    hit = kb.search("list directories themselves, not their contents", 1)[0]
    assert hit.text.startswith("-d, --directory\nlist directories themselves")
    assert hit.metadata["section"] == "DESCRIPTION"


def test_a_new_way_of_cutting_is_ingested_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The chunker's version is part of what an ingestion records: a base cut the old way is
    cut again once, then left alone."""
    corpus = tmp_path / "man.jsonl"
    corpus.write_text(json.dumps({"id": "ls.1", "title": "ls", "text": MAN}) + "\n")
    kb = ChromaKnowledgeBase("man", tmp_path / "db", HashingEmbedder())
    first = kb.ingest([corpus])
    assert first.chunks_written == 3
    assert kb.ingest([corpus]).files_unchanged == 1
    monkeypatch.setattr("agentroute.knowledge._chroma_kb.CHUNKER", "structure-next")
    again = kb.ingest([corpus])
    assert (again.files_read, again.documents_updated, again.chunks_written) == (1, 1, 3)
    assert kb.count() == 3
