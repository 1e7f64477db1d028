"""Keep the inferred graph right after a change to the asserted triples, at the cost of the change.

A write hands over two graphs of the generation: the asserted triples it added (already in their graphs) and the
ones it removed (already gone from them). Insertions run the rules semi-naively from the added triples: every
rule body reads at least one of them, so the work follows what they can reach. Deletions use delete-and-rederive
(DRed, Gupta, Mumick and Subrahmanian 1993): first every inferred triple with a derivation through a removed
triple is over-deleted (semi-naively, over the old state), then each over-deleted triple that still has a
derivation from what remains is derived again, and what that re-derivation reaches is added back. The result
equals a full :func:`.materialise.materialise` of the new asserted graphs (``tests/reasoning/test_incremental.py``
checks it on random changes).

A change to the schema (class or property axioms the rules are compiled from) changes the rules themselves:
then the whole inferred graph is derived again.

A generation that publishes what changed (:attr:`..store.GenerationBuilder.notes_changes`, the remote backend) is
told which inferred triples may have come or gone: the asserted triples added (they leave the inferred graph), the
candidates of DRed (over-deleted, some derived again) and every batch a fixpoint wrote; after a change of the
schema, that the inferred graph changed in a way not told.
"""

from __future__ import annotations

import logging
import re

from ..store import GenerationBuilder, QueryRequest, Term
from ..store.sparql_text import term as sparql_term
from ..vocab import inferred_graph_iri
from .materialise import _SCHEMA_GRAPH, _SCRATCH, _drop, _fixpoint, _named_graphs, _size, materialise, stats_graph_iri
from .rules import PREFIXES, Rule, body_predicates, prepare_schema, read_predicates, rules

log = logging.getLogger(__name__)

_OVERDELETED = _SCRATCH + "overdeleted"
_REDERIVE = _SCRATCH + "rederive"
_MAX_PASSES = 256
#: more candidates to derive again than this are read from their graph rather than bound one by one
_MAX_BOUND = 5_000
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

#: Predicates and types the rules are compiled from: a change to one of them is a change of the rules.
_SCHEMA_PREDICATES = ("rdfs:subClassOf", "owl:equivalentClass", "rdfs:subPropertyOf", "owl:equivalentProperty",
                      "owl:inverseOf", "owl:propertyChainAxiom", "rdf:first", "rdf:rest")
_SCHEMA_TYPES = ("owl:TransitiveProperty", "owl:SymmetricProperty")


def apply_delta(generation: GenerationBuilder, base_iri: str, *, added: str, removed: str,
                schema_changed: bool | None = None) -> dict[str, int]:
    """Bring ``{base}graph/inferred`` up to date after the asserted change held in the graphs ``added`` and
    ``removed`` of ``generation``; returns the triples newly inferred per rule. ``schema_changed``: what
    :func:`touches_schema` says of the change, when the caller asked it already.

    :raises RuntimeError: if no fixpoint is reached within a bounded number of passes.
    """
    inferred = inferred_graph_iri(base_iri)
    if schema_changed is None:
        schema_changed = touches_schema(generation, [added, removed])
    if schema_changed:
        log.info("the change touches the schema: materialising the inferred graph again")
        generation.note_change(inferred, None)
        return materialise(generation, base_iri)
    noting = generation.notes_changes
    graphs = _named_graphs(generation)
    internal = {inferred, stats_graph_iri(base_iri), added, removed}
    asserted = [g for g in graphs if g not in internal and not g.startswith(_SCRATCH)]
    # an asserted triple is never also an inferred one
    if noting:
        _note(generation, inferred, [added])
    generation.update(f"DELETE {{ GRAPH <{inferred}> {{ ?s ?p ?o }} }} USING NAMED <{added}> "
                      f"WHERE {{ GRAPH <{added}> {{ ?s ?p ?o }} }}")
    if not _reaches_rules(generation, added=added, removed=removed, asserted=asserted):
        return {}  # labels, comments, dates: no rule reads them or concludes them, nothing inferred changes
    counts: dict[str, int] = {}
    if _size(generation, removed):
        counts = _delete_and_rederive(generation, asserted, inferred, removed, noting=noting)
    if _size(generation, added):
        more, _passes, batches = _fixpoint(generation, [*asserted, inferred], inferred, keep_batches=noting,
                                           start=[added], schema_from=asserted)
        _note(generation, inferred, batches, drop=True)
        counts = {name: counts.get(name, 0) + more.get(name, 0) for name in {*counts, *more}}
    return counts


