#!/usr/bin/env bash
# Stops the local stack and waits until supervisord and its programs are gone.
set -uo pipefail
cd "$(dirname "$0")/../.."
pidfile=.baton/supervisord.pid
[ -f "$pidfile" ] || exit 0
pid=$(cat "$pidfile")
kill -0 "$pid" 2>/dev/null || { rm -f "$pidfile"; exit 0; }
.venv/bin/supervisorctl -c deploy/local/supervisord.conf shutdown >/dev/null 2>&1 || kill -TERM "$pid"
for _ in $(seq 1 120); do
  kill -0 "$pid" 2>/dev/null || exit 0
  sleep 0.5
done
echo "supervisord ($pid) did not stop in 60 s; killing it" >&2
kill -KILL "$pid" 2>/dev/null
