"""The search form of text (shadow text) and user queries turned into safe FTS5 queries.

Both the indexed text and the query go through ``qala.nlp.normalize.fold`` (diacritics,
tatweel, alef forms, ى/ي, ة/ه, Arabic-Indic digits) and lower case, so «الرئيسُ المصريّ»,
«الرئيس المصرى» and «الرئيس المصري» index and query the same.
"""

from __future__ import annotations

import re

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
