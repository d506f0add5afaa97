#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each, seeded from the real MRT data
# (when ../shared/data is there) and the hand-made seeds in tests/fuzz/seeds.
# Fails on the first crash, leak, sanitizer report or round-trip mismatch.
set -euo pipefail
build=${1:?build dir}; seconds=${2:-30}; data=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
corpus=$build/corpus
mkdir -p "$corpus"/{msg,open,update,mrt,rib,config,session,bmp,rislive,rpki}
if [ -n "$data" ] && [ -d "$data/mrt" ]; then
  "$build/tests/fuzz/seed_extract" "$corpus" $(find "$data/mrt" -type f \
    ! -name '*.txt' ! -name '*.txt.gz' ! -name '*.md' ! -name '*.rst' | sort)
fi
for kind in msg open update config rislive rpki; do
  if [ -d "$here/seeds/$kind" ]; then cp -n "$here/seeds/$kind"/* "$corpus/$kind/" 2>/dev/null || true; fi
done
# the RIB target reads the same MRT files (without fuzz_mrt's first
# byte, which it would take as part of the file)
for f in "$corpus"/mrt/*; do
  [ -f "$f" ] && [ ! -e "$corpus/rib/$(basename "$f")" ] &&
    tail -c +2 "$f" > "$corpus/rib/$(basename "$f")"
done
# the session target: a first byte (established, ADD-PATH) before real
# messages
for f in "$corpus"/msg/*; do
  [ -f "$f" ] && [ ! -e "$corpus/session/$(basename "$f")" ] &&
    { printf '\003'; cat "$f"; } > "$corpus/session/$(basename "$f")"
done
# the BMP target: the routers' streams of the shared captures
if [ -n "$data" ] && [ -d "$data/bmp" ] && command -v tshark >/dev/null; then
  for p in $(find "$data/bmp" -name '*.pcap' | sort); do
    out="$corpus/bmp/$(basename "$p" .pcap)"
    [ -e "$out" ] || tshark -r "$p" -Y 'tcp.dstport==1790 && tcp.len>0' \
      -T fields -e tcp.payload 2>/dev/null | python3 -c 'import sys
sys.stdout.buffer.write(bytes.fromhex(sys.stdin.read().replace("\n", "")))' \
      > "$out"
  done
fi
# the RIS Live target: the real sample, a line a file
if [ -n "$data" ] && [ -d "$data/rislive" ]; then
  n=0
  for f in "$data"/rislive/*.json; do
    while IFS= read -r line; do
      n=$((n + 1))
      printf '%s' "$line" > "$corpus/rislive/sample-$n"
    done < "$f"
  done
fi
# the RPKI target: the small real exports (the 75 MB one is too long a
# seed: libFuzzer's inputs are kept short)
if [ -n "$data" ] && [ -d "$data/rpki" ]; then
  for f in "$data"/rpki/*.json; do
    cp -n "$f" "$corpus/rpki/" 2>/dev/null || true
  done
fi
for kind in msg open update mrt rib config session bmp rislive rpki; do
  target=fuzz_bgp_$kind
  [ "$kind" = mrt ] && target=fuzz_mrt
  [ "$kind" = rib ] && target=fuzz_rib
  [ "$kind" = config ] && target=fuzz_config
  [ "$kind" = bmp ] && target=fuzz_bmp
  [ "$kind" = rislive ] && target=fuzz_rislive
  [ "$kind" = rpki ] && target=fuzz_rpki
  echo "$target: ${seconds}s"
  log=$build/fuzz-$kind.log
  rc=0
  "$build/tests/fuzz/$target" -max_total_time="$seconds" -print_final_stats=1 \
    -rss_limit_mb=2048 -artifact_prefix="$build/crash-$kind-" "$corpus/$kind" \
    > "$log" 2>&1 || rc=$?
  grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+.*DONE)|ERROR|SUMMARY' "$log" || true
  # libFuzzer exits non-zero on a crash, leak, timeout or out-of-memory,
  # and leaves the input behind as an artifact.
  if [ "$rc" -ne 0 ] || ls "$build"/crash-"$kind"-* >/dev/null 2>&1 ||
     grep -q 'Sanitizer' "$log"; then
    echo "$target: FAILED (exit $rc); log $log; artifacts:" \
      "$(ls "$build"/crash-"$kind"-* 2>/dev/null)" >&2
    tail -40 "$log" >&2
    exit 1
  fi
done
echo "fuzz: all targets ran clean"
