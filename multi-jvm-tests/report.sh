#!/usr/bin/env bash
# The chaos suite's reliability report in one command, from a clean clone: builds the node jar,
# runs every chaos scenario (a-j, about 24 minutes on two cores; the soak stays out) against real
# node JVMs and a throwaway PostgreSQL, and writes docs/RELIABILITY.md from their rows. Run it on a
# quiet machine. Options: --only 'KillNodeUnderLoadChaosTest,...' (classes, comma-separated).
# Needs JDK 17, Maven and the PostgreSQL server binaries (apt-get install postgresql); scenarios h and
# i (nodes in network namespaces) need root and nftables (apt-get install nftables), and are skipped
# without root.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

tests='*ChaosTest'
if [[ "${1:-}" == "--only" ]]; then
  tests="${2:?--only needs a comma-separated list of test classes}"
fi

rows=multi-jvm-tests/target/reliability-report
rm -rf "$rows"
status=0
mvn -B -pl multi-jvm-tests -am verify -Dtest="$tests" -Dsurefire.failIfNoSpecifiedTests=false -Djacoco.skip=true || status=$?

if [[ -f multi-jvm-tests/target/reliability-report.md ]]; then
  cp multi-jvm-tests/target/reliability-report.md docs/RELIABILITY.md
  echo "report: docs/RELIABILITY.md (scenarios run: $(ls "$rows" | wc -l); build status $status)"
else
  echo "no scenario wrote a row; docs/RELIABILITY.md left as it was" >&2
fi
exit "$status"
