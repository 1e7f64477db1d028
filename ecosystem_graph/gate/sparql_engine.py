"""The SHACL gate as SPARQL inside the store: set-at-a-time, so it scales with the store, not with rdflib.

Every property shape becomes part of one grouped query per (focus nodes, path): the focus nodes of all node
shapes that use it (``sh:targetClass`` through the subclass closure, ``sh:targetNode``, ``sh:targetSubjectsOf``,
``sh:targetObjectsOf``), their values along the path (any SHACL path is a SPARQL property path), and per focus
node the counts that decide ``sh:minCount``, ``sh:maxCount``, ``sh:uniqueLang``, ``sh:hasValue``,
``sh:qualifiedValueShape`` with ``sh:qualifiedMinCount``/``sh:qualifiedMaxCount``, and the number of values
that break a value constraint (``sh:class``, ``sh:datatype`` with the lexical check pySHACL makes, ``sh:nodeKind``,
``sh:languageIn``, ``sh:in``, ``sh:pattern``, ``sh:minLength``/``sh:maxLength``, ``sh:min/maxIn/Exclusive``,
``sh:node``, ``sh:or``, ``sh:and``, ``sh:not``, ``sh:xone``). Only focus nodes that break something come back;
a second query names the offending values. The report matches pySHACL's (same focus nodes, constraint components
and messages; pySHACL repeats a result once per node shape that shares a property shape, this reports it once).

What keeps the whole-store check linear in the data on pyoxigraph: no EXISTS evaluated per row (the store
evaluates its whole pattern each time; class tests are anti-joins, MINUS), no OPTIONAL of a grouped subquery, and
each value decoded once per row for the tests on its language (the store decodes a term at each mention in an
expression). A write's check (focus nodes given) keeps the per-row forms: its rows are few.

Not translated, so checked by pySHACL (the reference engine) for the node shapes that use them: ``sh:closed``,
``sh:equals``, ``sh:disjoint``, ``sh:lessThan``, ``sh:lessThanOrEquals``, SPARQL-based constraints and targets,
``sh:qualifiedValueShapesDisjoint true``, several ``sh:qualifiedValueShape`` on one property shape, and inside
nested shapes (``sh:node``, ``sh:or`` ...) counts above one and qualified counts.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH

from ..store import GenerationBuilder, QueryRequest, Term
from .report import ShapeReport, Violation
from .shapes import VALUE_PARAMETERS, PropertyConstraints, Shapes, Unsupported, component, short, term

log = logging.getLogger(__name__)

#: run a SELECT over the data (and ontology) graphs and return its rows as SPARQL JSON bindings
Select = Callable[[str], list[dict[str, Term]]]
#: validate with pySHACL against a shapes graph (the not-translated shapes; the others are deactivated in it)
Fallback = Callable[[Graph], ShapeReport]

_RDFS_SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
_BATCH = 500


@dataclass
class Plan:
    """The translated shapes: grouped property checks, node-level checks, and the shapes left to pySHACL."""

    groups: dict[tuple, list[PropertyConstraints]]  # (targets, path) -> property shapes on that path
    node_checks: list[tuple[tuple, object, str, str]]  # (targets, node shape, component, condition on ?focus)
    fallback: dict[object, str]  # node shape -> why it is not translated


#: the last plans made, by (shapes graph, class hierarchy): a write's check should not translate the shapes again
_PLANS: dict[tuple[int, tuple], tuple[Graph, Plan]] = {}


def _planned(shapes: Graph, subclasses: dict[str, set[str]]) -> Plan:
    key = (id(shapes), tuple(sorted((sup, tuple(sorted(subs))) for sup, subs in subclasses.items())))
    found = _PLANS.get(key)
    if found is None or found[0] is not shapes:  # an id is reused only once its graph is gone
        if len(_PLANS) >= 4:
            _PLANS.clear()
        found = _PLANS[key] = (shapes, plan(shapes, subclasses))
    return found[1]


def plan(shapes: Graph, subclasses: dict[str, set[str]]) -> Plan:
    """Translate ``shapes``; what cannot be translated is listed in :attr:`Plan.fallback`."""
    model = Shapes(shapes, subclasses)
    targets_of: dict[object, list[tuple]] = {}
    node_checks, fallback = [], {}
    for shape in model.node_shapes():
        if _deactivated(model, shape):
            continue
        try:
            targets = model.targets(shape)
            model.check_parameters(shape)
            props = [shape] if model.value(shape, SH.path) is not None else model.objects(shape, SH.property)
            for prop in props:
                model.property_constraints(prop)  # now: an Unsupported sends the whole shape to pySHACL
            checks = [] if props == [shape] else [
                (targets, shape, component(p), model.condition(p, o, "?focus", shape))
                for p, o in shapes.predicate_objects(shape) if p in VALUE_PARAMETERS and p != SH.flags]
        except Unsupported as error:
            fallback[shape] = str(error)
            continue
        node_checks += checks
        for prop in props:
            targets_of.setdefault(prop, []).append(targets)
    groups: dict[tuple, list[PropertyConstraints]] = {}
    for prop, targets in targets_of.items():
        if _deactivated(model, prop):
            continue
        merged = tuple(frozenset().union(*(t[i] for t in targets)) for i in range(4))
        constraints = model.property_constraints(prop)
        groups.setdefault((merged, constraints.path), []).append(constraints)
    return Plan(groups, node_checks, fallback)


def selector(generation: GenerationBuilder, graphs: list[str]) -> Select:
    """A :data:`Select` over the union of ``graphs`` of a generation (the data and the ontology, not the shapes)."""
    def select(sparql: str) -> list[dict[str, Term]]:
        started = time.perf_counter()
        rows = generation.query(QueryRequest(sparql, accept=["application/sparql-results+json"],
                                             default_graphs=graphs)).rows()
        # with -v, where the gate's time goes on a large graph (one line per query)
        log.debug("shape query: %.2f s, %d rows: %s", time.perf_counter() - started, len(rows), sparql[:300])
        return rows

    return select


def check(shapes: Graph, select: Select, *, fallback: Fallback | None = None,
          focus: list[str] | None = None, subclasses: dict[str, set[str]] | None = None) -> ShapeReport:
    """Validate the data that ``select`` queries against ``shapes``.

    With ``focus`` (nodes in N-Triples form), only those nodes are checked as focus nodes: after a change, the
    nodes it touched (the write path computes them). pySHACL, for the shapes this engine does not translate,
    checks everything.

    :raises ValueError: if some shapes need pySHACL and no ``fallback`` is given.
    """
    only = f"VALUES ?focus {{ {' '.join(focus)} }} " if focus is not None else ""
    if focus == []:
        return ShapeReport(conforms=True)
    subclasses = subclasses_of(select) if subclasses is None else subclasses
    translated = _planned(shapes, subclasses)
    report = ShapeReport(conforms=True)
    relevant = _targeting(select, only, focus) if focus is not None else (lambda _targets: True)
    for (targets, path), constraints in translated.groups.items():
        if relevant(targets):
            _add(report, _run_group(select, targets, path, constraints, only))
    for targets, shape, name, condition in translated.node_checks:
        if not relevant(targets):
            continue
        sparql = f"SELECT DISTINCT ?focus WHERE {{ {_target(targets, only)} FILTER(!COALESCE({condition}, false)) }}"
        _add(report, [_violation(shape, shapes, name, r["focus"], r["focus"]) for r in select(sparql)])
    if translated.fallback:
        if fallback is None:
            raise ValueError(f"shapes need pySHACL: {translated.fallback}")
        log.info("checking %d shape(s) with pySHACL: %s", len(translated.fallback),
                 "; ".join(f"{short(s)} ({why})" for s, why in translated.fallback.items()))
        residual = Graph() + shapes
        for shape in Shapes(shapes, subclasses).node_shapes():
            if shape not in translated.fallback:
                residual.add((shape, SH.deactivated, Literal(True)))
        extra = fallback(residual)
        report.violations += extra.violations
        report.warnings += extra.warnings
    report.conforms = not report.violations
    report.violations.sort(key=lambda v: (v.focus_node, v.constraint, v.value or ""))
    return report


#: constraints on a value node that read more than the value's own term
_NESTED = {"NodeConstraintComponent", "OrConstraintComponent", "AndConstraintComponent", "NotConstraintComponent",
           "XoneConstraintComponent"}
_ONE_PREDICATE = re.compile(r"^<([^<>]+)>$")


@dataclass(frozen=True)
class Sensitivity:
    """Through which predicates a node's shape results read the triples of the nodes it points at: its values'
    types (``sh:class``), or, for nested shapes and qualified counts, the value's properties those shapes name."""

    #: pointing predicates (``^`` before an inverse one: the value points at the node)
    types: frozenset[str]
    #: pointing predicate -> the predicates of the value that its nested constraints may read
    properties: dict[str, frozenset[str]]


