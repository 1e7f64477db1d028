"""A project built into a store and served on loopback, with settings overrides (token, limits, CORS):
one per test module, since building and spawning query workers takes a second."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ecosystem_graph.config import Settings
from ecosystem_graph.pipeline import load as loader
from ecosystem_graph.store import GraphStore, open_store

from .server import running_server

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini"


@dataclass(frozen=True)
class Service:
    url: str  # ends with /
    settings: Settings
    store: GraphStore


@contextmanager
def serve_project(root: Path, project: Path = MINI, **overrides: Any) -> Iterator[Service]:
    """Copy ``project`` under ``root``, build it into an embedded store and serve it."""
    options: dict[str, Any] = {"query_workers": 1, "query_timeout": 10, **overrides}
    copy = root / "project"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns("var", "__pycache__"))
    settings = Settings(project_dir=copy, store_path=root / "store", **options)
    store = open_store(settings)
    try:
        loader.build(store, settings)
        with running_server(settings, store) as url:
            yield Service(url, settings, store)
    finally:
        store.close()
