"""``draft``, ``draft-review`` and ``draft-accept``: from a news text to a reviewed, gated, curated file."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer

from ..config import Settings
from ..errors import ConfigError, SourceError
from ..store import GraphStore, open_store
from .console import console, out

ProjectOpt = Annotated[Path | None, typer.Option("--project", help="Folder holding ontology/, data/, sparql/")]


def _settings(project: Path | None) -> Settings:
    from .commands import settings_from

    return settings_from(project, backend="memory")


def graph_of(settings: Settings) -> GraphStore:
    """The project's files in a memory store, as they are (no gate, no reasoning): what a draft reconciles with."""
    from ..sources.files import discover

    store = open_store(settings.model_copy(update={"backend": "memory"}))
    with store.new_generation() as generation:
        for f in discover(settings.source_paths, project_dir=settings.project_dir, base_iri=settings.base_iri):
            generation.load(None, f.media_type, path=str(f.path), graph=f.graph)
        generation.commit()
    return store


def _read(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourceError(path, f"no such {what}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise SourceError(path, f"cannot read the {what}: {getattr(error, 'strerror', None) or error}") from None


def register(app: typer.Typer) -> None:
    app.command("draft")(draft)
    app.command("draft-review")(review)
    app.command("draft-accept")(accept)


def draft(source: Annotated[Path, typer.Argument(help="A Russian news text (UTF-8)")],
          output: Annotated[Path | None, typer.Option("--out", "-o", help="Draft file (default data/drafts/NAME.ttl)")]
          = None, project: ProjectOpt = None) -> None:
    """Draft the facts of a news text as Turtle for review: organisations, people, posts, dates, quantities,
    agreements, events, each with its sentence and a confidence, linked to the graph's existing IRIs."""
    text = _read(source, "source text")
    if not text.strip():
        raise SourceError(source, "the source text is empty")
    try:
        from ..drafting.drafter import draft as make_draft
        from ..drafting.reconcile import Catalogue
        from ..drafting.turtle import write
    except ImportError as error:  # pragma: no cover - without the extra
        raise ConfigError("the drafting assistant needs the draft extra (pip install -e '.[draft]'): "
                          f"{error}") from None
    settings = _settings(project)
    started = time.perf_counter()
    catalogue = Catalogue.read(graph_of(settings), settings.base_iri)
    name = (output.stem if output else source.stem).replace("_", "-")
    result = make_draft(text, file_name=source.name, catalogue=catalogue, base_iri=settings.base_iri)
    target = output or settings.project_dir / "data" / "drafts" / f"{source.stem}.ttl"
    if not target.parent.is_dir():
        if output is not None:
            raise ConfigError(f"--out {output}: no folder {output.parent}")
        target.parent.mkdir(parents=True)
    target.write_text(write(result, settings.base_iri, name=name), encoding="utf-8")
    facts = result.facts()
    linked = sum(1 for f in facts if getattr(f, "link", None) is not None)
    console.print(f"drafted {len(facts)} candidate facts ({linked} linked to existing IRIs, "
                  f"{len(result.furniture)} furniture lines left out) in {time.perf_counter() - started:.1f} s: "
                  f"{target}")


def review(path: Annotated[Path, typer.Argument(help="A draft written by `draft`")]) -> None:
    """Print a draft for review: each candidate with its handle, confidence and sentence."""
    from rich.markup import escape
    from rich.table import Table

    from ..drafting.accept import read

    _head, nodes = read(_read(path, "draft"))
    table = Table("id", "conf.", "candidate", "evidence", show_lines=True)
    for n in nodes:
        if n.id is None:
            continue
        label = (n.value("rdfs:label") or n.value("draft:mention") or [""])[0]
        label = label.split('"@ru')[0].strip('"')
        sentence = (n.value("eco:evidence") or n.value("draft:evidence") or [""])[0].split('"@ru')[0].strip('"')
        shown = escape(sentence[:400])
        if label and label in sentence:
            shown = shown.replace(escape(label), f"[bold yellow]{escape(label)}[/bold yellow]", 1)
        what = " ".join(c.lstrip("# ") for c in n.comment)
        checks = [c.split('"')[1] for c in n.value("draft:check")]
        alternatives = n.value("draft:alternative")
        table.add_row(n.id, f"{n.confidence}", f"{escape(what)}\n[bold]{escape(label)}[/bold]"
                      + "".join(f"\n[dim]check: {escape(c)}[/dim]" for c in checks)
                      + (f"\n[dim]maybe: {escape(', '.join(alternatives))}[/dim]" if alternatives else ""), shown)
    out.print(table)
    console.print("accept with: ecosystem-graph draft-accept DRAFT --out data/NAME.ttl [--reject ID,ID] "
                  "[--min-confidence 0.6]")


def accept(path: Annotated[Path, typer.Argument(help="A reviewed draft")],
           output: Annotated[Path, typer.Option("--out", "-o", help="The curated file, in data/")],
           reject: Annotated[str, typer.Option("--reject", help="Handles to leave out, comma-separated")] = "",
           min_confidence: Annotated[float | None, typer.Option("--min-confidence",
                                                                help="Leave out candidates below this")] = None,
           project: ProjectOpt = None) -> None:
    """Write the accepted facts of a draft to a curated file, then run the SHACL gate on the project with it;
    a file that fails the gate is removed again (exit 1, with the violations)."""
    from ..drafting.accept import accept as curate
    from ..pipeline import load as loader

    text = _read(path, "draft")
    if output.exists():
        raise ConfigError(f"--out {output}: the file exists; choose a new name")
    if not output.parent.is_dir():
        raise ConfigError(f"--out {output}: no folder {output.parent}")
    curated, left_out = curate(text, reject={r.strip() for r in reject.split(",") if r.strip()},
                               min_confidence=Decimal(str(min_confidence)) if min_confidence is not None else None)
    output.write_text(curated, encoding="utf-8")
    try:
        loader.build(open_store(_settings(project)), _settings(project), commit=False)
    except BaseException:
        output.unlink()
        raise
    console.print(f"accepted into {output} (passes the gate); left out: {', '.join(left_out) or 'nothing'}")
