# qala: `make demo` and `make test` work on a fresh machine with python3 (>= 3.11, venv) and make.
# The data folder is ../shared/data, beside the repository.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA := ../shared/data
SEED := $(DATA)/seed/000_c398a748092b5110.txt

.PHONY: install demo test lint format eval bench bench-scaling bench-store bench-spark bench-pg fuzz clean distclean

install: $(STAMP)

# Re-installs whenever pyproject.toml changes; the stamp is only written after a successful install.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,spark]'
	touch $@

DEMO_DB := demo.db
DEMO_INPUTS := $(DATA)/seed/seed.jsonl $(DATA)/news/articles.jsonl
PORT ?= 8000

# The seed table, then the web UI on the seed article and the 408 articles (ingested once;
# `qala ingest` also skips inputs it has done, so an interrupted ingest resumes).
demo: $(STAMP)
	$(BIN)/qala analyze $(SEED) --format table --published 2015-09-15
	@if [ -f $(DEMO_DB) ] && [ -f $(DEMO_DB).ingested ]; then echo "demo: $(DEMO_DB) is already ingested"; \
	else $(BIN)/qala ingest $(DEMO_INPUTS) --db $(DEMO_DB) --no-progress && touch $(DEMO_DB).ingested; fi
	@echo "qala demo: open http://127.0.0.1:$(PORT)/ (API docs: http://127.0.0.1:$(PORT)/docs); Ctrl-C stops it"
	$(BIN)/qala serve --db $(DEMO_DB) --port $(PORT)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The seed, then the annotation corpus: development (train split), 5-fold cross-validated, sealed test.
eval: $(STAMP)
	$(BIN)/qala eval \
		--gold $(DATA)/gold/seed.jsonl --articles $(DATA)/seed/seed.jsonl \
		--corpus corpus --cv 5 --floors eval_floors.json

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_analyze.py
	$(BIN)/python benchmarks/bench_scaling.py
	$(BIN)/python benchmarks/bench_ner.py
	$(BIN)/python benchmarks/bench_dates.py
	$(BIN)/python benchmarks/bench_ingest.py

# analyze's time at 100 kB, 1 MB and 5 MB of news text (a minute), also part of bench.
bench-scaling: $(STAMP)
	$(BIN)/python benchmarks/bench_scaling.py

# 100,000 generated inputs per target through analyze (and the readers), on every core; the
# counts go to benchmarks/RESULTS.md and failing inputs to fuzz-failures/ (minutes, so not in test).
FUZZ_COUNT ?= 100000
fuzz: $(STAMP)
	$(BIN)/python scripts/fuzz.py --count $(FUZZ_COUNT)

# Storage: size per 1,000 articles and search latency over 1M statements (a few minutes, so not in bench).
bench-store: $(STAMP)
	$(BIN)/python benchmarks/bench_store.py

# Spark: local[1] against local[2] on 20,400 generated WARC records (a quarter of an hour, so not in bench).
bench-spark: $(STAMP)
	$(BIN)/python benchmarks/bench_spark.py

# PostgreSQL against SQLite: store throughput, a full ingest, search latency (starts its own server).
bench-pg: $(STAMP)
	$(BIN)/python benchmarks/bench_pg.py

clean:
	rm -rf build dist .pytest_cache .ruff_cache src/*.egg-info
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
