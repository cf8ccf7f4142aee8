"""The JSON API under ``/api``: each route returns the dict of one ``views`` function.

Exports (``/api/export/{quotes,articles,entities}.{ndjson,csv}``) stream every matching
row with no cap from one read snapshot; the ``X-Total-Count`` header is counted in it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from contextlib import ExitStack
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from qala.server import views
from qala.server.errors import ANALYZE_RESPONSES, ERROR_RESPONSES, bad_request
from qala.server.views import Db, open_db
from qala.store.export import SCHEMAS

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)

MAX_ID = 2**63 - 1
Id = Annotated[int, Path(ge=1, le=MAX_ID, description="A numeric id from a listing.")]
Limit = Annotated[
    int | None,
    Query(ge=1, le=views.MAX_LIMIT, description=f"Items per page (default {views.DEFAULT_LIMIT})."),
]
Cursor = Annotated[
    str | None,
    Query(pattern=r"^[0-9]{0,18}$", description="`next_cursor` of the previous page; omit for the first."),
]
ISO_DAY = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
Text = Annotated[
    str | None, Query(description='Full-text search over the statement: all words; "a phrase"; prefix*.')
]
Speaker = Annotated[str | None, Query(description="Speaker name or part of it (any spelling of the entity).")]
Outlet = Annotated[str | None, Query(description="Outlet name or part of it.")]
QuoteType = Annotated[
    str | None, Query(pattern="^(direct|indirect|mixed)?$", description="direct, indirect or mixed.")
]
DateFrom = Annotated[
    str | None, Query(alias="from", pattern=ISO_DAY, description="First day: YYYY, YYYY-MM or YYYY-MM-DD.")
]
DateTo = Annotated[
    str | None, Query(alias="to", pattern=ISO_DAY, description="Last day: YYYY, YYYY-MM or YYYY-MM-DD.")
]


def get_db(request: Request) -> Iterator[Db]:
    with open_db(request.app.state.db_path) as db:
        yield db


DbDep = Annotated[Db, Depends(get_db)]


class Page(BaseModel):
    """One page of a list; follow ``next_cursor`` until it is null to get all ``total`` items."""

    total: int
    limit: int
    next_cursor: str | None
    items: list[dict[str, Any]]
    filters: dict[str, Any]


class Meta(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = Field(
        None,
        pattern=r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2}([T ][0-9:.]+(Z|[+-][0-9:]+)?)?)?)?$",
        description="ISO date or datetime; relative dates are resolved against it.",
    )


class AnalyzeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(
        ...,
        description=f"Arabic news text, at most {views.MAX_ANALYZE_CHARS} characters (the request body at most"
        f" {views.MAX_ANALYZE_BYTES} bytes); its analysis is stopped after the server's time limit.",
    )
    meta: Meta | None = None
    id: str | None = None


@router.post(
    "/analyze",
    summary="Analyze a text without storing it: the Doc of output.md",
    response_model=None,
    responses={
        200: {"description": "The Doc of output.md.", "content": {"application/json": {"schema": {"type": "object"}}}},
        **ANALYZE_RESPONSES,
    },
)
def analyze(request: Request, body: AnalyzeRequest) -> Response:
    """Runs in a worker process of the server's pool (see ``qala serve --analyze-workers``)."""
    doc = views.analyze_text(
        request.app.state.analyzer, body.text, body.meta.model_dump() if body.meta else None, body.id
    )
    return Response(doc, media_type="application/json")


@router.get("/quotes", response_model=Page, summary="Statements matching every filter")
def quotes(
    db: DbDep,
    q: Text = None,
    speaker: Speaker = None,
    outlet: Outlet = None,
    type: QuoteType = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    limit: Limit = None,
    cursor: Cursor = None,
) -> dict[str, Any]:
    f = views.quote_filters(q, speaker, outlet, type, date_from, date_to)
    return views.quotes(db, f, limit, cursor)


@router.get("/articles", response_model=Page, summary="Articles (without text)")
def articles(
    db: DbDep,
    q: Annotated[str | None, Query(description="Full-text search over title and text.")] = None,
    outlet: Outlet = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    limit: Limit = None,
    cursor: Cursor = None,
) -> dict[str, Any]:
    return views.articles(db, views.article_filters(q, outlet, date_from, date_to), limit, cursor)


@router.get("/articles/{article_id}", summary="An article with statements, entities, dates and links")
def article(db: DbDep, article_id: Id) -> dict[str, Any]:
    return views.article(db, article_id)


@router.get(
    "/speakers", response_model=Page, summary="Speakers with counts, titles, outlets, first/last seen"
)
def speakers(
    db: DbDep,
    name: Annotated[str | None, Query(description="Part of the speaker's name.")] = None,
    limit: Limit = None,
    cursor: Cursor = None,
) -> dict[str, Any]:
    return views.speakers(db, name, limit, cursor)


class Unit(StrEnum):
    day = "day"
    week = "week"
    month = "month"


