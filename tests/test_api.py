"""The JSON API in process: the Doc of analyze, lists whose totals equal what their pages return,
filters, streamed exports, errors as JSON with a stable code; pages escape everything."""

from __future__ import annotations

import csv
import io
import json
import re
import warnings

import pytest
import server_data

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient

from qala.server import create_app
from qala.server.highlight import Mark, events, show_controls
from qala.server.timeline import bins, chart
from qala.store import StoreNotFound


@pytest.fixture(scope="module")
def client(api_db):
    """The app over the server tests' database, in SQLite and in PostgreSQL (each test runs on both)."""
    path, _ = api_db
    with TestClient(create_app(path)) as c:
        yield c


def all_pages(client, url: str, **params) -> tuple[list[dict], int]:
    items, cursor, totals = [], None, set()
    for _ in range(1000):
        r = client.get(url, params={**params, **({"cursor": cursor} if cursor else {})})
        assert r.status_code == 200, r.text
        body = r.json()
        totals.add(body["total"])
        assert len(body["items"]) <= body["limit"]
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(totals) == 1
    return items, totals.pop()


# -- analyze --------------------------------------------------------------------------

ANALYZE_TEXT = "قال الرئيس الروسي فلاديمير بوتين إن تنظيم داعش لديه خطط مرعبة.\nوأضاف بوتين أن روسيا ستتحرك الجمعة 4 سبتمبر.\n"


def test_api_analyze_returns_doc_with_valid_offsets(client):
    r = client.post(
        "/api/analyze", json={"text": ANALYZE_TEXT, "meta": {"published": "2015-09-15"}, "id": "x1"}
    )
    assert r.status_code == 200, r.text
    doc = r.json()
    assert set(doc) >= {"id", "text", "meta", "sentences", "entities", "quotes", "dates", "links"}
    assert doc["id"] == "x1" and doc["text"] == ANALYZE_TEXT and doc["meta"]["published"] == "2015-09-15"
    text = doc["text"]
    assert doc["quotes"], doc
    for q in doc["quotes"]:
        for span in (q["cue"], q["content"]):
            assert text[span["start"] : span["end"]] == span["text"]
        m = q["speaker"]["mention"]
        if m:
            assert text[m["start"] : m["end"]] == m["text"]
    assert any(q["speaker"]["name"] == "فلاديمير بوتين" for q in doc["quotes"])
    for e in doc["entities"]:
        for m in e["mentions"]:
            assert text[m["start"] : m["end"]] == m["text"]
    for d in doc["dates"]:
        assert text[d["start"] : d["end"]] == d["text"]


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"text": "   "}, 400, "bad_request"),
        ({}, 400, "bad_request"),
        ({"text": "قال", "meta": {"colour": "red"}}, 400, "bad_request"),
        ({"text": "قال", "meta": {"published": "yesterday"}}, 400, "bad_request"),
        ({"text": "قال " * 60_000}, 413, "too_large"),
    ],
)
def test_api_analyze_rejects_bad_input(client, body, status, code):
    r = client.post("/api/analyze", json=body)
    assert r.status_code == status
    assert r.json()["error"]["code"] == code and r.json()["error"]["message"]


def test_api_analyze_accepts_no_json_as_bad_request(client):
    r = client.post("/api/analyze", content=b"not json", headers={"content-type": "application/json"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_request"


# -- lists, totals and cursors ------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/api/quotes", {}),
        ("/api/quotes", {"type": "direct"}),
        ("/api/articles", {}),
        ("/api/speakers", {}),
        ("/api/entities", {}),
        ("/api/entities", {"type": "PER"}),
        ("/api/groups", {"min_size": 1}),
    ],
)
def test_api_list_total_equals_items_paged_to_the_end(client, url, params):
    items, total = all_pages(client, url, limit=3, **params)
    assert len(items) == total > 0
    keys = [i["id"] for i in items]
    assert len(set(keys)) == len(keys)
    one_page = client.get(url, params={**params, "limit": 500}).json()
    assert [i["id"] for i in one_page["items"]] == keys


