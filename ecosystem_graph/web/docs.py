"""The OpenAPI page at ``/docs``, served from the vendored Swagger UI (``ui/vendor/swagger-ui``): the machine
this runs on may be offline, so FastAPI's CDN-backed page is replaced."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)

_ASSETS = "/ui/vendor/swagger-ui/"


@router.get("/docs")
def docs(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "").rstrip("/")
    page = get_swagger_ui_html(
        openapi_url=root + request.app.openapi_url,
        title=f"{request.app.title} — API",
        swagger_js_url=root + _ASSETS + "swagger-ui-bundle.js",
        swagger_css_url=root + _ASSETS + "swagger-ui.css",
        swagger_favicon_url=root + _ASSETS + "favicon-32x32.png",
        swagger_ui_parameters={"validatorUrl": None, "tryItOutEnabled": True},
    )
    page.headers["Content-Language"] = "en"  # Swagger UI's own words; its page has no lang attribute
    return page
