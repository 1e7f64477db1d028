"""The application ``serve`` runs: SPARQL queries are answered as soon as the server listens, and the FastAPI
application (the other routes) is built in the background once the first answer is out.

Importing FastAPI and building its routes takes most of a second; the fast lane (web/fast_lane.py) and the
middleware around it need Starlette alone. So the server starts with those layers around a placeholder, and the
placeholder hands each request to the application once it is built (a request that comes sooner waits for it).
The layers and their order are those of :func:`.application.create_app` (:func:`middleware`, the one list), so
an answer is the same whichever way it is served.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import traceback
from concurrent.futures import Future
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from ..config import Settings
from ..pipeline.writer import close_writer, writer_for
from ..store import GraphStore
from .caching import GenerationCaching
from .fast_lane import SparqlFastLane
from .limits import BodyLimit

log = logging.getLogger(__name__)

#: seconds the application's build waits after the start (a knob for tests: the routes then come late on
#: purpose, so that a test can see the fast lane answer before them)
BUILD_DELAY_ENV = "ECOSYSTEM_GRAPH_APP_BUILD_DELAY"


#: seconds after the server's start without a request before the query processes and the application start
WARM_UP_IDLE = 0.2


def middleware(settings: Settings, store: GraphStore) -> list[tuple[Any, dict[str, Any]]]:
    """The ASGI layers around the routes, innermost first: the fast lane inside the body limit and CORS, the
    generation caching around it (SPARQL GETs are tagged too)."""
    layers: list[tuple[Any, dict[str, Any]]] = [
        (SparqlFastLane, {"store": store, "settings": settings}),
        (GenerationCaching, {"store": store, "settings": settings}),
        (BodyLimit, {"max_bytes": settings.max_body_bytes}),
    ]
    if settings.cors_origins:
        from starlette.middleware.cors import CORSMiddleware

        layers.append((CORSMiddleware, {
            "allow_origins": settings.cors_origins, "allow_methods": ["GET", "HEAD", "POST", "PUT", "DELETE"],
            "allow_headers": ["Accept", "Content-Type", "Authorization"], "expose_headers": ["Location"]}))
    return layers


class ServingApp:
    """ASGI: the lifespan (query processes start and the application is built after the first answer, or soon
    without one; the store is closed at the end), and every request through :func:`middleware` to the
    application, awaited when it is not built yet."""

    def __init__(self, settings: Settings, store: GraphStore):
        self.settings = settings
        self.store = store
        self._routes: Future[ASGIApp] = Future()
        self._building = threading.Lock()
        self._started = False
        self._warm = False
        self._warming: asyncio.TimerHandle | None = None
        stack: ASGIApp = self._to_routes
        for layer, options in middleware(settings, store):
            stack = layer(stack, **options)
        self._stack = stack

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        try:
            await self._stack(scope, receive, send)
        finally:
            self.warm_up()  # the first answer is out: the rest may start now

    def warm_up(self) -> None:
        """Start the query processes and the application's build in the background, once; returns at once."""
        if self._warm:
            return
        self._warm = True
        if self._warming is not None:
            self._warming.cancel()
        try:
            self.store.warm_up()
            if self.settings.api_token is not None:  # writes are possible: their process starts too
                writer_for(self.store, self.settings).start()
            self.build()
        except Exception:  # each request that needs them starts them again, and fails with the cause
            log.exception("the query processes or the web application could not be started")

    def build(self) -> None:
        """Build the application in a thread, once; returns at once."""
        with self._building:
            if self._started:
                return
            self._started = True
        threading.Thread(target=self._build, daemon=True, name="ecosystem-graph-app-build").start()

    def _build(self) -> None:
        delay = float(os.environ.get(BUILD_DELAY_ENV) or 0)
        if delay > 0:
            threading.Event().wait(delay)
        try:
            from .application import routes_app

            self._routes.set_result(routes_app(self.settings, self.store))
        except BaseException as error:  # each request that needs the routes fails with it (a 500)
            log.error("the web application could not be built", exc_info=error)
            self._routes.set_exception(error)

    async def _to_routes(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.build()  # a request before the lifespan began (a server without one): build now
        routes = self._routes.result() if self._routes.done() else await asyncio.wrap_future(self._routes)
        await routes(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        """As Starlette runs a lifespan: a failure is reported to the server (which then stops), not raised."""
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                # the query processes and the application start in the background once the first request is
                # answered, or after WARM_UP_IDLE seconds without one: on a machine with few cores their start
                # (processes exec'd, FastAPI imported) would otherwise take the CPU the first answer needs, and
                # a request that needs one of them starts it at once (point lookups are answered here)
                self._warming = asyncio.get_running_loop().call_later(WARM_UP_IDLE, self.warm_up)
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                try:
                    close_writer(self.store)
                    self.store.close()
                except Exception:
                    await send({"type": "lifespan.shutdown.failed", "message": traceback.format_exc()})
                    return
                await send({"type": "lifespan.shutdown.complete"})
                return

