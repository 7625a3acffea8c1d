#!/usr/bin/env bash
# Fault test: PostgreSQL stops under load, the site answers 503 pages, and it
# recovers by itself when PostgreSQL is back (no server restart).
#
# Runs on a scratch PostgreSQL cluster of its own (pg_createcluster on a free
# port), so stopping it cannot disturb anything else using the machine's main
# cluster; the trap always starts it again and then drops it. Persistent
# connections (DATABASE_CONN_MAX_AGE) are on, so recovery also exercises
# Django's connection health checks. Needs root (pg_createcluster).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

PG_VERSION=${PG_VERSION:-$(ls /usr/lib/postgresql | sort -n | tail -1)}
CLUSTER=toolfinder_faults_$$
PG_PORT=$(free_port)
LOAD_SECONDS=${LOAD_SECONDS:-40}
OUTAGE_AT=${OUTAGE_AT:-8}
OUTAGE_SECONDS=${OUTAGE_SECONDS:-10}
WRK_PID=

finish() {
  [ -n "$WRK_PID" ] && kill "$WRK_PID" 2>/dev/null || true
  stop_server
  # Always leave PostgreSQL running before dropping the scratch cluster.
  pg_ctlcluster "$PG_VERSION" "$CLUSTER" start >/dev/null 2>&1 || true
  pg_dropcluster --stop "$PG_VERSION" "$CLUSTER" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap finish EXIT

status_of() { curl -s -o "$WORK/body" -w '%{http_code}' --max-time 10 "$URL$1" || echo 000; }

log "Scratch PostgreSQL $PG_VERSION cluster $CLUSTER on port $PG_PORT"
pg_createcluster "$PG_VERSION" "$CLUSTER" --port "$PG_PORT" --start \
  -- --auth-host=trust --auth-local=trust >/dev/null
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p "$PG_PORT" && break; sleep 0.5; done
su postgres -c "createdb -h 127.0.0.1 -p $PG_PORT toolfinder"

export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/toolfinder"
export DATABASE_CONN_MAX_AGE=60
serve_load_target

log "Load for ${LOAD_SECONDS}s; PostgreSQL stops at ${OUTAGE_AT}s for ${OUTAGE_SECONDS}s"
wrk --threads 2 --connections 16 --duration "${LOAD_SECONDS}s" --timeout 10s \
  --script scripts/load.lua "$URL" >"$WORK/wrk.txt" &
WRK_PID=$!
sleep "$OUTAGE_AT"
[ "$(status_of /)" = 200 ] || { log "FAIL: the home page was not 200 before the outage"; exit 1; }

log "Stopping PostgreSQL"
pg_ctlcluster "$PG_VERSION" "$CLUSTER" stop -m fast
sleep 1
failures=0
home=$(status_of /)
if [ "$home" = 503 ] && grep -q "Back in a moment" "$WORK/body"; then
  log "During the outage: the home page is the 503 page"
else
  log "FAIL: during the outage the home page answered $home"; failures=$((failures + 1))
fi
tool=$(status_of "$(grep -m1 '^GET /tools/.*/$' "$LOAD_PLAN" | grep -v no-such | cut -d' ' -f2)")
[ "$tool" = 503 ] || { log "FAIL: during the outage a tool page answered $tool"; failures=$((failures + 1)); }
health=$(status_of /healthz)
[ "$health" = 503 ] || { log "FAIL: during the outage /healthz answered $health"; failures=$((failures + 1)); }
log "During the outage: /healthz $health $(cat "$WORK/body")"
sleep "$((OUTAGE_SECONDS - 1))"

log "Starting PostgreSQL again"
pg_ctlcluster "$PG_VERSION" "$CLUSTER" start
recovered=
for i in $(seq 1 60); do
  if [ "$(status_of /healthz)" = 200 ]; then recovered=$i; break; fi
  sleep 0.5
done
if [ -z "$recovered" ]; then
  log "FAIL: no recovery within 30 s of PostgreSQL starting"; failures=$((failures + 1))
else
  log "Recovered within $((recovered / 2)) s, without restarting the server"
fi
for path in / /tools/ /reviews/; do
  code=$(status_of "$path")
  [ "$code" = 200 ] || { log "FAIL: after recovery $path answered $code"; failures=$((failures + 1)); }
done

wait "$WRK_PID" || true
WRK_PID=
sed -n '/^requests:/,$p' "$WORK/wrk.txt"
fivexx=$(sed -n 's/^5xx: //p' "$WORK/wrk.txt")
only503=$(sed -n 's/^of which 503: //p' "$WORK/wrk.txt")
if [ "$fivexx" != "$only503" ]; then
  log "FAIL: $((fivexx - only503)) 5xx answers were not 503; the server log:"
  grep -E "ERROR|Traceback|Error" "$WORK/server.log" | sort | uniq -c | sort -rn | head -20 >&2
  failures=$((failures + 1))
fi
if [ "$failures" -gt 0 ]; then log "FAIL ($failures problems)"; exit 1; fi
log "OK: 503 pages during the outage ($only503 under load), recovery without a restart"
