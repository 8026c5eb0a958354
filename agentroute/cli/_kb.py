"""``agentroute kb``: add, ingest, list, inspect and remove knowledge bases.

The configuration's ``[knowledge.NAME]`` tables are the one model: ``kb add`` and ``kb rm``
edit ``agentroute.toml`` (its comments and order kept), ``kb ingest`` brings each base in line
with the files its ``documents`` name, ``kb status`` says what an ingestion would change.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from agentroute.cli._load import ConfigOption, DataDirOption, load_settings

kb_app = typer.Typer(no_args_is_help=True)

NameArgument = Annotated[str | None, typer.Argument(help="One base (default: every one).")]


def _console(*, stderr: bool = False) -> Any:
    """stdout carries the command's output only; progress goes to ``stderr``."""
    from rich.console import Console

    return Console(stderr=stderr)


def _chroma_bases(settings: Any, name: str | None) -> dict[str, Any]:
    """The configured chromadb bases with documents to ingest (``name``: that one alone)."""
    bases = {n: kb for n, kb in settings.knowledge.items() if kb.kind == "chroma" and kb.documents}
    if name is not None:
        if name not in bases:
            configured = sorted(settings.knowledge)
            typer.echo(
                f"error: no knowledge base {name!r} with documents; configured: {configured}",
                err=True,
            )
            raise typer.Exit(2)
        bases = {name: bases[name]}
    return bases


def _open(settings: Any, name: str, kb: Any, vectors: Any, *, reembed: bool = False) -> Any:
    from agentroute.build import chroma_base
    from agentroute.embeddings import default_embedder, int8_embedder

    server = settings.persistence.vector_server()
    data_dir = settings.agent.data_dir
    # the base's own model alone: no float model loaded only to be swapped for the int8 one
    embedder = int8_embedder() if kb.precision == "int8" else default_embedder()
    return chroma_base(name, kb, data_dir, embedder, vectors, server, reembed=reembed)


def _ingest(settings: Any, name: str, base: Any, **how: Any) -> Any:
    """``base.ingest`` of its configured documents; a missing or broken document is the
    setting's error (file, line, ``[knowledge.NAME.documents]``, exit 2), as at a start."""
    from agentroute.config._errors import setting_error
    from agentroute.knowledge import DocumentFileError

    where = ("knowledge", name, "documents")
    try:
        report = base.ingest(
            settings.knowledge[name].documents, configured_by=settings.source, **how
        )
    except DocumentFileError as exc:
        raise setting_error(settings.source, where, str(exc)) from None
    if report.unreadable and not how.get("dry_run") and base.count() == 0:
        # every file unreadable: an empty base that answers nothing (kb add would add it)
        said = "no document could be read: " + "; ".join(report.unreadable)
        raise setting_error(settings.source, where, said)
    return report


_NONE = "no knowledge bases with documents configured (add one: agentroute kb add NAME PATH...)"


def _summary(reports: list[Any], verb: str, *, dry_run: bool = False) -> None:
    """One line per base: files, then documents, then chunks and time (none: say so). A dry
    run embeds nothing, so it says what it found, or that the base is up to date."""
    if not reports:
        typer.echo(_NONE, err=True)
    console = _console()
    for r in reports:
        changes = r.files_read + r.files_removed + r.documents_added
        changes += r.documents_updated + r.documents_removed
        if dry_run and not changes:
            console.print(
                f"[bold]{r.base}[/bold] is up to date: {r.files_unchanged} file(s) unchanged",
                highlight=False,
            )
            _unreadable(console, r)
            continue
        files = f"{r.files_read} file(s) {'to read' if dry_run else 'read'}"
        files += f", {r.files_unchanged} unchanged"
        if r.files_removed:
            files += f", {r.files_removed} gone"
        docs = (
            f"{r.documents_added} document(s) added, {r.documents_updated} updated, "
            f"{r.documents_removed} removed, {r.documents_unchanged} unchanged"
        )
        chunks = "" if dry_run else f"; {r.chunks_written} chunk(s) embedded in {r.seconds:.2f} s"
        console.print(f"[bold]{r.base}[/bold] {verb}: {files}; {docs}{chunks}", highlight=False)
        _unreadable(console, r)


def _unreadable(console: Any, report: Any) -> None:
    """The files a base could not read: skipped, their passages as last ingested (a user
    reading "up to date" would otherwise never learn that one file is not in the base); and
    another configuration's documents it replaces (on stderr: a warning, not the summary)."""
    if report.replaced_said is not None:
        typer.echo(f"warning: {report.replaced_said}", err=True)
    for line in report.unreadable:
        console.print(
            f"  {report.base}: skipped, cannot read {line} (what it held, if ever read, stays)",
            highlight=False,
            markup=False,
        )


