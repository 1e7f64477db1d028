"""Write the journaled changes into the curated source files (``ecosystem-graph changes squash``), so that the
files, reviewed with ``git diff``, say what the API accepted, and the journal holds only what they cannot say.

Entries are taken oldest first. An RDF Patch entry's additions are appended to the Turtle (or N-Triples) file of the
graph they touch, as one block that names the entry, in the file's own prefixes; everything above that block stays
byte for byte. A removal takes out only the words that state the triple (one term of an object list, a ``p o ;``
line of a subject's list, or a whole ``s p o .`` line), and only when the file, parsed again, holds exactly the
triples it held less that one; otherwise the entry is kept, with a message naming the file and the triple: the file
is never re-serialised, since that would drop its comments and layout. Kept as well, and reported: SPARQL Update
entries (``.ru``: their change is not stated), writes to graphs that no source file loads (the API's own graphs: a
new document would need its ontology header and catalog entry, a curator's decision), triples with blank nodes, and
files in other formats. An entry after a kept one that touches one of its graphs (any graph, after a ``.ru``) is
kept too, so that ``load`` (the files, then the journal replayed) gives the same store as before the squash.

Crash safety is a redo log: the new file contents go to temporary files beside their targets (flushed), then a
manifest (``changes/squashed/.squash-pending.json``) naming them and the entries is written atomically; only then
are the files renamed into place and the entries moved to ``changes/squashed/``, and the manifest removed. A squash
interrupted after the manifest is finished by the next one (each step is a rename: done once); one interrupted
before it left only temporary files, which are removed, and nothing was applied.
"""

from __future__ import annotations

import difflib
import json
import logging
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..config import Settings
from ..errors import SourceError
from ..sources.files import SourceFile, discover
from ..store.embedded import MemoryStore
from ..vocab import inferred_graph_iri
from .journal import Entry, Journal, patch_steps

log = logging.getLogger(__name__)

MANIFEST = ".squash-pending.json"
#: the formats a block of triples can be appended to without touching what is above it
APPENDABLE = frozenset({"text/turtle", "application/n-triples"})
_PARSED = "urn:x-ecosystem-graph:squash:parsed"
_PREFIX = re.compile(r"^\s*(?:@prefix\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>\s*\.|PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>)",
                     re.IGNORECASE | re.MULTILINE)
_LOCAL = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


@dataclass(frozen=True)
class Text:
    """A source file as the squash will leave it: its text and the triples that text parses to."""

    source: SourceFile
    original: str
    text: str
    triples: frozenset[str]
    blank: int  # triples with a blank node: compared by count, their labels change with every parse


@dataclass
class Outcome:
    """What the squash does with one entry."""

    entry: Entry
    squashed: bool = False
    #: project-relative file -> (triples added, triples removed)
    files: dict[str, tuple[int, int]] = field(default_factory=dict)
    reason: str = ""

    def line(self) -> str:
        if not self.squashed:
            return f"{self.entry.path.name}: kept, {self.reason}"
        if not self.files:
            return f"{self.entry.path.name}: squashed, already in the files"
        touched = ", ".join(f"{name} (+{a} -{r})" for name, (a, r) in self.files.items())
        return f"{self.entry.path.name}: squashed into {touched}"


@dataclass
class Plan:
    """Every entry's outcome and the new text of each file that changes."""

    outcomes: list[Outcome]
    texts: dict[Path, Text]
    project_dir: Path

    @property
    def changed(self) -> list[Text]:
        return [t for t in self.texts.values() if t.text != t.original]

    def diff(self) -> str:
        """A unified diff per changed file, as ``git diff`` would show it."""
        chunks: list[str] = []
        for t in self.changed:
            name = t.source.relative.as_posix()
            chunks += difflib.unified_diff(t.original.splitlines(keepends=True), t.text.splitlines(keepends=True),
                                           f"a/{name}", f"b/{name}")
        return "".join(chunks)


class _Kept(Exception):
    """One entry cannot be squashed; the message says why."""


