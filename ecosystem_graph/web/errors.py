"""Our errors mapped to HTTP status codes, in one place. Only 500s are logged with a traceback."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from starlette.exceptions import HTTPException

from ..errors import (
    ConfigError,
    EcosystemGraphError,
    NotAcceptable,
    NotFound,
    QueryError,
    QueryTimeout,
    ReadOnly,
    RequestTooLarge,
    ResultTooLarge,
    SourceError,
    StoreUnavailable,
    UnsupportedMediaType,
    ValidationFailed,
)

if TYPE_CHECKING:
    from fastapi import FastAPI
    from starlette.requests import Request
    from starlette.responses import PlainTextResponse, Response

# FastAPI is imported by the functions that need it: error_response answers the fast lane's errors before the
# application is imported (web/serving_app.py)

log = logging.getLogger(__name__)

#: error class -> HTTP status; the first match wins.
STATUS: list[tuple[type[EcosystemGraphError], int]] = [
    (QueryError, 400),
    (SourceError, 400),
    (ValidationFailed, 400),
    (ReadOnly, 403),
    (NotFound, 404),
    (NotAcceptable, 406),
    (ResultTooLarge, 413),
    (RequestTooLarge, 413),
    (UnsupportedMediaType, 415),
    (QueryTimeout, 503),
    (StoreUnavailable, 503),
    (ConfigError, 500),
]


def status_for(error: EcosystemGraphError) -> int:
    return next((status for cls, status in STATUS if isinstance(error, cls)), 500)


def error_response(error: EcosystemGraphError, method: str, path: str) -> PlainTextResponse:
    """The answer to one of our errors: its status, and a plain-text body naming the error and its cause."""
    status = status_for(error)
    if status >= 500 and not isinstance(error, QueryTimeout | StoreUnavailable):
        log.error("%s %s failed", method, path, exc_info=error)
    headers = {"WWW-Authenticate": 'Bearer realm="ecosystem-graph"'} if isinstance(error, ReadOnly) else None
    from starlette.responses import PlainTextResponse  # here: the fast lane answers before responses are imported

    return PlainTextResponse(f"{status} {type(error).__name__}: {error}\n", status_code=status, headers=headers)


async def _handle(request: Request, error: Exception) -> PlainTextResponse:
    assert isinstance(error, EcosystemGraphError)
    return error_response(error, request.method, request.url.path)


async def _http_error(request: Request, error: Exception) -> Response:
    """Starlette's own errors; a 405 lists every method of the path in ``Allow`` (RFC 9110 15.5.6), not only
    those of the first route that matched it (GET and POST of one path are separate routes)."""
    from fastapi.exception_handlers import http_exception_handler
    from starlette.routing import Match

    assert isinstance(error, HTTPException)
    if error.status_code == 405:
        allowed = [method for method in dict.fromkeys((*_METHODS, request.method)) if any(
            route.matches({**request.scope, "method": method})[0] == Match.FULL for route in request.app.router.routes)]
        if allowed and request.method not in allowed:  # else the 405 comes from inside a mount: keep its Allow
            error.headers = {**(error.headers or {}), "Allow": ", ".join(allowed)}
    return await http_exception_handler(request, error)


_METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH")


async def _invalid_request(request: Request, error: Exception) -> PlainTextResponse:
    """A parameter FastAPI's validation refuses: 422 as FastAPI declares it, in our plain-text form."""
    from fastapi.exceptions import RequestValidationError

    assert isinstance(error, RequestValidationError)
    causes = "; ".join(f"{'.'.join(str(part) for part in item.get('loc', ()))}: {item.get('msg', 'invalid')}"
                       for item in error.errors())
    from starlette.responses import PlainTextResponse

    return PlainTextResponse(f"422 RequestValidationError: {causes}\n", status_code=422)


PLAIN_TEXT = {"text/plain": {"schema": {"type": "string"}}}


def plain_text_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI document with every 4xx/5xx answer declared as text/plain, as the handlers above send them."""
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            for status, response in (operation.get("responses") or {}).items():
                if status[:1] in "45":
                    response["content"] = PLAIN_TEXT
    return schema


def install(app: FastAPI) -> None:
    from fastapi.exceptions import RequestValidationError

    app.add_exception_handler(EcosystemGraphError, _handle)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    default_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = plain_text_errors(default_openapi())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
