# tierdesk: `make run` starts it, `make test` tests it. Both set everything up first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PO_FILES := $(wildcard src/tierdesk/locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)
# Browser assets come from the npm registry (package.json + lock file), copied into static files.
VENDOR := src/tierdesk/web/static/web/vendor
ASSETS := $(VENDOR)/htmx.min.js $(VENDOR)/chart.umd.min.js $(VENDOR)/chart.umd.min.js.map
# Tests use their own data folder and key, so they never touch ./var of a running instance.
TEST_ENV := TIERDESK_DATA_DIR=$(CURDIR)/var/test TIERDESK_SECRET_KEY=tierdesk-tests-only

.PHONY: run test setup setup-test messages lint format clean bench

run: setup
	$(BIN)/tierdesk run

# Load test (docs/benchmarks.md): seeds a bench database when missing, starts the server as
# `make run` does and drives it with wrk. E.g. make bench BENCH_ARGS="--tickets 1000000 --clients 32"
BENCH_ARGS ?=
bench: setup
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[bench]"
	$(BIN)/tierdesk bench run $(BENCH_ARGS)

test: setup-test
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	env -u TIERDESK_DATABASE_URL $(TEST_ENV) $(BIN)/pytest
	@if [ -n "$$TIERDESK_TEST_POSTGRES_URL" ]; then \
		echo "== the whole suite again on PostgreSQL"; \
		TIERDESK_DATABASE_URL="$$TIERDESK_TEST_POSTGRES_URL" $(TEST_ENV) $(BIN)/pytest; \
	fi

setup: $(VENV)/.installed $(MO_FILES) $(ASSETS)

setup-test: $(VENV)/.installed-test $(MO_FILES) $(ASSETS)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENDOR)/htmx.min.js: node_modules/.installed
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $@

# The source map travels with the script: the static files manifest follows its reference.
$(VENDOR)/chart.umd.min.js $(VENDOR)/chart.umd.min.js.map: node_modules/.installed
	mkdir -p $(VENDOR)
	cp node_modules/chart.js/dist/$(notdir $@) $@

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
	touch $@ $(VENV)/.installed

%.mo: %.po
	msgfmt --check -o $@ $<

# Refresh the catalogues from the code, then compile them. Translate new entries in
# src/tierdesk/locale/id/LC_MESSAGES/django.po (a test fails while any is empty).
messages: setup-test
	cd src/tierdesk && $(CURDIR)/$(BIN)/tierdesk makemessages --locale id --locale en --no-obsolete --add-location file
	# English messages are their own translation (a fuzzy guess from a similar message is
	# emptied first, or msgen would keep it).
	msgattrib --clear-fuzzy --empty --clear-previous -o src/tierdesk/locale/en/LC_MESSAGES/django.po src/tierdesk/locale/en/LC_MESSAGES/django.po
	msgen -o src/tierdesk/locale/en/LC_MESSAGES/django.po src/tierdesk/locale/en/LC_MESSAGES/django.po
	$(MAKE) $(MO_FILES)

lint: setup-test
	$(BIN)/ruff check src tests

format: setup-test
	$(BIN)/ruff format src tests
	$(BIN)/ruff check --fix src tests

clean:
	rm -rf $(VENV) var/test $(MO_FILES) node_modules $(VENDOR)
