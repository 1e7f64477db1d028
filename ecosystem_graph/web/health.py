"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter

from .. import __version__
from .deps import StoreDep

router = APIRouter(tags=["service"])


@router.get("/health", summary="Is the service up, and is data loaded?")
def health(store: StoreDep) -> dict:
    return {"status": "ok", "version": __version__, "data_loaded": not store.is_empty(), "built_at": store.built_at()}