def plan(settings: Settings, journal: Journal) -> Plan:
    """What a squash would write, nothing written.

    :raises SourceError: a journal entry or a source file cannot be read or does not parse.
    """
    manifest = journal.squashed_folder / MANIFEST
    if manifest.exists():  # its temporary files are not stale: planning would remove them
        raise SourceError(manifest, "an interrupted squash is pending; run `changes squash` (no --dry-run) to "
                                    "finish it")
    sources = {f.graph: f for f in discover(settings.source_paths, project_dir=settings.project_dir,
                                            base_iri=settings.base_iri)}
    texts: dict[Path, Text] = {}
    outcomes: list[Outcome] = []
    blocked: set[str] = set()
    all_blocked = ""
    for entry in journal.entries():
        outcome = Outcome(entry)
        outcomes.append(outcome)
        if entry.kind == "update":
            outcome.reason = "a SPARQL update's text, not its change: it stays in the journal, replayed by load"
            all_blocked = all_blocked or entry.path.name
            continue
        steps = _steps(entry)
        graphs = {graph for _kind, graph, _triples in steps}
        if all_blocked:
            outcome.reason = f"it follows {all_blocked}, which stays in the journal and may touch any graph"
            continue
        if graphs & blocked:
            blocked |= graphs
            outcome.reason = f"it touches <{sorted(graphs & blocked)[0]}> after an entry that stays in the journal"
            continue
        trial = dict(texts)
        try:
            for kind, graph, triples in steps:
                source = sources.get(graph)
                if source is None:
                    raise _Kept(f"no source file loads <{graph}> (a graph the API made): write it into a file by "
                                "hand, or leave it in the journal")
                if source.media_type not in APPENDABLE:
                    raise _Kept(f"{source.relative} is {source.media_type}: only Turtle and N-Triples files are "
                                "edited")
                current = trial.get(source.path) or _read(source, settings.base_iri)
                wanted, blank = _normalise(triples, entry.path, settings.base_iri)
                if blank:
                    raise _Kept("it has blank nodes, which a file cannot name across documents")
                trial[source.path], added, removed = (_add(current, wanted, entry, settings.base_iri) if kind == "A"
                                                      else _remove(current, wanted, settings.base_iri))
                name = source.relative.as_posix()
                a, r = outcome.files.get(name, (0, 0))
                if added or removed or name in outcome.files:
                    outcome.files[name] = (a + added, r + removed)
        except _Kept as kept:
            outcome.files.clear()
            outcome.reason = str(kept)
            blocked |= graphs
            continue
        texts = trial
        outcome.squashed = True
    return Plan(outcomes, texts, settings.project_dir)


def squash(settings: Settings, *, dry_run: bool = False) -> Plan:
    """Plan, then (unless ``dry_run``) write the files and retire the squashed entries, crash-safely."""
    journal = Journal(settings.changes_dir)
    if not dry_run:
        finish(journal)  # an interrupted squash first: its entries must not be applied twice
    found = plan(settings, journal)
    if not dry_run:
        prepare(found, journal)
        finish(journal)
    return found


def prepare(found: Plan, journal: Journal) -> Path | None:
    """Step one: the new texts beside their files, then the manifest that makes them count. Nothing when nothing
    is squashed."""
    entries = [o.entry.path.name for o in found.outcomes if o.squashed]
    if not entries:
        return None
    moves = []
    for t in found.changed:
        temporary = t.source.path.with_name(f".{t.source.path.name}.squash")
        _write_synced(temporary, t.text)
        moves.append([str(temporary), str(t.source.path)])
    journal.squashed_folder.mkdir(parents=True, exist_ok=True)
    manifest = journal.squashed_folder / MANIFEST
    partial = manifest.with_name(MANIFEST + ".partial")
    _write_synced(partial, json.dumps({"files": moves, "entries": entries}, indent=1) + "\n")
    os.replace(partial, manifest)
    _sync_folder(manifest.parent)
    return manifest


def finish(journal: Journal) -> bool:
    """Step two, and the recovery of an interrupted squash: install the files, retire the entries, drop the
    manifest. Every step is a rename that is skipped once done. Whether there was anything to finish."""
    manifest = journal.squashed_folder / MANIFEST
    if not manifest.is_file():
        return False
    try:
        pending = json.loads(manifest.read_text(encoding="utf-8"))
        moves = [(Path(a), Path(b)) for a, b in pending["files"]]
        names = [str(n) for n in pending["entries"]]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise SourceError(manifest, f"unreadable squash manifest ({error}); finish or undo it by hand") from None
    log.info("finishing a squash of %d entries", len(names))
    for temporary, target in moves:
        if temporary.exists():
            os.replace(temporary, target)
            _sync_folder(target.parent)
    for name in names:
        if (journal.folder / name).exists():
            os.replace(journal.folder / name, journal.squashed_folder / name)
    _sync_folder(journal.folder)
    _sync_folder(journal.squashed_folder)
    manifest.unlink()
    _sync_folder(journal.squashed_folder)
    return True


def _steps(entry: Entry) -> list[tuple[str, str, bytes]]:
    try:
        return patch_steps(entry)
    except (OSError, UnicodeDecodeError) as error:
        raise SourceError(entry.path, f"journal entry cannot be read: {error}") from None


def _read(source: SourceFile, base_iri: str) -> Text:
    """:raises SourceError: the file cannot be read or does not parse."""
    stale = source.path.with_name(f".{source.path.name}.squash")
    stale.unlink(missing_ok=True)  # left by a squash interrupted before its manifest: it never counted
    try:
        text = source.path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SourceError(source.path, f"cannot be read: {error}") from None
    triples, blank = _parse(text.encode(), source.media_type, base_iri, source.path)
    return Text(source, text, text, triples, blank)


def _parse(data: bytes, media_type: str, base_iri: str, path: Path | None) -> tuple[frozenset[str], int]:
    """The triples of a document as canonical N-Triples lines (our store's writer), and how many have a blank node.

    :raises SourceError: it does not parse (named after ``path``).
    """
    store = MemoryStore(base_iri, inferred_graph_iri(base_iri))
    with store.new_generation() as generation:
        try:
            generation.load(data, media_type, graph=_PARSED, base_iri=base_iri)
        except SourceError as error:
            if path is None:
                raise
            raise SourceError(path, error.message, line=error.line, column=error.column) from None
        lines = generation.export("application/n-triples", graphs=[_PARSED]).decode("utf-8").splitlines()
    named = frozenset(line.strip() for line in lines if line.strip() and "_:" not in line)
    return named, sum(1 for line in lines if "_:" in line)


def _normalise(triples: bytes, entry_path: Path, base_iri: str) -> tuple[list[str], bool]:
    """Journal triples in the same canonical form as a parsed file's, and whether any has a blank node."""
    named, blank = _parse(triples, "application/n-triples", base_iri, entry_path)
    return sorted(named), blank > 0


def _add(current: Text, wanted: list[str], entry: Entry, base_iri: str) -> tuple[Text, int, int]:
    """Append the triples the file does not hold yet, as a block naming the entry."""
    new = [t for t in wanted if t not in current.triples]
    if not new:
        return current, 0, 0
    expected = current.triples | set(new)
    head = current.text if current.text.endswith("\n") or not current.text else current.text + "\n"
    plain = "".join(t + "\n" for t in new)
    if current.source.media_type == "text/turtle":
        note = f"\n# squashed from changes/{entry.path.name}{_write_id(entry)}\n"
        blocks = [note + _turtle(new, _prefixes(current.text)), note + plain]
    else:
        blocks = [plain]
    for block in blocks:
        if _same(head + block, current, expected, base_iri):
            return replace(current, text=head + block, triples=frozenset(expected)), len(new), 0
    raise _Kept(f"{current.source.relative}: the appended triples do not read back as written")


def _remove(current: Text, wanted: list[str], base_iri: str) -> tuple[Text, int, int]:
    """Delete, for each triple the file holds, the one line that states it, checked by parsing the result."""
    removed = 0
    for triple in wanted:
        if triple not in current.triples:
            continue  # the files no longer say it: nothing to remove (load reports the same)
        expected = current.triples - {triple}
        edited = next((text for text in _line_edits(current.text, triple)
                       if _same(text, current, expected, base_iri)), None)
        if edited is None:
            raise _Kept(f"{current.source.relative}: cannot remove {triple} without rewriting the file (it is not "
                        "stated on a line of its own); delete it by hand, then squash again")
        current = replace(current, text=edited, triples=frozenset(expected))
        removed += 1
    return current, 0, removed


