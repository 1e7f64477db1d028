"""Shared fixtures: settings for the mini fixture project and for the real project, stores, a live server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from ecosystem_graph.config import Settings
from ecosystem_graph.pipeline import load as loader
from ecosystem_graph.store import GraphStore, open_store

from .support.server import running_server

REPO = Path(__file__).resolve().parents[1]
MINI = REPO / "tests" / "fixtures" / "mini"


def shared_dir() -> Path:
    """``../shared`` beside the repository (CI lays it there), or ECOSYSTEM_GRAPH_SHARED_DIR."""
    return Path(os.environ.get("ECOSYSTEM_GRAPH_SHARED_DIR", REPO.parent / "shared")).resolve()


def require(condition: bool, reason: str) -> None:
    """Skip when a tool is missing locally; in CI (where everything must be installed) fail instead."""
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


def require_tool(name: str) -> str:
    path = shutil.which(name)
    require(path is not None, f"{name} is not installed")
    assert path is not None
    return path


def copy_project(source: Path, target: Path) -> Path:
    """A writable copy of a fixture project (ontology/, data/, sparql/)."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("var", "__pycache__"))
    return target


@pytest.fixture
def mini_project(tmp_path: Path) -> Path:
    return copy_project(MINI, tmp_path / "project")


@pytest.fixture
def mini_settings(mini_project: Path, tmp_path: Path) -> Settings:
    """Settings for a private copy of the mini project, with an embedded store in the test's temp dir."""
    return Settings(project_dir=mini_project, store_path=tmp_path / "store", backend="embedded", query_workers=1,
                    query_timeout=10)


@pytest.fixture
def mini_store(mini_settings: Settings) -> Iterator[GraphStore]:
    store = open_store(mini_settings)
    loader.build(store, mini_settings)
    yield store
    store.close()


@pytest.fixture
def mini_server(mini_settings: Settings, mini_store: GraphStore) -> Iterator[str]:
    """Base URL of a live server over the loaded mini project."""
    with running_server(mini_settings, mini_store) as url:
        yield url


@pytest.fixture(scope="session")
def project_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The real project (ontology/, data/, sparql/ of this repository) in a session-wide memory store."""
    return Settings(project_dir=REPO, backend="memory",
                    store_path=tmp_path_factory.mktemp("project-store"))


@pytest.fixture(scope="session")
def project_store(project_settings: Settings) -> GraphStore:
    """The real project loaded once per session (validated and reasoned, as `ecosystem-graph load` does)."""
    require((REPO / "ontology" / "ecosystem.ttl").exists(), "the project ontology is not written yet")
    store = open_store(project_settings)
    loader.build(store, project_settings)
    return store


@pytest.fixture(scope="session")
def project_server(project_settings: Settings, project_store: GraphStore) -> Iterator[str]:
    """Base URL of a live server over the real project, shared by the session's tests (they only read)."""
    with running_server(project_settings, project_store) as url:
        yield url


@pytest.fixture
def owlapi() -> None:
    """The OWL API jars and a Java runtime (the Debian packages): skipped locally without them, required in CI."""
    from ecosystem_graph.reasoning.owlapi import JavaUnavailable, owlapi_classpath

    try:
        owlapi_classpath()
    except JavaUnavailable as exc:
        require(False, str(exc))
