"""``POST /api/analyze`` over real HTTP on loopback: any text gets a Doc or a 4xx JSON error (never
a 500), bodies past the limit are refused unread, each analysis runs in a worker process within
its time limit, at most ``workers`` at once, while the event loop keeps serving the other routes."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn

from qala.server import create_app
from qala.server.analysis import Analyzer
from qala.server.views import MAX_ANALYZE_BYTES, MAX_ANALYZE_CHARS

ARTICLES = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "news" / "articles.jsonl"


def news_text(chars: int) -> str:
    """Real news text of ``chars`` characters: the corpus articles one after another."""
    texts = [json.loads(line)["text"] for line in ARTICLES.open(encoding="utf-8")]
    out: list[str] = []
    while sum(map(len, out)) < chars:
        out.append(texts[len(out) % len(texts)])
    return "\n\n".join(out)[:chars]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(db: Path, analyzer: Analyzer) -> Iterator[str]:
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(db, analyzer), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    analyzer.start()
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def base_url(server_db) -> Iterator[str]:
    """A server with one analysis worker and the default time limit."""
    with serve(server_db[0], Analyzer(workers=1, queue_seconds=10)) as url:
        yield url


def post(base_url: str, body: bytes | dict) -> httpx.Response:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()  # ASCII: a lone surrogate stays an escape
    return httpx.post(f"{base_url}/api/analyze", content=content, timeout=60,
                      headers={"content-type": "application/json"})


@pytest.mark.parametrize(
    "body",
    [
        {"text": "أكد ـ وجة ة"},  # the IndexError of issue 14
        {"text": "\ud800"},  # the SystemError of issue 14
        {"text": "قال الرئيس \udcff بوتين إن الوضع صعب", "meta": {"title": "\ud800"}, "id": "\udfff"},
        {"text": "\x00 قال \x00 إن \x00"},
        {"text": "شاهد http://[x"},
    ],
    ids=["tatweel-phrase", "lone-surrogate", "surrogates-in-meta-and-id", "nul", "bad-ipv6-url"],
)
def test_api_analyze_reproductions_answer_a_doc(base_url: str, body: dict) -> None:
    r = post(base_url, body)
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["analysis_errors"] == []
    assert doc["text"] == body["text"].replace("\ud800", "\ufffd").replace("\udcff", "\ufffd")
    if "meta" in body:
        assert doc["meta"]["title"] == "\ufffd" and doc["id"] == "\ufffd"


@pytest.mark.parametrize(
    ("content", "status", "code"),
    [
        (b"[" * 100_000 + b"]" * 100_000, 400, "bad_request"),  # the RecursionError of issue 14
        (b'{"text": "\xff\xfe"}', 400, "bad_request"),  # not UTF-8
        (b'{"text": 7}', 400, "bad_request"),
        (b'{"text": "x", "meta": {"\\ud800": 1}}', 400, "bad_request"),  # the message quotes the key
        (json.dumps({"text": "قال " * (MAX_ANALYZE_CHARS // 4 + 1)}).encode(), 413, "too_large"),
    ],
    ids=["nested", "not-utf8", "not-a-string", "surrogate-key", "too-many-chars"],
)
def test_api_analyze_refuses_bad_bodies_with_json(base_url: str, content: bytes, status: int, code: str) -> None:
    r = post(base_url, content)
    assert r.status_code == status, r.text
    assert r.json()["error"]["code"] == code


def test_api_analyze_refuses_a_long_body_unread(base_url: str) -> None:
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:  # headers only, no body sent
        sock.sendall(f"POST /api/analyze HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                     f"Content-Length: {MAX_ANALYZE_BYTES + 1}\r\n\r\n".encode())
        answer = b""
        while b"}}" not in answer and (chunk := sock.recv(65_536)):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 413") and b'"code":"too_large"' in answer

    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(MAX_ANALYZE_BYTES // 65_536 + 2):
            yield b"a" * 65_536

    streamed = httpx.post(f"{base_url}/api/analyze", content=chunks(), timeout=60,
                          headers={"content-type": "application/json"})
    assert streamed.status_code == 413 and streamed.json()["error"]["code"] == "too_large"
    page = httpx.post(f"{base_url}/analyze", content=b"text=" + b"a" * MAX_ANALYZE_BYTES, timeout=60,
                      headers={"content-type": "application/x-www-form-urlencoded"})
    assert page.status_code == 413 and 'dir="rtl"' in page.text


def test_api_analyze_answers_the_longest_text_in_time(base_url: str) -> None:
    text = news_text(MAX_ANALYZE_CHARS - 1)
    start = time.monotonic()
    r = post(base_url, {"text": text})
    assert r.status_code == 200, r.text
    assert r.json()["text"] == text and len(r.json()["quotes"]) > 100
    assert time.monotonic() - start < 10  # inside the default time limit, on a busy machine too


def test_api_analyze_time_limit_stops_the_analysis_and_replaces_the_worker(server_db) -> None:
    with serve(server_db[0], Analyzer(workers=1, time_limit=0.3, queue_seconds=5)) as base_url:
        start = time.monotonic()
        r = post(base_url, {"text": news_text(150_000)})
        assert r.status_code == 422 and r.json()["error"]["code"] == "timeout", r.text
        assert time.monotonic() - start < 5
        again = post(base_url, {"text": "قال الرئيس إن الوضع صعب"})  # a fresh worker takes it
        assert again.status_code == 200 and again.json()["quotes"]


def test_api_analyze_cap_answers_busy_and_keeps_serving_reads(server_db) -> None:
    with serve(server_db[0], Analyzer(workers=1, time_limit=30, queue_seconds=0.2)) as base_url:
        long_text = {"text": news_text(MAX_ANALYZE_CHARS - 1)}
        first: list[tuple[httpx.Response, float]] = []

        def long_request() -> None:
            r = post(base_url, long_text)
            first.append((r, time.monotonic()))

        thread = threading.Thread(target=long_request)
        thread.start()
        time.sleep(0.3)  # the first analysis holds the only worker
        second = post(base_url, {"text": "قال الرئيس إن الوضع صعب"})
        stats = httpx.get(f"{base_url}/api/stats", timeout=10)
        read_done = time.monotonic()
        thread.join(60)
        assert second.status_code == 503 and second.json()["error"]["code"] == "busy"
        assert second.headers["retry-after"] == "1"
        (done, done_at), = first
        assert done.status_code == 200
        assert stats.status_code == 200 and read_done < done_at  # answered while the analysis ran
