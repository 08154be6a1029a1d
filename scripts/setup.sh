#!/usr/bin/env bash
# Installs everything Gatehouse needs to build, run and test on a Debian 12 machine.
# Idempotent: each step checks first and installs only what is missing or at the wrong
# version, so `make run` and `make test` can call it every time at little cost.
#
# Two routes to a Rust toolchain that can build the WASM client:
# - rustup with a stable >= 1.96 that can `rustup target add wasm32-unknown-unknown`;
# - Debian's rustc-web (1.96) with the std sources, building std for wasm32 (build-std).
# The route chosen is written to target/toolchain.env, which the Makefile reads.
set -euo pipefail
cd "$(dirname "$0")/.."

LEPTOS_VERSION=0.3.11
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' Cargo.toml)
APT_PACKAGES=(chromium brotli zbar-tools oathtool wrk qrencode poppler-utils fonts-liberation
  postgresql lld-19 pkg-config libssl-dev nginx-light perl make)
DEBIAN_RUST=(rustc-web cargo-web rust-web-src rustfmt-web rust-web-clippy)

log() { printf '\033[1msetup:\033[0m %s\n' "$*" >&2; }
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
sudo_if() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
  local missing=()
  for p in "$@"; do have_pkg "$p" || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "apt-get install ${missing[*]}"
  if [ ! -f target/.apt-updated ]; then sudo_if apt-get update -q; mkdir -p target; touch target/.apt-updated; fi
  sudo_if env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }

choose_toolchain() {
  mkdir -p target
  # Route 1: a rustup stable new enough, with the wasm32 target available.
  if command -v rustup >/dev/null; then
    local v
    v=$(rustup run stable rustc --version 2>/dev/null | awk '{print $2}') || v=0
    if version_ge "${v:-0}" 1.96.0 && rustup target add wasm32-unknown-unknown --toolchain stable >/dev/null 2>&1; then
      log "using rustup stable $v with the wasm32 target"
      printf 'TOOLCHAIN=stable\nWASM_ROUTE=rustup\n' >target/toolchain.env
      return
    fi
  fi
  # Route 2: Debian's rustc-web + build-std.
  apt_install "${DEBIAN_RUST[@]}"
  if command -v rustup >/dev/null; then
    rustup toolchain list | grep -q '^debian-web' || rustup toolchain link debian-web /usr
  fi
  log "using Debian rustc-web $(/usr/bin/rustc --version | awk '{print $2}') with build-std for wasm32"
  printf 'TOOLCHAIN=debian-web\nWASM_ROUTE=build-std\n' >target/toolchain.env
}

apt_install "${APT_PACKAGES[@]}"
choose_toolchain
# shellcheck disable=SC1091
. scripts/env.sh
# Both tools at once: each build's serial stretches (C libraries, linking) leave a core idle.
# Only the wasm-bindgen binary, without the test runner's TLS stack.
install_tool wasm-bindgen "$WASM_BINDGEN_VERSION" wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" \
  --no-default-features --bin wasm-bindgen &
bindgen=$!
install_tool cargo-leptos "$LEPTOS_VERSION" cargo-leptos --version "$LEPTOS_VERSION" --locked
wait $bindgen

# npm: wasm-opt (binaryen), Playwright and the test helpers. Never let Playwright fetch a browser.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ ! -x node_modules/.bin/wasm-opt ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm ci (root: binaryen)"; npm ci --no-audit --no-fund --loglevel=error
fi
if [ ! -d end2end/node_modules/@playwright ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  log "npm ci (end2end)"; (cd end2end && npm ci --no-audit --no-fund --loglevel=error)
fi

# Python helpers for the tests: an SMTP sink, an independent TOTP implementation, pytest and
# a software passkey authenticator (fido2, checked against py_webauthn). Installed again
# whenever the pinned list changes.
if ! python3 -c 'import aiosmtpd, pyotp, fido2, webauthn, pytest, xdist, requests, PIL, reportlab' 2>/dev/null \
  || [ scripts/requirements-test.txt -nt target/.pip-installed ]; then
  log "pip install test helpers"
  python3 -m pip install -q --disable-pip-version-check -r scripts/requirements-test.txt
  mkdir -p target && touch target/.pip-installed
fi
log "ready"
