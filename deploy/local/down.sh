#!/usr/bin/env bash
# Stops the local stack and waits until supervisord and its programs are gone.
set -uo pipefail
cd "$(dirname "$0")/../.."

# A PostgreSQL that outlived a killed supervisord would keep the cluster locked; its pid file
# names it (checked to be a postgres process: after a crash the pid may belong to another).
stop_stray_postgres() {
  local pg
  pg=$(head -n 1 .baton/postgres/postmaster.pid 2>/dev/null) || return 0
  [ "$(ps -o comm= -p "$pg" 2>/dev/null)" = postgres ] || return 0
  kill -INT "$pg"  # fast shutdown
  for _ in $(seq 1 60); do
    kill -0 "$pg" 2>/dev/null || return 0
    sleep 0.5
  done
  echo "postgres ($pg) did not stop in 30 s" >&2
}

pidfile=.baton/supervisord.pid
[ -f "$pidfile" ] || { stop_stray_postgres; exit 0; }
pid=$(cat "$pidfile")
kill -0 "$pid" 2>/dev/null || { rm -f "$pidfile"; stop_stray_postgres; exit 0; }
.venv/bin/supervisorctl -c deploy/local/supervisord.conf shutdown >/dev/null 2>&1 || kill -TERM "$pid"
for _ in $(seq 1 180); do
  kill -0 "$pid" 2>/dev/null || { stop_stray_postgres; exit 0; }
  sleep 0.5
done
echo "supervisord ($pid) did not stop in 90 s; killing it" >&2
kill -KILL "$pid" 2>/dev/null
stop_stray_postgres
