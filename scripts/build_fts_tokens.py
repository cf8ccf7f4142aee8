"""Write ``src/qala/store/fts_tokens.json``: how SQLite FTS5's ``unicode61 remove_diacritics 2``
tokenizer treats every code point, read from FTS5 itself.

The PostgreSQL store tokenizes the folded shadow text in Python (``qala.store.fulltext.tokens``)
with this table, so its search matches exactly the words SQLite's FTS5 index holds.

    python scripts/build_fts_tokens.py
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "qala" / "store" / "fts_tokens.json"


def main() -> None:
    cps = [cp for cp in range(0x21, 0x110000) if not 0xD800 <= cp <= 0xDFFF and cp not in (0x71, 0x7A)]
    # "q<c>z" per code point: one token "q<fold>z" when <c> is a token character, else "q" and "z"
    doc = " ".join("q" + chr(cp) + "z" for cp in cps)
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61 remove_diacritics 2')")
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, instance)")
    conn.execute("INSERT INTO t (rowid, x) VALUES (1, ?)", (doc,))
    terms = [r[0] for r in conn.execute("SELECT term FROM v ORDER BY offset")]
    token_chars: list[int] = [0x71, 0x7A]
    fold: dict[str, str] = {}
    i = 0
    for cp in cps:
        term = terms[i]
        if term == "q" and terms[i + 1] == "z":  # a separator
            i += 2
            continue
        assert term.startswith("q") and term.endswith("z"), (hex(cp), term)
        token_chars.append(cp)
        if term[1:-1] != chr(cp):
            fold[f"{cp:x}"] = term[1:-1]
        i += 1
    assert i == len(terms)
    token_chars.sort()
    ranges: list[list[int]] = []
    for cp in token_chars:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    OUT.write_text(
        json.dumps(
            {"sqlite": sqlite3.sqlite_version, "ranges": ranges, "fold": fold},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"{OUT}: {len(ranges)} ranges, {len(fold)} folded code points (SQLite {sqlite3.sqlite_version})")


if __name__ == "__main__":
    main()
