#!/usr/bin/env bash
# Starts the local stack (idempotent), waits until every part answers, seeds the demo account,
# bot and help center, and writes .baton/run.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p .baton/logs .baton/redis
set -a; . .baton/local.env; set +a
CTL=(.venv/bin/supervisorctl -c deploy/local/supervisord.conf)

if [ -f .baton/supervisord.pid ] && kill -0 "$(cat .baton/supervisord.pid)" 2>/dev/null; then
  # Already up: apply a changed supervisord.conf (restarts only the programs whose section
  # changed, e.g. a new environment= line), then start whatever stopped.
  "${CTL[@]}" update >/dev/null || true
  "${CTL[@]}" start all >/dev/null || true
else
  rm -f .baton/supervisor.sock
  .venv/bin/supervisord -c deploy/local/supervisord.conf
fi

.venv/bin/python deploy/local/wait_ready.py

GATEWAY_URL=${BATON_GATEWAY_PUBLIC_URL:-http://127.0.0.1:8100}
DEMO_URL=http://127.0.0.1:8600
INBOX_URL=http://127.0.0.1:8200
STAFF_EMAIL=${BATON_DEMO_STAFF_EMAIL:-owner@orbit-demo.example}
BOT_KEY=orbit-demo

seed=$(.venv/bin/baton-inbox-admin seed-demo --email "$STAFF_EMAIL" \
  --password "$BATON_DEMO_STAFF_PASSWORD" --bot-key "$BOT_KEY" --allowed-origin "$DEMO_URL" \
  --allowed-origin "http://localhost:8600")
BOT_ID=$(printf '%s' "$seed" | python3 -c 'import json,sys;print(json.load(sys.stdin)["bot_id"])')
ACCOUNT_ID=$(printf '%s' "$seed" | python3 -c 'import json,sys;print(json.load(sys.stdin)["account_id"])')

.venv/bin/baton ingest --bot "$BOT_ID" --base-url "$DEMO_URL/help" demo/helpcenter 2>/dev/null >.baton/logs/demo-ingest.json

python3 - "$GATEWAY_URL" "$INBOX_URL" "$DEMO_URL" "$BOT_KEY" "$BOT_ID" "$ACCOUNT_ID" "$STAFF_EMAIL" <<'PY'
import json, os, sys
gateway, inbox, demo, bot_key, bot_id, account_id, email = sys.argv[1:]
run = {
    "gateway_url": gateway, "inbox_url": inbox, "widget_demo_url": demo + "/",
    "bot_key": bot_key, "bot_id": bot_id, "account_id": account_id,
    "staff_email": email, "staff_password": os.environ["BATON_DEMO_STAFF_PASSWORD"],
    "handoff_url": "http://127.0.0.1:8500", "agent_url": "http://127.0.0.1:8400",
    "ingest_url": "http://127.0.0.1:8300", "logs": ".baton/logs",
    "mail_dir": ".baton/mail", "smtp": "127.0.0.1:8025",
}
# It holds the demo owner's password: readable by this user only, even if it existed before.
descriptor = os.open(".baton/run.json", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
os.fchmod(descriptor, 0o600)
with os.fdopen(descriptor, "w") as out:
    json.dump(run, out, indent=2)
PY
echo "  e-mails from the inbox (invites, password resets) land in .baton/mail/ (SMTP sink 127.0.0.1:8025)"
