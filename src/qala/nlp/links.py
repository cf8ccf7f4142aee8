"""Links in the text, with what they point to (a YouTube video, a tweet, a post).

``find_links`` on «شاهد: https://youtu.be/JMe5eRIXW7g.» gives
``Link(text[7:35], url="https://youtu.be/JMe5eRIXW7g", kind="youtube", video_id="JMe5eRIXW7g")``.
Only the span is found by pattern (a URL runs to the next blank or quotation mark, and
trailing sentence punctuation is not part of it); the URL itself is read by ``urllib.parse``.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from qala.nlp.doc import Doc, Link

# Up to the next blank, quotation mark or angle bracket; Arabic letters are allowed (IRIs such
# as ar.wikipedia.org/wiki/مصر).
_URL = re.compile(r"(?<![A-Za-z0-9@._-])(?:https?://|www\.)[^\s\"“”«»<>]+", re.IGNORECASE)
_TRAILING = ".,،:;؛!?؟'’)]}…"  # sentence punctuation after a link, not part of it
_VIDEO_ID = re.compile(r"[A-Za-z0-9_-]{6,}")

# Host (without www./m./mobile.) -> kind.
_KINDS = {
    "youtube.com": "youtube",
    "youtu.be": "youtube",
    "youtube-nocookie.com": "youtube",
    "twitter.com": "twitter",
    "x.com": "twitter",
    "t.co": "twitter",
    "facebook.com": "facebook",
    "fb.com": "facebook",
    "fb.watch": "facebook",
    "fb.me": "facebook",
    "instagram.com": "instagram",
    "instagr.am": "instagram",
}
_YOUTUBE_PATH_PREFIXES = ("embed", "shorts", "v", "live")


def _trim(url: str) -> str:
    """Drop trailing punctuation; a closing bracket stays when the URL opened it (wiki/Foo_(bar))."""
    count = {mark: url.count(mark) for mark in "()[]{}"}  # kept up to date, not recounted per char
    end = len(url)
    while end and url[end - 1] in _TRAILING:
        closer = url[end - 1]
        opener = {")": "(", "]": "[", "}": "{"}.get(closer)
        if opener:
            if count[opener] >= count[closer]:
                break
            count[closer] -= 1
        end -= 1
    return url[:end]


def _host(netloc: str) -> str:
    host = netloc.rsplit("@", 1)[-1].split(":", 1)[0].lower()
    for prefix in ("www.", "m.", "mobile.", "music."):
        if host.startswith(prefix):
            host = host[len(prefix) :]
    return host


def link_kind(url: str) -> tuple[str, str | None]:
    """(kind, YouTube video id) of one URL: ``link_kind("https://youtu.be/JMe5eRIXW7g")``
    -> ``("youtube", "JMe5eRIXW7g")``."""
    try:
        parts = urlsplit(url if "://" in url else "http://" + url)
    except ValueError:  # «http://[x»: a bracket that opens no IPv6 address
        return "other", None
    host = _host(parts.netloc)
    kind = _KINDS.get(host)
    if kind is None:  # subdomains: ar-ar.facebook.com, business.twitter.com
        kind = next((k for h, k in _KINDS.items() if host.endswith("." + h)), "other")
    if kind != "youtube":
        return kind, None
    segments = [s for s in parts.path.split("/") if s]
    candidate = None
    if host == "youtu.be":
        candidate = segments[0] if segments else None
    elif segments and segments[0] in _YOUTUBE_PATH_PREFIXES and len(segments) > 1:
        candidate = segments[1]
    elif segments[:1] == ["watch"] or not segments:
        candidate = (parse_qs(parts.query).get("v") or [None])[0]
    if candidate and _VIDEO_ID.fullmatch(candidate):
        return kind, candidate
    return kind, None


def find_links(doc: Doc) -> list[Link]:
    """Every http(s):// or www. link of ``doc.text``, with its kind and YouTube video id."""
    text = doc.text
    if "://" not in text and "www." not in text.lower():
        return []
    links = []
    for m in _URL.finditer(text):
        url = _trim(m.group())
        if len(url) <= len("www.") or url.lower() in ("http://", "https://"):
            continue
        kind, video_id = link_kind(url)
        links.append(Link(m.start(), m.start() + len(url), url, kind, video_id))
    return links
