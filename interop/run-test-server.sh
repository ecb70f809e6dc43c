#!/usr/bin/env bash
# Starts Strand's interop server: interop/run-test-server.sh --port=N [--use_tls=true] [--web=true]
# Needs a build first (./mvnw -q install -DskipTests, or ./mvnw -q -pl interop package).
# --web=true also serves gRPC-Web and Connect on the port: it needs strand-web built too
# (./mvnw -q -pl web -am package -DskipTests), whose classes this puts on the class path.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/src/build/java-env.sh"
cp=$STRAND_INTEROP_CP
for arg in "$@"; do
  if [[ $arg == --web=true ]]; then
    web="$here/../web/target"
    if [[ ! -d $web/classes/dev/strand/web || ! -f $web/web.classpath ]]; then
      echo "--web=true needs strand-web built: ./mvnw -q -pl web -am package -DskipTests" >&2
      exit 1
    fi
    cp="$cp:$web/classes:$(cat "$web/web.classpath")"
  fi
done
exec "$JAVA" $STRAND_INTEROP_JAVA_OPTS -cp "$cp" \
  -Dstrand.interop.certs="$here/target/certs" dev.strand.interop.InteropServer "$@"
