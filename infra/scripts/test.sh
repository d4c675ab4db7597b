#!/usr/bin/env bash
# `make test`: everything from a fresh clone — dependencies, isolated stores, type-check,
# composition check and every jest project. Extra arguments go to jest.
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/scripts/lib.sh

FERRET_PID= REDIS_PID= TMP=$(mktemp -d)
cleanup() {
  [ -n "$FERRET_PID" ] && kill "$FERRET_PID" 2>/dev/null || true
  [ -n "$REDIS_PID" ] && kill "$REDIS_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT

ensure_node_modules
if [ -z "${MONGO_URL:-}" ]; then
  ensure_ferretdb
  port=$(free_port)
  start_ferretdb "$TMP/ferretdb" "$port" "$TMP/ferretdb.log"
  export MONGO_URL="mongodb://127.0.0.1:$port/"
fi
ensure_redis "$TMP/redis"
ensure_chromium
say "stores: MONGO_URL=$MONGO_URL REDIS_URL=$REDIS_URL"

say "type-check and build"
npx tsc -b tsconfig.json
npx tsc -p tsconfig.test.json

say "jest (composition check, unit, integration, contract)"
npx jest --maxWorkers=2 "$@"
