# The two set-up commands are `make run` and `make test` (README.md).
SHELL := /bin/bash
PY := .venv/bin/python
export FAO_ALLOW_INSECURE_KEY ?= true

.PHONY: run test bench lint format setup migrate demo serve messages check

setup:
	@scripts/bootstrap.sh

run: setup
	$(PY) manage.py compilemessages -v 0 --ignore=.venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	DJANGO_DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

test: setup
	$(PY) manage.py compilemessages -v 0 --ignore=.venv
	$(PY) -m pytest $(PYTEST_ARGS)

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
	$(PY) manage.py makemessages -l zh_Hans -l en --ignore=.venv --ignore=var --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv
