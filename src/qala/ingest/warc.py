"""WARC and ARC archives (gzipped or not) through warcio: one input per HTML response record.

Only ``response`` records whose HTTP Content-Type is HTML become pages (status 200) or
failures (``http-404``, ``http-500``, ...); requests, metadata, images, scripts and redirects
are ignored, as they are no articles. Each record is keyed ``"/abs/crawl.warc.gz#1488"`` (its
offset). A record cut short (``truncated-warc``) is reported and, in a gzipped archive, the
reading resumes at the next gzip member, so one bad record does not cost the rest.
"""

from __future__ import annotations

import mmap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from qala.ingest import failures
from qala.ingest.failures import Failure
from qala.ingest.fetch import MAX_BYTES

GZIP_MAGIC = b"\x1f\x8b\x08"
HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(slots=True)
class WarcPage:
    key: str
    source: str
    url: str | None
    content_type: str | None
    warc_date: str | None
    data: bytes


@dataclass(slots=True)
class Ignored:
    """A record that is no article (a request, an image, a redirect); not logged."""

    key: str
    why: str


def _is_html(content_type: str | None) -> bool:
    return bool(content_type) and content_type.split(";", 1)[0].strip().lower() in HTML_TYPES


def _next_member(path: Path, after: int) -> int | None:
    """The offset of the next gzip member after ``after``, or None."""
    with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
        pos = m.find(GZIP_MAGIC, after + 1)
    return None if pos < 0 else pos


def iter_warc(path: Path) -> Iterator[WarcPage | Failure | Ignored]:
    """Every record of ``path`` as a page, a failure or an ignored record, in file order."""
    name = str(path)
    size = path.stat().st_size
    with path.open("rb") as f:
        head = f.read(12)
    gzipped = head.startswith(GZIP_MAGIC)
    if not (gzipped or head.startswith((b"WARC/", b"filedesc://"))):
        yield Failure(f"{name}#0", name, failures.BAD_WARC, "neither a WARC nor an ARC file")
        return
    start: int | None = 0
    while start is not None and start < size:
        resumed = start > 0  # after a damaged member: a false gzip magic inside data is skipped quietly
        broken = False
        with path.open("rb") as f:
            f.seek(start)
            iterator = ArchiveIterator(f, arc2warc=True)
            offset = start
            try:
                for record in iterator:
                    offset = start + iterator.offset  # get_record_offset() would read the record first
                    item = _read_record(record, f"{name}#{offset}", name)
                    yield item
                    if isinstance(item, Failure) and item.reason == failures.TRUNCATED_WARC:
                        broken = True
                        break
                else:
                    offset = start + iterator.offset
                    if offset < size:  # warcio stops silently at a gzip member cut short
                        broken = True
                        if not (resumed and offset == start):
                            yield Failure(
                                f"{name}#{offset}",
                                name,
                                failures.TRUNCATED_WARC,
                                f"{size - offset} trailing bytes hold no complete record",
                            )
            except Exception as e:  # warcio raises assorted errors on damaged headers
                offset = start + iterator.offset
                broken = True
                if not (resumed and offset == start):
                    reason = failures.BAD_WARC if offset == 0 else failures.TRUNCATED_WARC
                    yield Failure(f"{name}#{offset}", name, reason, f"{type(e).__name__}: {e}")
        start = _next_member(path, offset) if broken and gzipped else None


def _read_record(record, key: str, source: str) -> WarcPage | Failure | Ignored:
    if record.rec_type != "response":
        return Ignored(key, record.rec_type)
    if record.http_headers is None:
        return Ignored(key, "no HTTP headers")
    content_type = record.http_headers.get_header("Content-Type")
    if not _is_html(content_type):
        return Ignored(key, content_type or "no content type")
    status = record.http_headers.get_statuscode() or ""
    if status.startswith("3"):
        return Ignored(key, f"redirect {status}")
    data = record.content_stream().read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        return Failure(key, source, failures.TOO_LARGE, f"over {MAX_BYTES} bytes")
    remaining = getattr(record.raw_stream, "limit", 0)
    if remaining:
        return Failure(key, source, failures.TRUNCATED_WARC, f"{remaining} bytes short of its Content-Length")
    if status != "200":
        return Failure(key, source, failures.http_reason(status or "unknown"), record.http_headers.protocol)
    return WarcPage(
        key=key,
        source=source,
        url=record.rec_headers.get_header("WARC-Target-URI"),
        content_type=content_type,
        warc_date=record.rec_headers.get_header("WARC-Date"),
        data=data,
    )
