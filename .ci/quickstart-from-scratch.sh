#!/usr/bin/env bash
# The README's first command as a newcomer meets it: `./strand demo` in a fresh clone, against a
# local Maven repository that has never seen anything (so nothing the demo needs can come from
# what an earlier build happened to cache). Fails if the demo fails or does not say that all
# four call shapes worked.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

git clone -q "$root" "$scratch/strand"
echo "[quickstart] ./strand demo in a fresh clone with an empty Maven repository" >&2
# Maven 3.9 (the wrapper's) appends MAVEN_ARGS to every invocation.
if ! (cd "$scratch/strand" && MAVEN_ARGS="-Dmaven.repo.local=$scratch/m2" ./strand demo) \
    > "$scratch/demo.log" 2>&1; then
  cat "$scratch/demo.log" >&2
  echo "[quickstart] FAILED: ./strand demo exited non-zero" >&2
  exit 1
fi
cat "$scratch/demo.log" >&2
if ! grep -q "all four call shapes worked" "$scratch/demo.log"; then
  echo "[quickstart] FAILED: the demo did not print 'all four call shapes worked'" >&2
  exit 1
fi
echo "[quickstart] passed" >&2