def _line_edits(text: str, triple: str) -> list[str]:
    """Candidate texts without the words that may state ``triple``: the object taken out of a line's object list
    (``, o`` or ``o ,``), the line dropped, or, when it ends its statement, dropped with the ``;`` before it
    turned into the ``.``."""
    lines = text.splitlines(keepends=True)
    needle = _needle(triple)
    found = []
    for i, line in enumerate(lines):
        if needle not in line:
            continue
        found += ["".join([*lines[:i], edited, *lines[i + 1:]]) for edited in _list_edits(line, needle)]
        found.append("".join(lines[:i] + lines[i + 1:]))
        if line.split("#")[0].rstrip().endswith(".") and i > 0:
            previous = next((j for j in range(i - 1, -1, -1) if lines[j].strip()), None)
            if previous is not None and lines[previous].rstrip().endswith(";"):
                before = lines[previous].rstrip()
                ending = lines[previous][len(before):]
                closed = before[:-1].rstrip() + " ." + ending
                found.append("".join([*lines[:previous], closed, *lines[previous + 1:i], *lines[i + 1:]]))
    return found


def _list_edits(line: str, needle: str) -> list[str]:
    """The line without one term of an object list that contains ``needle``, with its comma."""
    edits = []
    for match in re.finditer(re.escape(needle), line):
        start, end = match.start(), match.end()
        while start > 0 and not line[start - 1].isspace() and line[start - 1] != ",":
            start -= 1
        while end < len(line) and not line[end].isspace() and line[end] not in ",;":
            end += 1
        before = re.search(r",\s*$", line[:start])
        after = re.match(r"\s*,\s*", line[end:])
        if before:
            edits.append(line[:before.start()] + line[end:])
        if after:
            edits.append(line[:start] + line[end + after.end():])
    return edits


def _needle(triple: str) -> str:
    """A piece of the object that any spelling of it in Turtle contains."""
    obj = _split(triple)[2]
    if obj.startswith('"'):
        lexical = obj[1:obj.rindex('"')]
        return lexical if "\\" not in lexical else ""
    return re.split(r"[/#:]", obj.strip("<>"))[-1]


def _same(text: str, current: Text, expected: set[str] | frozenset[str], base_iri: str) -> bool:
    try:
        triples, blank = _parse(text.encode(), current.source.media_type, base_iri, None)
    except SourceError:
        return False
    return triples == expected and blank == current.blank


def _prefixes(text: str) -> dict[str, str]:
    """namespace -> prefix, as the file declares them."""
    found: dict[str, str] = {}
    for match in _PREFIX.finditer(text):
        prefix = match.group(1) if match.group(2) is not None else match.group(3)
        namespace = match.group(2) if match.group(2) is not None else match.group(4)
        found.setdefault(namespace, prefix or "")
    return found


def _turtle(triples: list[str], prefixes: dict[str, str]) -> str:
    """Readable Turtle: one statement per subject, a line per predicate, the file's prefixes where they fit."""
    by_subject: dict[str, list[tuple[str, str]]] = {}
    for triple in triples:
        subject, predicate, obj = _split(triple)
        by_subject.setdefault(subject, []).append((predicate, obj))
    out = []
    for subject, pairs in by_subject.items():
        body = " ;\n".join(f"    {'a' if p == _RDF_TYPE else _short(p, prefixes)} {_object(o, prefixes)}"
                           for p, o in pairs)
        out.append(f"{_short(subject, prefixes)}\n{body} .\n")
    return "".join(out)


def _split(triple: str) -> tuple[str, str, str]:
    subject, rest = triple.split(" ", 1)
    predicate, obj = rest.split(" ", 1)
    return subject, predicate, obj.rstrip().removesuffix(".").rstrip()


def _short(term: str, prefixes: dict[str, str]) -> str:
    if not term.startswith("<"):
        return term
    iri = term[1:-1]
    best = max((ns for ns in prefixes if iri.startswith(ns) and _LOCAL.match(iri[len(ns):])), key=len, default=None)
    return term if best is None else f"{prefixes[best]}:{iri[len(best):]}"


def _object(term: str, prefixes: dict[str, str]) -> str:
    if term.startswith('"') and "^^<" in term[term.rindex('"'):]:
        lexical, _, datatype = term.rpartition("^^")
        return f"{lexical}^^{_short(datatype, prefixes)}"
    return _short(term, prefixes)


def _write_id(entry: Entry) -> str:
    match = re.search(r"^H id <uuid:([^>]+)>", entry.path.read_text(encoding="utf-8"), re.MULTILINE)
    return f" (write {match.group(1)})" if match else ""


def _write_synced(path: Path, text: str) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
