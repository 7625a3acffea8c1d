# Shared by the operations scripts: a throwaway production-like site on loopback.
# Source it; it expects to run from the repository root.

PY=${PY:-.venv/bin/python}
GUNICORN=${GUNICORN:-.venv/bin/gunicorn}

# A scratch folder, removed on exit by the caller's trap (see cleanup).
WORK=$(mktemp -d "${TMPDIR:-/tmp}/toolfinder.XXXXXX")
SERVER_PID=

log() { printf '==> %s\n' "$*" >&2; }

free_port() {
  "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Production settings for a loopback run; a real deployment sets its own.
production_env() {
  export DJANGO_PRODUCTION=1
  export DJANGO_DEBUG=0
  export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-"local-$(head -c 48 /dev/urandom | base64 | tr -d '/+=')"}
  export DJANGO_ALLOWED_HOSTS=${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}
  export DJANGO_STATIC_ROOT=${DJANGO_STATIC_ROOT:-$WORK/static}
  export DATABASE_URL=${DATABASE_URL:-"sqlite:///$WORK/db.sqlite3"}
}

prepare_site() {
  log "Preparing the database and static files ($DATABASE_URL)"
  "$PY" manage.py migrate --noinput -v 0
  "$PY" manage.py load_demo_catalogue -v 0
  "$PY" manage.py collectstatic --noinput -v 0
}

# start_server URL [gunicorn args...]: start in the background, wait for /healthz.
start_server() {
  local url=$1; shift
  "$GUNICORN" -c gunicorn.conf.py "$@" >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 60); do
    if curl -ksf -o /dev/null "$url/healthz"; then return 0; fi
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.5
  done
  log "The server did not come up; its log:"
  cat "$WORK/server.log" >&2
  return 1
}

# serve_load_target: the production-like site over plain HTTP on a free loopback
# port (TLS is the proxy's job), with its wrk URL plan in $LOAD_PLAN; sets URL.
serve_load_target() {
  production_env
  export DJANGO_HTTPS=0
  prepare_site
  export LOAD_PLAN=$WORK/plan.txt
  "$PY" scripts/load_plan.py >"$LOAD_PLAN"
  local port
  port=$(free_port)
  URL="http://127.0.0.1:$port"
  GUNICORN_BIND="127.0.0.1:$port" GUNICORN_ACCESS_LOG=/dev/null start_server "$URL"
}

stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=
}

cleanup() {
  stop_server
  rm -rf "$WORK"
}
