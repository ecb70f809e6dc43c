#!/usr/bin/env bash
# The interop matrix: Strand against grpc-java 1.76.0 (its own interop mains, in their own JVMs)
# and against itself, over plaintext and TLS, for every test case.
#
#   interop/run-matrix.sh                    # builds the interop module first if it is not built
#   interop/run-matrix.sh --strand-per-case  # Strand's client in a fresh JVM per case too
#
# Directions: strand->grpc-java (Strand's InteropClient, by default one JVM for every case),
# grpc-java->strand (grpc-java's TestServiceClient, one JVM per case), strand->strand.
# Prints a case x direction x transport table, then "N passed, N failed" on the last line;
# exits non-zero if anything failed. Every server it starts is killed on exit.
set -uo pipefail

STRAND_PER_CASE=0
for arg in "$@"; do
  case $arg in
    --strand-per-case) STRAND_PER_CASE=1 ;; # Strand's client too in one JVM per case (slower)
    -h|--help) sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
out_dir=$here/target/matrix
CASE_TIMEOUT=60           # seconds, one client JVM running one case
STRAND_CLIENT_TIMEOUT=300 # seconds, one Strand client JVM (all cases; each has its own 60 s)

CASES=(empty_unary large_unary client_compressed_unary server_compressed_unary client_streaming
  client_compressed_streaming server_streaming server_compressed_streaming ping_pong empty_stream
  timeout_on_sleeping_server cancel_after_begin cancel_after_first_response custom_metadata
  status_code_and_message special_status_message unimplemented_method unimplemented_service
  very_large_request rpc_soak channel_soak pick_first_unary)
DIRECTIONS=(strand-grpcjava grpcjava-strand strand-strand)
TRANSPORTS=(plaintext tls)
declare -A DIRECTION_TITLE=([strand-grpcjava]="strand->grpc-java" [grpcjava-strand]="grpc-java->strand"
  [strand-strand]="strand->strand")

# What grpc-java 1.76.0's TestServiceServer lacks, so Strand's client adapts or skips:
# - CompressedRequest (expect_compressed is never checked): run grpc-java's *_noprobe variants.
# - CompressedResponse for streams (StreamingOutputCall never compresses): nothing to check.
declare -A STRAND_VS_GRPCJAVA_SUBSTITUTE=(
  [client_compressed_unary]=client_compressed_unary_noprobe
  [client_compressed_streaming]=client_compressed_streaming_noprobe)
# rpc_soak, channel_soak and pick_first_unary test client-side machinery (soak loops, channel
# churn, pick-first load balancing): they run from grpc-java's client against the Strand server.
CLIENT_SIDE_ONLY="a client-side case (soak loops, channel churn, pick-first balancing) that Strand's interop client does not implement; grpc-java's client runs it against the Strand server"
declare -A SKIP=(
  [strand-grpcjava|rpc_soak]=$CLIENT_SIDE_ONLY [strand-strand|rpc_soak]=$CLIENT_SIDE_ONLY
  [strand-grpcjava|channel_soak]=$CLIENT_SIDE_ONLY [strand-strand|channel_soak]=$CLIENT_SIDE_ONLY
  [strand-grpcjava|pick_first_unary]=$CLIENT_SIDE_ONLY [strand-strand|pick_first_unary]=$CLIENT_SIDE_ONLY
  [strand-grpcjava|server_compressed_streaming]="grpc-java's TestServiceServer never compresses streaming responses (only UnaryCall honours response_compressed), so Strand's client, which checks each message's compressed flag, cannot pass against it")

declare -A RESULT DETAIL
server_pids=()

# A pid and everything under it, children first (a server may sit under a wrapper process).
tree() {
  local child
  for child in $(pgrep -P "$1" 2>/dev/null); do
    tree "$child"
  done
  echo "$1"
}

cleanup() {
  local all=() pid
  for pid in "${server_pids[@]}"; do
    all+=($(tree "$pid"))
  done
  server_pids=("${all[@]}")
  for pid in "${server_pids[@]}"; do
    kill "$pid" 2>/dev/null
  done
  for pid in "${server_pids[@]}"; do
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    kill -9 "$pid" 2>/dev/null
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '%s\n' "$*" >&2; }

# --- build, if needed ---------------------------------------------------------------------
if [[ ! -f $here/target/interop.classpath || ! -f $here/target/grpc-java-interop.classpath
      || ! -d $here/target/classes/dev/strand/interop ]]; then
  log "building the interop module (./mvnw -q -B -pl interop package) ..."
  (cd "$root" && ./mvnw -q -B -pl interop package) || { log "build failed"; exit 1; }
fi
source "$here/src/build/java-env.sh"
if [[ -z $GRPC_JAVA_INTEROP_CP ]]; then
  log "grpc-java's classpath is missing: rebuild without -Dinterop.skipGrpcJava"
  exit 1
fi
GRPC_JAVA_OPTS=(-Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1)
rm -rf "$out_dir" && mkdir -p "$out_dir"

