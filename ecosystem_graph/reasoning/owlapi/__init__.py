"""OWL 2 DL profile check with the OWL API, the library inside Protégé.

:func:`check_profile` runs ``OwlCheck.java`` (Java 11+ source launcher, no compile step) on the Debian
``libowlapi-java`` jars. The program resolves ``owl:imports`` only through the XML catalog, with every
http(s) fetch disabled, and reports parse problems, undeclared entities and ``OWL2DLProfile`` violations
as JSON lines, which come back as a :class:`ProfileReport`.
"""

from __future__ import annotations

import logging
import os
import subprocess
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from ecosystem_graph.errors import EcosystemGraphError, SourceError
from ecosystem_graph.reasoning.owlapi.catalog import ontology_iris
from ecosystem_graph.reasoning.owlapi.classpath import DEFAULT_JAVA_DIRS, JavaUnavailable, find_java, owlapi_classpath
from ecosystem_graph.reasoning.owlapi.report import PROBLEM_KINDS, Finding, ProfileReport, build_report, parse_events

__all__ = [
    "OWLCHECK_SOURCE",
    "PROBLEM_KINDS",
    "Finding",
    "JavaUnavailable",
    "OntologyLoadError",
    "OwlCheckTimeout",
    "ProfileReport",
    "check_profile",
    "owlapi_classpath",
]

log = logging.getLogger(__name__)

OWLCHECK_SOURCE = Path(__file__).with_name("OwlCheck.java")


class OntologyLoadError(SourceError):
    """The OWL API could not load the ontology, an import or a data file (parse error, import not in
    the catalog, ...). ``report`` holds everything the program reported before it stopped."""

    def __init__(self, path: Path | str, message: str, report: ProfileReport):
        self.report = report
        super().__init__(path, message)


class OwlCheckTimeout(EcosystemGraphError, TimeoutError):
    """The OWL API check ran longer than its timeout and was stopped."""


def check_profile(
    ontology_file: str | os.PathLike[str],
    catalog: str | os.PathLike[str],
    *,
    data_files: Iterable[str | os.PathLike[str]] = (),
    timeout: float = 120,
    strict: bool = False,
    java: str | os.PathLike[str] | None = None,
    java_dirs: Sequence[Path] = DEFAULT_JAVA_DIRS,
    jvm_options: Sequence[str] = ("-Xmx1g",),
) -> ProfileReport:
    """Load ``ontology_file`` with the OWL API, its imports resolved offline through ``catalog`` only,
    plus each of ``data_files`` (parsed as an ontology importing it, so that the data is read with the
    ontology's declarations), and check the whole against the OWL 2 DL profile.

    The report's ``problems`` list profile violations (with the offending axiom and file), undeclared
    entities, triples the parser could not turn into axioms and other parser errors; ``report.ok`` is
    true when there are none.

    :param strict: load in the OWL API's strict mode (no guessing of undeclared entity types). OWL API 5.1.20's
        strict Turtle parser rejects every ontology with imports ("Expected one ontology declaration, found
        multiple ones"), so it only suits single files.
    :param timeout: seconds before the Java process is killed.
    :raises FileNotFoundError: when the ontology, the catalog or a data file does not exist.
    :raises OntologyLoadError: when the OWL API cannot load a file or resolve an import through the
        catalog (the import IRI, the file and the catalog are named in the message).
    :raises OwlCheckTimeout: after ``timeout`` seconds.
    :raises JavaUnavailable: when Java or one of the OWL API jars is not installed.
    """
    ontology = Path(ontology_file).resolve()
    catalog_path = Path(catalog).resolve()
    data = tuple(Path(d).resolve() for d in data_files)
    for path in (ontology, catalog_path, *data):
        if not path.is_file():
            raise FileNotFoundError(f"no such file: {path}")
    command = [
        find_java(java),
        *jvm_options,
        "-cp",
        os.pathsep.join(str(jar) for jar in owlapi_classpath(java_dirs)),
        str(OWLCHECK_SOURCE),
        "--catalog",
        str(catalog_path),
        "--ontology",
        str(ontology),
    ]
    for path in data:
        # A data file with its own owl:Ontology header is an ontology document: loaded as Protégé loads it, with
        # its own imports; a file without one is parsed into an ontology importing the root (its declarations).
        command += ["--document" if ontology_iris(path) else "--data", str(path)]
    if strict:
        command.append("--strict")
    log.info("OWL API profile check of %s with %d data file(s)", ontology, len(data))
    log.debug("running %s", command)
    started = time.monotonic()
    try:
        done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise OwlCheckTimeout(f"OWL API check of {ontology} took more than {timeout:g} s and was stopped") from exc
    seconds = time.monotonic() - started
    events, stray = parse_events(done.stdout)
    stray += [line for line in done.stderr.splitlines() if line.strip()]
    report = build_report(
        events,
        ontology_file=ontology,
        catalog=catalog_path,
        data_files=data,
        exit_code=done.returncode,
        seconds=seconds,
        log=stray,
    )
    log.info("OWL API check finished in %.1f s: exit %d, %d problem(s)", seconds, done.returncode, len(report.problems))
    if report.fatal:
        first = report.fatal[0]
        message = "; ".join(f.message for f in report.fatal)
        raise OntologyLoadError(first.file or ontology, message, report)
    if done.returncode not in (0, 1) or not any(e.kind == "summary" for e in events):
        tail = "\n".join(stray[-20:])
        raise OntologyLoadError(ontology, f"OwlCheck.java failed with exit code {done.returncode}:\n{tail}", report)
    return report
