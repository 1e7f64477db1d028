"""``ecosystem-graph serve`` as a user runs it: a real process tree on loopback, one HTTP process or several
(forked from the command's process, which supervises them), each with its query processes; SIGTERM stops all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from ecosystem_graph.config import Settings
from ecosystem_graph.store.worker_process import START_DELAY_ENV
from ecosystem_graph.web.serving_app import BUILD_DELAY_ENV

from ..support.server import free_port

ASK = "ASK { ?s a <http://xmlns.com/foaf/0.1/Person> }"
PATIENCE = 60.0  # seconds: far above a start on a busy machine; only a server that never answers fails


def children(pid: int) -> set[int]:
    found: set[int] = set()
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except FileNotFoundError:
        return found
    for task in tasks:
        try:
            found.update(int(child) for child in (task / "children").read_text().split())
        except FileNotFoundError:
            continue
    return found


def descendants(pid: int) -> set[int]:
    found = children(pid)
    for child in list(found):
        found |= descendants(child)
    return found


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except FileNotFoundError:
        return ""


def http_processes(pid: int) -> set[int]:
    """The HTTP processes a ``serve --workers N`` process forked (they run the same command line)."""
    return {child for child in children(pid) if "ecosystem_graph.cli serve" in command_line(child)}


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except FileNotFoundError:
        return False


def wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting: {what}"
        time.sleep(0.05)


def answers(url: str) -> bool:
    try:
        response = httpx.get(url + "sparql", params={"query": ASK}, timeout=PATIENCE,
                             headers={"Accept": "application/sparql-results+json"})
    except httpx.TransportError:
        return False
    return response.status_code == 200 and response.json()["boolean"] is True


@contextmanager
def serving(settings: Settings, *args: str, **more_env: str) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    port = free_port()
    env = {**os.environ, "ECOSYSTEM_GRAPH_PROJECT_DIR": str(settings.project_dir),
           "ECOSYSTEM_GRAPH_STORE_PATH": str(settings.store_dir), "ECOSYSTEM_GRAPH_QUERY_WORKERS": "2", **more_env}
    process = subprocess.Popen([sys.executable, "-m", "ecosystem_graph.cli", "serve", "--host", "127.0.0.1",
                                "--port", str(port), *args], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, start_new_session=True)
    try:
        yield process, f"http://127.0.0.1:{port}/"
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)
        if process.stderr is not None:
            process.stderr.close()


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the command's process alone: it stops everything it started, then itself (uvicorn, serving alone,
    ends by raising the signal it stopped for again)."""
    tree = descendants(process.pid)
    process.send_signal(signal.SIGTERM)
    assert process.wait(PATIENCE) in (0, -signal.SIGTERM), process.stderr.read().decode() if process.stderr else ""
    wait_until(lambda: not any(alive(pid) for pid in tree), "every process of the server to stop")


@pytest.mark.parametrize("workers", [1, 2])
def test_serve_builds_answers_and_stops_everything_it_started(mini_settings: Settings, workers: int) -> None:
    """No store yet: ``serve`` builds it first (with several HTTP processes, in a child process), then answers."""
    with serving(mini_settings, "--workers", str(workers)) as (process, url):
        wait_until(lambda: answers(url), "the first answer")
        if workers > 1:
            assert len(http_processes(process.pid)) == workers
        stop(process)


def test_an_http_process_that_dies_is_replaced(mini_settings: Settings) -> None:
    with serving(mini_settings, "--workers", "2") as (process, url):
        wait_until(lambda: answers(url), "the first answer")
        before = http_processes(process.pid)
        victim = min(before)
        os.kill(victim, signal.SIGKILL)
        wait_until(lambda: len(http_processes(process.pid) - before) == 1, "a new HTTP process")
        assert len(http_processes(process.pid)) == 2
        assert all(answers(url) for _ in range(4))
        stop(process)


def test_writes_through_every_http_process_all_stay(mini_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each forked HTTP process writes through a write process of its own (pipeline/writer.py), in a workspace of
    its own (store/embedded.py); a write that lands on the other HTTP process than the one before finds that
    workspace behind and copies it again, so no write is lost."""
    token = "serve-writes-token"
    monkeypatch.setenv("ECOSYSTEM_GRAPH_API_TOKEN", token)
    with serving(mini_settings, "--workers", "2") as (process, url):
        wait_until(lambda: answers(url), "the first answer")
        names = [f"https://w3id.org/ecosystem-graph/id/organization/written-{n}" for n in range(12)]
        for name in names:  # a new connection each time: the kernel hands it to either process
            answer = httpx.post(url + "sparql", headers={"Authorization": f"Bearer {token}",
                                                         "Content-Type": "application/sparql-update",
                                                         "Connection": "close"},
                                content=f'INSERT DATA {{ GRAPH <https://w3id.org/ecosystem-graph/graph/data/w> '
                                        f'{{ <{name}> <http://www.w3.org/2000/01/rdf-schema#comment> "w" }} }}',
                                timeout=PATIENCE)
            assert answer.status_code == 204, answer.text
        found = httpx.post(url + "sparql", data={"query": "SELECT ?s WHERE { ?s "
                                                 "<http://www.w3.org/2000/01/rdf-schema#comment> \"w\" }"},
                           headers={"Accept": "application/sparql-results+json"}, timeout=PATIENCE).json()
        assert sorted(b["s"]["value"] for b in found["results"]["bindings"]) == sorted(names)
        workspaces = {int(p.name.split("-")[0]) for p in (mini_settings.store_dir / "workspaces").iterdir()}
        writers = {pid for http in http_processes(process.pid) for pid in children(http)
                   if "multiprocessing.spawn" in command_line(pid)}
        assert workspaces and workspaces <= writers  # writes ran in the write processes, not the HTTP ones
        stop(process)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_fresh_serve_answers_a_point_lookup_before_its_query_processes_and_its_routes(
        loaded: Settings, workers: int) -> None:
    """Query processes that report ready only after ten minutes, and the FastAPI routes built ten minutes late: the
    point lookup is answered meanwhile, in the HTTP process (the fast lane and the in-process lane)."""
    late = {START_DELAY_ENV: "600", BUILD_DELAY_ENV: "600"}
    with serving(loaded, "--workers", str(workers), **late) as (_process, url):
        wait_until(lambda: answers(url), "the first answer")


def test_the_routes_answer_once_they_are_built(loaded: Settings) -> None:
    """A page requested while the application is still being built waits for it, and is answered."""
    with serving(loaded, "--workers", "1", **{BUILD_DELAY_ENV: "1"}) as (process, url):
        wait_until(lambda: answers(url), "the first answer")
        assert httpx.get(url + "health", timeout=PATIENCE).status_code == 200
        stop(process)
