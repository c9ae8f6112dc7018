# Baton: `make run` starts everything on this machine; `make test` runs the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTEST := .venv/bin/pytest
export UV_PYTHON_DOWNLOADS := never

.PHONY: help install up run down status logs test test-unit test-integration test-e2e fuzz lint docs bench bench-faults bench-scale smoke clean k8s-check k8s-apiserver-check

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

install: ## install what is missing (Debian packages, Python env, Kafka jars, FerretDB build)
	@bash deploy/local/install.sh

up: install ## start the stack in the background, seed the demo, write .baton/run.json
	@bash deploy/local/up.sh

run: up ## start everything, print the demo URL and an inbox login; Ctrl-C stops it all
	@bash deploy/local/run.sh

down: ## stop the stack
	@bash deploy/local/down.sh

status: ## what runs
	@.venv/bin/supervisorctl -c deploy/local/supervisord.conf status

logs: ## follow every log
	@tail -F .baton/logs/*.log

# The browser tests drive Debian's Chromium: these targets have install.sh add it.
test test-e2e: export BATON_WITH_BROWSER := 1

test: up ## the same set-up as `make run`, then unit, integration and e2e tests (with a browser)
	@$(PYTEST) --durations=40 tests/unit tests/integration tests/e2e

test-unit: ## pure logic, no servers
	@$(PYTEST) tests/unit

test-integration: up ## against the real Kafka, FerretDB, Redis and Chroma
	@$(PYTEST) tests/integration

test-e2e: up ## the whole stack through its public HTTP/SSE API and headless Chromium
	@$(PYTEST) tests/e2e

# make test runs the same fuzz stage for 20 s per API; FUZZ_SECONDS sets the budget here.
FUZZ_SECONDS ?= 600
fuzz: up ## schemathesis on the gateway's and the inbox's API, FUZZ_SECONDS per API (counts: .baton/fuzz/)
	@BATON_FUZZ_SECONDS=$(FUZZ_SECONDS) $(PYTEST) tests/integration/test_fuzz.py --timeout=$$(( $(FUZZ_SECONDS) * 2 + 900 ))

smoke: up ## the widget contract check from ../shared, against the running stack
	@python3 ../shared/contract/widget_smoke.py

lint: ## ruff, mypy --strict (packages, tests, scripts) and the import/Redis-key boundaries
	@.venv/bin/ruff check libs services tests tools deploy && .venv/bin/ruff format --check libs services tests tools deploy && .venv/bin/mypy && .venv/bin/mypy tests deploy/local deploy/k8s tools/check_boundaries.py
	@.venv/bin/python tools/check_boundaries.py

k8s-check: ## render every deploy/k8s overlay (kustomize v5.8.2), API schemas strict, Pod Security and other invariants
	@bash deploy/k8s/install_tools.sh
	@$(PYTEST) -q tests/unit/test_k8s_config.py tests/unit/test_k8s_manifests.py

k8s-apiserver-check: ## every overlay as a server-side dry run on a real kube-apiserver 1.35 + etcd (built once, ~20 min cold)
	@bash deploy/k8s/install_tools.sh
	@bash deploy/k8s/apiserver/build.sh
	@$(PYTEST) -q -s tests/k8s_apiserver

docs: install ## AsyncAPI of each service's events, OpenAPI of gateway, inbox and ingest, under docs/api/
	@.venv/bin/python deploy/local/write_api_docs.py docs/api

# BENCH_ARGS=--quick: a few minutes, results under bench/results/quick/; --skip-seed: no 100k point.
bench: up ## load benchmark (open loop, many visitors): bench/results/latest.json and latest.png
	@.venv/bin/python -m tests.bench.load $(BENCH_ARGS)

bench-faults: up ## steady load while each service is SIGKILLed and Kafka, the store and Redis restart
	@.venv/bin/python -m tests.bench.faults $(FAULT_ARGS)

bench-scale: up ## scale-out proof: 1, 2, 3 agent replicas (I/O-bound answerer) and replica faults: bench/results/scale-latest.json
	@.venv/bin/python -m tests.bench.scale

clean: down ## stop and delete all local data (.baton/)
	rm -rf .baton

.PHONY: eval
OUT ?= .baton/eval-results.jsonl
eval: up ## answer quality on both dev sets (espocrm, zammad), or one: make eval KB=docs/ QUESTIONS=q.jsonl OUT=results.jsonl
	@if [ -n "$(KB)" ]; then \
	  .venv/bin/baton eval --kb "$(KB)" --questions "$(QUESTIONS)" --out "$(OUT)"; \
	else bash deploy/local/eval_sets.sh; fi
