"""A base's ``precision`` (issue 15): int8 embeds its passages and its queries alike, and a
base embedded by the other model is ingested again, never searched with mixed vectors. Real
MiniLM (both models) and chromadb on disk."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from agentroute.build import chroma_base
from agentroute.config._models import KnowledgeConfig
from agentroute.embeddings import (
    EmbedderMismatchError,
    HashingEmbedder,
    default_embedder,
    int8_embedder,
)

RECORDS = {
    "tar": "tar stores files in an archive; -J filters it through xz compression.",
    "grep": "grep prints lines matching a pattern; -i ignores case distinctions.",
    "ssh": "ssh logs into a remote machine; -p gives the port to connect to.",
}


def test_a_change_of_precision_reembeds_the_base(tmp_path: Path) -> None:
    corpus = tmp_path / "man.jsonl"
    corpus.write_text("".join(json.dumps({"id": k, "text": v}) + "\n" for k, v in RECORDS.items()))
    float_cfg = KnowledgeConfig(path=tmp_path / "db", documents=[corpus], precision="float32")
    base = chroma_base("man", float_cfg, tmp_path, default_embedder(), None, reembed=True)
    assert base.ingest([corpus]).documents_added == 3

    int8_cfg = float_cfg.model_copy(update={"precision": "int8"})
    with pytest.raises(EmbedderMismatchError):  # opened as it stands: no silent mixing
        chroma_base("man", int8_cfg, tmp_path, default_embedder(), None)
    again = chroma_base("man", int8_cfg, tmp_path, default_embedder(), None, reembed=True)
    assert again.embedder.id == int8_embedder().id
    report = again.ingest([corpus])
    assert (report.documents_added, report.documents_unchanged) == (3, 0)
    assert again.count() == 3
    hit = again.search("case-insensitive matching", 1)[0]
    assert hit.doc_id == "grep"
    # the base's queries are embedded by its own model
    assert again.probe("case-insensitive matching").similarity == pytest.approx(
        hit.similarity, abs=1e-4
    )


def test_a_configured_base_embeds_with_int8_minilm_unless_told_otherwise(tmp_path: Path) -> None:
    """The default a fresh configuration gets is int8 MiniLM, for passages and queries alike;
    ``float32`` keeps the float model; an embedder that is not MiniLM (a stand-in, one of the
    user's) is never swapped for MiniLM."""
    corpus = tmp_path / "man.jsonl"
    corpus.write_text("".join(json.dumps({"id": k, "text": v}) + "\n" for k, v in RECORDS.items()))
    default = KnowledgeConfig(documents=[corpus])
    assert default.precision == "int8"
    base = chroma_base("man", default, tmp_path, default_embedder(), None, reembed=True)
    assert base.embedder is int8_embedder()
    floats = default.model_copy(update={"precision": "float32"})
    again = chroma_base("man2", floats, tmp_path, int8_embedder(), None, reembed=True)
    assert again.embedder is default_embedder()
    hashing = HashingEmbedder()
    other = chroma_base("man3", default, tmp_path, hashing, None, reembed=True)
    assert other.embedder is hashing
    other.ingest([corpus])
    assert other.search("grep prints lines matching a pattern", 1)[0].doc_id == "grep"


def test_an_int8_bases_passages_are_stored_as_a_query_of_their_text_embeds(
    tmp_path: Path,
) -> None:
    """Ingested on disk in bulk (both workers, the one-thread sessions), each passage's stored
    vector is what the base's query session gives its text alone: int8 vectors depend on the
    text, not on the batch it was ingested in."""
    corpus = tmp_path / "pkgs.jsonl"
    records = {
        f"pkg{i}": f"Package pkg{i} ships tool number {i}, which {verb} files of kind {i * 7}."
        for i, verb in enumerate(["compresses", "lists", "signs", "copies"] * 20)
    }
    corpus.write_text("".join(json.dumps({"id": k, "text": v}) + "\n" for k, v in records.items()))
    cfg = KnowledgeConfig(path=tmp_path / "db", documents=[corpus], precision="int8")
    base = chroma_base("pkgs", cfg, tmp_path, default_embedder(), None, reembed=True)
    assert base.ingest([corpus]).chunks_written == 80
    _, passages, _, stored = base._all_rows()
    assert sorted(passages) == sorted(records.values())  # no heading: a passage is its text
    alone = np.stack([int8_embedder().embed_uncached([p])[0] for p in passages])
    # chromadb normalises what it stores (a last-bit change); a batch moved components ~1e-2
    np.testing.assert_allclose(np.asarray(stored, dtype=np.float32), alone, rtol=0, atol=1e-6)
