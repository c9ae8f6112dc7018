#!/usr/bin/env bash
# Installs the pinned kustomize into .baton/bin (Go module proxy, the Go toolchain on PATH):
# `make k8s-check` and the manifest tests render the overlays with it. Without Go it says so
# and leaves the tests to skip with that reason.
set -euo pipefail
cd "$(dirname "$0")/../.."
KUSTOMIZE_VERSION=v5.8.2
BIN="$PWD/.baton/bin"
if [[ -x "$BIN/kustomize" ]] && "$BIN/kustomize" version 2>/dev/null | grep -q "$KUSTOMIZE_VERSION"; then
  exit 0
fi
GO=$(command -v go || true)
[[ -z "$GO" && -x /usr/local/go/bin/go ]] && GO=/usr/local/go/bin/go
if [[ -z "$GO" ]]; then
  echo "install_tools: no Go toolchain: kustomize not installed, the manifest tests will skip" >&2
  exit 0
fi
mkdir -p "$BIN"
echo "install_tools: go install kustomize $KUSTOMIZE_VERSION into $BIN" >&2
GOBIN="$BIN" "$GO" install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION"
