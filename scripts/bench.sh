#!/usr/bin/env bash
# `make bench`: argon2 hash time on this machine, then password-step sign-ins per second at
# saturation, driven by wrk from a second process on loopback for a bounded time, compared
# with the floor `cores / hash time` that password hashing allows; then passkey sign-ins per
# second (start + finish), driven by a Python software authenticator in other processes; then
# SSO start + callback rounds against a fake provider; last, the client's weight as served
# (login page and each lazily loaded part) and Lighthouse 12's scores of the login page.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
DURATION=${BENCH_SECONDS:-20}
PORT=3222
ORIGIN="http://localhost:$PORT"
cores=$(nproc)

# Lighthouse is for benchmarks only: installed here, never by `make test`.
if [ ! -x bench/node_modules/.bin/lighthouse ] || [ bench/package-lock.json -nt bench/node_modules/.package-lock.json ]; then
  (cd bench && npm ci --no-audit --no-fund --loglevel=error)
fi

hash_s=$(cargo run -q --release -p gatehouse-core --example hash_time)

dir=$(mktemp -d)
export GATEHOUSE_BIND=127.0.0.1:$PORT GATEHOUSE_PUBLIC_URL=$ORIGIN GATEHOUSE_DATA_DIR=$dir \
  GATEHOUSE_DATABASE_URL=sqlite://$dir/gatehouse.db GATEHOUSE_MAIL_OUTBOX=$dir/outbox GATEHOUSE_LOG=error
target/release/gatehouse serve & server=$!
trap 'kill $server 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 50); do curl -sf "$ORIGIN/healthz" >/dev/null && break; sleep 0.2; done

users=()
for i in $(seq $((cores * 8))); do
  user="bench$i.$(date +%s)@example.com"
  link=$(target/release/gatehouse admin create-account --name "Bench $i $(date +%s)" --owner-email "$user" | tail -n 1)
  token=${link##*token=}
  curl -sf -o /dev/null -H "Origin: $ORIGIN" -H "Accept: text/html" -H "Referer: $ORIGIN/" \
    --data "token=$token&password=lantern+orbit+velvet+cascade&confirmation=lantern+orbit+velvet+cascade" \
    "$ORIGIN/api/accept_invitation"
  users+=("${user/@/%40}")
done

result=$(BENCH_ORIGIN=$ORIGIN BENCH_USERS=$(IFS=,; echo "${users[*]}") wrk -t2 -c$((cores * 4)) -d"${DURATION}s" --timeout 10s \
  -s bench/login.lua "$ORIGIN/api/log_in" | grep '^BENCH')
ok=$(sed -E 's/.*ok=([0-9]+).*/\1/' <<<"$result")
other=$(sed -E 's/.*other=([0-9]+).*/\1/' <<<"$result")
secs=$(sed -E 's/.*seconds=([0-9.]+).*/\1/' <<<"$result")
p50=$(sed -E 's/.*p50_ms=([0-9.]+).*/\1/' <<<"$result")
p99=$(sed -E 's/.*p99_ms=([0-9.]+).*/\1/' <<<"$result")
python3 - "$hash_s" "$ok" "$other" "$secs" "$cores" "$p50" "$p99" <<'PY'
import sys
hash_s, ok, other, secs, cores, p50, p99 = float(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), sys.argv[6], sys.argv[7]
rate = ok / secs
floor = cores / hash_s
print(f"argon2id hash (m=19 MiB, t=2, p=1), median of 25: {hash_s * 1000:.1f} ms")
print(f"password-step sign-ins: {ok} succeeded, {other} other answers in {secs:.1f} s = {rate:.1f}/s (latency p50 {p50} ms, p99 {p99} ms)")
print(f"floor cores / hash time = {cores} / {hash_s:.4f} s = {floor:.1f}/s; measured / floor = {rate / floor:.2f}")
if other:
    sys.exit("some sign-ins did not succeed")
PY

passkeys=$(GATEHOUSE_BIN=target/release/gatehouse python3 bench/passkey_load.py "$ORIGIN" "$DURATION" | grep '^BENCH')
python3 - "$passkeys" <<'PY'
import sys
f = dict(kv.split("=") for kv in sys.argv[1].split()[1:])
rate = int(f["ok"]) / float(f["seconds"])
print(f"passkey sign-ins (start + finish, {f['clients']} sequential clients): {f['ok']} succeeded, "
      f"{f['failed']} failed in {f['seconds']} s = {rate:.1f}/s "
      f"(finish p50 {f['finish_p50_ms']} ms, p99 {f['finish_p99_ms']} ms; whole round p50 {f['round_p50_ms']} ms)")
if int(f["failed"]):
    sys.exit("some passkey sign-ins failed")
PY

# SSO: its own server and fake provider (the callback's HTTP calls to the provider included).
sso=$(GATEHOUSE_BIN=target/release/gatehouse python3 bench/sso_load.py "$DURATION" | grep '^BENCH')
python3 - "$sso" <<'PY'
import json, sys
f = json.loads(sys.argv[1].split(" ", 1)[1])
print(f"SSO start + callback to the code step ({f['clients']} clients, fake provider in Python on the same cores): "
      f"{f['ok']} succeeded, {f['failed']} failed in {f['secs']} s = {f['per_sec']}/s "
      f"(round p50 {f['p50_ms']} ms, p99 {f['p99_ms']} ms)")
if f["failed"]:
    sys.exit("some SSO sign-ins failed")
PY

node bench/weight.mjs "$ORIGIN"
