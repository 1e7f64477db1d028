"""The OWL 2 RL rule subset we materialise, written as SPARQL over a store generation.

Before the fixpoint, :func:`prepare_schema` copies the asserted schema into a scratch graph as private
closure predicates (``rdfs:subClassOf`` closure, equivalences, inverses, symmetric properties), so the
instance rules below join one small graph instead of walking hierarchies again in every round.
:func:`rules` then returns the instance rules; the property chains and transitive properties are read
from the schema and spelt out as one SPARQL branch per axiom (any chain length, via ``rdf:List``).

Each rule has *naive* bodies (every atom over all triples, for its first run) and *delta* bodies (one atom
read from ``GRAPH ?delta``: the triples derived since the rule last ran; semi-naive evaluation). Each body
runs as its own update: the store then starts every join from its most selective atom.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from ..store import GenerationBuilder, QueryRequest
from ..store.memo import SCHEMA_MEMO

log = logging.getLogger(__name__)

PREFIXES = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX x: <urn:x-ecosystem-graph:reasoning:>
"""

#: Conclusions that say nothing (every individual is an owl:Thing): never materialised.
_TOPS = "owl:Thing, rdfs:Resource, owl:topObjectProperty, owl:topDataProperty"

#: Scratch-graph predicate for a relation: (direct edges from the schema, their closure).
_CLOSURES = {
    # closure of rdfs:subClassOf alone
    "sco": ("?a rdfs:subClassOf ?b", None),
    # closure of rdfs:subClassOf and owl:equivalentClass (both ways), minus the pairs of "sco"
    "eqc": ("{ ?a rdfs:subClassOf ?b } UNION { ?a owl:equivalentClass ?b } UNION { ?b owl:equivalentClass ?a }",
            "sco"),
    "spo": ("?a rdfs:subPropertyOf ?b", None),
    "eqp": ("{ ?a rdfs:subPropertyOf ?b } UNION { ?a owl:equivalentProperty ?b } "
            "UNION { ?b owl:equivalentProperty ?a }", "spo"),
}


@dataclass(frozen=True)
class Rule:
    """One rule: its OWL 2 RL name, what it does, its conclusion and its bodies.

    ``ignores`` names the rules whose conclusions can never give this rule anything new (the class rules
    join a closed hierarchy, so a type they derive has all its superclasses derived at the same time): the
    semi-naive loop does not feed their triples to this rule.

    ``concludes``, when set, is a pattern over the schema graph that binds the head's predicate to every
    predicate the rule can conclude ("" when the head's predicate is a constant): the triples a first run compares
    its conclusions with are then those of the head's pattern joined with it, few enough to hold in a hash table.
    """

    name: str
    description: str
    head: str
    naive: tuple[str, ...]
    delta: tuple[str, ...]
    ignores: frozenset[str] = frozenset()
    concludes: str | None = None


def prepare_schema(generation: GenerationBuilder, schema_graph: str, asserted: list[str]) -> None:
    """Write the schema closures into ``schema_graph`` (from the asserted graphs only).

    Worked out once per generation and graph list; a write that leaves the schema alone reuses its generation's
    closures (:mod:`..store.memo`): the property-path closures are most of an incremental reasoning step."""
    memo_name = f"reasoning-schema {schema_graph} " + " ".join(sorted(asserted))
    kept = SCHEMA_MEMO.get(generation.generation_id, memo_name)
    if kept is not None:
        if kept:
            generation.load(kept, "application/n-triples", graph=schema_graph)
        return
    _work_out_schema(generation, schema_graph, asserted)
    SCHEMA_MEMO.put(generation.generation_id, memo_name,
                    generation.export("application/n-triples", graphs=[schema_graph]))


def _work_out_schema(generation: GenerationBuilder, schema_graph: str, asserted: list[str]) -> None:
    using = "".join(f"USING <{g}> " for g in asserted)
    for name, (edges, minus) in _CLOSURES.items():
        edge, closed = f"x:{name}-edge", f"x:{name}"
        generation.update(PREFIXES + f"INSERT {{ GRAPH <{schema_graph}> {{ ?a {edge} ?b }} }} {using}"
                          f"WHERE {{ {edges} FILTER(isIRI(?a) && isIRI(?b) && ?a != ?b) }}")
        exclude = f"FILTER NOT EXISTS {{ ?a x:{minus} ?b }}" if minus else ""
        generation.update(PREFIXES + f"INSERT {{ GRAPH <{schema_graph}> {{ ?a {closed} ?b }} }} "
                          f"USING <{schema_graph}> WHERE {{ ?a {edge}+ ?b FILTER(?a != ?b && ?b NOT IN ({_TOPS})) "
                          f"{exclude} }}")
    generation.update(PREFIXES + f"INSERT {{ GRAPH <{schema_graph}> {{ ?a x:inv ?b . ?b x:inv ?a }} }} {using}"
                      "WHERE { ?a owl:inverseOf ?b FILTER(isIRI(?a) && isIRI(?b)) }")
    generation.update(PREFIXES + f"INSERT {{ GRAPH <{schema_graph}> {{ ?p x:symmetric true }} }} {using}"
                      "WHERE { ?p a owl:SymmetricProperty FILTER(isIRI(?p)) }")


