# Sourced by the other scripts: the toolchain chosen by setup.sh and the settings the
# Debian route (rustc-web + build-std for wasm32) needs. Kept out of committed cargo config
# so that a normal rustup install builds the same project without them.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [ -f "$ROOT/target/toolchain.env" ]; then
  # shellcheck disable=SC1091
  . "$ROOT/target/toolchain.env"
fi
export RUSTUP_TOOLCHAIN=${TOOLCHAIN:-stable}
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
LEPTOS_LIB_ARGS=()
WASM_CARGO_ARGS=()
if [ "${WASM_ROUTE:-rustup}" = build-std ]; then
  export RUSTC_BOOTSTRAP=1
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld-19
  LEPTOS_LIB_ARGS=(--lib-cargo-args=-Zbuild-std=std,panic_abort)
  WASM_CARGO_ARGS=(-Zbuild-std=std,panic_abort)
  # std is built here anyway, so a panic can stop the program at once, without the message
  # formatting machinery a panic otherwise carries into the WASM (a panic is a bug either way).
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort"
fi
# Release builds: the client split into lazily loaded WASM parts (`#[lazy_route]`) and every
# static file compressed once here (brotli and gzip files next to it), served as such.
LEPTOS_BUILD_ARGS=(--release --split --precompress "${LEPTOS_LIB_ARGS[@]}")
