"""Readers on real inputs: the 10 Arabic news pages, encodings, feeds over a local HTTP server, WARC, JSONL."""

from __future__ import annotations

import gzip
import http.server
import io
import json
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from qala.ingest import failures
from qala.ingest.encoding import decode_bytes
from qala.ingest.failures import Failure
from qala.ingest.feeds import FeedEntry, fragment_text, iter_feed, read_feed_entry
from qala.ingest.html import read_html, url_date
from qala.ingest.jsonl import JsonlLine, iter_jsonl, read_jsonl_line
from qala.ingest.language import guess_language
from qala.ingest.record import ArticleRecord
from qala.ingest.sources import Page, Skipped, expand, kind_of, read_item, sniff_kind
from qala.ingest.text import read_text
from qala.ingest.warc import Ignored, WarcPage, iter_warc

NEWS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "news"
HTML_DIR = NEWS / "html"
PROVENANCE = json.loads((HTML_DIR / "PROVENANCE.json").read_text(encoding="utf-8"))["files"]
CNN = "newspaper-cnn-arabic-syria-2013"

# Written for these tests; no corpus text is copied here.
ARTICLE = (
    "قال وزير الخارجية في مؤتمر صحفي عقده اليوم في العاصمة إن الحكومة ستواصل جهودها لتعزيز التعاون "
    "مع الدول المجاورة في مجالات الاقتصاد والطاقة والتعليم.",
    "وأضاف الوزير أن المحادثات التي جرت خلال الأسبوع الماضي كانت إيجابية ومثمرة، مشيرا إلى أن الجانبين "
    "اتفقا على تشكيل لجنة مشتركة لمتابعة تنفيذ الاتفاقيات الموقعة.",
    "وأكد أن بلاده ترحب بكل المبادرات الرامية إلى تحقيق الاستقرار في المنطقة، داعيا جميع الأطراف إلى "
    "الحوار وضبط النفس.",
    "من جهته، قال المتحدث باسم الوزارة إن الزيارة المقبلة ستشهد توقيع عدد من مذكرات التفاهم في مجالات "
    "النقل والصحة والزراعة.",
)
ENGLISH = (
    "The foreign minister said on Monday that the talks with the neighbouring countries would resume "
    "next week in the capital.",
    "He added that the two sides had agreed to form a joint committee to follow the implementation of "
    "the signed agreements, and that the visit was a success for both of them.",
    "A spokesman for the ministry said that several memoranda of understanding would be signed in the "
    "fields of transport, health and agriculture during the next visit.",
)


def page(
    paragraphs: tuple[str, ...], *, title: str = "وزير الخارجية: المحادثات ستستأنف", head: str = ""
) -> str:
    body = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    return (
        f"<!DOCTYPE html>\n<html><head>{head}<title>{title}</title></head>\n"
        f"<body><nav><a href='/'>الرئيسية</a></nav><article><h1>{title}</h1>\n{body}</article>"
        "<footer>جميع الحقوق محفوظة</footer></body></html>\n"
    )


def words(text: str) -> Counter[str]:
    return Counter(text.split())


# -- the 10 real pages ---------------------------------------------------------


@pytest.mark.parametrize("entry", PROVENANCE, ids=[e["file"] for e in PROVENANCE])
def test_read_html_real_page_gives_arabic_text_and_known_date(entry: dict) -> None:
    path = HTML_DIR / entry["file"]
    record = read_html(path.read_bytes(), str(path), str(path))
    assert isinstance(record, ArticleRecord), record
    assert len(record.text.split()) >= 40
    assert record.language == "ar"
    assert record.title
    assert record.outlet
    if entry["date"]:
        assert record.published == entry["date"]


def test_read_html_cnn_page_text_matches_expected() -> None:
    record = read_html((HTML_DIR / f"{CNN}.html").read_bytes(), "k", "cnn")
    expected = (HTML_DIR / f"{CNN}.expected.txt").read_text(encoding="utf-8")
    got, want = words(record.text), words(expected)
    common = sum((got & want).values())
    assert common / sum(want.values()) >= 0.8  # recall
    assert common / sum(got.values()) >= 0.8  # precision
    assert record.url == "http://arabic.cnn.com/2013/middle_east/8/3/syria.clashes/index.html"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://arabic.cnn.com/2013/middle_east/8/3/syria.clashes/index.html", "2013-08-03"),
        ("https://www.youm7.com/story/2020/8/24/slug/4943459", "2020-08-24"),
        ("https://www.albayan.ae/across-the-uae/news-and-reports/2020-06-03-1.3874341", "2020-06-03"),
        ("https://www.beirutobserver.com/2020/11/2338761/", None),
        (None, None),
    ],
)
def test_url_date(url: str | None, expected: str | None) -> None:
    assert url_date(url) == expected


