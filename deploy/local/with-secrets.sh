#!/usr/bin/env bash
# Runs a program with .baton/local.env loaded. supervisord hands its programs the environment
# it was started with; reading the file at each start lets a secret that install.sh added
# later (one a newer Baton needs) reach the program on its next restart, without restarting
# supervisord and the whole stack.
set -euo pipefail
set -a
. .baton/local.env
set +a
exec "$@"
