"""Real SPARQL servers on free loopback ports, for the remote store tests: ``oxigraph serve`` and Virtuoso 7.

Each test gets a clean slate by dropping the graphs below its base IRI (never ``DROP ALL``: Virtuoso keeps
its own system graphs in the same dataset).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from .server import free_port

REPO = Path(__file__).resolve().parents[2]
VIRTUOSO_SCRIPT = REPO / "scripts" / "virtuoso.sh"


@dataclass(frozen=True)
class Endpoints:
    name: str
    query: str
    update: str
    graph_store: str | None

    def settings(self) -> dict:
        """Settings fields that point the remote backend here."""
        return {"backend": "remote", "remote_query_url": self.query, "remote_update_url": self.update,
                "remote_graph_store_url": self.graph_store}

    def wipe(self, base_iri: str) -> None:
        """Drop every graph whose IRI starts with ``base_iri``."""
        answer = httpx.post(self.query, data={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                                                       f'FILTER(STRSTARTS(STR(?g), "{base_iri}")) }}'},
                            headers={"Accept": "application/sparql-results+json"}, timeout=60)
        answer.raise_for_status()
        graphs = [row["g"]["value"] for row in answer.json()["results"]["bindings"]]
        if graphs:
            update = " ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs)
            httpx.post(self.update, content=update, headers={"Content-Type": "application/sparql-update"},
                       timeout=60).raise_for_status()


def _wait_until_up(url: str, process: subprocess.Popen | None, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited with status {process.returncode}")
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"no answer from {url} within {seconds:g} s")


@contextmanager
def oxigraph_server(location: Path, *, timeout_s: int = 10) -> Iterator[Endpoints]:
    """``oxigraph serve`` on 127.0.0.1 with its data in ``location``; stopped on exit."""
    port = free_port()
    log = open(location.parent / f"{location.name}.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [shutil.which("oxigraph") or "oxigraph", "serve", "--location", str(location),
         "--bind", f"127.0.0.1:{port}", "--timeout-s", str(timeout_s)],
        stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base + "/query", process, 30)
        yield Endpoints("oxigraph", base + "/query", base + "/update", base + "/store")
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
        log.close()


@contextmanager
def virtuoso_server(folder: Path) -> Iterator[Endpoints]:
    """Virtuoso 7 started headless by ``scripts/virtuoso.sh`` in ``folder``; stopped on exit."""
    http_port, sql_port = free_port(), free_port()
    env = {**os.environ, "VIRTUOSO_HTTP_PORT": str(http_port), "VIRTUOSO_SQL_PORT": str(sql_port)}
    started = subprocess.run(["bash", str(VIRTUOSO_SCRIPT), "start", str(folder)], env=env, capture_output=True,
                             text=True, timeout=120)
    try:
        if started.returncode != 0:
            raise RuntimeError(f"scripts/virtuoso.sh failed:\n{started.stdout}\n{started.stderr}")
        base = f"http://127.0.0.1:{http_port}"
        _wait_until_up(base + "/sparql", None, 30)
        yield Endpoints("virtuoso", base + "/sparql", base + "/sparql", base + "/sparql-graph-crud")
    finally:
        subprocess.run(["bash", str(VIRTUOSO_SCRIPT), "stop", str(folder)], capture_output=True, timeout=120)
