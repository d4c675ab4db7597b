#!/usr/bin/env bash
# `npm run bench`: benchmarks on isolated stores, printing ratios measured in one run.
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
npx tsc -b tsconfig.json
LOG_LEVEL=silent node infra/bench/dist/run.js "$@"
