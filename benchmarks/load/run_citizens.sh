#!/usr/bin/env bash
# Citizens' load test on loopback (issue 22 item 7): gunicorn on 127.0.0.1 over the demo DB,
# locust headless with benchmarks/load/citizens.py.
#   benchmarks/load/run_citizens.sh var/minzheng.sqlite3 [USERS=500] [MINUTES=5] [PORT=8766]
# Writes benchmarks/out/citizens_stats.csv (and _failures, _history) and prints the summary.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
DB="$(realpath "${1:?database file}")"; USERS="${2:-500}"; MINUTES="${3:-5}"; PORT="${4:-8766}"
HOST="http://127.0.0.1:$PORT"   # loopback only
# MINZHENG_DEMO: the demo's settings (the SMS and single sign-on stand-ins).
export DATABASE_URL="sqlite:///$DB" DJANGO_SETTINGS_MODULE=config.settings MINZHENG_DEMO=1
mkdir -p benchmarks/out
.venv/bin/python benchmarks/load/prepare_citizens.py "$USERS"
.venv/bin/minzheng collectstatic --noinput -v0
.venv/bin/gunicorn config.wsgi --workers 2 --threads 8 --keep-alive 15 --bind "127.0.0.1:$PORT" --timeout 120 \
  --access-logfile /dev/null --error-logfile benchmarks/out/citizens_gunicorn.log &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 60); do curl -fs -o /dev/null "$HOST/citizen/signin/" && break; sleep 1; done
uptime
.venv/bin/locust -f benchmarks/load/citizens.py --headless -u "$USERS" -r 10 -t "${MINUTES}m" --host "$HOST" \
  --csv benchmarks/out/citizens --only-summary --stop-timeout 15 || true
uptime
