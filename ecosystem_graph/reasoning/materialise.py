"""Materialise entailments into the inferred named graph, set-at-a-time inside a store, to a fixpoint.

The rules (an OWL 2 RL subset, see :mod:`.reasoning_rules` and ``docs/reasoning.md``) run as SPARQL over
a scratch copy on disk of the asserted graphs of the generation being built, pass after pass until a pass derives
nothing. Evaluation is semi-naive: a rule's first run reads all triples; each later run joins at least one atom
against the triples derived since it last ran (kept in scratch graphs until every rule has seen them). Every
run writes what it derives into a fresh scratch graph, keeping only triples found nowhere else, so its count is
exact and the inferred graph never repeats an asserted triple. The counts are stored as VoID/PROV in the small
metadata graph ``{base}graph/inferred-stats`` and read back by :func:`statistics`.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from pathlib import Path

from ..store import GenerationBuilder, GraphStore, QueryRequest
from ..store.scratch import Mirror, ScratchBuilder, copy_graphs, disk_scratch
from ..vocab import DCT, PROV, RDFS, VOID, XSD, inferred_graph_iri
from .rules import PREFIXES, RULE_NAMES, Rule, prepare_schema, read_predicates, rules

log = logging.getLogger(__name__)

_SCRATCH = "urn:x-ecosystem-graph:reasoning:"
_SCHEMA_GRAPH = _SCRATCH + "schema"
_ALL_GRAPH = _SCRATCH + "all"
_MAX_PASSES = 256
_JSON = ["application/sparql-results+json"]


def stats_graph_iri(base_iri: str) -> str:
    """The metadata graph that records how many triples each rule inferred."""
    return base_iri + "graph/inferred-stats"


def materialise(generation: GenerationBuilder, base_iri: str, *, scratch_dir: Path | None = None) -> dict[str, int]:
    """Derive everything the rules entail into ``{base}graph/inferred``; return the new triples per rule.

    The fixpoint runs in a scratch store on disk (in a folder under ``scratch_dir``, removed afterwards) holding a
    copy of the asserted triples the rules can read (:func:`.rules.read_predicates`: no labels, no dates), and
    each rule run's conclusions go into ``generation`` as they are found: every write on either side goes through
    the bulk loader (:mod:`..store.scratch`, as N-Triples files), a bounded batch in memory at a time, where
    transactional updates on disk buffer the whole transaction and cost about 100 µs per written quad, and an
    in-memory store holds the whole graph (docs/reasoning.md has the figures). Triples with a blank node are
    copied as terms, so blank nodes keep their identity. Any
    previous inferred graph is dropped first, so this also refreshes a generation copied from an older one. Each
    inferred triple is counted once, for the first rule that derived it (rules run in the order of
    :data:`.reasoning_rules.RULE_NAMES`, pass after pass).

    :raises RuntimeError: if no fixpoint is reached within a bounded number of passes.
    """
    started = datetime.now(UTC)
    inferred, stats_graph = inferred_graph_iri(base_iri), stats_graph_iri(base_iri)
    graphs = _named_graphs(generation)
    asserted = [g for g in graphs if g not in (inferred, stats_graph) and not g.startswith(_SCRATCH)]
    _drop(generation, [g for g in graphs if g not in asserted])
    with disk_scratch(scratch_dir) as work:
        # The triples the rules can read in one graph: a first run's pattern probes one index. (A backup of the
        # generation costs nothing to make, but each pattern then reads every graph: 1.6x slower at 1M triples.)
        copy_graphs(generation, asserted, work, _ALL_GRAPH, predicates=read_predicates(generation, asserted),
                    folder=work.folder)
        # each conclusion is written once in the scratch store (its batch, which joins the dataset) and once in
        # the generation as it is found: the batches together are the inferred graph, never copied back
        counts, passes, _batches = _fixpoint(work, [_ALL_GRAPH], None, keep_batches=True, bulk=True,
                                             mirror=(generation, inferred))
    _record(generation, base_iri, counts, started, passes)
    about_blank_nodes = sum(counts.values()) - _size(generation, inferred)
    if about_blank_nodes:  # not expected (terms are copied, not re-parsed): derived again in place, to be sure
        log.info("%d inferred triples are about blank nodes: deriving them in place", about_blank_nodes)
        _fixpoint(generation, [*asserted, inferred], inferred, keep_batches=False, only_blank_nodes=True)
    log.info("materialised %d inferred triples in %d passes (%s)", sum(counts.values()), passes,
             ", ".join(f"{name} {n}" for name, n in counts.items()))
    return counts


def _fixpoint(generation: GenerationBuilder, default: list[str], target: str | None, *, keep_batches: bool,
              only_blank_nodes: bool = False, start: list[str] | None = None, schema_from: list[str] | None = None,
              bulk: bool = False, mirror: Mirror | None = None) -> tuple[dict[str, int], int, list[str]]:
    """Run the rules over the ``default`` graphs until a pass adds nothing; conclusions go to ``target`` (one
    of ``default``) and to one batch graph per rule run.

    With ``only_blank_nodes`` the rules only conclude triples with a blank node as subject or object (when the
    other conclusions are in ``default`` already: each conclusion about a blank node then has a derivation
    whose premises are there or are such conclusions themselves).

    With ``start`` (graphs of triples new since the last fixpoint, which ``default`` already holds) no rule runs
    naively: the evaluation is semi-naive from those graphs, as for an incremental insertion. The schema is read
    from ``schema_from`` (default: ``default``).

    With ``bulk`` (and ``generation`` a :class:`..store.scratch.ScratchBuilder`), each rule body runs as a
    CONSTRUCT whose triples are bulk-loaded, instead of as an ``INSERT ... WHERE`` transaction; ``target`` may
    then be None: each batch graph joins the ``default`` graphs instead (one write per conclusion, not two), and
    ``mirror`` gets every conclusion too.

    :returns: the new triples per rule, the number of passes and, with ``keep_batches``, the batch graphs
        (which together hold exactly the conclusions; otherwise they are dropped once every rule read them).
    """
    prepare_schema(generation, _SCHEMA_GRAPH, schema_from or default)
    active = rules(generation, _SCHEMA_GRAPH, schema_from or default)
    counts = dict.fromkeys((rule.name for rule in active), 0)
    # (rule, scratch graph) of every non-empty batch, in order; the start graphs come first, from no rule
    fresh: list[tuple[str, str]] = [("", graph) for graph in start or []]
    # rule -> how many batches of ``fresh`` existed when it last ran (0 for all: every rule reads the start graphs)
    seen: dict[str, int] = dict.fromkeys((rule.name for rule in active), 0) if start is not None else {}
    dropped = 0
    for pass_no in range(1, _MAX_PASSES + 1):
        grown = False
        for rule in active:
            delta = None
            if rule.name in seen:  # semi-naive: only what is new since this rule last ran
                delta = [g for producer, g in fresh[seen[rule.name]:] if producer not in rule.ignores]
            seen[rule.name] = len(fresh)
            if delta == []:
                continue
            batch = f"{_SCRATCH}batch/{len(fresh)}"
            clock = time.perf_counter()
            if isinstance(generation, ScratchBuilder) and bulk:
                into = [batch] if target is None else [batch, target]
                reads = [*default, *(g for _producer, g in fresh), batch] if target is None else default
                for construct, named in _constructs(rule, delta, only_blank_nodes=only_blank_nodes):
                    generation.construct_into(construct, into, default_graphs=reads, named_graphs=named,
                                              mirror=mirror)
            else:
                if target is None:
                    raise ValueError("a fixpoint in place needs its target graph")
                for update in _inserts(rule, batch, target, default=default, delta=delta,
                                       only_blank_nodes=only_blank_nodes):
                    generation.update(update)
            added = _size(generation, batch)
            log.debug("pass %d %s: %d new in %.3fs", pass_no, rule.name, added, time.perf_counter() - clock)
            if added:
                counts[rule.name] += added
                fresh.append((rule.name, batch))
                grown = True
            if not keep_batches:
                consumed = min(seen.get(r.name, 0) for r in active)  # batches every rule has joined against
                _drop(generation, [g for producer, g in fresh[dropped:consumed] if producer])  # not the start
                dropped = max(dropped, consumed)
        if not grown:
            break
    else:
        raise RuntimeError(f"no fixpoint after {_MAX_PASSES} passes of materialisation")
    batches = [g for producer, g in fresh[dropped:] if producer]
    _drop(generation, [_SCHEMA_GRAPH, *([] if keep_batches else batches)])
    return counts, pass_no, batches if keep_batches else []


def _inserts(rule: Rule, batch: str, target: str, *, default: list[str], delta: list[str] | None,
             only_blank_nodes: bool = False) -> list[str]:
    """The SPARQL Updates that add the rule's new conclusions to ``target`` and to ``batch``.

    ``delta`` None means the rule's first run: the naive bodies over all triples. Otherwise one update per
    delta body and delta graph (the triples new since the rule last ran), the graph named as a constant:
    separate updates rather than a UNION or ``VALUES ?delta``, so that the store starts each join from the
    delta graph's index (an order of magnitude faster with pyoxigraph 0.5).
    """
    using = "".join(f"USING <{g}> " for g in default) + f"USING NAMED <{_SCHEMA_GRAPH}> "
    if delta is None:
        bodies = [(body, using) for body in rule.naive]
    else:
        bodies = [(body.replace("?delta", f"<{g}>"), using + f"USING NAMED <{g}> ")
                  for body in rule.delta for g in delta]
    subject, _predicate, obj = rule.head.split()
    blank = f"FILTER(isBlank({subject}) || isBlank({obj})) " if only_blank_nodes else ""
    return [PREFIXES + f"INSERT {{ GRAPH <{target}> {{ {rule.head} }} GRAPH <{batch}> {{ {rule.head} }} }} {dataset}"
            f"WHERE {{ {{ {body} }} {blank}FILTER NOT EXISTS {{ {rule.head} }} }}" for body, dataset in bodies]


def _constructs(rule: Rule, delta: list[str] | None, *, only_blank_nodes: bool = False) -> list[tuple[str, list[str]]]:
    """The CONSTRUCT queries (with their named graphs) of the rule's new conclusions: the bodies of
    :func:`_inserts`, for the bulk loader.

    A first run (``delta`` None) of a rule that says what it concludes (:attr:`.rules.Rule.concludes`) keeps what
    is new with MINUS rather than FILTER NOT EXISTS: pyoxigraph then reads the triples its conclusions are compared
    with once, into a hash table, instead of probing the dataset for each conclusion (cax-sco at 1M triples: 0.7 s
    instead of 5.9 s). The head's variables are all bound by the body, so both keep the same solutions. A later
    run joins a small delta, and probes."""
    subject, _predicate, obj = rule.head.split()
    blank = f"FILTER(isBlank({subject}) || isBlank({obj})) " if only_blank_nodes else ""
    new = f"FILTER NOT EXISTS {{ {rule.head} }}"
    if delta is not None:
        return [(PREFIXES + f"CONSTRUCT {{ {rule.head} }} WHERE {{ {{ {body.replace('?delta', f'<{g}>')} }} "
                 f"{blank}{new} }}", [_SCHEMA_GRAPH, g]) for body in rule.delta for g in delta]
    if rule.concludes is not None:
        new = f"MINUS {{ {rule.concludes} {rule.head} }}"
    return [(PREFIXES + f"CONSTRUCT {{ {rule.head} }} WHERE {{ {{ {body} }} {blank}{new} }}", [_SCHEMA_GRAPH])
            for body in rule.naive]


def _named_graphs(generation: GenerationBuilder) -> list[str]:
    rows = generation.query(QueryRequest("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", accept=_JSON)).rows()
    return sorted(row["g"]["value"] for row in rows if row["g"]["type"] == "uri")


def _size(generation: GenerationBuilder, graph: str) -> int:
    rows = generation.query(QueryRequest(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}",
                                         accept=_JSON)).rows()
    return int(rows[0]["n"]["value"])


def _drop(generation: GenerationBuilder, graphs: list[str]) -> None:
    if graphs:
        generation.update(" ; ".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))


def _record(generation: GenerationBuilder, base_iri: str, counts: dict[str, int], started: datetime,
            passes: int) -> None:
    """Write the per-rule counts as VoID subsets of the inferred graph, generated by a PROV activity."""
    inferred = inferred_graph_iri(base_iri)
    activity = f"{inferred}#materialisation"
    ended = datetime.now(UTC)
    lines = [
        f"<{inferred}> a <{VOID}Dataset> ; <{VOID}triples> {sum(counts.values())} ; "
        f"<{PROV}wasGeneratedBy> <{activity}> .",
        f"<{activity}> a <{PROV}Activity> ; <{PROV}startedAtTime> \"{started.isoformat()}\"^^<{XSD}dateTime> ; "
        f"<{PROV}endedAtTime> \"{ended.isoformat()}\"^^<{XSD}dateTime> ; "
        f"<{RDFS}comment> \"OWL 2 RL subset materialised to a fixpoint in {passes} passes\"@en .",
    ]
    for name, count in counts.items():
        part = f"{inferred}#{name}"
        lines.append(f"<{inferred}> <{VOID}subset> <{part}> . <{part}> a <{VOID}Dataset> ; "
                     f"<{DCT}identifier> \"{name}\" ; <{RDFS}label> \"{RULE_NAMES[name]}\"@en ; "
                     f"<{VOID}triples> {count} ; <{PROV}wasGeneratedBy> <{activity}> .")
    generation.update(f"INSERT DATA {{ GRAPH <{stats_graph_iri(base_iri)}> {{ {' '.join(lines)} }} }}")


def statistics(store: GraphStore) -> dict[str, int] | None:
    """Inferred triples per rule, as recorded by the last load; None when it ran without reasoning."""
    rows = store.select(
        f"SELECT ?rule ?n WHERE {{ GRAPH <{stats_graph_iri(store.base_iri)}> {{ "
        f"<{inferred_graph_iri(store.base_iri)}> <{VOID}subset> ?part . "
        f"?part <{DCT}identifier> ?rule ; <{VOID}triples> ?n }} }}")
    if not rows:
        return None
    found = {row["rule"]["value"]: int(row["n"]["value"]) for row in rows}
    order = list(RULE_NAMES)
    return dict(sorted(found.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order)))
