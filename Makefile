# Gatehouse. `make run` and `make test` install what they need first (scripts/setup.sh,
# idempotent: fast once everything is there).
.PHONY: setup run build test e2e bench clean
SHELL := /bin/bash

setup:
	@scripts/setup.sh

build: setup
	@. scripts/env.sh && cargo leptos build "$${LEPTOS_BUILD_ARGS[@]}"

## Serve on 127.0.0.1:3000 with the embedded defaults (SQLite and mail outbox under data/).
run: build
	target/release/gatehouse serve

## Everything: lints, Rust tests on SQLite and PostgreSQL, both feature sets, browser tests.
test: setup
	@scripts/test.sh

## Password hashing time and password-step sign-ins per second (not part of `make test`).
bench: build
	@scripts/bench.sh

## The browser suite alone, against a fresh release build.
e2e: build
	@. scripts/env.sh && cd end2end && npx playwright test

clean:
	cargo clean
	rm -rf end2end/test-results end2end/playwright-report end2end/.tmp