def test_api_quote_filters(client, api_db):
    _, ids = api_db
    everything, total = all_pages(client, "/api/quotes", limit=500)
    direct, _ = all_pages(client, "/api/quotes", type="direct")
    assert direct and all(q["type"] == "direct" for q in direct) and len(direct) < total

    by_speaker, _ = all_pages(client, "/api/quotes", speaker="شكري")
    assert by_speaker and all("شكري" in q["speaker_name"] for q in by_speaker)
    assert {q["article_id"] for q in by_speaker} == {ids["hostile"]}

    outlet, _ = all_pages(client, "/api/quotes", outlet=server_data.DUP_OUTLET)
    assert outlet and all(q["outlet"] == server_data.DUP_OUTLET for q in outlet)

    dated, _ = all_pages(client, "/api/quotes", **{"from": "2020-01-01", "to": "2020-01-31"})
    assert dated and all(q["day"].startswith("2020-01") for q in dated)

    word = everything[0]["content"].split()[0]
    found, _ = all_pages(client, "/api/quotes", q=word)
    assert everything[0]["id"] in {q["id"] for q in found}
    assert all(q["speaker_id"] for q in found if q["speaker_name"])


def test_api_speaker_and_article_and_group(client, api_db):
    _, ids = api_db
    quotes = client.get("/api/quotes", params={"speaker": "سامح شكري"}).json()["items"]
    sid = quotes[0]["speaker_id"]
    sp = client.get(f"/api/speakers/{sid}").json()
    assert sp["name"] == "سامح شكري" and sp["reports"] == sp["statements"]["total"] == 3
    assert sp["titles"] and sp["timeline"]["bins"] and sum(b["count"] for b in sp["timeline"]["bins"]) == 3

    art = client.get(f"/api/articles/{ids['hostile']}").json()
    for q in art["quotes"]:
        assert art["text"][q["content_start"] : q["content_end"]] == q["content"]

    dup = client.get(f"/api/articles/{ids['duplicate']}").json()
    assert dup["group_size"] == 2
    group = client.get(f"/api/groups/{dup['dup_group']}").json()
    assert {m["outlet"] for m in group["members"]} == {"Al Arabiya", server_data.DUP_OUTLET}
    assert client.get("/api/groups").json()["total"] == 1


# -- exports ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("what", "params", "listing"),
    [
        ("quotes", {}, "/api/quotes"),
        ("quotes", {"type": "indirect"}, "/api/quotes"),
        ("articles", {}, "/api/articles"),
        ("entities", {"type": "LOC"}, "/api/entities"),
    ],
)
def test_api_exports_stream_every_row(client, what, params, listing):
    total = client.get(listing, params=params).json()["total"]
    r = client.get(f"/api/export/{what}.ndjson", params=params)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(x) for x in r.text.splitlines()]
    assert len(lines) == total == int(r.headers["x-total-count"])
    r = client.get(f"/api/export/{what}.csv", params=params)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == total
    assert [int(x["id"]) for x in rows] == [x["id"] for x in lines]


# -- errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/quotes?limit=0",
        "/api/quotes?limit=501",
        "/api/quotes?limit=abc",
        "/api/quotes?cursor=abc",
        "/api/quotes?type=shouted",
        "/api/quotes?from=2015-13",
        "/api/quotes?from=2016&to=2015",
        "/api/quotes?q=%22%22",
        "/api/articles?from=yesterday",
        "/api/entities?type=ANIMAL",
        "/api/speakers/1?by=year",
        "/api/groups?min_size=0",
        "/api/export/quotes.xml",
        "/api/export/entities.csv?q=x",
    ],
)
def test_api_bad_parameters_are_400_json(client, url):
    r = client.get(url)
    assert r.status_code == 400, (url, r.status_code, r.text)
    err = r.json()["error"]
    assert err["code"] == "bad_request" and err["message"]


@pytest.mark.parametrize(
    "url", ["/api/articles/999999", "/api/speakers/999999", "/api/groups/999999", "/api/nothing-here"]
)
def test_api_unknown_ids_are_404_json(client, url):
    r = client.get(url)
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"


def test_api_sql_metacharacters_are_only_data(client):
    for value in ["' OR 1=1 --", '"; DROP TABLE quotes; --', "%", "_", "\\", "quotes_fts MATCH *"]:
        for param in ("q", "speaker", "outlet"):
            r = client.get("/api/quotes", params={param: value})
            assert r.status_code in (200, 400), (param, value, r.text)
            if r.status_code == 200 and param != "q":  # a literal substring, never a pattern
                field = "speaker_name" if param == "speaker" else "outlet"
                assert all(value in (x[field] or "") for x in r.json()["items"]), (param, value)
            elif r.status_code == 200:
                assert r.json()["total"] == 0
    assert client.get("/api/quotes").json()["total"] > 0


def test_openapi_lists_every_route_and_docs_work_offline(client):
    schema = client.get("/openapi.json").json()
    for path in [
        "/api/analyze",
        "/api/quotes",
        "/api/articles",
        "/api/articles/{article_id}",
        "/api/speakers",
        "/api/speakers/{speaker_id}",
        "/api/entities",
        "/api/groups",
        "/api/groups/{group_id}",
        "/api/export/{what}.{fmt}",
    ]:
        assert path in schema["paths"], path
    docs = client.get("/docs").text
    assert "/docs-assets/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200


