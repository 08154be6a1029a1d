#!/usr/bin/env bash
# `make fuzz`: each cargo-fuzz target (fuzz/fuzz_targets) for FUZZ_SECONDS (default 60), one
# after the other; `scripts/fuzz.sh TARGET...` runs only those. cargo-fuzz comes from
# crates.io the first time. With a nightly toolchain the targets run under AddressSanitizer;
# without one (this machine's set-up installs none), on the chosen toolchain with
# RUSTC_BOOTSTRAP and no sanitizer: Rust's own checks (bounds, overflow, debug assertions)
# still turn a bug into a crash. A crash leaves its input in fuzz/artifacts/TARGET/; keep it
# as a regression test next to the code it broke.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
SECONDS_EACH=${FUZZ_SECONDS:-60}
CARGO_FUZZ_VERSION=0.13.2

if ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
  echo "== cargo install cargo-fuzz $CARGO_FUZZ_VERSION"
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi

if rustup run nightly rustc --version >/dev/null 2>&1; then
  export RUSTUP_TOOLCHAIN=nightly
  SANITIZER=address
else
  export RUSTC_BOOTSTRAP=1
  SANITIZER=none
fi
# The product's wasm settings do not apply here.
unset CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cd fuzz && cargo fuzz list)
fi
cd fuzz
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target" "seeds/$target"
  echo "== fuzz $target for ${SECONDS_EACH}s ($RUSTUP_TOOLCHAIN, sanitizer $SANITIZER)"
  # New inputs go to corpus/ (not committed); seeds/ are the committed starting points.
  cargo fuzz run --sanitizer "$SANITIZER" "$target" "corpus/$target" "seeds/$target" -- \
    -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
done
echo "== fuzz: no crash in ${#targets[@]} target(s), ${SECONDS_EACH}s each"
