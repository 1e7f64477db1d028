"""What ``ecosystem-graph serve`` does once its options are read (by typer in :mod:`.commands`, or by
:mod:`.serve_fast` for a plain command line): check the address, build the store when it is stale, serve."""

from __future__ import annotations

import sys

from ..config import Settings
from ..store import GraphStore, open_store
from . import serving
from .console import progress_bar, report_errors, say


def serve(settings: Settings, *, rebuild: bool, workers: int | None, access_log: bool, verbose: bool) -> None:
    serving.check_free(settings.host, settings.port)
    workers = workers or serving.default_processes(settings)
    graph_store = open_store(settings)  # its query processes start once the server listens (web/serving_app.py)
    if rebuild and workers > 1 and settings.backend == "embedded":
        # the HTTP processes fork from this one, which must not open the store: RocksDB's threads would be
        # missing in them. The check runs in a child while this process imports the server.
        check = serving.start_child(lambda: report_errors(build_if_stale, graph_store, settings))
        serving.import_server()
        code = serving.exit_code(check)
        if code:
            sys.exit(code)
    elif rebuild:
        build_if_stale(graph_store, settings)
    say(f"serving on http://{settings.host}:{settings.port}/  (SPARQL: /sparql) with "
        f"{serving.describe_processes(settings, workers)}")
    serving.run(settings, graph_store, workers=workers, access_log=access_log,
                log_level="debug" if verbose else "info")


def build_if_stale(graph_store: GraphStore, settings: Settings) -> None:
    from ..sources.files import discover, is_stale

    files = discover(settings.source_paths, project_dir=settings.project_dir, base_iri=settings.base_iri)
    if is_stale(graph_store, files):  # decided without importing the loader: its SHACL and rdflib machinery cost
        from ..pipeline import load as loader  # more than the rest of serve's start

        say("building the store from the source files first ...")
        with progress_bar() as progress:
            loader.build(graph_store, settings, progress=progress)
