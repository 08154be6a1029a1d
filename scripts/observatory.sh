#!/usr/bin/env bash
# `make observatory`: the MDN HTTP Observatory's grade of Gatehouse served as in production,
# behind a TLS-terminating nginx on https://localhost (port 443; port 80 redirects there),
# with a certificate from a throwaway CA the scanner is told to trust. Prints the grade, the
# score and every test; fails unless the grade is A+. Needs root (ports 80 and 443) and a
# release build. nginx (Debian) and the Observatory (npm, 1.4.8) are installed the first time:
# the Observatory's install script downloads files, so it is installed without scripts and
# given the two files it would have fetched (an empty HSTS preload list; the CA bundle, here
# the system's plus ours).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
OBSERVATORY_VERSION=1.4.8
TOOL=target/observatory
PKG=$TOOL/node_modules/@mdn/mdn-http-observatory

if ! command -v nginx >/dev/null; then
  echo "== apt-get install nginx-light"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx-light
fi
if ! grep -q "\"version\": \"$OBSERVATORY_VERSION\"" "$PKG/package.json" 2>/dev/null; then
  echo "== npm install @mdn/mdn-http-observatory@$OBSERVATORY_VERSION"
  mkdir -p "$TOOL"
  [ -f "$TOOL/package.json" ] || echo '{"private": true}' > "$TOOL/package.json"
  npm install --prefix "$TOOL" --ignore-scripts --no-audit --no-fund "@mdn/mdn-http-observatory@$OBSERVATORY_VERSION"
fi
[ -s "$PKG/conf/hsts-preload.json" ] || echo '{}' > "$PKG/conf/hsts-preload.json"

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# A CA of our own, and a certificate for localhost signed by it.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Gatehouse test CA" \
  -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$work/site.key" -out "$work/site.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n' > "$work/ext"
openssl x509 -req -in "$work/site.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial -days 2 \
  -extfile "$work/ext" -out "$work/site.pem" 2>/dev/null
bundle=$(dirname "$(readlink -f "$TOOL/node_modules/node_extra_ca_certs_mozilla_bundle/package.json")")/ca_bundle
mkdir -p "$bundle"
cat /etc/ssl/certs/ca-certificates.crt "$work/ca.pem" > "$bundle/ca_intermediate_bundle.pem"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$work/data"
GATEHOUSE_BIND=127.0.0.1:$port GATEHOUSE_PUBLIC_URL=https://localhost GATEHOUSE_DATA_DIR=$work/data \
  GATEHOUSE_DATABASE_URL=sqlite://$work/data/gatehouse.db GATEHOUSE_MAIL_OUTBOX=$work/data/outbox \
  GATEHOUSE_TRUSTED_PROXIES=127.0.0.1 GATEHOUSE_LOG=warn target/release/gatehouse serve > "$work/gatehouse.log" 2>&1 &
pids+=($!)

cat > "$work/nginx.conf" <<EOF
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events {}
http {
  access_log off;
  client_body_temp_path $work/body;
  proxy_temp_path $work/proxy;
  server {
    listen 127.0.0.1:80;
    server_name localhost;
    return 301 https://\$host\$request_uri;
  }
  server {
    listen 127.0.0.1:443 ssl;
    server_name localhost;
    ssl_certificate $work/site.pem;
    ssl_certificate_key $work/site.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    client_max_body_size 26m;
    location / {
      proxy_pass http://127.0.0.1:$port;
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto https;
    }
  }
}
EOF
nginx -c "$work/nginx.conf" &
pids+=($!)

for _ in $(seq 100); do
  curl -sf --cacert "$work/ca.pem" https://localhost/healthz >/dev/null 2>&1 && break
  sleep 0.2
done
curl -sf --cacert "$work/ca.pem" https://localhost/healthz >/dev/null || {
  echo "Gatehouse did not answer through nginx"; cat "$work/gatehouse.log" "$work/nginx-error.log"; exit 1; }

"$PKG/bin/wrapper.js" localhost > "$work/scan.json"
python3 - "$work/scan.json" <<'EOF'
import json, sys
result = json.load(open(sys.argv[1]))
if "error" in result:
    sys.exit(f"observatory: {result['error']}")
scan = result["scan"]
print(f"MDN HTTP Observatory {scan.get('algorithmVersion', '')}: grade {scan['grade']}, score {scan['score']}, "
      f"{scan['testsPassed']}/{scan['testsQuantity']} tests passed")
for name, test in sorted(result["tests"].items()):
    mark = "pass" if test["pass"] else "FAIL"
    print(f"  {mark}  {name:32} {test['scoreModifier']:+4}  {test['result']}")
sys.exit(0 if scan["grade"] == "A+" else 1)
EOF
