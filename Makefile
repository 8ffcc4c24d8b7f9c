# Careforge: `make generate` writes the clients, `make test` proves them. Both set themselves up.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
READY := $(VENV)/.ready
NODE_READY := node_modules/.ready
VENDOR ?=

.PHONY: generate check test test-generator test-generated typecheck clean

$(READY): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(READY)

# The mock server for the contract tests (Prism, pinned in package.json and its lock file).
$(NODE_READY): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $(NODE_READY)

## generate: write generated/<vendor>/ for every vendor (or VENDOR=name); unchanged vendors are skipped
generate: $(READY)
	$(PY) -m generator generate $(VENDOR)

## check: drift, coverage and mypy --strict on every generated package; mypy --strict on the generator
check: $(READY)
	$(PY) -m generator check --types $(VENDOR)
	$(PY) -m mypy generator templates/runtime templates/testing

## test: the checks, the generator's own tests, and every generated package's tests
test: check test-generator test-generated

test-generator: $(READY) $(NODE_READY)
	$(PY) -m pytest -q tests

test-generated: $(READY)
	@set -e; for dir in generated/*/; do \
		echo "== tests of $$dir"; \
		(cd $$dir && PYTHONPATH=. ../../$(PY) -m pytest -q -p no:cacheprovider tests); \
	done

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache
