# The two set-up commands are `make run` and `make test` (README.md).
SHELL := /bin/bash
PY := .venv/bin/python
# The built-in development key is allowed for development targets only; `serve` (production)
# refuses to start without DJANGO_SECRET_KEY (scripts/serve.sh).
DEV_TARGETS := run test bench lint format setup migrate demo messages check screenshots
$(DEV_TARGETS): export FAO_ALLOW_INSECURE_KEY ?= true

.PHONY: run test bench lint format setup migrate demo serve messages check screenshots

# `make run PORT=8001` when 8000 is taken.
PORT ?= 8000

setup:
	@scripts/bootstrap.sh
	@$(PY) manage.py compilemessages -v 0 --ignore=.venv
	@# Cut the CJK fonts to the PDF's character set once (cached under var/fonts).
	@$(PY) manage.py prepare_pdf_fonts -v 0

# Human-readable log lines from every process of the development run (JSON in production).
run: export FAO_LOG_FORMAT ?= plain
run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@# The background worker (large imports) runs beside the development server.
	$(PY) manage.py db_worker & trap "kill $$! 2>/dev/null" EXIT; \
	  DJANGO_DEBUG=true $(PY) manage.py runserver 127.0.0.1:$(PORT)

# PNGs of the main screens, each role signed in, desktop and phone, under var/screenshots/
# (own throwaway database and server on a free port).
screenshots: setup
	$(PY) scripts/screenshots.py

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

serve: setup
	@# Production run: gunicorn + WhiteNoise; set DJANGO_SECRET_KEY, DATABASE_URL etc. (docs/deploy.md).
	scripts/serve.sh

bench: setup
	$(PY) bench/run.py $(BENCH)

lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: setup
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

messages: setup
	@# One project catalogue under locale/: ignoring app-level locale dirs keeps makemessages
	@# from routing an app's strings into (and pruning) a catalogue of that app's own.
	$(PY) manage.py makemessages -l zh_Hans -l en --ignore=.venv --ignore=var --ignore=node_modules \
	  --ignore='*/locale' --no-obsolete
	@# The msgids are Chinese: the zh_Hans catalogue copies them; English is translated by hand.
	$(PY) scripts/fill_zh_catalogue.py
	$(PY) manage.py compilemessages --ignore=.venv