def _reaches_rules(generation: GenerationBuilder, *, added: str, removed: str, asserted: list[str]) -> bool:
    """Whether the change can change what is inferred: an added triple a rule's body reads
    (:func:`.rules.body_predicates`), or a removed one a rule reads or concludes (:func:`.rules.read_predicates`:
    a removed asserted triple may still be derivable, and then becomes an inferred one). Labels, comments and
    dates are neither, and most writes are of those."""
    for graph, predicates in ((added, body_predicates(generation, asserted)),
                              (removed, read_predicates(generation, asserted))):
        listed = " ".join(f"<{p}>" for p in predicates)
        if generation.query(QueryRequest(f"ASK {{ VALUES ?p {{ {listed} }} ?s ?p ?o }}", default_graphs=[graph],
                                         accept=["application/sparql-results+json"])).boolean():
            return True
    return False


def _note(generation: GenerationBuilder, inferred: str, graphs: list[str], *, drop: bool = False) -> None:
    """Tell ``generation`` that the inferred graph may have gained or lost the triples of ``graphs``."""
    if graphs:
        generation.note_change(inferred, generation.export("application/n-triples", graphs=graphs))
        if drop:
            _drop(generation, graphs)


def touches_schema(generation: GenerationBuilder, graphs: list[str]) -> bool:
    """Whether ``graphs`` (a change's added and removed triples) hold a triple the rules or the class hierarchy are
    worked out from."""
    using = " ".join(f"FROM <{g}>" for g in graphs)
    predicates = ", ".join(_SCHEMA_PREDICATES)
    types = ", ".join(_SCHEMA_TYPES)
    return generation.query(QueryRequest(
        PREFIXES + f"ASK {using} WHERE {{ {{ ?s ?p ?o FILTER(?p IN ({predicates})) }} UNION "
                   f"{{ ?s a ?t FILTER(?t IN ({types})) }} }}",
        accept=["application/sparql-results+json"])).boolean()


def _delete_and_rederive(generation: GenerationBuilder, asserted: list[str], inferred: str,
                         removed: str, *, noting: bool = False) -> dict[str, int]:
    """DRed: over-delete from ``inferred`` what a removed triple could derive, then derive again what remains
    derivable. Returns the triples derived again, per rule (negative counts are not kept: a rule's count is the
    triples it added)."""
    prepare_schema(generation, _SCHEMA_GRAPH, asserted)
    active = rules(generation, _SCHEMA_GRAPH, asserted)
    old_state = [*asserted, inferred, removed]
    _overdelete(generation, active, old_state, inferred, removed)
    overdeleted = _size(generation, _OVERDELETED)
    generation.update(f"DELETE {{ GRAPH <{inferred}> {{ ?s ?p ?o }} }} USING NAMED <{_OVERDELETED}> "
                      f"WHERE {{ GRAPH <{_OVERDELETED}> {{ ?s ?p ?o }} }}")
    # candidates: what was over-deleted, and the removed asserted triples themselves (they may be derivable)
    generation.update(f"ADD SILENT <{_OVERDELETED}> TO <{_REDERIVE}> ; ADD SILENT <{removed}> TO <{_REDERIVE}>")
    _drop(generation, [_OVERDELETED])
    rederived_graph = _SCRATCH + "rederived"
    counts = dict.fromkeys((rule.name for rule in active), 0)
    candidates = generation.query(QueryRequest(
        f"SELECT ?s ?p ?o WHERE {{ GRAPH <{_REDERIVE}> {{ ?s ?p ?o }} }} LIMIT {_MAX_BOUND + 1}",
        accept=["application/sparql-results+json"])).rows()
    named = len(candidates) <= _MAX_BOUND and all(t["type"] != "bnode" for row in candidates for t in row.values())
    state = [*asserted, inferred]
    operations = []  # one request for all (each is a transaction of its own: most candidates match no rule)
    for rule in active:
        for body in rule.naive:
            if named:  # each candidate written into the body: the store evaluates it from those terms, where a
                # join with the candidates' graph lets it walk, say, a transitive closure over everything first
                operations += _rederive_each(rule, body, candidates, state, inferred, rederived_graph)
            else:
                operations.append(_rederive_update(rule, body, state, inferred, rederived_graph))
    for chunk in range(0, len(operations), 200):  # the prefixes once per request (pyoxigraph reads one prologue)
        generation.update(PREFIXES + " ;\n".join(operations[chunk:chunk + 200]))
    rederived = _size(generation, rederived_graph)
    if noting:  # every candidate was over-deleted (or is a removed asserted one); some are back
        _note(generation, inferred, [_REDERIVE])
    _drop(generation, [_SCHEMA_GRAPH, _REDERIVE])
    if rederived:
        more, _passes, batches = _fixpoint(generation, [*asserted, inferred], inferred, keep_batches=noting,
                                           start=[rederived_graph], schema_from=asserted)
        _note(generation, inferred, batches, drop=True)
        counts = {name: counts.get(name, 0) + more.get(name, 0) for name in {*counts, *more}}
    _drop(generation, [rederived_graph])
    log.debug("DRed: %d over-deleted, %d derived again", overdeleted, rederived)
    return counts


