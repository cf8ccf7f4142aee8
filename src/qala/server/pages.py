"""The web UI: server-rendered Arabic pages, each rendering the dict of one ``views`` function.

Templates are autoescaped (every article text, title, URL and name); hrefs built from
stored URLs go through ``safe_url`` (http and https only), and the pages need no script.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jinja2
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from qala.server import highlight, timeline, views
from qala.server.api import MAX_ID, DbDep
from qala.server.errors import ApiError, bad_request, not_found

HERE = Path(__file__).parent

env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE / "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
templates = Jinja2Templates(env=env)

router = APIRouter(include_in_schema=False)


def safe_url(url: object) -> str | None:
    """``url`` if it is an absolute http(s) URL, else None (no ``javascript:``, ``data:``, ...)."""
    if not isinstance(url, str):
        return None
    u = url.strip()
    try:
        parts = urlsplit(u)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if any(c in u for c in "\x00\r\n\t") or highlight.BIDI_CONTROLS.search(u):
        return None
    return u


def href(path: str, params: dict[str, Any] | None = None, **extra: Any) -> str:
    """``path`` with the non-empty ``params`` and ``extra`` as its query string."""
    merged = {k: v for k, v in {**(params or {}), **extra}.items() if v not in (None, "")}
    return path + ("?" + urlencode(merged) if merged else "")


env.globals.update(href=href, safe_url=safe_url, RESOLUTION_LABELS=highlight.RESOLUTION_LABELS)
env.filters.update(
    ctl=highlight.show_controls,
    noctl=highlight.strip_controls,
    type_label=lambda t: highlight.TYPE_LABELS.get(t, t),
    entity_label=lambda t: highlight.ENTITY_LABELS.get(t, t),
    resolution_label=lambda r: highlight.RESOLUTION_LABELS.get(r, r or ""),
)


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status)


def error_page(request: Request, err: ApiError) -> HTMLResponse:
    return render(request, "error.html", {"error": err.body()["error"], "status": err.status}, err.status)


@router.get("/", response_class=HTMLResponse)
def search_page(
    request: Request,
    db: DbDep,
    q: str | None = None,
    speaker: str | None = None,
    outlet: str | None = None,
    type: str | None = None,
    date_from: Annotated[str | None, Query(alias="from")] = None,
    date_to: Annotated[str | None, Query(alias="to")] = None,
    limit: int | None = None,
    cursor: str | None = None,
) -> HTMLResponse:
    data = views.quotes(db, views.quote_filters(q, speaker, outlet, type, date_from, date_to), limit, cursor)
    return render(request, "search.html", {"data": data, "api": href("/api/quotes", data["filters"])})


@router.get("/articles", response_class=HTMLResponse)
def articles_page(
    request: Request,
    db: DbDep,
    q: str | None = None,
    outlet: str | None = None,
    date_from: Annotated[str | None, Query(alias="from")] = None,
    date_to: Annotated[str | None, Query(alias="to")] = None,
    limit: int | None = None,
    cursor: str | None = None,
) -> HTMLResponse:
    data = views.articles(db, views.article_filters(q, outlet, date_from, date_to), limit, cursor)
    return render(request, "articles.html", {"data": data, "api": href("/api/articles", data["filters"])})


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, db: DbDep, article_id: int) -> HTMLResponse:
    if not 1 <= article_id <= MAX_ID:
        raise not_found(f"article {article_id} does not exist")
    art = views.article(db, article_id)
    events = highlight.events(art["text"], highlight.article_marks(art))
    return render(
        request, "article.html", {"art": art, "events": events, "api": f"/api/articles/{article_id}"}
    )


@router.get("/speakers", response_class=HTMLResponse)
def speakers_page(
    request: Request, db: DbDep, name: str | None = None, limit: int | None = None, cursor: str | None = None
) -> HTMLResponse:
    data = views.speakers(db, name, limit, cursor)
    return render(request, "speakers.html", {"data": data, "api": href("/api/speakers", data["filters"])})


@router.get("/speakers/{speaker_id}", response_class=HTMLResponse)
def speaker_page(
    request: Request,
    db: DbDep,
    speaker_id: int,
    by: str | None = None,
    limit: int | None = None,
    cursor: str | None = None,
) -> HTMLResponse:
    if not 1 <= speaker_id <= MAX_ID:
        raise not_found(f"speaker {speaker_id} does not exist")
    data = views.speaker(db, speaker_id, limit, cursor, by or None)
    chart = timeline.chart(data["timeline"])
    return render(
        request,
        "speaker.html",
        {"sp": data, "chart": chart, "by": by, "api": href(f"/api/speakers/{speaker_id}", {"by": by})},
    )


@router.get("/groups", response_class=HTMLResponse)
def groups_page(
    request: Request, db: DbDep, limit: int | None = None, cursor: str | None = None
) -> HTMLResponse:
    data = views.groups(db, 2, limit, cursor)
    return render(request, "groups.html", {"data": data, "api": "/api/groups"})


@router.get("/groups/{group_id}", response_class=HTMLResponse)
def group_page(request: Request, db: DbDep, group_id: int) -> HTMLResponse:
    if not 1 <= group_id <= MAX_ID:
        raise not_found(f"near-duplicate group {group_id} does not exist")
    g = views.group(db, group_id)
    return render(request, "group.html", {"g": g, "api": f"/api/groups/{group_id}"})


@router.get("/analyze", response_class=HTMLResponse)
def analyze_form(request: Request) -> HTMLResponse:
    return render(request, "analyze.html", {"doc": None, "events": None, "form": {}})


@router.post("/analyze", response_class=HTMLResponse)
async def analyze_page(request: Request) -> HTMLResponse:
    """The pasted text analyzed and highlighted; nothing is stored."""
    body = await request.body()  # at most MAX_ANALYZE_BYTES: the app refuses longer bodies unread
    try:
        fields = parse_qs(body.decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError:
        raise bad_request("the form is not UTF-8") from None
    form = {k: (fields.get(k) or [""])[0] for k in ("text", "published", "title", "outlet")}
    meta = {k: form[k].strip() or None for k in ("published", "title", "outlet")}
    doc = json.loads(await run_in_threadpool(views.analyze_text, request.app.state.analyzer, form["text"], meta, "pasted"))
    art = views.doc_as_article(doc)
    events = highlight.events(art["text"], highlight.article_marks(art))
    return render(request, "analyze.html", {"doc": doc, "art": art, "events": events, "form": form})