_IRI = re.compile(r"<([^<>\s]+)>")
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def sensitivity(shapes: Graph, subclasses: dict[str, set[str]]) -> Sensitivity | None:
    """For the shapes, the :class:`Sensitivity`; None when some such constraint sits on a path longer than one
    predicate (or inverse), or when some node shape is checked by pySHACL: then every pointing node counts."""
    translated = _planned(shapes, subclasses)
    if translated.node_checks or translated.fallback:
        return None
    types: set[str] = set()
    properties: dict[str, set[str]] = {}
    for (_targets, path), constraints in translated.groups.items():
        nested = [condition for pc in constraints for component, condition in pc.values if component in _NESTED]
        nested += [pc.qualified[0] for pc in constraints if pc.qualified]
        reads_types = any(component == "ClassConstraintComponent" for pc in constraints for component, _c in pc.values)
        if not (reads_types or nested):
            continue
        steps = _one_step(path)
        if steps is None:
            return None
        for step in steps:
            if reads_types:
                types.add(step)
            if nested:  # every IRI a nested condition names may be a predicate it reads; and the value's types
                read = properties.setdefault(step, {_RDF_TYPE})
                read.update(iri for condition in nested for iri in _IRI.findall(condition))
    return Sensitivity(frozenset(types), {p: frozenset(read) for p, read in properties.items()})