# --- servers ------------------------------------------------------------------------------
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Below the kernel's ephemeral range: a port there can be some outgoing connection's local end,
# which a connect test does not see but which makes the server's bind fail.
EPHEMERAL_FIRST=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
free_port() {
  local p low=10000 high=$((EPHEMERAL_FIRST > 12000 ? EPHEMERAL_FIRST : 60000))
  for _ in $(seq 1 200); do
    p=$((low + RANDOM % (high - low)))
    if ! port_open "$p"; then
      echo "$p"
      return
    fi
  done
  log "no free port found"
  exit 1
}

# start_server NAME PORT COMMAND...: starts it in the background, waits until it listens.
start_server() {
  local name=$1 port=$2
  shift 2
  "$@" >"$out_dir/server-$name.log" 2>&1 &
  local pid=$!
  server_pids+=("$pid")
  for _ in $(seq 1 120); do
    if port_open "$port"; then
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      log "server $name exited early; its log:"
      tail -20 "$out_dir/server-$name.log" >&2
      return 1
    fi
    sleep 0.25
  done
  log "server $name did not listen on port $port within 30 s"
  return 1
}

declare -A PORT UP
for t in "${TRANSPORTS[@]}"; do
  tls=false
  [[ $t == tls ]] && tls=true
  p=$(free_port)
  PORT[strand|$t]=$p
  start_server "strand-$t" "$p" "$here/run-test-server.sh" "--port=$p" "--use_tls=$tls" \
    && UP[strand|$t]=1
  p=$(free_port)
  PORT[grpcjava|$t]=$p
  start_server "grpcjava-$t" "$p" "$JAVA" "${GRPC_JAVA_OPTS[@]}" -cp "$GRPC_JAVA_INTEROP_CP" \
    io.grpc.testing.integration.TestServiceServer "--port=$p" "--use_tls=$tls" \
    && UP[grpcjava|$t]=1
done
log "servers: strand plaintext=${PORT[strand|plaintext]} tls=${PORT[strand|tls]};" \
  "grpc-java plaintext=${PORT[grpcjava|plaintext]} tls=${PORT[grpcjava|tls]}"

client_tls_flags() {
  if [[ $1 == tls ]]; then
    echo "--use_tls=true --use_test_ca=true --server_host_override=foo.test.google.fr"
  else
    echo "--use_tls=false"
  fi
}

# --- Strand's client: one JVM per server and transport, every case -----------------------
run_strand_client() {
  local direction=$1 server=$2 t=$3 c list=() name log_file
  declare -A asked=()
  for c in "${CASES[@]}"; do
    [[ -n ${SKIP[$direction|$c]:-} ]] && continue
    name=$c
    if [[ $server == grpcjava && -n ${STRAND_VS_GRPCJAVA_SUBSTITUTE[$c]:-} ]]; then
      name=${STRAND_VS_GRPCJAVA_SUBSTITUTE[$c]}
    fi
    asked[$name]=$c
    list+=("$name")
  done
  log_file="$out_dir/client-$direction-$t.log"
  if [[ -z ${UP[$server|$t]:-} ]]; then
    for name in "${list[@]}"; do
      RESULT[$direction|$t|${asked[$name]}]=FAIL
      DETAIL[$direction|$t|${asked[$name]}]="server did not start"
    done
    return
  fi
  local joined tls_flags
  read -r -a tls_flags <<<"$(client_tls_flags "$t")"
  if [[ $STRAND_PER_CASE == 1 ]]; then
    : >"$log_file"
    for name in "${list[@]}"; do
      timeout "$CASE_TIMEOUT" "$here/run-test-client.sh" --server_host=localhost \
        "--server_port=${PORT[$server|$t]}" "--test_case=$name" "${tls_flags[@]}" \
        >>"$log_file" 2>&1
    done
  else
    joined=$(IFS=,; echo "${list[*]}")
    timeout "$STRAND_CLIENT_TIMEOUT" "$here/run-test-client.sh" --server_host=localhost \
      "--server_port=${PORT[$server|$t]}" "--test_case=$joined" "${tls_flags[@]}" \
      >"$log_file" 2>&1
  fi
  local case_name reason
  for name in "${list[@]}"; do
    case_name=${asked[$name]}
    if grep -q "^PASS $name " "$log_file"; then
      RESULT[$direction|$t|$case_name]=PASS
    else
      RESULT[$direction|$t|$case_name]=FAIL
      reason=$(grep -m1 "^FAIL $name: " "$log_file" | sed "s/^FAIL $name: //")
      DETAIL[$direction|$t|$case_name]=${reason:-"no result (client crashed or timed out; see $log_file)"}
    fi
  done
}

