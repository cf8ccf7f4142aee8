"""Getting articles in: readers for text, HTML, feeds, WARC and JSONL, and the ingest run."""
