#!/usr/bin/env bash
# The benchmark in one command, from a clean clone: builds the node jar and the bench, then runs
# every scenario against a throwaway PostgreSQL and writes docs/PERFORMANCE.md, its plots and raw
# numbers (docs/performance/). Options: --quick (tiny sizes), --only a,c,... (scenarios), --out DIR.
# Needs JDK 17, Maven and the PostgreSQL server binaries (apt-get install postgresql).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

mvn -B -q -pl bench -am package -DskipTests -Djacoco.skip=true

exec java -Djava.awt.headless=true \
  -Djobcluster.node.jar=cluster-node/target/jobcluster-node.jar \
  -Djobcluster.bench.classpath.file=bench/target/bench-classpath.txt \
  -Djobcluster.bench.classes=bench/target/classes \
  -cp "bench/target/classes:$(cat bench/target/bench-classpath.txt)" \
  io.jobcluster.bench.Bench "$@"
