"""The commands of ``ecosystem-graph`` (the consoles, logging and exit codes are in :mod:`.console`).

Only what every command needs is imported here: each command imports the rest (the loader and its SHACL and
rdflib machinery, the web application, reasoning) when it runs, so ``serve`` starts without them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated

import typer

from .. import __version__
from ..config import Settings
from ..errors import ConfigError, NotFound, QueryError, SourceError
from ..store import GraphStore, QueryRequest, formats, open_store
from . import serving
from .console import EXIT_CHECKS_FAILED, configure_logging, console, out, progress_bar
from .settings import settings_from

app = typer.Typer(help="A knowledge graph of the biomedical innovation ecosystem.", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False)

ProjectOpt = Annotated[Path | None, typer.Option("--project", help="Folder holding ontology/, data/, sparql/")]
StoreOpt = Annotated[Path | None, typer.Option("--store", help="Store folder (embedded backend)")]
BackendOpt = Annotated[str | None, typer.Option("--backend", help="embedded, memory or remote")]
BaseOpt = Annotated[str | None, typer.Option("--base-iri", help="Base IRI of the graph")]


class State:
    verbose: bool = False


def _print_version(wanted: bool) -> None:
    if wanted:
        out.print(__version__)
        raise typer.Exit()


@app.callback()
def main_options(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log debug messages")] = False,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit", callback=_print_version,
                                          is_eager=True)] = False,
) -> None:
    State.verbose = verbose
    configure_logging(verbose)


def _open(settings: Settings, *, in_process: bool = True) -> GraphStore:
    if in_process and settings.backend == "embedded":
        settings = settings.model_copy(update={"query_workers": 0})
    return open_store(settings)


@app.command()
def load(project: ProjectOpt = None, store: StoreOpt = None, backend: BackendOpt = None, base_iri: BaseOpt = None,
         no_reasoning: Annotated[bool, typer.Option("--no-reasoning", help="Skip materialisation")] = False,
         full: Annotated[bool, typer.Option("--full", help="Rebuild everything, not only the files that changed")]
         = False) -> None:
    """Parse, validate and reason over ontology/ and data/ (only what changed since the last load, unless --full),
    replay the recorded writes, then swap the new store generation in."""
    from ..pipeline import load as loader

    settings = settings_from(project, store, backend, base_iri, reasoning=False if no_reasoning else None)
    graph_store = _open(settings)
    with progress_bar() as progress:
        report = loader.build(graph_store, settings, full=full, progress=progress)
    if report.incremental is not None:
        console.print(f"changed since the last load: {len(report.incremental.changed)} file(s), "
                      f"{len(report.incremental.new_entries)} recorded write(s)")
    target = settings.store_dir if settings.backend == "embedded" else settings.backend
    console.print(f"loaded {report.triples} triples in {len(report.graph_sizes)} graphs from "
                  f"{len(report.files)} files into {target}")
    if report.seconds:
        console.print(f"steps: {report.steps()}")


@app.command()
def validate(project: ProjectOpt = None, base_iri: BaseOpt = None) -> None:
    """Parse and check every file against the SHACL contract without touching the store."""
    from ..pipeline import load as loader

    settings = settings_from(project, backend="memory", base_iri=base_iri)
    with progress_bar() as progress:
        report = loader.build(open_store(settings), settings, commit=False, progress=progress)
    console.print(f"valid: {len(report.files)} files, {report.triples} triples")


@app.command()
def query(
    sparql: Annotated[str | None, typer.Argument(help="The query text, or - for standard input")] = None,
    file: Annotated[Path | None, typer.Option("--file", "-f", help="Read the query from a file")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, json, xml, csv, tsv; turtle, nt, jsonld, ...")] = "table",
    asserted_only: Annotated[bool, typer.Option("--asserted-only", help="Leave out inferred triples")] = False,
    project: ProjectOpt = None, store: StoreOpt = None, backend: BackendOpt = None,
) -> None:
    """Run a SPARQL query: SELECT/ASK as a table, JSON, CSV or TSV; CONSTRUCT/DESCRIBE as Turtle, N-Triples, JSON-LD."""
    text = _query_text(sparql, file)
    if fmt == "table":
        accept = ["application/sparql-results+json", "text/turtle"]
    else:  # a result format or a graph format: which one applies depends on the query form
        accept = [formats.named(fmt, formats.RESULT_MEDIA_TYPES + formats.GRAPH_MEDIA_TYPES, what="a query")]
    settings = settings_from(project, store, backend)
    result = _open(settings).query(QueryRequest(text, accept=accept, include_inferred=not asserted_only))
    if fmt == "table" and result.kind != "graph":
        _print_table(result)
    else:
        sys.stdout.buffer.write(result.body)
        sys.stdout.flush()


def _query_text(sparql: str | None, file: Path | None) -> str:
    """:raises SourceError: the file cannot be read. :raises QueryError: no query given."""
    if file is not None:
        try:
            return file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise SourceError(file, f"cannot read the query: {getattr(error, 'strerror', None) or error}") from None
    if sparql is not None and sparql != "-":
        return sparql
    text = "" if sparql is None and sys.stdin.isatty() else sys.stdin.read()
    if not text.strip():
        raise QueryError("no query: give it as the argument, with --file FILE, or on standard input with -")
    return text


def _print_table(result) -> None:
    from rich.table import Table

    data = result.json()
    if "boolean" in data:
        out.print("true" if data["boolean"] else "false")
        return
    variables = data["head"]["vars"]
    table = Table(*variables, show_lines=False)
    for row in data["results"]["bindings"]:
        table.add_row(*(_cell(row.get(v)) for v in variables))
    out.print(table)
    console.print(f"{len(data['results']['bindings'])} row(s)")


def _cell(term: dict | None) -> str:
    if term is None:
        return ""
    if term["type"] == "uri":
        return f"<{term['value']}>"
    if "xml:lang" in term:
        return f"{term['value']}@{term['xml:lang']}"
    return term["value"]


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", help="trig or nq for the dataset; turtle, nt, ... for one graph")]
    = "trig",
    graph: Annotated[str | None, typer.Option("--graph", help="Export only this named graph")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to a file instead of stdout")] = None,
    project: ProjectOpt = None, store: StoreOpt = None, backend: BackendOpt = None,
) -> None:
    """Write the whole dataset as TriG or N-Quads, or one graph as Turtle, N-Triples, ..."""
    from ..views.graphs import graph_exists

    if graph is None:
        media_type = formats.named(fmt, formats.DATASET_MEDIA_TYPES, what="the whole dataset (--graph for one graph)")
    else:
        graph_formats = tuple(m for m in formats.GRAPH_MEDIA_TYPES if m not in formats.DATASET_MEDIA_TYPES)
        media_type = formats.named(fmt, graph_formats, what="one graph")
    if output is not None and not output.parent.is_dir():
        raise ConfigError(f"--output {output}: no folder {output.parent}")
    graph_store = _open(settings_from(project, store, backend))
    if graph is not None and not graph_exists(graph_store, graph):
        raise NotFound(f"no graph <{graph}> in the store; `ecosystem-graph stats` lists the graphs")
    chunks = graph_store.dump(media_type, graph=graph)
    if output is None:
        for chunk in chunks:
            sys.stdout.buffer.write(chunk)
        return
    _write_whole(output, chunks)


def _write_whole(path: Path, chunks: Iterable[bytes]) -> None:
    """Write ``chunks`` to ``path`` through a temporary file beside it: a failed export leaves no half file.

    :raises ConfigError: the file cannot be written.
    """
    partial = path.with_name(f".{path.name}.partial")
    try:
        with partial.open("wb") as sink:
            for chunk in chunks:
                sink.write(chunk)
        os.replace(partial, path)
    except OSError as error:
        raise ConfigError(f"--output {path}: {error.strerror or error}") from None
    finally:
        partial.unlink(missing_ok=True)


changes_app = typer.Typer(help="The journal of accepted writes (changes/): list them, export them, squash them "
                               "into the source files.",
                          no_args_is_help=False, invoke_without_command=True)
app.add_typer(changes_app, name="changes")


@changes_app.callback()
def changes(ctx: typer.Context, project: ProjectOpt = None) -> None:
    """List the recorded writes, oldest first, and whether the source files already say what each changed."""
    if ctx.invoked_subcommand is not None:
        return
    from rich.table import Table

    from ..pipeline.journal import Journal, files_lookup, statuses

    settings = settings_from(project)
    journal = Journal(settings.changes_dir)
    table = Table("entry", "kind", "added", "removed", "state")
    found = statuses(journal, files_lookup(settings))
    for status in found:
        table.add_row(status.entry.path.name, status.entry.kind, str(status.added), str(status.removed), status.state)
    out.print(table)
    pending = sum(s.state != "in the files" for s in found)
    console.print(f"{len(found)} recorded write(s) in {journal.folder}, {pending} not yet in the source files")


@changes_app.command("export")
def changes_export(project: ProjectOpt = None) -> None:
    """Print every recorded write, oldest first: RDF Patch entries as they are, updates as their SPARQL text."""
    from ..pipeline.journal import Journal

    for entry in Journal(settings_from(project).changes_dir).entries():
        sys.stdout.write(f"# {entry.path.name}\n{entry.path.read_text(encoding='utf-8')}")


@changes_app.command("squash")
def changes_squash(
    project: ProjectOpt = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the diff of each file, change nothing.")] = False,
) -> None:
    """Write the recorded changes into the source files (oldest first) and move those entries to
    changes/squashed/; what cannot be written into a file stays in the journal, with the reason."""
    from ..pipeline.squash import squash

    found = squash(settings_from(project), dry_run=dry_run)
    if dry_run:
        sys.stdout.write(found.diff())
    for outcome in found.outcomes:
        out.print(outcome.line(), highlight=False, markup=False)
    done = sum(o.squashed for o in found.outcomes)
    verb = "would squash" if dry_run else "squashed"
    console.print(f"{verb} {done} of {len(found.outcomes)} recorded write(s) into {len(found.changed)} file(s)",
                  highlight=False)


@app.command()
def stats(project: ProjectOpt = None, store: StoreOpt = None, backend: BackendOpt = None) -> None:
    """Triples per named graph and instances per class."""
    from rich.table import Table

    from ..reasoning import materialise as reasoning

    graph_store = _open(settings_from(project, store, backend))
    table = Table("graph", "triples", title="Named graphs")
    for graph, size in sorted(graph_store.graph_sizes().items()):
        table.add_row(graph, str(size))
    out.print(table)
    rows = graph_store.select("SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } "
                              "GROUP BY ?class ORDER BY DESC(?n) ?class")
    classes = Table("class", "instances", title="Instances per class")
    for row in rows:
        classes.add_row(row["class"]["value"], row["n"]["value"])
    out.print(classes)
    inferred = reasoning.statistics(graph_store)
    if inferred is None:
        console.print("no inferences: the store was loaded with --no-reasoning")
        return
    rules = Table("rule", "inferred triples", "what it derives", title="Inferred triples per rule")
    for rule, count in inferred.items():
        rules.add_row(rule, str(count), reasoning.RULE_NAMES.get(rule, ""))
    rules.add_row("total", str(sum(inferred.values())), "")
    out.print(rules)


@app.command()
def reason(
    project: ProjectOpt = None,
    timeout: Annotated[float, typer.Option(help="Seconds before HermiT is stopped")] = 300,
) -> None:
    """Run HermiT over ontology + data: consistency, unsatisfiable classes explained, inferred class hierarchy.

    Exit code 0 when consistent with every class satisfiable, 1 otherwise.
    """
    from ..reasoning import checks
    from ..reasoning import dl as reasoning_dl  # owlready2 and its Java glue load only when asked for
    from ..sources.files import discover

    settings = settings_from(project)
    files = discover(settings.source_paths, project_dir=settings.project_dir, base_iri=settings.base_iri)
    ontology, data = checks.owl_inputs(settings, files)
    report = reasoning_dl.check_dl(ontology, data, timeout=timeout)
    out.print(report.format(), markup=False, highlight=False)
    if not report.ok:
        raise typer.Exit(EXIT_CHECKS_FAILED)


@app.command()
def check(
    project: ProjectOpt = None, base_iri: BaseOpt = None,
    profile: Annotated[bool, typer.Option("--profile/--no-profile", help="Also check the OWL 2 DL profile with "
                                          "the OWL API (needs Java and libowlapi-java)")] = True,
) -> None:
    """Quality gate: load in memory, run sparql/checks/*-violation.rq (each must return no rows) and the OWL API
    OWL 2 DL profile check: ontology + data merged, then each data file alone with its catalog (as Protégé opens
    it), then the merged release. Exit code 1 when any check fails."""
    from ..pipeline import load as loader
    from ..reasoning import checks

    settings = settings_from(project, backend="memory", base_iri=base_iri)
    graph_store = open_store(settings)
    with progress_bar() as progress:
        report = loader.build(graph_store, settings, progress=progress)
    failed = 0
    for outcome in checks.run_violation_queries(graph_store, checks.violation_queries(settings)):
        failed += not outcome.ok
        out.print(f"{'ok  ' if outcome.ok else 'FAIL'} {outcome.name}: {outcome.title}", markup=False)
        for row in outcome.rows[:20]:
            out.print("       " + "  ".join(_cell(term) for term in row.values()), markup=False, highlight=False)
        if len(outcome.rows) > 20:
            out.print(f"       ... {len(outcome.rows)} rows in all", markup=False)
    inputs = checks.profile_inputs(settings, report.files) if profile else None
    if inputs is not None:
        from ..reasoning.owlapi import check_profile

        profile_report = check_profile(inputs[0], inputs[1], data_files=inputs[2])
        failed += not profile_report.ok
        out.print(profile_report.format(), markup=False, highlight=False)
        from ..reasoning import protege  # each document alone, as Protégé opens it, then the merged release

        for outcome in [*protege.check_documents(settings, report.files), protege.check_release(settings)]:
            failed += not outcome.ok
            out.print(outcome.format(), markup=False, highlight=False)
    elif profile:
        console.print(f"OWL 2 DL profile check skipped: needs {checks.EDIT_FILE} and {checks.CATALOG}")
    if failed:
        raise typer.Exit(EXIT_CHECKS_FAILED)


@app.command()
def release(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Folder to write (default var/release)")]
    = None,
    version: Annotated[str | None, typer.Option(help="Release version (default: owl:versionInfo of the ontology)")]
    = None,
    owlxml: Annotated[bool, typer.Option("--owlxml/--no-owlxml", help="Also write OWL/XML (needs Java and the "
                                         "OWL API)")] = True,
    project: ProjectOpt = None, base_iri: BaseOpt = None,
) -> None:
    """Write the versioned release: ontology + data merged, and the ontology alone, as RDF/XML, OWL/XML and Turtle,
    after the same gate as `validate`."""
    from ..pipeline import load as loader
    from ..reasoning.release import write_release

    settings = settings_from(project, backend="memory", base_iri=base_iri)
    loader.build(open_store(settings), settings, commit=False)
    written = write_release(settings, folder=output, version=version, with_owlxml=owlxml)
    for artifact in written.artifacts:
        out.print(f"{artifact.path}  {artifact.media_type}  <{artifact.version_iri}>", markup=False, highlight=False)
    console.print(f"release {written.version}: {len(written.artifacts)} files in {written.folder}")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind")] = None,
    port: Annotated[int | None, typer.Option(help="TCP port")] = None,
    project: ProjectOpt = None, store: StoreOpt = None, backend: BackendOpt = None, base_iri: BaseOpt = None,
    rebuild: Annotated[bool, typer.Option("--rebuild/--no-rebuild", help="Build the store first when it is "
                                          "missing or older than the sources")] = True,
    workers: Annotated[int | None, typer.Option(
        min=1, help="HTTP server processes, each with its own query processes (default: one per core, at most "
        f"{serving.MAX_DEFAULT_PROCESSES}, on the embedded and remote stores; 1 on the memory store)")] = None,
    access_log: Annotated[bool, typer.Option("--access-log/--no-access-log", help="Log every request")] = False,
) -> None:
    """Serve the SPARQL endpoint, linked data and the web UI (builds the store first when needed)."""
    from .serve_command import serve as serve_now

    serve_now(settings_from(project, store, backend, base_iri, host=host, port=port), rebuild=rebuild,
              workers=workers, access_log=access_log, verbose=State.verbose)


@app.command()
def generate(
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder of the generated project")],
    triples: Annotated[int, typer.Option(help="About how many triples the project loads (ontology included)")]
    = 100_000,
    seed: Annotated[int, typer.Option(help="Same seed, same bytes")] = 0,
    file_triples: Annotated[int, typer.Option(help="Triples per data file, at most about")] = 250_000,
    project: Annotated[Path | None, typer.Option("--project", help="Template project: its ontology/, sparql/ and "
                                                 "data/vocabularies.ttl are copied")] = None,
) -> None:
    """Write a synthetic ecosystem (valid against the SHACL contract) as a project folder, for benchmarks."""
    from .. import synthetic

    template = settings_from(project).project_dir
    result = synthetic.generate(output, triples=triples, seed=seed, template=template, file_triples=file_triples)
    console.print(f"generated {result.triples} triples ({result.generated} synthetic, {result.regions} regions) in "
                  f"{len(result.files)} files under {output} in {result.seconds:.1f}s "
                  f"({result.triples_per_second:,.0f} triples/s)")


def _register_drafting() -> None:
    from . import drafting  # typer only: the NLP packages load when `draft` runs

    drafting.register(app)


_register_drafting()
