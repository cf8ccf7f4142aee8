"""Inputs to work items: files, folders (walked recursively by extension) and URLs.

Every work item has a key that is stable across reruns, which the ingest log is keyed by:

- an HTML or text file: ``"/abs/path/page.html|sha256:<hex of its bytes>"`` (an edited file is new input);
- a URL, or a feed item: the URL (a feed item without a link: ``"feed.xml#<item id>"``);
- a WARC record: ``"/abs/crawl.warc.gz#<record offset>"``;
- a JSONL line: ``"/abs/articles.jsonl:<line number>#<id>"``.

``expand`` reads containers (JSONL, feeds, WARC) in the calling process and yields one item
per article; ``read_item`` turns an item into an ``ArticleRecord`` or a ``Failure`` and is
what the worker processes run.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from qala.ingest import failures
from qala.ingest.failures import Failure
from qala.ingest.feeds import FeedEntry, iter_feed, looks_like_feed, read_feed_entry
from qala.ingest.fetch import fetch_url, is_url
from qala.ingest.html import read_html
from qala.ingest.jsonl import JsonlLine, iter_jsonl, read_jsonl_line
from qala.ingest.record import ArticleRecord
from qala.ingest.text import read_text
from qala.ingest.warc import Ignored, WarcPage, iter_warc

KINDS = {
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".shtml": "html",
    ".rss": "feed",
    ".atom": "feed",
    ".rdf": "feed",
    ".xml": "feed",
    ".warc": "warc",
    ".warc.gz": "warc",
    ".arc": "warc",
    ".arc.gz": "warc",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
)


@dataclass(slots=True)
class Page:
    """An HTML page or a text file, with its bytes."""

    key: str
    source: str
    kind: str  # "html" or "text"
    data: bytes
    url: str | None = None
    content_type: str | None = None


@dataclass(slots=True)
class Skipped:
    """An input the ingest log already has a final outcome for."""

    key: str


WorkItem = Page | JsonlLine | FeedEntry | WarcPage


def kind_of(path: Path) -> str | None:
    """The reader for a file name: ``kind_of(Path("crawl.warc.gz")) == "warc"``; None when unknown."""
    name = path.name.lower()
    for suffix, kind in sorted(KINDS.items(), key=lambda kv: -len(kv[0])):
        if name.endswith(suffix):
            return kind
    return None


def sniff_kind(data: bytes) -> str:
    """The reader for a file named with no known extension, from its first bytes."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf").lstrip()
    if head.startswith((b"WARC/", b"filedesc://")) or data.startswith(b"\x1f\x8b"):
        return "warc"
    if looks_like_feed(head):
        return "feed"
    if head.startswith(b"<"):
        return "html"
    if head.startswith(b"{"):
        return "jsonl"
    return "text"


def walk(folder: Path) -> Iterator[Path]:
    """Files under ``folder`` with a known extension, in a stable order, hidden ones left out."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(root, name)
            if not name.startswith(".") and kind_of(path) is not None:
                yield path


def file_key(path: str, data: bytes) -> str:
    return f"{path}|sha256:{hashlib.sha256(data).hexdigest()}"


def expand(
    inputs: Iterable[str],
    skip: Callable[[str], bool] = lambda key: False,
) -> Iterator[WorkItem | Failure | Skipped | Ignored]:
    """Work items for ``inputs`` in order; items whose key ``skip`` accepts come out as ``Skipped``."""
    for value in inputs:
        if is_url(value):
            yield from _expand_url(value, skip)
            continue
        path = Path(value)
        if not path.exists():
            yield Failure(str(path.absolute()), value, failures.NOT_FOUND, "no such file or folder")
        elif path.is_dir():
            for file in walk(path):
                yield from _expand_file(file.resolve(), kind_of(file), skip)
        else:
            yield from _expand_file(path.resolve(), kind_of(path), skip)


def _expand_file(path: Path, kind: str | None, skip: Callable[[str], bool]):
    name = str(path)
    try:
        if kind == "jsonl":
            for line in iter_jsonl(path):
                yield _unless_done(line, skip)
            return
        if kind == "warc":
            for record in iter_warc(path):
                yield _unless_done(record, skip)
            return
        data = path.read_bytes()
    except OSError as e:
        yield Failure(name, name, failures.UNREADABLE, e.strerror or str(e))
        return
    kind = kind or sniff_kind(data)
    if kind in ("jsonl", "warc"):
        yield from _expand_file(path, kind, skip)
    elif kind == "feed":
        for entry in iter_feed(data, name):
            yield _unless_done(entry, skip)
    else:
        yield _unless_done(Page(file_key(name, data), name, kind, data), skip)


def _expand_url(url: str, skip: Callable[[str], bool]):
    # Fetched before the done check: only the answer tells a feed (read again on every run,
    # for its new items) from a page.
    fetched = fetch_url(url)
    if isinstance(fetched, Failure):
        yield fetched
        return
    content_type = (fetched.content_type or "").split(";", 1)[0].strip().lower()
    if looks_like_feed(fetched.data) or content_type in FEED_TYPES:
        for entry in iter_feed(fetched.data, url, fetched.content_type):
            yield _unless_done(entry, skip)
    else:
        yield _unless_done(Page(url, url, "html", fetched.data, fetched.url, fetched.content_type), skip)


def _unless_done(item, skip: Callable[[str], bool]):
    """``Skipped`` for an item (or an item's failure) done in an earlier run; a whole feed is never done."""
    if isinstance(item, Ignored) or (isinstance(item, Failure) and item.reason == failures.NOT_A_FEED):
        return item
    return Skipped(item.key) if skip(item.key) else item


def read_item(item: WorkItem) -> ArticleRecord | Failure:
    """The article of one work item (runs in a worker process: reading, decoding, extraction)."""
    if isinstance(item, JsonlLine):
        return read_jsonl_line(item)
    if isinstance(item, FeedEntry):
        return read_feed_entry(item)
    if isinstance(item, WarcPage):
        return read_html(
            item.data,
            item.key,
            item.source,
            url=item.url,
            content_type=item.content_type,
            fallback_published=item.warc_date,
        )
    if item.kind == "text":
        return read_text(item.data, item.key, item.source)
    return read_html(item.data, item.key, item.source, url=item.url, content_type=item.content_type)


def count_items(inputs: Iterable[str]) -> int | None:
    """How many work items ``expand`` will yield, when that is cheap to know (None with a feed, WARC or URL)."""
    total = 0
    for value in inputs:
        if is_url(value):
            return None
        path = Path(value)
        files = walk(path) if path.is_dir() else [path]
        for file in files:
            kind = kind_of(file) if file.exists() else "missing"
            if kind in ("feed", "warc", None):
                return None
            total += _count_lines(file) if kind == "jsonl" else 1
    return total


def _count_lines(path: Path) -> int:
    """Non-blank lines, counted in blocks (a JSONL file can be gigabytes)."""
    count, last = 0, b"\n"
    try:
        with path.open("rb") as f:
            while block := f.read(1 << 20):
                count += block.count(b"\n") - block.count(b"\n\n") - block.count(b"\n\r\n")
                last = block[-1:]
    except OSError:
        return 1
    return count + (last != b"\n")
