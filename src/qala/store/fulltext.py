"""The search form of text (shadow text) and user queries turned into safe FTS5 queries.

Both the indexed text and the query go through ``qala.nlp.normalize.fold`` (diacritics,
tatweel, alef forms, ى/ي, ة/ه, Arabic-Indic digits) and lower case, so «الرئيسُ المصريّ»,
«الرئيس المصرى» and «الرئيس المصري» index and query the same.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from qala.nlp.normalize import fold

# Python's \w is Unicode-aware; FTS5's unicode61 tokenizer splits on the same kind of boundary.
_WORD = re.compile(r"\w+")
_QUERY_PART = re.compile(r'"([^"]*)"|(\S+)')


def shadow(text: str) -> str:
    """The folded form that is indexed: ``shadow("أعلنَ الرئيسُ")`` -> ``"اعلن الرييس"``."""
    return fold(text).lower()


def key(name: str) -> str:
    """A name's match key (folded, lower case, single spaces): ``key("وزارة  الخارجية")`` -> ``"وزاره الخارجيه"``."""
    return " ".join(shadow(name).split())


def fts_query(text: str) -> str:
    """A user's search text as an FTS5 query: every word must occur (AND).

    ``"..."`` keeps a phrase, a trailing ``*`` asks for a prefix; FTS5 operators and
    punctuation are never passed through, so no input is a syntax error:
    ``fts_query('مفاوضاتٌ "وقف إطلاق" سلا*')`` -> ``'"مفاوضات" "وقف اطلاق" "سلا"*'``.
    Raises ``ValueError`` when the text has no word at all.
    """
    parts: list[str] = []
    for m in _QUERY_PART.finditer(text):
        if m.group(1) is not None:
            words = _WORD.findall(shadow(m.group(1)))
            if words:
                parts.append('"' + " ".join(words) + '"')
            continue
        token = m.group(2)
        words = _WORD.findall(shadow(token))
        if not words:
            continue
        phrase = '"' + " ".join(words) + '"'
        parts.append(phrase + "*" if token.endswith("*") else phrase)
    if not parts:
        raise ValueError(f"search text {text!r} has no words")
    return " ".join(parts)


# -- the same words without SQLite: FTS5's tokenizer as a table, for the PostgreSQL store --

_TOKEN_TABLE = Path(__file__).with_name("fts_tokens.json")  # from scripts/build_fts_tokens.py
_FTS_PART = re.compile(r'"([^"]*)"(\*?)')
PG_MAX_POSITION = 16383  # PostgreSQL keeps positions 1..16383 in a tsvector
PG_MAX_POSITIONS = 256  # and at most this many per word
PG_MAX_WORD_BYTES = 2047


@cache
def _tokenizer() -> tuple[re.Pattern[str], dict[int, str]]:
    data = json.loads(_TOKEN_TABLE.read_text(encoding="utf-8"))
    cls = "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in data["ranges"]
    )
    return re.compile(f"[{cls}]+"), {int(k, 16): v for k, v in data["fold"].items()}


def tokens(text: str) -> list[str]:
    """The words FTS5's ``unicode61 remove_diacritics 2`` tokenizer finds in ``text``, folded as it folds them.

    ``tokens(shadow("قال: «الرئيسُ»"))`` -> ``["قال", "الرييس"]``; equal to what the SQLite index holds.
    """
    word, fold = _tokenizer()
    return [t for t in (m.translate(fold) for m in word.findall(text)) if t]


def _lexeme(t: str) -> str:
    return "'" + t.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector(*columns: str) -> str:
    """A PostgreSQL ``tsvector`` literal of the columns' words with positions (1-based).

    One position is skipped between columns, so a phrase never spans a title and a text (as in
    FTS5, where a phrase matches inside one column). Words longer than PostgreSQL allows are left out.
    """
    positions: dict[str, list[int]] = {}
    pos = 0
    for column in columns:
        for t in tokens(column):
            pos += 1
            if len(t.encode("utf-8")) > PG_MAX_WORD_BYTES:
                continue
            seen = positions.setdefault(t, [])
            p = min(pos, PG_MAX_POSITION)
            if len(seen) < PG_MAX_POSITIONS and (not seen or seen[-1] != p):
                seen.append(p)
        pos += 1
    return " ".join(f"{_lexeme(t)}:{','.join(map(str, ps))}" for t, ps in positions.items())


def tsquery(fts: str) -> str | None:
    """The FTS5 query of ``fts_query`` as a PostgreSQL ``tsquery`` literal: phrases ``<->``, prefixes ``:*``, AND ``&``.

    ``tsquery('"وقف اطلاق" "سلا"*')`` -> ``"('وقف' <-> 'اطلاق') & ('سلا':*)"``; None when a phrase has
    no word FTS5 would index (FTS5 then matches nothing).
    """
    parts = []
    for m in _FTS_PART.finditer(fts):
        words = [_lexeme(t) for t in tokens(m.group(1))]
        if not words:
            return None
        if m.group(2):
            words[-1] += ":*"
        parts.append("(" + " <-> ".join(words) + ")")
    return " & ".join(parts) if parts else None
