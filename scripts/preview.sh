#!/usr/bin/env bash
# `make preview`: Gatehouse's pages rendered in the browser only, served by Trunk on
# http://localhost:8080 for quick UI work, with the server functions passed on to a release
# `gatehouse serve` on 127.0.0.1:3080 (its own data under data/preview).
# `make test-preview` (`scripts/preview.sh smoke`): builds the preview and runs its smoke test.
#
# Trunk comes from crates.io the first time. trunk 0.22 needs rustc 1.96.1, newer than what
# this machine has (rustup 1.95, Debian's rustc-web 1.96.0), so it is trunk 0.21.14 (rustc
# 1.81), built with the toolchain scripts/setup.sh chose.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
TRUNK_VERSION=0.21.14

install_tool trunk "$TRUNK_VERSION" trunk --version "$TRUNK_VERSION" --locked --no-default-features --features rustls

# Trunk runs cargo itself: the Debian route's build-std goes through cargo's environment. A
# preview keeps panic messages (console_error_panic_hook), so no immediate-abort here.
if [ "${WASM_ROUTE:-rustup}" = build-std ]; then
  export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
fi
unset CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS

case "${1:-serve}" in
  smoke)
    trunk build
    cd end2end && npx playwright test --config preview.config.ts
    ;;
  serve)
    mkdir -p data/preview
    (GATEHOUSE_BIND=127.0.0.1:3080 GATEHOUSE_PUBLIC_URL=http://localhost:8080 GATEHOUSE_DATA_DIR=data/preview \
      GATEHOUSE_DATABASE_URL=sqlite://data/preview/gatehouse.db GATEHOUSE_MAIL_OUTBOX=data/preview/outbox \
      exec target/release/gatehouse serve) &
    server=$!
    trap 'kill $server 2>/dev/null' EXIT
    echo "== preview on http://localhost:8080 (server functions: gatehouse serve on 127.0.0.1:3080)"
    trunk serve
    ;;
  *) echo "usage: scripts/preview.sh [serve|smoke]" >&2; exit 2 ;;
esac
