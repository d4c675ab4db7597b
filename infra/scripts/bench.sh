#!/usr/bin/env bash
# `npm run bench`: benchmarks on isolated stores, printing ratios measured in one run.
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/scripts/lib.sh

ensure_node_modules
start_isolated_stores
npx tsc -b tsconfig.json
LOG_LEVEL=silent node infra/bench/dist/run.js "$@"