#: the schema the closures, the rules and the chains are read from (:func:`prepare_schema`, :func:`rules`)
_SCHEMA_PREDICATES = tuple(f"http://www.w3.org/{iri}" for iri in (
    "1999/02/22-rdf-syntax-ns#type", "1999/02/22-rdf-syntax-ns#first", "1999/02/22-rdf-syntax-ns#rest",
    "2000/01/rdf-schema#subClassOf", "2000/01/rdf-schema#subPropertyOf", "2002/07/owl#equivalentClass",
    "2002/07/owl#equivalentProperty", "2002/07/owl#inverseOf", "2002/07/owl#propertyChainAxiom"))


def read_predicates(generation: GenerationBuilder, asserted: list[str]) -> list[str]:
    """Every predicate a rule can read or conclude for the schema in ``asserted``: ``rdf:type``, the schema's own
    (:data:`_SCHEMA_PREDICATES`) and the properties the schema names as sub-, super-, equivalent or inverse
    properties, symmetric, transitive, chained or chain links. Triples of other predicates (labels, dates,
    notes: most of a graph) can neither take part in a derivation nor be derived, so the fixpoint need not see
    them."""
    return _memoised(generation, "read-predicates", asserted, "SELECT DISTINCT ?p WHERE { "
                     "{ ?p rdfs:subPropertyOf|owl:equivalentProperty|owl:inverseOf ?x } "
                     "UNION { ?x rdfs:subPropertyOf|owl:equivalentProperty|owl:inverseOf ?p } "
                     "UNION { ?p a owl:SymmetricProperty } UNION { ?p a owl:TransitiveProperty } "
                     "UNION { ?p owl:propertyChainAxiom ?chain } "
                     "UNION { ?x owl:propertyChainAxiom/rdf:rest*/rdf:first ?p } FILTER(isIRI(?p)) }")


def body_predicates(generation: GenerationBuilder, asserted: list[str]) -> list[str]:
    """The predicates a rule's body can read (a subset of :func:`read_predicates`, without the ones only
    concluded, such as a super-property): a triple of another predicate takes part in no derivation."""
    return _memoised(generation, "body-predicates", asserted, "SELECT DISTINCT ?p WHERE { "
                     "{ ?p rdfs:subPropertyOf|owl:equivalentProperty|owl:inverseOf ?x } "
                     "UNION { ?x owl:equivalentProperty|owl:inverseOf ?p } "
                     "UNION { ?p a owl:SymmetricProperty } UNION { ?p a owl:TransitiveProperty } "
                     "UNION { ?x owl:propertyChainAxiom/rdf:rest*/rdf:first ?p } FILTER(isIRI(?p)) }")


def _memoised(generation: GenerationBuilder, kind: str, asserted: list[str], select: str) -> list[str]:
    """The IRIs ``select`` finds in the schema, with :data:`_SCHEMA_PREDICATES`; memoised per generation like the
    closures (:func:`prepare_schema`), since a write asks them to skip the rules for a change they cannot reach."""
    memo_name = f"{kind} " + " ".join(sorted(asserted))
    kept = SCHEMA_MEMO.get(generation.generation_id, memo_name)
    if kept is None:
        kept = tuple(sorted(set(_iris(generation, select, asserted)) | set(_SCHEMA_PREDICATES)))
        SCHEMA_MEMO.put(generation.generation_id, memo_name, kept)
    return list(kept)


def _single(name: str, description: str, head: str, atom: str, schema: str, extra: str = "",
            ignores: tuple[str, ...] = (), concludes: str = "") -> Rule:
    """A rule with one data atom joined to the schema graph (``concludes``: see :class:`Rule`, without the
    ``GRAPH`` of the schema)."""
    return Rule(name, description, head,
                naive=(f"GRAPH <{{schema}}> {{ {schema} }} {atom} {extra}",),
                delta=(f"GRAPH <{{schema}}> {{ {schema} }} GRAPH ?delta {{ {atom} }} {extra}",),
                ignores=frozenset(ignores),
                concludes=f"GRAPH <{{schema}}> {{ {concludes} }}" if concludes else "")


_CLASS_RULES = ("cax-sco", "cax-eqc")
_PROPERTY_RULES = ("prp-spo1", "prp-eqp")
_FIXED = (
    _single("cax-sco", "rdf:type up the rdfs:subClassOf hierarchy", "?x a ?d", "?x a ?c", "?c x:sco ?d",
            ignores=_CLASS_RULES),
    _single("cax-eqc", "rdf:type through owl:equivalentClass (with rdfs:subClassOf)", "?x a ?d", "?x a ?c",
            "?c x:eqc ?d", ignores=_CLASS_RULES),
    _single("prp-spo1", "property assertions up the rdfs:subPropertyOf hierarchy", "?s ?q ?o", "?s ?p ?o",
            "?p x:spo ?q", ignores=_PROPERTY_RULES, concludes="SELECT DISTINCT ?q { ?p x:spo ?q }"),
    _single("prp-eqp", "property assertions through owl:equivalentProperty (with rdfs:subPropertyOf)",
            "?s ?q ?o", "?s ?p ?o", "?p x:eqp ?q", ignores=_PROPERTY_RULES,
            concludes="SELECT DISTINCT ?q { ?p x:eqp ?q }"),
    _single("prp-inv", "owl:inverseOf, both ways", "?o ?q ?s", "?s ?p ?o", "?p x:inv ?q",
            "FILTER(!isLiteral(?o))", concludes="SELECT DISTINCT ?q { ?p x:inv ?q }"),
    _single("prp-symp", "owl:SymmetricProperty", "?o ?p ?s", "?s ?p ?o", "?p x:symmetric true",
            "FILTER(!isLiteral(?o))", ignores=("prp-symp",), concludes="?p x:symmetric true"),
)

