"""HTML pages: main text, title and site name through trafilatura, publication date through htmldate.

A page whose main text is missing or under ``MIN_WORDS`` words is a ``not-article`` failure
(a section front, a video page, an error page served with status 200). Dates: htmldate's
quick search, unless it is missing or only a year (htmldate answers YYYY-01-01 then) and the
URL has a full date (``/2013/middle_east/8/3/`` → 2013-08-03); then htmldate's extensive
search; then the caller's fallback (a WARC-Date), then trafilatura's own date.
"""

from __future__ import annotations

import hashlib
import re
import urllib.parse
import warnings

import htmldate
import trafilatura

from qala.ingest import failures
from qala.ingest.encoding import DecodeError, decode_bytes
from qala.ingest.failures import Failure
from qala.ingest.language import guess_language
from qala.ingest.record import ArticleRecord

MIN_WORDS = 40
TAG = re.compile(r"<\s*[A-Za-z!?/]")
# /YYYY/M/D/ or /YYYY/section/M/D/ (CNN Arabic), YYYY-MM-DD or YYYY_MM_DD in a path segment.
URL_DATE = re.compile(r"/((?:19|20)\d\d)/(?:[^/\d][^/]*/)?(\d{1,2})/(\d{1,2})(?:/|$)")
QUICK_DATE = {"extensive_search": False, "original_date": True}
URL_DATE_JOINED = re.compile(r"[/_-]((?:19|20)\d\d)[-_](\d\d)[-_](\d\d)(?:\D|$)")


def url_date(url: str | None) -> str | None:
    """``url_date("http://arabic.cnn.com/2013/middle_east/8/3/syria.clashes/index.html") == "2013-08-03"``."""
    if not url:
        return None
    path = urllib.parse.unquote(urllib.parse.urlsplit(url).path)
    for pattern in (URL_DATE, URL_DATE_JOINED):
        m = pattern.search(path)
        if m:
            year, month, day = (int(g) for g in m.groups())
            if 1 <= month <= 12 and 1 <= day <= 31:
                return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def find_published(html: str, url: str | None) -> str | None:
    """The page's publication date (ISO), or None.

    htmldate's quick search first, then a full date in the URL, then htmldate's extensive
    search, which is right more often but can take seconds (it runs dateparser over all locales).
    """
    quick = _htmldate(html, url, extensive=False)
    from_url = url_date(url)
    if quick and not (from_url and quick.endswith("-01-01") and quick[:4] == from_url[:4]):
        return quick
    return from_url or _htmldate(html, url, extensive=True)


def _htmldate(html: str, url: str | None, *, extensive: bool) -> str | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # dateutil warns about every unknown time zone name
        try:
            return htmldate.find_date(html, url=url, original_date=True, extensive_search=extensive)
        except Exception:  # a heuristic over arbitrary markup: a miss is not an error
            return None


def site_name(sitename: str | None, url: str | None) -> str | None:
    """The outlet: trafilatura's site name, or the host when it is a URL or missing."""
    if sitename and not sitename.lower().startswith(("http://", "https://")):
        return sitename.strip()
    host = urllib.parse.urlsplit(sitename or url or "").hostname
    return host.removeprefix("www.") if host else None


def read_html(
    data: bytes,
    key: str,
    source: str,
    *,
    url: str | None = None,
    content_type: str | None = None,
    published: str | None = None,
    fallback_published: str | None = None,
) -> ArticleRecord | Failure:
    """One page's bytes to a record; ``published`` overrides the page's date, ``fallback_published`` backs it up."""
    try:
        html = decode_bytes(data, content_type).text
    except DecodeError as e:
        return Failure(key, source, failures.BAD_ENCODING, str(e))
    if not html.strip():
        return Failure(key, source, failures.EMPTY)
    if not TAG.search(html[:65536]):
        return Failure(key, source, failures.INVALID_MARKUP, "no HTML tags")
    if trafilatura.load_html(html) is None:
        return Failure(key, source, failures.INVALID_MARKUP, "no parseable HTML tree")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # dateutil warns about every unknown time zone name
        extracted = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            date_extraction_params=QUICK_DATE,  # its date is our last resort; find_published searches harder
        )
    text = (extracted.text or "").strip() if extracted is not None else ""
    n_words = len(text.split())
    if n_words < MIN_WORDS:
        return Failure(key, source, failures.NOT_ARTICLE, f"{n_words} words of main text")
    page_url = url or extracted.url
    return ArticleRecord(
        text=text,
        title=extracted.title,
        url=page_url,
        outlet=site_name(extracted.sitename, page_url),
        published=published or find_published(html, page_url) or fallback_published or extracted.date,
        language=guess_language(text),
        raw_hash=hashlib.sha256(data).hexdigest(),
        source=source,
    )
