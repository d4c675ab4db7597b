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

# FAKE_SYSTEM_DATE=2027-01-01T00:00:05Z runs the whole jest run with the system date faked there.
if [ -n "${FAKE_SYSTEM_DATE:-}" ]; then
  ensure_faketime
  say "jest with the system date faked to $FAKE_SYSTEM_DATE"
  faked_date_run "$FAKE_SYSTEM_DATE" npx jest --maxWorkers=2 "$@"
  exit 0
fi

say "jest (composition check, unit, integration, contract, browser, end to end)"
npx jest --maxWorkers=2 "$@"

# The calendar guard: the date-sensitive projects again, with the system date faked to an
# instant that stresses calendars: the last seconds of a month and a year, crossed while the run
# goes. Tests pin the platform clock, and any real date is years away from it, so code that reads
# the real date where it should not fails at any faked instant; crossing the boundary mid-run
# also catches code that reads it twice. CALENDAR_GUARD_AT adds instants (e.g. a leap day,
# 2028-02-29T12:00:00Z). Crash and replica tests, which spawn processes to kill them and test no
# dates, are left out. Skipped when jest was given arguments (a focused run) or with CALENDAR_GUARD=off.
if [ $# -eq 0 ] && [ "${CALENDAR_GUARD:-on}" != off ]; then
  ensure_faketime
  for at in 2026-12-31T23:59:30Z ${CALENDAR_GUARD_AT:-}; do
    say "calendar guard: system date faked to $at"
    faked_date_run "$at" npx jest --maxWorkers=2 \
      'services/(billing|subscription|identity|access-control)/test/' 'gateway/test/(e2e|clock|jobs)\.test' \
      --testPathIgnorePatterns '(crash|worker-processes|replicas)'
  done
fi
