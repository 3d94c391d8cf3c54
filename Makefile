# The index of what can be run. The README's two commands are `make run` and `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8000
DB_USER := $(shell id -un)
TEST_PROCESSES ?= auto
# The interpreter the virtual environment is made with: Debian's own Python 3.11 where it is
# there with venv, else the first python3 on PATH. Debian builds it with profile-guided and
# link-time optimisation; a pyenv build (ahead of it on PATH on some machines) has neither, and
# the tests' own Python used 16-20 % more CPU under it on the same machine. PYTHON=... chooses
# another.
PYTHON ?= $(shell /usr/bin/python3.11 -c 'import ensurepip, venv' >/dev/null 2>&1 \
	&& echo /usr/bin/python3.11 || echo python3)

.PHONY: help install catalogue messages run test lint format e2e bench faults seed clean

help:  ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml constraints-build.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	# xstatic-bootstrap's sdist needs an older setuptools to build.
	$(PIP) install --quiet --build-constraint constraints-build.txt -e '.[dev]'
	touch $@

install: $(VENV)/.installed  ## Create the virtual environment and install everything

catalogue: install  ## Collect the marked strings into locale/fr_CA/LC_MESSAGES/django.po (then translate them there)
	$(PY) manage.py makemessages --locale fr_CA --no-obsolete --add-location file \
	  --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --ignore 'bench/*'

messages: install  ## Compile the translation catalogues (GNU gettext's msgfmt)
	$(PY) manage.py compilemessages --locale fr_CA --ignore '.venv' --ignore 'var'

run: install messages  ## Serve the portal on http://127.0.0.1:8000 (PORT=... for another) with a Celery worker and beat
	@bin/run-dev $(PORT)

lint: install  ## ruff, migrations up to date, Django system checks, bandit, pip-audit
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check
	@# Warns loudly (and passes) where no advisory database can be reached; see the script.
	$(PY) bin/security-lint

format: install  ## Fix what ruff can fix
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: export DATABASE_URL ?= postgres://$(DB_USER)@127.0.0.1:5432/copsite
test: export REDIS_URL ?= redis://127.0.0.1:6379/0
# Playwright's sync API runs an event loop in the test thread; only the tests need this.
test: export DJANGO_ALLOW_ASYNC_UNSAFE ?= true
# Bytecode is kept (in __pycache__, ignored by git) even where the environment says not to:
# otherwise every test process compiles the portal and rewrites every test module's asserts
# again at each run, about 4 s of CPU each.
test: export PYTHONDONTWRITEBYTECODE =
test: install messages  ## Lint and the whole suite (browser tests included) on PostgreSQL and Redis
	@# Lint runs beside the suite (it spends most of its time waiting for the advisory
	@# database); its report is printed after the suite's, and either failing fails the target.
	@# One process per core (pytest-xdist), each with its own test database and Redis key
	@# prefixes (tests/conftest.py); worksteal evens out the few long tests. TEST_PROCESSES=0
	@# runs everything in this process.
	@$(MAKE) --no-print-directory lint > $(VENV)/lint.log 2>&1 & lint=$$!; \
	$(VENV)/bin/pytest --numprocesses $(TEST_PROCESSES) --dist worksteal --durations=10; tests=$$?; \
	wait $$lint; linted=$$?; echo "== make lint"; cat $(VENV)/lint.log; \
	if [ $$linted -ne 0 ]; then echo "make lint failed"; fi; \
	exit $$(( tests != 0 || linted != 0 ))

e2e: export DATABASE_URL ?= postgres://$(DB_USER)@127.0.0.1:5432/copsite
e2e: export REDIS_URL ?= redis://127.0.0.1:6379/0
e2e: export DJANGO_ALLOW_ASYNC_UNSAFE ?= true
e2e: install messages  ## Browser journeys only
	$(VENV)/bin/pytest tests/e2e

bench: export DATABASE_URL ?= postgres://$(DB_USER)@127.0.0.1:5432/copsite
bench: export REDIS_URL ?= redis://127.0.0.1:6379/0
bench: install  ## Benchmarks (never part of make test)
	$(PY) manage.py migrate --noinput
	@for script in bench/*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

faults: install messages  ## Restart PostgreSQL, stop Redis, kill a worker under load (own servers; never part of make test)
	$(PY) bin/faults

seed: install  ## Seed demo data into the configured database
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo

clean:  ## Remove the virtual environment and local data
	rm -rf $(VENV) var
