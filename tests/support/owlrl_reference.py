"""owlrl (the rdflib OWL 2 RL reference implementation) restricted to our rule subset, for comparisons.

The comparison is only honest if both sides answer the same question, so the filters are spelt out here:

* **Input**: owlrl gets the asserted triples minus the axioms of rules we do not implement (domain, range,
  class expressions and restrictions, functional and inverse-functional properties, keys, disjointness,
  sameAs/differentFrom, ...). What stays: ``rdfs:subClassOf``/``owl:equivalentClass`` and
  ``rdfs:subPropertyOf``/``owl:equivalentProperty``/``owl:inverseOf`` between named terms,
  ``owl:TransitiveProperty``/``owl:SymmetricProperty``, ``owl:propertyChainAxiom`` with its ``rdf:List``,
  declarations, and every instance triple (``rdf:type`` to a class outside the RDF/RDFS/OWL/XSD vocabularies,
  any property outside them, ``rdfs:label``/``rdfs:comment``/``rdfs:seeAlso``/``rdfs:isDefinedBy``).
* **Output**: of owlrl's closure we keep instance-level conclusions: ``rdf:type`` to a named class outside
  the RDF/RDFS/OWL/XSD vocabularies (so no ``owl:Thing``, ``rdfs:Resource``, literal typing) and property
  assertions with a property outside those vocabularies (so no ``owl:sameAs`` reflexivity and no schema
  triples such as ``C rdfs:subClassOf C``), with an IRI or blank node as subject; minus everything asserted.

Our engine gets the full, unfiltered input: it must ignore on its own what it does not implement.
"""

from __future__ import annotations

import owlrl
import rdflib
from rdflib import OWL, RDF, RDFS, XSD, BNode, Literal, URIRef

Triple = tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]

_BUILTIN = (str(RDF), str(RDFS), str(OWL), str(XSD))
_INSTANCE_RDFS = {RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy}
_SCHEMA_BETWEEN_IRIS = {RDFS.subClassOf, OWL.equivalentClass, RDFS.subPropertyOf, OWL.equivalentProperty,
                        OWL.inverseOf}
_KEPT_TYPES = {OWL.TransitiveProperty, OWL.SymmetricProperty, OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty,
               OWL.AnnotationProperty}
_LIST = {OWL.propertyChainAxiom, RDF.first, RDF.rest}


def _builtin(term: rdflib.term.Node) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(_BUILTIN)


def _instance_triple(s: rdflib.term.Node, p: rdflib.term.Node, o: rdflib.term.Node) -> bool:
    if isinstance(s, Literal):
        return False
    if p == RDF.type:
        return isinstance(o, URIRef) and not _builtin(o)
    return p in _INSTANCE_RDFS or not _builtin(p)


def in_rule_subset(triple: Triple) -> bool:
    """Whether owlrl should see this asserted triple (see the module docstring)."""
    s, p, o = triple
    if p in _SCHEMA_BETWEEN_IRIS:
        return isinstance(s, URIRef) and isinstance(o, URIRef)
    if p in _LIST:
        return True
    if p == RDF.type and o in _KEPT_TYPES:
        return True
    return _instance_triple(s, p, o)


def conclusion_shape(triple: Triple) -> bool:
    """Whether a triple of owlrl's closure is of a shape our rules conclude (see the module docstring)."""
    return _instance_triple(*triple)


def parse_nquads(data: bytes, bnodes: dict[str, BNode]) -> dict[str, set[Triple]]:
    """Triples per graph name; ``bnodes`` keeps blank-node labels consistent between calls."""
    dataset = rdflib.Dataset()
    dataset.parse(data=data, format="nquads", bnode_context=bnodes)
    graphs: dict[str, set[Triple]] = {}
    for s, p, o, g in dataset.quads():
        graphs.setdefault(str(g), set()).add((s, p, o))
    return graphs


def owlrl_conclusions(asserted: set[Triple], *, rule_subset: bool = True) -> set[Triple]:
    """What owlrl's OWL 2 RL closure adds to ``asserted``, restricted to our rule subset (or, with
    ``rule_subset=False``, from the unfiltered input: every OWL 2 RL rule, for contrast)."""
    graph = rdflib.Graph()
    for triple in asserted:
        if in_rule_subset(triple) or not rule_subset:
            graph.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(graph)
    return {t for t in graph if conclusion_shape(t)} - asserted


def owlrl_expand(data: bytes, media_type: str = "nquads") -> int:
    """Run owlrl's full OWL 2 RL closure on ``data`` as is (for timing); return the triples it ends with."""
    graph = rdflib.Dataset()
    graph.parse(data=data, format=media_type)
    flat = rdflib.Graph()
    for s, p, o, _g in graph.quads():
        flat.add((s, p, o))
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(flat)
    return len(flat)


def describe(triples: set[Triple], limit: int = 25) -> str:
    """Up to ``limit`` triples in N-Triples syntax, sorted, one per line."""
    lines = sorted(" ".join(term.n3() for term in t) for t in triples)
    more = f"\n  ... and {len(lines) - limit} more" if len(lines) > limit else ""
    return "\n".join("  " + line for line in lines[:limit]) + more
