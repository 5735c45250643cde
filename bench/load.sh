#!/usr/bin/env bash
# `make load`: seed the demo data, serve the portal with gunicorn (4 workers) on
# 127.0.0.1:8765 against PostgreSQL, run locust (bench/locustfile.py) headless with 50 users
# for 60 s, print requests/s, p95 and errors, then stop gunicorn. Traffic stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv
USERS="${LOAD_USERS:-50}" RATE="${LOAD_SPAWN_RATE:-10}" DURATION="${LOAD_DURATION:-60s}"
HOST=127.0.0.1 PORT="${LOAD_PORT:-8765}"

case "${DATABASE_URL:-}" in
  postgres://*|postgresql://*) ;;
  *) echo "make load needs DATABASE_URL pointing at PostgreSQL (a load test on the SQLite file" \
          "measures SQLite's write lock, not the portal); refusing." >&2; exit 2 ;;
esac
[ -x "$VENV/bin/locust" ] || "$VENV/bin/pip" install -q -e ".[bench]"

out="${VAR_DIR:-var}/load/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
"$VENV/bin/python" manage.py migrate --no-input -v 0
"$VENV/bin/python" manage.py seed_demo >/dev/null

# DEBUG off as in production (DEBUG keeps every SQL query in memory); development settings
# otherwise, so no TLS redirect and the static files come from the finders.
# --preload: the application is imported once before the workers fork, so all four answer
# from the first second instead of booting while the test runs.
DEBUG=false "$VENV/bin/gunicorn" score_portal.wsgi --workers 4 --preload --bind "$HOST:$PORT" \
  --access-logfile /dev/null --error-logfile "$out/gunicorn.log" &
gunicorn_pid=$!
trap 'kill "$gunicorn_pid" 2>/dev/null; wait "$gunicorn_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  curl -s -o /dev/null "http://$HOST:$PORT/healthz" && break
  kill -0 "$gunicorn_pid" || { cat "$out/gunicorn.log"; exit 1; }
  sleep 0.5
done
for _ in $(seq 1 8); do  # warm every worker's templates and imports
  curl -s -o /dev/null "http://$HOST:$PORT/accounts/login/"
done

"$VENV/bin/locust" -f bench/locustfile.py --headless -u "$USERS" -r "$RATE" -t "$DURATION" \
  --host "http://$HOST:$PORT" --csv "$out/locust" --only-summary --loglevel WARNING \
  >"$out/locust.log" 2>&1 || true   # locust exits 1 when any request failed: reported below

"$VENV/bin/python" - "$out/locust_stats.csv" "$out/locust_failures.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
print(f"{'request':34} {'count':>7} {'fail':>5} {'req/s':>7} {'median':>7} {'p95':>7} ms")
for row in rows:
    name = row["Name"] if row["Name"] != "Aggregated" else "ALL"
    print(f"{name[:34]:34} {row['Request Count']:>7} {row['Failure Count']:>5} "
          f"{float(row['Requests/s']):7.1f} {row['50%']:>7} {row['95%']:>7}")
total = rows[-1]
print(f"\nrequests/s {float(total['Requests/s']):.1f}, p95 {total['95%']} ms, "
      f"errors {total['Failure Count']} of {total['Request Count']}")
for failure in csv.DictReader(open(sys.argv[2])):
    print(f"  error: {failure['Name']}: {failure['Error']} ({failure['Occurrences']}x)")
PY
echo "CSV and logs: $out"
