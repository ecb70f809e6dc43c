#!/usr/bin/env bash
# Writes grpc-benchmarks' runtime classpath (io.grpc:grpc-benchmarks and its whole tree) to a
# file, by running a nested Maven on grpc-java-peer/pom.xml. Called from bench/pom.xml.
# Usage: resolve-peer.sh MAVEN_HOME offline=(true|false) LOCAL_REPO PEER_POM VERSION OUT_FILE
set -euo pipefail
maven_home=$1 offline=${2#offline=} repo=$3 pom=$4 version=$5 out=$6

# Up to date: the file is newer than the peer pom and every jar in it still exists.
if [[ -s $out && $out -nt $pom ]] && grep -q "grpc-benchmarks-$version.jar" "$out"; then
  missing=0
  IFS=: read -r -a jars < "$out" || true  # no trailing newline: read says EOF
  for jar in "${jars[@]}"; do [[ -e $jar ]] || { missing=1; break; }; done
  [[ $missing == 0 ]] && exit 0
fi

args=(-B -q -f "$pom" validate "-Dmaven.repo.local=$repo" "-Dgrpc.benchmarks.version=$version"
      "-Dpeer.classpath.file=$out")
[[ $offline == true ]] && args=(-o "${args[@]}")
mvn="$maven_home/bin/mvn"
[[ -x $mvn ]] || mvn=mvn
"$mvn" "${args[@]}"
[[ -s $out ]] || { echo "resolve-peer: $out was not written" >&2; exit 1; }
