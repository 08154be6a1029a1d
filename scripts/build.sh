#!/usr/bin/env bash
# The release build: the server and the Leptos client, split and compressed (cargo-leptos),
# then the login page's own client (login/) next to them in target/site/pkg, optimised and
# compressed the same way. After cargo-leptos, which empties the site before it builds.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

cargo leptos build "${LEPTOS_BUILD_ARGS[@]}"

# The example business application that signs in through Gatehouse (examples/business-app).
cargo build --release -p business-app

pkg=target/site/pkg
cargo build -p gatehouse-login --target wasm32-unknown-unknown --profile wasm-release --target-dir target/front \
  "${WASM_CARGO_ARGS[@]}"
wasm-bindgen --target web --no-typescript --out-dir "$pkg" --out-name login \
  target/front/wasm32-unknown-unknown/wasm-release/gatehouse_login.wasm
# cargo-leptos's own wasm-opt settings.
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int "$pkg/login_bg.wasm" -o "$pkg/login_bg.wasm"
for f in "$pkg/login.js" "$pkg/login_bg.wasm"; do
  brotli -f -q 11 -k "$f"
  gzip -f -9 -k "$f"
done
