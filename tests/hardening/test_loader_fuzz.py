"""Property-based: random and mutated Turtle, TriG and JSON-LD are either loaded correctly or rejected with a
clean error naming the file and position, and a rejected load leaves the store exactly as it was."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecosystem_graph.config import Settings
from ecosystem_graph.errors import SourceError, ValidationFailed
from ecosystem_graph.pipeline import load as loader
from ecosystem_graph.store import GraphStore, open_store
from tests.conftest import MINI, copy_project

SEEDS = {
    "ttl": (MINI / "data" / "orgs.ttl").read_text(),
    "trig": (MINI / "data" / "people.trig").read_text(),
    "jsonld": '{\n  "@context": {"rdfs": "http://www.w3.org/2000/01/rdf-schema#"},\n'
    '  "@id": "https://w3id.org/ecosystem-graph/id/concept/biotech",\n'
    '  "rdfs:label": [{"@value": "биотех", "@language": "ru"}, {"@value": "biotech", "@language": "en"}]\n}\n',
}
NOISE = st.sampled_from([*list('<>{}[]"\'@;.,:#\\^_ \n\tаяё'), "@prefix", "a", "<http://x>", '"""', "_:b", "^^"])


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, str]:
    suffix = draw(st.sampled_from(sorted(SEEDS)))
    text = SEEDS[suffix]
    for _ in range(draw(st.integers(0, 4))):
        position = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "truncate", "duplicate"]))
        if action == "insert":
            text = text[:position] + draw(NOISE) + text[position:]
        elif action == "delete":
            text = text[:position] + text[position + draw(st.integers(1, 12)):]
        elif action == "truncate":
            text = text[:position]
        else:
            text = text[:position] + text[position:position + 40] + text[position:]
    return suffix, text


def snapshot(store: GraphStore) -> bytes:
    return b"".join(sorted(b"".join(store.dump("application/n-quads")).splitlines(keepends=True)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=mutated() | st.tuples(st.sampled_from(sorted(SEEDS)), st.text(max_size=200)))
def test_mutated_input_is_loaded_or_cleanly_rejected(tmp_path_factory, case: tuple[str, str]) -> None:
    project = copy_project(MINI, tmp_path_factory.mktemp("fuzz") / "project")
    settings_ = Settings(project_dir=project, backend="memory", reasoning=False)
    store = open_store(settings_)
    loader.build(store, settings_)
    before = snapshot(store)

    suffix, text = case
    target = project / "data" / f"fuzzed.{suffix}"
    target.write_text(text, encoding="utf-8")
    try:
        report = loader.build(store, settings_)
    except SourceError as error:
        assert error.path == target
        assert error.message
        if suffix != "jsonld":  # JSON-LD reports positions for JSON syntax, not for JSON-LD semantics errors
            assert error.line is not None and error.column is not None, str(error)
        assert str(error).startswith(f"{target}:") or str(error).startswith(f"{target}: ")
        assert snapshot(store) == before
    except ValidationFailed as error:
        assert error.violations and all("Violation" in line for line in error.violations)
        assert snapshot(store) == before
    else:
        assert report.committed
        assert Path(target).exists()