@kb_app.command("ingest")
def ingest(
    name: NameArgument = None, config: ConfigOption = None, data_dir: DataDirOption = None
) -> None:
    """Ingest the files each base names: only what changed is embedded again."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from agentroute.build import text_vectors

    settings = load_settings(config, data_dir)
    reports = []
    with (
        text_vectors() as vectors,
        Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=_console(stderr=True),
            transient=True,
        ) as progress,
    ):
        for base_name, kb in _chroma_bases(settings, name).items():
            task = progress.add_task(f"{base_name}: chunks", total=None)

            def advance(done: int, total: int, task: Any = task) -> None:
                progress.update(task, completed=done, total=total)

            base = _open(settings, base_name, kb, vectors, reembed=True)
            reports.append(_ingest(settings, base_name, base, on_progress=advance))
            progress.remove_task(task)
    _summary(reports, "ingested")


@kb_app.command("status")
def status(
    name: NameArgument = None,
    config: ConfigOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the reports as JSON.")] = False,
    data_dir: DataDirOption = None,
) -> None:
    """What an ingestion would change, per base (nothing is written)."""
    from agentroute.build import text_vectors

    settings = load_settings(config, data_dir)
    with text_vectors() as vectors:
        reports = [
            _ingest(settings, n, _open(settings, n, kb, vectors), dry_run=True)
            for n, kb in _chroma_bases(settings, name).items()
        ]
    if as_json:
        typer.echo(json.dumps([r.model_dump() for r in reports], indent=2))
    else:
        _summary(reports, "would change (kb ingest applies it)", dry_run=True)


@kb_app.command("list")
def list_bases(
    config: ConfigOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the list as JSON.")] = False,
    data_dir: DataDirOption = None,
) -> None:
    """The configured knowledge bases: kind, what they read, how many passages they hold."""
    from agentroute.build import text_vectors

    settings = load_settings(config, data_dir)
    rows = []
    with text_vectors() as vectors:
        for n, kb in settings.knowledge.items():
            passages = _open(settings, n, kb, vectors).count() if kb.kind == "chroma" else None
            rows.append(
                {
                    "name": n,
                    "kind": kb.kind,
                    "documents": [str(d) for d in kb.documents]
                    or ([str(kb.path)] if kb.path else []),
                    "passages": passages,
                    "description": kb.description,
                }
            )
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        typer.echo("no knowledge bases configured (add one: agentroute kb add NAME PATH...)")
        return
    from rich.table import Table

    table = Table()
    for column in ("name", "kind", "passages", "documents"):
        table.add_column(column)
    for r in rows:
        passages = "" if r["passages"] is None else str(r["passages"])
        table.add_row(r["name"], r["kind"], passages, "\n".join(r["documents"]))
    _console().print(table)


@kb_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="The base's name (a routing target).")],
    paths: Annotated[list[str], typer.Argument(help="Files, directories or globs to read.")],
    description: Annotated[
        str, typer.Option("--description", "-d", help="What the base knows (used for routing).")
    ] = "",
    config: ConfigOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Add a knowledge base to agentroute.toml (created here if there is none), then ingest it."""
    from agentroute.config._edit import add_knowledge
    from agentroute.config._models import check_base_name

    try:
        check_base_name(name)  # the rule the file's [knowledge.NAME] is held to
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    path = _config_path(config)
    before = path.read_text(encoding="utf-8") if path.is_file() else None
    add_knowledge(path, name, paths, description)
    from agentroute.config import ConfigError

    try:
        ingest(name, path, data_dir)
    except BaseException as exc:  # a base that cannot be ingested would break every later command
        settings = load_settings(path, data_dir)
        with contextlib.suppress(Exception):  # what it stored so far; the error is the news
            _destroy(settings, name, settings.knowledge[name])
        if before is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(before, encoding="utf-8")
        if isinstance(exc, ConfigError) and exc.field == f"knowledge.{name}.documents":
            typer.echo(f"error: {exc.message}", err=True)  # a path given here: no line to name
            typer.echo(f"[knowledge.{name}] not added: {path} is as it was", err=True)
            raise typer.Exit(2) from None
        typer.echo(f"[knowledge.{name}] not added: {path} is as it was", err=True)
        raise
    typer.echo(f"added [knowledge.{name}] to {path}", err=True)


@kb_app.command("rm")
def remove(
    name: Annotated[str, typer.Argument(help="The base to remove.")],
    keep_data: Annotated[
        bool, typer.Option("--keep-data", help="Leave its stored passages on disk.")
    ] = False,
    config: ConfigOption = None,
    data_dir: DataDirOption = None,
) -> None:
    """Remove a knowledge base from agentroute.toml and delete its stored passages."""
    from agentroute.config._edit import remove_knowledge

    path = _config_path(config)
    settings = load_settings(path, data_dir)
    kb = settings.knowledge.get(name)
    if kb is None:
        typer.echo(
            f"error: no knowledge base {name!r}; configured: {sorted(settings.knowledge)}", err=True
        )
        raise typer.Exit(2)
    if not keep_data:
        _destroy(settings, name, kb)
    remove_knowledge(path, name)
    typer.echo(f"removed [knowledge.{name}] from {path}", err=True)


def _destroy(settings: Any, name: str, kb: Any) -> None:
    """Delete the stored passages of base ``name`` (a chromadb base; others keep theirs)."""
    if kb.kind != "chroma":
        return
    from agentroute.knowledge import ChromaKnowledgeBase

    server = settings.persistence.vector_server()
    if kb.path is not None:  # the user's folder: only the base's collection goes
        ChromaKnowledgeBase.destroy(name, kb.path)
    elif server is not None:  # the configured Chroma server's collection
        ChromaKnowledgeBase.destroy(name, settings.agent.data_dir, server)
    else:  # the folder agentroute made for it
        import shutil

        shutil.rmtree(settings.agent.data_dir / "knowledge" / name, ignore_errors=True)


def _config_path(config: Path | None) -> Path:
    from agentroute.config import find_config

    return config or find_config() or Path("agentroute.toml")
