#!/usr/bin/env bash
# Builds cluster-node/target/jobcluster-node.jar when it is missing or older than any source
# or pom that goes into it; otherwise does nothing. Prints the jar's path.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/cluster-node/target/jobcluster-node.jar"

stale() {
  [[ ! -f "$jar" ]] && return 0
  # The modules the node jar is made of; target/ folders hold build output, not sources.
  local newer
  newer="$(find "$root/pom.xml" "$root/protocol" "$root/persistence" "$root/cluster-node" \
    -name target -prune -o -type f -newer "$jar" -print -quit)"
  [[ -n "$newer" ]]
}

if stale; then
  echo "Building the node jar: mvn -B -q -DskipTests -pl cluster-node -am package" >&2
  # Maven's output goes to stderr: stdout carries only the jar's path.
  (cd "$root" && mvn -B -q -DskipTests -pl cluster-node -am package) >&2
fi
echo "$jar"
