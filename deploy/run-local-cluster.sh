#!/usr/bin/env bash
# Starts N Jobcluster nodes on 127.0.0.1 against one PostgreSQL and waits; Ctrl-C stops them all.
# Node i serves HTTP on 8080+i, the cluster on 25520+i and metrics on 8558+i; node 0 is the seed.
# Logs (and per-node data) go to deploy/logs/.
# With JOBCLUSTER_LOCAL_CERTS=DIR, made by `deploy/tls/make-test-certs.sh DIR node-0 node-1 ...`, the
# cluster transport runs mutual TLS: node i uses DIR/node-i.p12 and every node DIR/truststore.p12.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
logs="$here/logs"
n="${1:-}"

if [[ ! "$n" =~ ^[1-9][0-9]?$ ]]; then
  echo "usage: $0 N   (number of nodes, 1-99)" >&2
  exit 2
fi

if [[ -z "${JOBCLUSTER_DB_URL:-}" ]]; then
  cat >&2 <<'TXT'
JOBCLUSTER_DB_URL is required: the nodes share one PostgreSQL database.
A throwaway one on port 5433 (PostgreSQL binaries under /usr/lib/postgresql/*/bin;
initdb refuses to run as root, hence the postgres user):

  pg=$(ls -d /usr/lib/postgresql/*/bin | tail -n 1)
  mkdir -p /tmp/jobcluster-pg && chown postgres /tmp/jobcluster-pg
  runuser -u postgres -- "$pg/initdb" -D /tmp/jobcluster-pg -U postgres --auth=trust
  runuser -u postgres -- "$pg/pg_ctl" -D /tmp/jobcluster-pg -l /tmp/jobcluster-pg/server.log \
      -o "-p 5433 -k /tmp -c listen_addresses=127.0.0.1" start
  runuser -u postgres -- "$pg/createdb" -h 127.0.0.1 -p 5433 -U postgres jobcluster

  export JOBCLUSTER_DB_URL=jdbc:postgresql://127.0.0.1:5433/jobcluster JOBCLUSTER_DB_USER=postgres
  (as a non-root user, run the same commands without "runuser -u postgres --")

Stop it later with: runuser -u postgres -- "$pg/pg_ctl" -D /tmp/jobcluster-pg stop
TXT
  exit 2
fi

# Build once here, not in N racing start-node.sh processes.
"$here/build-node-jar.sh" >/dev/null
mkdir -p "$logs"

pids=()
stop_all() {
  trap - INT TERM EXIT
  if ((${#pids[@]})); then
    echo "Stopping ${#pids[@]} node(s)..." >&2
    kill -TERM "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
}
trap stop_all EXIT
trap 'stop_all; exit 130' INT TERM

certs="${JOBCLUSTER_LOCAL_CERTS:-}"
if [[ -n "$certs" ]]; then
  certs="$(cd "$certs" && pwd)"
  for ((i = 0; i < n; i++)); do
    if [[ ! -f "$certs/node-$i.p12" ]]; then
      echo "$certs/node-$i.p12 is missing: run deploy/tls/make-test-certs.sh $certs$(printf ' node-%d' $(seq 0 $((n - 1))))" >&2
      exit 2
    fi
  done
fi

for ((i = 0; i < n; i++)); do
  tls=()
  if [[ -n "$certs" ]]; then
    # Paths only: the passwords stay in their files.
    tls=("JOBCLUSTER_CLUSTER_TLS_KEY_STORE=$certs/node-$i.p12" "JOBCLUSTER_CLUSTER_TLS_KEY_STORE_PASSWORD_FILE=$certs/node-$i.password"
      "JOBCLUSTER_CLUSTER_TLS_TRUST_STORE=$certs/truststore.p12" "JOBCLUSTER_CLUSTER_TLS_TRUST_STORE_PASSWORD_FILE=$certs/truststore.password")
  fi
  env "${tls[@]}" \
  JOBCLUSTER_HTTP_HOST=127.0.0.1 JOBCLUSTER_HTTP_PORT=$((8080 + i)) \
  JOBCLUSTER_CLUSTER_HOST=127.0.0.1 JOBCLUSTER_CLUSTER_PORT=$((25520 + i)) \
  JOBCLUSTER_MANAGEMENT_HOST=127.0.0.1 JOBCLUSTER_MANAGEMENT_PORT=$((8558 + i)) \
  JOBCLUSTER_SEED_NODES=127.0.0.1:25520 \
  JOBCLUSTER_DATA_DIR="$logs/node-$i-data" \
    "$here/start-node.sh" >"$logs/node-$i.log" 2>&1 &
  pids+=($!)
  echo "node-$i  http://127.0.0.1:$((8080 + i))  cluster 127.0.0.1:$((25520 + i))  metrics http://127.0.0.1:$((8558 + i))/metrics  log deploy/logs/node-$i.log"
done

# Report each node's ready line (or its early death) within a deadline; then just wait.
deadline=$((SECONDS + 180))
waiting=("${!pids[@]}")
while ((${#waiting[@]})) && ((SECONDS < deadline)); do
  still=()
  for i in "${waiting[@]}"; do
    if grep -q "Jobcluster node ready" "$logs/node-$i.log" 2>/dev/null; then
      echo "node-$i ready"
    elif ! kill -0 "${pids[$i]}" 2>/dev/null; then
      echo "node-$i exited before it was ready; last lines of deploy/logs/node-$i.log:" >&2
      tail -n 20 "$logs/node-$i.log" >&2
      exit 1
    else
      still+=("$i")
    fi
  done
  waiting=("${still[@]}")
  if ((${#waiting[@]})); then
    sleep 0.5
  fi
done
if ((${#waiting[@]})); then
  echo "not ready after 180 s: ${waiting[*]/#/node-}; see deploy/logs/" >&2
fi

echo "Running $n node(s). Ctrl-C stops them all."
# Returns when the first node exits; the EXIT trap then stops the rest.
wait -n "${pids[@]}" || true
echo "A node exited; stopping the others." >&2
