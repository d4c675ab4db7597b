#!/usr/bin/env bash
# `make up`: the whole system on this machine with demo data. Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/scripts/lib.sh

# CSP_DATA_DIR and PORT_BASE let a test (or a second checkout) run its own `make up` beside another.
DATA=${CSP_DATA_DIR:-.data}
LOGS=$DATA/logs
BASE=${PORT_BASE:-4000}
P_GATEWAY=${GATEWAY_PORT:-$BASE} P_IDENTITY=$((BASE + 1)) P_CATALOG=$((BASE + 2)) P_SUBSCRIPTION=$((BASE + 3))
P_ACCESS=$((BASE + 4)) P_BILLING=$((BASE + 5))
P_SUPPORT=$((BASE + 6))
# The local store follows PORT_BASE too (4000 → 4017), so two `make up`s never share one.
P_STORE=${FERRETDB_PORT:-$((BASE + 17))}
# REPLICAS="access-control=2 subscription=2": those subgraphs run as that many processes, behind a
# round-robin balancer on their usual port (as a cluster runs them; what read-your-writes survives).
declare -A REPLICA_COUNT=()
for r in ${REPLICAS:-}; do
  name=${r%%=*} n=${r#*=}
  case $name in catalog | subscription | access-control | billing | support) ;;
  *) die "REPLICAS: '$name' cannot run as replicas (catalog, subscription, access-control, billing and support can)" ;;
  esac
  [[ $n =~ ^[1-8]$ ]] || die "REPLICAS: '$r' needs a count from 1 to 8, as in access-control=2"
  REPLICA_COUNT[$name]=$n
done
REPLICA_PORTS=()
mkdir -p "$LOGS"
PIDS=()
FERRET_PID= REDIS_PID=
STOP_FLAG=$DATA/.stopping
rm -f "$STOP_FLAG"

# A clash is one clear line, before anything is built or started.
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in $P_GATEWAY:gateway $P_IDENTITY:identity $P_CATALOG:catalog $P_SUBSCRIPTION:subscription $P_ACCESS:access-control $P_BILLING:billing $P_SUPPORT:support \
  $((BASE + 13)):subscription-worker $((BASE + 15)):billing-worker; do
  port_taken "${p%%:*}" && die "port ${p%%:*} for ${p#*:} is taken (another 'make up'? set PORT_BASE)"
done
[ -z "${MONGO_URL:-}" ] && port_taken "$P_STORE" && die "port $P_STORE for the local store is taken (another 'make up'? set PORT_BASE or FERRETDB_PORT)"

stop_all() {
  trap - INT TERM EXIT
  echo
  say "stopping"
  touch "$STOP_FLAG"
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
  pg_stop_own
  say "stopped"
}
trap stop_all INT TERM EXIT

ensure_node_modules

say "build and compose"
npx tsc -b tsconfig.json
npm run --silent compose >/dev/null

if [ -z "${MONGO_URL:-}" ]; then
  ensure_ferretdb
  start_ferretdb "$DATA/ferretdb" "$P_STORE" "$LOGS/ferretdb.log"
  export MONGO_URL="mongodb://127.0.0.1:$P_STORE/"
else
  say "store: MONGO_URL=$MONGO_URL (given)"
fi
ensure_redis "$DATA/redis"

