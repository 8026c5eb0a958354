"""Words a man page's formatter broke at a line end with a hyphen are indexed whole (issue 15):
869 "cur‐\\n rent" breaks left half-words in BM25's postings and the encoder's input."""

from __future__ import annotations

from pathlib import Path

from agentroute.embeddings import HashingEmbedder
from agentroute.knowledge import ChromaKnowledgeBase, Document
from agentroute.knowledge._chunking import chunk_document
from agentroute.knowledge._hyphens import join_line_hyphens

PAGE = """NAME
tac - concatenate and print files in re\u2010
       verse

DESCRIPTION
Write each FILE to standard output, last line first. With no FILE, read the cur\u2010
       rent directory's listing, which is speci\u2010
       fied nowhere else.

       -b, --before
              attach the separator before instead of after, see update-
              alternatives and --no-
              prefix

       -s, --separator=STRING
              use STRING as the sepa\u00adrator instead of new\u2010
              line
"""


def words(text: str) -> str:
    return " ".join(text.split())


def test_a_word_the_formatter_broke_is_one_word_again() -> None:
    text = words(" ".join(c.text for c in chunk_document(PAGE)))
    assert "current directory" in text and "specified nowhere" in text
    assert "\u2010" not in text and "\u00ad" not in text
    assert "separator instead of newline" in text


def test_a_compound_broken_at_its_own_hyphen_keeps_it() -> None:
    text = words(" ".join(c.text for c in chunk_document(PAGE)))
    assert "update-alternatives" in text and "--no-prefix" in text


def test_the_page_keeps_its_name_line_and_options() -> None:
    chunks = chunk_document(PAGE)
    options = {c.section: c for c in chunks if "›" in c.section}
    assert set(options) == {"DESCRIPTION › -b, --before", "DESCRIPTION › -s, --separator=STRING"}
    assert options["DESCRIPTION › -b, --before"].context == (
        "tac - concatenate and print files in reverse"
    )


def test_a_compound_the_document_writes_inline_is_not_joined() -> None:
    text = "Give a file\u2010name here, or a file\u2010\n   name there."
    assert join_line_hyphens(text) == "Give a file\u2010name here, or a file\u2010name\n   there."
    both = "A filename, a file\u2010name, a file\u2010\n   name."
    assert join_line_hyphens(both) == "A filename, a file\u2010name, a filename."


def test_the_text_keeps_its_lines() -> None:
    """The word's rest moves up and the break follows it: a line stays a line (a "NOTE:"
    line is read as one by the answer's statements), a paragraph's end stays its end."""
    text = "NOTE: it usually super\u2010\n   sedes the version here. See the docu\u2010\n   mentation.\n\nNext."
    assert join_line_hyphens(text) == (
        "NOTE: it usually supersedes\n   the version here. See the documentation.\n\nNext."
    )


def test_upper_case_halves_and_lone_dashes_stay_as_they_were() -> None:
    text = "Runs on MS\u2010\n   DOS.\n  -\n   Print all.\n  a -\n  b"
    assert join_line_hyphens(text) == text


def test_code_in_markdown_is_left_alone() -> None:
    md = "# Tool\nIt prints the cur\u2010\n  rent time.\n\n```sh\necho a-\n  b\n```\n"
    chunks = chunk_document(md)
    assert [c.text for c in chunks] == [
        "It prints the current\n  time.",
        "```sh\necho a-\n  b\n```",
    ]


def test_a_base_finds_the_whole_word_a_page_broke(tmp_path: Path) -> None:
    """On disk, through chromadb and BM25: the broken word's passage answers the whole word."""
    kb = ChromaKnowledgeBase("man", tmp_path / "db", HashingEmbedder())
    other = "NAME\nls - list\n\nDESCRIPTION\nList the files in the current directory.\n"
    kb.add(
        [
            Document(id="tac.1", title="tac(1)", text=PAGE),
            Document(id="ls.1", title="ls(1)", text=other),
        ]
    )
    hits = kb.search("separator instead of newline", 3)
    assert hits[0].doc_id == "tac.1"
    assert "newline" in hits[0].text
    assert all("\u2010\n" not in h.text for h in kb.search("specified", 5))
