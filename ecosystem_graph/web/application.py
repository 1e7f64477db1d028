"""The FastAPI application: routers, error handlers, the static UI, and the ASGI middleware around them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from .. import __version__
from ..config import Settings, get_settings
from ..pipeline.writer import close_writer, writer_for
from ..store import GraphStore, open_store
from . import docs, editor, errors, explore, health, linked_data, named_queries, reconcile, search, service, sparql
from . import graph_store as gsp
from .serving_app import middleware
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
        if settings.api_token is not None:  # writes are possible: their process starts beside the server's start
            writer_for(graph_store, settings).start()
        yield
        close_writer(graph_store)
        graph_store.close()

    app = routes_app(settings, graph_store, lifespan=lifespan)
    for layer, options in middleware(settings, graph_store):  # innermost first: the last added is outermost
        app.add_middleware(layer, **options)
    return app


def routes_app(settings: Settings, graph_store: GraphStore, *, lifespan: Any = None) -> FastAPI:
    """The routes and their error handlers, without the ASGI middleware (web/serving_app.py wraps it in the same
    layers as :func:`create_app`)."""
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
    return app
