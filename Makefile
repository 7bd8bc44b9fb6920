# The two commands: `make run` (set up and serve the demo) and `make test` (the whole suite).
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
HOST ?= 127.0.0.1:8000
# The demo's "today": Friday 27 October 2017, so the 2017 plan year reads as in progress. `make run AS_OF_DATE=` for the real date.
AS_OF_DATE ?= 2017-10-27
TEST_DATABASE_URL ?= postgres://postgres@localhost:5432/salesops
TEST_REDIS_URL ?= redis://localhost:6379/15
# The suite runs in this many pytest-xdist processes, a test file per process at a time (module fixtures stay
# whole); each has its own test database (test_salesops_gw0, …) and Redis database (15, 14, …: tests/conftest.py).
# `make test PYTEST_WORKERS=0` runs it in one process.
PYTEST_WORKERS ?= 2

# `make bench`: the rollup benchmark on a scratch PostgreSQL database (emptied; its name must say bench). Not part of
# `make test`. BENCH_REPS=48 BENCH_YEARS=1 is the demo's size.
BENCH_DATABASE_URL ?= postgres://postgres@localhost:5432/salesops_bench
BENCH_REPS ?= 10000
BENCH_YEARS ?= 3

.PHONY: run test bench install install-dev browser-deps migrate demo worker beat lint check-services messages clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Reinstall only when the requirements change.
$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

# Browser libraries (ECharts, htmx) from the npm registry, served as static files.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed
install-dev: $(VENV)/.installed-dev node_modules/.installed

migrate: install
	$(PY) manage.py migrate --no-input

# The statutory calendar first: after a chinesecalendar upgrade it adds the new years and keeps the company's own days.
# The rollups rank only the months begun by "today": the loader and the worker read the same AS_OF_DATE as the pages.
demo: migrate
	$(PY) manage.py calendar_sync
	AS_OF_DATE=$(AS_OF_DATE) $(PY) manage.py load_demo

run: demo
	@echo "SalesOps at http://$(HOST)/  (Ctrl-C stops it)"
	AS_OF_DATE=$(AS_OF_DATE) $(PY) manage.py runserver $(HOST)

worker: install
	AS_OF_DATE=$(AS_OF_DATE) $(VENV)/bin/celery -A salesops worker --loglevel=info

beat: install
	$(VENV)/bin/celery -A salesops beat --loglevel=info

# Debian's chromium and a CJK font for the browser tests (Playwright drives it; nothing is downloaded),
# and gettext, with which a test checks that every interface string is in the translation catalogue.
browser-deps:
	@command -v chromium >/dev/null && command -v xgettext >/dev/null && fc-list | grep -qi wqy || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei gettext >/dev/null; \
	  else echo "The tests need: sudo apt-get install chromium fonts-wqy-microhei gettext"; exit 1; fi; }

check-services: install-dev
	@DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) scripts/check_services.py

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	DJANGO_SETTINGS_MODULE=salesops.settings.test $(PY) manage.py makemigrations --check --dry-run
	# the OpenAPI schema: any warning (an untyped field, an unguessable view) fails the lint
	DJANGO_SETTINGS_MODULE=salesops.settings.test $(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null

test: install-dev browser-deps check-services lint
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) -m pytest --create-db -p no:cacheprovider \
	  -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

bench: install-dev
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) BENCH_REPS=$(BENCH_REPS) BENCH_YEARS=$(BENCH_YEARS) \
	  $(PY) bench/rollups.py

# Translations are compiled into the repository so that `make run` needs no gettext.
messages: install-dev
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=node_modules --ignore=tests --ignore=artifacts
	$(PY) manage.py compilemessages -l zh_Hans --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles artifacts
