#!/usr/bin/env bash
# REST vs gRPC on one service (docs/REST-VS-GRPC.md): Strand serving gRPC, transcoded REST/JSON
# over HTTP/1.1 and HTTP/2 and Connect (JSON and protobuf) on one port, against Armeria's
# transcoding and a plain Javalin + Jackson REST server, measured in the same run:
#
#   bench/run-rest-vs-grpc.sh            full run, about 8 minutes (3 rounds; an estimate)
#   bench/run-rest-vs-grpc.sh --quick    one round, short durations, about 2 minutes
#   bench/run-rest-vs-grpc.sh --smoke    every path once, under a minute; fails only if broken
#
# Options: --publish (copies results.md, raw.tsv and the PNGs to docs/rest-vs-grpc/), --no-build,
# --profile (Strand's server records target/rest-vs-grpc/strand.jfr),
# --rounds=N --duration=S --warmup=S --jit_warmup=S --bytes_calls=N --updates=N.
# BENCH_JDK=17 runs the servers on JDK 17 instead of the newest JDK under /usr/lib/jvm.
#
# Writes bench/target/rest-vs-grpc/{results.md,raw.tsv,*.png,logs/} and prints results.md.
# Needs h2load (Debian's nghttp2-client, installed if missing) and curl.
set -euo pipefail
bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root_dir=$(cd "$bench_dir/.." && pwd)
mode=full build=1 publish=0 pass=()
for arg in "$@"; do
  case $arg in
    --quick) mode=quick ;;
    --smoke) mode=smoke ;;
    --full) mode=full ;;
    --publish) publish=1 ;;
    --no-build) build=0 ;;
    --profile) pass+=(--profile) ;;
    --rounds=*|--duration=*|--warmup=*|--jit_warmup=*|--bytes_calls=*|--updates=*) pass+=("$arg") ;;
    -h|--help) sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

source "$bench_dir/src/build/bench-env.sh"
find_jdks
feature=$(main_jdk_feature)
if (( build )) && ! bench_up_to_date; then
  build_bench
fi
load_classpaths

h2load=$(command -v h2load || true)
if [[ -z $h2load ]]; then
  echo "h2load is missing: installing Debian's nghttp2-client" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nghttp2-client) >&2
  h2load=$(command -v h2load)
fi
command -v curl >/dev/null || { echo "curl is needed to check every path once" >&2; exit 1; }
# 64 HTTP/1.1 connections per run, through the relay too.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

java=${JDK_BY_FEATURE[$feature]}
out=$bench_dir/target/rest-vs-grpc
rm -rf "$out"
mkdir -p "$out"
# shellcheck disable=SC2046
"$java" $(jvm_flags "$feature") -Djava.awt.headless=true -cp "$BENCH_CP" \
  dev.strand.bench.rest.RestVsGrpc --mode="$mode" --java="$java" \
  --jvm_flags="$(jvm_flags "$feature")" --java_version="$("$java" -version 2>&1 | head -1)" \
  --cp="$BENCH_CP" --h2load="$h2load" --clk_tck="$(getconf CLK_TCK 2>/dev/null || echo 100)" \
  --out="$out" "${pass[@]}"

if (( publish )); then
  docs=$root_dir/docs/rest-vs-grpc
  mkdir -p "$docs"
  cp "$out"/results.md "$out"/raw.tsv "$out"/*.png "$docs"/
  echo "published to docs/rest-vs-grpc/" >&2
fi
