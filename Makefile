# BİYS — the two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Debian packages the test suite drives for real: the browser, the LDAP server and its headers,
# the IMAP server of the mail intake tests.
TEST_DEBS := chromium chromium-l10n slapd ldap-utils libldap2-dev libsasl2-dev gettext poppler-utils \
	fusioninventory-agent ocsinventory-agent libio-socket-ssl-perl dovecot-imapd

.PHONY: run test install install-dev system-deps lint format messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python system-deps
	$(BIN)/pip install --quiet -e '.[dev,ldap]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## run: fresh clone → virtualenv → migrate the embedded SQLite → demo municipality → server
run: install
	DEBUG=1 $(BIN)/biys migrate --no-input
	DEBUG=1 $(BIN)/biys demo
	@echo "BİYS: http://$(HOST):$(PORT)/"
	@echo "Background tasks run inline (TASKS_BACKEND=immediate); production runs a worker: biys db_worker"
	DEBUG=1 TASKS_BACKEND=immediate $(BIN)/biys runserver $(HOST):$(PORT)

## test: the whole suite (unit, view, API, LDAP, browser); installs what tests need
test: install-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

system-deps:
	@missing=""; for p in $(TEST_DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "Missing Debian packages:$$missing — run: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## messages: refresh locale/tr from the source and compile it (needs GNU gettext)
messages: install-dev
	cd biys && DEBUG=1 ../$(BIN)/biys makemessages -l tr --no-obsolete --ignore 'static/*'
	$(BIN)/python -m biys.core.i18n compile

bench: install-dev
	$(BIN)/python -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var build *.egg-info
