# econsec — two commands: `make demo` and `make test`. Each bootstraps .venv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= $(ECONSEC_TEST_DATABASE_URL)

.PHONY: demo test lint typecheck test-sqlite test-postgres test-browser report-tools lock clean

# Everything comes from requirements.lock, each file checked against its SHA-256; econsec itself
# is then installed without dependencies or a separate build environment (the lock has the
# build tools too), so nothing unpinned is downloaded.
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Re-resolve requirements.lock from pyproject.toml (newest allowed versions, with hashes).
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet uv
	printf 'pip\nsetuptools>=77\nwheel\n' | $(BIN)/uv pip compile pyproject.toml - --extra dev \
	  --generate-hashes --universal --python-version 3.11 --no-annotate --no-header > requirements.lock.new
	{ head -3 requirements.lock; cat requirements.lock.new; } > requirements.lock.tmp  # keep the header
	mv requirements.lock.tmp requirements.lock && rm requirements.lock.new

demo: $(STAMP)
	$(BIN)/econsec demo

# lint-imports keeps the capability-slice layering (.importlinter, docs/decisions/0090).
lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports --no-cache

typecheck: $(STAMP)
	$(BIN)/mypy

# The PDF report test converts pages to images with poppler's pdftoppm (installed with apt when
# running as root; CI sets ECONSEC_REQUIRE_PDFTOPPM=1 so a missing tool fails rather than skips).
# fonts-nanum / fonts-droid-fallback give the PDF glyphs its Japanese font (Noto Sans JP) lacks.
report-tools:
	@if ! command -v pdftoppm >/dev/null && [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	  echo "== installing poppler-utils (and fallback fonts) for the PDF report tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils fonts-nanum fonts-droid-fallback >/dev/null || true; \
	fi

test-sqlite: $(STAMP) report-tools
	$(BIN)/pytest -q -p no:cacheprovider -m "not browser"

# The PostgreSQL pass reruns every database test against a real server.
test-postgres: $(STAMP)
	@if [ -n "$(PG_URL)" ]; then \
	  echo "== PostgreSQL pass against $(PG_URL)"; \
	  DATABASE_URL="$(PG_URL)" $(BIN)/pytest -q -p no:cacheprovider -m "db and not browser"; \
	elif [ "$(ECONSEC_REQUIRE_POSTGRES)" = "1" ]; then \
	  echo "== FAILED: ECONSEC_REQUIRE_POSTGRES=1 but ECONSEC_TEST_DATABASE_URL is not set"; exit 1; \
	else \
	  echo "== SKIPPED the PostgreSQL pass: set ECONSEC_TEST_DATABASE_URL=postgresql://USER@HOST:PORT/DB to run it"; \
	fi

# Browser tests: Playwright drives Debian's Chromium (installed with apt when running as root).
test-browser: $(STAMP)
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	  echo "== installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null || true; \
	fi
	@if [ -x /usr/bin/chromium ]; then \
	  $(BIN)/pytest -q -p no:cacheprovider -m browser; \
	elif [ "$$ECONSEC_REQUIRE_BROWSER" = "1" ]; then \
	  echo "== browser tests are required but /usr/bin/chromium is missing" >&2; exit 1; \
	else \
	  echo "== SKIPPED browser tests: /usr/bin/chromium is missing (install Debian's chromium package, or run make test as root)"; \
	fi

test: lint typecheck test-sqlite test-postgres test-browser

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