@router.get("/speakers/{speaker_id}", summary="A speaker: titles over time, outlets, statements, timeline")
def speaker(
    db: DbDep,
    speaker_id: Id,
    by: Annotated[Unit | None, Query(description="Timeline unit (default: chosen by the time span).")] = None,
    limit: Limit = None,
    cursor: Cursor = None,
) -> dict[str, Any]:
    return views.speaker(db, speaker_id, limit, cursor, by.value if by else None)


@router.get("/entities", response_model=Page, summary="Entities across articles")
def entities(
    db: DbDep,
    type: Annotated[
        str | None, Query(pattern="^(PER|ORG|LOC|MISC)?$", description="PER, ORG, LOC or MISC.")
    ] = None,
    limit: Limit = None,
    cursor: Cursor = None,
) -> dict[str, Any]:
    return views.entities(db, type, limit, cursor)


@router.get("/groups", response_model=Page, summary="Near-duplicate groups: one story, several outlets")
def groups(
    db: DbDep,
    min_size: Annotated[
        int | None, Query(ge=1, le=1_000_000, description="Fewest members (default 2).")
    ] = None,
    limit: Limit = None,
    cursor: Cursor = None,
) -> dict[str, Any]:
    return views.groups(db, min_size, limit, cursor)


@router.get("/groups/{group_id}", summary="The outlets that carried a story and when")
def group(db: DbDep, group_id: Id) -> dict[str, Any]:
    return views.group(db, group_id)


# -- exports -------------------------------------------------------------------------


class What(StrEnum):
    quotes = "quotes"
    articles = "articles"
    entities = "entities"


class Format(StrEnum):
    ndjson = "ndjson"
    csv = "csv"


MEDIA = {"ndjson": "application/x-ndjson; charset=utf-8", "csv": "text/csv; charset=utf-8"}


@router.get(
    "/export/{what}.{fmt}",
    summary="Every matching row, streamed (NDJSON or CSV); X-Total-Count gives the number",
    response_class=StreamingResponse,
    responses={200: {"content": {MEDIA["ndjson"]: {}, MEDIA["csv"]: {}}}},
)
def export(
    request: Request,
    what: What,
    fmt: Format,
    q: Text = None,
    speaker: Speaker = None,
    outlet: Outlet = None,
    type: Annotated[str | None, Query(description="Statement type, or entity type for entities.")] = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
) -> StreamingResponse:
    """Filters as in the matching list; a filter that does not apply to ``what`` is refused."""
    if what is What.quotes:
        f = views.quote_filters(q, speaker, outlet, type, date_from, date_to)
    elif what is What.articles:
        if speaker or type:
            raise bad_request("articles take the filters q, outlet, from, to")
        f = views.article_filters(q, outlet, date_from, date_to)
    else:
        if q or speaker or outlet or date_from or date_to:
            raise bad_request("entities take the filter type only")
        if type and type not in views.ENTITY_TYPES:
            raise bad_request(f"type {type!r} is not one of {', '.join(views.ENTITY_TYPES)}")
        f = {"type": type or None}
    # Opened here, not as a dependency: the stream outlives the route function.
    held = ExitStack()
    try:
        db = held.enter_context(open_db(request.app.state.db_path))
        held.enter_context(db.store.snapshot())
        if what is What.quotes:
            total = db.store.count_quotes(**f)
            rows: Iterator[dict[str, Any]] = db.store.search_quotes(**f)
        elif what is What.articles:
            total = db.store.count_articles(**f)
            rows = db.store.articles(**f)
        else:
            total = db.store.count_entities(f["type"])
            rows = db.store.entities(type=f["type"])
    except ValueError as e:
        held.close()
        raise bad_request(str(e)) from None
    except BaseException:
        held.close()
        raise

    def stream() -> Iterator[bytes]:
        with held:
            yield from _ndjson(rows) if fmt is Format.ndjson else _csv(rows, SCHEMAS[what.value].names)

    return StreamingResponse(
        stream(),
        media_type=MEDIA[fmt.value],
        headers={
            "X-Total-Count": str(total),
            "Content-Disposition": f'attachment; filename="{what.value}.{fmt.value}"',
        },
    )


def _ndjson(rows: Iterator[dict[str, Any]]) -> Iterator[bytes]:
    batch: list[str] = []
    for row in rows:
        batch.append(json.dumps(row, ensure_ascii=False))
        if len(batch) >= 200:
            yield ("\n".join(batch) + "\n").encode()
            batch = []
    if batch:
        yield ("\n".join(batch) + "\n").encode()


def _csv(rows: Iterator[dict[str, Any]], names: list[str]) -> Iterator[bytes]:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=names, extrasaction="ignore")
    writer.writeheader()
    for i, row in enumerate(rows, 1):
        writer.writerow({k: " | ".join(v) if isinstance(v, list) else v for k, v in row.items()})
        if i % 200 == 0:
            yield buf.getvalue().encode()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue().encode()


@router.get("/stats", summary="Rows per table and ingest outcomes")
def stats(db: DbDep) -> dict[str, Any]:
    s = db.store.stats()
    s.pop("database", None)  # no server paths in answers
    return s