# -- encodings -----------------------------------------------------------------

TEXT = "\n".join(ARTICLE)


@pytest.mark.parametrize("codec", ["cp1256", "iso8859_6"])
@pytest.mark.parametrize(
    "declare",
    ["none", "meta-charset", "http-equiv", "header"],
)
def test_read_html_arabic_single_byte_page_decodes(codec: str, declare: str) -> None:
    label = {"cp1256": "windows-1256", "iso8859_6": "ISO-8859-6"}[codec]
    head = {
        "meta-charset": f'<meta charset="{label}">',
        "http-equiv": f'<meta http-equiv="Content-Type" content="text/html; charset={label}">',
    }.get(declare, "")
    data = page(ARTICLE, head=head).encode(codec)
    content_type = f"text/html; charset={label}" if declare == "header" else None
    record = read_html(data, "k", "s", content_type=content_type)
    assert isinstance(record, ArticleRecord), record
    assert ARTICLE[0] in record.text and ARTICLE[-1] in record.text
    assert record.title == "وزير الخارجية: المحادثات ستستأنف"
    assert record.language == "ar"


@pytest.mark.parametrize(
    ("data", "encoding", "how"),
    [
        (TEXT.encode("utf-8"), "utf-8", "utf-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig", "bom"),
        (TEXT.encode("utf-16"), "utf-16", "bom"),
        (b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16", "bom"),
        (TEXT.encode("cp1256"), "cp1256", "content"),
        (TEXT.encode("iso8859_6"), "iso8859_6", "content"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le", "utf-16-be", "cp1256", "iso-8859-6"],
)
def test_decode_bytes_finds_encoding(data: bytes, encoding: str, how: str) -> None:
    decoded = decode_bytes(data, markup=False)
    assert decoded.text == TEXT
    assert (decoded.encoding, decoded.how) == (encoding, how)


@pytest.mark.parametrize(
    ("head", "codec"),
    [
        ('<meta charset="utf-8">', "cp1256"),  # a page that lies about its charset
        ('<meta charset="iso-8859-1">', "cp1256"),  # a Western label on an Arabic page
    ],
)
def test_decode_bytes_ignores_wrong_declaration(head: str, codec: str) -> None:
    decoded = decode_bytes(page(ARTICLE, head=head).encode(codec))
    assert ARTICLE[1] in decoded.text
    assert decoded.encoding == codec


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "utf-8", "cp1256"])
def test_read_text_file_encodings(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(TEXT.encode(encoding))
    [item] = list(expand([str(path)]))
    record = read_item(item)
    assert isinstance(record, ArticleRecord)
    assert record.text == TEXT
    assert record.language == "ar"
    assert item.key == f"{path.resolve()}|sha256:{record.raw_hash}"


# -- failures and language -----------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", failures.EMPTY),
        (b"  \n\t ", failures.EMPTY),
        (b"just some words, no markup at all", failures.INVALID_MARKUP),
        (page(("قال الوزير إن المحادثات مستمرة.",)).encode(), failures.NOT_ARTICLE),
        (b"<html><body><div><a href='/'>link</a></div></body></html>", failures.NOT_ARTICLE),
    ],
    ids=["empty", "blank", "no-markup", "short", "no-main-text"],
)
def test_read_html_bad_input_is_a_failure(data: bytes, reason: str) -> None:
    result = read_html(data, "key", "src")
    assert isinstance(result, Failure)
    assert (result.key, result.source, result.reason) == ("key", "src", reason)


@pytest.mark.parametrize("data", [b"", b"\n \n", "\ufeff".encode()])
def test_read_text_empty_is_a_failure(data: bytes) -> None:
    result = read_text(data, "k", "s")
    assert isinstance(result, Failure) and result.reason == failures.EMPTY


def test_read_html_english_page_is_kept_with_language_en() -> None:
    record = read_html(page(ENGLISH, title="Talks to resume").encode(), "k", "s")
    assert isinstance(record, ArticleRecord)
    assert record.language == "en"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (TEXT, "ar"),
        (" ".join(ENGLISH), "en"),
        ("Le ministre des affaires étrangères a déclaré que les discussions sont dans une impasse.", "fr"),
        ("این یک متن فارسی است که برای آزمایش نوشته شده و چند کلمه دیگر هم دارد.", "fa"),
        ("Министр иностранных дел заявил", "other"),
        ("1234 5678 !!!", None),
    ],
)
def test_guess_language(text: str, language: str | None) -> None:
    assert guess_language(text) == language


# -- sources -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("a.html", "html"),
        ("a.HTM", "html"),
        ("a.txt", "text"),
        ("feed.xml", "feed"),
        ("f.rss", "feed"),
        ("c.warc.gz", "warc"),
        ("c.arc", "warc"),
        ("b.jsonl", "jsonl"),
        ("README.md", None),
        ("PROVENANCE.json", None),
    ],
)
def test_kind_of(name: str, kind: str | None) -> None:
    assert kind_of(Path(name)) == kind


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"WARC/1.1\r\n", "warc"),
        (b"\x1f\x8b\x08\x00", "warc"),
        (b'<?xml version="1.0"?>\n<rss version="2.0">', "feed"),
        (b"<feed xmlns='http://www.w3.org/2005/Atom'>", "feed"),
        (b"<!DOCTYPE html><html>", "html"),
        (b'{"id": 1}', "jsonl"),
        ("قال".encode(), "text"),
    ],
)
def test_sniff_kind(head: bytes, kind: str) -> None:
    assert sniff_kind(head) == kind


def test_expand_walks_folder_by_extension_and_reports_missing(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.html").write_text(page(ARTICLE), encoding="utf-8")
    (tmp_path / "b.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "notes.md").write_text("# not an input", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(TEXT, encoding="utf-8")
    missing = tmp_path / "nope.html"
    items = list(
        expand([str(tmp_path), str(missing)], skip=lambda key: key.startswith(str(tmp_path / "b.txt")))
    )
    assert [type(i) for i in items] == [Skipped, Page, Failure]
    assert items[1].source == str(tmp_path / "sub" / "a.html")
    assert items[2].reason == failures.NOT_FOUND


# -- JSONL ---------------------------------------------------------------------


def test_iter_jsonl_lines_and_failures(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps(
            {
                "id": "a-1",
                "text": TEXT,
                "title": "t",
                "url": "https://x.test/1",
                "outlet": "X",
                "date": "2015-09-15",
            }
        ),
        "",
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"id": "a-2", "text": "  "}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = [read_jsonl_line(x) if isinstance(x, JsonlLine) else x for x in iter_jsonl(path)]
    assert [r.reason if isinstance(r, Failure) else "ok" for r in out] == [
        "ok",
        failures.BAD_JSON,
        failures.BAD_JSON,
        failures.EMPTY,
    ]
    record = out[0]
    assert (record.id, record.url, record.outlet, record.published, record.language) == (
        "a-1",
        "https://x.test/1",
        "X",
        "2015-09-15",
        "ar",
    )
    assert record.source == f"{path}:1"
    keys = [x.key for x in iter_jsonl(path)]
    assert keys == [f"{path}:1#a-1", f"{path}:3", f"{path}:4", f"{path}:5#a-2"]


def test_iter_jsonl_real_articles() -> None:
    lines = list(iter_jsonl(NEWS / "articles.jsonl"))
    records = [read_jsonl_line(line) for line in lines]
    assert len(records) == 408
    assert all(isinstance(r, ArticleRecord) and r.text and r.id for r in records)
    assert len({line.key for line in lines}) == 408
    assert Counter(r.language for r in records)["ar"] == 408


# -- feeds ---------------------------------------------------------------------


class Site:
    """A real HTTP server on a free loopback port, serving the pages a test writes."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[int, str, bytes]] = {}
        self.requests: list[str] = []
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                site.requests.append(self.path)
                status, content_type, body = site.pages.get(self.path, (404, "text/html", b"<h1>404</h1>"))
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site()
    s.thread.start()
    yield s
    s.server.shutdown()
    s.server.server_close()


def rss(base: str) -> str:
    full = "".join(f"<p>{p}</p>" for p in ARTICLE)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>أخبار الاختبار</title><link>{base}/</link><description>d</description>
<item><title>خبر كامل</title><link>{base}/news/1</link>
  <pubDate>Tue, 15 Sep 2015 10:30:00 GMT</pubDate>
  <description>ملخص قصير</description>
  <content:encoded><![CDATA[{full}]]></content:encoded></item>
<item><title>خبر بملخص فقط</title><link>{base}/news/2</link>
  <pubDate>Wed, 16 Sep 2015 08:00:00 GMT</pubDate><description>قال الوزير إن المحادثات ستستأنف.</description></item>
<item><title>رابط مفقود</title><link>{base}/news/missing</link><description>ملخص</description></item>
</channel></rss>"""


def atom(base: str) -> str:
    full = "".join(f"&lt;p&gt;{p}&lt;/p&gt;" for p in ARTICLE)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>موقع أتوم</title><id>urn:x</id><updated>2015-09-16T00:00:00Z</updated>
<entry><title>خبر كامل</title><id>urn:1</id><link href="{base}/atom/1"/><updated>2015-09-15T10:30:00Z</updated>
  <content type="html">{full}</content></entry>
<entry><title>خبر بملخص فقط</title><id>urn:2</id><link href="{base}/atom/2"/><updated>2015-09-16T08:00:00Z</updated>
  <summary>قال الوزير إن المحادثات ستستأنف.</summary></entry>
</feed>"""


def second_article() -> tuple[str, ...]:
    return ("أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في المدينة.", *ARTICLE[1:])


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feed_file_full_content_and_summary_only_items(tmp_path: Path, site: Site, kind: str) -> None:
    prefix = "/news" if kind == "rss" else "/atom"
    site.pages[f"{prefix}/2"] = (
        200,
        "text/html; charset=windows-1256",
        page(second_article()).encode("cp1256"),
    )
    path = tmp_path / f"feed.{kind}"
    path.write_text(rss(site.base) if kind == "rss" else atom(site.base), encoding="utf-8")
    items = list(expand([str(path)]))
    assert all(isinstance(i, FeedEntry) for i in items)
    results = [read_item(i) for i in items]
    full, summary_only = results[0], results[1]
    assert isinstance(full, ArticleRecord) and isinstance(summary_only, ArticleRecord)
    assert full.text == TEXT  # from the feed, one line per paragraph
    assert full.url == site.url(f"{prefix}/1") and items[0].key == full.url
    assert full.published == "2015-09-15T10:30:00+00:00"
    assert full.outlet in ("أخبار الاختبار", "موقع أتوم")
    assert site.requests.count(f"{prefix}/1") == 0  # full content: the page is not fetched
    assert "أعلنت وزارة الصحة" in summary_only.text  # fetched page, decoded from windows-1256
    assert summary_only.published == "2015-09-16T08:00:00+00:00"  # the feed's date wins
    if kind == "rss":
        assert isinstance(results[2], Failure) and results[2].reason == "http-404"
        assert results[2].key == site.url("/news/missing")


def test_feed_url_is_fetched_and_expanded(site: Site) -> None:
    site.pages["/feed"] = (200, "application/rss+xml", rss(site.base).encode())
    site.pages["/news/2"] = (200, "text/html", page(second_article()).encode())
    items = list(expand([site.url("/feed")]))
    assert [i.key for i in items] == [site.url(p) for p in ("/news/1", "/news/2", "/news/missing")]
    assert [type(read_item(i)).__name__ for i in items] == ["ArticleRecord", "ArticleRecord", "Failure"]


def test_url_page_and_http_errors(site: Site) -> None:
    site.pages["/page"] = (200, "text/html; charset=iso-8859-6", page(ARTICLE).encode("iso8859_6"))
    site.pages["/down"] = (503, "text/html", b"busy")
    page_item, missing, down = expand([site.url("/page"), site.url("/gone"), site.url("/down")])
    record = read_item(page_item)
    assert isinstance(record, ArticleRecord) and record.url == site.url("/page") and ARTICLE[2] in record.text
    assert (missing.reason, missing.key) == ("http-404", site.url("/gone"))
    assert down.reason == "http-503" and failures.is_transient(down.reason)


def test_unreachable_url_is_a_failure() -> None:
    [failure] = expand(["http://127.0.0.1:9/nothing-listens-here"])
    assert isinstance(failure, Failure) and failure.reason == failures.UNREACHABLE


def test_feed_entry_without_link_uses_summary_or_fails() -> None:
    long_summary = " ".join(ARTICLE)
    entry = FeedEntry("f#1", "f#1", None, "t", "o", None, None, None, long_summary, "h")
    assert isinstance(read_feed_entry(entry), ArticleRecord)
    entry.summary = "قصير"
    assert read_feed_entry(entry).reason == failures.NOT_ARTICLE


def test_not_a_feed(tmp_path: Path) -> None:
    path = tmp_path / "x.xml"
    path.write_text("<?xml version='1.0'?><sitemap><loc>x</loc></sitemap>", encoding="utf-8")
    [failure] = list(iter_feed(path.read_bytes(), str(path)))
    assert failure.reason == failures.NOT_A_FEED


def test_fragment_text_one_line_per_block() -> None:
    assert fragment_text("<p>قال <b>الوزير</b></p><p>إن<br>المحادثات</p>") == "قال الوزير\nإن\nالمحادثات"


# -- WARC ----------------------------------------------------------------------


def write_warc(path: Path, *, gzip_records: bool) -> list[str]:
    """An HTML page, a request, a PNG, a 404 page and a redirect; returns the target URIs in order."""
    records = [
        ("https://news.test/a", "200 OK", "text/html; charset=windows-1256", page(ARTICLE).encode("cp1256")),
        ("https://news.test/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(64)),
        ("https://news.test/gone", "404 Not Found", "text/html", b"<html><body>not found</body></html>"),
        ("https://news.test/old", "301 Moved Permanently", "text/html", b"<html>moved</html>"),
        ("https://news.test/b", "200 OK", "text/html", page(second_article()).encode()),
    ]
    with path.open("wb") as f:
        writer = WARCWriter(f, gzip=gzip_records)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "qala tests"}))
        for uri, status, content_type, body in records:
            headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    uri,
                    "response",
                    payload=io.BytesIO(body),
                    http_headers=headers,
                    warc_headers_dict={"WARC-Date": "2015-09-15T12:00:00Z"},
                )
            )
            if uri.endswith("/a"):
                request = StatusAndHeaders("GET /a HTTP/1.1", [("Host", "news.test")], is_http_request=True)
                writer.write_record(writer.create_warc_record(uri, "request", http_headers=request))
    return [r[0] for r in records]


@pytest.mark.parametrize("gzipped", [True, False], ids=["warc.gz", "warc"])
def test_iter_warc_pages_failures_and_ignored(tmp_path: Path, gzipped: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc")
    write_warc(path, gzip_records=gzipped)
    items = list(iter_warc(path))
    kinds = [type(i).__name__ if not isinstance(i, Failure) else i.reason for i in items]
    # warcinfo, page a, its request, png, 404, redirect, page b
    assert kinds == ["Ignored", "WarcPage", "Ignored", "Ignored", "http-404", "Ignored", "WarcPage"]
    pages = [i for i in items if isinstance(i, WarcPage)]
    assert [p.url for p in pages] == ["https://news.test/a", "https://news.test/b"]
    assert all(p.key.startswith(f"{path}#") for p in items if not isinstance(p, Ignored))
    assert len({i.key for i in items}) == len(items)
    record = read_item(pages[0])
    assert isinstance(record, ArticleRecord) and ARTICLE[3] in record.text
    assert record.url == "https://news.test/a"
    assert record.published == "2015-09-15T12:00:00Z"  # no date in the page: the WARC-Date
    if gzipped:
        with gzip.open(path) as f:
            assert f.read(8) == b"WARC/1.0"


@pytest.mark.parametrize("gzipped", [True, False], ids=["warc.gz", "warc"])
def test_iter_warc_truncated_file_reports_and_keeps_the_rest(tmp_path: Path, gzipped: bool) -> None:
    path = tmp_path / ("cut.warc.gz" if gzipped else "cut.warc")
    write_warc(path, gzip_records=gzipped)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 400])  # cuts into the last record, page b
    items = list(iter_warc(path))
    pages = [i for i in items if isinstance(i, WarcPage)]
    failed = [i for i in items if isinstance(i, Failure)]
    assert [p.url for p in pages] == ["https://news.test/a"]
    assert [f.reason for f in failed] == ["http-404", failures.TRUNCATED_WARC]


def test_iter_warc_damaged_gzip_member_resumes_at_next(tmp_path: Path) -> None:
    path = tmp_path / "damaged.warc.gz"
    write_warc(path, gzip_records=True)
    data = bytearray(path.read_bytes())
    members = [i for i in range(len(data)) if data[i : i + 3] == b"\x1f\x8b\x08"]
    victim = members[1]  # page a
    data[victim + 20 : victim + 60] = bytes(40)  # corrupt its deflate stream
    path.write_bytes(bytes(data))
    items = list(iter_warc(path))
    assert [i.url for i in items if isinstance(i, WarcPage)] == ["https://news.test/b"]
    assert failures.TRUNCATED_WARC in [i.reason for i in items if isinstance(i, Failure)]


def test_iter_warc_not_a_warc(tmp_path: Path) -> None:
    path = tmp_path / "x.warc"
    path.write_text("hello, this is not an archive\n\n", encoding="utf-8")
    [failure] = list(iter_warc(path))
    assert failure.reason == failures.BAD_WARC
