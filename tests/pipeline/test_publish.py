"""Loads and writes pass one sequence before they publish (pipeline/publish.py): a setting of the gate means the
same for both. Each case runs in a fresh interpreter, so what the gate imports is seen in ``sys.modules``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from ecosystem_graph.config import Settings

PROBE = """
import json, sys
from ecosystem_graph.config import Settings
from ecosystem_graph.pipeline import load, writes
from ecosystem_graph.store import open_store

settings = Settings(project_dir=sys.argv[1], store_path=sys.argv[2], backend="memory")
store = open_store(settings)
load.build(store, settings)
after_load = "pyshacl" in sys.modules
writes.update(store, settings.model_copy(update={"shacl_engine": "pyshacl"}),
              'INSERT DATA { GRAPH <https://w3id.org/ecosystem-graph/graph/data/probe> { '
              '<https://w3id.org/ecosystem-graph/id/organization/probe> '
              '<http://www.w3.org/2000/01/rdf-schema#comment> "probe"@en } }')
print(json.dumps({"after_load": after_load, "after_write": "pyshacl" in sys.modules}))
"""


def test_the_default_gate_does_not_load_pyshacl_and_the_engine_setting_applies_to_writes(
        mini_settings: Settings, tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-c", PROBE, str(mini_settings.project_dir), str(tmp_path / "s")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.splitlines()[-1])
    assert seen == {"after_load": False, "after_write": True}
