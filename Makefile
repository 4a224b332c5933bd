# Everything a person runs. `make run` and `make test` work on a fresh clone.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

# Development defaults, used only by these targets; production sets its own environment.
DEV_ENV := DJANGO_DEBUG=$${DJANGO_DEBUG:-1} \
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-dev-only-insecure-secret-key-change-me} \
	PSEUDONYM_KEY=$${PSEUDONYM_KEY:-dev-only-pseudonym-key} \
	DJANGO_ALLOWED_HOSTS=$${DJANGO_ALLOWED_HOSTS:-localhost,127.0.0.1}

.PHONY: run manage test test-fast e2e lint format migrate demo messages check-deploy clean install browsers bench bench-reports bench-api bench-pages bench-ijw bench-load \
	openapi api-fuzz vendor

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is needed (Python 3.11)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

locale/nl/LC_MESSAGES/django.mo locale/en/LC_MESSAGES/django.mo: $(wildcard locale/*/LC_MESSAGES/django.po) | $(STAMP)
	@command -v msgfmt >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; \
	  else echo "Compiling the translations needs gettext: sudo apt-get install gettext"; exit 1; fi; }
	$(DEV_ENV) $(BIN)/python manage.py compilemessages --ignore=.venv -v 0

messages: $(STAMP)  ## refresh the translation files after changing UI text
	$(DEV_ENV) $(BIN)/python manage.py makemessages -l nl -l en --ignore=.venv --ignore=staticfiles -v 0

migrate: $(STAMP)
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput -v 0

demo: migrate
	$(DEV_ENV) $(BIN)/python manage.py load_demo

run: demo locale/en/LC_MESSAGES/django.mo  ## the app at http://127.0.0.1:8000 on SQLite, tasks in-process; HOST=… PORT=… to change
	@echo "Jeugdinkoop draait op http://$(HOST):$(PORT)  (demo-accounts: zie README.md)"
	$(DEV_ENV) SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)} $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Any manage.py command with the development settings of `make run` (same database, same
# pseudonym key as the demo): make manage ARGS="import_production --region zhz …"
manage: $(STAMP)
	$(DEV_ENV) SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)} $(BIN)/python manage.py $(ARGS)

# --dist loadgroup: the tests marked xdist_group("demo") share one worker, and with it one
# recorded load_demo (tests/replay.py); all other tests are spread one by one.
test: $(STAMP) locale/en/LC_MESSAGES/django.mo browsers  ## the whole suite
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q -m "not integration and not sweep"

sweep: $(STAMP) locale/en/LC_MESSAGES/django.mo browsers  ## the browser sweep: every tour page, each role, nl/en, 1366/390 px (~11 min)
	$(BIN)/python -m pytest -q -p no:xdist -m sweep tests/e2e/test_sweep.py

test-fast: $(STAMP)  ## the suite without browser tests
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q -m "not e2e and not integration and not sweep"

browsers:  ## Debian's Chromium for the Playwright browser tests
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Browser tests need Debian's chromium: sudo apt-get install chromium"; exit 1; fi; }

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache  # the layers contract in pyproject.toml

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check-deploy: $(STAMP)  ## production settings pass Django's deployment checks
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY=$$($(BIN)/python -c 'import secrets;print(secrets.token_urlsafe(50))') \
	  PSEUDONYM_KEY=check DJANGO_ALLOWED_HOSTS=jeugdinkoop.example.nl OCDS_OCID_PREFIX=ocds-check1 \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING

bench: $(STAMP)  ## the monitoring benchmark on PostgreSQL (docs/bench.md); BENCH_ARGS=--quick for a short run
	$(BIN)/pip install --quiet -e ".[bench]"
	$(BIN)/python bench/run.py $(BENCH_ARGS)

bench-reports: $(STAMP)  ## all WBO provider reports with one and two Celery workers (docs/bench.md); needs redis-server
	$(BIN)/python bench/reports.py $(BENCH_ARGS)

bench-api: $(STAMP)  ## p95 of the API's KPI time series at 100k and 10M declaration lines on PostgreSQL (docs/bench.md); BENCH_ARGS=--quick
	$(BIN)/python bench/api.py $(BENCH_ARGS)

bench-load: $(STAMP)  ## 50 users for 60 s on gunicorn's production setup, pages and API (docs/bench.md); BENCH_ARGS=--restart-db
	$(BIN)/pip install --quiet -e ".[bench]"
	$(BIN)/python bench/load.py $(BENCH_ARGS)

bench-pages: $(STAMP)  ## server time of every page behind a dashboard link on the bench database, read-only (docs/bench.md); BENCH_ARGS="--requests 5"
	$(BIN)/python bench/pages.py $(BENCH_ARGS)

bench-ijw: $(STAMP)  ## a 1M-line iJw JW323 delivery next to the CSV import of the same lines (docs/bench.md); BENCH_ARGS="--lines 200000"
	$(BIN)/python bench/ijw.py $(BENCH_ARGS)

openapi: $(STAMP)  ## regenerate the committed OpenAPI document (openapi.yaml) after changing the API
	$(DEV_ENV) $(BIN)/python manage.py spectacular --file openapi.yaml --validate

api-fuzz: $(STAMP)  ## schemathesis against a running app on a throwaway SQLite database (scripts/api_fuzz.sh)
	bash scripts/api_fuzz.sh

# The API documentation's assets, from the npm registry (static/vendor/README.md). Redoc stays
# on 2.x: 3.x sends usage telemetry to Redocly unless switched off.
SWAGGER_UI_VERSION ?= 5.35.0
REDOC_VERSION ?= 2.5.4
# Redoc's menu footer shows a logo from Redocly's CDN; the CSP blocks it: an empty image instead.
REDOC_LOGO := data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 width=%221%22 height=%221%22/%3E
vendor:  ## refresh static/vendor (Swagger UI, Redoc) from the npm registry; needs npm
	@command -v npm >/dev/null || { echo "make vendor needs npm (apt-get install npm)"; exit 1; }
	@set -euo pipefail; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	  (cd "$$tmp" && npm pack --silent swagger-ui-dist@$(SWAGGER_UI_VERSION) redoc@$(REDOC_VERSION) >/dev/null); \
	  mkdir -p "$$tmp/swagger-ui" "$$tmp/redoc"; \
	  tar xzf "$$tmp/swagger-ui-dist-$(SWAGGER_UI_VERSION).tgz" -C "$$tmp/swagger-ui"; \
	  tar xzf "$$tmp/redoc-$(REDOC_VERSION).tgz" -C "$$tmp/redoc"; \
	  rm -rf static/vendor/swagger-ui static/vendor/redoc; \
	  mkdir -p static/vendor/swagger-ui static/vendor/redoc/bundles; \
	  for f in swagger-ui.css swagger-ui-bundle.js swagger-ui-standalone-preset.js favicon-32x32.png \
	    LICENSE NOTICE swagger-ui-bundle.js.LICENSE.txt swagger-ui-standalone-preset.js.LICENSE.txt; do \
	    cp "$$tmp/swagger-ui/package/$$f" static/vendor/swagger-ui/; done; \
	  cp "$$tmp/redoc/package/LICENSE" static/vendor/redoc/; \
	  cp "$$tmp/redoc/package/bundles/redoc.standalone.js" \
	    "$$tmp/redoc/package/bundles/redoc.standalone.js.LICENSE.txt" static/vendor/redoc/bundles/; \
	  sed -i -e '\|^//# sourceMappingURL=|d' -e '\|^/\*# sourceMappingURL=.*\*/$$|d' \
	    static/vendor/swagger-ui/*.js static/vendor/swagger-ui/*.css static/vendor/redoc/bundles/*.js; \
	  sed -i 's|src:"https://cdn.redoc.ly/redoc/logo-mini.svg"|src:"$(REDOC_LOGO)"|' \
	    static/vendor/redoc/bundles/redoc.standalone.js; \
	  if grep -q 'cdn\.redoc\.ly' static/vendor/redoc/bundles/redoc.standalone.js; then \
	    echo "redoc $(REDOC_VERSION) still loads its logo from cdn.redoc.ly: adapt make vendor"; exit 1; fi
	@echo "static/vendor: swagger-ui-dist $(SWAGGER_UI_VERSION), redoc $(REDOC_VERSION)"

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
