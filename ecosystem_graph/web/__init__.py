"""The web layer: FastAPI routes that parse a request, call one function below, and format the answer.

Only this package imports FastAPI.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from .. import __version__
from ..config import Settings, get_settings
from ..store import GraphStore, open_store
from . import docs, editor, errors, explore, health, linked_data, named_queries, reconcile, search, service, sparql
from . import graph_store as gsp
from .caching import GenerationCaching
from .fast_lane import SparqlFastLane
from .limits import BodyLimit
from .views import UI_DIR


def create_app(settings: Settings | None = None, *, store: GraphStore | None = None) -> FastAPI:
    """Wire routers and middleware for one store; nothing else happens here."""
    settings = settings or get_settings()
    graph_store = store or open_store(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # the query processes start in the background (unless `serve` started them already), beside the
        # server's own start; the first query waits for the first of them to be ready, not for all
        graph_store.warm_up()
        yield
        graph_store.close()

    app = FastAPI(
        title="ecosystem-graph",
        version=__version__,
        description="SPARQL endpoint and linked data for the biomedical innovation ecosystem graph.",
        lifespan=lifespan,
        docs_url=None,  # web/docs.py serves /docs from vendored assets; FastAPI's pages load them from a CDN
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.store = graph_store
    errors.install(app)
    app.include_router(health.router)
    app.include_router(sparql.router)
    app.include_router(gsp.router)
    app.include_router(named_queries.router)
    app.include_router(service.router)
    app.include_router(docs.router)
    app.include_router(search.router)
    app.include_router(reconcile.router)
    app.include_router(explore.router)
    app.include_router(linked_data.router)
    app.include_router(editor.router)
    app.mount("/ui", StaticFiles(directory=UI_DIR), name="ui")
    app.add_middleware(SparqlFastLane, store=graph_store, settings=settings)  # inside the body limit and CORS
    app.add_middleware(GenerationCaching, store=graph_store, settings=settings)  # around it: SPARQL GETs too
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins,
                           allow_methods=["GET", "HEAD", "POST", "PUT", "DELETE"],
                           allow_headers=["Accept", "Content-Type", "Authorization"], expose_headers=["Location"])
    return app
