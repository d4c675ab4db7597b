#!/usr/bin/env bash
# `make test`: everything from a fresh clone — dependencies, isolated stores, type-check,
# composition check and every jest project. Extra arguments go to jest.
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/scripts/lib.sh

ensure_node_modules
start_isolated_stores
ensure_chromium
ensure_promtool
say "stores: MONGO_URL=$MONGO_URL REDIS_URL=$REDIS_URL"

say "type-check and build"
npx tsc -b tsconfig.json
npx tsc -p tsconfig.test.json

say "jest (composition check, unit, integration, contract, browser, end to end)"
npx jest --maxWorkers=2 "$@"
