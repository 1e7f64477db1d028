"""The machine-readable output of ``OwlCheck.java`` (one JSON object per line) as a typed report."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

#: Event kinds that make the check fail.
PROBLEM_KINDS: frozenset[str] = frozenset(
    {
        "profile_violation",  # OWL2DLProfile: the axiom is outside OWL 2 DL
        "undeclared_entity",  # used without a Declaration axiom anywhere in the imports closure or the data
        "guessed_declaration",  # the RDF parser had to guess what kind of entity an IRI is
        "unparsed_triple",  # a triple no OWL axiom was made of
        "malformed_construct",  # a restriction or list the parser could not recognise
        "parser_error",
        "parser_warning",
        "catalog_missing_file",  # a catalog entry points to a file that does not exist
    }
)
#: Event kinds that mean nothing could be checked (exit code 2).
FATAL_KIND = "fatal"


@dataclass(frozen=True)
class Finding:
    """One event of the check: ``kind`` (see :data:`PROBLEM_KINDS`), a readable ``message``, the ``file``
    it comes from when known, and the other fields of the event (``axiom``, ``violation``, ``entity``, ...)."""

    kind: str
    message: str
    file: str | None = None
    details: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def __str__(self) -> str:
        where = f" [{self.file}]" if self.file else ""
        return f"{self.kind}: {self.message}{where}"


@dataclass(frozen=True)
class ProfileReport:
    """What the OWL API found in the ontology, its imports and the data.

    ``problems`` are the findings that fail the check; ``fatal`` the reasons nothing could be checked
    (parse error, unmapped import); ``imports`` maps each ``owl:imports`` IRI to the local document the
    catalog resolved it to; ``in_dl_profile`` is the verdict of ``OWL2DLProfile`` alone.
    """

    ontology_file: Path
    catalog: Path
    data_files: tuple[Path, ...]
    exit_code: int
    problems: tuple[Finding, ...]
    fatal: tuple[Finding, ...]
    imports: Mapping[str, str]
    loaded: tuple[Finding, ...]
    axiom_count: int
    in_dl_profile: bool
    seconds: float
    log: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the ontology (with imports and data) loaded and is clean OWL 2 DL."""
        return self.exit_code == 0 and not self.problems and not self.fatal

    def of_kind(self, kind: str) -> list[Finding]:
        """The problems (or fatal findings, for ``"fatal"``) of one kind."""
        pool = self.fatal if kind == FATAL_KIND else self.problems
        return [f for f in pool if f.kind == kind]

    def format(self) -> str:
        """A text report for people: a verdict line, then one line per problem."""
        if self.fatal:
            head = f"OWL API could not load {self.ontology_file}"
        elif self.ok:
            head = f"OWL 2 DL: no problems in {self.ontology_file} (+{len(self.data_files)} data files, "
            head += f"{self.axiom_count} axioms, {self.seconds:.1f} s)"
        else:
            head = f"OWL 2 DL: {len(self.problems)} problem(s) in {self.ontology_file}"
            head += f" (+{len(self.data_files)} data files)"
        return "\n".join([head, *(f"  - {f}" for f in (*self.fatal, *self.problems))])


def parse_events(stdout: str) -> tuple[list[Finding], list[str]]:
    """Split the program's output into events and stray lines (which are kept as log)."""
    events: list[Finding] = []
    stray: list[str] = []
    for line in stdout.splitlines():
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError:
            stray.append(line)
            continue
        if not isinstance(raw, dict) or "kind" not in raw:
            stray.append(line)
            continue
        details = {k: str(v) for k, v in raw.items() if k not in {"kind", "message", "file"}}
        message = str(raw.get("message", ""))
        events.append(Finding(str(raw["kind"]), message, raw.get("file"), MappingProxyType(details)))
    return events, stray


def build_report(
    events: Iterable[Finding],
    *,
    ontology_file: Path,
    catalog: Path,
    data_files: tuple[Path, ...],
    exit_code: int,
    seconds: float,
    log: Iterable[str] = (),
) -> ProfileReport:
    """Group the events of one run into a :class:`ProfileReport`."""
    events = list(events)
    summary = next((e for e in events if e.kind == "summary"), None)
    problems = tuple(e for e in events if e.kind in PROBLEM_KINDS)
    fatal = tuple(e for e in events if e.kind == FATAL_KIND)
    imports = {e.details["iri"]: e.details["document"] for e in events if e.kind == "import"}
    return ProfileReport(
        ontology_file=ontology_file,
        catalog=catalog,
        data_files=data_files,
        exit_code=exit_code,
        problems=problems,
        fatal=fatal,
        imports=MappingProxyType(imports),
        loaded=tuple(e for e in events if e.kind == "load"),
        axiom_count=int(summary.details.get("axioms", "0")) if summary else 0,
        in_dl_profile=bool(summary and summary.details.get("dl") == "true"),
        seconds=seconds,
        log=tuple([*(e.message for e in events if e.kind == "log"), *log]),
    )
