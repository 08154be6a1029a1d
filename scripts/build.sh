#!/usr/bin/env bash
# The release build: the server and the Leptos client, split (cargo-leptos), the example
# business application (a debug build), then the login page's own client (login/) next to them in
# target/site/pkg; then every static file compressed once (brotli and gzip files beside it).
#
# Compressing here rather than with cargo-leptos's --precompress lets cargo-leptos build the
# client and the server at the same time (it builds them one after the other when it
# compresses), so the server compiles while wasm-bindgen and wasm-opt run on one core.
#
# Nothing is done when the last build was of exactly this source (same commit, same changes):
# `make test-preview` after `make test` would otherwise run wasm-bindgen and wasm-opt again.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

stamp=target/.release-build
source_state() {
  git rev-parse HEAD
  git diff HEAD
  git ls-files --others --exclude-standard -z | xargs -0 -r sha256sum
}
current=none
git rev-parse --git-dir >/dev/null 2>&1 && current=$(source_state | sha256sum | cut -d' ' -f1)
if [ "$current" != none ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$current" ] && [ -x target/release/gatehouse ] \
  && [ -x target/debug/business-app ] && [ -f target/site/pkg/login.js.br ]; then
  echo "release build: up to date with this source (scripts/build.sh)"
  exit 0
fi
rm -f "$stamp"

cargo leptos build "${LEPTOS_BUILD_ARGS[@]}"

# The example business application that signs in through Gatehouse (examples/business-app),
# unoptimised: it only shows the round trip, and `make test` has built its dependencies so.
cargo build -p business-app

pkg=target/site/pkg
cargo build -p gatehouse-login --target wasm32-unknown-unknown --profile wasm-release --target-dir target/front \
  "${WASM_CARGO_ARGS[@]}"
wasm-bindgen --target web --no-typescript --out-dir "$pkg" --out-name login \
  target/front/wasm32-unknown-unknown/wasm-release/gatehouse_login.wasm
# cargo-leptos's own wasm-opt settings.
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int "$pkg/login_bg.wasm" -o "$pkg/login_bg.wasm"

# Every static file, as cargo-leptos's --precompress did: brotli at its best, gzip -9.
find target/site -type f ! -name '*.br' ! -name '*.gz' -print0 |
  xargs -0 -P "$(nproc)" -I{} sh -c 'brotli -f -q 11 -k "$1" && gzip -f -9 -k "$1"' _ {}

echo "$current" >"$stamp"
