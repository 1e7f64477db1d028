"""Hostile requests against a live loopback server: each test is one line of the threat model in
docs/security.md. Outbound requests are caught by a listening socket on 127.0.0.1 that the test owns: if the
server (or one of its query processes) ever connected to it, the test would see the connection."""

from __future__ import annotations

import base64
import hmac
import logging
from collections.abc import Iterator

import httpx
import pytest
import typer

from ecosystem_graph.cli import commands as cli_commands
from ecosystem_graph.config import Settings

from ..support.endpoint import Service, serve_project
from ..support.listener import Listener, assert_no_connection

TOKEN = "s3cret-token-for-the-security-tests-7f3a9c"
BODY_LIMIT = 64 * 1024
RESULT_LIMIT = 64 * 1024
ALLOWED_ORIGIN = "https://allowed.example"
EVIL_ORIGIN = "https://evil.example"
EX = "https://example.org/security/"
PASSWD_MARKER = "root:x:0:0"  # the first line of /etc/passwd on any Linux


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """Writable (API token), size limits, no CORS configured: the defaults a public deployment starts from."""
    with serve_project(tmp_path_factory.mktemp("guarded"), api_token=TOKEN, max_body_bytes=BODY_LIMIT,
                       max_result_bytes=RESULT_LIMIT) as service:
        yield service


@pytest.fixture(scope="module")
def read_only(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """No API token configured (read-only), CORS opened to one origin."""
    with serve_project(tmp_path_factory.mktemp("read-only"), cors_origins=[ALLOWED_ORIGIN]) as service:
        yield service


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=30) as http:
        yield http


