"""Reconciliation: a name from a text matched against the entities already in the graph, by the lemmas of their
labels and alternative labels, so that a draft links to existing IRIs instead of minting duplicates.

The same matching answers the W3C Entity Reconciliation API (the protocol OpenRefine speaks): :func:`manifest`
and :func:`answer`; ``web/reconcile.py`` only parses and formats.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..store import QueryOutput, QueryRequest
from ..vocab import RDFS, SKOS, ontology_ns
from .lemmas import key, words
from .model import Link

log = logging.getLogger(__name__)

#: kind -> root class (local name in the ontology namespace)
KINDS = {"organisation": "Organization", "person": "Person", "role": "Role", "source": "SourceDocument",
         "site": "Site", "event": "Event", "agreement": "Agreement"}
CERTAIN = 0.9  # a score from here up links without asking; below, the match is listed for review
MINIMUM = 0.5


class Queryable(Protocol):
    def query(self, request: QueryRequest) -> QueryOutput: ...


@dataclass
class Entity:
    iri: str
    kind: str
    labels: list[tuple[str, str]] = field(default_factory=list)  # (text, lang)
    file_names: list[str] = field(default_factory=list)

    def label(self, lang: str = "ru") -> str:
        return next((t for t, lg in self.labels if lg == lang), self.labels[0][0] if self.labels else self.iri)


class Catalogue:
    """The graph's entities by lemmatised label, read once (three SELECTs) from a store or a generation."""

    def __init__(self, entities: list[Entity]):
        self.entities = {e.iri: e for e in entities}
        self._by_key: dict[str, set[str]] = defaultdict(set)
        self._by_word: dict[str, set[str]] = defaultdict(set)
        self._keys: dict[str, list[tuple[str, frozenset[str]]]] = {}
        for e in entities:
            keys = []
            for text, _lang in e.labels:
                k = key(text)
                if not k:
                    continue
                self._by_key[k].add(e.iri)
                keys.append((text, frozenset(k.split())))
                for w in k.split():
                    self._by_word[w].add(e.iri)
            self._keys[e.iri] = keys

    @classmethod
    def read(cls, target: Queryable, base_iri: str) -> Catalogue:
        eco = ontology_ns(base_iri)
        kinds: dict[str, str] = {}
        for kind, root in KINDS.items():
            rows = _select(target, f"SELECT DISTINCT ?s WHERE {{ ?s a/<{RDFS}subClassOf>* <{eco}{root}> }}")
            for row in rows:
                kinds.setdefault(row["s"]["value"], kind)
        entities = {iri: Entity(iri, kind) for iri, kind in kinds.items()}
        rows = _select(target, f"SELECT ?s ?l WHERE {{ VALUES ?p {{ <{RDFS}label> <{SKOS}altLabel> <{SKOS}prefLabel> }}"
                               " ?s ?p ?l FILTER(isLiteral(?l)) }")
        for row in rows:
            entity = entities.get(row["s"]["value"])
            if entity is not None and (row["l"]["value"], row["l"].get("xml:lang", "")) not in entity.labels:
                entity.labels.append((row["l"]["value"], row["l"].get("xml:lang", "")))
        for row in _select(target, f"SELECT ?s ?f WHERE {{ ?s <{eco}fileName> ?f }}"):
            if row["s"]["value"] in entities:
                entities[row["s"]["value"]].file_names.append(row["f"]["value"])
        log.debug("reconciliation catalogue: %d entities", len(entities))
        return cls(list(entities.values()))

    def match(self, name: str, *, kind: str | None = None, limit: int = 5) -> list[Link]:
        """The entities whose label or alternative label has the lemmas of ``name``, best first.

        Score 1: the same lemmas in the same order; otherwise the overlap of the two lemma sets (Dice), kept from
        :data:`MINIMUM`, and :data:`CERTAIN` or more only when one name's lemmas all appear in the other's.
        """
        k = key(name)
        if not k:
            return []
        wanted = frozenset(k.split())
        scored: dict[str, Link] = {}
        for iri in self._by_key.get(k, ()):
            e = self.entities[iri]
            if kind is None or e.kind == kind:
                text = next(t for t, _ in e.labels if key(t) == k)
                scored[iri] = Link(iri, text, 1.0, True)
        candidates = set().union(*(self._by_word.get(w, set()) for w in wanted))
        for iri in candidates - set(scored):
            e = self.entities[iri]
            if kind is not None and e.kind != kind:
                continue
            best: Link | None = None
            for text, lemmas in self._keys[iri]:
                common = len(wanted & lemmas)
                dice = 2 * common / (len(wanted) + len(lemmas))
                contained = common == min(len(wanted), len(lemmas)) and common >= 2
                score = round(max(dice, 0.9 * (common / max(len(wanted), len(lemmas))) + 0.05) if contained
                              else dice * 0.85, 3)
                if best is None or score > best.score:
                    best = Link(iri, text, score, False)
            if best is not None and best.score >= MINIMUM:
                scored[iri] = best
        links = sorted(scored.values(), key=lambda link: (-link.score, link.iri))[:limit]
        if links and links[0].score >= CERTAIN and not links[0].certain:
            runner_up = links[1].score if len(links) > 1 else 0.0
            links[0] = Link(links[0].iri, links[0].label, links[0].score, runner_up < links[0].score - 0.1)
        return links

    def by_file_name(self, file_name: str) -> Entity | None:
        return next((e for e in self.entities.values() if file_name in e.file_names), None)

    def related(self, name: str, *, kind: str = "organisation") -> Link | None:
        """An entity whose distinctive name word the given name is built on ("SechenovTech" -> Sechenov
        University): a long word of an existing label that starts a word of ``name``, in either script."""
        from ..vocab import slugify

        parts = [w.lower() for w in words(name)]
        found: list[tuple[int, str, Link]] = []
        for e in self.entities.values():
            if e.kind != kind:
                continue
            for text, _lang in e.labels:
                label_words = words(text)
                for w in label_words:
                    stem = slugify(w)[:7]
                    if len(w) >= 6 and any(p.startswith(stem) and p != w for p in parts if len(p) > len(stem)):
                        found.append((len(label_words), e.iri, Link(e.iri, text, 0.6, False)))
        # the shortest name built on the word is the organisation itself, not one of its units
        return min(found, key=lambda item: (item[0], item[1]))[2] if found else None


