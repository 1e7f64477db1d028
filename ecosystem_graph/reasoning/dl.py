"""DL reasoning for ontology editors: HermiT (bundled with owlready2) over ontology + data.

:func:`check_dl` reports what Protégé's reasoner would show: whether ontology and data are consistent,
which classes are unsatisfiable (with the asserted axioms that make them so), and the class hierarchy
HermiT infers beyond the asserted one. The explanations come from :mod:`ecosystem_graph.dl_explain`,
which reads the asserted axioms only.

Only this module and ``reasoning.py`` import owlready2.
"""

from __future__ import annotations

import io
import logging
import os
import subprocess
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import owlready2
import rdflib
from owlready2 import OwlReadyInconsistentOntologyError, OwlReadyJavaError
from rdflib import OWL, RDF, RDFS, XSD, Literal, URIRef
from rdflib.util import guess_format

from ecosystem_graph.errors import EcosystemGraphError, SourceError
from ecosystem_graph.reasoning.explain import Axioms, Explanation, explain_inconsistency, explain_unsatisfiable

__all__ = ["DLReport", "Explanation", "ReasonerTimeout", "ReasonerUnavailable", "check_dl"]

log = logging.getLogger(__name__)

#: The OWL 2 datatype map (OWL 2 Structural Specification, section 4); HermiT supports these and only these.
OWL2_DATATYPES: frozenset[URIRef] = frozenset(
    [RDF.PlainLiteral, RDF.XMLLiteral, RDF.langString, RDFS.Literal, OWL.real, OWL.rational]
    + [
        XSD[name]
        for name in (
            "decimal integer nonNegativeInteger nonPositiveInteger positiveInteger negativeInteger long int short "
            "byte unsignedLong unsignedInt unsignedShort unsignedByte double float string normalizedString token "
            "language Name NCName NMTOKEN boolean hexBinary base64Binary anyURI dateTime dateTimeStamp"
        ).split()
    ]
)
_INFERENCES_IRI = "http://inferrences/"  # owlready2's ontology for the inferred triples (its spelling)
_OWL_THING = str(OWL.Thing)
_reasoner_lock = threading.Lock()  # owlready2 keeps JAVA_MEMORY and subprocess options in module globals


class ReasonerUnavailable(EcosystemGraphError):
    """HermiT could not run: no Java, or Java failed for another reason than an inconsistency."""


class ReasonerTimeout(EcosystemGraphError, TimeoutError):
    """HermiT ran longer than the timeout and was stopped."""


@dataclass(frozen=True)
class DLReport:
    """HermiT's verdict on ontology + data.

    ``unsatisfiable`` explains each class that cannot have instances; ``inferred_superclasses`` maps a class
    to the direct superclasses HermiT inferred that were not asserted (``inferred_equivalents`` likewise);
    ``ignored_datatypes`` lists datatypes outside the OWL 2 datatype map that HermiT was told to ignore.
    When ``consistent`` is false there is no hierarchy, and ``inconsistency`` lists the asserted facts that
    clash (individuals told to be in disjoint classes), when such a clash is found.
    """

    consistent: bool
    unsatisfiable: tuple[Explanation, ...]
    inferred_superclasses: Mapping[str, tuple[str, ...]]
    inferred_equivalents: Mapping[str, tuple[str, ...]]
    inferred_type_count: int
    inconsistency: tuple[Explanation, ...]
    ignored_datatypes: tuple[str, ...]
    triple_count: int
    seconds: float

    @property
    def ok(self) -> bool:
        """Consistent, and every class satisfiable."""
        return self.consistent and not self.unsatisfiable

    def format(self) -> str:
        """A text report for people."""
        lines: list[str] = []
        if not self.consistent:
            lines.append(f"INCONSISTENT: HermiT finds ontology + data inconsistent ({self.triple_count} triples).")
            if self.inconsistency:
                lines += [f"  - {e.text}" for e in self.inconsistency]
            else:
                lines.append(
                    "  No told clash found; check functional properties, cardinalities and sameAs/differentFrom."
                )
        else:
            verdict = "consistent" if not self.unsatisfiable else f"{len(self.unsatisfiable)} unsatisfiable class(es)"
            lines.append(f"HermiT: {verdict} ({self.triple_count} triples, {self.seconds:.1f} s).")
            for e in self.unsatisfiable:
                lines.append(f"  - {e.text}")
                lines += [f"      {a}" for a in e.axioms]
            if self.inferred_superclasses:
                lines.append("Inferred superclasses (not asserted):")
                for cls, supers in sorted(self.inferred_superclasses.items()):
                    lines.append(f"  {cls} ⊑ {', '.join(supers)}")
        if self.ignored_datatypes:
            lines.append("Ignored (not in the OWL 2 datatype map): " + ", ".join(self.ignored_datatypes))
        return "\n".join(lines)


