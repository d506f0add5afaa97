#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each, seeded from the real MRT data
# (when ../shared/data is there) and the hand-made seeds in tests/fuzz/seeds.
# Fails on the first crash, leak, sanitizer report or round-trip mismatch.
set -euo pipefail
build=${1:?build dir}; seconds=${2:-30}; data=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
corpus=$build/corpus
mkdir -p "$corpus"/{msg,open,update}
if [ -n "$data" ] && [ -d "$data/mrt" ]; then
  "$build/tests/fuzz/seed_extract" "$corpus" $(find "$data/mrt" -type f \
    ! -name '*.txt' ! -name '*.txt.gz' ! -name '*.md' ! -name '*.rst' | sort)
fi
for kind in msg open update; do
  if [ -d "$here/seeds/$kind" ]; then cp -n "$here/seeds/$kind"/* "$corpus/$kind/" 2>/dev/null || true; fi
done
for kind in msg open update; do
  echo "fuzz_bgp_$kind: ${seconds}s"
  "$build/tests/fuzz/fuzz_bgp_$kind" -max_total_time="$seconds" -print_final_stats=1 \
    -rss_limit_mb=2048 -artifact_prefix="$build/crash-$kind-" "$corpus/$kind" 2>&1 \
    | grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|INFO: Seed|#[0-9]+.*DONE)|ERROR|SUMMARY' || true
  # libFuzzer exits non-zero on a finding; the pipe above hides it, so
  # check for an artifact instead.
  if ls "$build"/crash-"$kind"-* >/dev/null 2>&1; then
    echo "fuzz_bgp_$kind: FOUND A CRASH: $(ls "$build"/crash-"$kind"-*)" >&2
    exit 1
  fi
done
echo "fuzz: all targets ran clean"
