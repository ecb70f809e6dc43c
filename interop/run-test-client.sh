#!/usr/bin/env bash
# Runs Strand's interop client with gRPC's standard flags, e.g.
#   interop/run-test-client.sh --server_host=localhost --server_port=8080 --test_case=all \
#     [--use_tls=true --use_test_ca=true --server_host_override=foo.test.google.fr]
# Needs a build first (./mvnw -q install -DskipTests, or ./mvnw -q -pl interop package).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/src/build/java-env.sh"
exec "$JAVA" $STRAND_INTEROP_JAVA_OPTS -cp "$STRAND_INTEROP_CP" \
  -Dstrand.interop.certs="$here/target/certs" dev.strand.interop.InteropClient "$@"
