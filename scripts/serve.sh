#!/usr/bin/env bash
# `make serve`: the production server. Migrates, collects static files (served by
# whitenoise), then runs gunicorn with gunicorn.conf.py (workers, timeouts, max requests).
#
# A deployment sets its environment (see the README) first. With no
# DJANGO_SECRET_KEY this is a local try-out instead: production settings over
# plain HTTP on loopback, a throwaway key and the demo catalogue.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${DJANGO_SECRET_KEY:-}" ]; then
  echo "==> No DJANGO_SECRET_KEY set: a local try-out on http://127.0.0.1:${PORT:-8000}/" >&2
  export DJANGO_PRODUCTION=1 DJANGO_HTTPS=${DJANGO_HTTPS:-0}
  DJANGO_SECRET_KEY="local-$(head -c 48 /dev/urandom | base64 | tr -d '/+=')"
  export DJANGO_SECRET_KEY
  TRY_OUT=1
fi

# Migrations may rewrite big tables: no per-statement limit for them.
DATABASE_STATEMENT_TIMEOUT=0 .venv/bin/python manage.py migrate --noinput
if [ -n "${TRY_OUT:-}" ]; then .venv/bin/python manage.py load_demo_catalogue; fi
.venv/bin/python manage.py collectstatic --noinput -v 0
exec .venv/bin/gunicorn -c gunicorn.conf.py
