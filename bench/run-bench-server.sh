#!/usr/bin/env bash
# Starts the BenchmarkService server on h2c at 127.0.0.1:
#
#   bench/run-bench-server.sh --port=N [--handlers=async|blocking] [--impl=strand|grpc-java|netty]
#
# --handlers=async (default) runs handlers on the event loop; blocking runs them on virtual
# threads (JDK 21+) or a bounded pool (JDK 17). --impl=grpc-java serves the same service on
# grpc-java 1.85.1, --impl=netty is the bare HTTP/2 ceiling. Uses the newest JDK under
# /usr/lib/jvm (BENCH_JDK=17 picks another); builds the bench module first if it is not built.
# Stops on Ctrl-C / SIGTERM. Drive it with grpc-java's own load generator, for example:
#   java -cp "$(cat bench/target/grpc-benchmarks.classpath)" io.grpc.benchmarks.qps.AsyncClient \
#     --address=127.0.0.1:N --channels=1 --outstanding_rpcs=64 --client_payload=100 \
#     --server_payload=100 --directexecutor --duration=10
set -euo pipefail
bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root_dir=$(cd "$bench_dir/.." && pwd)
for arg in "$@"; do
  [[ $arg == -h || $arg == --help ]] && { sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0; }
done
source "$bench_dir/src/build/bench-env.sh"
find_jdks
feature=$(main_jdk_feature)
load_classpaths
# shellcheck disable=SC2046
exec "${JDK_BY_FEATURE[$feature]}" $(jvm_flags "$feature") -cp "$BENCH_CP" \
  dev.strand.bench.BenchServer "$@"
