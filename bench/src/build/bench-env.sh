# Sourced by bench/*.sh: finds the JDKs under /usr/lib/jvm (or $JAVA_HOME), builds the bench
# module if needed and sets BENCH_CP (this module's runtime classpath) and GRPC_BENCHMARKS_CP.
# Needs: bench_dir, root_dir.

# JDK_BY_FEATURE[17]=/usr/lib/jvm/.../bin/java, one per feature version, from each JDK's
# 'release' file (no JVM started). Symlinked duplicates collapse to one.
declare -A JDK_BY_FEATURE=()
find_jdks() {
  local d real feature
  declare -A seen=()
  for d in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [[ -n $d && -x $d/bin/java && -f $d/release ]] || continue
    real=$(readlink -f "$d")
    [[ -n ${seen[$real]:-} ]] && continue
    seen[$real]=1
    feature=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$real/release")
    [[ -n $feature && -z ${JDK_BY_FEATURE[$feature]:-} ]] && JDK_BY_FEATURE[$feature]=$real/bin/java
  done
  if [[ ${#JDK_BY_FEATURE[@]} == 0 ]] && command -v java >/dev/null; then
    real=$(readlink -f "$(command -v java)")
    feature=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/.*java.specification.version = \([0-9]*\).*/\1/p')
    JDK_BY_FEATURE[${feature:-17}]=$real
  fi
  [[ ${#JDK_BY_FEATURE[@]} -gt 0 ]] || { echo "no JDK found under /usr/lib/jvm" >&2; return 1; }
}

# The newest JDK found, or the one asked for with BENCH_JDK=17|25.
main_jdk_feature() {
  if [[ -n ${BENCH_JDK:-} ]]; then
    [[ -n ${JDK_BY_FEATURE[$BENCH_JDK]:-} ]] || { echo "no JDK $BENCH_JDK under /usr/lib/jvm" >&2; return 1; }
    echo "$BENCH_JDK"
  else
    printf '%s\n' "${!JDK_BY_FEATURE[@]}" | sort -n | tail -1
  fi
}

# Builds bench offline against ~/.m2 (online if something is missing there).
build_bench() {
  local java_home
  java_home=$(dirname "$(dirname "${JDK_BY_FEATURE[$(main_jdk_feature)]}")")
  echo "building bench (./mvnw -q -o -B -pl bench package)..." >&2
  if ! (cd "$root_dir" && JAVA_HOME=$java_home ./mvnw -q -o -B -pl bench package -DskipTests); then
    echo "offline build failed; trying online (resolves grpc-benchmarks and JMH into ~/.m2)" >&2
    (cd "$root_dir" && JAVA_HOME=$java_home ./mvnw -q -B -pl bench package -DskipTests)
  fi
  touch "$bench_dir/target/.bench-built"
}

# True if the module is built and nothing it is made of changed since: its sources, its poms,
# or the Strand jars it compiles against (including core's package-private classes).
bench_up_to_date() {
  local t=$bench_dir/target stamp=$bench_dir/target/.bench-built
  [[ -s $t/bench.classpath && -f $stamp ]] || return 1
  local newer
  newer=$(find "$bench_dir/src" "$bench_dir/pom.xml" "$bench_dir/grpc-java-peer/pom.xml" \
    -newer "$stamp" -type f -print -quit 2>/dev/null)
  [[ -z $newer ]] || return 1
  local jar
  for jar in $(tr ':' '\n' < "$t/bench.classpath" | grep '/dev/strand/'); do
    [[ $jar -nt $stamp ]] && return 1
  done
  return 0
}

load_classpaths() {
  local t=$bench_dir/target
  if [[ ! -s $t/bench.classpath || ! -d $t/classes/dev/strand/bench ]]; then
    build_bench
  fi
  BENCH_CP=$t/classes:$(cat "$t/bench.classpath")
  GRPC_BENCHMARKS_CP=$(cat "$t/grpc-benchmarks.classpath" 2>/dev/null || true)
}

# JVM flags every benchmark JVM gets (the harness adds the same ones itself).
jvm_flags() {
  local feature=$1
  local flags=(-Xmx1g -XX:+UseG1GC)
  (( feature >= 24 )) && flags+=(--sun-misc-unsafe-memory-access=allow)
  (( feature >= 22 )) && flags+=(--enable-native-access=ALL-UNNAMED)
  echo "${flags[@]}"
}
