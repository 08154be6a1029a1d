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
# Release builds: the client split into lazily loaded WASM parts (`#[lazy_route]`); build.sh
# then compresses every static file once (brotli and gzip files next to it), served as such.
LEPTOS_BUILD_ARGS=(--release --split "${LEPTOS_LIB_ARGS[@]}")

# Tools from crates.io (setup.sh: wasm-bindgen, cargo-leptos; preview.sh: trunk) are built
# unoptimised (opt-level 0, no debug info): optimising swc, lightningcss and cargo-generate,
# which a build barely uses, took most of a fresh machine's set-up (29 of its 37 minutes). The
# few crates whose speed a build feels stay optimised: brotli and the WASM rewriting of
# wasm-bindgen and --split.
install_tool() { # binary version cargo-install-args...
  local bin=$1 want=$2; shift 2
  if command -v "$bin" >/dev/null && "$bin" --version 2>/dev/null | grep -q "$want"; then return; fi
  printf '\033[1msetup:\033[0m cargo install %s (slow the first time)\n' "$*" >&2
  local config=(--config profile.release.opt-level=0 --config profile.release.debug=0
    --config profile.release.lto=false --config profile.release.codegen-units=256) p
  for p in brotli brotli-decompressor walrus wasmparser wasm-encoder wasm-bindgen-cli-support \
    wasm-bindgen-wasm-interpreter wasm-bindgen-wasm-conventions wasm-bindgen-externref-xform \
    wasm-bindgen-multi-value-xform wasm-bindgen-threads-xform wasm_split_cli_support; do
    config+=(--config "profile.release.package.$p.opt-level=2")
  done
  env -u RUSTC_BOOTSTRAP cargo "${config[@]}" install "$@"
}
