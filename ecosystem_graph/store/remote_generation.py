"""Publishing a generation on a SPARQL server: upload beside the live graphs, then switch in one update.

A generation is built in a local pyoxigraph store (so validation and reasoning run exactly as on the
embedded backend), uploaded into fresh *staging* graphs the readers never see, and published by ONE
SPARQL Update request that moves every staging graph onto its live name, drops the live graphs the new
generation no longer has, and rewrites the control graph (generation number and id, time, graph list).
The control graph is what readers consult to name their dataset; see ``docs/remote-store.md``.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..errors import EcosystemGraphError
from . import sparql_text
from .remote_http import SparqlHttp

log = logging.getLogger(__name__)

#: bytes of N-Triples per request when a graph without blank nodes is uploaded in parts
UPLOAD_BYTES = 16 << 20
_XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass(frozen=True)
class Names:
    """The IRIs the remote store keeps for itself, below ``{base}store/``."""

    base_iri: str

    @property
    def control(self) -> str:
        return self.base_iri + "store/control"

    @property
    def empty(self) -> str:
        """A graph that never holds anything: the dataset of a query that may see no graph."""
        return self.base_iri + "store/empty"

    def term(self, name: str) -> str:
        return f"<{self.base_iri}store#{name}>"

    def staging(self, token: str, index: int) -> str:
        return f"{self.base_iri}store/staging/{token}/{index}"


@dataclass(frozen=True)
class Live:
    """What the control graph says about the published generation."""

    generation: int = 0
    id: str | None = None
    graphs: tuple[str, ...] = ()
    built_at: float | None = None
    staging: tuple[str, ...] = field(default=(), compare=False)


def read_live(rows: list[dict]) -> Live:
    """The control graph's ``?p ?o`` rows (SPARQL JSON) as a :class:`Live`."""
    values: dict[str, list[str]] = {}
    for row in rows:
        values.setdefault(row["p"]["value"].rsplit("#", 1)[-1], []).append(row["o"]["value"])
    if "generation" not in values:
        return Live(staging=tuple(sorted(values.get("staging", []))))
    built = values.get("builtAt", [None])[0]
    when = dt.datetime.fromisoformat(built.replace("Z", "+00:00")) if built else None
    if when is not None and when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return Live(generation=int(values["generation"][0]), id=values.get("generationId", [None])[0],
                graphs=tuple(sorted(values.get("graph", []))), built_at=when.timestamp() if when else None,
                staging=tuple(sorted(values.get("staging", []))))


def _has_blank_nodes(local: ox.Store, graph: str) -> bool:
    return bool(local.query(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) }} }}"))


def graph_sizes(local: ox.Store) -> dict[str, int]:
    rows = local.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    assert isinstance(rows, ox.QuerySolutions)  # a SELECT
    return {row["g"].value: int(row["n"].value) for row in rows}


def _parts(path: Path, size: int) -> Iterator[bytes]:
    """The lines of an N-Triples file in parts of about ``size`` bytes, cut between lines."""
    with open(path, "rb") as lines:
        part: list[bytes] = []
        length = 0
        for line in lines:
            part.append(line)
            length += len(line)
            if length >= size:
                yield b"".join(part)
                part, length = [], 0
        if part:
            yield b"".join(part)


