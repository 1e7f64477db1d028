"""Query latency: the named queries (the competency questions, parameters bound to sample IRIs of the
generated data), three multi-hop joins, and the endpoint's point and aggregate queries. A query that asks the
label index (``eco:textSearch``, as ``search-labels`` does) is timed with its patterns read as the server reads
them (web/answer.py): the index's lookup and the query."""

from __future__ import annotations

from pathlib import Path

from ecosystem_graph.search import text_query
from ecosystem_graph.sources.queries import QueryCatalogue
from ecosystem_graph.store.sparql_text import bind
from ecosystem_graph.synthetic import read_manifest

from .common import median, p95, timed

PREFIXES = """PREFIX eco: <https://w3id.org/ecosystem-graph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

JOINS = {
    # The signatures (a few per agreement) are read whole and hash-joined; each signatory's posts are then looked
    # up from the person (1M: about 30 % less than a lookup per signature for each of its two links; same rows).
    "join: signatories inside a university's structure": PREFIXES + """
SELECT ?university (COUNT(DISTINCT ?person) AS ?people) WHERE {
  { SELECT ?university WHERE { ?university a eco:University } }
  { SELECT ?signature ?university WHERE { ?signature eco:onBehalfOf ?university } }
  { SELECT ?signature ?person WHERE { ?signature eco:signatory ?person } }
  ?post eco:heldBy ?person ; eco:postIn ?unit .
  ?unit (eco:unitOf|eco:blockOf)* ?university .
} GROUP BY ?university""",
    # Every company counts, so the patterns over all companies are read whole and hash-joined (each subquery is
    # evaluated on its own): one index scan each instead of an index lookup per company and pattern (1M: 1.3 s ->
    # 0.08 s, same rows; ?city breaks the ties, so that the 20 rows are one answer, not one of several).
    "join: companies per city along the management chain": PREFIXES + """
SELECT ?city (COUNT(DISTINCT ?company) AS ?companies) WHERE {
  { SELECT ?company WHERE { ?company a eco:Company } }
  { SELECT ?company ?cluster WHERE { ?company eco:memberOf ?cluster } }
  { SELECT ?cluster ?city WHERE {
      ?cluster eco:managedBy ?fund . ?fund eco:subordinateTo ?department . ?department eco:subOrganizationOf ?city } }
} GROUP BY ?city ORDER BY DESC(?companies) ?city LIMIT 20""",
    # Every participation counts: its three links are read whole and hash-joined, the posts looked up from each
    # participant (1M: 90 -> 50 ms, same rows).
    "join: fields of the organisations speakers represent": PREFIXES + """
SELECT ?field (COUNT(DISTINCT ?event) AS ?events) WHERE {
  { SELECT ?participation ?event WHERE { ?participation eco:participationIn ?event } }
  { SELECT ?participation ?person WHERE { ?participation eco:participant ?person } }
  { SELECT ?participation ?organization WHERE { ?participation eco:representing ?organization } }
  ?post eco:heldBy ?person ; eco:postIn ?organization .
  ?organization eco:hasField ?field .
} GROUP BY ?field""",
}

POINT = "SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}"
#: the subjects the varying point queries pick from (the individuals of the generated data)
#: (at most 200,000: at 10M triples all of them would outgrow the result size limit)
SUBJECTS = ("SELECT DISTINCT ?s WHERE { ?s a ?type "
            "FILTER(isIRI(?s) && STRSTARTS(STR(?s), 'https://w3id.org/ecosystem-graph/id/')) } LIMIT 200000")
AGGREGATE = "SELECT ?type (COUNT(?s) AS ?n) WHERE { ?s a ?type } GROUP BY ?type ORDER BY DESC(?n)"


def query_set(project: Path) -> dict[str, tuple[str, dict]]:
    """name -> (SPARQL, bindings as SPARQL-JSON terms): every named query, the joins, point and aggregate."""
    parameters = read_manifest(project)["parameters"]
    queries: dict[str, tuple[str, dict]] = {}
    for query in QueryCatalogue(project / "sparql"):
        given = {p.name: parameters[p.name] for p in query.parameters if p.name in parameters}
        queries[query.name] = (query.sparql, query.bindings(given))
    queries.update({name: (sparql, {}) for name, sparql in JOINS.items()})
    queries["point: one subject"] = (POINT.format(iri=parameters["university"]), {})
    queries["aggregate: instances per class"] = (AGGREGATE, {})
    return queries


def ours(project: str, store_dir: str, repeat: int, budget: float, timeout: float) -> dict:
    """Latency through the store API as the server runs queries: in a query worker process, with a hard
    ``timeout``, the result cache off (every run evaluates)."""
    from ecosystem_graph.config import Settings
    from ecosystem_graph.errors import EcosystemGraphError, QueryTimeout
    from ecosystem_graph.store import QueryOutput, QueryRequest, open_store

    settings = Settings(project_dir=Path(project), store_path=Path(store_dir), backend="embedded", query_workers=1,
                        query_timeout=timeout, result_cache_entries=0)
    store = open_store(settings)
    results = {}
    for name, (sparql, bindings) in query_set(Path(project)).items():
        def run(sparql: str = sparql, bindings: dict = bindings) -> QueryOutput:
            sparql = text_query.served(sparql, store, settings, bindings)
            return store.query(QueryRequest(sparql, accept=["application/sparql-results+json"],
                                            substitutions=bindings))
        try:
            answer = run()  # warm-up: starts the worker, fills the OS cache (and opens the label index)
            times, _ = timed(run, repeat=repeat, budget=budget)
        except QueryTimeout:
            results[name] = {"error": f"over {timeout:.0f} s (stopped)"}
            continue
        except EcosystemGraphError as error:  # one query's failure is its row in the report, not the step's end
            results[name] = {"error": f"{type(error).__name__}: {error}"}
            continue
        # the answer's size: a query whose time grows with it is bound by its answer (and is paged, docs/endpoint.md)
        results[name] = {"times": times, "rows": len(answer.rows()), "bytes": len(answer.body)}
    store.close()
    return {"queries": results}


def subjects(project: str, store_dir: str) -> list[str]:
    """The individuals of the generated data in the store at ``store_dir`` (the varying point queries' subjects)."""
    from ecosystem_graph.config import Settings
    from ecosystem_graph.store import open_store

    store = open_store(Settings(project_dir=Path(project), store_path=Path(store_dir), backend="embedded",
                                query_workers=0))
    try:
        return [row["s"]["value"] for row in store.select(SUBJECTS)]
    finally:
        store.close()


def for_rdflib(project: Path) -> dict[str, str]:
    """The same queries as text for rdflib, parameters bound by the leading VALUES block every remote backend
    gets (rdflib has no substitution API that keeps the query text identical). Not those that ask the label
    index: rdflib has none, and would read ``eco:textSearch`` as a property no triple has."""
    return {name: bind(sparql, bindings) for name, (sparql, bindings) in query_set(project).items()
            if text_query.LOCAL_NAME not in sparql}


def summary(times: list[float]) -> tuple[float, float]:
    """(median, p95) in milliseconds."""
    return median(times) * 1000, p95(times) * 1000
