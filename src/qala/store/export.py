"""Streaming exports of statements, articles and entities as JSONL, CSV or Parquet.

Rows are written as they come from the store's listing (no cap, nothing held in memory
but one Parquet record batch); every writer returns the number of rows written, which
the CLI checks against the store's count taken in the same read snapshot.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

WHATS = ("quotes", "articles", "entities")
FORMATS = ("jsonl", "csv", "parquet")
BATCH = 10_000

_S, _I, _F = pa.string(), pa.int64(), pa.float64()

# One fixed schema per table, so a batch of nulls has the same column types as any other.
SCHEMAS: dict[str, pa.Schema] = {
    "quotes": pa.schema(
        [
            ("id", _I),
            ("article_id", _I),
            ("seq", _I),
            ("type", _S),
            ("speaker_name", _S),
            ("speaker_entity", _S),
            ("speaker_title", _S),
            ("resolution", _S),
            ("mention_start", _I),
            ("mention_end", _I),
            ("cue", _S),
            ("cue_start", _I),
            ("cue_end", _I),
            ("content", _S),
            ("content_start", _I),
            ("content_end", _I),
            ("date", _S),
            ("day", _S),
            ("confidence", _F),
            ("url", _S),
            ("title", _S),
            ("outlet", _S),
            ("published", _S),
            ("dup_group", _I),
        ]
    ),
    "articles": pa.schema(
        [
            ("id", _I),
            ("ext_id", _S),
            ("url", _S),
            ("canonical_url", _S),
            ("title", _S),
            ("outlet", _S),
            ("published", _S),
            ("day", _S),
            ("language", _S),
            ("content_hash", _S),
            ("raw_hash", _S),
            ("input", _S),
            ("dup_group", _I),
            ("similarity", _F),
            ("first_seen", _S),
            ("n_quotes", _I),
            ("n_mentions", _I),
            ("text", _S),
        ]
    ),
    "entities": pa.schema(
        [
            ("id", _I),
            ("name", _S),
            ("type", _S),
            ("aliases", pa.list_(_S)),
            ("articles", _I),
            ("mentions", _I),
        ]
    ),
}


def write_jsonl(rows: Iterable[dict[str, Any]], out: IO[bytes]) -> int:
    n = 0
    text = io.TextIOWrapper(out, encoding="utf-8", newline="\n", write_through=True)
    try:
        for row in rows:
            text.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
        text.flush()
    finally:
        text.detach()  # leave ``out`` open for the caller
    return n


def write_csv(rows: Iterable[dict[str, Any]], out: IO[bytes], schema: pa.Schema) -> int:
    """CSV with a header; list cells (entity aliases) are joined with `` | ``."""
    n = 0
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    try:
        writer = csv.DictWriter(text, fieldnames=schema.names, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: " | ".join(v) if isinstance(v, list) else v for k, v in row.items()})
            n += 1
        text.flush()
    finally:
        text.detach()
    return n


def write_parquet(rows: Iterable[dict[str, Any]], out: IO[bytes] | str, schema: pa.Schema) -> int:
    """Parquet written one record batch of ``BATCH`` rows at a time."""
    n = 0
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        for batch in _batches(rows, BATCH):
            writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=schema))
            n += len(batch)
    return n


def write(rows: Iterable[dict[str, Any]], what: str, format: str, out: IO[bytes]) -> int:
    """Write ``rows`` of table ``what`` to ``out`` in ``format``; returns the number of rows."""
    schema = SCHEMAS[what]
    if format == "jsonl":
        return write_jsonl(rows, out)
    if format == "csv":
        return write_csv(rows, out, schema)
    if format == "parquet":
        return write_parquet(rows, out, schema)
    raise ValueError(f"export format {format!r} is not one of {', '.join(FORMATS)}")


def _batches(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
