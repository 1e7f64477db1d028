"""A deterministic synthetic dataset that exercises every materialisation rule (tests and benchmarks).

The schema is fixed: a class tree with a second parent, a subclass cycle and equivalences to an
"external" vocabulary; property hierarchies with equivalences; inverse, symmetric and transitive
properties (a transitive one fed by its sub-properties, like eco:withinStructureOf); 2- and 3-step property
chains, one of them recursive (works-for ∘ part-of → works-for); a literal-valued sub-property. It also carries
axioms the rule subset ignores on purpose (domain, range, a restriction, a functional property, a
disjointness), so the engine is shown to leave them alone.

The instance data grows with ``size`` (asserted triples, approximately), is spread over several named graphs,
repeats some triples in two graphs, asserts some triples the rules would infer anyway, and uses blank
nodes for some n-ary nodes.
"""

from __future__ import annotations

import random

NS = "https://example.org/synthetic/ontology#"
EXT = "https://example.org/external#"
ID = "https://example.org/synthetic/id/"
GRAPHS = "https://example.org/synthetic/graph/"

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_R, _RS, _O = "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#", \
    "http://www.w3.org/2002/07/owl#"

N_CLASSES = 31


def _t(s: str, p: str, o: str) -> str:
    return f"{s} {p} {o} ."


def _iri(ns: str, name: str) -> str:
    return f"<{ns}{name}>"


def schema() -> list[str]:
    """The schema as N-Triples lines."""
    c, p, e = (lambda n: _iri(NS, n)), (lambda n: _iri(NS, n)), (lambda n: _iri(EXT, n))
    sco, spo, a = f"<{_RS}subClassOf>", f"<{_RS}subPropertyOf>", f"<{RDF_TYPE}>"
    eqc, eqp, inv = f"<{_O}equivalentClass>", f"<{_O}equivalentProperty>", f"<{_O}inverseOf>"
    lines = [_t(c(f"C{i}"), a, f"<{_O}Class>") for i in range(N_CLASSES)]
    lines += [_t(c(f"C{i}"), sco, c(f"C{(i - 1) // 2}")) for i in range(1, N_CLASSES)]  # a binary tree
    lines += [
        _t(c("C20"), sco, c("C3")),  # a second parent
        _t(c("C25"), sco, c("C26")), _t(c("C26"), sco, c("C25")),  # a cycle: equivalent through subClassOf
        _t(c("C5"), eqc, e("Agent")), _t(e("Agent"), sco, e("Thing2")),  # equivalence to an external class
        _t(e("Person"), eqc, c("C9")), _t(c("C7"), eqc, c("C30")),
        _t(c("C1"), sco, f"<{_O}Thing>"),  # says nothing: never materialised
    ]
    lines += [_t(p(prop), a, f"<{_O}ObjectProperty>") for prop in
              ("p0 p1 p2 p3 p4 p5 inv0 inv1 inv2 t0 t1 t2 s0 s1 a0 a1 a2 r0 r1 w0 h0").split()]
    lines += [
        _t(p("p1"), spo, p("p0")), _t(p("p2"), spo, p("p1")), _t(p("p3"), spo, p("p0")),
        _t(p("p4"), eqp, p("p5")), _t(p("p5"), spo, p("p0")), _t(p("p4"), eqp, e("related")),
        _t(p("inv0"), inv, p("p2")), _t(p("inv1"), inv, p("inv2")), _t(p("inv2"), spo, p("p3")),
        _t(p("t0"), a, f"<{_O}TransitiveProperty>"), _t(p("t1"), spo, p("t0")), _t(p("t2"), spo, p("t1")),
        _t(p("s0"), a, f"<{_O}SymmetricProperty>"), _t(p("s1"), spo, p("s0")),
        _t(p("d0"), spo, p("d1")), _t(p("d0"), a, f"<{_O}FunctionalProperty>"),
        _t(p("h0"), eqp, p("t2")),
    ]
    # chains: r0 = a0 ∘ a1; r1 = a1 ∘ a2 ∘ a0; w0 = w0 ∘ t0 (works for the parents of one's organisation)
    for prop, links in (("r0", ["a0", "a1"]), ("r1", ["a1", "a2", "a0"]), ("w0", ["w0", "t0"])):
        cells = [f"_:chain-{prop}-{i}" for i in range(len(links))]
        lines.append(_t(p(prop), f"<{_O}propertyChainAxiom>", cells[0]))
        for i, link in enumerate(links):
            lines.append(_t(cells[i], f"<{_R}first>", p(link)))
            lines.append(_t(cells[i], f"<{_R}rest>", cells[i + 1] if i + 1 < len(cells) else f"<{_R}nil>"))
    # ignored by the rule subset
    lines += [
        _t(p("p0"), f"<{_RS}domain>", c("C2")), _t(p("a0"), f"<{_RS}range>", c("C4")),
        _t(c("C3"), f"<{_O}disjointWith>", c("C29")),
        _t(c("C6"), sco, "_:restriction"), _t("_:restriction", a, f"<{_O}Restriction>"),
        _t("_:restriction", f"<{_O}onProperty>", p("p1")), _t("_:restriction", f"<{_O}someValuesFrom>", c("C11")),
    ]
    return lines