def _one_step(path: str) -> list[str] | None:
    """The predicates of a path of one step (``<p>``, ``^<p>``, alternatives of those), ``^`` kept for an inverse;
    None for a longer path."""
    steps = []
    for alternative in path.removeprefix("(").removesuffix(")").split("|"):
        inverse = alternative.startswith("^")
        single = _ONE_PREDICATE.match(alternative.removeprefix("^").strip("()"))
        if single is None:
            return None
        steps.append(("^" if inverse else "") + single.group(1))
    return steps


def subclasses_of(select: Select) -> dict[str, set[str]]:
    """Each class and its subclasses (the closure), as the data and the ontology that ``select`` reads say."""
    subclasses: dict[str, set[str]] = {}
    for row in select(f"SELECT ?sub ?sup WHERE {{ ?sub {_RDFS_SUBCLASS}+ ?sup }}"):
        subclasses.setdefault(row["sup"]["value"], set()).add(row["sub"]["value"])
    return subclasses


def _targeting(select: Select, only: str, focus: list[str]) -> Callable[[tuple], bool]:
    """Whether a shape's targets can select one of the ``focus`` nodes: by class (their types, read once) or by
    node; targets by predicate are always asked."""
    types = {row["t"]["value"] for row in select(f"SELECT DISTINCT ?t WHERE {{ {only}?focus a ?t }}")}
    named = set(focus)

    def relevant(targets: tuple) -> bool:
        classes, nodes, subjects_of, objects_of = targets
        return bool(subjects_of or objects_of or classes & types or set(nodes) & named)

    return relevant


def _run_group(select: Select, targets: tuple, path: str, constraints: list[PropertyConstraints],
               only: str = "") -> list[Violation]:
    return _counts(select, targets, path, constraints, only) + _values(select, targets, path, constraints, only)


