"""FastAPI dependencies: the settings and the store the app was created with."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from ..config import Settings
from ..store import GraphStore


async def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_store(request: Request) -> GraphStore:
    return request.app.state.store


# Dependencies are ``async def``: FastAPI runs a plain ``def`` dependency in a worker thread, which for
# these attribute reads would cost more than the whole query of a point lookup.
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
StoreDep = Annotated[GraphStore, Depends(get_store)]
