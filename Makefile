.PHONY: run test services lint messages bench

run:      ## README command 1: the portal with demo data on the embedded default
	bash scripts/run

test:     ## README command 2: the whole test suite
	bash scripts/test

services: ## start PostgreSQL and Redis on 127.0.0.1 when they are down
	bash scripts/services

lint:     ## ruff, and the import contracts that keep the floors (docs/architecture.md)
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/lint-imports --no-cache

messages: ## extract and compile Danish translations
	.venv/bin/python manage.py makemessages -l da --ignore=.venv --ignore=tests && .venv/bin/python manage.py compilemessages -l da --ignore=.venv

bench:    ## the benchmark at full scale (README "Benchmark"); pass ARGS="--smoke" for a quick run
	bash scripts/bench $(ARGS)
