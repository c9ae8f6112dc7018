#!/usr/bin/env bash
# Writes secrets.env (git-ignored) with fresh random secrets, once: an existing file is kept,
# since a new BATON_TOKEN_SECRET logs every visitor and teammate out.
set -euo pipefail
cd "$(dirname "$0")"
if [[ -s secrets.env ]]; then
  echo "secrets.env exists; kept" >&2
  exit 0
fi
umask 077
{
  echo "BATON_TOKEN_SECRET=$(openssl rand -hex 32)"
  echo "BATON_INGEST_API_TOKEN=$(openssl rand -hex 32)"
} > secrets.env
echo "wrote $(pwd)/secrets.env" >&2
