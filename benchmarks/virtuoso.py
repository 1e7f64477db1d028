"""Virtuoso 7 as a peer endpoint, started by scripts/virtuoso.sh, loaded with its bulk loader (ld_dir)."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import time
from pathlib import Path

from ecosystem_graph.synthetic import GeneratedProject

from . import endpoint
from .common import REPO, tree_peak_mb

SCRIPT = REPO / "scripts" / "virtuoso.sh"


def _isql(folder: Path, statement: str, timeout: float) -> None:
    port = (folder / "sql.port").read_text().strip()
    subprocess.run(["isql-vt", f"127.0.0.1:{port}", "dba", "dba", f"exec={statement}"], check=True,
                   capture_output=True, timeout=timeout)


def measure(project: GeneratedProject, work: Path, fixed: str, subjects: list[str], args: argparse.Namespace) -> dict:
    if not SCRIPT.exists() or shutil.which("virtuoso-t") is None:
        return {"name": "Virtuoso", "error": "scripts/virtuoso.sh or virtuoso-t is missing"}
    folder = work / "virtuoso"
    result: dict = {"name": "Virtuoso"}
    started = time.perf_counter()
    done = subprocess.run([str(SCRIPT), "start", str(folder)], capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        return {**result, "error": f"scripts/virtuoso.sh start failed: {done.stderr.strip()[-300:]}"}
    try:
        result["start_s"] = time.perf_counter() - started
        settings = dict(line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)
        query_url = settings["ECOSYSTEM_GRAPH_REMOTE_QUERY_URL"]
        data = folder / "data"
        data.mkdir(exist_ok=True)
        for path in (project.path / "data").glob("*"):
            os.link(path, data / path.name)
        for path in (project.path / "ontology").glob("*.ttl"):
            os.link(path, data / path.name)
        begin = time.perf_counter()
        for pattern in ("*.nt", "*.ttl"):
            _isql(folder, f"ld_dir('{data}', '{pattern}', 'urn:x-ecosystem-graph:bench');", 600)
        _isql(folder, "rdf_loader_run();", args.step_timeout)
        _isql(folder, "checkpoint;", 600)
        result["load_s"] = time.perf_counter() - begin
        server = endpoint.Server("Virtuoso", [], "/sparql")
        server.port = int(query_url.split(":")[2].split("/")[0])
        point = endpoint.POINT.format(iri=fixed)
        result["point_rows"] = endpoint.rows(server, point)
        result["aggregate_rows"] = endpoint.rows(server, endpoint.AGGREGATE)
        result["wrk"] = endpoint.throughput(server.base, endpoint.scripts(folder, "/sparql", fixed, subjects),
                                            connections=args.connections, duration=args.endpoint_duration)
        lock = (folder / "virtuoso.lck").read_text()
        pid = next(int(line.split("=", 1)[1]) for line in lock.splitlines() if line.startswith("VIRT_PID="))
        result["peak_mb"] = tree_peak_mb(pid)
    except (subprocess.SubprocessError, OSError, KeyError, ValueError, StopIteration) as error:
        result["error"] = f"{type(error).__name__}: {error}"
    finally:
        subprocess.run([str(SCRIPT), "stop", str(folder)], capture_output=True, timeout=120)
    return result
