"""Read SHACL shapes (an rdflib graph) into plain constraint records and SPARQL expressions.

:mod:`.sparql_engine` turns these into set-at-a-time queries. What this module cannot express raises
:class:`Unsupported`, naming the construct, so that the shape falls back to pySHACL.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, SH, XSD

from ..errors import SourceError

#: sh: parameters that only annotate a shape or are handled as its frame (targets, path, property links).
FRAME = {SH.message, SH.name, SH.description, SH.order, SH.group, SH.severity, SH.deactivated, SH.defaultValue,
         SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.property, SH.path}
#: sh: parameters that say nothing about whether a nested shape conforms (its targets do not apply there).
_ANNOTATIONS = FRAME - {SH.property, SH.path, SH.deactivated}
#: constraint parameters that apply to each value node on its own.
VALUE_PARAMETERS = {SH["class"], SH.datatype, SH.nodeKind, SH.languageIn, SH["in"], SH.pattern, SH.flags,
                    SH.minLength, SH.maxLength, SH.minInclusive, SH.minExclusive, SH.maxInclusive, SH.maxExclusive,
                    SH.node, SH["or"], SH["and"], SH["not"], SH.xone, SH.hasValue}
#: constraint parameters about the set of value nodes of a property shape.
SET_PARAMETERS = {SH.minCount, SH.maxCount, SH.uniqueLang, SH.qualifiedValueShape, SH.qualifiedMinCount,
                  SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint}

#: integer datatypes as XML Schema derives them from xsd:integer: (lowest, highest) value.
INTEGER_RANGES: dict[URIRef, tuple[int | None, int | None]] = {
    XSD.integer: (None, None), XSD.nonNegativeInteger: (0, None), XSD.positiveInteger: (1, None),
    XSD.nonPositiveInteger: (None, 0), XSD.negativeInteger: (None, -1), XSD.long: (-2**63, 2**63 - 1),
    XSD.int: (-2**31, 2**31 - 1), XSD.short: (-2**15, 2**15 - 1), XSD.byte: (-128, 127),
    XSD.unsignedLong: (0, 2**64 - 1), XSD.unsignedInt: (0, 2**32 - 1), XSD.unsignedShort: (0, 65535),
    XSD.unsignedByte: (0, 255),
}
#: datatypes whose lexical form the store checks by casting.
CASTABLE = {XSD.decimal, XSD.double, XSD.float, XSD.boolean, XSD.date, XSD.dateTime, XSD.time, XSD.gYear,
            XSD.duration}
NODE_KINDS = {SH.IRI: "isIRI({v})", SH.BlankNode: "isBlank({v})", SH.Literal: "isLiteral({v})",
              SH.BlankNodeOrIRI: "!isLiteral({v})", SH.BlankNodeOrLiteral: "!isIRI({v})",
              SH.IRIOrLiteral: "!isBlank({v})"}
COMPARISONS = {SH.minInclusive: ">=", SH.minExclusive: ">", SH.maxInclusive: "<=", SH.maxExclusive: "<"}


class Unsupported(Exception):
    """A SHACL construct the SPARQL translation does not cover (the shape is then checked by pySHACL)."""


def term(node: object) -> str:
    """A SPARQL term for an rdflib IRI or literal."""
    if isinstance(node, URIRef | Literal):
        return node.n3()
    raise Unsupported(f"a blank node ({node}) as a constraint value")


def short(node: object) -> str:
    return str(node).rsplit("#", 1)[-1]


def component(parameter: URIRef) -> str:
    """The SHACL constraint component of a parameter: sh:minCount -> MinCountConstraintComponent."""
    name = short(parameter)
    return {"in": "InConstraintComponent", "xone": "XoneConstraintComponent"}.get(
        name, name[0].upper() + name[1:] + "ConstraintComponent")


@dataclass
class Shapes:
    """The shapes graph with the class hierarchy of the data, and a supply of fresh variable names."""

    graph: Graph
    subclasses: dict[str, set[str]]  # class IRI -> the class and all its subclasses
    counter: int = 0

    def fresh(self) -> str:
        self.counter += 1
        return f"?_{self.counter}"

    def closure(self, cls: object) -> list[str]:
        return sorted(self.subclasses.get(str(cls), set()) | {str(cls)})

    def objects(self, shape: object, parameter: URIRef) -> list:
        return list(self.graph.objects(shape, parameter))

    def value(self, shape: object, parameter: URIRef):
        return self.graph.value(shape, parameter)

    def items(self, node: object) -> list:
        return list(Collection(self.graph, node))

    def is_shape(self, node: object) -> bool:
        return (node, RDF.type, SH.NodeShape) in self.graph or (node, RDF.type, SH.PropertyShape) in self.graph \
            or (node, SH.path, None) in self.graph

    def node_shapes(self) -> Iterator[object]:
        seen = set()
        for kind in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
            seen.update(self.graph.subjects(kind, None))
        for cls in (RDFS.Class, OWL.Class):  # implicit class targets
            seen.update(s for s in self.graph.subjects(RDF.type, cls) if (s, RDF.type, SH.NodeShape) in self.graph)
        yield from sorted(seen, key=str)

    def targets(self, shape: object) -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
        """(types, nodes, subjects-of, objects-of) that select the focus nodes of ``shape``."""
        classes = {str(c) for c in self.objects(shape, SH.targetClass)}
        if any((shape, RDF.type, cls) in self.graph for cls in (RDFS.Class, OWL.Class)):
            classes.add(str(shape))
        types = frozenset(t for c in classes for t in self.closure(c))
        return (types, frozenset(term(n) for n in self.objects(shape, SH.targetNode)),
                frozenset(str(p) for p in self.objects(shape, SH.targetSubjectsOf)),
                frozenset(str(p) for p in self.objects(shape, SH.targetObjectsOf)))

    def path(self, node: object) -> str:
        """A SHACL property path as a SPARQL property path."""
        if isinstance(node, URIRef):
            return node.n3()
        if (node, RDF.first, None) in self.graph:
            return "(" + "/".join(self.path(p) for p in self.items(node)) + ")"
        for parameter, template in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "{}*"),
                                    (SH.oneOrMorePath, "{}+"), (SH.zeroOrOnePath, "{}?")):
            inner = self.value(node, parameter)
            if inner is not None:
                text = self.path(inner)
                return "(" + template.format(text if text.startswith(("(", "<")) else f"({text})") + ")"
        alternatives = self.value(node, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(self.path(p) for p in self.items(alternatives)) + ")"
        raise Unsupported(f"the property path {node}")

    # --- value-node conditions as SPARQL boolean expressions -------------------------------------------
    def condition(self, parameter: URIRef, value: object, v: str, shape: object, depth: int = 0) -> str:
        """True when the value node ``v`` satisfies one value parameter (never an error: wrapped by callers)."""
        if parameter == SH["class"]:
            t = self.fresh()
            return f"EXISTS {{ VALUES {t} {{ {' '.join(f'<{c}>' for c in self.closure(value))} }} {v} a {t} }}"
        if parameter == SH.datatype:
            return self.datatype(value, v)
        if parameter == SH.nodeKind:
            if value not in NODE_KINDS:
                raise Unsupported(f"sh:nodeKind {value}")
            return NODE_KINDS[value].format(v=v)
        if parameter == SH.languageIn:
            ranges = [str(lang) for lang in self.items(value)]
            if "*" in ranges:
                return f'(isLiteral({v}) && lang({v}) != "")'
            tests = " || ".join(f'langMatches(lang({v}), "{r}")' for r in ranges) or "false"
            return f"(isLiteral({v}) && ({tests}))"
        if parameter == SH["in"]:
            return "(" + (" || ".join(f"sameTerm({v}, {term(x)})" for x in self.items(value)) or "false") + ")"
        if parameter == SH.hasValue:
            return f"sameTerm({v}, {term(value)})"
        if parameter == SH.pattern:
            flags = self.value(shape, SH.flags)
            pattern = Literal(str(value)).n3()
            return f"(!isBlank({v}) && REGEX(STR({v}), {pattern}{', ' + Literal(str(flags)).n3() if flags else ''}))"
        if parameter in (SH.minLength, SH.maxLength):
            op = ">=" if parameter == SH.minLength else "<="
            return f"(!isBlank({v}) && STRLEN(STR({v})) {op} {int(value)})"
        if parameter in COMPARISONS:
            return f"COALESCE({v} {COMPARISONS[parameter]} {term(value)}, false)"
        if parameter == SH.node:
            return self.conforms(value, v, depth + 1)
        if parameter in (SH["or"], SH["and"], SH.xone):
            parts = [self.conforms(s, v, depth + 1) for s in self.items(value)]
            if parameter == SH.xone:
                return "(" + " + ".join(f"IF({p}, 1, 0)" for p in parts) + " = 1)" if parts else "false"
            joiner = " || " if parameter == SH["or"] else " && "
            return "(" + joiner.join(parts) + ")" if parts else ("false" if parameter == SH["or"] else "true")
        if parameter == SH["not"]:
            return f"!{self.conforms(value, v, depth + 1)}"
        raise Unsupported(f"sh:{short(parameter)}")

    def datatype(self, datatype: object, v: str) -> str:
        if datatype == RDFS.Literal:
            return f"isLiteral({v})"
        if datatype == RDF.langString:
            return f'(isLiteral({v}) && lang({v}) != "")'
        if datatype == XSD.string:
            return f'(isLiteral({v}) && lang({v}) = "" && datatype({v}) = {XSD.string.n3()})'
        same = f"(isLiteral({v}) && datatype({v}) = {URIRef(str(datatype)).n3()}"
        if datatype in INTEGER_RANGES:
            low, high = INTEGER_RANGES[datatype]
            checks = [f'REGEX(STR({v}), "^[+-]?[0-9]+$")']
            checks += [f"{XSD.integer.n3()}(STR({v})) >= {low}"] if low is not None else []
            checks += [f"{XSD.integer.n3()}(STR({v})) <= {high}"] if high is not None else []
            return f"{same} && COALESCE({' && '.join(checks)}, false))"
        if datatype in CASTABLE:
            return f"{same} && COALESCE(isLiteral({URIRef(str(datatype)).n3()}(STR({v}))), false))"
        return same + ")"

    def conforms(self, shape: object, v: str, depth: int = 0) -> str:
        """True when node ``v`` conforms to ``shape`` (a nested shape: sh:node, sh:or, ...)."""
        if depth > 8:
            raise Unsupported("shapes nested deeper than 8 (recursive shapes)")
        self.check_parameters(shape, nested=True)
        parts = [self.condition(p, o, v, shape, depth) for p, o in self.graph.predicate_objects(shape)
                 if p in VALUE_PARAMETERS and p != SH.flags]
        for prop in self.objects(shape, SH.property):
            self.check_parameters(prop, nested=True)
            path, values = self.path(self.value(prop, SH.path)), self.fresh()
            for parameter, value in self.graph.predicate_objects(prop):
                if parameter == SH.minCount and int(value) > 0:
                    if int(value) > 1:
                        raise Unsupported("sh:minCount above 1 inside a nested shape")
                    parts.append(f"EXISTS {{ {v} {path} {values} }}")
                elif parameter == SH.maxCount:
                    other = self.fresh()
                    if int(value) > 1:
                        raise Unsupported("sh:maxCount above 1 inside a nested shape")
                    parts.append(f"NOT EXISTS {{ {v} {path} {values} }}" if int(value) == 0 else
                                 f"NOT EXISTS {{ {v} {path} {values}, {other} FILTER({values} != {other}) }}")
                elif parameter == SH.hasValue:
                    parts.append(f"EXISTS {{ {v} {path} {term(value)} }}")
                elif parameter in VALUE_PARAMETERS and parameter != SH.flags:
                    inner = self.condition(parameter, value, values, prop, depth)
                    parts.append(f"NOT EXISTS {{ {v} {path} {values} FILTER(!COALESCE({inner}, false)) }}")
                elif parameter in SET_PARAMETERS:
                    raise Unsupported(f"sh:{short(parameter)} inside a nested shape")
        return "(" + " && ".join(parts) + ")" if parts else "true"

    def property_constraints(self, prop: object) -> PropertyConstraints:
        """The constraints of one property shape, as :mod:`.shacl_sparql` checks them."""
        self.check_parameters(prop)
        path = self.value(prop, SH.path)
        if path is None:
            raise Unsupported(f"a property shape without sh:path ({prop})")
        message = self.value(prop, SH.message)
        severity = self.value(prop, SH.severity)
        pc = PropertyConstraints(shape=prop, path=self.path(path), message=str(message) if message else None,
                                 severity=short(severity) if severity else "Violation")
        qualified = self.objects(prop, SH.qualifiedValueShape)
        if len(qualified) > 1:
            raise Unsupported("several sh:qualifiedValueShape on one property shape")
        if qualified:
            low, high = self.value(prop, SH.qualifiedMinCount), self.value(prop, SH.qualifiedMaxCount)
            pc.qualified = (self.conforms(qualified[0], "?v"), int(low) if low is not None else None,
                            int(high) if high is not None else None)
        for parameter, value in self.graph.predicate_objects(prop):
            if parameter == SH.minCount:
                pc.min_count = int(value)
            elif parameter == SH.maxCount:
                pc.max_count = int(value)
            elif parameter == SH.uniqueLang:
                pc.unique_lang = bool(value.toPython())
            elif parameter == SH.hasValue:
                pc.has_values.append(term(value))
            elif parameter in VALUE_PARAMETERS and parameter != SH.flags:
                condition = self.condition(parameter, value, "?v", prop)
                classes = self.classes(parameter, value)
                if classes is not None:
                    pc.classes[len(pc.values)] = classes
                pc.values.append((component(parameter), condition))
        return pc

    def classes(self, parameter: URIRef, value: object) -> frozenset[str] | None:
        """When a value parameter only asks that the value be an instance of one of some classes (``sh:class``;
        ``sh:node`` or ``sh:or`` of shapes that ask only ``sh:class``), those classes with their subclasses."""
        if parameter == SH["class"]:
            return frozenset(self.closure(value))
        if parameter == SH.node:
            return self._only_class(value)
        if parameter == SH["or"]:
            parts = [self._only_class(shape) for shape in self.items(value)]
            if parts and all(part is not None for part in parts):
                return frozenset().union(*parts)
        return None

    def _only_class(self, shape: object) -> frozenset[str] | None:
        asked = [(p, o) for p, o in self.graph.predicate_objects(shape)
                 if str(p).startswith(str(SH)) and p not in _ANNOTATIONS]
        if len(asked) == 1 and asked[0][0] == SH["class"]:
            return frozenset(self.closure(asked[0][1]))
        return None

    def check_parameters(self, shape: object, *, nested: bool = False) -> None:
        """:raises Unsupported: if ``shape`` uses an sh: parameter outside what is translated."""
        for parameter in sorted(set(self.graph.predicates(shape, None))):
            if not str(parameter).startswith(str(SH)) or parameter in FRAME or parameter in VALUE_PARAMETERS:
                continue
            if parameter == SH.qualifiedValueShapesDisjoint and self.value(shape, parameter).toPython():
                raise Unsupported("sh:qualifiedValueShapesDisjoint true")
            if parameter not in SET_PARAMETERS:
                raise Unsupported(f"sh:{short(parameter)}")
        if nested and self.value(shape, SH.deactivated) is not None:
            raise Unsupported("sh:deactivated on a nested shape")


@dataclass
class PropertyConstraints:
    """The constraints of one property shape, checked together on the values of its path."""

    shape: object
    path: str
    message: str | None
    severity: str
    min_count: int = 0
    max_count: int | None = None
    unique_lang: bool = False
    has_values: list[str] = field(default_factory=list)
    values: list[tuple[str, str]] = field(default_factory=list)  # (component, condition on ?v)
    #: index in :attr:`values` -> the classes that condition asks the value to be an instance of (one of)
    classes: dict[int, frozenset[str]] = field(default_factory=dict)
    qualified: tuple[str, int | None, int | None] | None = None  # (condition on ?v, min, max)


def load_shapes(path: Path) -> Graph:
    """The shapes of ``path``, parsed once per version of the file (a write checks its change in milliseconds,
    parsing the shapes costs a few hundred): the same graph until the file changes, so do not change it.

    :raises SourceError: if the shapes file is missing or malformed.
    """
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise SourceError(path, "shapes file not found") from None
    return _parsed(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _parsed(path: Path, _mtime_ns: int, _size: int) -> Graph:
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except FileNotFoundError:
        raise SourceError(path, "shapes file not found") from None
    except Exception as error:  # rdflib raises several unrelated types for syntax errors
        raise SourceError(path, f"cannot read SHACL shapes: {error}") from None
    return graph
