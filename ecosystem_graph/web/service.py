"""The dataset describes itself: the service description (``GET /sparql`` without a query), VoID at
``/.well-known/void``, and streamed dumps of the whole dataset as TriG and N-Quads."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from ..config import Settings
from ..errors import NotAcceptable
from ..store import GraphStore
from ..store.formats import DESCRIPTION_MEDIA_TYPES
from .deps import SettingsDep, StoreDep
from .negotiation import negotiate

if TYPE_CHECKING:
    from ..views import service_description as void

router = APIRouter(tags=["service"])


GRAPH_STORE_PATH = "/rdf-graph-store"
#: dump path -> media type
DUMPS: dict[str, str] = {"/dump.trig": "application/trig", "/dump.nq": "application/n-quads"}


def endpoints(root: str) -> void.Endpoints:
    """This server's URLs, under ``root`` (the base URL as the client reached it)."""
    from ..views import (
        service_description as void,  # rdflib: imported at the first description (in a worker thread), not at start-up
    )

    return void.Endpoints(
        sparql=root + "sparql",
        graph_store=root + GRAPH_STORE_PATH.lstrip("/"),
        dumps={media_type: root + path.lstrip("/") for path, media_type in DUMPS.items()},
        void=root + ".well-known/void",
    )


def _description_type(request: Request) -> str:
    media_type = negotiate(request.headers.get("accept"), DESCRIPTION_MEDIA_TYPES)
    if media_type is None:
        raise NotAcceptable(f"descriptions are written as {', '.join(DESCRIPTION_MEDIA_TYPES)}")
    return media_type


def _render(builder: str, store: GraphStore, settings: Settings, root: str, media_type: str) -> bytes:
    """The description ``void.<builder>`` makes, serialised (in a worker thread: rdflib is slow)."""
    from ..views import service_description as void

    return void.serialize(getattr(void, builder)(store, settings, endpoints(root)), media_type)


async def describe_service(request: Request, store: GraphStore, settings: Settings) -> Response:
    """The SPARQL 1.1 Service Description, in the RDF format the client prefers (Turtle by default); a browser
    (preferring HTML) is sent to the query editor instead."""
    if negotiate(request.headers.get("accept"), (*DESCRIPTION_MEDIA_TYPES, "text/html")) == "text/html":
        return RedirectResponse(request.scope.get("root_path", "") + "/", status_code=303, headers={"Vary": "Accept"})
    media_type = _description_type(request)
    body = await run_in_threadpool(_render, "service_description", store, settings, str(request.base_url),
                                   media_type)
    return Response(body, media_type=media_type, headers={"Vary": "Accept"})


@router.get("/.well-known/void", summary="VoID description of the dataset",
            responses={200: {"content": {m: {} for m in DESCRIPTION_MEDIA_TYPES}}})
async def void_document(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    media_type = _description_type(request)
    body = await run_in_threadpool(_render, "void_description", store, settings, str(request.base_url),
                                   media_type)
    return Response(body, media_type=media_type, headers={"Vary": "Accept"})


def _dump_route(path: str, media_type: str) -> None:
    async def dump(store: StoreDep) -> StreamingResponse:
        filename = "ecosystem-graph" + path.removeprefix("/dump")
        chunks = store.dump(media_type)
        first = await run_in_threadpool(next, chunks, b"")  # a store error becomes a status, not a cut stream
        return StreamingResponse(itertools.chain([first], chunks), media_type=media_type,
                                 headers={"Content-Disposition": f'attachment; filename="{filename}"'})

    router.add_api_route(path, dump, methods=["GET"], summary=f"The whole dataset as {media_type}, streamed",
                         response_class=StreamingResponse, responses={200: {"content": {media_type: {}}}})


for _path, _media_type in DUMPS.items():
    _dump_route(_path, _media_type)
