#!/usr/bin/env bash
# Load test on loopback (issue 20 item 9): gunicorn on 127.0.0.1 over DB, locust headless.
#   benchmarks/load/run.sh var/bench/pages-1.sqlite3 [USERS=50] [MINUTES=10] [PORT=8765]
# Writes benchmarks/out/load_stats.csv (and _failures, _history) and prints locust's summary.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
DB="$(realpath "${1:?database file}")"; USERS="${2:-50}"; MINUTES="${3:-10}"; PORT="${4:-8765}"
HOST="http://127.0.0.1:$PORT"   # loopback only
export DATABASE_URL="sqlite:///$DB" DJANGO_SETTINGS_MODULE=config.settings
mkdir -p benchmarks/out
.venv/bin/minzheng collectstatic --noinput -v0
.venv/bin/gunicorn config.wsgi --workers 2 --threads 4 --keep-alive 10 --bind "127.0.0.1:$PORT" --timeout 120 \
  --access-logfile /dev/null --error-logfile benchmarks/out/load_gunicorn.log &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 60); do curl -fs -o /dev/null "$HOST/login/" && break; sleep 1; done
uptime
.venv/bin/locust -f benchmarks/load/locustfile.py --headless -u "$USERS" -r 5 -t "${MINUTES}m" --host "$HOST" \
  --csv benchmarks/out/load --only-summary --stop-timeout 10 || true
uptime