def _select(target: Queryable, sparql: str) -> list[dict[str, Any]]:
    return target.query(QueryRequest(sparql, accept=["application/sparql-results+json"])).rows()


# --- the W3C Entity Reconciliation API ------------------------------------------------------------------------

def manifest(base_iri: str, service_url: str) -> dict[str, Any]:
    """The service manifest (reconciliation API 0.2): what OpenRefine reads when the service is added."""
    eco = ontology_ns(base_iri)
    return {
        "versions": ["0.2"],
        "name": "ecosystem-graph reconciliation",
        "identifierSpace": f"{base_iri}id/",
        "schemaSpace": eco,
        "defaultTypes": [{"id": eco + root, "name": root} for root in ("Organization", "Person")],
        "view": {"url": "{{id}}"},
        "preview": None,
        "serviceUrl": service_url,
    }


def answer(catalogue: Catalogue, base_iri: str, queries: dict[str, Any]) -> dict[str, Any]:
    """Results for a batch ``{"q0": {"query": ..., "type": ..., "limit": ...}}``, keyed as asked.

    :raises ValueError: a query without a ``query`` string.
    """
    eco = ontology_ns(base_iri)
    by_class = {eco + root: kind for kind, root in KINDS.items()}
    out: dict[str, Any] = {}
    for qid, q in queries.items():
        if not isinstance(q, dict) or not isinstance(q.get("query"), str):
            raise ValueError(f"query {qid!r} has no 'query' string")
        types = q.get("type")
        kind = by_class.get(types if isinstance(types, str) else "")
        limit = q.get("limit", 5)
        limit = limit if isinstance(limit, int) and 0 < limit <= 50 else 5
        results = []
        for link in catalogue.match(q["query"], kind=kind, limit=limit):
            e = catalogue.entities[link.iri]
            results.append({"id": link.iri, "name": e.label("ru"), "score": round(100 * link.score, 1),
                            "match": link.certain, "type": [{"id": eco + KINDS[e.kind], "name": KINDS[e.kind]}],
                            "matched": link.label})
        out[qid] = {"result": results}
    return out


_cache: dict[tuple[int, str | None], Catalogue] = {}
_lock = threading.Lock()


def catalogue_for(store: Any, base_iri: str) -> Catalogue:
    """The catalogue of the store's published generation, read once per generation."""
    generation = store.generation_id()
    cache_key = (id(store), generation)
    with _lock:
        if cache_key not in _cache or generation is None:
            for old in [k for k in _cache if k[0] == id(store)]:
                del _cache[old]
            _cache[cache_key] = Catalogue.read(store, base_iri)
        return _cache[cache_key]
