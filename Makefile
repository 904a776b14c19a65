# econsec — two commands: `make demo` and `make test`. Each bootstraps .venv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= $(ECONSEC_TEST_DATABASE_URL)

.PHONY: demo test lint typecheck test-sqlite test-postgres bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/econsec demo

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

test-sqlite: $(STAMP)
	$(BIN)/pytest -q -p no:cacheprovider

# The PostgreSQL pass reruns every database test against a real server.
test-postgres: $(STAMP)
	@if [ -n "$(PG_URL)" ]; then \
	  echo "== PostgreSQL pass against $(PG_URL)"; \
	  DATABASE_URL="$(PG_URL)" $(BIN)/pytest -q -p no:cacheprovider -m db; \
	elif [ "$(ECONSEC_REQUIRE_POSTGRES)" = "1" ]; then \
	  echo "== FAILED: ECONSEC_REQUIRE_POSTGRES=1 but ECONSEC_TEST_DATABASE_URL is not set"; exit 1; \
	else \
	  echo "== SKIPPED the PostgreSQL pass: set ECONSEC_TEST_DATABASE_URL=postgresql://USER@HOST:PORT/DB to run it"; \
	fi

test: lint typecheck test-sqlite test-postgres

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run_all

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
