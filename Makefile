# One command to start the app, one to run every test (see README.md).
# Both set up everything they need first: virtualenv, Python packages from the lock file,
# Bootstrap from npm, compiled translations.

PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
MODEL  := fixtures/generic_model/sst-sjaeldne-1.0.yaml
# Companion references (Socialstyrelsen's pathway description, the offers mapping): after the model.
REFERENCES := $(sort $(wildcard fixtures/references/*.yaml))
REGIONS := fixtures/regions/danmark.yaml
HOST   ?= 127.0.0.1:8000
# Links in mail and in the demo's published PDF point at the address the server listens on,
# unless DJANGO_SITE_URL says otherwise.
SITE_URL := DJANGO_SITE_URL=$${DJANGO_SITE_URL:-http://$(HOST)}

.PHONY: start serve data collectstatic test setup chromium redis bench lint messages clean

start: data
	@echo "Open http://$(HOST)/ and log in as planlaegger / sjaelden-demo (stop with Ctrl+C)"
	$(SITE_URL) $(PY) manage.py runserver $(HOST)

# The production set-up on this machine (README.md, "Production"): DEBUG off, gunicorn with
# WhiteNoise's collected static files, the task worker, the database cache. A local trial
# only: plain http, and the demo accounts may sign in (DJANGO_DEMO_LOGINS).
serve: RUN = $(SERVE_ENV)
serve: DEMO_ARGS = --allow-production
serve: var/secret_key collectstatic data
	@echo "Log in as planlaegger / sjaelden-demo (stop with Ctrl+C)"
	$(RUN) $(PY) -m pathways.serve

# First: the demo's published PDF links the collected, hashed stylesheet.
collectstatic: setup
	$(RUN) $(PY) manage.py collectstatic --no-input -v0

# What both load: the tables (and the cache table), the model with its references, the
# regions, the demo program and its consultation parties. `serve` runs it in production mode.
data: setup
	$(RUN) $(PY) manage.py migrate --no-input
	$(RUN) $(PY) manage.py load_generic_model $(MODEL) $(REFERENCES)
	$(RUN) $(PY) manage.py load_regions $(REGIONS)
	$(RUN) $(SITE_URL) $(PY) manage.py load_demo_data $(DEMO_ARGS)
	$(RUN) $(PY) manage.py load_party_contacts fixtures/demo/hoeringsparter.yaml

SERVE_HOSTNAME = $(firstword $(subst :, ,$(HOST)))
SERVE_ENV = $(SITE_URL) HOST=$(HOST) DJANGO_DEBUG=false \
	DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat var/secret_key)}" \
	DJANGO_ALLOWED_HOSTS="$${DJANGO_ALLOWED_HOSTS:-$(SERVE_HOSTNAME),localhost,127.0.0.1}" \
	DJANGO_SECURE_SSL_REDIRECT=$${DJANGO_SECURE_SSL_REDIRECT:-false} \
	DJANGO_SECURE_COOKIES=$${DJANGO_SECURE_COOKIES:-false} \
	DJANGO_DEMO_LOGINS=$${DJANGO_DEMO_LOGINS:-true}

# Made once, kept out of git (var/ is ignored); DJANGO_SECRET_KEY overrides it.
var/secret_key: | $(VENV)/.installed
	@mkdir -p var
	@umask 077 && $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

test: setup chromium redis
	$(PY) -m tests.run_all

setup: $(VENV)/.installed node_modules/.installed locale/en/LC_MESSAGES/django.mo

$(VENV)/.installed: requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is required: apt-get install -y npm"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

locale/en/LC_MESSAGES/django.mo: locale/en/LC_MESSAGES/django.po $(VENV)/.installed
	@command -v msgfmt >/dev/null || apt-get install -y gettext
	$(PY) manage.py compilemessages --locale en --ignore '.venv' --ignore 'node_modules' -v0

messages: $(VENV)/.installed
	$(PY) manage.py makemessages --locale en --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'var/*'

# The cache tests also run against a real Redis (CACHE_URL=redis://…), started by the test.
redis:
	@command -v redis-server >/dev/null || { \
	  echo "Installing Debian's redis-server for the cache tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server; }

# End-to-end tests drive Debian's Chromium (Playwright's own browser download is not used).
chromium:
	@test -x /usr/bin/chromium || { \
	  echo "Installing Debian's chromium for the end-to-end tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# Issue 4's figures: export time vs WeasyPrint alone, pages, serving a stored PDF;
# issue 16's: the catalogue's list and searches with 10,000 programs;
# issue 17's: pages served by gunicorn on PostgreSQL to 20 clients, as ratios to a minimal page.
# (The test suite runs each benchmark's --quick mode: tests/test_bench.py.)
bench: setup
	$(PY) -m bench.pdf_export
	$(PY) -m bench.catalogue
	$(PY) -m bench.serving

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

clean:
	rm -rf $(VENV) node_modules var db.sqlite3 db.sqlite3-wal db.sqlite3-shm
