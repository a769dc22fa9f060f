# Momentum: `make run` serves the app, `make test` runs the whole suite. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help
export UV_PYTHON_DOWNLOADS := never
# Python keeps the bytecode of what it imports. An environment that says otherwise (some CI images
# set PYTHONDONTWRITEBYTECODE) makes every test worker, and every server, worker or `migrate` a test
# starts, compile the project and its libraries again: 5.2 s of CPU to start Django, 2.2 s with it.
unexport PYTHONDONTWRITEBYTECODE

# The newest Python >= 3.11 on PATH.
PYTHON := $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
VENV := .venv
AXE := node_modules/axe-core/axe.min.js
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The PostgreSQL + Redis pass of `make test` (skipped with a notice when they do not answer).
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/momentum
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0
PYTEST_ARGS ?=

.PHONY: messages help run test test-sqlite test-postgres lint format openapi bench fuzz soak install install-dev system-packages clean

help:
	@echo "make run    install, migrate, load the demo once, serve http://$(HOST):$(PORT)"
	@echo "make test   install dev tools and run the suite on SQLite, then on PostgreSQL + Redis"
	@echo "make lint   ruff, mypy, makemigrations --check, OpenAPI drift"
	@echo "make bench  load and pipeline benchmarks (results in bench/results/)"
	@echo "make messages  refresh and compile the translation catalogues (docs/i18n.md)"

$(UV):
	@test -n "$(PYTHON)" || { echo "Momentum needs Python >= 3.11 on PATH." >&2; exit 1; }
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check "uv>=0.9,<1"

install: $(UV)
	$(UV) sync --frozen --no-dev --python "$(PYTHON)" --quiet

install-dev: $(UV) $(AXE)
	$(UV) sync --frozen --python "$(PYTHON)" --quiet

# axe-core, which the accessibility sweep injects into pages (tests/e2e/test_accessibility.py):
# pinned in package.json and package-lock.json, installed with `npm ci` (npm comes from system-packages).
$(AXE): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || .ci/system-packages
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

system-packages:
	@.ci/system-packages

run: install
	$(BIN)/momentum migrate --no-input -v 0
	$(BIN)/momentum seed-demo --once
	HOST=$(HOST) PORT=$(PORT) $(BIN)/momentum serve

test: install-dev system-packages
	@$(MAKE) --no-print-directory test-sqlite
	@$(MAKE) --no-print-directory test-postgres

test-sqlite:
	@echo "== Test suite on SQLite (embedded default) =="
	env -u DATABASE_URL -u REDIS_URL $(BIN)/pytest $(PYTEST_ARGS)

test-postgres:
	@if $(BIN)/python .ci/services-answer "$(TEST_DATABASE_URL)" "$(TEST_REDIS_URL)"; then \
		echo "== Test suite on PostgreSQL + Redis =="; \
		DATABASE_URL="$(TEST_DATABASE_URL)" REDIS_URL="$(TEST_REDIS_URL)" $(BIN)/pytest $(PYTEST_ARGS); \
	else \
		echo "== PostgreSQL or Redis does not answer: the PostgreSQL + Redis pass is skipped (.ci/run starts them) =="; \
	fi

lint: install-dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy momentum
	$(BIN)/mypy tests conftest.py $(wildcard momentum/*/tests/*.py)
	$(BIN)/lint-imports
	MOMENTUM_ENV=test $(BIN)/python manage.py makemigrations --check --dry-run -v 1
	MOMENTUM_ENV=test $(BIN)/momentum export-openapi --check docs/openapi.json

# The gettext catalogues: refresh locale/ and momentum/<app>/locale/ from the sources, then compile
# the .mo files (committed, so a clone runs without gettext). Needs xgettext/msgfmt (system-packages).
messages: install-dev
	MOMENTUM_ENV=test $(BIN)/momentum catalogues

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

openapi: install-dev
	MOMENTUM_ENV=test $(BIN)/momentum export-openapi docs/openapi.json

bench: install-dev system-packages
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf .pytest_cache .mypy_cache .ruff_cache var/test

# A long soak: SOAK_SECONDS (default 600) of mixed traffic on 2 web + 2 worker processes (PostgreSQL + Redis).
SOAK_SECONDS ?= 600
soak: install-dev
	SOAK_SECONDS=$(SOAK_SECONDS) SOAK_DATABASE_URL="$(TEST_DATABASE_URL)" SOAK_REDIS_URL="$(TEST_REDIS_URL)" \
		$(BIN)/python -m bench.soak

# A longer fuzz of the API: MOMENTUM_FUZZ_EXAMPLES examples per operation and mode (default 100),
# and Schemathesis' coverage phase sent as every persona (make test sends it as the admin).
MOMENTUM_FUZZ_EXAMPLES ?= 100
fuzz: install-dev
	env -u DATABASE_URL -u REDIS_URL MOMENTUM_FUZZ_EXAMPLES=$(MOMENTUM_FUZZ_EXAMPLES) MOMENTUM_FUZZ_EVERY_PERSONA=1 MOMENTUM_SECURITY_PAYLOADS=all \
		$(BIN)/pytest tests/fuzz tests/security/test_injection_api.py tests/security/test_injection_forms.py -p no:randomly $(PYTEST_ARGS)