def upload(http: SparqlHttp, local: ox.Store, staging: dict[str, str], work_dir: Path) -> None:
    """Copy each graph of ``local`` into its staging graph on the server.

    A graph without blank nodes goes in parts of about :data:`UPLOAD_BYTES` (Graph Store POST, or INSERT DATA
    when no graph store URL is set). Graphs with blank nodes go together in ONE ``INSERT {} WHERE {}`` request:
    a blank node label means the same node only within one request (and the inferred graph speaks of the
    data graphs' blank nodes); INSERT DATA would do too, but Virtuoso refuses blank nodes there.
    """
    with_blank_nodes = []
    for index, (graph, target) in enumerate(staging.items()):
        path = work_dir / f"{index}.nt"
        local.dump(str(path), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph))
        if _has_blank_nodes(local, graph):
            with_blank_nodes.append((graph, path))
            continue
        for part in _parts(path, UPLOAD_BYTES):
            if http.graph_store_url:
                http.post_graph(target, part)
            else:
                http.update(f"INSERT DATA {{ GRAPH <{target}> {{\n".encode() + part + b"} }")
        path.unlink()
    if with_blank_nodes:
        request = work_dir / "blank-nodes.ru"
        with open(request, "wb") as out:
            out.write(b"INSERT {\n")
            for graph, path in with_blank_nodes:
                out.write(f"GRAPH <{staging[graph]}> {{\n".encode())
                with open(path, "rb") as triples:
                    shutil.copyfileobj(triples, out)
                out.write(b"}\n")
            out.write(b"} WHERE {}\n")
        http.update(request)
    log.info("uploaded %d graphs (%d with blank nodes)", len(staging), len(with_blank_nodes))


def register_staging(names: Names, staging: list[str]) -> str:
    """Note the staging graphs in the control graph first, so a later load can drop them if this one dies."""
    objects = ", ".join(f"<{g}>" for g in staging)
    return f"INSERT DATA {{ GRAPH <{names.control}> {{ <{names.control}> {names.term('staging')} {objects} }} }}"


def drop_staging(names: Names, staging: list[str]) -> str:
    ops = [f"DROP SILENT GRAPH <{g}>" for g in staging]
    objects = " ".join(f"<{names.control}> {names.term('staging')} <{g}> ." for g in staging)
    ops.append(f"DELETE DATA {{ GRAPH <{names.control}> {{ {objects} }} }}")
    return " ;\n".join(ops)


def switch(names: Names, current: Live, staging: dict[str, str], *, generation_id: str) -> str:
    """The one update that publishes: MOVE each staging graph onto its live name (MOVE replaces the target,
    and fails, changing nothing, if the staging graph is missing), DROP the live graphs that are gone and the
    staging graphs of loads that died, and rewrite the control graph."""
    ops = []
    for graph in sorted(set(current.graphs) | set(staging)):
        ops.append(f"MOVE GRAPH <{staging[graph]}> TO GRAPH <{graph}>" if graph in staging
                   else f"DROP SILENT GRAPH <{graph}>")
    ours = set(staging.values())
    ops.extend(f"DROP SILENT GRAPH <{g}>" for g in current.staging if g not in ours)
    ops.append(f"DROP SILENT GRAPH <{names.control}>")
    now = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
    control = f"<{names.control}>"
    facts = [
        f"{control} {names.term('generation')} \"{current.generation + 1}\"^^<{_XSD}integer>",
        f"{control} {names.term('generationId')} {sparql_text.literal(generation_id)}",
        f"{control} {names.term('builtAt')} \"{now}\"^^<{_XSD}dateTime>",
        *(f"{control} {names.term('graph')} <{graph}>" for graph in sorted(staging)),
    ]
    ops.append(f"INSERT DATA {{ GRAPH {control} {{\n" + " .\n".join(facts) + " .\n} }")
    return " ;\n".join(ops)


def publish(http: SparqlHttp, names: Names, local: ox.Store, *, generation_id: str, work_dir: Path,
            current: Callable[[], Live]) -> None:
    """Upload the generation in ``local`` and switch to it; ``current`` reads the control graph just before.

    :raises StoreUnavailable: the server refused or failed; the live generation is then unchanged.
    """
    graphs = sorted(g for g, n in graph_sizes(local).items() if n > 0)
    staging = {graph: names.staging(generation_id, index) for index, graph in enumerate(graphs)}
    if staging:
        http.update(register_staging(names, list(staging.values())))
    try:
        upload(http, local, staging, work_dir)
        http.update(switch(names, current(), staging, generation_id=generation_id))
    except BaseException:
        try:
            http.update(drop_staging(names, list(staging.values())))
        except EcosystemGraphError as error:
            log.warning("could not drop the staging graphs of a failed load: %s", error)
        raise
    log.info("published generation %s: %d graphs", generation_id, len(graphs))
