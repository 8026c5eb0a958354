"""A markdown document is cut along its structure (issue 15): sections with their heading
path, paragraphs, code blocks whole; other text keeps sentence windows."""

from __future__ import annotations

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


def test_text_without_markdown_keeps_sentence_windows() -> None:
    chunks = chunk_document(MAN, max_chars=80)
    assert {c.section for c in chunks} == {""}
    assert [c.text for c in chunks] == chunk_text(MAN, 80)


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
