#!/usr/bin/env bash
# `make test-cluster`: the browser tests of the sign-in paths and a reset request through two
# `gatehouse serve` nodes on one throwaway PostgreSQL behind a round-robin nginx, then one
# node killed (end2end/cluster.config.ts starts the nodes and the proxy; this starts the
# database, which the tests' own commands need to know before they start).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
. scripts/env.sh
pgdir=$(mktemp -d)
chmod 755 "$pgdir"
trap '"$ROOT/scripts/pg.sh" stop "$pgdir/pg"; rm -rf "$pgdir"' EXIT
GATEHOUSE_E2E_DATABASE_URL=$(scripts/pg.sh start "$pgdir/pg")
export GATEHOUSE_E2E_DATABASE_URL
cd end2end && npx playwright test --config cluster.config.ts "$@"
