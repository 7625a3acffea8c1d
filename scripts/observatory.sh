#!/usr/bin/env bash
# Grade the site's HTTP security headers with the MDN HTTP Observatory scanner.
#
# Serves the app with production settings over TLS on loopback (gunicorn, a
# certificate for localhost signed by a throwaway CA that only the scanner
# trusts), scans it, prints the grade and every failing test, and exits
# non-zero unless the grade is A+.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
trap cleanup EXIT

OBSERVATORY_VERSION=1.4.8
TOOLS=.tools/observatory
SCANNER=$TOOLS/node_modules/@mdn/mdn-http-observatory/src/scan.js

if [ ! -f "$SCANNER" ]; then
  log "Installing @mdn/mdn-http-observatory@$OBSERVATORY_VERSION into $TOOLS"
  mkdir -p "$TOOLS"
  # --ignore-scripts: a dependency's install script downloads Mozilla's CA
  # bundle, which we do not need (the scanner trusts our own CA below).
  npm install --prefix "$TOOLS" --ignore-scripts --no-audit --no-fund --loglevel=error \
    "@mdn/mdn-http-observatory@$OBSERVATORY_VERSION" >&2
fi
# The skipped install script would also fetch Chrome's HSTS preload list. It only
# tells whether a public hostname is preloaded; localhost never is, so an empty
# list grades exactly as the full one would.
PRELOAD=$TOOLS/node_modules/@mdn/mdn-http-observatory/conf/hsts-preload.json
[ -f "$PRELOAD" ] || echo '{}' >"$PRELOAD"

log "Making a certificate for localhost"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Toolfinder local CA" \
  -keyout "$WORK/ca.key" -out "$WORK/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
  -keyout "$WORK/server.key" -out "$WORK/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n' >"$WORK/ext.cnf"
openssl x509 -req -in "$WORK/server.csr" -CA "$WORK/ca.pem" -CAkey "$WORK/ca.key" \
  -CAcreateserial -days 2 -extfile "$WORK/ext.cnf" -out "$WORK/server.pem" 2>/dev/null

production_env
prepare_site
PORT=$(free_port)
URL="https://localhost:$PORT"
log "Serving $URL"
GUNICORN_BIND="127.0.0.1:$PORT" GUNICORN_WORKERS=2 \
  GUNICORN_CERTFILE="$WORK/server.pem" GUNICORN_KEYFILE="$WORK/server.key" \
  start_server "$URL"

log "Scanning (the scanner also tries plain HTTP on the same port; that attempt fails by design)"
# Run the scanner directly: its bin wrapper points NODE_EXTRA_CA_CERTS at a bundle
# we did not download. Trusting our CA keeps the certificate "valid", which the
# HSTS test requires.
NODE_EXTRA_CA_CERTS="$WORK/ca.pem" node "$SCANNER" "localhost:$PORT" >"$WORK/scan.json" || true

"$PY" - "$WORK/scan.json" <<'PYEOF'
import json
import sys

raw = open(sys.argv[1]).read()
try:
    result = json.loads(raw)
except ValueError:
    sys.exit(f"Observatory scan failed:\n{raw}")
if "error" in result:
    sys.exit(f"Observatory scan failed: {result['error']}")
scan = result["scan"]
print(f"Observatory grade: {scan['grade']} (score {scan['score']}, "
      f"{scan['testsPassed']}/{scan['testsQuantity']} tests passed)")
for name, test in sorted(result["tests"].items()):
    mark = "pass" if test.get("pass") else "FAIL"
    print(f"  {mark}  {name:32} {test.get('scoreModifier', 0):+4}  {test.get('result')}")
sys.exit(0 if scan["grade"] == "A+" else 1)
PYEOF
