"""A reviewed draft becomes a curated file: rejected candidates (and what points at them) dropped, the ``draft:``
markers removed. The format is the one :mod:`.turtle` writes: blank-line separated blocks, one line per
predicate, markers on lines of their own. The SHACL gate then decides (``ecosystem-graph draft-accept``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

_ID = re.compile(r'^\s*draft:id "([^"]+)"')
_CONFIDENCE = re.compile(r'^\s*draft:confidence "([0-9.]+)"')
_SUBJECT = re.compile(r"^<([^>]+)>$")


@dataclass
class Node:
    """One block of a draft: its review handle, subject, confidence and lines."""

    lines: list[str]
    id: str | None = None
    subject: str | None = None
    confidence: Decimal | None = None
    comment: list[str] = field(default_factory=list)

    @property
    def facts(self) -> list[str]:
        return [ln for ln in self.lines if ln.startswith("    ") and not ln.strip().startswith("draft:")]

    def value(self, predicate: str) -> list[str]:
        return [ln.strip()[len(predicate) + 1:].rstrip(" ;.") for ln in self.lines
                if ln.strip().startswith(predicate + " ")]


def read(text: str) -> tuple[list[str], list[Node]]:
    """(prefix and comment lines of the head, the node blocks)."""
    head: list[str] = []
    nodes: list[Node] = []
    for chunk in re.split(r"\n\s*\n", text.strip("\n")):
        lines = chunk.splitlines()
        if not any(_SUBJECT.match(ln) for ln in lines):
            head.extend(lines)
            continue
        node = Node([ln for ln in lines if not ln.startswith("#")], comment=[ln for ln in lines if ln.startswith("#")])
        for ln in node.lines:
            if (m := _ID.match(ln)) is not None:
                node.id = m.group(1)
            elif (m := _CONFIDENCE.match(ln)) is not None:
                node.confidence = Decimal(m.group(1))
            elif (m := _SUBJECT.match(ln)) is not None:
                node.subject = m.group(1)
        nodes.append(node)
    return head, nodes


def accept(text: str, *, reject: set[str] | None = None, min_confidence: Decimal | None = None,
           title: str = "") -> tuple[str, list[str]]:
    """The curated Turtle and the handles of the candidates left out (rejected, below the threshold, or pointing at
    a node that was)."""
    head, nodes = read(text)
    reject = set(reject or ())
    dropped = {n.subject for n in nodes if n.id in reject
               or (min_confidence is not None and n.confidence is not None and n.confidence < min_confidence)}
    changed = True
    while changed:  # a post of a rejected person, a party of a rejected organisation: dropped too
        changed = False
        for n in nodes:
            if n.subject in dropped:
                continue
            if any(f"<{iri}>" in ln for iri in dropped if iri for ln in n.facts):
                dropped.add(n.subject)
                changed = True
    out_head = [ln for ln in head if ln.startswith("@prefix") and not ln.startswith("@prefix draft:")]
    blocks = []
    for n in nodes:
        if n.subject in dropped:
            continue
        facts = n.facts
        if not facts:
            continue
        facts[-1] = re.sub(r" [;.]$", " .", facts[-1])
        comment = [c for c in n.comment if not c.startswith("# the ontology header")]
        blocks.append("\n".join([*comment, f"<{n.subject}>", *facts]))
    left_out = sorted(n.id for n in nodes if n.subject in dropped and n.id)
    preamble = [f"# {title or 'Facts drafted by ecosystem-graph draft and reviewed by a curator.'}",
                "# Every fact-carrying node cites its source (eco:source) and quotes its sentence (eco:evidence).", ""]
    return "\n".join(preamble + out_head) + "\n\n" + "\n\n".join(blocks) + "\n", left_out
