"""Bytes to text: BOM, then the HTTP header's charset, then ``<meta charset>``, then the content.

Older Arabic sites serve windows-1256 or ISO-8859-6, often without saying so; both decode
almost any byte string, so the two are scored by the share of Arabic letters they produce
(windows-1256 read as ISO-8859-6 fails on ك ف ق; ISO-8859-6 read as windows-1256 gives é, ç).
``decode_bytes("قال".encode("cp1256"))`` gives ``Decoded("قال", "cp1256", "content")``.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
ARABIC_SINGLE_BYTE = ("cp1256", "iso8859_6")
# Declared charsets that Arabic pages misuse: a page saying latin-1 may well be windows-1256.
WESTERN = frozenset({"iso8859-1", "cp1252", "ascii"})  # codecs.lookup(...).name of each
META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)""", re.IGNORECASE)
HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)
SNIFF_BYTES = 4096  # browsers look for <meta charset> in the first 1024 bytes; be lenient


class DecodeError(ValueError):
    """The bytes are in no encoding we can identify."""


@dataclass(slots=True, frozen=True)
class Decoded:
    text: str
    encoding: str  # a Python codec name
    how: str  # "bom", "header", "meta", "utf-8", "content"


def codec_name(label: str | None) -> str | None:
    """The Python codec for a charset label (``"windows-1256"`` -> ``"cp1256"``), None if unknown."""
    if not label:
        return None
    try:
        return codecs.lookup(label.strip().strip("\"'").lower()).name
    except LookupError:
        return None


def header_charset(content_type: str | None) -> str | None:
    """``header_charset("text/html; charset=windows-1256") == "windows-1256"``."""
    if not content_type:
        return None
    m = HEADER_CHARSET.search(content_type)
    return m.group(1) if m else None


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page or XML file declares about itself in its first bytes."""
    head = data[:SNIFF_BYTES]
    m = META_CHARSET.search(head) or XML_ENCODING.search(head)
    return m.group(1).decode("ascii", "replace") if m else None


def arabic_share(text: str) -> float:
    """Share of Arabic-script letters among all letters (0.0 when there are no letters)."""
    letters = arabic = 0
    for ch in text:
        if ch.isalpha():
            letters += 1
            if "\u0600" <= ch <= "\u06ff" or "\ufb50" <= ch <= "\ufeff" or "\u0750" <= ch <= "\u077f":
                arabic += 1
    return arabic / letters if letters else 0.0


def _try(data: bytes, codec: str | None) -> str | None:
    if codec is None:
        return None
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _best_arabic_single_byte(data: bytes) -> tuple[str, str] | None:
    """windows-1256 or ISO-8859-6, whichever decodes strictly with the most Arabic letters (≥ 50%)."""
    best: tuple[float, str, str] | None = None
    for codec in ARABIC_SINGLE_BYTE:
        text = _try(data, codec)
        if text is None:
            continue
        share = arabic_share(text)
        if share >= 0.5 and (best is None or share > best[0]):
            best = (share, text, codec)
    return (best[1], best[2]) if best else None


def decode_bytes(data: bytes, content_type: str | None = None, *, markup: bool = True) -> Decoded:
    """Decode ``data``; ``content_type`` is an HTTP Content-Type header, ``markup`` enables meta sniffing.

    Raises ``DecodeError`` only when nothing fits; a declared charset that does not decode the
    bytes strictly is ignored (pages lie about their charset more often than one would hope).
    """
    for bom, codec in BOMS:
        if data.startswith(bom):
            text = _try(data, codec)
            if text is not None:
                return Decoded(text.lstrip("\ufeff"), codec, "bom")
    high_bytes = any(b >= 0x80 for b in data[: 1 << 16])
    candidates = [("header", codec_name(header_charset(content_type)))]
    if markup:
        candidates.append(("meta", codec_name(declared_charset(data))))
    for how, codec in candidates:
        if codec is None or codec in ("utf-16", "utf-32"):  # a declared UTF-16 without a BOM is a lie
            continue
        if codec in WESTERN and high_bytes:
            arabic = _best_arabic_single_byte(data)
            if arabic is not None:
                return Decoded(arabic[0], arabic[1], "content")
        text = _try(data, codec)
        if text is not None:
            return Decoded(text, codec, how)
    text = _try(data, "utf-8")
    if text is not None:
        return Decoded(text, "utf-8", "utf-8")
    arabic = _best_arabic_single_byte(data)
    if arabic is not None:
        return Decoded(arabic[0], arabic[1], "content")
    match = charset_normalizer.from_bytes(data).best()
    if match is None:
        raise DecodeError("no text encoding fits these bytes")
    return Decoded(str(match), codec_name(match.encoding) or match.encoding, "content")
