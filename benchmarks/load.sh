#!/usr/bin/env bash
# Load test of the staff screens (issue 20 point 9): serves a demo database on loopback the way
# `minzheng demo` does (gunicorn, 2 workers, 120 s timeout, plus the background worker), runs the
# locust daily mix headless against it, bounded in time, and writes the CSVs to benchmarks/out/.
#
#   benchmarks/load.sh --db var/bench/load-1.sqlite3 [--users 50] [--rate 5] [--time 10m] [--port 8765]
#
# The database must be a prepared demo (`DATABASE_URL=sqlite:///$PWD/<db> minzheng demo --no-serve
# --scale 1.0`, or a COPY of var/bench/pages-1.sqlite3 — the test writes person saves, sessions and
# audit rows into it). Nothing listens beyond 127.0.0.1; the servers are stopped (by their process
# ids) when locust ends, is interrupted or times out.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DB="" USERS=50 RATE=5 DURATION=10m PORT=8765 WORKERS=2
while [ $# -gt 0 ]; do
  case "$1" in
    --db) DB=$2; shift 2;;
    --users) USERS=$2; shift 2;;
    --rate) RATE=$2; shift 2;;
    --time) DURATION=$2; shift 2;;
    --port) PORT=$2; shift 2;;
    --workers) WORKERS=$2; shift 2;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
[ -n "$DB" ] && [ -f "$DB" ] || { echo "--db: a prepared demo SQLite database is required" >&2; exit 2; }
DB=$(realpath "$DB")
PY=$ROOT/.venv/bin/python
OUT=$ROOT/benchmarks/out
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
PREFIX=$OUT/load-$STAMP
mkdir -p "$OUT"
export DATABASE_URL="sqlite:///$DB" DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-config.settings}
export MINZHENG_DEMO=1 PYTHONUNBUFFERED=1 PYTHONPATH=$ROOT

"$PY" -m minzheng.manage migrate --noinput -v 0
"$PY" -m minzheng.manage collectstatic --noinput -v 0

PIDS=()
stop() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop EXIT INT TERM

"$PY" -m minzheng.manage worker --queue-name '*' --no-reload >"$PREFIX-worker.log" 2>&1 &
PIDS+=($!)
"$PY" -m gunicorn config.wsgi:application --workers "$WORKERS" --bind "127.0.0.1:$PORT" \
  --timeout 120 --no-control-socket >"$PREFIX-gunicorn.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 120); do
  curl -fs -o /dev/null "http://127.0.0.1:$PORT/login/" && break
  sleep 0.5
done
curl -fs -o /dev/null "http://127.0.0.1:$PORT/login/" || { echo "the site did not start: see $PREFIX-gunicorn.log" >&2; exit 1; }

echo "load: $USERS users, +$RATE/s, $DURATION against 127.0.0.1:$PORT ($DB); $(nproc) CPUs; $(uptime)"
# -t bounds the run; `timeout` bounds it again should locust hang on stop.
timeout --signal=INT "$(( $(echo "$DURATION" | sed -E 's/m$/*60/; s/s$//; s/h$/*3600/') + 60 ))" \
  "$ROOT/.venv/bin/locust" -f "$ROOT/benchmarks/load/locustfile.py" --headless \
  -u "$USERS" -r "$RATE" -t "$DURATION" --host "http://127.0.0.1:$PORT" \
  --csv "$PREFIX" --only-summary --stop-timeout 10 || status=$?
echo "after: $(uptime)"
echo "CSV: $PREFIX""_stats.csv, _failures.csv, _exceptions.csv, _stats_history.csv"
exit "${status:-0}"