def check_dl(
    ontology_files: Iterable[str | os.PathLike[str]],
    data_files: Iterable[str | os.PathLike[str]] = (),
    *,
    timeout: float = 300,
    java_memory_mb: int = 2000,
    ignore_unsupported_datatypes: bool = True,
) -> DLReport:
    """Run HermiT over ``ontology_files`` + ``data_files`` in an isolated owlready2 world.

    Files are read with rdflib (any format it guesses from the suffix, Turtle included) and handed to
    owlready2 as N-Triples; ``owl:imports`` are dropped, so pass every module of the ontology yourself
    (nothing is fetched from the network).

    :param timeout: seconds before the HermiT process is killed.
    :param java_memory_mb: maximum heap of HermiT's JVM.
    :param ignore_unsupported_datatypes: let HermiT ignore literals whose datatype is outside the OWL 2
        datatype map (such as ``xsd:date``) instead of failing; they are listed in the report.
    :raises FileNotFoundError: when a file does not exist.
    :raises SourceError: when rdflib cannot parse a file.
    :raises ReasonerTimeout: after ``timeout`` seconds.
    :raises ReasonerUnavailable: when Java is missing or HermiT fails (for example on an unsupported datatype
        with ``ignore_unsupported_datatypes=False``).
    """
    paths = [Path(p) for p in (*ontology_files, *data_files)]
    graph = _read(paths)
    axioms = Axioms(graph)
    ignored = sorted(str(dt) for dt in _datatypes(graph) if dt not in OWL2_DATATYPES)
    if ignored:
        log.warning("datatypes outside the OWL 2 datatype map: %s", ", ".join(ignored))
    world = owlready2.World()
    try:
        ontology = world.get_ontology("urn:x-ecosystem-graph:dl-check")
        ontology.load(fileobj=io.BytesIO(graph.serialize(format="nt", encoding="utf-8")), format="ntriples")
        started = time.monotonic()
        try:
            _run_hermit(world, timeout, java_memory_mb, ignore_unsupported_datatypes)
        except OwlReadyInconsistentOntologyError:
            seconds = time.monotonic() - started
            log.info("HermiT: inconsistent (%.1f s)", seconds)
            return DLReport(
                False,
                (),
                MappingProxyType({}),
                MappingProxyType({}),
                0,
                tuple(explain_inconsistency(axioms)),
                tuple(ignored),
                len(graph),
                seconds,
            )
        seconds = time.monotonic() - started
        unsatisfiable = sorted(str(c.iri) for c in world.inconsistent_classes() if c is not owlready2.Nothing)
        supers, equivalents, types = _inferred(world)
    finally:
        world.close()
    log.info("HermiT: consistent, %d unsatisfiable class(es), %.1f s", len(unsatisfiable), seconds)
    return DLReport(
        consistent=True,
        unsatisfiable=tuple(explain_unsatisfiable(axioms, unsatisfiable)),
        inferred_superclasses=MappingProxyType(supers),
        inferred_equivalents=MappingProxyType(equivalents),
        inferred_type_count=types,
        inconsistency=(),
        ignored_datatypes=tuple(ignored),
        triple_count=len(graph),
        seconds=seconds,
    )


def _read(paths: list[Path]) -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in paths:
        if not path.is_file():
            raise FileNotFoundError(f"no such file: {path}")
        part = rdflib.Graph()
        try:
            part.parse(path, format=guess_format(str(path)) or "turtle")
        except Exception as exc:  # rdflib raises many unrelated types for syntax errors
            raise _syntax_error(path, exc) from None
        for prefix, namespace in part.namespaces():
            graph.bind(prefix, namespace, override=False)
        graph += part
    # Imports would make owlready2 go to the network; the headers of several files would fight over the
    # ontology's IRI. Neither carries logical axioms.
    for header in set(graph.subjects(RDF.type, OWL.Ontology)):
        graph.remove((header, None, None))
    return graph