def instances(size: int, seed: int = 7, *, blank_nodes: bool = True) -> list[list[str]]:
    """About ``size`` instance triples as N-Triples lines, split into three graphs (every 50th node a blank node,
    unless ``blank_nodes`` is false)."""
    rng = random.Random(seed)
    n = max(size * 10 // 46, 20)
    node = [f"<{ID}n{i}>" for i in range(n)]
    for i in range(0, n if blank_nodes else 0, 50):  # some n-ary nodes are blank nodes
        node[i] = f"_:node{i}"
    graphs: list[list[str]] = [[], [], []]

    def add(i: int, pred: str, obj: str) -> None:
        graphs[i % 3].append(_t(node[i], pred, obj))

    def prop(name: str) -> str:
        return _iri(NS, name)

    def other(i: int) -> str:
        return node[rng.randrange(n)]

    for i in range(n):
        cls = rng.randrange(N_CLASSES)
        add(i, f"<{RDF_TYPE}>", _iri(NS, f"C{cls}"))
        if i % 97 == 0:
            add(i, f"<{RDF_TYPE}>", _iri(EXT, "Person"))
        if i % 41 == 0 and cls:  # asserted although inferable
            add(i, f"<{RDF_TYPE}>", _iri(NS, f"C{(cls - 1) // 2}"))
        add(i, f"<{_RS}label>", f'"node {i}"@en')
        add(i, prop(("p1", "p2", "p3", "p4", "inv0", "inv1", "inv2")[i % 7]), other(i))
        if i % 2 == 0:
            add(i, prop(("p5", "p2")[i % 4 // 2]), other(i))
        if i % 3 == 0 and i:  # a forest for the transitive properties (branching 8, shallow)
            add(i, prop(("t0", "t1", "t2", "h0")[i % 4]), node[(i // 8) // 3 * 3])
        if i % 5 == 0:
            add(i, prop(("s0", "s1")[i % 2]), other(i))
        if i % 4 == 1:
            add(i, prop(("a0", "a1", "a2")[i % 3]), other(i))
        if i % 6 == 1:
            add(i, prop("w0"), node[rng.randrange(n) // 3 * 3])
        if i % 11 == 0:
            add(i, prop("d0"), f'"{i}"^^<http://www.w3.org/2001/XMLSchema#integer>')
        if i % 13 == 0:  # the same triple in two graphs
            line = _t(node[i], f"<{_RS}label>", f'"node {i}"@en')
            graphs[(i + 1) % 3].append(line)
    return graphs


def dataset(size: int, seed: int = 7, *, blank_nodes: bool = True) -> bytes:
    """Schema and instances as N-Quads: the schema in one graph, the instances in three others."""
    out = [f"{line[:-2]} <{GRAPHS}ontology> ." for line in schema()]
    for g, lines in enumerate(instances(size, seed, blank_nodes=blank_nodes)):
        out += [f"{line[:-2]} <{GRAPHS}data-{g}> ." for line in lines]
    return ("\n".join(out) + "\n").encode()