def _overdelete(generation: GenerationBuilder, active: list[Rule], old_state: list[str], inferred: str,
                removed: str) -> None:
    """Collect in the over-deleted graph every inferred triple with a derivation that uses a removed triple or
    an over-deleted one (semi-naive from ``removed``, over the state before the change)."""
    frontier = [removed]
    for pass_no in range(_MAX_PASSES):
        batch = f"{_SCRATCH}overdelete/{pass_no}"
        generation.update(PREFIXES + " ;\n".join(  # one request per pass, not one transaction per rule body
            _overdelete_update(rule, body.replace("?delta", f"<{graph}>"), graph, old_state, inferred, batch)
            for rule in active for body in rule.delta for graph in frontier))
        _drop(generation, [g for g in frontier if g != removed])
        if not _size(generation, batch):
            _drop(generation, [batch])
            return
        frontier = [batch]
    raise RuntimeError(f"no fixpoint after {_MAX_PASSES} passes of over-deletion")


def _overdelete_update(rule: Rule, body: str, delta: str, old_state: list[str], inferred: str, batch: str) -> str:
    using = "".join(f"USING <{g}> " for g in old_state)
    named = (f"USING NAMED <{_SCHEMA_GRAPH}> USING NAMED <{delta}> USING NAMED <{inferred}> "
             f"USING NAMED <{_OVERDELETED}> ")
    return (f"INSERT {{ GRAPH <{_OVERDELETED}> {{ {rule.head} }} GRAPH <{batch}> {{ {rule.head} }} }} "
            f"{using}{named}WHERE {{ {{ {body} }} FILTER EXISTS {{ GRAPH <{inferred}> {{ {rule.head} }} }} "
            f"FILTER NOT EXISTS {{ GRAPH <{_OVERDELETED}> {{ {rule.head} }} }} }}")  # per solution of the body


def _rederive_update(rule: Rule, body: str, state: list[str], inferred: str, rederived: str) -> str:
    """The candidates (in their graph) that the rule still derives from the remaining triples go back into
    ``inferred``."""
    using = "".join(f"USING <{g}> " for g in state)
    named = f"USING NAMED <{_SCHEMA_GRAPH}> USING NAMED <{_REDERIVE}> "
    return (f"INSERT {{ GRAPH <{inferred}> {{ {rule.head} }} GRAPH <{rederived}> {{ {rule.head} }} }} "
            f"{using}{named}WHERE {{ GRAPH <{_REDERIVE}> {{ {rule.head} }} {{ {body} }} "
            f"FILTER NOT EXISTS {{ {rule.head} }} }}")


_BOUND_BY_BIND = re.compile(r"BIND\((<[^<>\s]+>) AS (\?\w+)\)")


def _rederive_each(rule: Rule, body: str, candidates: list[dict[str, Term]], state: list[str], inferred: str,
                   rederived: str) -> list[str]:
    """One update operation per candidate triple the rule's head matches, its terms written into the body."""
    tokens = rule.head.split()
    fixed = {var: iri for iri, var in _BOUND_BY_BIND.findall(body)}  # e.g. the property of a transitive body
    using = "".join(f"USING <{g}> " for g in state) + f"USING NAMED <{_SCHEMA_GRAPH}> "
    operations = []
    for candidate in candidates:
        binding: dict[str, str] = {}
        for token, term in zip(tokens, (candidate["s"], candidate["p"], candidate["o"]), strict=True):
            value = sparql_term(term)
            if (token == "a" and value != f"<{_RDF_TYPE}>") or (token != "a" and (
                    binding.setdefault(token, value) != value or fixed.get(token, value) != value)):
                break
        else:
            head = " ".join(binding.get(t, t) if t not in fixed else fixed[t] for t in tokens)
            written = _BOUND_BY_BIND.sub("", _substitute(body, {v: t for v, t in binding.items() if v not in fixed}))
            operations.append(f"INSERT {{ GRAPH <{inferred}> {{ {head} }} GRAPH <{rederived}> {{ {head} }} }} "
                              f"{using}WHERE {{ {written} FILTER NOT EXISTS {{ {head} }} }}")
    return operations


def _substitute(text: str, terms: dict[str, str]) -> str:
    """``text`` with each ``?variable`` of ``terms`` replaced by its term (N-Triples form, escaped)."""
    return re.sub(r"\?\w+", lambda match: terms.get(match.group(0), match.group(0)), text)
