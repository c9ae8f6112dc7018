#!/usr/bin/env bash
# What `make k8s-apiserver-check` runs against: a real etcd and kube-apiserver (built from the
# Go module proxy by the wrapper modules beside this script, cached in .baton/k8s/bin) and the
# CustomResourceDefinitions of KEDA and the Prometheus Operator (from their pinned Go modules'
# sources, in .baton/k8s/crds). A cold build takes about 20 minutes on 2 cores; later runs
# reuse the binaries.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
OUT="$ROOT/.baton/k8s"
KEDA=github.com/kedacore/keda/v2@v2.18.3
PROMETHEUS_OPERATOR=github.com/prometheus-operator/prometheus-operator@v0.85.0
GO=$(command -v go || echo /usr/local/go/bin/go)
mkdir -p "$OUT/bin" "$OUT/crds"

build() {  # name: a wrapper module under deploy/k8s/apiserver
  local name=$1 stamp="$OUT/bin/$1.sum"
  if [[ -x "$OUT/bin/$name" ]] && cmp -s "$HERE/$name/go.sum" "$stamp"; then
    return
  fi
  echo "k8s-apiserver: building $name (Go module proxy; minutes on a cold cache)" >&2
  (cd "$HERE/$name" && "$GO" build -trimpath -o "$OUT/bin/$name" .)
  cp "$HERE/$name/go.sum" "$stamp"
}
build etcd
build kube-apiserver

crds_from() {  # module@version, folder inside it, file...
  local module=$1 folder=$2 dir
  shift 2
  dir=$(cd "$HERE/etcd" && "$GO" mod download -json "$module" | sed -n 's/.*"Dir": "\(.*\)",/\1/p')
  for file in "$@"; do
    cp "$dir/$folder/$file" "$OUT/crds/$file"
    chmod 644 "$OUT/crds/$file"
  done
}
crds_from "$KEDA" config/crd/bases keda.sh_scaledobjects.yaml keda.sh_triggerauthentications.yaml
crds_from "$PROMETHEUS_OPERATOR" example/prometheus-operator-crd \
  monitoring.coreos.com_servicemonitors.yaml
