#!/usr/bin/env bash
# Strand against grpc-java 1.85.1, side by side on this machine:
#
#   bench/run-side-by-side.sh            full run, about 20 minutes
#   bench/run-side-by-side.sh --quick    every table once, short durations, about 6 minutes
#   bench/run-side-by-side.sh --smoke    every path once, under a minute; fails only if broken
#
# Options: --profile (adds JFR profiles of both servers and clients), --sections=main,h2load,...
# (main, h2load, rss, flavours, asyncclient, jmh, lb, profile), --jit_warmup=S --warmup=S
# --duration=S --rounds=N --flavour_rounds=N --idle_connections=N, --no-build (else it builds
# bench when its sources or the Strand jars changed). BENCH_JDK=17 runs the side-by-side tables
# on JDK 17 instead of the newest JDK found under /usr/lib/jvm. See docs/BENCHMARKS.md.
#
# Same JDK and JVM flags for both stacks, separate JVMs, A B A B rounds, medians and ratios.
# Writes bench/target/side-by-side/{results.md,raw.tsv,logs/,*.jfr} and prints results.md.
# Full and quick runs install h2load (Debian's nghttp2-client) if it is missing.
set -euo pipefail
bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root_dir=$(cd "$bench_dir/.." && pwd)
mode=full build=1 profile=0 pass=()
for arg in "$@"; do
  case $arg in
    --quick) mode=quick ;;
    --smoke) mode=smoke ;;
    --full) mode=full ;;
    --profile) profile=1 ;;
    --no-build) build=0 ;;
    --sections=*|--jit_warmup=*|--warmup=*|--duration=*|--rounds=*|--flavour_rounds=*|--idle_connections=*) pass+=("$arg") ;;
    -h|--help) sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done
if (( profile )); then
  has_sections=0
  for a in "${pass[@]}"; do [[ $a == --sections=* ]] && has_sections=1; done
  if (( has_sections )); then
    for i in "${!pass[@]}"; do
      [[ ${pass[$i]} == --sections=* ]] && pass[$i]="${pass[$i]},profile"
    done
  else
    pass+=(--sections=main,h2load,rss,flavours,asyncclient,jmh,profile)
  fi
fi

source "$bench_dir/src/build/bench-env.sh"
find_jdks
feature=$(main_jdk_feature)
if (( build )) && ! bench_up_to_date; then
  build_bench
fi
load_classpaths

h2load=$(command -v h2load || true)
if [[ -z $h2load && $mode != smoke ]]; then
  echo "h2load is missing: installing Debian's nghttp2-client" >&2
  if (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nghttp2-client) >&2; then
    h2load=$(command -v h2load || true)
  else
    echo "could not install nghttp2-client; the h2load section will be reported as failed" >&2
  fi
fi

# 1,000 idle connections need file descriptors on both ends.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

jdk_args=()
for f in "${!JDK_BY_FEATURE[@]}"; do
  case $f in 17|21|25) jdk_args+=("--jdk.$f=${JDK_BY_FEATURE[$f]}") ;; esac
done
out=$bench_dir/target/side-by-side
rm -rf "$out"
mkdir -p "$out"
# shellcheck disable=SC2046
exec "${JDK_BY_FEATURE[$feature]}" $(jvm_flags "$feature") -cp "$BENCH_CP" \
  dev.strand.bench.SideBySide --mode="$mode" --main_jdk="$feature" "${jdk_args[@]}" \
  --cp="$BENCH_CP" --grpc_benchmarks_cp="$GRPC_BENCHMARKS_CP" --h2load="$h2load" \
  --clk_tck="$(getconf CLK_TCK 2>/dev/null || echo 100)" --out="$out" "${pass[@]}"
