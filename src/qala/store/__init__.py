"""Storage: SQLite by default (one writer, WAL, FTS5 over the Arabic-folded shadow text)."""
