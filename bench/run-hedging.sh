#!/usr/bin/env bash
# Hedging (A6) against a server slow on 10% of attempts: p50..p99.9 without and with hedging.
#
#   bench/run-hedging.sh [--slow_ms=100] [--calls=2000] [--rounds=3] [--callers=4]
#
# Writes bench/target/hedging.md and prints it. See docs/BENCHMARKS.md.
set -euo pipefail
bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root_dir=$(cd "$bench_dir/.." && pwd)
source "$bench_dir/src/build/bench-env.sh"
find_jdks
feature=$(main_jdk_feature)
if ! bench_up_to_date; then
  build_bench
fi
load_classpaths
mkdir -p "$bench_dir/target"
# shellcheck disable=SC2046
exec "${JDK_BY_FEATURE[$feature]}" $(jvm_flags "$feature") -cp "$BENCH_CP" \
  dev.strand.bench.HedgingBenchmark --out="$bench_dir/target/hedging.md" "$@"
