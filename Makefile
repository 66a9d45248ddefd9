# Back Relief. `make run` and `make test` work on a fresh clone with nothing before them.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# axe-core, the Nu HTML Checker (vnu.jar) and Lighthouse, pinned by package-lock.json.
NODE_STAMP := node_modules/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

# The admin's address, as backrelief/settings/base.py reads it from ADMIN_URL_PREFIX.
ADMIN_PATH = $(shell p="$${ADMIN_URL_PREFIX:-admin}"; p="$${p#/}"; echo "$${p%/}/")

.PHONY: run test system-deps editor serve bench audit screenshots lint format illustrations migrate content clean backup restore

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

# --ignore-scripts: the only install script, vnu-jar's, downloads a Java runtime when none is on
# PATH; Java comes from the system instead (scripts/install-system-deps.sh). Nothing here may
# download a browser either: the tests and Lighthouse use Debian's Chromium.
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "make: npm is missing. Install Node.js 18.20 or later with npm (Debian: apt-get install nodejs npm), or run scripts/install-system-deps.sh." >&2; exit 1; }
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --noinput

content: migrate
	$(BIN)/python manage.py load_content

run: content
	@echo
	@echo "Back Relief: http://$(HOST):$(PORT)/"
	@echo "Editors sign in at http://$(HOST):$(PORT)/$(ADMIN_PATH)"
	@echo "No editor account yet? In another terminal: make editor NAME=yourname"
	@echo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# make editor NAME=alice [EMAIL=alice@example.org]: a staff account in the Editors group, which
# may edit every guide, routine, page, source and tip, and nothing else. Asks for a password.
editor: migrate
	@test -n "$(NAME)" || { echo "make editor: say who, e.g. make editor NAME=alice" >&2; exit 1; }
	$(BIN)/python manage.py create_editor "$(NAME)" $(if $(EMAIL),--email "$(EMAIL)")
	@echo "Sign in at http://$(HOST):$(PORT)/$(ADMIN_PATH) (make run starts the site)."

# Chromium, Java, npm, zbar-tools and poppler-utils, installed with apt-get when missing; says
# what to install by hand where there is no apt-get or root.
system-deps:
	scripts/install-system-deps.sh

test: system-deps $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest

# Production mode: gunicorn, DEBUG off, WhiteNoise serving compressed, hashed static files.
# The start itself is docker-entrypoint.sh, shared with the Docker image.
serve: $(STAMP)
	@test -n "$$SECRET_KEY" || { echo "make serve: SECRET_KEY is not set. Production needs a long random secret, e.g. SECRET_KEY=\$$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))') make serve" >&2; exit 1; }
	DJANGO_SETTINGS_MODULE=backrelief.settings.production $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	PATH="$(CURDIR)/$(BIN):$$PATH" DJANGO_SETTINGS_MODULE=backrelief.settings.production \
		HOST=$(HOST) PORT=$(PORT) ./docker-entrypoint.sh

# Requests per second and latency of the production server (as `make serve` starts it) with
# wrk, each page as a share of a reference run right before it, over three rounds: on a fresh
# SQLite database, and again in the production shape when DATABASE_URL names a PostgreSQL
# server (with REDIS_URL, pages and the content version's copy in that Redis). It binds ports
# and loads the CPUs: on a shared machine run it under `flock /work/locks/servers.lock`.
# BENCH_DURATION=2 BENCH_ROUNDS=1 for quicker, rougher figures. Installs wrk if it is missing.
bench: $(STAMP)
	$(BIN)/python bench/run.py

# Lighthouse scores (performance, accessibility, best practices, SEO) of four pages, mobile and
# desktop, against the production server as `make serve` starts it, with Debian's Chromium.
# Fails when a page misses a target.
audit: $(STAMP) $(NODE_STAMP)
	$(BIN)/python bench/audit.py

# Full-page PNGs of each kind of public page, 375 and 1280 px wide, in build/screenshots/,
# from a throwaway database with the seed content. Uses Debian's Chromium.
screenshots: $(STAMP)
	$(BIN)/python scripts/screenshots.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

illustrations: $(STAMP)
	$(BIN)/python manage.py render_illustrations

# make backup [FILE=path.tar.gz]: content, history and media in one archive.
backup: migrate
	$(BIN)/python manage.py backup $(FILE)

# make restore FILE=path.tar.gz: into an empty database (migrated first, nothing loaded);
# FORCE=1 replaces every account and all content of a database that has some.
restore: migrate
	@test -n "$(FILE)" || { echo "make restore: say which archive, e.g. make restore FILE=backups/backrelief-20260101-120000.tar.gz" >&2; exit 1; }
	$(BIN)/python manage.py restore $(FILE) $(if $(FORCE),--force)

clean:
	rm -rf $(VENV) node_modules staticfiles build .pytest_cache