def test_create_app_refuses_a_missing_database(tmp_path):
    with pytest.raises(StoreNotFound):
        create_app(tmp_path / "none.db")


# -- pages -------------------------------------------------------------------------------


def test_pages_are_arabic_rtl_and_load_nothing_external(client, api_db):
    _, ids = api_db
    sid = client.get("/api/speakers").json()["items"][0]["id"]
    gid = client.get("/api/groups").json()["items"][0]["id"]
    for url in [
        "/",
        "/?q=تركيا",
        "/articles",
        f"/articles/{ids['corpus'][0]}",
        "/speakers",
        f"/speakers/{sid}",
        "/groups",
        f"/groups/{gid}",
        "/analyze",
    ]:
        r = client.get(url)
        assert r.status_code == 200, url
        html = r.text
        assert '<html lang="ar" dir="rtl">' in html
        assert not re.search(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="(?:https?:)?//', html), url
        assert "<script" not in html
        assert "default-src 'none'" in r.headers["content-security-policy"]
    r = client.get("/articles/999999")
    assert r.status_code == 404 and 'dir="rtl"' in r.text


def test_pages_escape_a_hostile_article(client, api_db):
    _, ids = api_db
    for url in [
        f"/articles/{ids['hostile']}",
        "/?speaker=شكري",
        "/articles",
        f"/speakers/{client.get('/api/quotes', params={'speaker': 'شكري'}).json()['items'][0]['speaker_id']}",
    ]:
        html = client.get(url).text
        assert "<script" not in html and "<img" not in html and "<b " not in html, url
        assert 'href="javascript:' not in html.lower()
        assert "\u202e" not in html and "\u202c" not in html
    html = client.get(f"/articles/{ids['hostile']}").text
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert '<span class="ctl" dir="ltr" title="U+202E">[RLO]</span>' in html


def test_analyze_page_highlights_without_storing(client):
    before = client.get("/api/quotes").json()["total"]
    r = client.post("/analyze", data={"text": ANALYZE_TEXT, "published": "2015-09-15"})
    assert r.status_code == 200
    assert 'class="hl content' in r.text and "فلاديمير بوتين" in r.text
    assert client.get("/api/quotes").json()["total"] == before
    assert client.post("/analyze", data={"text": ""}).status_code == 400


# -- highlight and timeline -----------------------------------------------------------------


def _render(evs) -> str:
    return "".join(e["text"] if e["t"] == "text" else "[" if e["t"] == "open" else "]" for e in evs)


@pytest.mark.parametrize(
    ("marks", "expected"),
    [
        ([Mark(0, 3, "cue"), Mark(4, 9, "content"), Mark(4, 9, "ent")], "[abc]d[[efghi]]j"),
        ([Mark(2, 6, "content"), Mark(4, 8, "ent")], "ab[cd[ef]][gh]ij"),  # crossing: cut
        (
            [Mark(0, 10, "content"), Mark(3, 3, "ent"), Mark(8, 12, "ent")],
            "[abcdefghij]",
        ),  # empty and outside: dropped
    ],
)
def test_highlight_events_nest_and_cover_the_text_once(marks, expected):
    evs = events("abcdefghij", marks)
    assert _render(evs) == expected
    assert "".join(e["text"] for e in evs if e["t"] == "text") == "abcdefghij"
    opened = [e for e in evs if e["t"] == "open"]
    assert all(e["attrs"]["data-start"] < e["attrs"]["data-end"] for e in opened)


def test_show_controls_escapes_and_shows_bidi_controls():
    out = str(show_controls("<b>x</b>\u202eabc\u2066"))
    assert out.startswith("&lt;b&gt;x&lt;/b&gt;") and "[RLO]" in out and "[LRI]" in out
    assert "\u202e" not in out and "\u2066" not in out


def test_timeline_bins_fill_gaps_and_count_undated():
    t = bins(["2015-09-14", "2015-09-16", "2015-09-16", "2015", None], "day")
    assert [b["count"] for b in t["bins"]] == [1, 0, 2] and t["undated"] == 2
    w = bins(["2015-09-14", "2015-09-20", "2015-09-21"], "week")
    assert [b["count"] for b in w["bins"]] == [2, 1] and w["bins"][0]["start"] == "2015-09-14"
    c = chart(t)
    assert len(c["bars"]) == 3 and max(b["h"] for b in c["bars"]) > 0 and c["bars"][1]["h"] == 0
