"""``agentroute kb`` end to end (issue 15): a base added from a directory of markdown, asked
through the real graph, edited and shrunk on disk, ingested again (only the change embedded,
the deleted runbook never answered again), then removed with the config's comments kept."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.conftest import cli

FROB = (
    "# Restarting the frobnicator\nTo restart the frobnicator service, run systemctl restart "
    "frobnicator and then check the log in /var/log/frob.log.\n"
)
QUUX = (
    "# Rotating the quux keys\nThe quux signing keys are rotated every 90 days with the "
    "command quuxctl rotate --all.\n"
)


def _json(*args: str, cwd: Path) -> list[dict[str, object]]:
    out = cli(*args, "--json", cwd=cwd)
    assert out.returncode == 0, out.stderr
    return list(json.loads(out.stdout))


def test_a_team_base_from_add_to_rm(tmp_path: Path) -> None:
    ops = tmp_path / "docs" / "ops"
    ops.mkdir(parents=True)
    (ops / "frobnicator.md").write_text(FROB)
    (ops / "quux.md").write_text(QUUX)
    (tmp_path / "agentroute.toml").write_text('# our team\n[agent]\nname = "ops"\n')

    added = cli("kb", "add", "runbooks", "docs", "-d", "The ops team's runbooks.", cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    assert "2 document(s) added" in " ".join(added.stdout.split())
    listed = _json("kb", "list", cwd=tmp_path)
    assert [(r["name"], r["passages"]) for r in listed] == [("runbooks", 2)]

    answer = cli("run", "How often are the quux keys rotated?", cwd=tmp_path)
    assert answer.returncode == 0, answer.stderr
    assert "90 days" in answer.stdout and "ops/quux.md" in answer.stdout

    (ops / "quux.md").unlink()
    (ops / "frobnicator.md").write_text(FROB.replace("systemctl restart frobnicator", "frobctl go"))
    (status,) = _json("kb", "status", cwd=tmp_path)
    assert (status["files_removed"], status["documents_updated"], status["chunks_written"]) == (
        1,
        1,
        0,
    )
    ingested = cli("kb", "ingest", cwd=tmp_path)
    assert ingested.returncode == 0, ingested.stderr
    assert "1 chunk(s) embedded" in " ".join(ingested.stdout.split())
    (again,) = _json("kb", "status", cwd=tmp_path)
    assert (again["files_read"], again["files_removed"], again["files_unchanged"]) == (0, 0, 1)

    gone = cli("run", "How often are the quux keys rotated?", cwd=tmp_path)
    assert gone.returncode == 1, gone.stderr  # not answered: its document is gone
    assert "90 days" not in gone.stdout and "quux.md" not in gone.stdout
    edited = cli("run", "How do I restart the frobnicator service?", cwd=tmp_path)
    assert "frobctl go" in edited.stdout, edited.stdout

    removed = cli("kb", "rm", "runbooks", cwd=tmp_path)
    assert removed.returncode == 0, removed.stderr
    config = (tmp_path / "agentroute.toml").read_text()
    assert config == '# our team\n[agent]\nname = "ops"\n'  # as it was: not a blank line more
    assert not (tmp_path / ".agentroute" / "knowledge" / "runbooks").exists()
    assert _json("kb", "list", cwd=tmp_path) == []


def test_bad_entries_and_names_are_clear_errors(tmp_path: Path) -> None:
    (tmp_path / "agentroute.toml").write_text("[agent]\n")
    missing = cli("kb", "add", "notes", "nowhere/*.md", cwd=tmp_path)
    assert missing.returncode != 0
    assert "nowhere/*.md: the pattern matches no document file" in missing.stderr
    assert cli("kb", "ingest", "nothing", cwd=tmp_path).returncode == 2
    unknown = cli("kb", "rm", "nothing", cwd=tmp_path)
    assert unknown.returncode == 2 and "no knowledge base 'nothing'" in unknown.stderr
    (tmp_path / "a.md").write_text("# A\nThe quux keys rotate every 90 days.\n")
    bad = cli("kb", "add", "bad name!", "a.md", cwd=tmp_path)
    assert bad.returncode == 2 and "'bad name!' is not a knowledge base name" in bad.stderr
    assert (tmp_path / "agentroute.toml").read_text() == "[agent]\n"
    assert not (tmp_path / ".agentroute" / "knowledge" / "bad name!").exists()
    (tmp_path / "agentroute.toml").write_text('[agent]\n[knowledge."two words"]\npath = "kb"\n')
    written = cli("kb", "list", cwd=tmp_path)  # the file is held to the same rule
    assert written.returncode == 2, written.stdout
    assert "agentroute.toml:2 [knowledge.two words]: 'two words' is not a knowledge base name" in (
        written.stderr
    )


def test_data_dir_is_where_a_configured_agent_keeps_its_bases(tmp_path: Path) -> None:
    """``--data-dir`` wins over the file's data directory for ``kb`` and ``run`` alike: a base
    ingested there is the one the run answers from, and nothing is made beside the file."""
    (tmp_path / "ops").mkdir()
    (tmp_path / "ops" / "quux.md").write_text(QUUX)
    (tmp_path / "agentroute.toml").write_text("[agent]\n")
    data = tmp_path / "elsewhere"

    added = cli("kb", "add", "runbooks", "ops", "--data-dir", str(data), cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("runbooks ingested"), added.stdout  # no progress residue
    assert (data / "knowledge" / "runbooks").is_dir()
    answer = cli(
        "run", "How often are the quux keys rotated?", "--data-dir", str(data), cwd=tmp_path
    )
    assert answer.returncode == 0, answer.stderr
    assert "90 days" in answer.stdout
    assert not (tmp_path / ".agentroute").exists()
    (status,) = _json("kb", "status", "--data-dir", str(data), cwd=tmp_path)
    assert status["files_unchanged"] == 1


def test_a_base_that_cannot_be_ingested_is_not_added(tmp_path: Path) -> None:
    """A bad JSONL line left [knowledge.NAME] in the file, and every later command failed."""
    (tmp_path / "agentroute.toml").write_text("# ours\n[agent]\n")
    (tmp_path / "p.jsonl").write_text('{"id": "p1", "text": "The tray holds 200 sheets."}\nno\n')
    added = cli("kb", "add", "printers", "p.jsonl", cwd=tmp_path)
    assert added.returncode != 0
    assert "p.jsonl:2: invalid JSON" in added.stderr and "not added" in added.stderr
    assert (tmp_path / "agentroute.toml").read_text() == "# ours\n[agent]\n"
    assert not (tmp_path / ".agentroute" / "knowledge" / "printers").exists()
    assert cli("run", "What is 6 * 7?", cwd=tmp_path).returncode == 0


def test_a_document_file_broken_after_ingestion_is_skipped_naming_it(tmp_path: Path) -> None:
    """An edit that breaks a JSONL file stopped the agent: now the file is skipped with a
    warning naming its line, and what it held when last read still answers (nothing lost)."""
    (tmp_path / "agentroute.toml").write_text("[agent]\n")
    jsonl = tmp_path / "p.jsonl"
    jsonl.write_text('{"id": "p1", "text": "The tray holds 200 sheets."}\n')
    assert cli("kb", "add", "printers", "p.jsonl", cwd=tmp_path).returncode == 0
    jsonl.write_text(jsonl.read_text() + "{oops\n")
    broken = cli("run", "How many sheets does the tray hold?", cwd=tmp_path, log=None)
    assert broken.returncode == 0, broken.stderr
    assert "200 sheets" in broken.stdout, broken.stdout
    assert "knowledge.file_skipped" in broken.stderr and "printers" in broken.stderr
    assert "p.jsonl:2: invalid JSON" in broken.stderr and "Traceback" not in broken.stderr


def test_nothing_to_ingest_says_so(tmp_path: Path) -> None:
    """``kb status`` and ``kb ingest`` without a base printed nothing at all."""
    for command in ("status", "ingest"):
        out = cli("kb", command, cwd=tmp_path)
        assert out.returncode == 0 and out.stdout == ""
        assert "no knowledge bases with documents configured" in out.stderr, command


def test_two_configurations_sharing_a_folder_are_told_they_replace_each_others_base(
    tmp_path: Path,
) -> None:
    """Two files in one folder keep their data in one ``.agentroute``: a base both name was
    emptied and embedded again by each in turn, unsaid. Now each says it, naming the other
    file and the setting that separates them; the answers stay each file's own."""
    (tmp_path / "frob.md").write_text(FROB)
    (tmp_path / "quux.md").write_text(QUUX)
    (tmp_path / "a.toml").write_text('[knowledge.notes]\ndocuments = ["frob.md"]\n')
    (tmp_path / "b.toml").write_text('[knowledge.notes]\ndocuments = ["quux.md"]\n')
    first = cli("kb", "ingest", "-c", "a.toml", cwd=tmp_path)
    assert first.returncode == 0 and "warning" not in first.stderr, first.stderr
    second = cli("kb", "ingest", "-c", "b.toml", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    said = " ".join(second.stderr.split())  # rich may wrap
    assert f"last ingested for {tmp_path / 'a.toml'}" in said and "data_dir" in said, said
    assert "warning" not in second.stdout
    again = cli("kb", "ingest", "-c", "b.toml", cwd=tmp_path)
    assert again.returncode == 0 and "warning" not in again.stderr, again.stderr
    answer = cli("run", "-c", "a.toml", "How do I restart the frobnicator?", cwd=tmp_path, log=None)
    assert answer.returncode == 0 and "systemctl restart frobnicator" in answer.stdout
    assert "knowledge.shared_data_dir" in answer.stderr, answer.stderr
    assert str(tmp_path / "b.toml") in " ".join(answer.stderr.split()), answer.stderr


def test_a_directory_of_other_files_says_what_it_reads_and_passed_over(tmp_path: Path) -> None:
    """A new user points `kb add` at raw manual pages (`ls.1`): the error names the suffixes a
    directory contributes and the files it passed over, not only "holds no document file"."""
    (tmp_path / "agentroute.toml").write_text("[agent]\n")
    (tmp_path / "man").mkdir()
    (tmp_path / "man" / "ls.1").write_text(".TH LS 1\n.SH NAME\nls \\- list directory contents\n")
    failed = cli("kb", "add", "manpages", "man", cwd=tmp_path)
    assert failed.returncode == 2, failed.stderr
    assert "the directory holds no document file" in failed.stderr
    assert ".md" in failed.stderr and "passed over 1 other file(s): ls.1" in failed.stderr
    assert (tmp_path / "agentroute.toml").read_text() == "[agent]\n"
    named = cli("kb", "add", "manpages", "man/ls.1", cwd=tmp_path)  # as the error advises
    assert named.returncode == 0, named.stderr


def test_a_setext_readme_is_cited_by_its_own_sections(tmp_path: Path) -> None:
    """A README titled ``PyYAML`` over ``======`` (as /usr/share/doc's are) is cited by its
    section path under that title, not under its first ``##`` section."""
    (tmp_path / "agentroute.toml").write_text("[agent]\n")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "yaml.md").write_text(
        "PyYAML\n======\n\nA YAML framework for Python.\n\n## Installation\n\n"
        "Type `python setup.py install`.\n\n## Release cadence\n\n"
        "PyYAML ships a new release every quarter, in March, June, September and December.\n"
    )
    added = cli("kb", "add", "docs", "docs", "--description", "PyYAML notes", cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    asked = cli("run", "how often does pyyaml ship a release", cwd=tmp_path)
    assert "every quarter" in asked.stdout, asked.stdout
    assert "PyYAML › Release cadence" in asked.stdout, asked.stdout
    assert "Installation › Release cadence" not in asked.stdout
