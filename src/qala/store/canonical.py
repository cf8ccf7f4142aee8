"""The identity of an article: its canonical URL (the content hash is ``qala.ingest.record.content_hash``)."""

from __future__ import annotations

from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

# Tracking parameters that never change what a page shows.
_TRACKING_PREFIXES = ("utm_",)
_TRACKING = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "mc_cid",
        "mc_eid",
        "ref",
        "ref_src",
        "cmpid",
        "ocid",
        "at_medium",
        "at_campaign",
    }
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: str) -> str:
    """One spelling per page, for deduplication only (the stored ``url`` is kept as read).

    Scheme http/https, ``www.``, default ports, the fragment, tracking parameters,
    parameter order, a trailing slash and percent-encoding differences are ignored:
    ``canonical_url("HTTP://www.Example.com/a/%D8%A8/?utm_source=x#top")`` ->
    ``"https://example.com/a/%D8%A8"`` (the same as for the raw ``/a/ب/``).
    """
    raw = url.strip()
    try:
        parts = urlsplit(raw)
    except ValueError:
        return raw
    if parts.scheme.lower() not in _DEFAULT_PORTS or not parts.hostname:
        return raw
    host = parts.hostname.lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, _DEFAULT_PORTS[parts.scheme.lower()]) else f"{host}:{port}"
    path = quote(unquote(parts.path), safe="/:@!$&'()*+,;=-._~")
    path = path.rstrip("/")
    query = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in _TRACKING and not k.lower().startswith(_TRACKING_PREFIXES)
    )
    return urlunsplit(("https", netloc, path, urlencode(query, quote_via=quote), ""))
