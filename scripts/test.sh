#!/usr/bin/env bash
# The whole test suite, as `make test` runs it: formatting and lints, the Rust tests of every
# crate against SQLite and a throwaway PostgreSQL, both feature sets compiled separately,
# then the API suite and the browser suite against a freshly built release server, and the
# browser suite again through two nodes on PostgreSQL behind a round-robin proxy.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

# Each stage's time, printed at the end (and on a failure, up to the stage that failed), so a
# slow CI run says where the time went.
started=$(date +%s)
stage_started=$started
stage=""
times=()
stage_done() {
  local now
  now=$(date +%s)
  [ -n "$stage" ] && times+=("$(printf '%5d s  %s' $((now - stage_started)) "$stage")")
  stage_started=$now
}
step() { stage_done; stage="$*"; printf '\n\033[1m== %s\033[0m\n' "$*"; }
report_times() { stage_done; stage=""; printf '\nmake test, time per stage:\n'; printf '%s\n' "${times[@]}"; }
trap report_times EXIT

# One build from scratch, as CI does, needs no incremental state: it only takes disk.
export CARGO_INCREMENTAL=0
# A full disk shows up late, as unrelated tests failing to write their files; say it first.
free_gb=$(df -Pk target 2>/dev/null | awk 'NR == 2 { print int($4 / 1048576) }')
if [ "${free_gb:-0}" -lt 20 ] && [ -n "${free_gb:-}" ]; then
  echo "warning: ${free_gb} GB free on the disk of target/; a clean build and the tests use about 15 GB" >&2
fi

step "format"
cargo fmt --all --check

step "the browser feature set (hydrate, wasm32) on its own"
cargo clippy -p frontend --target wasm32-unknown-unknown "${WASM_CARGO_ARGS[@]}" -- -D warnings

step "the login page's own client (wasm32)"
cargo clippy -p gatehouse-login -p gatehouse-browser --target wasm32-unknown-unknown "${WASM_CARGO_ARGS[@]}" -- -D warnings

step "the Trunk preview's feature set (csr, wasm32) on its own"
cargo clippy -p preview --target wasm32-unknown-unknown "${WASM_CARGO_ARGS[@]}" -- -D warnings

step "throwaway PostgreSQL"
pgdir=$(mktemp -d)
chmod 755 "$pgdir"
trap 'scripts/pg.sh stop "$pgdir/pg"; rm -rf "$pgdir"; report_times' EXIT
GATEHOUSE_TEST_POSTGRES_URL=$(scripts/pg.sh start "$pgdir/pg")
export GATEHOUSE_TEST_POSTGRES_URL GATEHOUSE_REQUIRE_POSTGRES=1

step "Rust tests (SQLite and PostgreSQL) of the server feature set (ssr), linted by clippy as they build"
# `cargo clippy` is `cargo check` with clippy-driver as the workspace's compiler. As the compiler
# of `cargo test` it lints the same code while building it, so the dependencies are compiled
# once: a `cargo clippy` of its own checked all of them again first (about 9 of a clean run's
# minutes). Warnings are errors, as with `cargo clippy -- -D warnings`.
RUSTC_WORKSPACE_WRAPPER=$(command -v clippy-driver) CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__" \
  cargo test -p gatehouse-core -p gatehouse-storage -p gatehouse-web-error -p gatehouse-l10n -p app -p server \
  -p gatehouse-loadgen -p business-app

step "release build (cargo-leptos: server + hydrated WASM; the login page's own client)"
scripts/build.sh

step "API tests (real server processes sharing SQLite or PostgreSQL, software passkey authenticator)"
# More than half of the suite's time is waiting (a fresh TOTP step, a mail, a logout token):
# two modules at a time, each module on one worker with its own processes and database
# (1,426 tests: 623 s, against 1,074 s one at a time).
GATEHOUSE_BIN=target/release/gatehouse python3 -m pytest -q -n 2 --dist loadfile tests/api

step "the bench's own scripts once, a few seconds a row (make bench's smoke run; figures not judged)"
BENCH_SMOKE=1 scripts/bench.sh

step "browser tests (Playwright, Debian Chromium)"
(cd end2end && npx playwright test)

step "browser tests through two nodes on PostgreSQL behind a round-robin proxy, one killed (make test-cluster)"
scripts/cluster.sh

echo
echo "make test: all passed in $(( $(date +%s) - started )) s"
