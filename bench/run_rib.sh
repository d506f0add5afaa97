#!/usr/bin/env bash
# RIB benchmark:
# 1. every RIB dump of the shared data loaded with `bgpsentry rib load`:
#    routes, bytes per route (peak RSS minus the empty process's, divided
#    by the routes) and routes per second (median of 5 runs);
# 2. full scale: gen-rib files of ~20M and ~50M routes (1M IPv4 + 230k
#    IPv6 prefixes, 19 and 48 peers) from the real dumps, loaded the same
#    way, with the "every route for P" query latency (bench_rib);
# 3. real update files applied at full speed, on an empty RIB and on top
#    of the 20M-route one.
# Set RIB_SCALE=0 to skip the full-scale part (it needs ~4 GB of disk in
# $TMPDIR and ~2 GB of memory).
set -euo pipefail
build=${1:-build}; data=${2:-../shared/data}
if [ ! -d "$data/mrt" ]; then
  echo "bench: $data/mrt not found; the benchmark needs the shared data" >&2
  exit 2
fi
ours="$build/bgpsentry"
tmp=${TMPDIR:-/tmp}/bgps-bench-rib.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT

# json field of the last stats object
field() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(d$2)" "$1"; }

# median of 5: rib phase rate and peak RSS (KB)
load5() {
  local rates=() rss=() out="$tmp/stats.json"
  for _ in 1 2 3 4 5; do
    /usr/bin/time -f '%M' -o "$tmp/rss" "$ours" rib load --stats --json "$@" \
      > "$out" 2>/dev/null || true
    rates+=("$(field "$out" "['rib_routes_per_s']")")
    rss+=("$(tail -n 1 "$tmp/rss")")
  done
  printf '%s %s %s\n' "$(field "$out" "['routes']")" \
    "$(printf '%s\n' "${rates[@]}" | sort -g | sed -n 3p)" \
    "$(printf '%s\n' "${rss[@]}" | sort -g | sed -n 3p)"
}

/usr/bin/time -f '%M' -o "$tmp/rss" "$ours" rib load /dev/null > /dev/null 2>&1 || true
empty=$(tail -n 1 "$tmp/rss")
echo "empty process peak RSS: $empty KB"
echo
printf '%-48s %10s %12s %10s %9s\n' file routes routes_per_s peak_MB B_route
ribs=(
  "$data/mrt/bgpdump-test/bview.20020722.2337.gz"
  "$data/mrt/routeviews/route-views2.rib.20140523.0600_firstMB.bz2"
  "$data/mrt/bgpdump-test/bview.64k_stream_overflow.gz"
  "$data/mrt/bgpdump-test/bview.ipv4_unicast_add_path.gz"
  "$data/mrt/daemons/mrtparse.openbgpd_rib_table-v2"
  "$data/mrt/daemons/mrtparse.quagga_rib"
)
for f in "${ribs[@]}"; do
  read -r routes rate rss < <(load5 "$f")
  printf '%-48s %10s %12.0f %10.1f %9.1f\n' "$(basename "$f")" "$routes" "$rate" \
    "$(echo "$rss / 1024" | bc -l)" "$(echo "($rss - $empty) * 1024 / $routes" | bc -l)"
done
# the same decompressed (the RIB phase rate without bzip2 in the way)
bzcat "$data/mrt/routeviews/route-views2.rib.20140523.0600_firstMB.bz2" \
  > "$tmp/rv.mrt" 2>/dev/null || true
read -r routes rate rss < <(load5 "$tmp/rv.mrt")
printf '%-48s %10s %12.0f %10.1f %9.1f\n' "route-views2...firstMB (plain)" "$routes" \
  "$rate" "$(echo "$rss / 1024" | bc -l)" "$(echo "($rss - $empty) * 1024 / $routes" | bc -l)"

updates=()
for f in "$data"/mrt/ris/*.gz "$data"/mrt/bgpdump-test/updates.*.gz \
         "$data"/mrt/misc/*.bz2; do
  case "$f" in *.txt*) continue ;; esac
  updates+=("$f")
done
upd5() {
  local rates=()
  for _ in 1 2 3 4 5; do
    "$ours" rib load --stats --json "$@" > "$tmp/u.json" 2>/dev/null || true
    rates+=("$(field "$tmp/u.json" "['updates_per_s']")")
  done
  printf '%s %s\n' "$(field "$tmp/u.json" "['updates']")" \
    "$(printf '%s\n' "${rates[@]}" | sort -g | sed -n 3p)"
}
echo
read -r n rate < <(upd5 "${updates[@]}")
printf 'update files (%d), empty RIB: %s prefix updates, %.0f/s\n' \
  "${#updates[@]}" "$n" "$rate"

[ "${RIB_SCALE:-1}" = 0 ] && exit 0
tpl="$data/mrt/routeviews/route-views2.rib.20140523.0600_firstMB.bz2"
for peers in 19 48; do
  f="$tmp/gen-$peers.mrt"
  echo
  "$build/bench/gen-rib" --peers "$peers" "$f" "$tpl"
  # three runs at this size (each loads the whole file)
  rates=(); rss=()
  for _ in 1 2 3; do
    /usr/bin/time -f '%M' -o "$tmp/rss" "$ours" rib load --stats --json "$f" \
      > "$tmp/g.json" 2>/dev/null || true
    rates+=("$(field "$tmp/g.json" "['rib_routes_per_s']")")
    rss+=("$(tail -n 1 "$tmp/rss")")
  done
  routes=$(field "$tmp/g.json" "['routes']")
  rate=$(printf '%s\n' "${rates[@]}" | sort -g | sed -n 2p)
  peak=$(printf '%s\n' "${rss[@]}" | sort -g | sed -n 2p)
  printf 'full scale, %d peers: %s routes, %.0f routes/s, peak %.1f MB, %.1f B/route (accounted %.1f)\n' \
    "$peers" "$routes" "$rate" "$(echo "$peak / 1024" | bc -l)" \
    "$(echo "($peak - $empty) * 1024 / $routes" | bc -l)" \
    "$(field "$tmp/g.json" "['memory']['total_bytes'] / $routes")"
  python3 - "$tmp/g.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))["memory"]
routes = m["routes"]["count"]
print("  per subsystem (B/route): " + ", ".join(
    f"{k} {v['bytes'] / routes:.1f}" for k, v in m.items() if isinstance(v, dict)))
PY
  "$build/bench/bench_rib" --queries 200000 "$f" | sed 's/^/  /'
  if [ "$peers" = 19 ]; then
    read -r n rate < <(upd5 "$f" "${updates[@]}")
    printf '  update files on top of it: %s prefix updates, %.0f/s\n' "$n" "$rate"
  fi
  rm -f "$f"
done
