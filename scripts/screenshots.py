"""Screenshots of every page for the README: ``.venv/bin/python scripts/screenshots.py``.

Builds a temporary database (corpus articles read from ../shared/data, plus one near-duplicate
derived from the first so the group page has a story), serves it on a free loopback port, and
drives Debian's Chromium with Playwright. Writes ``docs/screenshots/*.png``.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import server_data  # noqa: E402

from qala.server import create_app  # noqa: E402
from qala.store import open_store  # noqa: E402

SEED = ROOT.parent / "shared" / "data" / "seed" / "000_c398a748092b5110.txt"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def serve(db: Path) -> tuple[str, uvicorn.Server]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.02)
    return f"http://127.0.0.1:{port}", server


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    ap.add_argument("--articles", type=int, default=150, help="corpus articles to ingest")
    ap.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "shots.db"
        ids = server_data.build(db, n=args.articles, hostile=False)
        store = open_store(db, create=False)
        top = store.speakers(top=1)[0]
        art = store.get_article(ids["corpus"][0])
        group = art["dup_group"]
        store.close()
        base, server = serve(db)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=args.chromium, args=ARGS)
                desktop = browser.new_page(viewport={"width": 1200, "height": 1000}, locale="ar")
                shots = [
                    ("search", f"{base}/?q=%D8%AA%D8%B1%D9%83%D9%8A%D8%A7"),
                    ("speakers", f"{base}/speakers"),
                    ("speaker", f"{base}/speakers/{top['id']}"),
                    ("group", f"{base}/groups/{group}"),
                    ("api-docs", f"{base}/docs"),
                ]
                for name, url in shots:
                    desktop.goto(url, wait_until="networkidle")
                    desktop.screenshot(path=args.out / f"{name}.png")
                    print(args.out / f"{name}.png")
                # the article with the focused statement's speaker shown
                desktop.goto(f"{base}/articles/{art['id']}")
                desktop.locator("#text .hl.content").first.focus()
                desktop.screenshot(path=args.out / "article.png")
                print(args.out / "article.png")
                desktop.goto(f"{base}/analyze")
                desktop.fill("textarea[name=text]", SEED.read_text(encoding="utf-8"))
                desktop.fill("input[name=published]", "2015-09-15")
                desktop.click("button[type=submit]")
                desktop.wait_for_selector("#text")
                desktop.locator("#text").scroll_into_view_if_needed()
                desktop.screenshot(path=args.out / "analyze.png")
                print(args.out / "analyze.png")
                phone = browser.new_page(
                    viewport={"width": 390, "height": 844}, locale="ar", device_scale_factor=2
                )
                phone.goto(f"{base}/articles/{art['id']}")
                phone.screenshot(path=args.out / "article-phone.png")
                print(args.out / "article-phone.png")
                browser.close()
        finally:
            server.should_exit = True


if __name__ == "__main__":
    main()
