# Back Relief. `make run` and `make test` work on a fresh clone with nothing before them.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test serve lint format illustrations migrate content clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --noinput

content: migrate
	$(BIN)/python manage.py load_content

run: content
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest

# Production mode: gunicorn, DEBUG off, WhiteNoise serving compressed, hashed static files.
serve: $(STAMP)
	DJANGO_SETTINGS_MODULE=backrelief.settings.production $(BIN)/python manage.py check --deploy --fail-level ERROR
	DJANGO_SETTINGS_MODULE=backrelief.settings.production $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	DJANGO_SETTINGS_MODULE=backrelief.settings.production $(BIN)/python manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=backrelief.settings.production $(BIN)/python manage.py load_content
	DJANGO_SETTINGS_MODULE=backrelief.settings.production $(BIN)/gunicorn backrelief.wsgi:application \
		--bind $(HOST):$(PORT) --workers 2 --threads 2 --access-logfile -

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

illustrations: $(STAMP)
	$(BIN)/python manage.py render_illustrations

clean:
	rm -rf $(VENV) staticfiles build .pytest_cache
