#!/usr/bin/env bash
# Foreground part of `make run`: prints where to go, follows the logs, stops all on Ctrl-C.
set -uo pipefail
cd "$(dirname "$0")/../.."
python3 - <<'PY'
import json
run = json.load(open(".baton/run.json"))
print(f"""
  Baton is running.
    widget demo   {run['widget_demo_url']}
    inbox         {run['inbox_url']}   login {run['staff_email']} / {run['staff_password']}
    gateway API   {run['gateway_url']}   (bot_key {run['bot_key']})
    settings      .baton/run.json   logs .baton/logs/
  Ctrl-C stops everything.
""")
PY
trap 'echo; echo "stopping..."; bash deploy/local/down.sh; exit 0' INT TERM
tail -n 0 -F .baton/logs/gateway.log .baton/logs/agent.log .baton/logs/handoff.log .baton/logs/inbox.log &
wait
