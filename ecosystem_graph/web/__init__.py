"""The web layer: FastAPI routes that parse a request, call one function below, and format the answer.

Only this package imports FastAPI.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from .. import __version__
from ..config import Settings, get_settings
from ..store import GraphStore, open_store
from . import errors, health, sparql


def create_app(settings: Settings | None = None, *, store: GraphStore | None = None) -> FastAPI:
    """Wire routers and middleware for one store; nothing else happens here."""
    settings = settings or get_settings()
    graph_store = store or open_store(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        graph_store.close()

    app = FastAPI(
        title="ecosystem-graph",
        version=__version__,
        description="SPARQL endpoint and linked data for the biomedical innovation ecosystem graph.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store = graph_store
    errors.install(app)
    app.include_router(health.router)
    app.include_router(sparql.router)
    return app
