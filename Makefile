# Posture Copilot: `make demo` and `make test` are all a new machine needs.
# Each target creates .venv when missing and reinstalls only when pyproject.toml changed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint format typecheck check bench bench-quick bench-speed bench-accuracy bench-latency bench-slack clean help

help:
	@echo "make demo       set up, fill a demo store and show it end to end"
	@echo "make test       set up and run the test suite"
	@echo "make lint       ruff check + format check"
	@echo "make typecheck  mypy (strict) on the package"
	@echo "make check      lint + typecheck"
	@echo "make bench      speed at 10k/100k/1M findings vs the floors, and accuracy (not part of make test)"
	@echo "make bench-quick  the speed suite at 10k only, fewer rounds, no ingest (a fast check)"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/posture demo
	@if [ -t 0 ] && [ -z "$$CI" ]; then $(BIN)/posture chat; fi

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: $(STAMP)
	$(BIN)/mypy core workflow tickets proposals connectors store risk estate posture_cli querygen prompts llm governance pipeline bench compliance remediation bot

check: lint typecheck

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .bench-cache

# bench/results.json and the table; estates are cached in .bench-cache (see bench/suite.py)
bench: bench-speed bench-accuracy

bench-speed: $(STAMP)
	$(BIN)/python -m bench.suite $(BENCH_ARGS)

bench-quick: $(STAMP)
	$(BIN)/python -m bench.suite --scales 10k --rounds 2 --skip ingest --out bench/results-quick.json

bench-slack: $(STAMP)
	$(BIN)/python -m bench.slack_ack

bench-accuracy: $(STAMP)
	$(BIN)/python -m bench.accuracy

bench-latency: $(STAMP)
	$(BIN)/python -m bench.latency