def _counts(select: Select, targets: tuple, path: str, constraints: list[PropertyConstraints],
            only: str = "") -> list[Violation]:
    """The constraints on the number of values, one grouped query for all the property shapes on ``path``.

    Counts are SUM(IF(condition, 1, 0)) over distinct (focus, value) rows: an aggregate whose expression is
    sometimes unbound is unbound as a whole in the store, so no expression here may be unbound or an error.
    """
    aggregates, tests = ["(COUNT(?v) AS ?n)"], []
    for i, pc in enumerate(constraints):
        tests += [f"?n < {pc.min_count}"] if pc.min_count else []
        tests += [f"?n > {pc.max_count}"] if pc.max_count is not None else []
        if pc.unique_lang:
            aggregates += [f'(SUM(IF(?_lang != "", 1, 0)) AS ?tagged{i})',
                           f'(COUNT(DISTINCT ?_lang) - MAX(IF(?_lang = "", 1, 0)) AS ?langs{i})']
            tests.append(f"?tagged{i} > ?langs{i}")
        for j, value in enumerate(pc.has_values):
            aggregates.append(f"(SUM(IF(COALESCE(sameTerm(?v, {value}), false), 1, 0)) AS ?has{i}_{j})")
            tests.append(f"?has{i}_{j} = 0")
        if pc.qualified:
            condition = _over_tag(pc.qualified[0])
            aggregates.append(f"(SUM(IF(COALESCE({condition}, false), 1, 0)) AS ?q{i})")
            tests += [f"?q{i} < {pc.qualified[1]}"] if pc.qualified[1] is not None else []
            tests += [f"?q{i} > {pc.qualified[2]}"] if pc.qualified[2] is not None else []
    if not tests:
        return []
    # The store answers these fastest as hash joins of whole subqueries (a scan of the path, grouped) with the
    # focus nodes, rather than as a lookup of the path per focus node.
    target = _target(targets, only)
    zero_breaks = any(pc.min_count or pc.has_values or (pc.qualified and pc.qualified[1]) for pc in constraints)
    if tests == ["?n < 1"] * len(tests):  # only sh:minCount 1: focus nodes minus those with a value
        queries = [f"SELECT ?focus WHERE {{ {target} MINUS {{ {only}?focus {path} ?_value }} }}"]
    else:
        zero_length = "*" in path or "?" in path
        rows = f"{target} ?focus {path} ?v" if zero_length else f"{only}?focus {path} ?v"
        uses_lang = any(pc.unique_lang for pc in constraints)
        binds = _tag_bind(" ".join(aggregates) + (" ?_tag" if uses_lang else ""))
        binds += ' BIND(IF(?_tag = "!", "", LCASE(?_tag)) AS ?_lang)' if uses_lang else ""
        grouped = (f"SELECT ?focus {' '.join(aggregates)} WHERE {{ {{ SELECT DISTINCT ?focus ?v WHERE {{ {rows} }} }}"
                   f"{binds} }} GROUP BY ?focus")
        unbound_is_zero = " || ".join(re.sub(r"\?(\w+)", r"COALESCE(?\1, 0)", test) for test in tests)
        if only or zero_length:  # few focus nodes (a write), or every focus node has a value: one query
            queries = [f"SELECT * WHERE {{ {target} OPTIONAL {{ {grouped} }} FILTER({unbound_is_zero}) }}"
                       if zero_breaks else f"SELECT * WHERE {{ {{ {grouped} }} {target} FILTER({unbound_is_zero}) }}"]
        else:
            # Over the whole store, no OPTIONAL of the grouped subquery (the store's left join with it grows
            # faster than the data): the nodes with values that break a count, kept if they are focus nodes (the
            # join with the focus nodes only when there are such nodes: valid data never pays for it); then, when
            # having no value can break a count, the focus nodes without values (all their counts are zero)
            candidates = f"SELECT * WHERE {{ {{ {grouped} }} FILTER({unbound_is_zero}) }}"
            queries = [f"SELECT * WHERE {{ {{ {candidates} }} {target} }}"] if select(candidates) else []
            if zero_breaks:
                queries.append(f"SELECT ?focus WHERE {{ {target} MINUS {{ ?focus {path} ?_value }} }}")
    found: list[Violation] = []
    for row in (row for sparql in queries for row in select(sparql)):
        focus, count = row["focus"], (lambda name, row=row: int(row[name]["value"]) if name in row else 0)
        for i, pc in enumerate(constraints):
            if count("n") < pc.min_count:
                found.append(_violation(pc.shape, pc, "MinCountConstraintComponent", focus))
            if pc.max_count is not None and count("n") > pc.max_count:
                found.append(_violation(pc.shape, pc, "MaxCountConstraintComponent", focus))
            if pc.unique_lang and count(f"tagged{i}") > count(f"langs{i}"):
                found.append(_violation(pc.shape, pc, "UniqueLangConstraintComponent", focus))
            found += [_violation(pc.shape, pc, "HasValueConstraintComponent", focus)
                      for j in range(len(pc.has_values)) if count(f"has{i}_{j}") == 0]
            if pc.qualified:
                q, low, high = count(f"q{i}"), pc.qualified[1], pc.qualified[2]
                if low is not None and q < low:
                    found.append(_violation(pc.shape, pc, "QualifiedMinCountConstraintComponent", focus))
                if high is not None and q > high:
                    found.append(_violation(pc.shape, pc, "QualifiedMaxCountConstraintComponent", focus))
    return found


