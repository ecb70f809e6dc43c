#!/usr/bin/env bash
# Starts Strand's interop server: interop/run-test-server.sh --port=N [--use_tls=true]
# Needs a build first (./mvnw -q install -DskipTests, or ./mvnw -q -pl interop package).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/src/build/java-env.sh"
exec "$JAVA" $STRAND_INTEROP_JAVA_OPTS -cp "$STRAND_INTEROP_CP" \
  -Dstrand.interop.certs="$here/target/certs" dev.strand.interop.InteropServer "$@"
