"""``agentroute memory`` against a real chromadb store; export/import round-trips losslessly."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from agentroute.cli._memory import memory_app
from agentroute.embeddings import HashingEmbedder
from agentroute.memory import ChromaCaseStore

runner = CliRunner()


def _seed(path: Path, mk) -> list[str]:  # type: ignore[no-untyped-def]
    emb = HashingEmbedder(dim=128)
    cases = [
        mk("weather in Paris tomorrow", namespace="a"),
        mk("convert 12 USD to EUR", namespace="a", target="fx.convert", success=False),
        mk("weather in Oslo", namespace="ab"),
    ]
    cases[0].recall.times_recalled = 3
    cases[0].recall.successes = 2
    with ChromaCaseStore(path, emb) as store:
        for c in cases:
            store.put(c, emb.embed([c.task])[0])
    return [c.id for c in cases]


def run(*args: str) -> str:
    result = runner.invoke(memory_app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_list_show_search_stats(tmp_path: Path, mk) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bank"
    ids = _seed(path, mk)
    out = run("list", "--path", str(path))
    assert all(i in out for i in ids)
    out = run("list", "--path", str(path), "--namespace", "a")
    assert ids[2] not in out and ids[0] in out
    assert json.loads(run("show", ids[0], "--path", str(path)))["recall"]["successes"] == 2
    out = run("search", "weather in Paris", "--path", str(path), "--namespace", "a")
    assert ids[0] in out and "similarity" in out and ids[2] not in out
    out = run("stats", "--path", str(path))
    assert "[a] 2 cases" in out and "[ab] 1 cases" in out


def test_forget_and_quarantine(tmp_path: Path, mk) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bank"
    ids = _seed(path, mk)
    run("quarantine", ids[0], "--path", str(path), "--reason", "looked wrong")
    assert ids[0] not in run("search", "weather in Paris tomorrow", "--path", str(path), "-n", "a")
    assert "quarantined" in run("list", "--path", str(path), "--status", "quarantined")
    run("forget", ids[1], "--path", str(path))
    assert ids[1] not in run("list", "--path", str(path))
    result = runner.invoke(memory_app, ["forget", ids[1], "--path", str(path)])
    assert result.exit_code == 1 and "no case" in result.output


def test_export_import_round_trip_is_lossless(tmp_path: Path, mk) -> None:  # type: ignore[no-untyped-def]
    src, dst = tmp_path / "src", tmp_path / "dst"
    _seed(src, mk)
    dump1, dump2 = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    run("export", str(dump1), "--path", str(src))
    # the destination store uses the same embedder as the source
    ChromaCaseStore(dst, HashingEmbedder(dim=128)).close()
    assert "imported 3" in run("import", str(dump1), "--path", str(dst))
    run("export", str(dump2), "--path", str(dst))
    one = sorted(dump1.read_text().splitlines())
    two = sorted(dump2.read_text().splitlines())
    assert one == two and len(one) == 3


def test_import_quarantines_a_tampered_case(tmp_path: Path, mk) -> None:  # type: ignore[no-untyped-def]
    src, dst = tmp_path / "src", tmp_path / "dst"
    emb = HashingEmbedder(dim=128)
    case = mk("weather in Paris")
    from agentroute.memory import content_hash

    case.provenance.content_hash = content_hash(case)
    dump = tmp_path / "x.jsonl"
    body = json.loads(case.model_dump_json())
    body["plan"]["steps"][0]["target"] = "attacker.exfil"
    dump.write_text(json.dumps(body) + "\n")
    ChromaCaseStore(dst, emb).close()
    run("import", str(dump), "--path", str(dst))
    assert json.loads(run("show", case.id, "--path", str(dst)))["status"] == "quarantined"
    del src


def test_reindex_command(tmp_path: Path, mk) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bank"
    _seed(path, mk)
    out = run("reindex", "--path", str(path), "--embedder", "hashing-64-bigrams@v1")
    assert "re-indexed 3 cases" in out
    assert ChromaCaseStore.recorded_embedder(path) == "hashing-64-bigrams@v1"
    assert "weather" in run("search", "weather in Paris", "--path", str(path))


def test_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(memory_app, ["list", "--path", str(tmp_path / "nope")])
    assert result.exit_code == 2 and "no case store" in result.output
    assert not (tmp_path / "nope").exists()


def test_export_dash_writes_only_the_cases_to_stdout(tmp_path: Path, mk) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "src"
    ids = _seed(src, mk)
    result = runner.invoke(memory_app, ["export", "-", "--path", str(src)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert sorted(json.loads(line)["id"] for line in lines) == sorted(ids)
    assert "exported 3 cases to stdout" in result.stderr
    assert not (Path.cwd() / "-").exists()


def test_import_of_a_bad_line_names_file_line_field_and_imports_nothing(
    tmp_path: Path,
    mk,  # type: ignore[no-untyped-def]
) -> None:
    src, dst = tmp_path / "src", tmp_path / "dst"
    _seed(src, mk)
    dump = tmp_path / "d.jsonl"
    run("export", str(dump), "--path", str(src))
    lines = dump.read_text().splitlines()
    bad = json.loads(lines[1])
    bad["recall"]["successes"] = "many"
    dump.write_text("\n".join([lines[0], json.dumps(bad), lines[2]]) + "\n")
    ChromaCaseStore(dst, HashingEmbedder(dim=128)).close()
    result = runner.invoke(memory_app, ["import", str(dump), "--path", str(dst)])
    assert result.exit_code == 2
    assert f"{dump}:2: not a case record: recall.successes:" in result.stderr
    assert "nothing imported" in result.stderr and "errors.pydantic.dev" not in result.stderr
    assert "[" not in run("stats", "--path", str(dst))
    dump.write_text(lines[0] + "\n{not json\n")
    result = runner.invoke(memory_app, ["import", str(dump), "--path", str(dst)])
    assert result.exit_code == 2 and f"{dump}:2: not a case record: Invalid JSON" in result.stderr
