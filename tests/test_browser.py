"""The web UI in a real browser: Playwright drives Debian's Chromium against a server on a free
loopback port. Search -> speaker -> article, highlights at the stored offsets, the speaker shown
on hover and focus, and a hostile article that must run nothing."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time

import pytest
import uvicorn

from qala.server import create_app
from qala.store import open_store

CHROMIUM = os.environ.get("QALA_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None and os.path.exists("/usr/bin/chromium"):
    CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium not found (Debian: apt-get install chromium; .ci/run installs it)"
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def base_url(server_db):
    path, _ = server_db
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(path), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(5)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="ar")
    pg = context.new_page()
    pg.set_default_timeout(5000)
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.dialogs = dialogs
    yield pg
    context.close()


def stored_article(server_db, article_id: int) -> dict:
    store = open_store(server_db[0], create=False)
    try:
        return store.get_article(article_id)
    finally:
        store.close()


PIECES = """(sel) => Array.from(document.querySelectorAll(sel)).map(e => ({
    quote: e.dataset.quote === undefined ? null : Number(e.dataset.quote),
    start: Number(e.dataset.start), end: Number(e.dataset.end), text: e.textContent}))"""


def test_browser_search_to_speaker_to_article(page, base_url, server_db):
    _, ids = server_db
    art = stored_article(server_db, ids["corpus"][0])
    q = next(q for q in art["quotes"] if q["speaker_name"])
    page.goto(f"{base_url}/?outlet=Al+Arabiya")
    assert page.locator("html").get_attribute("dir") == "rtl"
    first = page.locator("li.statement").first
    speaker_name = first.locator("a.speaker").inner_text()
    first.locator("a.speaker").click()
    page.wait_for_url("**/speakers/*")
    assert page.locator("h1").inner_text() == speaker_name
    assert page.locator("svg.timeline rect.bar").count() >= 1
    page.locator("li.statement a.to-article").first.click()
    page.wait_for_url("**/articles/*#q*")
    anchor = page.url.rsplit("#", 1)[1]
    assert page.locator(f"#{anchor}").count() == 1
    assert speaker_name in page.locator(f"#{anchor}").get_attribute("title")
    assert q  # the corpus article has attributed statements


@pytest.mark.parametrize("which", [0, 1, 2])
def test_browser_highlights_sit_on_the_stored_offsets(page, base_url, server_db, which):
    _, ids = server_db
    art = stored_article(server_db, ids["corpus"][which])
    text = art["text"]
    page.goto(f"{base_url}/articles/{art['id']}")
    assert page.locator("#text").evaluate("e => e.textContent") == text
    for kind, start, end in (
        ("content", "content_start", "content_end"),
        ("cue", "cue_start", "cue_end"),
        ("mention", "mention_start", "mention_end"),
    ):
        pieces = page.evaluate(PIECES, f"#text .hl.{kind}")
        for p in pieces:
            assert p["text"] == text[p["start"] : p["end"]]
        for q in art["quotes"]:
            if q[start] is None:
                continue
            mine = [p for p in pieces if p["quote"] == q["seq"]]
            assert mine, (kind, q)
            assert mine[0]["start"] == q[start] and mine[-1]["end"] == q[end]
            assert "".join(p["text"] for p in mine) == text[q[start] : q[end]]
    for e in art["entities"]:
        for m in e["mentions"]:
            assert page.locator(f'#text .hl.ent[data-start="{m["start"]}"]').count() >= 1


def test_browser_hover_and_focus_show_the_speaker(page, base_url, server_db):
    _, ids = server_db
    art = stored_article(server_db, ids["corpus"][0])
    q = next(q for q in art["quotes"] if q["speaker_name"] and q["resolution"])
    page.goto(f"{base_url}/articles/{art['id']}")
    el = page.locator(f"#q{q['seq']}")
    el.hover()
    title = el.get_attribute("title")
    assert q["speaker_name"] in title and f"({q['resolution']})" in title
    el.focus()
    shown = el.evaluate("e => getComputedStyle(e, '::after').content").replace('\\"', '"')  # CSS string
    assert q["speaker_name"] in shown and q["resolution"] in shown
    assert el.get_attribute("tabindex") == "0"  # reachable by keyboard


def test_browser_the_check_for_script_would_catch_a_script(page):
    page.set_content('<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">')
    page.wait_for_timeout(50)
    assert page.evaluate("window.__pwned") in (1, 2)


NOTHING_RAN = """() => ({
    pwned: typeof window.__pwned,
    scripts: document.querySelectorAll('script, img, iframe, object, embed, svg script').length,
    handlers: Array.from(document.querySelectorAll('*')).flatMap(e =>
        Array.from(e.attributes).filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name)),
    jsLinks: Array.from(document.querySelectorAll('a[href]')).filter(a =>
        !/^(https?:|\\/|#)/i.test(a.getAttribute('href'))).map(a => a.getAttribute('href')),
    text: document.body.innerText,
})"""


def test_browser_hostile_article_runs_nothing(page, base_url, server_db):
    _, ids = server_db
    hostile = ids["hostile"]
    quotes = page.request.get(f"{base_url}/api/quotes", params={"speaker": "شكري"}).json()["items"]
    urls = [
        f"/articles/{hostile}",
        "/?speaker=%D8%B4%D9%83%D8%B1%D9%8A",
        "/?q=script",
        "/articles",
        f"/speakers/{quotes[0]['speaker_id']}",
    ]
    for url in urls:
        page.goto(base_url + url)
        for el in page.locator(".hl, .outlet, h1, a").all()[:60]:
            el.hover(timeout=1000, force=True)
        page.wait_for_timeout(50)
        state = page.evaluate(NOTHING_RAN)
        assert state["pwned"] == "undefined", url
        assert state["scripts"] == 0 and state["handlers"] == [] and state["jsLinks"] == [], (url, state)
        assert page.dialogs == []
    page.goto(f"{base_url}/articles/{hostile}")
    text = page.evaluate(NOTHING_RAN)["text"]
    assert "<script>window.__pwned=1</script>" in text
    assert '<img src=x onerror="window.__pwned=1">' in text
    assert "[RLO]" in text and "\u202e" not in text
    assert page.locator(".url.unsafe").inner_text() == "javascript:alert(1)"
