#!/usr/bin/env bash
# Runs the local PostgreSQL cluster that FerretDB stores in (supervisord's program:postgres):
# Debian's postgresql package, data under .baton/postgres, loopback only. The first start
# creates the cluster and its `ferretdb` database. PostgreSQL refuses to run as root, so a
# root caller (CI, a fresh container) runs it as the `postgres` user the package creates.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ "${BATON_LOCAL_STORE:-postgresql}" = sqlite ]; then
  # FerretDB keeps its own files: nothing to run, but stay up so supervisord sees no failure.
  echo "postgres.sh: not used (BATON_LOCAL_STORE=sqlite)"
  exec sleep infinity
fi
data=${BATON_POSTGRES_DATA:-$PWD/.baton/postgres}
port=${BATON_POSTGRES_PORT:-15432}
# Debian installs the server outside PATH, one directory per major version.
bin=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "postgres.sh: no /usr/lib/postgresql/*/bin: run make install" >&2; exit 1; }

as_owner=()
if [ "$(id -u)" = 0 ]; then
  as_owner=(setpriv --reuid=postgres --regid=postgres --init-groups --)
  mkdir -p "$(dirname "$data")"
  if [ -L "$data" ] || ! "${as_owner[@]}" test -x "$(dirname "$data")"; then
    # The postgres user cannot enter the clone (say under /root, mode 700): the cluster lives
    # in that user's home instead, linked from $data. A missing link means a new stack (or
    # `make clean`), so a cluster left there by an earlier one is removed, not reused.
    outside=/var/lib/postgresql/baton-$(printf '%s' "$data" | sha256sum | cut -c1-12)
    if [ ! -L "$data" ]; then
      [ ! -e "$data" ] || { echo "postgres.sh: the postgres user cannot reach $data" >&2; exit 1; }
      rm -rf "$outside"
      ln -s "$outside" "$data"
    fi
    data=$outside
  fi
  mkdir -p "$data"
  chown postgres:postgres "$data"
fi
mkdir -p "$data" && chmod 700 "$data"

if [ ! -f "$data/PG_VERSION" ]; then
  echo "postgres.sh: creating the cluster in $data"
  # C locale: needs no generated locale on the machine, and sorts bytes as FerretDB expects.
  "${as_owner[@]}" "$bin/initdb" -D "$data" -U baton --auth=trust -E UTF8 --locale=C \
    --no-instructions >/dev/null
  echo "CREATE DATABASE ferretdb" | "${as_owner[@]}" "$bin/postgres" --single -D "$data" postgres \
    >/dev/null
fi

# The GIN companions of FerretDB's indexes (see the file), applied when the file changed.
gin_sql=deploy/local/postgres/ferretdb_gin.sql
gin_hash=$(sha256sum "$gin_sql" | cut -c1-16)
if [ "$(cat "$data/baton_gin.stamp" 2>/dev/null)" != "$gin_hash" ]; then
  # -j: a statement ends at a semicolon followed by an empty line (function bodies span lines).
  # Single-user mode reports an error and goes on: look for one before stamping.
  applied=$("${as_owner[@]}" "$bin/postgres" --single -j -D "$data" ferretdb <"$gin_sql" 2>&1)
  if grep -q "ERROR:" <<<"$applied"; then
    # Only an optimisation: start without it (and try again next time) rather than not at all.
    echo "postgres.sh: $gin_sql failed; FerretDB's queries will scan tables:" >&2
    grep -A2 "ERROR:" <<<"$applied" >&2
  else
    echo "$gin_hash" | "${as_owner[@]}" tee "$data/baton_gin.stamp" >/dev/null
  fi
fi

# Settings live here, not in the cluster's postgresql.conf, so a change applies at the next
# start of an existing cluster. Trust authentication is safe only because it listens on
# loopback alone, like FerretDB in front of it. Tuned for a 2-core dev box: small memory, no
# parallel workers or JIT (both cost more than they save on this workload's small queries).
# Custom plans: FerretDB's statements are prepared with the field name as a parameter, and
# a generic plan cannot match it to an index expression (ferretdb_gin.sql).
exec "${as_owner[@]}" "$bin/postgres" -D "$data" \
  -c listen_addresses=127.0.0.1 -c port="$port" -c unix_socket_directories= \
  -c max_connections=100 -c shared_buffers=128MB -c effective_cache_size=512MB \
  -c work_mem=8MB -c maintenance_work_mem=64MB \
  -c max_parallel_workers_per_gather=0 -c jit=off -c plan_cache_mode=force_custom_plan \
  -c max_wal_size=512MB -c checkpoint_timeout=15min \
  -c log_min_messages=warning -c log_checkpoints=off
