"""``qala serve``: the JSON API (``/api``, OpenAPI docs at ``/docs``) and the Arabic web UI, one process.

``create_app("qala.db")`` (or ``create_app("postgresql://user@host/db")``) returns the FastAPI
app; every request opens the store for reading and only reads, so any number of requests read at once.
Pasted texts are analyzed by the app's ``Analyzer`` (worker processes with a time limit); their
request bodies are refused unread past ``views.MAX_ANALYZE_BYTES``.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import AsyncIterator
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from qala.server import api, pages
from qala.server.analysis import Analyzer
from qala.server.errors import CODES, ApiError
from qala.server.views import MAX_ANALYZE_BYTES
from qala.store import StoreNotFound, is_postgres, open_store

log = logging.getLogger("qala.server")

# The pages run no script at all; the API docs need Swagger UI's own script and inline start-up.
PAGE_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'"
)
_STATUS_CODES = {status: code for code, status in CODES.items()}


ANALYZE_PATHS = ("/api/analyze", "/analyze")


def create_app(db_path: str | os.PathLike[str], analyzer: Analyzer | None = None) -> FastAPI:
    """The app over the SQLite file or PostgreSQL URL ``db_path`` (which must exist: ``qala ingest`` makes it);
    ``analyzer`` runs the pasted texts (default: ``Analyzer()``, started on first use, stopped with the app)."""
    path: str | Path
    if is_postgres(db_path):
        path = os.fspath(db_path)
        open_store(path, create=False).close()  # StoreError now, not at the first request
    else:
        path = Path(db_path)
        if not path.is_file():
            raise StoreNotFound(f"{path}: no such database (create it with `qala ingest`)")
    analyzer = analyzer or Analyzer()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        analyzer.close()

    app = FastAPI(
        title="qala",
        summary="Who said what in Arabic news: statements, speakers, entities, near-duplicate stories.",
        version="0.1.0",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.db_path = path
    app.state.analyzer = analyzer
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=pages.HERE / "static"), name="static")
    _mount_docs(app)

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        return Response(status_code=204)

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> Response:
        response = _error(request, exc)
        if exc.code == "busy":
            response.headers["Retry-After"] = "1"
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return _error(request, ApiError("bad_request", _validation_message(exc)))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = _STATUS_CODES.get(
            exc.status_code, "bad_request" if exc.status_code < 500 else "internal_error"
        )
        message = {404: "no such page", 405: "method not allowed"}.get(exc.status_code, str(exc.detail))
        response = _error(request, ApiError(code, message))
        response.status_code = exc.status_code
        return response

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        log.exception("error in %s %s", request.method, request.url.path)
        return _error(request, ApiError("internal_error", "internal error; see the server log"))

    @app.middleware("http")
    async def security_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response = await call_next(request)
        docs = request.url.path in ("/docs", "/docs/oauth2-redirect") or request.url.path.startswith(
            "/docs-assets"
        )
        response.headers.setdefault("Content-Security-Policy", DOCS_CSP if docs else PAGE_CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    app.add_middleware(_BodyLimit, paths=ANALYZE_PATHS, limit=MAX_ANALYZE_BYTES)
    return app


class _BodyLimit:
    """Refuses a request body longer than ``limit`` bytes on ``paths`` as soon as it is known, before
    the rest is read or parsed (``too_large``); shorter bodies are passed on as they came."""

    def __init__(self, app: ASGIApp, paths: tuple[str, ...], limit: int) -> None:
        self.app, self.paths, self.limit = app, paths, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] not in self.paths:
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        size = int(declared) if declared.isdigit() else 0
        messages: list[Message] = []
        more = size <= self.limit
        while more:  # a chunked body is counted as it comes
            message = await receive()
            messages.append(message)
            if not declared.isdigit():
                size += len(message.get("body", b""))
            more = message["type"] == "http.request" and message.get("more_body", False) and size <= self.limit
        if size > self.limit:
            err = ApiError("too_large", f"the request body has more than {self.limit} bytes; at most {self.limit}")
            await _error(Request(scope), err)(scope, receive, send)
            return

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


def _error(request: Request, err: ApiError) -> Response:
    if request.url.path.startswith("/api") or request.url.path.startswith("/openapi"):
        return JSONResponse(err.body(), status_code=err.status)
    return pages.error_page(request, err)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for e in exc.errors()[:5]:
        where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("query", "path", "body"))
        parts.append(f"{where or 'request'}: {e.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def _mount_docs(app: FastAPI) -> None:
    """Swagger UI from the ``swagger-ui-bundle`` package, so ``/docs`` works offline too."""
    try:
        from swagger_ui_bundle import swagger_ui_path
    except ImportError:  # docs without the bundle would load from a CDN: leave them out
        return
    app.mount("/docs-assets", StaticFiles(directory=swagger_ui_path), name="swagger")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="qala API",
            swagger_js_url="/docs-assets/swagger-ui-bundle.js",
            swagger_css_url="/docs-assets/swagger-ui.css",
            swagger_favicon_url="/docs-assets/favicon-32x32.png",
        )
