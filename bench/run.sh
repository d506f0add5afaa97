#!/usr/bin/env bash
# Decode benchmark, side by side with bgpdump on the same real update files.
# bgpsentry: bench_decode decodes every UPDATE again and again (>= 10M
# messages per run, median of 5 runs) from memory. bgpdump: `bgpdump -m`
# over the same files, already decompressed, output to /dev/null, median of
# 5 runs; its rate is the number of UPDATEs in the files over its time.
# bgpdump also formats text, so the ratio says how much faster a consumer
# of bgpsentry's decoder gets its messages than one of bgpdump's output.
set -euo pipefail
build=${1:-build}; data=${2:-../shared/data}
if [ ! -d "$data/mrt" ]; then
  echo "bench: $data/mrt not found; the benchmark needs the shared data" >&2
  exit 2
fi
files=(
  "$data/mrt/bgpdump-test/updates.20160811.1600.gz"
  "$data/mrt/bgpdump-test/updates.20070211.0141.gz"
  "$data/mrt/ris/rrc15.updates.20100227.1600.gz"
  "$data/mrt/ris/rrc06.updates.1427846400.gz"
)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

echo "== bgpsentry decode (bench_decode, 1 core)"
"$build/bench/bench_decode" --min 10000000 --runs 5 "${files[@]}" | tee "$tmp/ours"
ours=$(awk '/^decode_msgs_per_s/ {print $2}' "$tmp/ours")
updates=$(awk '/^updates_loaded/ {print $2}' "$tmp/ours")

echo "== bgpdump -m (Debian bgpdump $(dpkg-query -W -f="\${Version}" bgpdump))"
raw=()
for f in "${files[@]}"; do
  out="$tmp/$(basename "$f" .gz)"
  gzip -dc "$f" > "$out"
  raw+=("$out")
done
times=()
for i in 1 2 3 4 5; do
  t0=$(date +%s.%N)
  for f in "${raw[@]}"; do bgpdump -m "$f" > /dev/null 2>&1; done
  t1=$(date +%s.%N)
  times+=("$(echo "$t1 - $t0" | bc -l)")
done
med=$(printf '%s\n' "${times[@]}" | sort -g | sed -n 3p)
theirs=$(echo "$updates / $med" | bc -l)
printf 'bgpdump_seconds_median %.3f\n' "$med"
printf 'bgpdump_updates_per_s %.0f\n' "$theirs"
printf 'ratio_bgpsentry_over_bgpdump %.1f\n' "$(echo "$ours / $theirs" | bc -l)"