def _values(select: Select, targets: tuple, path: str, constraints: list[PropertyConstraints],
            only: str = "") -> list[Violation]:
    """The constraints on each value: first on the distinct values of ``path`` (values are shared: a few concepts,
    sources, organisations), then, only for values that break one, which focus nodes hold them.

    Over the whole store, a constraint that only asks for an instance of some classes (``sh:class``) is an
    anti-join of the values with those classes' instances: the store evaluates an EXISTS once per row, each time
    over the whole pattern, so a class test as an expression grows with the square of the data."""
    checks = [(pc, component, condition, None if only else pc.classes.get(i))
              for pc in constraints for i, (component, condition) in enumerate(pc.values)]
    if not checks:
        return []
    if "*" in path or "?" in path or only:  # a zero-length path reaches every node: look from the focus nodes
        values = f"SELECT DISTINCT ?v WHERE {{ {_target(targets, only)} ?focus {path} ?v }}"
    else:
        values = f"SELECT DISTINCT ?v WHERE {{ ?_subject {path} ?v }}"
    bad: dict[int, list[Term]] = {}
    by_term = [k for k, check in enumerate(checks) if check[3] is None]
    if by_term:
        flags = " ".join(f"BIND(!COALESCE({_over_tag(checks[k][2])}, false) AS ?bad{k})" for k in by_term)
        flags = _tag_bind(flags).lstrip() + " " + flags
        any_bad = " || ".join(f"?bad{k}" for k in by_term)
        for row in select(f"SELECT * WHERE {{ {{ {values} }} {flags} FILTER({any_bad}) }}"):
            for k in by_term:
                if row[f"bad{k}"]["value"] == "true":
                    bad.setdefault(k, []).append(row["v"])
    for k, (_pc, _component, _condition, classes) in enumerate(checks):
        if classes is not None:
            found_k = [row["v"] for row in select(f"SELECT ?v WHERE {{ {{ {values} }} {_not_instance(classes)} }}")]
            if found_k:
                bad[k] = found_k
    found: list[Violation] = []
    holders = f"{{ SELECT DISTINCT ?focus ?v WHERE {{ {only}?focus {path} ?v }} }} {_target(targets, only)}"
    for k, values_found in bad.items():
        pc, component, condition, classes = checks[k]
        named = [v for v in values_found if v["type"] != "bnode"]
        breaks = f"FILTER(!COALESCE({condition}, false))" if classes is None else _not_instance(classes)
        queries = [] if len(named) == len(values_found) and len(named) <= 20 * _BATCH else [
            f"SELECT DISTINCT ?focus ?v WHERE {{ {holders} {breaks} }}"]
        if not queries:
            queries = [f"SELECT DISTINCT ?focus ?v WHERE {{ {{ SELECT DISTINCT ?focus ?v WHERE {{ "
                       f"VALUES ?v {{ {' '.join(map(_sparql_term, batch))} }} {only}?focus {path} ?v }} }} "
                       f"{_target(targets, only)} }}"
                       for batch in (named[i:i + _BATCH] for i in range(0, len(named), _BATCH))]
        for sparql in queries:
            found += [_violation(pc.shape, pc, component, r["focus"], r["v"]) for r in select(sparql)]
    return found


