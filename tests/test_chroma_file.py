"""chromadb's SQLite file read without chromadb (issue 14), checked against real chromadb
directories: what the file says equals what chromadb says, the fingerprint moves with every
write and only then, and a file this cannot read answers ``None`` (the caller asks chromadb)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import chromadb
import pytest
from chromadb.config import Settings

from agentroute._chroma_file import ChromaFile

META = {"kind": "facts", "size": 3, "ratio": 0.5, "live": True}


def _client(path: Path) -> Any:
    return chromadb.PersistentClient(str(path), settings=Settings(anonymized_telemetry=False))


def _vec(i: int) -> list[float]:
    return [float(i), 1.0, float(i % 3), 0.5]


def _collection(path: Path, name: str = "kb.facts", n: int = 3) -> Any:
    col = _client(path).get_or_create_collection(name, metadata=META)
    if n:
        col.add(
            ids=[f"d{i}" for i in range(n)],
            documents=[f"passage number {i}" for i in range(n)],
            embeddings=[_vec(i) for i in range(n)],
        )
    return col


def _fingerprint(path: Path, name: str = "kb.facts") -> str:
    with ChromaFile(path) as file:
        state = file.state(name)
    assert state is not None
    return state.fingerprint


def test_the_file_says_what_chromadb_says(tmp_path: Path) -> None:
    col = _collection(tmp_path)
    _client(tmp_path).get_or_create_collection("other.one", metadata={"kind": "cases"})
    with ChromaFile(tmp_path) as file:
        cols = file.collections()
        assert cols is not None and set(cols) == {"kb.facts", "other.one"}
        assert cols["kb.facts"].id == str(col.id) and cols["kb.facts"].metadata == col.metadata
        assert cols["other.one"].metadata == {"kind": "cases"}
        state = file.state("kb.facts")
        assert state is not None
        assert (state.collection_id, state.metadata, state.count) == (str(col.id), META, 3)
        assert file.current("kb.facts") == cols["kb.facts"]
        assert file.count("kb.facts") == col.count() == 3
        assert file.count("other.one") == 0
        assert file.existing("kb.facts", ["d0", "d2", "d9"]) == {"d0", "d2"}
        got = col.get(ids=["d1", "d2"], include=["documents"])
        assert file.documents("kb.facts", ["d1", "d2", "d9"]) == dict(
            zip(got["ids"], got["documents"], strict=True)
        )
        assert file.state("kb.missing") is None and file.count("kb.missing") is None


def test_ids_beyond_one_query_batch(tmp_path: Path) -> None:
    _collection(tmp_path, n=1200)
    ids = [f"d{i}" for i in range(0, 1300, 2)]
    with ChromaFile(tmp_path) as file:
        assert file.existing("kb.facts", ids) == {f"d{i}" for i in range(0, 1200, 2)}
        docs = file.documents("kb.facts", ids)
    assert docs is not None and len(docs) == 600 and docs["d1198"] == "passage number 1198"


def test_the_fingerprint_moves_with_every_write_and_only_then(tmp_path: Path) -> None:
    col = _collection(tmp_path)
    seen = [_fingerprint(tmp_path)]
    col.get(include=["documents"])
    col.query(query_embeddings=[_vec(1)], n_results=2)
    assert _fingerprint(tmp_path) == seen[-1]  # reads change nothing
    col.add(ids=["d9"], documents=["a new passage"], embeddings=[_vec(9)])
    seen.append(_fingerprint(tmp_path))
    col.delete(ids=["d0"])
    seen.append(_fingerprint(tmp_path))
    col.update(ids=["d1"], documents=["passage one, rewritten"], embeddings=[_vec(11)])
    seen.append(_fingerprint(tmp_path))
    col.modify(metadata={**META, "size": 4})
    seen.append(_fingerprint(tmp_path))
    _client(tmp_path).delete_collection("kb.facts")
    with ChromaFile(tmp_path) as file:
        assert file.state("kb.facts") is None
    _collection(tmp_path)  # rebuilt under the same name, same rows
    seen.append(_fingerprint(tmp_path))
    assert len(set(seen)) == len(seen), seen
    with ChromaFile(tmp_path) as file:
        state = file.state("kb.facts")
    assert state is not None and state.count == 3 and state.metadata == META


def test_a_held_connection_sees_later_writes(tmp_path: Path) -> None:
    col = _collection(tmp_path)
    file = ChromaFile(tmp_path)
    try:
        assert file.count("kb.facts") == 3
        col.add(ids=["d7"], documents=["seven"], embeddings=[_vec(7)])
        assert file.count("kb.facts") == 4
        assert file.documents("kb.facts", ["d7"]) == {"d7": "seven"}
    finally:
        file.close()


def test_rows_behind_the_write_log_are_not_read(tmp_path: Path) -> None:
    """A write chromadb logged but has not applied to the metadata segment yet: the rows are
    not current (``None``), while the state still reads, with a fingerprint of its own."""
    col = _collection(tmp_path)
    before = _fingerprint(tmp_path)
    con = sqlite3.connect(tmp_path / "chroma.sqlite3")
    with con:
        (topic,) = con.execute(
            "SELECT topic FROM embeddings_queue WHERE topic LIKE ?", (f"%/{col.id}",)
        ).fetchone()
        con.execute(
            "INSERT INTO embeddings_queue (seq_id, operation, topic, id) VALUES (999, 0, ?, 'd8')",
            (topic,),
        )
    con.close()
    with ChromaFile(tmp_path) as file:
        assert file.current("kb.facts") is None
        assert file.count("kb.facts") is None
        assert file.existing("kb.facts", ["d0"]) is None
        assert file.documents("kb.facts", ["d0"]) is None
        cols = file.collections()
        assert cols is not None and "kb.facts" in cols
    assert _fingerprint(tmp_path) != before


def test_no_file_yet(tmp_path: Path) -> None:
    with ChromaFile(tmp_path / "absent") as file:
        assert file.collections() == {}
        assert file.state("kb.facts") is None
        assert file.current("kb.facts") is None
        assert file.count("kb.facts") is None
        assert file.documents("kb.facts", ["d0"]) is None


@pytest.mark.parametrize("schema", ["CREATE TABLE collections (id TEXT)", "CREATE TABLE t (x)"])
def test_a_file_laid_out_otherwise_answers_none(tmp_path: Path, schema: str) -> None:
    con = sqlite3.connect(tmp_path / "chroma.sqlite3")
    con.execute(schema)
    con.commit()
    con.close()
    with ChromaFile(tmp_path) as file:
        assert file.collections() is None
        assert file.state("kb.facts") is None
        assert file.count("kb.facts") is None
        assert file.existing("kb.facts", ["d0"]) is None


def test_two_metadata_segments_are_not_read(tmp_path: Path) -> None:
    _collection(tmp_path)
    copy = tmp_path / "copy"
    shutil.copytree(tmp_path, copy, ignore=shutil.ignore_patterns("copy"))
    con = sqlite3.connect(copy / "chroma.sqlite3")
    with con:
        con.execute(
            "INSERT INTO segments (id, type, scope, collection) SELECT 'extra-segment', type, "
            "scope, collection FROM segments WHERE scope = 'METADATA'"
        )
    con.close()
    with ChromaFile(copy) as file:
        assert file.collections() is None
        assert file.state("kb.facts") is None
        assert file.count("kb.facts") is None
    with ChromaFile(tmp_path) as file:
        assert file.count("kb.facts") == 3