# --- grpc-java's client: one JVM per case -------------------------------------------------
run_grpcjava_client() {
  local direction=$1 t=$2 c log_file tls_flags
  read -r -a tls_flags <<<"$(client_tls_flags "$t")"
  for c in "${CASES[@]}"; do
    if [[ -n ${SKIP[$direction|$c]:-} ]]; then
      continue
    fi
    if [[ -z ${UP[strand|$t]:-} ]]; then
      RESULT[$direction|$t|$c]=FAIL
      DETAIL[$direction|$t|$c]="server did not start"
      continue
    fi
    log_file="$out_dir/client-$direction-$t-$c.log"
    if timeout "$CASE_TIMEOUT" "$JAVA" "${GRPC_JAVA_OPTS[@]}" -cp "$GRPC_JAVA_INTEROP_CP" \
        io.grpc.testing.integration.TestServiceClient --server_host=localhost \
        "--server_port=${PORT[strand|$t]}" "--test_case=$c" "${tls_flags[@]}" \
        >"$log_file" 2>&1; then
      RESULT[$direction|$t|$c]=PASS
    else
      RESULT[$direction|$t|$c]=FAIL
      DETAIL[$direction|$t|$c]=$(grep -m1 -E 'Exception|Error|expected|Unexpected' "$log_file" \
        | cut -c1-300)
      [[ -z ${DETAIL[$direction|$t|$c]} ]] && DETAIL[$direction|$t|$c]="exit status non-zero (see $log_file)"
    fi
  done
}

start=$SECONDS
for t in "${TRANSPORTS[@]}"; do
  log "strand -> grpc-java ($t) ..."
  run_strand_client strand-grpcjava grpcjava "$t"
  log "grpc-java -> strand ($t), one JVM per case ..."
  run_grpcjava_client grpcjava-strand "$t"
  log "strand -> strand ($t) ..."
  run_strand_client strand-strand strand "$t"
done
elapsed=$((SECONDS - start))

# --- report -------------------------------------------------------------------------------
passed=0 failed=0 skipped=0
header="| case |"
rule="|---|"
for d in "${DIRECTIONS[@]}"; do
  for t in "${TRANSPORTS[@]}"; do
    header+=" ${DIRECTION_TITLE[$d]} $t |"
    rule+="---|"
  done
done
{
  echo "$header"
  echo "$rule"
  for c in "${CASES[@]}"; do
    row="| $c |"
    for d in "${DIRECTIONS[@]}"; do
      for t in "${TRANSPORTS[@]}"; do
        if [[ -n ${SKIP[$d|$c]:-} ]]; then
          row+=" SKIP |"
        else
          r=${RESULT[$d|$t|$c]:-FAIL}
          if [[ $d == strand-grpcjava && -n ${STRAND_VS_GRPCJAVA_SUBSTITUTE[$c]:-} ]]; then
            row+=" $r (noprobe) |"
          else
            row+=" $r |"
          fi
        fi
      done
    done
    echo "$row"
  done
} >"$out_dir/results.md"

printf '\n%-30s' "case"
for d in "${DIRECTIONS[@]}"; do
  for t in "${TRANSPORTS[@]}"; do
    printf ' %-18s' "${DIRECTION_TITLE[$d]}"
  done
done
printf '\n%-30s' ""
for d in "${DIRECTIONS[@]}"; do
  for t in "${TRANSPORTS[@]}"; do
    printf ' %-18s' "$t"
  done
done
printf '\n'
for c in "${CASES[@]}"; do
  printf '%-30s' "$c"
  for d in "${DIRECTIONS[@]}"; do
    for t in "${TRANSPORTS[@]}"; do
      if [[ -n ${SKIP[$d|$c]:-} ]]; then
        cell=SKIP
        skipped=$((skipped + 1))
      else
        cell=${RESULT[$d|$t|$c]:-FAIL}
        if [[ $cell == PASS ]]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
        if [[ $d == strand-grpcjava && -n ${STRAND_VS_GRPCJAVA_SUBSTITUTE[$c]:-} ]]; then
          cell="$cell(noprobe)"
        fi
      fi
      printf ' %-18s' "$cell"
    done
  done
  printf '\n'
done

echo
echo "Adapted or skipped, because grpc-java 1.76.0's TestServiceServer lacks a feature:"
for c in "${!STRAND_VS_GRPCJAVA_SUBSTITUTE[@]}"; do
  echo "  strand->grpc-java $c: ran ${STRAND_VS_GRPCJAVA_SUBSTITUTE[$c]} (the server does not check expect_compressed, so the probe cannot fail)"
done
for key in "${!SKIP[@]}"; do
  echo "  SKIP ${key/|/ }: ${SKIP[$key]}"
done
if ((failed > 0)); then
  echo
  echo "Failures:"
  for d in "${DIRECTIONS[@]}"; do
    for t in "${TRANSPORTS[@]}"; do
      for c in "${CASES[@]}"; do
        if [[ ${RESULT[$d|$t|$c]:-} == FAIL ]]; then
          echo "  ${DIRECTION_TITLE[$d]} $t $c: ${DETAIL[$d|$t|$c]:-}"
        fi
      done
    done
  done
fi
echo
mode="one JVM for all cases"
[[ $STRAND_PER_CASE == 1 ]] && mode="one JVM per case"
echo "Logs: $out_dir (results.md holds the table as Markdown). Strand's client: $mode."
echo "Clients ran for ${elapsed}s; ${skipped} skipped."
echo "$passed passed, $failed failed"
((failed == 0))
