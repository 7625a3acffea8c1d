#!/usr/bin/env bash
# Bounded load on loopback: a production-like server, wrk at LOAD_CONNECTIONS
# connections for LOAD_SECONDS over a mix of pages and forms (scripts/load_plan.py).
# Prints requests/s and the 5xx count; exits non-zero on any 5xx.
# Uses DATABASE_URL when set, otherwise a fresh SQLite database.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
trap cleanup EXIT

LOAD_SECONDS=${LOAD_SECONDS:-60}
LOAD_CONNECTIONS=${LOAD_CONNECTIONS:-32}
LOAD_THREADS=${LOAD_THREADS:-2}

if ! command -v wrk >/dev/null 2>&1; then
  log "Installing wrk"
  apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
fi

serve_load_target
log "Load: $LOAD_CONNECTIONS connections for ${LOAD_SECONDS}s over $(wc -l <"$LOAD_PLAN") URLs at $URL"
wrk --threads "$LOAD_THREADS" --connections "$LOAD_CONNECTIONS" --duration "${LOAD_SECONDS}s" \
  --timeout 10s --script scripts/load.lua "$URL" | tee "$WORK/wrk.txt"

fivexx=$(sed -n 's/^5xx: //p' "$WORK/wrk.txt")
if [ "$fivexx" != "0" ]; then
  log "FAIL: $fivexx responses were 5xx; the server log:"
  grep -E "ERROR|Traceback" "$WORK/server.log" | tail -40 >&2 || true
  exit 1
fi
log "OK: no 5xx"