export NODE_ENV=${NODE_ENV:-development}
export LOG_LEVEL=${LOG_LEVEL:-info}
# Redis state (queues, clock, locks) belongs with the store data: a fresh .data/ gets a fresh
# key prefix, so old jobs or a moved test clock in a shared Redis never meet an empty store.
[ -f "$DATA/redis-prefix" ] || echo "csp-$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')" > "$DATA/redis-prefix"
export REDIS_PREFIX=${REDIS_PREFIX:-$(cat "$DATA/redis-prefix")}
export TEST_CLOCK=${TEST_CLOCK:-enabled}
# The gateway signs every subgraph fetch with it; subgraphs refuse unsigned requests. One per .data/.
[ -f "$DATA/internal-secret" ] || od -An -N32 -tx1 /dev/urandom | tr -d ' \n' > "$DATA/internal-secret"
export INTERNAL_SECRET=${INTERNAL_SECRET:-$(cat "$DATA/internal-secret")}
export OPERATOR_EMAIL=${OPERATOR_EMAIL:-operator@vendor.example}
export OPERATOR_PASSWORD=${OPERATOR_PASSWORD:-operator-password-change-me}
export JWKS_URL=${JWKS_URL:-http://127.0.0.1:$P_IDENTITY/.well-known/jwks.json}
# subscription, its worker and billing ask access-control (decisions; is OWNER in force) at its base URL.
export ACCESS_CONTROL_URL=http://127.0.0.1:$P_ACCESS

# start NAME ENTRY PORT [VAR=value…]: one supervised process, its log in $DATA/logs/NAME.log.
# As compose or k8s would: a process that dies alone is restarted with backoff (1 s doubling to
# 16 s, back to 1 s after 30 s up) and logged; the others keep serving.
start() {
  local name=$1 entry=$2 port=$3
  shift 3
  port_taken "$port" && die "port $port for $name is taken (another 'make up'? set PORT_BASE)"
  (
    set +e
    child=
    trap '[ -n "$child" ] && kill -TERM "$child" 2>/dev/null; wait "$child" 2>/dev/null; exit 0' TERM INT
    backoff=1
    while :; do
      began=$SECONDS
      env PORT="$port" "$@" node "$entry" >>"$LOGS/$name.log" 2>&1 &
      child=$!
      wait "$child"
      code=$?
      [ -e "$STOP_FLAG" ] && exit 0
      [ $((SECONDS - began)) -ge 30 ] && backoff=1
      say "$name exited (status $code); restarting it in ${backoff}s (log: $LOGS/$name.log)" >&2
      printf '{"level":40,"service":"make-up","msg":"%s exited with status %s; restarting in %ss"}\n' "$name" "$code" "$backoff" >>"$LOGS/$name.log"
      sleep "$backoff" &
      wait $!
      backoff=$((backoff * 2 > 16 ? 16 : backoff * 2))
    done
  ) &
  PIDS+=($!)
}
# start_subgraph NAME ENTRY PORT SLOT: one process on PORT, or REPLICAS' count of them on
# base+20+10×SLOT+i with the balancer on PORT.
start_subgraph() {
  local name=$1 entry=$2 port=$3 slot=$4 n=${REPLICA_COUNT[$1]:-1} targets= i rport
  if [ "$n" = 1 ]; then
    start "$name" "$entry" "$port"
    return
  fi
  for i in $(seq 1 "$n"); do
    rport=$((BASE + 20 + slot * 10 + i))
    start "$name-$i" "$entry" "$rport"
    targets+="${targets:+,}http://127.0.0.1:$rport"
    REPLICA_PORTS+=("$rport:$name-$i")
  done
  start "$name-balancer" packages/testkit/dist/round-robin-cli.js "$port" TARGETS="$targets"
}
ready() { # NAME PORT
  local deadline=$((SECONDS + 60))
  until curl -fsS "http://127.0.0.1:$2/ready" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || die "$1 did not become ready (log: $LOGS/$1.log)"
    sleep 0.3
  done
}

say "starting services (logs in $LOGS/)"
start identity services/identity/dist/index.js $P_IDENTITY
ready identity $P_IDENTITY
start_subgraph catalog services/catalog/dist/index.js $P_CATALOG 0
start_subgraph subscription services/subscription/dist/index.js $P_SUBSCRIPTION 1
start_subgraph access-control services/access-control/dist/index.js $P_ACCESS 2
start_subgraph billing services/billing/dist/index.js $P_BILLING 3
start_subgraph support services/support/dist/index.js $P_SUPPORT 4
# Workers: separate processes so ops can scale them apart from the HTTP services.
for w in services/*/dist/worker.js; do
  [ -f "$w" ] || continue
  svc=$(basename "$(dirname "$(dirname "$w")")")
  case $svc in subscription) wport=$((BASE + 13)) ;; billing) wport=$((BASE + 15)) ;; access-control) wport=$((BASE + 14)) ;; *) wport=$((BASE + 19)) ;; esac
  start "$svc-worker" "$w" $wport
done
for p in $P_CATALOG:catalog $P_SUBSCRIPTION:subscription $P_ACCESS:access-control $P_BILLING:billing $P_SUPPORT:support "${REPLICA_PORTS[@]}"; do ready "${p#*:}" "${p%%:*}"; done
start gateway gateway/dist/index.js "$P_GATEWAY" \
  IDENTITY_URL=http://127.0.0.1:$P_IDENTITY/graphql CATALOG_URL=http://127.0.0.1:$P_CATALOG/graphql \
  SUBSCRIPTION_URL=http://127.0.0.1:$P_SUBSCRIPTION/graphql ACCESS_CONTROL_URL=http://127.0.0.1:$P_ACCESS/graphql \
  BILLING_URL=http://127.0.0.1:$P_BILLING/graphql SUPPORT_URL=http://127.0.0.1:$P_SUPPORT/graphql
ready gateway "$P_GATEWAY"

say "loading demo data"
GATEWAY_URL="http://127.0.0.1:$P_GATEWAY/graphql" node packages/fixtures/dist/demo-seed.js | tee "$LOGS/demo-seed.log"

cat <<EOT

  CSP Commerce Graph is up.
    graph      http://127.0.0.1:$P_GATEWAY/graphql
    explorer   http://127.0.0.1:$P_GATEWAY/explorer
    jobs       http://127.0.0.1:$P_GATEWAY/admin/queues   (operator sign-in)
    operator   $OPERATOR_EMAIL / $OPERATOR_PASSWORD
    demo users see $LOGS/demo-seed.log (printed above)
    health     /health /ready /metrics on ports $P_GATEWAY-$P_SUPPORT and the workers ($((BASE + 13)), $((BASE + 15)))${REPLICAS:+
    replicas   $REPLICAS behind round-robin balancers on their usual ports (replicas on ${REPLICA_PORTS[*]})}

  Ctrl-C stops every process started here.
EOT
# Supervisors never return: wait until Ctrl-C (the trap stops everything).
wait || true
