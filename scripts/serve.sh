#!/usr/bin/env bash
# The production run (docs/deploy.md): prepare the database and static files, then gunicorn.
#
# Every setting comes from the environment (docs/deploy.md lists them); at least
# DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL. On a second app server sharing the
# database set FAO_SERVE_MIGRATE=false so only one server runs the migrations.
set -euo pipefail
cd "$(dirname "$0")/.."

# Production never runs on the built-in development key, whatever a caller exported.
unset FAO_ALLOW_INSECURE_KEY
if [[ -z "${DJANGO_SECRET_KEY:-}" && -z "${DJANGO_SECRET_KEY_FILE:-}" ]]; then
  echo "serve.sh: 未配置 DJANGO_SECRET_KEY（或 DJANGO_SECRET_KEY_FILE），拒绝以内置开发密钥启动生产服务。" >&2
  echo "serve.sh: DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE) is not set; refusing to run production on the built-in development key (docs/deploy.md)." >&2
  exit 78
fi
if [[ -z "${DJANGO_SECRET_KEY:-}" && ! -s "${DJANGO_SECRET_KEY_FILE}" ]]; then
  echo "serve.sh: DJANGO_SECRET_KEY_FILE（${DJANGO_SECRET_KEY_FILE}）不存在或为空，拒绝启动。" >&2
  exit 78
fi

PY=${PY:-.venv/bin/python}
GUNICORN=${GUNICORN:-.venv/bin/gunicorn}
export DJANGO_SETTINGS_MODULE=fao_portal.settings

# PostgreSQL goes through psycopg's connection pool unless the environment says otherwise.
if [[ "${DATABASE_URL:-}" == postgres* ]]; then
  export FAO_DB_POOL=${FAO_DB_POOL:-true}
fi

# Deployment warnings are printed, not fatal: a plain-HTTP trial run still starts; errors
# (such as the built-in development key) stop the start.
"$PY" manage.py check --deploy
if [[ "${FAO_SERVE_MIGRATE:-true}" == "true" ]]; then
  "$PY" manage.py migrate --noinput
  # The shared cache table (FAO_CACHE_URL=db://…); a no-op for other caches.
  "$PY" manage.py createcachetable
fi
if command -v msgfmt >/dev/null; then
  "$PY" manage.py compilemessages -v 0 --ignore=.venv --ignore=var
fi
"$PY" manage.py collectstatic --noinput -v 0

exec "$GUNICORN" --config ops/gunicorn.conf.py fao_portal.wsgi:application
