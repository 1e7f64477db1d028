"""Self-describing OWL fixtures: each file in tests/fixtures/owl/ states its expected outcome in comments.

``# expect owl-profile: <kind> <token> ...`` — the OWL API check reports a finding of that kind whose text
contains every token (``clean``: no finding; ``fatal <cause>``: loading fails with that cause).
``# expect hermit: consistent | inconsistent | unsatisfiable <class IRI>``.
"""

from __future__ import annotations

from pathlib import Path

OWL_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "owl"
FIXTURE_CATALOG = OWL_FIXTURES / "catalog-v001.xml"


def expectations(path: Path, tool: str) -> list[list[str]]:
    """The ``# expect <tool>:`` lines of a fixture, each split into words."""
    prefix = f"# expect {tool}:"
    return [line[len(prefix) :].split() for line in path.read_text("utf-8").splitlines() if line.startswith(prefix)]


def fixtures_for(tool: str) -> list[Path]:
    return sorted(p for p in OWL_FIXTURES.glob("*.ttl") if expectations(p, tool))
