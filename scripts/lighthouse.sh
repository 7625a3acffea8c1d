#!/usr/bin/env bash
# Lighthouse performance scores for home, the catalogue and a tool page.
#
# Serves the demo catalogue production-like (gunicorn, hashed and compressed
# static files from whitenoise) over plain HTTP on loopback, runs Lighthouse from
# npm with Debian's Chromium, prints each score and exits non-zero if any is
# below LIGHTHOUSE_MIN (0.95). Everything runs offline once Lighthouse is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
trap cleanup EXIT

LIGHTHOUSE_VERSION=${LIGHTHOUSE_VERSION:-12.8.2}
LIGHTHOUSE_MIN=${LIGHTHOUSE_MIN:-0.95}
# LIGHTHOUSE_REPORTS=folder keeps the JSON reports for a closer look.
REPORTS=${LIGHTHOUSE_REPORTS:-}
# The demo catalogue's fullest tool page (plans, models, a review).
TOOL=${LIGHTHOUSE_TOOL:-chatgpt}
# Its own folder: npm prunes packages it was not asked for, and .tools/ holds the
# browser tests' axe-core and vnu-jar.
TOOLS=.tools/lighthouse
LIGHTHOUSE=$TOOLS/node_modules/.bin/lighthouse
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
CHROME_FLAGS="--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage \
--disable-background-networking --disable-component-update --disable-sync --no-first-run"

[ -x "$CHROME_PATH" ] || { log "Chromium is missing at $CHROME_PATH: apt-get install chromium"; exit 1; }
if [ ! -x "$LIGHTHOUSE" ]; then
  log "Installing lighthouse@$LIGHTHOUSE_VERSION into $TOOLS"
  mkdir -p "$TOOLS"
  # --ignore-scripts: nothing to download; Chromium comes from Debian.
  npm install --prefix "$TOOLS" --no-save --no-package-lock --no-audit --no-fund \
    --ignore-scripts --loglevel=error "lighthouse@$LIGHTHOUSE_VERSION" >&2
fi

[ -z "$REPORTS" ] || mkdir -p "$REPORTS"
production_env
export DJANGO_HTTPS=0 DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
prepare_site
PORT=$(free_port)
URL="http://127.0.0.1:$PORT"
log "Serving $URL"
GUNICORN_BIND="127.0.0.1:$PORT" GUNICORN_WORKERS=2 start_server "$URL"

status=0
for path in / /tools/ "/tools/$TOOL/"; do
  name=$(printf '%s' "$path" | tr -c 'a-zA-Z0-9' '_')
  report="${REPORTS:-$WORK}/lighthouse$name.json"
  log "Lighthouse: $URL$path"
  if ! "$LIGHTHOUSE" "$URL$path" --only-categories=performance --output=json \
    --output-path="$report" --chrome-flags="$CHROME_FLAGS" --quiet >"$WORK/lighthouse.log" 2>&1; then
    log "Lighthouse failed on $path; its log:"
    cat "$WORK/lighthouse.log" >&2
    exit 1
  fi
  "$PY" - "$report" "$path" "$LIGHTHOUSE_MIN" <<'PYEOF' || status=1
import json
import sys

report, path, minimum = json.load(open(sys.argv[1])), sys.argv[2], float(sys.argv[3])
score = report["categories"]["performance"]["score"]
audits = report["audits"]
metrics = ", ".join(
    f"{key} {audits[key]['displayValue']}"
    for key in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
                "cumulative-layout-shift", "speed-index")
    if audits.get(key, {}).get("displayValue")
)
ok = score is not None and score >= minimum
print(f"{'ok  ' if ok else 'FAIL'} {path:32} performance {score if score is not None else '?'}"
      f"  ({metrics})")
if not ok:
    for audit in audits.values():
        details = audit.get("details", {})
        if audit.get("score") is not None and audit["score"] < 0.9 and details.get("type") == "opportunity":
            print(f"       {audit['title']}: {audit.get('displayValue', '')}")
sys.exit(0 if ok else 1)
PYEOF
done
exit $status
