"""Why an input was not ingested: a stable reason code per case, logged with the input's key.

Readers never raise for bad input; they return a ``Failure``, e.g.
``Failure("/data/a.html|sha256:…", "/data/a.html", NOT_ARTICLE, "12 words")`` for a page
whose main text is too short to be a news article (a section front, a video page).
"""

from __future__ import annotations

from dataclasses import dataclass

NOT_FOUND = "not-found"  # the path does not exist
UNREADABLE = "unreadable"  # the file exists but cannot be read (permissions, I/O error)
EMPTY = "empty"  # nothing but whitespace after decoding
BAD_ENCODING = "bad-encoding"  # the bytes decode as no known text encoding
INVALID_MARKUP = "invalid-markup"  # HTML that no parser can build a tree from
NOT_ARTICLE = "not-article"  # no main text, or too short to be a news article
BAD_JSON = "bad-json"  # a JSONL line that is not a JSON object
NOT_A_FEED = "not-a-feed"  # feedparser found neither a feed nor entries
BAD_WARC = "bad-warc"  # not a WARC/ARC file, or a record header that cannot be parsed
TRUNCATED_WARC = "truncated-warc"  # a record shorter than its Content-Length, or a cut gzip member
UNREACHABLE = "unreachable"  # DNS, refused connection, TLS error
TIMEOUT = "timeout"  # no answer in time
TOO_LARGE = "too-large"  # a fetched page over the size cap
ANALYSIS_ERROR = "analysis-error"  # a bug: analyze or an extractor raised on this input
WORKER_CRASHED = "worker-crashed"  # the worker process died (e.g. killed by the OOM killer)
STORE_ERROR = "store-error"  # the store refused the analyzed article

# Failures worth retrying on the next run: the input may well succeed then.
TRANSIENT = frozenset({UNREACHABLE, TIMEOUT, WORKER_CRASHED})


def http_reason(status: int | str) -> str:
    """``http_reason(404) == "http-404"``: a non-200 answer from a server or in a WARC record."""
    return f"http-{status}"


def is_transient(reason: str) -> bool:
    """Timeouts, unreachable hosts, crashed workers and 5xx/429 answers are retried on a rerun."""
    code = reason.split(":", 1)[0]
    return code in TRANSIENT or code == "http-429" or code.startswith("http-5")


@dataclass(slots=True)
class Failure:
    """An input that yields no article: its key, where it came from, a reason code and a detail."""

    key: str
    source: str
    reason: str
    detail: str = ""

    def logged_reason(self) -> str:
        """What the ingest log stores: the code, then the detail (``"http-404: Not Found"``)."""
        detail = " ".join(self.detail.split())
        return f"{self.reason}: {detail}" if detail else self.reason
