"""The web layer: FastAPI routes that parse a request, call one function below, and format the answer.

Only this package imports FastAPI. This module imports nothing of it: ``serve`` starts answering SPARQL queries
(web/serving_app.py) while the application (web/application.py) is still being imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

    from ..config import Settings
    from ..store import GraphStore


def create_app(settings: Settings | None = None, *, store: GraphStore | None = None) -> FastAPI:
    """The whole application for one store, built now (web/application.py)."""
    from .application import create_app as build

    return build(settings, store=store)
