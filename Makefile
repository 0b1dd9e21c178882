# Two commands a new user needs: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: run test setup lint format bench bench-http bench-worklogs soak scan messages clean

# Create the venv and install exactly what uv.lock says (uv itself comes from PyPI via pip).
# Bytecode is compiled once here: where PYTHONDONTWRITEBYTECODE is set (as on some images) every
# process would otherwise recompile Django and the libraries from source, ~5 s per start.
$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# On a server (docs/deploy) `make setup SERVER=1` leaves out the dev group (tests, lint, the
# AGPL OC4IDS validator: about half the venv), copies files out of uv's cache instead of
# hard-linking them (root's cache would share the venv's owners), and compiles the site's own
# code too, at every setup: the service may not write its byte-code (`tuijin/` is not installed
# into the venv, so uv compiles only the libraries).
SYNCED := $(VENV)/.synced$(if $(SERVER),-server)
$(SYNCED): uv.lock pyproject.toml | $(BIN)/uv
	$(if $(SERVER),UV_LINK_MODE=copy) $(BIN)/uv sync --frozen --quiet --compile-bytecode \
		$(if $(SERVER),--no-dev)
	rm -f $(VENV)/.synced $(VENV)/.synced-server
	touch $@

setup: $(SYNCED)
ifdef SERVER
	$(BIN)/python -m compileall -q manage.py deploy tuijin
endif

# The demo machine's own key, generated once and named to Django: with DEBUG off the system
# check tuijin.E001 refuses a server whose key is not named (SECRET_KEY or SECRET_KEY_FILE).
var/secret_key:
	mkdir -p var
	(umask 077; $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@)

# The audit chain's key (docs/development/audit.md), outside the database; check tuijin.E002.
var/audit_key:
	mkdir -p var
	(umask 077; $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@)

RUN_ENV = SECRET_KEY_FILE=$${SECRET_KEY_FILE:-$(CURDIR)/var/secret_key} \
	AUDIT_KEY_FILE=$${AUDIT_KEY_FILE:-$(CURDIR)/var/audit_key} HTTPS=$${HTTPS:-0}

run: setup var/secret_key var/audit_key
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py load_demo
	$(RUN_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(RUN_ENV) $(BIN)/python manage.py serve

# One pytest-xdist worker per core; PYTEST_WORKERS=0 runs in one process (easier with pdb).
# `--dist loadgroup` hands each worker its tests in collection order (so the transactional
# tests, which flush the data migrations' rows, still run after the others) and keeps the tests
# of an `xdist_group` on one worker. A module's demo is a snapshot after a worker's first load
# (tests/snapshot.py), so the URL walk's tests spread over every worker.
PYTEST_WORKERS ?= auto
# `make test COVERAGE_FLOOR=96.7` (CI) also measures which lines of tuijin/ ran, with slipcover
# ([tool.slipcover] in pyproject.toml), then prints the files not fully covered and fails below
# the floor. The floor is checked from the saved report in a second step: slipcover 1.1's own
# --fail-under, beside pytest-xdist, consumes the workers' data before the report is printed.
ifdef COVERAGE_FLOOR
PYTEST := $(BIN)/python -m slipcover --json --out var/coverage.json -m pytest
else
PYTEST := $(BIN)/python -m pytest
endif
test: setup
	$(PYTEST) -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)
ifdef COVERAGE_FLOOR
	$(BIN)/python -m slipcover --merge var/coverage.json --out var/coverage-report.json \
		--fail-under $(COVERAGE_FLOOR) || { echo "Coverage is under the floor of $(COVERAGE_FLOOR)%."; exit 1; }
endif

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Timings of main pages and jobs on generated data (bench/README.md); never the app database.
# make bench BENCH_ARGS="--scale province --db-url postgres://postgres@127.0.0.1:5432/bench"
bench: setup
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# The pages as users get them: gunicorn on loopback under wrk (Debian's package), interleaved with
# Django's admin changelist on the same filter and a raw-SQL floor (bench/README.md).
# make bench-http BENCH_ARGS="--scale province --db-url postgres://postgres@127.0.0.1:5432/bench"
bench-http: setup
	$(BIN)/python bench/loadtest.py $(BENCH_ARGS)

# Chinese keyword search over 1,000,000 generated work logs (issue W6, bench/README.md).
# make bench-worklogs BENCH_ARGS="--db-url postgres://postgres@127.0.0.1:5432/bench_worklogs"
bench-worklogs: setup
	$(BIN)/python bench/worklog_search.py $(BENCH_ARGS)

# gunicorn (2 workers) and the Huey consumer on loopback under 8 clients mixing reads and writes
# for 10 minutes; exit 1 if a target is missed (bench/README.md). Never the app database.
# make soak SOAK_ARGS="--db both --minutes 2"
soak: setup
	$(BIN)/python bench/soak.py $(SOAK_ARGS)

# The web scanner wapiti3, logged in, against gunicorn on loopback (docs/security.md). Its
# dependencies stay out of uv.lock: its own venv from bench/scan-requirements.txt.
SCAN_VENV := var/scan-venv
$(SCAN_VENV)/.installed: bench/scan-requirements.txt
	$(PYTHON) -m venv $(SCAN_VENV)
	$(SCAN_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r $<
	touch $@

scan: setup $(SCAN_VENV)/.installed
	$(BIN)/python bench/scan.py --wapiti $(SCAN_VENV)/bin/wapiti $(SCAN_ARGS)

messages: setup
	$(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=var --ignore=static \
	  --ignore=tests --ignore=eval --ignore=bench
	$(BIN)/python manage.py compilemessages -l en --ignore=.venv

clean:
	rm -rf $(VENV) var/static test-output .pytest_cache
