#!/usr/bin/env bash
# Runs FerretDB (supervisord's program:ferretdb) on the backend that BATON_LOCAL_STORE names:
# `postgresql` (the default: the cluster of postgres.sh) or `sqlite` (files under
# .baton/ferretdb, the store before PostgreSQL; it scans a collection for most queries).
set -euo pipefail
cd "$(dirname "$0")/../.."
store=${BATON_LOCAL_STORE:-postgresql}
fdb=(.baton/bin/baton-ferretdb -listen 127.0.0.1:27117)
case "$store" in
  postgresql)
    exec "${fdb[@]}" -handler postgresql \
      -postgresql-url "postgres://baton@127.0.0.1:${BATON_POSTGRES_PORT:-15432}/ferretdb" ;;
  sqlite)  # the data files are the whole store: this user's only, as postgres.sh keeps its own
    mkdir -p .baton/ferretdb && chmod 700 .baton/ferretdb
    exec "${fdb[@]}" -handler sqlite -data .baton/ferretdb ;;
  *) echo "ferretdb.sh: BATON_LOCAL_STORE is postgresql or sqlite, not '$store'" >&2; exit 1 ;;
esac
