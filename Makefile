# qala: `make demo` and `make test` work on a fresh machine with python3 (>= 3.11, venv) and make.
# The data folder is ../shared/data, beside the repository.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA := ../shared/data
SEED := $(DATA)/seed/000_c398a748092b5110.txt

.PHONY: install demo test lint format eval bench clean distclean

install: $(STAMP)

# Re-installs whenever pyproject.toml changes; the stamp is only written after a successful install.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

demo: $(STAMP)
	$(BIN)/qala analyze $(SEED) --format table --published 2015-09-15

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

eval: $(STAMP)
	$(BIN)/qala eval \
		--gold $(DATA)/gold/seed.jsonl --gold $(DATA)/gold/dev.jsonl \
		--articles $(DATA)/seed/seed.jsonl --articles $(DATA)/news/articles.jsonl \
		--floors eval_floors.json

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_analyze.py
	$(BIN)/python benchmarks/bench_ner.py
	$(BIN)/python benchmarks/bench_dates.py

clean:
	rm -rf build dist .pytest_cache .ruff_cache src/*.egg-info
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
