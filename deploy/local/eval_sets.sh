#!/usr/bin/env bash
# `make eval` without KB: both dev sets, every time (a change counts only if it hurts neither).
# Each set's results go to .baton/eval-<name>.jsonl; the last line is {"<name>": summary, ...}.
set -euo pipefail
cd "$(dirname "$0")/../.."
SETS=(
  "espocrm ../shared/kb/espocrm ../shared/eval/dev.jsonl"
  "zammad ../shared/kb/zammad ../shared/eval/dev2.jsonl"
)
summaries=()
for entry in "${SETS[@]}"; do
  read -r name kb questions <<<"$entry"
  if [[ ! -d "$kb" || ! -f "$questions" ]]; then
    echo "eval: $kb or $questions is missing" >&2
    exit 2
  fi
  echo "== $name ($kb, $questions)" >&2
  summary=$(.venv/bin/baton eval --kb "$kb" --questions "$questions" \
    --out ".baton/eval-$name.jsonl" | tail -n 1)
  echo "$summary"
  summaries+=("\"$name\": $summary")
done
(IFS=,; echo "{${summaries[*]}}")
