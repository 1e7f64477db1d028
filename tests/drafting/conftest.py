"""Fixtures of the drafting tests: the real natasha models, the project's files in a real (memory) store."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecosystem_graph.config import Settings
from ecosystem_graph.sources.files import discover
from ecosystem_graph.store import GraphStore, open_store

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
    settings = Settings(project_dir=REPO, backend="memory")
    store = open_store(settings)
    with store.new_generation() as generation:
        for f in discover(settings.source_paths, project_dir=REPO, base_iri=BASE):
            if str(f.relative) != without:
                generation.load(None, f.media_type, path=str(f.path), graph=f.graph)
        generation.commit()
    return store


@pytest.fixture(scope="session")
def full_store() -> GraphStore:
    return store_of()
