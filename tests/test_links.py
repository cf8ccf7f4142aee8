"""Links: exact spans, kinds and YouTube video ids."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qala.nlp.doc import Doc
from qala.nlp.links import find_links, link_kind

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
ARTICLES = DATA / "news" / "articles.jsonl"
SEED = DATA / "seed" / "seed.jsonl"
SEED_GOLD = DATA / "gold" / "seed_entities.json"


@pytest.mark.parametrize(
    ("url", "kind", "video_id"),
    [
        ("https://www.youtube.com/watch?v=2sXHeJ8rhPw", "youtube", "2sXHeJ8rhPw"),
        ("https://m.youtube.com/watch?feature=share&v=2sXHeJ8rhPw", "youtube", "2sXHeJ8rhPw"),
        ("https://youtu.be/JMe5eRIXW7g", "youtube", "JMe5eRIXW7g"),
        ("https://youtu.be/JMe5eRIXW7g?t=42", "youtube", "JMe5eRIXW7g"),
        ("https://www.youtube.com/embed/JMe5eRIXW7g", "youtube", "JMe5eRIXW7g"),
        ("https://youtube.com/shorts/JMe5eRIXW7g", "youtube", "JMe5eRIXW7g"),
        ("https://www.youtube.com/channel/UC123", "youtube", None),
        ("https://twitter.com/AJArabic/status/1", "twitter", None),
        ("https://x.com/AJArabic", "twitter", None),
        ("https://t.co/AbC123", "twitter", None),
        ("https://www.facebook.com/page/posts/1", "facebook", None),
        ("https://ar-ar.facebook.com/page", "facebook", None),
        ("https://fb.watch/abc/", "facebook", None),
        ("https://fb.com/page", "facebook", None),
        ("https://www.instagram.com/p/AbC/", "instagram", None),
        ("https://www.bbc.com/arabic", "other", None),
        ("www.youtube.com/watch?v=2sXHeJ8rhPw", "youtube", "2sXHeJ8rhPw"),
        ("http://[x", "other", None),  # urlsplit refuses a bracket that opens no IPv6 address
    ],
)
def test_links_kind(url: str, kind: str, video_id: str | None) -> None:
    assert link_kind(url) == (kind, video_id)


@pytest.mark.parametrize(
    ("text", "urls"),
    [
        ("شاهد: https://youtu.be/JMe5eRIXW7g.", ["https://youtu.be/JMe5eRIXW7g"]),
        ("الرابط (https://www.bbc.com/arabic)، وغيره", ["https://www.bbc.com/arabic"]),
        ("«https://t.co/AbC123»", ["https://t.co/AbC123"]),
        ("راجع https://en.wikipedia.org/wiki/Foo_(bar).", ["https://en.wikipedia.org/wiki/Foo_(bar)"]),
        ("وwww.facebook.com/page؟", ["www.facebook.com/page"]),
        (
            "هل رأيت https://x.com/a؟ وhttp://example.org/a?b=1&c=2!",
            ["https://x.com/a", "http://example.org/a?b=1&c=2"],
        ),
        ("https://ar.wikipedia.org/wiki/مصر وغيرها", ["https://ar.wikipedia.org/wiki/مصر"]),
        ("بريد user@www.example.com ليس رابطا", []),
        ("http://a.com/x" + ")" * 50_000 + ".", ["http://a.com/x"]),  # trimmed in one pass, not quadratic
        ("لا روابط هنا", []),
    ],
)
def test_links_spans(text: str, urls: list[str]) -> None:
    links = find_links(Doc(text))
    assert [ln.url for ln in links] == urls
    assert all(text[ln.start : ln.end] == ln.url for ln in links)


def test_links_seed_expectations() -> None:
    if not SEED.exists() or not SEED_GOLD.exists():
        pytest.skip("seed data not found")
    text = json.loads(SEED.read_text(encoding="utf-8").splitlines()[0])["text"]
    gold = json.loads(SEED_GOLD.read_text(encoding="utf-8"))["links"]
    found = [(ln.url, ln.kind, ln.video_id) for ln in find_links(Doc(text))]
    assert found == [(g["url"], g["kind"], g["video_id"]) for g in gold]


@pytest.mark.slow
def test_links_corpus_offsets() -> None:
    if not ARTICLES.exists():
        pytest.skip(f"{ARTICLES} not found")
    for line in ARTICLES.read_text(encoding="utf-8").splitlines():
        text = json.loads(line)["text"]
        for ln in find_links(Doc(text)):
            assert text[ln.start : ln.end] == ln.url
