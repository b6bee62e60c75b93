#!/usr/bin/env bash
# Starts one Jobcluster node in the foreground, building its jar first if needed.
# Configure it with JOBCLUSTER_* environment variables (see docs/CONFIGURATION.md); JAVA_OPTS adds JVM
# options, for example JAVA_OPTS="-Xmx1g -Dpekko.loglevel=DEBUG". Works from any directory.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
jar="$("$here/build-node-jar.sh")"

# The embedded database lives in <repo>/data unless told otherwise, whatever the cwd.
export JOBCLUSTER_DATA_DIR="${JOBCLUSTER_DATA_DIR:-$root/data}"

# exec: the JVM replaces this shell, so SIGTERM and Ctrl-C reach it directly.
# JAVA_OPTS is split into words on purpose: it holds several options.
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -jar "$jar" "$@"
