"""``qala load``: the Parquet tables of ``qala spark`` into a store (SQLite, or PostgreSQL by URL).

Each ``articles`` row carries its whole analysis (the ``doc`` column), so the loader rebuilds
the record and the ``Doc`` and calls ``store.add_article``: everything the store does on
ingest holds (deduplication by canonical URL and content hash, near-duplicate groups,
full-text index). Each loaded row is also logged in the ingest log under its record key
(``/abs/crawl.warc.gz#1488``), so a second load, or a ``qala ingest`` of the same WARC file,
skips it. The ``quotes``, ``entities`` and ``mentions`` tables are for analysis in Spark
or DuckDB; the store derives the same rows from the Doc.

    load_tables("out/", "qala.db")  # -> LoadSummary(new=..., duplicate=..., skipped=...)
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qala.ingest import failures
from qala.spark.tables import COLUMNS, doc_from_row, record_from_row
from qala.store import StoreError, open_store

BATCH_ROWS = 256  # articles per Arrow batch: their Doc JSON is the bulk of the memory


@dataclass(slots=True)
class LoadSummary:
    new: int = 0
    duplicate: int = 0  # same URL or text as a stored article
    skipped: int = 0  # loaded before (the record key is in the ingest log)
    failed: list[str] = field(default_factory=list)  # "key: reason"
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "new": self.new,
            "duplicate": self.duplicate,
            "skipped": self.skipped,
            "failed": len(self.failed),
            "seconds": round(self.seconds, 3),
        }


def iter_articles(folder: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """The rows of ``<folder>/articles`` (Hive-partitioned by date), in a stable order per file."""
    import pyarrow as pa
    import pyarrow.dataset as ds

    root = Path(folder) / "articles"
    if not root.is_dir():
        return
    partitioning = ds.partitioning(pa.schema([("date", pa.string())]), flavor="hive")
    dataset = ds.dataset(root, format="parquet", partitioning=partitioning, exclude_invalid_files=True)
    columns = [name for name, _ in COLUMNS["articles"]]
    for batch in dataset.to_batches(columns=columns, batch_size=BATCH_ROWS):
        yield from batch.to_pylist()


def load_tables(
    folder: str | os.PathLike[str],
    db: str,
    on_article: Callable[[LoadSummary], None] | None = None,
) -> LoadSummary:
    """Store every article of the Parquet output in ``folder`` into the store at ``db``."""
    started = time.perf_counter()
    summary = LoadSummary()
    store = open_store(db)
    try:
        for row in iter_articles(folder):
            key = row["key"]
            if store.input_done(key):
                summary.skipped += 1
            else:
                _load_row(store, row, summary)
            if on_article is not None:
                on_article(summary)
    finally:
        store.close()
        summary.seconds = time.perf_counter() - started
    return summary


def _load_row(store: Any, row: dict[str, Any], summary: LoadSummary) -> None:
    key = row["key"]
    try:
        record = record_from_row(row)
        outcome, article_id = store.add_article(record, doc_from_row(row["text"], row["doc"]))
    except (StoreError, ValueError, KeyError, TypeError) as e:
        summary.failed.append(f"{key}: {e}")
        store.log_input(key, row.get("source"), "failed", f"{failures.STORE_ERROR}: {e}")
        return
    store.log_input(key, record.source, outcome, article_id=article_id)
    if outcome == "new":
        summary.new += 1
    else:
        summary.duplicate += 1
