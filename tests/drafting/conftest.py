"""Fixtures of the drafting tests: the real natasha models, the project's files in a real (memory) store."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecosystem_graph.drafting.compare import project_store
from ecosystem_graph.store import GraphStore

from ..conftest import REPO, shared_dir

SOURCES = {"000_787c4306e1906a61.txt": "data/sechenov-zelenograd-agreement-2017.ttl",
           "003_d2016b0dd33eddae.txt": "data/international-medical-cluster-biotech.ttl"}
BASE = "https://w3id.org/ecosystem-graph/"


def source_path(name: str) -> Path:
    path = shared_dir() / "sources" / name
    if not path.exists():
        pytest.skip(f"source text {path} is not here")
    return path


def store_of(without: str | None = None) -> GraphStore:
    """The project's files (minus ``without``, a path relative to the project) in a memory store, ungated."""
    return project_store(REPO, without=without)


@pytest.fixture(scope="session")
def full_store() -> GraphStore:
    return store_of()
