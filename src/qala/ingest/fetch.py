"""Fetching one URL politely: a timeout, a User-Agent, a size cap; errors become reason codes.

``fetch_url("https://example.com/news/1")`` gives a ``Fetched`` (final URL, bytes, headers)
or a ``Failure`` such as ``http-404``, ``timeout``, ``unreachable`` or ``too-large``.
"""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request
from dataclasses import dataclass

from qala import __version__
from qala.ingest import failures
from qala.ingest.failures import Failure

USER_AGENT = f"qala/{__version__} (Arabic news quotation extractor; python-urllib)"
TIMEOUT_S = 20.0
MAX_BYTES = 20 * 1024 * 1024  # a news page or a feed is far smaller; anything bigger is not one
CHUNK = 1 << 16


@dataclass(slots=True)
class Fetched:
    url: str  # after redirects
    data: bytes
    content_type: str | None


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def fetch_url(
    url: str, key: str | None = None, *, timeout: float = TIMEOUT_S, max_bytes: int = MAX_BYTES
) -> Fetched | Failure:
    """GET ``url``; ``key`` names the input in a failure (default: the URL itself)."""
    key = key or url
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            chunks, size = [], 0
            while chunk := response.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    return Failure(key, url, failures.TOO_LARGE, f"over {max_bytes} bytes")
                chunks.append(chunk)
            return Fetched(response.geturl(), b"".join(chunks), response.headers.get("Content-Type"))
    except urllib.error.HTTPError as e:
        return Failure(key, url, failures.http_reason(e.code), str(e.reason))
    except TimeoutError:
        return Failure(key, url, failures.TIMEOUT, f"no answer in {timeout:g} s")
    except urllib.error.URLError as e:
        if isinstance(e.reason, TimeoutError):
            return Failure(key, url, failures.TIMEOUT, f"no answer in {timeout:g} s")
        return Failure(key, url, failures.UNREACHABLE, str(e.reason))
    except (OSError, ValueError, http.client.HTTPException) as e:  # reset, bad URL, IncompleteRead
        return Failure(key, url, failures.UNREACHABLE, f"{type(e).__name__}: {e}")
