"""The multi-KB routing benchmark's carried bases travel with their origin, licences and the
scripts that regenerate them; its hand-written questions keep their fixed split."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BASES = ("manpages", "debian_packages", "python_reference", "stdlib_docs")


def _rows(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_man_pages_carry_their_package_and_licence() -> None:
    folder = REPO / "data" / "manpages"
    assert (
        "Origin" in (folder / "README.md").read_text()
        and "Licence" in (folder / "README.md").read_text()
    )
    assert (REPO / "scripts" / "build_manpages.py").is_file()
    pages = _rows(folder / "pages.jsonl")
    assert 150 <= len(pages) <= 300
    assert len({p["id"] for p in pages}) == len(pages)
    assert all(p["package"] and p["licence"] and len(str(p["text"])) >= 200 for p in pages)
    assert (folder / "pages.jsonl").stat().st_size < 1_500_000


def test_package_stanzas_carry_their_licence() -> None:
    folder = REPO / "data" / "debian_packages"
    assert "Origin" in (folder / "README.md").read_text()
    assert (REPO / "scripts" / "build_debian_packages.py").is_file()
    packages = _rows(folder / "packages.jsonl")
    assert 400 <= len(packages) <= 700
    assert len({p["package"] for p in packages}) == len(packages)
    for p in packages:
        text = str(p["text"])
        assert p["licence"] and text.startswith(f"Package: {p['package']}\n")
        assert "\nSection: " in text and "\nDescription: " in text


def test_natural_questions_have_gold_bases_and_a_fixed_split() -> None:
    rows = _rows(REPO / "benchmarks" / "kb_routing" / "questions.jsonl")
    assert len({r["question"] for r in rows}) == len(rows)
    singles = Counter((r["bases"][0], r["split"]) for r in rows if r["kind"] == "single")
    for base in BASES:
        assert singles[(base, "train")] == singles[(base, "test")] == 20
    for r in rows:
        assert r["split"] in ("train", "test")
        gold = r["bases"]
        assert isinstance(gold, list) and all(b in BASES for b in gold)
        assert len(gold) == {"single": 1, "two_part": 2, "unanswerable": 0}[str(r["kind"])]
    kinds = Counter((r["kind"], r["split"]) for r in rows)
    assert kinds[("two_part", "train")] == kinds[("two_part", "test")] == 20
    assert kinds[("unanswerable", "train")] == kinds[("unanswerable", "test")] == 10


def test_dev2_is_disjoint_from_the_other_questions() -> None:
    """dev2 tunes beside train: none of its questions is one of the natural set's (whose test
    split stays unseen) or dev's, each gold names one of the six bases, and it holds the
    registers and distractors it was written for."""
    six = {*BASES, "project_docs", "facts"}
    older = {
        str(r["question"]).lower()
        for name in ("questions", "dev")
        for r in _rows(REPO / "benchmarks" / "kb_routing" / f"{name}.jsonl")
    }
    rows = _rows(REPO / "benchmarks" / "kb_routing" / "dev2.jsonl")
    assert len({str(r["question"]).lower() for r in rows}) == len(rows)
    for r in rows:
        assert r["split"] == "dev2" and str(r["question"]).lower() not in older
        gold = r["bases"]
        assert isinstance(gold, list) and all(b in six for b in gold)
        assert len(gold) == {"single": 1, "two_part": 2, "unanswerable": 0}[str(r["kind"])]
    kinds = Counter(r["kind"] for r in rows)
    assert kinds["single"] >= 120 and kinds["unanswerable"] >= 30


def test_dev3_is_disjoint_from_the_other_questions() -> None:
    """dev3 tunes beside train, dev and dev2: none of its questions is one of theirs (the natural
    test split stays unseen), each gold names one of the six bases, and it holds at least the
    singles, two-part questions and questions no base answers it was written with."""
    six = {*BASES, "project_docs", "facts"}
    older = {
        str(r["question"]).lower()
        for name in ("questions", "dev", "dev2")
        for r in _rows(REPO / "benchmarks" / "kb_routing" / f"{name}.jsonl")
    }
    rows = _rows(REPO / "benchmarks" / "kb_routing" / "dev3.jsonl")
    assert len({str(r["question"]).lower() for r in rows}) == len(rows)
    for r in rows:
        assert r["split"] == "dev3" and str(r["question"]).lower() not in older
        gold = r["bases"]
        assert isinstance(gold, list) and all(b in six for b in gold)
        assert len(gold) == {"single": 1, "two_part": 2, "unanswerable": 0}[str(r["kind"])]
    kinds = Counter(r["kind"] for r in rows)
    assert kinds["single"] >= 120 and kinds["two_part"] >= 20 and kinds["unanswerable"] >= 30
    assert {r["bases"][0] for r in rows if r["kind"] == "single"} == six


def test_dev4_is_disjoint_from_the_other_questions() -> None:
    """dev4 (session 16, written before the probe's code was read) tunes beside the other dev
    splits: none of its questions is one of theirs or the natural set's, each gold names one of
    the six bases, and it holds the singles, two-part questions and questions no base answers
    it was written with, over every base."""
    six = {*BASES, "project_docs", "facts"}
    older = {
        str(r["question"]).lower()
        for name in ("questions", "dev", "dev2", "dev3")
        for r in _rows(REPO / "benchmarks" / "kb_routing" / f"{name}.jsonl")
    }
    rows = _rows(REPO / "benchmarks" / "kb_routing" / "dev4.jsonl")
    assert len({str(r["question"]).lower() for r in rows}) == len(rows)
    for r in rows:
        assert r["split"] == "dev4" and str(r["question"]).lower() not in older
        gold = r["bases"]
        assert isinstance(gold, list) and all(b in six for b in gold)
        assert len(gold) == {"single": 1, "two_part": 2, "unanswerable": 0}[str(r["kind"])]
    kinds = Counter(r["kind"] for r in rows)
    assert kinds["single"] >= 120 and kinds["two_part"] >= 20 and kinds["unanswerable"] >= 30
    assert {r["bases"][0] for r in rows if r["kind"] == "single"} == six


def test_dev5_is_disjoint_from_the_other_questions_and_adds_a_seventh_base() -> None:
    """dev5 (session 17, written before the probe's code was read) asks seven bases: the six
    and library_docs, which the probe was never tuned on. None of its questions is one of the
    older sets'; it holds the singles, two-part questions and questions no base answers it was
    written with, most singles the new base's."""
    seven = {*BASES, "project_docs", "facts", "library_docs"}
    older = {
        str(r["question"]).lower()
        for name in ("questions", "dev", "dev2", "dev3", "dev4")
        for r in _rows(REPO / "benchmarks" / "kb_routing" / f"{name}.jsonl")
    }
    rows = _rows(REPO / "benchmarks" / "kb_routing" / "dev5.jsonl")
    assert len({str(r["question"]).lower() for r in rows}) == len(rows)
    for r in rows:
        assert r["split"] == "dev5" and str(r["question"]).lower() not in older
        gold = r["bases"]
        assert isinstance(gold, list) and all(b in seven for b in gold)
        assert len(gold) == {"single": 1, "two_part": 2, "unanswerable": 0}[str(r["kind"])]
    kinds = Counter(r["kind"] for r in rows)
    assert kinds["single"] >= 100 and kinds["two_part"] >= 20 and kinds["unanswerable"] >= 40
    singles = Counter(r["bases"][0] for r in rows if r["kind"] == "single")
    assert set(singles) == seven and singles["library_docs"] >= 50


_BLIND = ("dev6", "dev7", "dev8", "dev9")
"""Sets written before the probe's code was read (sessions 18, 19, 20, 21), each after the last."""


@pytest.mark.parametrize("name", _BLIND)
def test_a_blind_set_is_disjoint_from_the_older_questions_over_the_seven_bases(name: str) -> None:
    """A blind set is new: none of its questions is one of the older sets'; at least 100
    singles over every base, 20 two-part questions mixing two bases, 50 look-alike questions
    no base answers."""
    seven = {*BASES, "project_docs", "facts", "library_docs"}
    before = ("questions", "dev", "dev2", "dev3", "dev4", "dev5", *_BLIND[: _BLIND.index(name)])
    older = {
        str(r["question"]).lower()
        for earlier in before
        for r in _rows(REPO / "benchmarks" / "kb_routing" / f"{earlier}.jsonl")
    }
    rows = _rows(REPO / "benchmarks" / "kb_routing" / f"{name}.jsonl")
    assert len({str(r["question"]).lower() for r in rows}) == len(rows)
    for r in rows:
        assert r["split"] == name and str(r["question"]).lower() not in older
        gold = r["bases"]
        assert isinstance(gold, list) and all(b in seven for b in gold)
        assert len(gold) == {"single": 1, "two_part": 2, "unanswerable": 0}[str(r["kind"])]
        assert r["kind"] != "two_part" or gold[0] != gold[1]
    kinds = Counter(r["kind"] for r in rows)
    assert kinds["single"] >= 100 and kinds["two_part"] >= 20 and kinds["unanswerable"] >= 50
    assert {r["bases"][0] for r in rows if r["kind"] == "single"} == seven


def test_an_edit_of_one_base_draws_no_other_base_s_held_out_sentences() -> None:
    """The facts base's held-out sentences (what the look-alike questions were checked to be
    missing from the indexed text) do not move when this README, one of the bases, is edited:
    an added section once re-drew them all and flipped a dozen golds."""
    import sys

    sys.path.insert(0, str(REPO / "benchmarks"))
    from _kb_corpora import Doc, corpora, held_out

    docs = corpora()
    before = {d.id: d.text for d in held_out(docs)[0]["facts"]}
    docs["project_docs"] = [
        *docs["project_docs"],
        Doc("project_docs", "extra:0", "Extra", "An added section. " * 30),
    ]
    after = {d.id: d.text for d in held_out(docs)[0]["facts"]}
    assert after == before
    # as the look-alikes were checked: one of France's sentences is held out, its capital
    assert "Paris" not in before["geo-france"] and "Canberra" not in before["geo-australia"]


def test_dev10_is_new_and_asks_the_four_bases_every_way() -> None:
    """dev10 (session 22, blind) is new over all older sets; singles over the natural set's
    four bases, two-part questions joining two different ones, 25 questions no base answers."""
    before = ("questions", "dev", "dev2", "dev3", "dev4", "dev5", *_BLIND)
    older = {
        str(r["question"]).lower()
        for earlier in before
        for r in _rows(REPO / "benchmarks" / "kb_routing" / f"{earlier}.jsonl")
    }
    rows = _rows(REPO / "benchmarks" / "kb_routing" / "dev10.jsonl")
    assert len({str(r["question"]).lower() for r in rows}) == len(rows)
    for r in rows:
        assert r["split"] == "dev10" and str(r["question"]).lower() not in older
        gold = r["bases"]
        assert isinstance(gold, list) and all(b in BASES for b in gold)
        assert len(gold) == {"single": 1, "two_part": 2, "unanswerable": 0}[str(r["kind"])]
        assert r["kind"] != "two_part" or gold[0] != gold[1]
    kinds = Counter(r["kind"] for r in rows)
    assert kinds["single"] >= 100 and kinds["two_part"] >= 20 and kinds["unanswerable"] >= 25
    assert {r["bases"][0] for r in rows if r["kind"] == "single"} == set(BASES)