def _datatypes(graph: rdflib.Graph) -> set[URIRef]:
    """Datatypes in logical positions (values of data properties, data ranges); annotations do not count."""
    data_properties = set(graph.subjects(RDF.type, OWL.DatatypeProperty))
    found = {
        o.datatype
        for p in data_properties
        for o in graph.objects(None, p)
        if isinstance(o, Literal) and o.datatype is not None
    }
    found |= {o for p in data_properties for o in graph.objects(p, RDFS.range) if isinstance(o, URIRef)}
    for predicate in (OWL.onDatatype, OWL.someValuesFrom, OWL.allValuesFrom, OWL.onDataRange):
        found |= {o for o in graph.objects(None, predicate) if isinstance(o, URIRef) and o.startswith(str(XSD))}
    found |= {o.datatype for o in graph.objects(None, OWL.hasValue) if isinstance(o, Literal) and o.datatype}
    return found


def _run_hermit(world: owlready2.World, timeout: float, memory_mb: int, ignore_unsupported: bool) -> None:
    reasoning = owlready2.reasoning
    with _reasoner_lock:
        saved_memory, saved_kargs = reasoning.JAVA_MEMORY, dict(reasoning._subprocess_kargs)
        reasoning.JAVA_MEMORY = memory_mb
        # owlready2 runs java with subprocess.check_output(**_subprocess_kargs): a timeout there kills the JVM.
        reasoning._subprocess_kargs["timeout"] = timeout
        try:
            owlready2.sync_reasoner_hermit(
                world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=ignore_unsupported
            )
        except subprocess.TimeoutExpired as exc:
            raise ReasonerTimeout(f"HermiT took more than {timeout:g} s and was stopped") from exc
        except FileNotFoundError as exc:
            raise ReasonerUnavailable(f"cannot start Java for HermiT: {exc}") from exc
        except OwlReadyJavaError as exc:
            raise ReasonerUnavailable(f"HermiT failed: {str(exc).strip()[:2000]}") from exc
        finally:
            reasoning.JAVA_MEMORY = saved_memory
            reasoning._subprocess_kargs.clear()
            reasoning._subprocess_kargs.update(saved_kargs)


def _inferred(world: owlready2.World) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]], int]:
    """The triples owlready2 added for HermiT's results: only facts that were not asserted."""
    inferences = world.get_ontology(_INFERENCES_IRI)
    supers: dict[str, list[str]] = {}
    equivalents: dict[str, list[str]] = {}
    types = 0
    for s, p, o in inferences.get_triples():
        if not isinstance(o, int) or o < 0 or s < 0:
            continue
        subject, predicate, obj = world._unabbreviate(s), world._unabbreviate(p), world._unabbreviate(o)
        if obj == _OWL_THING:
            continue
        if predicate == str(RDFS.subClassOf):
            supers.setdefault(subject, []).append(obj)
        elif predicate == str(OWL.equivalentClass):
            equivalents.setdefault(subject, []).append(obj)
        elif predicate == str(RDF.type) and obj != str(OWL.Ontology):
            types += 1
    return (
        {k: tuple(sorted(v)) for k, v in sorted(supers.items())},
        {k: tuple(sorted(v)) for k, v in sorted(equivalents.items())},
        types,
    )


def _syntax_error(path: Path, error: Exception) -> SourceError:
    """rdflib's Turtle errors quote the whole document as escaped bytes (Cyrillic as ``\\xd0...``): name the
    file, line and column and the cause instead, as the loader does."""
    why, text, at = getattr(error, "_why", None), getattr(error, "_str", None), getattr(error, "_i", None)
    if not isinstance(why, str) or not isinstance(text, bytes | str) or not isinstance(at, int):
        return SourceError(path, f"cannot parse: {error}")
    data = text.encode() if isinstance(text, str) else text
    line_start = data.rfind(b"\n", 0, at) + 1
    column = len(data[line_start:at].decode("utf-8", errors="replace")) + 1
    return SourceError(path, why, line=data.count(b"\n", 0, at) + 1, column=column)
