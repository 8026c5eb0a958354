"""``agentroute memory``: list, show, search, forget, quarantine, export, import, stats, reindex.

The bank is the agent's: ``--path`` names one, else the configuration's ``[memory] path`` or
its data directory's ``memory`` (``--config``, ``--data-dir`` as every command takes them)."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from agentroute.cli._load import ConfigOption, DataDirOption, load_settings
from agentroute.embeddings._base import EmbedderMismatchError
from agentroute.memory._bank import CaseBank
from agentroute.memory._case import CaseStatus
from agentroute.memory._chroma import ChromaCaseStore
from agentroute.memory._store import MemoryStoreError

__all__ = ["memory_app"]

memory_app = typer.Typer(help="Inspect and manage the case bank.", no_args_is_help=True)

PathOpt = Annotated[
    Path | None,
    typer.Option("--path", help="Case store directory (default: the configured agent's)."),
]
NsOpt = Annotated[str | None, typer.Option("--namespace", "-n", help="Only this namespace.")]
CaseArg = Annotated[str, typer.Argument(help="The case's id, as memory list shows it.")]


def _bank(path: Path, *, create: bool = False) -> CaseBank:
    from agentroute.embeddings import default_embedder, resolve_embedder

    if not create and not ((path / "chroma").exists() or (path / "store.json").exists()):
        typer.echo(
            f"error: no case store at {path} (give --path, --data-dir or --config)", err=True
        )
        raise typer.Exit(2)
    recorded = ChromaCaseStore.recorded_embedder(path)
    embedder = resolve_embedder(recorded) if recorded else default_embedder()
    try:
        return CaseBank.open(path, embedder=embedder)
    except (MemoryStoreError, EmbedderMismatchError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc


def _open(
    path: Path | None, config: Path | None, data_dir: Path | None, *, create: bool = False
) -> tuple[str, CaseBank]:
    """``--path``'s bank, else the configured agent's wherever ``[persistence]`` keeps it (on
    pgvector or a Chroma server as in the data directory), and where that is."""
    if path is not None:
        return str(path), _bank(path, create=create)
    settings = load_settings(config, data_dir)
    if settings.persistence.vector_server() is None:
        folder = settings.memory_folder()
        return str(folder), _bank(folder, create=create)
    from agentroute.build import case_bank, case_bank_where
    from agentroute.embeddings import default_embedder

    where = case_bank_where(settings)
    try:
        return where, case_bank(settings, default_embedder())
    except (MemoryStoreError, EmbedderMismatchError, ConnectionError) as exc:
        typer.echo(f"error: the case bank on {where}: {exc}", err=True)
        raise typer.Exit(2) from exc


@contextmanager
def _opened(
    path: Path | None, config: Path | None, data_dir: Path | None, *, create: bool = False
) -> Iterator[tuple[str, CaseBank]]:
    """The bank a command works on and where it is, closed when the command is done; a server
    that fails midway is an error naming it, not a traceback."""
    where, bank = _open(path, config, data_dir, create=create)
    try:
        yield where, bank
    except BrokenPipeError:  # stdout's reader has seen enough (``| head``): not the bank's
        raise
    except ConnectionError as exc:
        typer.echo(f"error: the case bank on {where}: {exc}", err=True)
        raise typer.Exit(1) from exc
    finally:
        bank.close()


def _fail(msg: str, code: int = 1) -> typer.Exit:
    """``code`` 2 for a usage error (a file named that is not there), as every command."""
    typer.echo(f"error: {msg}", err=True)
    return typer.Exit(code)


@memory_app.command("list")
def list_cases(
    path: PathOpt = None,
    config: ConfigOption = None,
    data_dir: DataDirOption = None,
    namespace: NsOpt = None,
    status: Annotated[str | None, typer.Option(help="active | quarantined | superseded")] = None,
    limit: Annotated[int, typer.Option(help="Show at most this many cases.")] = 50,
) -> None:
    """One line per case: id, namespace, status, outcome, task."""
    with _opened(path, config, data_dir) as (_, bank):
        shown = 0
        for case in bank.store.cases(namespace=namespace):
            if status and case.status.value != status:
                continue
            verdict = case.outcome.verdict
            mark = "pol" if verdict is None else "ok " if verdict else "bad"
            typer.echo(
                f"{case.id}  [{case.namespace}] {case.status.value:11} {mark} {case.task[:70]}"
            )
            shown += 1
            if shown >= limit:
                break


@memory_app.command()
def show(
    case_id: CaseArg,
    path: PathOpt = None,
    config: ConfigOption = None,
    data_dir: DataDirOption = None,
    namespace: NsOpt = None,
) -> None:
    """The whole case as JSON."""
    with _opened(path, config, data_dir) as (where, bank):
        case = bank.store.get(case_id, namespace=namespace)
        if case is None:
            raise _fail(f"no case {case_id!r} in {where}")
        typer.echo(case.model_dump_json(indent=2))


@memory_app.command()
def search(
    text: Annotated[str, typer.Argument(help="A request, as the agent would be asked it.")],
    path: PathOpt = None,
    config: ConfigOption = None,
    data_dir: DataDirOption = None,
    namespace: NsOpt = None,
    k: Annotated[int, typer.Option("--k", "-k", help="How many cases to show.")] = 5,
) -> None:
    """What recall would return for TEXT, with the reason for each hit."""
    with _opened(path, config, data_dir) as (where, bank):
        spaces = [namespace] if namespace is not None else bank.store.namespaces()
        shown = 0
        for ns in spaces:
            for hit in bank.recall(text, namespace=ns, k=k):
                typer.echo(f"{hit.case_id}  [{ns}] {hit.task[:70]}\n    {hit.reason}")
                shown += 1
        if not shown:  # an empty answer read as a command that did nothing
            typer.echo(
                f"no case in {where} would be recalled for {text!r} (none similar enough; "
                "memory list shows them all)",
                err=True,
            )


@memory_app.command()
def forget(
    case_id: CaseArg,
    path: PathOpt = None,
    config: ConfigOption = None,
    data_dir: DataDirOption = None,
    namespace: NsOpt = None,
) -> None:
    """Delete a case for good."""
    with _opened(path, config, data_dir) as (where, bank):
        if not bank.store.delete(case_id, namespace=namespace):
            raise _fail(f"no case {case_id!r} in {where}")
        typer.echo(f"forgot {case_id}")


@memory_app.command()
def quarantine(
    case_id: CaseArg,
    path: PathOpt = None,
    config: ConfigOption = None,
    data_dir: DataDirOption = None,
    namespace: NsOpt = None,
    reason: Annotated[str, typer.Option(help="Why, kept with the case.")] = "quarantined by hand",
) -> None:
    """Keep a case for review but never recall it."""
    with _opened(path, config, data_dir) as (where, bank):
        case = bank.store.get(case_id, namespace=namespace)
        if case is None:
            raise _fail(f"no case {case_id!r} in {where}")
        case.status, case.status_reason = CaseStatus.QUARANTINED, reason
        bank.store.update(case)
        typer.echo(f"quarantined {case_id}")


@memory_app.command("export")
def export_cases(
    file: Annotated[Path, typer.Argument(help="The JSONL file to write ('-': stdout).")],
    path: PathOpt = None,
    config: ConfigOption = None,
    data_dir: DataDirOption = None,
    namespace: NsOpt = None,
) -> None:
    """Write every case as JSONL (lossless: import gives the same cases back).

    FILE '-' writes to stdout, the count then going to stderr so a pipe gets only the cases."""
    with _opened(path, config, data_dir) as (_, bank):
        if str(file) == "-":
            n = bank.export_jsonl(sys.stdout, namespace=namespace)
            typer.echo(f"exported {n} cases to stdout", err=True)
            return
        typer.echo(f"exported {bank.export_jsonl(file, namespace=namespace)} cases to {file}")


@memory_app.command("import")
def import_cases(
    file: Annotated[Path, typer.Argument(help="A JSONL file memory export wrote.")],
    path: PathOpt = None,
    config: ConfigOption = None,
    data_dir: DataDirOption = None,
    namespace: NsOpt = None,
) -> None:
    """Load a JSONL export (--namespace moves every case into that namespace)."""
    if not file.exists():
        raise _fail(f"no such file: {file}", 2)
    with _opened(path, config, data_dir, create=True) as (_, bank):
        try:
            n = bank.import_jsonl(file, namespace=namespace)
        except MemoryStoreError as exc:
            raise _fail(str(exc), 2) from exc
        typer.echo(f"imported {n} cases from {file}")


@memory_app.command()
def stats(
    path: PathOpt = None,
    config: ConfigOption = None,
    data_dir: DataDirOption = None,
    namespace: NsOpt = None,
) -> None:
    """Counts per namespace and status, success share, embedder."""
    with _opened(path, config, data_dir) as (where, bank):
        typer.echo(f"store {where}  embedder {bank.embedder.id}")
        spaces = [namespace] if namespace is not None else bank.store.namespaces()
        for ns in spaces:
            cases = list(bank.store.cases(namespace=ns))
            by_status = Counter(c.status.value for c in cases)
            ok = sum(c.outcome.success for c in cases)
            recalls = sum(c.recall.times_recalled for c in cases)
            typer.echo(
                f"[{ns}] {len(cases)} cases ({', '.join(f'{k} {v}' for k, v in sorted(by_status.items()))}); "
                f"{ok} successes; recalled {recalls} times"
            )


@memory_app.command()
def reindex(
    path: PathOpt = None,
    config: ConfigOption = None,
    data_dir: DataDirOption = None,
    embedder: Annotated[
        str | None, typer.Option(help="Embedder id (default: the bundled MiniLM).")
    ] = None,
) -> None:
    """Re-embed every case with the current embedder (after changing embedders)."""
    if path is None:
        settings = load_settings(config, data_dir)
        if settings.persistence.vector_server() is not None:
            from agentroute.build import case_bank_where

            raise _fail(
                f"reindex re-embeds a local case store; the configured one is on "
                f"{case_bank_where(settings)} (give --path for a local one)"
            )
        path = settings.memory_folder()
    from agentroute.embeddings import default_embedder, resolve_embedder

    emb = resolve_embedder(embedder) if embedder else default_embedder()
    n = ChromaCaseStore.reindex(path, emb)
    typer.echo(f"re-indexed {n} cases with {emb.id}")
