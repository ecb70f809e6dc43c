#!/usr/bin/env bash
# The runnable programs (the examples, the interop server, the benchmark server) must log: each
# has an SLF4J binding, so SLF4J never falls back to its no-operation logger and hides what the
# server says. Starts each on loopback, waits for it to listen, stops it, and fails if it printed
# SLF4J's "no providers" warning. Needs a build (./strand test does one).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
logs=$(mktemp -d)
pid=
trap '[[ -n $pid ]] && kill "$pid" 2>/dev/null; rm -rf "$logs"' EXIT
failed=0

# check NAME PORT COMMAND...: runs COMMAND until it says it listens ("listening" or READY;
# at most 60 s), then stops it.
check() {
  local name=$1 port=$2
  shift 2
  "$@" > "$logs/$name.log" 2>&1 &
  pid=$!
  local waited=0
  until grep -Eq "listening|READY" "$logs/$name.log" || (( waited >= 600 )); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
    waited=$((waited + 1))
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=
  if ! grep -Eq "listening|READY" "$logs/$name.log"; then
    echo "[logging] $name never said it was listening on $port:" >&2
    cat "$logs/$name.log" >&2
    failed=1
  elif grep -q "SLF4J(W)" "$logs/$name.log"; then
    echo "[logging] $name has no SLF4J binding: its logs go nowhere" >&2
    grep "SLF4J" "$logs/$name.log" >&2
    failed=1
  else
    echo "[logging] $name: logging bound" >&2
  fi
}

# Ports below Linux's ephemeral range (32768-60999): a port in it can still be held, in TIME_WAIT,
# by one of the many client connections the benchmark smoke runs just made.
check routeguide-server 30761 ./strand run routeguide-server 30761 127.0.0.1
check observed-greeter 30764 ./strand run observed-greeter 30764 30765
check interop-server 30762 interop/run-test-server.sh --port=30762 --host=127.0.0.1
check bench-server 30763 bench/run-bench-server.sh --port=30763
exit $failed
