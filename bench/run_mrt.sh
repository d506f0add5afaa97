#!/usr/bin/env bash
# MRT benchmark, side by side with bgpdump in one run:
# 1. `bgpsentry mrt dump -m` and `bgpdump -m`, output to /dev/null, on the
#    largest RIB dump and the largest update file of the shared data:
#    wall time (median of 5) and peak RSS, and the ratio.
# 2. In-memory decode to route elements (bench_mrt), decompression apart.
set -euo pipefail
build=${1:-build}; data=${2:-../shared/data}
if [ ! -d "$data/mrt" ]; then
  echo "bench: $data/mrt not found; the benchmark needs the shared data" >&2
  exit 2
fi
files=(
  "$data/mrt/routeviews/route-views2.rib.20140523.0600_firstMB.bz2"
  "$data/mrt/bgpdump-test/bview.20020722.2337.gz"
  "$data/mrt/ris/rrc00.updates.19990903.1041.gz"
  "$data/mrt/bgpdump-test/updates.20070211.0141.gz"
)
ours="$build/bgpsentry"

# median wall seconds (microsecond clock; /usr/bin/time's own 10 ms
# resolution is too coarse for the small files) and max peak RSS (KB)
# of 5 runs of a command
measure() {
  local t0 t1 rss times=() peak=0
  for _ in 1 2 3 4 5; do
    t0=$EPOCHREALTIME
    /usr/bin/time -f '%M' -o /tmp/bgps-bench-time "$@" > /dev/null 2>&1 || true
    t1=$EPOCHREALTIME
    rss=$(tail -n 1 /tmp/bgps-bench-time)
    times+=("$(echo "$t1 - $t0" | bc -l)"); [ "$rss" -gt "$peak" ] && peak=$rss
  done
  printf '%s %s\n' "$(printf '%s\n' "${times[@]}" | sort -g | sed -n 3p)" "$peak"
}

printf '%-45s %9s %9s %9s %8s %8s %7s\n' file lines ours_s bgpdump_s ours_MB bgpd_MB ratio
for f in "${files[@]}"; do
  lines=$({ "$ours" mrt dump -m "$f" 2>/dev/null || true; } | wc -l)
  read -r ot orss < <(measure "$ours" mrt dump -m "$f")
  read -r bt brss < <(measure bgpdump -m "$f")
  printf '%-45s %9s %9.3f %9.3f %8.1f %8.1f %6.1fx\n' "$(basename "$f")" "$lines" \
    "$ot" "$bt" "$(echo "$orss / 1024" | bc -l)" "$(echo "$brss / 1024" | bc -l)" \
    "$(echo "$bt / $ot" | bc -l)"
done
echo
for f in "${files[0]}" "${files[3]}"; do
  echo "== bench_mrt $(basename "$f")"
  "$build/bench/bench_mrt" --min 5000000 --runs 5 "$f"
done
