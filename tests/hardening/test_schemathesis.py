"""Bad HTTP input: schemathesis drives every operation of the app's OpenAPI spec, with valid and invalid data,
against a live loopback server over the mini project. No 5xx, no hang, and each answer matches the spec
(declared status code, declared content type, declared headers).

Writes are sent with the API token, so the fuzzing reaches past the token check into the write path.
The number of requests sent is printed under "hardening figures" at the end of the run.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, settings

from ..support.endpoint import Service, serve_project

if os.environ.get("CI"):  # declared in the test extra: CI must have it
    import schemathesis
else:
    schemathesis = pytest.importorskip("schemathesis")

TOKEN = "schemathesis-token-0123456789"
#: examples per operation and generation mode; about 30 operations, so about a thousand requests in all
MAX_EXAMPLES = 25
#: seconds before a request counts as a hang
REQUEST_TIMEOUT = 15


#: requests sent, per operation and generation mode
SENT: Counter[tuple[str, str]] = Counter()


@pytest.fixture(scope="module")
def fuzzed_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    root: Path = tmp_path_factory.mktemp("schemathesis")
    with serve_project(root, api_token=TOKEN, query_timeout=5, max_body_bytes=256 * 1024) as service:
        yield service


@pytest.fixture(scope="module")
def api_schema(fuzzed_service: Service):
    loaded = schemathesis.openapi.from_url(fuzzed_service.url + "openapi.json")
    loaded.config.update(base_url=fuzzed_service.url.rstrip("/"))
    loaded.config.generation.update(
        modes=[schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE],
        max_examples=MAX_EXAMPLES, deterministic=True, database="none",
    )
    # A string the schema cannot constrain further (SPARQL text, an IRI, an RDF body) may be schema-valid and
    # still not parse: 400 with the parser's message is the declared answer. What stays forbidden for valid
    # data: 422 (FastAPI's validator disagreeing with the published spec), 405, 5xx.
    loaded.config.checks.positive_data_acceptance.expected_statuses = [
        "2xx", "3xx", "400", "403", "404", "406", "413", "415"]
    # Invalid data must be refused; a body over the server's size limit (a form field past its maxLength can be)
    # is refused with 413 before it is read, which is a refusal too.
    loaded.config.checks.negative_data_rejection.expected_statuses = [
        "400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429"]
    return loaded


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_per_spec(case) -> None:
    mode = case.meta.generation.mode.value if case.meta is not None else "explicit"
    SENT[case.operation.label, mode] += 1
    case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"}, timeout=REQUEST_TIMEOUT)


def test_the_server_survived_and_every_operation_was_fuzzed(fuzzed_service: Service, api_schema,
                                                             report_figure) -> None:
    """Runs after the fuzzing (file order): the server still answers, and no operation was left out."""
    health = httpx.get(fuzzed_service.url + "health", timeout=REQUEST_TIMEOUT)
    assert health.status_code == 200 and health.json()["data_loaded"]
    operations = {result.ok().label for result in api_schema.get_all_operations()}
    fuzzed = {label for label, _mode in SENT}
    if not fuzzed:
        pytest.skip("run together with test_every_operation_answers_per_spec")
    assert operations <= fuzzed, f"not fuzzed: {sorted(operations - fuzzed)}"
    modes: Counter[str] = Counter()
    for (_label, mode), count in SENT.items():
        modes[mode] += count
    report_figure(f"schemathesis: {SENT.total()} requests over {len(fuzzed)} operations "
                  f"({', '.join(f'{n} {mode}' for mode, n in sorted(modes.items()))})")
