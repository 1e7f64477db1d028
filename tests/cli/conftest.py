"""The ``ecosystem-graph`` command run as a user runs it: a real process over a real store on disk."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from ecosystem_graph.config import Settings

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def run(settings: Settings, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ECOSYSTEM_GRAPH_PROJECT_DIR": str(settings.project_dir),
           "ECOSYSTEM_GRAPH_STORE_PATH": str(settings.store_dir), "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "ecosystem_graph.cli", *args], env=env, capture_output=True,
                          text=True, input=stdin, timeout=120)


@pytest.fixture
def loaded(mini_settings: Settings) -> Settings:
    result = run(mini_settings, "load")
    assert result.returncode == 0, result.stderr
    return mini_settings


def count(settings: Settings) -> int:
    result = run(settings, "query", COUNT, "--format", "json")
    assert result.returncode == 0, result.stderr
    return int(json.loads(result.stdout)["results"]["bindings"][0]["n"]["value"])
