"""The reference engine of the SHACL gate: pySHACL over the data graphs, with the ontology for the class hierarchy.

Only this module imports pySHACL; the gate uses it with ``ECOSYSTEM_GRAPH_SHACL_ENGINE=pyshacl`` and for the shapes
:mod:`.sparql_engine` cannot translate.
"""

from __future__ import annotations

import logging

import pyshacl
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from .report import ShapeReport, Violation

log = logging.getLogger(__name__)


def check_shapes(data_ntriples: bytes, ontology_ntriples: bytes, shapes: Graph) -> ShapeReport:
    """Validate the data (N-Triples) against ``shapes``; ``ontology_ntriples`` supplies subclass axioms."""
    data = Graph().parse(data=data_ntriples, format="nt")
    ontology = Graph().parse(data=ontology_ntriples, format="nt")
    conforms, results, _text = pyshacl.validate(
        data_graph=data, shacl_graph=shapes, ont_graph=ontology, inference="none", advanced=True,
        allow_warnings=True, abort_on_first=False,
    )
    report = ShapeReport(conforms=bool(conforms))
    # only the report's own results: sh:node / sh:or failures nest their causes under sh:detail
    top_level = [r for report_node in results.subjects(RDF.type, SH.ValidationReport)
                 for r in results.objects(report_node, SH.result)]
    for result in top_level:
        severity = _short(results.value(result, SH.resultSeverity))
        violation = Violation(
            focus_node=str(results.value(result, SH.focusNode)),
            message=str(results.value(result, SH.resultMessage) or "constraint not met"),
            constraint=_short(results.value(result, SH.sourceConstraintComponent)),
            shape=_term(results.value(result, SH.sourceShape)) or "",
            path=_term(results.value(result, SH.resultPath)),
            value=_term(results.value(result, SH.value)),
            severity=severity,
        )
        (report.violations if severity == "Violation" else report.warnings).append(violation)
    report.violations.sort(key=lambda v: (v.focus_node, v.constraint))
    return report


def _short(term: object) -> str:
    text = str(term) if term is not None else ""
    return text.rsplit("#", 1)[-1]


def _term(term: object) -> str | None:
    if term is None:
        return None
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    return str(term) if not hasattr(term, "n3") else term.n3()
