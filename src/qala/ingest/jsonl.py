"""JSONL batches in the ``articles.jsonl`` form: one object a line with id, text, title, url, outlet, date.

Each line is its own input (key ``"/abs/articles.jsonl:7#alarabiya-001"``), so a bad line is
logged and the rest of the file is still read; a line that is not a JSON object, or has no
text, is a failure (``bad-json``, ``empty``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qala.ingest import failures
from qala.ingest.failures import Failure
from qala.ingest.language import guess_language
from qala.ingest.record import ArticleRecord


@dataclass(slots=True)
class JsonlLine:
    key: str
    source: str  # "path:lineno"
    fields: dict[str, Any]
    raw_hash: str


def line_key(path: str, lineno: int, id: object) -> str:
    return f"{path}:{lineno}" + (f"#{id}" if id not in (None, "") else "")


def iter_jsonl(path: Path) -> Iterator[JsonlLine | Failure]:
    """Every non-blank line of ``path`` as a ``JsonlLine``, or a ``Failure`` for a line that is no object."""
    name = str(path)
    with path.open("rb") as f:
        for lineno, raw in enumerate(f, start=1):
            if not raw.strip():
                continue
            source = f"{name}:{lineno}"
            try:
                fields = json.loads(raw.decode("utf-8-sig" if lineno == 1 else "utf-8"))
            except UnicodeDecodeError as e:
                yield Failure(line_key(name, lineno, None), source, failures.BAD_ENCODING, str(e))
                continue
            except json.JSONDecodeError as e:
                yield Failure(line_key(name, lineno, None), source, failures.BAD_JSON, e.msg)
                continue
            if not isinstance(fields, dict):
                yield Failure(line_key(name, lineno, None), source, failures.BAD_JSON, "not a JSON object")
                continue
            key = line_key(name, lineno, fields.get("id"))
            yield JsonlLine(key, source, fields, hashlib.sha256(raw.rstrip(b"\r\n")).hexdigest())


def _str(value: object) -> str | None:
    return None if value is None or value == "" else str(value)


def read_jsonl_line(line: JsonlLine) -> ArticleRecord | Failure:
    text = line.fields.get("text")
    if not isinstance(text, str) or not text.strip():
        return Failure(line.key, line.source, failures.EMPTY, "no text field" if text is None else "")
    fields = line.fields
    return ArticleRecord(
        text=text,
        title=_str(fields.get("title")),
        url=_str(fields.get("url")),
        outlet=_str(fields.get("outlet")),
        published=_str(fields.get("published") or fields.get("date")),
        language=_str(fields.get("language")) or guess_language(text),
        raw_hash=line.raw_hash,
        source=line.source,
        id=_str(fields.get("id")),
    )
