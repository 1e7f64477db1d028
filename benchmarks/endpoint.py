"""Endpoint throughput with wrk on loopback: our server against ``oxigraph serve`` and rdflib-endpoint (and
Virtuoso when scripts/virtuoso.sh can start it), same triples, same queries, same client.

Each server runs as a child process in its own session on 127.0.0.1; we measure the time from start to its
first correct answer, then ``wrk`` at ``connections`` connections for ``duration`` seconds per query: a point
query on one fixed subject, point queries on subjects drawn at random from the data (a wrk Lua script), and an
aggregate over the whole graph; then the peak resident memory of its process tree, and stop it.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from .common import tree_peak_mb
from .latency import AGGREGATE, POINT

ACCEPT = "application/sparql-results+json"


@dataclass
class Server:
    name: str
    argv: list[str]
    path: str  # the query endpoint path
    env: dict[str, str] = field(default_factory=dict)
    cwd: str | None = None
    process: subprocess.Popen | None = None
    port: int = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(server: Server, probe: str, log: Path, timeout: float) -> float:
    """Start ``server``; seconds until it first answers ``probe`` with 200. :raises RuntimeError: if it never does."""
    started = time.perf_counter()
    with log.open("wb") as sink:
        server.process = subprocess.Popen(server.argv, stdout=sink, stderr=subprocess.STDOUT, cwd=server.cwd,
                                          env={**os.environ, **server.env}, start_new_session=True)
    url = f"{server.base}{server.path}?{urllib.parse.urlencode({'query': probe})}"
    with httpx.Client(timeout=30) as client:
        while time.perf_counter() - started < timeout:
            if server.process.poll() is not None:
                raise RuntimeError(f"{server.name} exited with {server.process.returncode}; see {log}")
            try:
                status = client.get(url, headers={"Accept": ACCEPT}).status_code
            except httpx.TransportError:
                status = None
            if status == 200:
                return time.perf_counter() - started
            if status is not None and 400 <= status < 500:
                raise RuntimeError(f"{server.name} answered {status} at {server.path}; see {log}")
            time.sleep(0.02)
    raise RuntimeError(f"{server.name} did not answer within {timeout:.0f} s; see {log}")


def stop(server: Server) -> float:
    """Stop the server's whole session; returns the peak memory (MB) of its process tree just before."""
    if server.process is None:
        return float("nan")
    peak = tree_peak_mb(server.process.pid)
    try:
        os.killpg(server.process.pid, signal.SIGTERM)
        server.process.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait(10)
    except ProcessLookupError:
        pass
    return peak


def rows(server: Server, query: str) -> int | None:
    response = httpx.get(f"{server.base}{server.path}", params={"query": query}, headers={"Accept": ACCEPT},
                         timeout=120)
    if response.status_code != 200:
        return None
    return len(response.json()["results"]["bindings"])


def lua_script(folder: Path, name: str, paths: list[str]) -> Path:
    """A wrk script that sends GET requests for ``paths``, one at random per request (seeded: same order per run)."""
    items = ",\n".join(f'  "{p}"' for p in paths)
    script = folder / f"{name}.lua"
    script.write_text(f"""local paths = {{
{items}
}}
wrk.headers["Accept"] = "{ACCEPT}"
function init(args) math.randomseed(7) end
function request() return wrk.format("GET", paths[math.random(#paths)]) end
""", encoding="utf-8")
    return script


def wrk(base: str, script: Path, *, connections: int, duration: int) -> dict:
    """Run wrk; requests/s, latency percentiles and the count of non-2xx answers and socket errors."""
    done = subprocess.run(["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{duration}s",
                           "--latency", "--timeout", "30s", "-s", str(script), base + "/"],
                          capture_output=True, text=True, timeout=duration + 120)
    text = done.stdout
    found = re.search(r"Requests/sec:\s+([\d.]+)", text)
    total = re.search(r"(\d+) requests in", text)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    return {"rps": float(found.group(1)) if found else 0.0, "requests": int(total.group(1)) if total else 0,
            "non_2xx": int(bad.group(1)) if bad else 0,
            "socket_errors": sum(map(int, socket_errors.groups())) if socket_errors else 0,
            "p50_ms": _latency(text, "50%"), "p99_ms": _latency(text, "99%")}


def _latency(text: str, percentile: str) -> float | None:
    match = re.search(rf"^\s+{re.escape(percentile)}\s+([\d.]+)(us|ms|s)\s*$", text, re.MULTILINE)
    if not match:
        return None
    return float(match.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[match.group(2)]


def scripts(folder: Path, path: str, fixed_iri: str, subjects: list[str]) -> dict[str, Path]:
    """The three wrk scripts: point query on a fixed subject, on varying subjects, and the aggregate."""
    def encode(query: str) -> str:
        return f"{path}?{urllib.parse.urlencode({'query': query})}"

    return {
        "point (fixed subject)": lua_script(folder, "fixed", [encode(POINT.format(iri=fixed_iri))]),
        "point (varying subjects)": lua_script(folder, "varying", [encode(POINT.format(iri=s)) for s in subjects]),
        "aggregate": lua_script(folder, "aggregate", [encode(AGGREGATE)]),
    }


def throughput(base: str, found: dict[str, Path], *, connections: int, duration: int) -> dict[str, dict]:
    return {name: wrk(base, script, connections=connections, duration=duration) for name, script in found.items()}


def measure(server: Server, *, fixed_iri: str, subjects: list[str], folder: Path, connections: int,
            duration: int, start_timeout: float) -> dict:
    """Everything for one server; never raises for the server's own failures (they become an ``error``)."""
    server.port = free_port()
    server.argv = [a.replace("{port}", str(server.port)) for a in server.argv]
    point = POINT.format(iri=fixed_iri)
    result: dict = {"name": server.name}
    try:
        result["first_answer_s"] = start(server, point, folder / f"{_slug(server.name)}.log", start_timeout)
        result["point_rows"] = rows(server, point)
        result["aggregate_rows"] = rows(server, AGGREGATE)
        if duration:
            result["wrk"] = throughput(server.base, scripts(folder, server.path, fixed_iri, subjects),
                                       connections=connections, duration=duration)
    except (RuntimeError, OSError, httpx.HTTPError, subprocess.SubprocessError) as error:
        result["error"] = str(error)
    finally:
        result["peak_mb"] = stop(server)
    return result


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
