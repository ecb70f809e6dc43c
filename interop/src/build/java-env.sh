# Sourced by the interop scripts: finds java and the built classpaths. Sets JAVA,
# STRAND_INTEROP_CP, and (when it exists) GRPC_JAVA_INTEROP_CP.
interop_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then
  JAVA=$JAVA_HOME/bin/java
else
  JAVA=$(command -v java || true)
fi
if [[ -z $JAVA ]]; then
  echo "java not found: set JAVA_HOME or put java on PATH" >&2
  exit 1
fi
if [[ ! -d $interop_dir/target/classes/dev/strand/interop || ! -f $interop_dir/target/interop.classpath ]]; then
  echo "interop is not built: run ./mvnw -q -pl interop package (or ./mvnw -q install -DskipTests)" >&2
  exit 1
fi
STRAND_INTEROP_CP="$interop_dir/target/classes:$(cat "$interop_dir/target/interop.classpath")"
GRPC_JAVA_INTEROP_CP=
if [[ -f $interop_dir/target/grpc-java-interop.classpath ]]; then
  GRPC_JAVA_INTEROP_CP=$(cat "$interop_dir/target/grpc-java-interop.classpath")
fi
# Small heaps start fast; very_large_request needs room for a few 10 MiB messages.
STRAND_INTEROP_JAVA_OPTS=${STRAND_INTEROP_JAVA_OPTS:--Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}