def bearer(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def dataset(client: httpx.Client, service: Service) -> str:
    """The whole dataset, to compare before and after a refused request."""
    answer = client.get(service.url + "dump.nq")
    assert answer.status_code == 200
    return "\n".join(sorted(answer.text.splitlines()))


# --- writes need the token ------------------------------------------------------------------------------------
INSERT = f'INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}s> <{EX}p> "written" }} }}'
TURTLE = f'<{EX}s> <{EX}p> "written" .'


def write_requests(url: str) -> dict[str, dict]:
    """Every way to write, as httpx.request keyword arguments."""
    return {
        "update form": {"method": "POST", "url": url + "sparql", "data": {"update": INSERT}},
        "update body": {"method": "POST", "url": url + "sparql", "content": INSERT,
                        "headers": {"Content-Type": "application/sparql-update"}},
        "graph store PUT": {"method": "PUT", "url": url + "rdf-graph-store", "params": {"graph": f"{EX}g"},
                            "content": TURTLE, "headers": {"Content-Type": "text/turtle"}},
        "graph store POST": {"method": "POST", "url": url + "rdf-graph-store", "params": {"graph": f"{EX}g"},
                             "content": TURTLE, "headers": {"Content-Type": "text/turtle"}},
        "graph store create": {"method": "POST", "url": url + "rdf-graph-store", "content": TURTLE,
                               "headers": {"Content-Type": "text/turtle"}},
        "graph store DELETE": {"method": "DELETE", "url": url + "rdf-graph-store", "params": {"default": ""}},
    }


BAD_CREDENTIALS = {
    "none": None,
    "wrong token": f"Bearer wrong-{TOKEN}",
    "token prefix": f"Bearer {TOKEN[:-1]}",
    "token with suffix": f"Bearer {TOKEN}x",
    "empty bearer": "Bearer",
    "basic scheme": "Basic " + base64.b64encode(f"admin:{TOKEN}".encode()).decode(),
    "token without scheme": TOKEN,
    "other scheme": f"Token {TOKEN}",
}


@pytest.mark.parametrize("credentials", BAD_CREDENTIALS)
def test_no_write_without_the_valid_token(guarded: Service, client: httpx.Client, credentials: str,
                                          caplog: pytest.LogCaptureFixture) -> None:
    before = dataset(client, guarded)
    caplog.set_level(logging.DEBUG)
    for name, request in write_requests(guarded.url).items():
        headers = dict(request.pop("headers", {}))
        if BAD_CREDENTIALS[credentials] is not None:
            headers["Authorization"] = BAD_CREDENTIALS[credentials]
        answer = client.request(**request, headers=headers)
        assert answer.status_code == 403, f"{name}: {answer.status_code} {answer.text}"
        assert answer.headers["www-authenticate"].startswith("Bearer")
        assert TOKEN not in answer.text and TOKEN[:-1] not in answer.text, "the 403 echoes a token"
    assert dataset(client, guarded) == before, "a refused write changed the data"
    logged = "\n".join(record.getMessage() + str(record.args) for record in caplog.records)
    assert TOKEN[:-1] not in logged, "a token reached the logs"


def test_the_valid_token_writes(guarded: Service, client: httpx.Client) -> None:
    """The other side of the test above: the same request with the token is accepted."""
    graph = f"{EX}token-write"
    answer = client.put(guarded.url + "rdf-graph-store", params={"graph": graph}, content=TURTLE,
                        headers={"Content-Type": "text/turtle", **bearer()})
    assert answer.status_code == 201, answer.text
    assert client.get(guarded.url + "rdf-graph-store", params={"graph": graph}).status_code == 200
    assert client.delete(guarded.url + "rdf-graph-store", params={"graph": graph}, headers=bearer()).status_code == 204


def test_a_read_only_server_refuses_every_write(read_only: Service, client: httpx.Client) -> None:
    for name, request in write_requests(read_only.url).items():
        headers = {**request.pop("headers", {}), **bearer("anything")}
        answer = client.request(**request, headers=headers)
        assert answer.status_code == 403, name
        assert "read-only" in answer.text


def test_the_token_is_compared_in_constant_time(guarded: Service, client: httpx.Client,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The server (in this process, on a thread) checks the token with hmac.compare_digest, never with ==."""
    compared: list[tuple[bytes, bytes]] = []
    original = hmac.compare_digest

    def recording(a, b):
        compared.append((a, b))
        return original(a, b)

    monkeypatch.setattr(hmac, "compare_digest", recording)
    answer = client.post(guarded.url + "sparql", data={"update": INSERT}, headers=bearer("wrong"))
    assert answer.status_code == 403
    assert (b"wrong", TOKEN.encode()) in compared


# --- no server-side requests ----------------------------------------------------------------------------------
def service_queries(target: str) -> list[str]:
    return [
        f"SELECT * WHERE {{ SERVICE <{target}sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ service silent <{target}sparql> {{ ?s ?p ?o }} }}",
        f"PREFIX remote: <{target}>\nSELECT * WHERE {{ SERVICE remote:sparql {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?x ?y ?z OPTIONAL {{ SERVICE#comment\n<{target}> {{ ?s ?p ?o }} }} }}",
        f"ASK {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
    ]


def test_service_federation_is_refused_and_nothing_connects(guarded: Service, client: httpx.Client,
                                                            listener: Listener) -> None:
    for sparql in service_queries(listener.url):
        for answer in (client.get(guarded.url + "sparql", params={"query": sparql}),
                       client.post(guarded.url + "sparql", data={"query": sparql}),
                       client.post(guarded.url + "sparql", content=sparql,
                                   headers={"Content-Type": "application/sparql-query"})):
            assert answer.status_code in (400, 403), f"{answer.status_code} for {sparql!r}"
            assert "SERVICE" in answer.text, "the refusal says why"
    update = f"INSERT {{ GRAPH <{EX}g> {{ ?s ?p ?o }} }} WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
    answer = client.post(guarded.url + "sparql", data={"update": update}, headers=bearer())
    assert answer.status_code == 400 and "SERVICE" in answer.text
    assert_no_connection(listener)


def test_service_in_a_string_or_iri_is_not_refused(guarded: Service, client: httpx.Client) -> None:
    """The check reads tokens, not text: the word in a literal or an IRI is just data."""
    sparql = f'SELECT * WHERE {{ BIND("SERVICE <http://x/>" AS ?a) BIND(<{EX}SERVICE> AS ?b) }}'
    assert client.get(guarded.url + "sparql", params={"query": sparql}).status_code == 200


def test_load_is_refused_even_with_the_token(guarded: Service, client: httpx.Client, listener: Listener) -> None:
    before = dataset(client, guarded)
    updates = [
        f"LOAD <{listener.url}data.ttl>",
        f"LOAD SILENT <{listener.url}data.ttl> INTO GRAPH <{EX}loaded>",
        f"load <{listener.url}data.ttl>",
        f"PREFIX remote: <{listener.url}>\nLOAD remote:data.ttl",
        f'INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}s> <{EX}p> "x" }} }} ;\nLOAD <{listener.url}data.ttl>',
        "LOAD <file:///etc/passwd> INTO GRAPH <https://example.org/security/passwd>",
    ]
    for update in updates:
        for request in ({"data": {"update": update}},
                        {"content": update, "headers": {"Content-Type": "application/sparql-update"}}):
            headers = {**request.pop("headers", {}), **bearer()}
            answer = client.post(guarded.url + "sparql", headers=headers, **request)
            assert answer.status_code == 400, f"{answer.status_code} for {update!r}: {answer.text}"
            assert "LOAD" in answer.text
            assert PASSWD_MARKER not in answer.text
    assert_no_connection(listener)
    assert dataset(client, guarded) == before


# --- RDF/XML and JSON-LD uploads ------------------------------------------------------------------------------
RDF_XML = """<?xml version="1.0"?>
{doctype}
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="https://example.org/security/">
  <rdf:Description rdf:about="https://example.org/security/s"><ex:p>{value}</ex:p></rdf:Description>
</rdf:RDF>
"""
LAUGHS = "\n".join(
    ['<!ENTITY lol0 "lollollollollollollollollollol">']
    + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
)


def hostile_rdf_xml(canary: Listener) -> dict[str, str]:
    return {
        "external entity (file)": RDF_XML.format(
            doctype='<!DOCTYPE rdf:RDF [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>', value="&xxe;"),
        "external entity (http)": RDF_XML.format(
            doctype=f'<!DOCTYPE rdf:RDF [ <!ENTITY xxe SYSTEM "{canary.url}xxe"> ]>', value="&xxe;"),
        "parameter entity": RDF_XML.format(
            doctype=f'<!DOCTYPE rdf:RDF [ <!ENTITY % dtd SYSTEM "{canary.url}dtd"> %dtd; ]>', value="x"),
        "external DTD": RDF_XML.format(doctype=f'<!DOCTYPE rdf:RDF SYSTEM "{canary.url}rdf.dtd">', value="x"),
        "billion laughs": RDF_XML.format(doctype=f"<!DOCTYPE rdf:RDF [\n{LAUGHS}\n]>", value="&lol9;"),
        "internal entity": RDF_XML.format(doctype='<!DOCTYPE rdf:RDF [ <!ENTITY e "expanded"> ]>', value="&e;"),
    }


def test_rdf_xml_uploads_cannot_read_files_or_expand_entities(guarded: Service, client: httpx.Client,
                                                              listener: Listener) -> None:
    graph = f"{EX}xml"
    before = dataset(client, guarded)
    for name, document in hostile_rdf_xml(listener).items():
        for method in ("PUT", "POST"):
            answer = client.request(method, guarded.url + "rdf-graph-store", params={"graph": graph},
                                    content=document.encode(),
                                    headers={"Content-Type": "application/rdf+xml", **bearer()})
            assert answer.status_code == 400, f"{name} ({method}): {answer.status_code} {answer.text[:300]}"
            assert PASSWD_MARKER not in answer.text and "lollollollollollollollollollollollol" not in answer.text
    assert_no_connection(listener)
    after = dataset(client, guarded)
    assert after == before and PASSWD_MARKER not in after and "expanded" not in after


def test_plain_rdf_xml_still_loads(guarded: Service, client: httpx.Client) -> None:
    graph = f"{EX}plain-xml"
    answer = client.put(guarded.url + "rdf-graph-store", params={"graph": graph},
                        content=RDF_XML.format(doctype="", value="plain").encode(),
                        headers={"Content-Type": "application/rdf+xml", **bearer()})
    assert answer.status_code == 201, answer.text
    assert '"plain"' in client.get(guarded.url + "rdf-graph-store", params={"graph": graph},
                                   headers={"Accept": "application/n-triples"}).text
    assert client.delete(guarded.url + "rdf-graph-store", params={"graph": graph}, headers=bearer()).status_code == 204


def test_json_ld_uploads_fetch_no_remote_context(guarded: Service, client: httpx.Client,
                                                 listener: Listener) -> None:
    for context in (f"{listener.url}context.jsonld", "file:///etc/passwd"):
        document = f'{{"@context": "{context}", "@id": "{EX}s", "p": "x"}}'
        answer = client.put(guarded.url + "rdf-graph-store", params={"graph": f"{EX}jsonld"}, content=document,
                            headers={"Content-Type": "application/ld+json", **bearer()})
        assert answer.status_code == 400, answer.text
        assert PASSWD_MARKER not in answer.text
    assert_no_connection(listener)


# --- size limits ----------------------------------------------------------------------------------------------
def test_request_bodies_over_the_limit_are_refused(guarded: Service, client: httpx.Client) -> None:
    before = dataset(client, guarded)
    padding = "#" + "x" * BODY_LIMIT + "\n"
    big_query = padding + "ASK { ?s ?p ?o }"
    answer = client.post(guarded.url + "sparql", content=big_query,
                         headers={"Content-Type": "application/sparql-query"})
    assert answer.status_code == 413, answer.status_code

    def chunked() -> Iterator[bytes]:  # no Content-Length: the limit is enforced while the body streams in
        for start in range(0, len(big_query), 8192):
            yield big_query[start:start + 8192].encode()

    answer = client.post(guarded.url + "sparql", content=chunked(),
                         headers={"Content-Type": "application/sparql-query"})
    assert answer.status_code == 413, answer.status_code
    answer = client.put(guarded.url + "rdf-graph-store", params={"graph": f"{EX}big"},
                        content=(padding + TURTLE).encode(), headers={"Content-Type": "text/turtle", **bearer()})
    assert answer.status_code == 413
    assert dataset(client, guarded) == before
    small = client.post(guarded.url + "sparql", content="ASK { ?s ?p ?o }",
                        headers={"Content-Type": "application/sparql-query"})
    assert small.status_code == 200, "a body under the limit is served"


def test_results_over_the_limit_are_refused(guarded: Service, client: httpx.Client) -> None:
    answer = client.get(guarded.url + "sparql", params={"query": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"},
                        headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 413, answer.status_code
    assert len(answer.content) < 1024
    under = client.get(guarded.url + "sparql", params={"query": "SELECT * WHERE { ?a ?b ?c } LIMIT 5"},
                       headers={"Accept": "application/sparql-results+json"})
    assert under.status_code == 200 and len(under.json()["results"]["bindings"]) == 5


# --- CORS -----------------------------------------------------------------------------------------------------
def preflight(client: httpx.Client, url: str, origin: str) -> httpx.Response:
    return client.options(url + "sparql", headers={"Origin": origin, "Access-Control-Request-Method": "POST",
                                                   "Access-Control-Request-Headers": "Content-Type"})


def test_cors_is_closed_by_default(guarded: Service, client: httpx.Client) -> None:
    answer = client.get(guarded.url + "sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"Origin": EVIL_ORIGIN})
    assert answer.status_code == 200
    assert "access-control-allow-origin" not in answer.headers
    assert "access-control-allow-origin" not in preflight(client, guarded.url, EVIL_ORIGIN).headers


def test_cors_allows_the_configured_origins_only(read_only: Service, client: httpx.Client) -> None:
    query = {"query": "ASK { ?s ?p ?o }"}
    allowed = client.get(read_only.url + "sparql", params=query, headers={"Origin": ALLOWED_ORIGIN})
    assert allowed.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    assert allowed.headers.get("access-control-allow-credentials") != "true"
    assert preflight(client, read_only.url, ALLOWED_ORIGIN).headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    evil = client.get(read_only.url + "sparql", params=query, headers={"Origin": EVIL_ORIGIN})
    assert "access-control-allow-origin" not in evil.headers
    assert "access-control-allow-origin" not in preflight(client, read_only.url, EVIL_ORIGIN).headers


# --- secrets --------------------------------------------------------------------------------------------------
def test_the_token_comes_from_the_environment_and_is_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECOSYSTEM_GRAPH_API_TOKEN", TOKEN)
    settings = Settings()
    assert settings.api_token is not None and settings.api_token.get_secret_value() == TOKEN
    for shown in (repr(settings), str(settings), settings.model_dump_json(), str(settings.model_dump())):
        assert TOKEN not in shown


def test_no_command_line_option_takes_a_secret() -> None:
    """A token on the command line would be visible to every user of the machine (ps, /proc/*/cmdline)."""
    commands = typer.main.get_command(cli_commands.app).commands
    options = {(name, option) for name, command in commands.items() for param in command.params
               for option in getattr(param, "opts", [])}
    assert options, "no options found: the CLI changed shape"
    assert not {(name, option) for name, option in options if any(
        word in option.lower() for word in ("token", "password", "secret"))}


def test_public_documents_do_not_leak_the_token(guarded: Service, client: httpx.Client) -> None:
    for path in ("health", "sparql", ".well-known/void", "openapi.json", "queries", "docs"):
        answer = client.get(guarded.url + path)
        assert answer.status_code < 500, path
        assert TOKEN not in answer.text, path

