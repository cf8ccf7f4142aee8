"""The stand-off corpus files: reading, checking and resolving them against the article texts.

A pass file (``corpus/passes/A.jsonl``) and the merged file (``corpus/annotations.jsonl``) hold
one JSON line an article::

    {"id": "bbc-014", "source": "news", "sha256": "…",
     "statements": [{"cue": [12, 15], "content": [20, 140], "mention": [16, 30] | null,
                     "type": "indirect", "kind": "claim", "resolution": "explicit",
                     "optional": false, "speaker": "فلاديمير بوتين", "aliases": ["بوتين", …]}],
     "entities": [{"start": 16, "end": 30, "type": "PER"}]}

``entities`` is absent where the article's entities come from ``ner/news_dev`` instead.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qala.corpus.resolve import ENTITY_TYPES, KINDS, RESOLUTIONS, TYPES, span_hash
from qala.corpus.texts import Article, TextError, Texts


class CorpusError(ValueError):
    """A corpus line that does not fit its text; the message names the file, line and article."""


@dataclass(slots=True)
class Annotated:
    """One annotated article with its text: every span checked against it."""

    article: Article
    record: dict[str, Any]
    entities: list[dict[str, Any]] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.article.id

    @property
    def statements(self) -> list[dict[str, Any]]:
        return self.record.get("statements", [])

    @property
    def may_train(self) -> bool:
        """Only ANT texts (and the seed) may feed shipped models: SaudiNewsNet is evaluation only."""
        return (
            self.article.meta.get("source_repo") != "inparallel/SaudiNewsNet"
            and self.record["source"] != "saudinewsnet"
        )

    def span(self, pair: list[int] | None) -> str | None:
        return None if pair is None else self.article.text[pair[0] : pair[1]]

    def gold(self) -> dict[str, Any]:
        """The ``annotation.md`` gold form that ``qala eval`` scores."""
        quotes = []
        for s in self.statements:
            q = {
                "speaker": s["speaker"],
                "aliases": s["aliases"],
                "cue": self.span(s["cue"]),
                "type": s["type"],
                "content": self.span(s["content"]),
                "optional": s["optional"],
            }
            for key in ("kind", "resolution"):
                if s.get(key):
                    q[key] = s[key]
            if s.get("mention"):
                q["mention"] = self.span(s["mention"])
            quotes.append(q)
        return {"id": self.id, "quotes": quotes}

    def article_dict(self) -> dict[str, Any]:
        """The article in the batch form of ``output.md`` (id, text, title, outlet, date, url)."""
        meta = self.article.meta
        return {
            "id": self.id,
            "text": self.article.text,
            **{k: meta.get(k) for k in ("title", "outlet", "date", "url")},
        }


def read_lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as e:
        raise CorpusError(f"{path}: cannot read ({e})") from None
    for n, line in enumerate(lines, 1):
        if line.strip():
            try:
                yield n, json.loads(line)
            except json.JSONDecodeError as e:
                raise CorpusError(f"{path}:{n}: invalid JSON ({e.msg})") from None


def write_lines(path: Path, records: Iterable[dict[str, Any]]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", encoding="utf-8") as out:
        for r in records:
            out.write(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n")
            n += 1
    return n


def _check_span(pair: Any, size: int, what: str) -> None:
    if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(i, int) for i in pair)):
        raise ValueError(f"{what} must be [start, end]")
    if not 0 <= pair[0] < pair[1] <= size:
        raise ValueError(f"{what} {pair} out of range for a text of {size} characters")


def check_statement(s: dict[str, Any], text: str, n: int) -> None:
    size = len(text)
    for key in ("cue", "content"):
        _check_span(s.get(key), size, f"statement {n} {key}")
    if s.get("mention") is not None:
        _check_span(s["mention"], size, f"statement {n} mention")
    for key, expected in s.get("hashes", {}).items():
        start, end = s[key]
        if span_hash(text[start:end]) != expected:
            raise ValueError(f"statement {n}: text[{start}:{end}] is not the {key} that was annotated")
    if s.get("type") not in TYPES:
        raise ValueError(f"statement {n}: type {s.get('type')!r} not one of {', '.join(TYPES)}")
    for key, allowed in (("kind", KINDS), ("resolution", RESOLUTIONS)):
        if s.get(key) is not None and s[key] not in allowed:
            raise ValueError(f"statement {n}: {key} {s[key]!r} not one of {', '.join(allowed)}")
    if not isinstance(s.get("speaker"), str) or not isinstance(s.get("aliases"), list):
        raise ValueError(f"statement {n}: needs a 'speaker' string and an 'aliases' list")


def check_entities(entities: Any, size: int) -> None:
    if not isinstance(entities, list):
        raise ValueError("'entities' must be a list")
    for n, e in enumerate(entities, 1):
        _check_span([e.get("start"), e.get("end")], size, f"entity {n}")
        if e.get("type") not in ENTITY_TYPES:
            raise ValueError(f"entity {n}: type {e.get('type')!r} not one of {', '.join(ENTITY_TYPES)}")


def news_dev_entities(texts: Texts) -> dict[str, list[dict[str, Any]]]:
    """Entity spans of ``ner/news_dev`` by article id (for news articles annotated there)."""
    path = texts.root / "ner" / "news_dev" / "annotations.jsonl"
    if not path.exists():
        return {}
    return {
        d["id"]: [{"start": e["start"], "end": e["end"], "type": e["type"]} for e in d["entities"]]
        for _, d in read_lines(path)
    }


def load(path: Path, texts: Texts | None = None, *, split: str | None = None) -> list[Annotated]:
    """Every article of a corpus file, hash-checked, offsets checked; ``CorpusError`` on any fault."""
    texts = texts or Texts()
    from_news_dev: dict[str, list[dict[str, Any]]] | None = None
    out = []
    for n, record in read_lines(path):
        if split and record.get("split") != split:
            continue
        where = f"{path}:{n}: {record.get('id')}"
        try:
            article = texts.get(record["source"], record["id"], record["sha256"])
            size = len(article.text)
            for i, s in enumerate(record.get("statements", []), 1):
                check_statement(s, article.text, i)
            if "entities" in record:
                check_entities(record["entities"], size)
                entities = record["entities"]
            else:
                if from_news_dev is None:
                    from_news_dev = news_dev_entities(texts)
                entities = from_news_dev.get(record["id"], [])
        except (KeyError, ValueError, TextError) as e:
            raise CorpusError(f"{where}: {e}") from None
        out.append(Annotated(article, record, entities))
    return out
