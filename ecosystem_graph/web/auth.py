"""Writes need the API token, sent as ``Authorization: Bearer <token>``; without a configured token the
server is read-only. The comparison takes the same time whatever the sent token is."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request

from ..config import Settings
from ..errors import ReadOnly
from .deps import SettingsDep


def bearer_token(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer`` header, if any."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def check_token(settings: Settings, token: str | None) -> None:
    """:raises ReadOnly: no token is configured, none was sent, or the sent one is wrong."""
    if settings.api_token is None:
        raise ReadOnly("this endpoint is read-only: no API token is configured")
    expected = settings.api_token.get_secret_value().encode("utf-8")
    if token is None or not hmac.compare_digest(token.encode("utf-8"), expected):
        raise ReadOnly("writing needs the API token as 'Authorization: Bearer <token>'")


async def require_writer(request: Request, settings: SettingsDep) -> None:
    """FastAPI dependency of every write route."""
    check_token(settings, bearer_token(request))


WriterDep = Annotated[None, Depends(require_writer)]