#: Every rule name in evaluation order, with its description (the order of the statistics).
RULE_NAMES: dict[str, str] = {
    **{rule.name: rule.description for rule in _FIXED},
    "prp-trp": "owl:TransitiveProperty",
    "prp-spo2": "owl:propertyChainAxiom (chains of any length)",
}


def rules(generation: GenerationBuilder, schema_graph: str, asserted: list[str]) -> list[Rule]:
    """The instance rules for the schema in the ``asserted`` graphs, in evaluation order (without ``prp-trp``
    or ``prp-spo2`` when there is no transitive property or property chain)."""
    out = [Rule(r.name, r.description, r.head, tuple(n.replace("{schema}", schema_graph) for n in r.naive),
                tuple(d.replace("{schema}", schema_graph) for d in r.delta), r.ignores,
                r.concludes.replace("{schema}", schema_graph) if r.concludes is not None else None) for r in _FIXED]
    transitive = _iris(generation, "SELECT DISTINCT ?p WHERE { ?p a owl:TransitiveProperty FILTER(isIRI(?p)) }",
                       asserted)
    if transitive:
        out.append(Rule("prp-trp", RULE_NAMES["prp-trp"], "?x ?p ?y",
                        naive=tuple(f"?x <{p}>/<{p}>+ ?y BIND(<{p}> AS ?p)" for p in transitive),
                        delta=tuple(f"GRAPH ?delta {{ ?a <{p}> ?b }} ?x <{p}>* ?a . ?b <{p}>* ?y BIND(<{p}> AS ?p)"
                                    for p in transitive),
                        ignores=frozenset({"prp-trp"})))
    chains = property_chains(generation, asserted)
    if chains:
        out.append(Rule("prp-spo2", RULE_NAMES["prp-spo2"], "?v0 ?p ?vn",
                        naive=tuple(_chain_body(p, links, None) for p, links in chains),
                        delta=tuple(_chain_body(p, links, i) for p, links in chains for i in range(len(links)))))
    return out


def _chain_body(prop: str, links: list[str], delta_at: int | None) -> str:
    atoms = []
    for i, link in enumerate(links):
        end = "?vn" if i == len(links) - 1 else f"?v{i + 1}"
        atom = f"?v{i} <{link}> {end} ."
        atoms.append(f"GRAPH ?delta {{ {atom} }}" if i == delta_at else atom)
    return " ".join(atoms) + f" BIND(<{prop}> AS ?p)"


def property_chains(generation: GenerationBuilder, asserted: list[str]) -> list[tuple[str, list[str]]]:
    """``(property, [link1, link2, ...])`` for every ``owl:propertyChainAxiom`` of named properties.

    Chains that use property expressions (``[owl:inverseOf p]``) or have fewer than two links are skipped
    with a warning: OWL 2 RL's prp-spo2 is about named properties.
    """
    rows = generation.query(QueryRequest(
        PREFIXES + "SELECT ?p ?list ?link (COUNT(?mid) AS ?pos) WHERE { ?p owl:propertyChainAxiom ?list . "
        "?list rdf:rest* ?mid . ?mid rdf:rest* ?cell . ?cell rdf:first ?link } GROUP BY ?p ?list ?cell ?link",
        accept=["application/sparql-results+json"], default_graphs=asserted)).rows()
    chains: dict[tuple[str, str], list[tuple[int, dict]]] = {}
    for row in rows:
        if row["p"]["type"] != "uri":
            continue
        chains.setdefault((row["p"]["value"], row["list"]["value"]), []).append((int(row["pos"]["value"]),
                                                                                 row["link"]))
    out = []
    for (prop, _list), members in sorted(chains.items()):
        links = [term for _pos, term in sorted(members, key=lambda m: m[0])]
        if len(links) < 2 or any(t["type"] != "uri" for t in links):
            log.warning("skipping the property chain of %s: only chains of two or more named properties "
                        "are materialised", prop)
            continue
        out.append((prop, [t["value"] for t in links]))
    return out


def _iris(generation: GenerationBuilder, select: str, asserted: list[str]) -> list[str]:
    rows = generation.query(QueryRequest(PREFIXES + select, accept=["application/sparql-results+json"],
                                         default_graphs=asserted)).rows()
    return sorted(row["p"]["value"] for row in rows)
