# Gatehouse. `make run` and `make test` install what they need first (scripts/setup.sh,
# idempotent: fast once everything is there).
.PHONY: setup run build test test-preview test-cluster preview e2e bench fuzz observatory clean
SHELL := /bin/bash

setup:
	@scripts/setup.sh

build: setup
	@scripts/build.sh

## Serve on 127.0.0.1:3000 with the embedded defaults (SQLite and mail outbox under data/).
run: build
	target/release/gatehouse serve

## Everything: lints, Rust tests on SQLite and PostgreSQL, both feature sets, browser tests.
test: setup
	@scripts/test.sh

## The Trunk preview's smoke test (Trunk is installed on first use; see README).
test-preview: build
	@scripts/preview.sh smoke

## Two nodes on one PostgreSQL behind a round-robin nginx, through the browser; one is killed.
test-cluster: build
	@scripts/cluster.sh

## The pages rendered in the browser only, for quick UI work: http://localhost:8080
preview: build
	@scripts/preview.sh serve

## Sign-in throughput and latency, the client's weight as served and Lighthouse scores (not part of `make test`).
bench: build
	@scripts/bench.sh

## cargo-fuzz targets (fuzz/), FUZZ_SECONDS each (default 60); not part of `make test`.
fuzz: setup
	@scripts/fuzz.sh

## The MDN HTTP Observatory's grade behind a local TLS nginx on https://localhost (root; needs ports 80 and 443).
observatory: build
	@scripts/observatory.sh

## The browser suite alone, against a fresh release build.
e2e: build
	@. scripts/env.sh && cd end2end && npx playwright test

clean:
	cargo clean
	rm -rf end2end/test-results end2end/playwright-report end2end/.tmp
