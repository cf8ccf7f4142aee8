"""RSS and Atom feeds (a local file or an http/https URL) through feedparser: one input per item.

An item with its full text in the feed (``content:encoded``, Atom ``content``) is read from
the feed; an item with only a summary has its page fetched and read as HTML. An item is
keyed by its link (the same key as the page given as a URL), else ``feed#id``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import feedparser
import lxml.etree
import lxml.html

from qala.ingest import failures
from qala.ingest.failures import Failure
from qala.ingest.fetch import Fetched, fetch_url
from qala.ingest.html import MIN_WORDS, read_html
from qala.ingest.language import guess_language
from qala.ingest.record import ArticleRecord

BLOCKS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section", "article")
FEED_START = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(rss|feed|rdf:RDF)\b", re.DOTALL)


@dataclass(slots=True)
class FeedEntry:
    """One feed item, as much as the feed says about it."""

    key: str
    source: str  # "feed.xml#3" or the feed URL + "#3"
    link: str | None
    title: str | None
    outlet: str | None
    published: str | None
    content: str | None  # full text (HTML or plain) when the feed carries it
    content_type: str | None
    summary: str | None
    raw_hash: str  # of the item's content as the feed gave it


def looks_like_feed(data: bytes) -> bool:
    """An XML document whose root is rss, feed (Atom) or rdf:RDF (RSS 1.0)."""
    return bool(FEED_START.match(data.lstrip(b"\xef\xbb\xbf")[:4096]))


def fragment_text(markup: str) -> str:
    """The text of an HTML fragment, one line per block: ``<p>قال</p><p>إن</p>`` -> ``"قال\\nإن"``."""
    if "<" not in markup:
        return "\n".join(" ".join(line.split()) for line in markup.splitlines() if line.strip())
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return ""
    for el in root.iter("br", *BLOCKS):
        el.tail = "\n" + (el.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def _iso(parsed: object) -> str | None:
    if not parsed:
        return None
    try:
        return datetime(*parsed[:6], tzinfo=UTC).isoformat()  # type: ignore[index]
    except (TypeError, ValueError):
        return None


def iter_feed(data: bytes, source: str, content_type: str | None = None) -> Iterator[FeedEntry | Failure]:
    """The entries of a feed given as bytes; one ``not-a-feed`` failure when there is none."""
    headers = {"content-type": content_type} if content_type else None
    parsed = feedparser.parse(data, response_headers=headers)
    if not parsed.entries:
        reason = str(parsed.get("bozo_exception") or "no items")
        yield Failure(source, source, failures.NOT_A_FEED, reason)
        return
    outlet = parsed.feed.get("title") or None
    for i, entry in enumerate(parsed.entries, start=1):
        link = entry.get("link") or None
        item_source = f"{source}#{i}"
        key = link or f"{source}#{entry.get('id') or i}"
        content = content_type_ = None
        if entry.get("content"):
            content = "\n".join(c.get("value", "") for c in entry.content)
            content_type_ = entry.content[0].get("type")
        summary = entry.get("summary") or None
        raw = (content or summary or entry.get("title") or "").encode("utf-8")
        yield FeedEntry(
            key=key,
            source=item_source,
            link=link,
            title=entry.get("title") or None,
            outlet=outlet,
            published=_iso(entry.get("published_parsed") or entry.get("updated_parsed")),
            content=content,
            content_type=content_type_,
            summary=summary,
            raw_hash=hashlib.sha256(raw).hexdigest(),
        )


def _text_of(value: str, content_type: str | None) -> str:
    if content_type and "html" not in content_type and "xml" not in content_type:
        return value.strip()
    return fragment_text(value)


def read_feed_entry(entry: FeedEntry) -> ArticleRecord | Failure:
    """The item's full text from the feed, else its fetched page, else its summary when long enough."""
    text = _text_of(entry.content, entry.content_type) if entry.content else ""
    if len(text.split()) < MIN_WORDS and entry.link:
        fetched = fetch_url(entry.link, entry.key)
        if isinstance(fetched, Failure):
            fetched.source = entry.link
            return fetched
        return _read_page(entry, fetched)
    if len(text.split()) < MIN_WORDS:
        text = fragment_text(entry.summary or "")
    n_words = len(text.split())
    if n_words < MIN_WORDS:
        return Failure(entry.key, entry.source, failures.NOT_ARTICLE, f"{n_words} words and no link")
    return ArticleRecord(
        text=text,
        title=entry.title,
        url=entry.link,
        outlet=entry.outlet,
        published=entry.published,
        language=guess_language(text),
        raw_hash=entry.raw_hash,
        source=entry.source,
    )


def _read_page(entry: FeedEntry, fetched: Fetched) -> ArticleRecord | Failure:
    record = read_html(
        fetched.data,
        entry.key,
        fetched.url,
        url=fetched.url,
        content_type=fetched.content_type,
        published=entry.published,
    )
    if isinstance(record, ArticleRecord):
        record.title = record.title or entry.title
        record.outlet = record.outlet or entry.outlet
    return record
