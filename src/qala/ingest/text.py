"""Plain-text articles: decode (UTF-8, UTF-8 with BOM, UTF-16, windows-1256, ...) and flag the language.

``read_text("قال الوزير ...".encode("utf-16"), key, "a.txt")`` gives an ``ArticleRecord`` whose
text is the decoded file without its BOM; the text is otherwise kept as it is (offsets refer to it).
"""

from __future__ import annotations

import hashlib

from qala.ingest import failures
from qala.ingest.encoding import DecodeError, decode_bytes
from qala.ingest.failures import Failure
from qala.ingest.language import guess_language
from qala.ingest.record import ArticleRecord


def read_text(data: bytes, key: str, source: str, *, title: str | None = None) -> ArticleRecord | Failure:
    try:
        text = decode_bytes(data, markup=False).text
    except DecodeError as e:
        return Failure(key, source, failures.BAD_ENCODING, str(e))
    if not text.strip():
        return Failure(key, source, failures.EMPTY)
    return ArticleRecord(
        text=text,
        title=title,
        language=guess_language(text),
        raw_hash=hashlib.sha256(data).hexdigest(),
        source=source,
    )
