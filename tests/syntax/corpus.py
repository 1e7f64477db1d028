"""The known bypasses of a second reader (issue 16), kept as regression cases in ``bypasses.jsonl``, plus the
nesting attacks, generated (5,000 levels would make the file unreadable)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).with_name("bypasses.jsonl")
DEPTH = 5000


@dataclass(frozen=True)
class Case:
    name: str
    operation: str  # query | update
    expect: str  # service | load | refused | unbounded
    template: str

    def text(self, target: str = "http://127.0.0.1:9/") -> str:
        return self.template.replace("{target}", target)


def cases() -> list[Case]:
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").split("\n") if line.strip()]
    found = [Case(row["name"], row["operation"], row["expect"], row["text"]) for row in rows]
    nested = {
        "5,000 nested groups": "SELECT * WHERE " + "{ " * DEPTH + "?s ?p ?o" + " }" * DEPTH,
        "5,000 nested OPTIONALs": "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o " * DEPTH + "}" * DEPTH + " }",
        "5,000 nested sub-SELECTs": "SELECT * WHERE " + "{ SELECT * WHERE " * DEPTH + "{ ?s ?p ?o }" + " }" * DEPTH,
        "5,000 nested parentheses": "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * DEPTH + "1" + ")" * DEPTH + ") }",
    }
    return found + [Case(name, "query", "refused", text) for name, text in nested.items()]