def _over_tag(condition: str) -> str:
    """``condition`` reading the value's language and literal-ness from ``?_tag`` (see :func:`_tag_bind`): the store
    decodes a term from its dictionary at each mention in an expression, the main cost of a test on labels.
    Valid as the shapes write these tests: ``lang(?v)`` only where ``isLiteral(?v)`` holds. Not inside EXISTS."""
    if "EXISTS" in condition:
        return condition
    return condition.replace("isLiteral(?v)", '(?_tag != "!")').replace("lang(?v)", "?_tag")


def _tag_bind(expressions: str) -> str:
    """When ``expressions`` read ``?_tag``: a BIND of it, the value's language tag ("" for a literal without one,
    "!" for an IRI or a blank node), decoding the value once per row."""
    return ' BIND(COALESCE(lang(?v), "!") AS ?_tag)' if "?_tag" in expressions else ""


def _not_instance(classes: frozenset[str]) -> str:
    """Keeps the ``?v`` that are instances of none of ``classes`` (a hash anti-join: the instances read once)."""
    return f"MINUS {{ VALUES ?_class {{ {' '.join(f'<{c}>' for c in sorted(classes))} }} ?v a ?_class }}"


def _deactivated(model: Shapes, shape: object) -> bool:
    flag = model.value(shape, SH.deactivated)
    return bool(flag is not None and flag.toPython() is True)


def _target(targets: tuple, only: str = "") -> str:
    """A subquery that yields each focus node once (of those in ``only``, a ``VALUES ?focus`` clause)."""
    return f"{{ SELECT DISTINCT ?focus WHERE {{ {_target_union(targets, only)} }} }}"


def _target_union(targets: tuple, only: str = "") -> str:
    """The focus nodes of ``targets``; with ``only`` (a ``VALUES ?focus``), inside every branch, so that the store
    starts each from the given nodes instead of every instance of the target classes."""
    types, nodes, subjects_of, objects_of = targets
    parts = []
    if types:
        parts.append(f"VALUES ?_type {{ {' '.join(f'<{t}>' for t in sorted(types))} }} ?focus a ?_type")
    if nodes:
        parts.append(f"VALUES ?focus {{ {' '.join(sorted(nodes))} }}")
    parts += [f"?focus <{p}> ?_object" for p in sorted(subjects_of)]
    parts += [f"?_subject <{p}> ?focus" for p in sorted(objects_of)]
    return " UNION ".join(f"{{ {only}{p} }}" for p in parts) if parts else "FILTER(false)"


def _sparql_term(value: Term) -> str:
    if value["type"] == "uri":
        return f"<{value['value']}>"
    if value["type"] == "bnode":
        raise Unsupported("blank focus nodes cannot be named in a follow-up query")
    return _literal(value).n3()


def _literal(value: Term) -> Literal:
    return Literal(value["value"], lang=value.get("xml:lang"), datatype=value.get("datatype"))


def _shown(value: Term | None) -> str | None:
    if value is None:
        return None
    if value["type"] == "uri":
        return f"<{value['value']}>"
    if value["type"] == "bnode":
        return f"_:{value['value']}"
    return _literal(value).n3()


def _violation(shape: object, source: PropertyConstraints | Graph, component: str, focus: Term,
               value: Term | None = None) -> Violation:
    if isinstance(source, PropertyConstraints):
        message, severity, path = source.message, source.severity, source.path
    else:  # a node-level constraint: the node shape itself
        found = source.value(shape, SH.message)
        message, severity, path = (str(found) if found else None), "Violation", None
    return Violation(focus_node=focus["value"], message=message or f"{component} not met", constraint=component,
                     shape=term(shape) if isinstance(shape, URIRef) else str(shape), path=path,
                     value=_shown(value), severity=severity)


def _add(report: ShapeReport, violations: list[Violation]) -> None:
    for violation in violations:
        (report.violations if violation.severity == "Violation" else report.warnings).append(violation)
