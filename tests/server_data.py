"""A small database for the server tests: corpus articles read from ../shared/data (never copied),
one near-duplicate we derive from a corpus article, and a hostile article written here."""

from __future__ import annotations

import json
from pathlib import Path

from qala.ingest.record import ArticleRecord
from qala.nlp import analyze
from qala.store import open_store

ARTICLES = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "news" / "articles.jsonl"
N_CORPUS = 12

# Written for these tests: every way an article could try to run script or mislead the reader.
HOSTILE_TEXT = (
    'قال وزير الخارجية المصري سامح شكري إن "<script>window.__pwned=1</script>" ليس إلا نصا يعرض كما هو.\n'
    'وأضاف شكري أن الصورة <img src=x onerror="window.__pwned=1"> لا تعمل، '
    "وأن الرابط javascript:alert(1) ليس رابطا.\n"
    "وأكد شكري أن النص \u202eمعكوس\u202c يجب أن يظهر كما هو.\n"
)
HOSTILE_TITLE = (
    'عنوان \u202eخبيث\u202c <script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'
)
HOSTILE_URL = "javascript:alert(1)"
HOSTILE_OUTLET = '<b onmouseover="window.__pwned=1">Evil Outlet</b>'
DUP_OUTLET = "Copycat News"


def corpus_rows(n: int = N_CORPUS) -> list[dict]:
    rows = []
    with ARTICLES.open(encoding="utf-8") as f:
        for line in f:
            rows.append(json.loads(line))
            if len(rows) == n:
                break
    return rows


def _add(store, rec: ArticleRecord) -> int:
    outcome, article_id = store.add_article(rec, analyze(rec.text, rec.meta(), id=rec.id))
    assert outcome == "new", (rec.id, outcome)
    return article_id


def build(path: Path, n: int = N_CORPUS, hostile: bool = True) -> dict:
    """Fill a new database at ``path``; returns the ids the tests look for."""
    ids: dict = {"corpus": []}
    store = open_store(path)
    try:
        rows = corpus_rows(n)
        for row in rows:
            rec = ArticleRecord(
                text=row["text"],
                title=row.get("title"),
                url=row.get("url"),
                outlet=row.get("outlet"),
                published=row.get("date"),
                source=f"test:{row['id']}",
                id=row["id"],
            )
            ids["corpus"].append(_add(store, rec))
        # the same story re-published by another outlet a day later, with one sentence added
        first = rows[0]
        ids["duplicate"] = _add(
            store,
            ArticleRecord(
                text=first["text"] + "\nوتابعت الوكالة أن التقرير صدر أمس.\n",
                title=first.get("title"),
                url="https://copycat.example/story-1",
                outlet=DUP_OUTLET,
                published="2018-07-15",
                source="test:dup",
                id="dup-1",
            ),
        )
        if not hostile:
            return ids
        ids["hostile"] = _add(
            store,
            ArticleRecord(
                text=HOSTILE_TEXT,
                title=HOSTILE_TITLE,
                url=HOSTILE_URL,
                outlet=HOSTILE_OUTLET,
                published="2020-01-01",
                source="test:hostile",
                id="hostile-1",
            ),
        )
    finally:
        store.close()
    return ids
