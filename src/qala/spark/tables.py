"""The Parquet tables of ``qala spark``: their columns, and the rows of one analyzed record.

Every row is a plain dict, so this module needs no Spark. ``article_rows(record, doc, key)``
gives, for «وقال الوزير أحمد سالم إن الحكومة ستدعم المشروع», one ``articles`` row, one
``quotes`` row (speaker «أحمد سالم», cue «قال») and an ``entities`` and a ``mentions`` row per
entity and mention. Ids are stable: an article's id is the hash of its text
(``qala.ingest.record.content_hash``), a quote's is ``<article id>:<n>``, so a rerun writes
the same ids and ``qala load`` can deduplicate.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from qala.ingest.record import ArticleRecord, content_hash
from qala.nlp import Doc

UNKNOWN_DATE = "unknown"
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")

# Column name, Spark SQL type. ``date`` (the partition column) is last.
COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "articles": (
        ("id", "string"),  # content hash of the text: the same text read twice has one id
        ("key", "string"),  # the record's input key: "/abs/crawl.warc.gz#1488", "/abs/a.jsonl:7#id"
        ("source", "string"),  # the input file (or "file:line" for JSONL)
        ("url", "string"),
        ("title", "string"),
        ("outlet", "string"),
        ("published", "string"),  # ISO date or datetime, as read
        ("language", "string"),
        ("raw_hash", "string"),  # sha256 of the raw bytes read
        ("text", "string"),
        ("n_quotes", "int"),
        ("n_entities", "int"),
        (
            "doc",
            "string",
        ),  # Doc.to_dict() as JSON, without "text" (the column above): what `qala load` stores
        ("date", "string"),
    ),
    "quotes": (
        ("id", "string"),  # "<article id>:<n>"
        ("article_id", "string"),
        ("n", "int"),  # the quote's index in the article
        ("type", "string"),  # direct | indirect | mixed
        ("speaker", "string"),
        ("speaker_entity", "string"),  # "<article id>:e1", an entities row
        ("speaker_title", "string"),
        ("speaker_resolution", "string"),
        ("speaker_start", "int"),
        ("speaker_end", "int"),
        ("cue", "string"),
        ("cue_start", "int"),
        ("cue_end", "int"),
        ("content", "string"),
        ("content_start", "int"),
        ("content_end", "int"),
        ("statement_date", "string"),  # when the statement was made, if the text says
        ("confidence", "double"),
        ("url", "string"),
        ("outlet", "string"),
        ("published", "string"),
        ("date", "string"),
    ),
    "entities": (
        ("id", "string"),  # "<article id>:e1"
        ("article_id", "string"),
        ("name", "string"),
        ("type", "string"),  # PER | ORG | LOC
        ("titles", "array<string>"),
        ("n_mentions", "int"),
        ("date", "string"),
    ),
    "mentions": (
        ("entity_id", "string"),
        ("article_id", "string"),
        ("start", "int"),
        ("end", "int"),
        ("text", "string"),
        ("date", "string"),
    ),
    "skips": (
        ("key", "string"),
        ("source", "string"),
        ("reason", "string"),  # not-html, not-arabic, truncated-warc, not-article, analysis-error, ...
        ("detail", "string"),
    ),
}
TABLES = ("articles", "quotes", "entities", "mentions")  # partitioned by date; "skips" is not
PARTITIONED = frozenset(TABLES)


def union_schema() -> str:
    """What each Spark task yields: one column per table, a struct set for the row's table only.

    One Arrow stream carries all five tables out of the Python workers; the writes then
    select their table inside the JVM, without another pass through Python.
    """
    structs = ", ".join(
        f"`{table}` struct<{', '.join(f'`{n}`: {k}' for n, k in columns)}>"
        for table, columns in COLUMNS.items()
    )
    return f"`file_id` string, `table` string, `reason` string, {structs}"


def arrow_schema() -> Any:
    """``union_schema()`` in Arrow types (pyarrow is imported here: the driver of ``qala load`` needs no Spark)."""
    import pyarrow as pa

    types = {
        "string": pa.string(),
        "int": pa.int32(),
        "double": pa.float64(),
        "array<string>": pa.list_(pa.string()),
    }
    fields = [
        pa.field("file_id", pa.string()),
        pa.field("table", pa.string()),
        pa.field("reason", pa.string()),
    ]
    for table, columns in COLUMNS.items():
        fields.append(pa.field(table, pa.struct([pa.field(n, types[k]) for n, k in columns])))
    return pa.schema(fields)


def day_of(published: str | None) -> str:
    """The partition of an article: ``day_of("2015-09-15T10:00:00+03:00") == "2015-09-15"``, else ``"unknown"``."""
    return published[:10] if published and ISO_DAY.match(published) else UNKNOWN_DATE


def skip_row(key: str, source: str, reason: str, detail: str = "") -> dict[str, Any]:
    return {"key": key, "source": source, "reason": reason, "detail": " ".join(detail.split())}


def doc_json(doc: Doc) -> str:
    d = doc.to_dict()
    del d["text"]
    return json.dumps(d, ensure_ascii=False, separators=(",", ":"))


def doc_from_row(text: str, doc: str) -> Doc:
    """The Doc of an ``articles`` row (its ``text`` and ``doc`` columns)."""
    return Doc.from_dict({**json.loads(doc), "text": text})


def record_from_row(row: dict[str, Any]) -> ArticleRecord:
    """The ``ArticleRecord`` of an ``articles`` row, as ``store.add_article`` takes it."""
    doc_id = json.loads(row["doc"]).get("id") if row.get("doc") else None
    return ArticleRecord(
        text=row["text"],
        title=row.get("title"),
        url=row.get("url"),
        outlet=row.get("outlet"),
        published=row.get("published"),
        language=row.get("language"),
        raw_hash=row.get("raw_hash") or "",
        source=row.get("source") or "",
        id=doc_id,
    )


def article_rows(record: ArticleRecord, doc: Doc, key: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(table, row)`` for the article, its quotes, entities and mentions."""
    article_id = content_hash(record.text)
    date = day_of(record.published)
    yield (
        "articles",
        {
            "id": article_id,
            "key": key,
            "source": record.source,
            "url": record.url,
            "title": record.title,
            "outlet": record.outlet,
            "published": record.published,
            "language": record.language,
            "raw_hash": record.raw_hash,
            "text": record.text,
            "n_quotes": len(doc.quotes),
            "n_entities": len(doc.entities),
            "doc": doc_json(doc),
            "date": date,
        },
    )
    for n, q in enumerate(doc.quotes):
        sp = q.speaker
        mention = sp.mention if sp else None
        yield (
            "quotes",
            {
                "id": f"{article_id}:{n}",
                "article_id": article_id,
                "n": n,
                "type": q.type,
                "speaker": sp.name if sp else None,
                "speaker_entity": f"{article_id}:{sp.entity}" if sp and sp.entity else None,
                "speaker_title": sp.title if sp else None,
                "speaker_resolution": sp.resolution if sp else None,
                "speaker_start": mention.start if mention else None,
                "speaker_end": mention.end if mention else None,
                "cue": q.cue.text,
                "cue_start": q.cue.start,
                "cue_end": q.cue.end,
                "content": q.content.text,
                "content_start": q.content.start,
                "content_end": q.content.end,
                "statement_date": q.date,
                "confidence": round(q.confidence, 2),
                "url": record.url,
                "outlet": record.outlet,
                "published": record.published,
                "date": date,
            },
        )
    for e in doc.entities:
        entity_id = f"{article_id}:{e.id}"
        yield (
            "entities",
            {
                "id": entity_id,
                "article_id": article_id,
                "name": e.name,
                "type": e.type,
                "titles": list(e.titles),
                "n_mentions": len(e.mentions),
                "date": date,
            },
        )
        for m in e.mentions:
            yield (
                "mentions",
                {
                    "entity_id": entity_id,
                    "article_id": article_id,
                    "start": m.start,
                    "end": m.end,
                    "text": m.text,
                    "date": date,
                },
            )
