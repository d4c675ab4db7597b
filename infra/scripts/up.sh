#!/usr/bin/env bash
# `make up`: the whole system on this machine with demo data. Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/scripts/lib.sh

DATA=.data
LOGS=$DATA/logs
mkdir -p "$LOGS"
PIDS=()
FERRET_PID= REDIS_PID=

stop_all() {
  trap - INT TERM EXIT
  echo
  say "stopping"
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 50); do
    alive=0
    for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.2
  done
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  [ -n "$FERRET_PID" ] && kill "$FERRET_PID" 2>/dev/null || true
  [ -n "$REDIS_PID" ] && kill "$REDIS_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  say "stopped"
}
trap stop_all INT TERM EXIT

ensure_node_modules

say "build and compose"
npx tsc -b tsconfig.json
node gateway/dist/compose/write-supergraph.js >/dev/null

if [ -z "${MONGO_URL:-}" ]; then
  ensure_ferretdb
  port=${FERRETDB_PORT:-27117}
  redis_answers 127.0.0.1 "$port" && die "port $port is taken (another 'make up'?): stop it or set FERRETDB_PORT"
  start_ferretdb "$DATA/ferretdb" "$port" "$LOGS/ferretdb.log"
  export MONGO_URL="mongodb://127.0.0.1:$port/"
fi
ensure_redis "$DATA/redis"

export NODE_ENV=${NODE_ENV:-development}
export LOG_LEVEL=${LOG_LEVEL:-info}
# Redis state (queues, clock, locks) belongs with the store data: a fresh .data/ gets a fresh
# key prefix, so old jobs or a moved test clock in a shared Redis never meet an empty store.
[ -f "$DATA/redis-prefix" ] || echo "csp-$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')" > "$DATA/redis-prefix"
export REDIS_PREFIX=${REDIS_PREFIX:-$(cat "$DATA/redis-prefix")}
export TEST_CLOCK=${TEST_CLOCK:-enabled}
export OPERATOR_EMAIL=${OPERATOR_EMAIL:-operator@vendor.example}
export OPERATOR_PASSWORD=${OPERATOR_PASSWORD:-operator-password-change-me}
export JWKS_URL=${JWKS_URL:-http://127.0.0.1:4001/.well-known/jwks.json}
GATEWAY_PORT=${GATEWAY_PORT:-4000}

# start NAME ENTRY PORT: one process, its log in .data/logs/NAME.log
start() {
  local name=$1 entry=$2 port=$3
  wait_port 127.0.0.1 "$port" 0 2>/dev/null && die "port $port for $name is taken (another 'make up'?)"
  PORT=$port node "$entry" >>"$LOGS/$name.log" 2>&1 &
  PIDS+=($!)
}
ready() { # NAME PORT
  local deadline=$((SECONDS + 60))
  until curl -fsS "http://127.0.0.1:$2/ready" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || die "$1 did not become ready (log: $LOGS/$1.log)"
    sleep 0.3
  done
}

say "starting services (logs in $LOGS/)"
start identity services/identity/dist/index.js 4001
ready identity 4001
start catalog services/catalog/dist/index.js 4002
start subscription services/subscription/dist/index.js 4003
start access-control services/access-control/dist/index.js 4004
start billing services/billing/dist/index.js 4005
# Workers: separate processes so ops can scale them apart from the HTTP services.
for w in services/*/dist/worker.js; do
  [ -f "$w" ] || continue
  svc=$(basename "$(dirname "$(dirname "$w")")")
  case $svc in subscription) wport=4013 ;; billing) wport=4015 ;; access-control) wport=4014 ;; *) wport=4019 ;; esac
  start "$svc-worker" "$w" $wport
done
for p in 4002:catalog 4003:subscription 4004:access-control 4005:billing; do ready "${p#*:}" "${p%%:*}"; done
IDENTITY_URL=http://127.0.0.1:4001/graphql start gateway gateway/dist/index.js "$GATEWAY_PORT"
ready gateway "$GATEWAY_PORT"

say "loading demo data"
GATEWAY_URL="http://127.0.0.1:$GATEWAY_PORT/graphql" node gateway/dist/demo/seed.js | tee "$LOGS/demo-seed.log"

cat <<EOT

  CSP Commerce Graph is up.
    graph      http://127.0.0.1:$GATEWAY_PORT/graphql
    explorer   http://127.0.0.1:$GATEWAY_PORT/explorer
    jobs       http://127.0.0.1:$GATEWAY_PORT/admin/queues   (operator sign-in)
    operator   $OPERATOR_EMAIL / $OPERATOR_PASSWORD
    demo users see $LOGS/demo-seed.log (printed above)
    health     /health /ready /metrics on ports $GATEWAY_PORT, 4001-4005 and the workers

  Ctrl-C stops every process started here.
EOT
wait -n "${PIDS[@]}" || true
say "a process exited; see $LOGS/"
