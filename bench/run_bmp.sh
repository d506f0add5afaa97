#!/usr/bin/env bash
# BMP ingest: a router's BMP stream carrying 10 full tables (a gen-rib
# file of 10 peers, 1M IPv4 + 230k IPv6 prefixes each, turned into
# pre-policy route monitoring by `bgpsentry replay --bmp` once, and
# captured by a station), replayed as it is into a fresh bmp station:
# the time until every route is in the RIB, the routes per second, the
# routes per second of the daemon's CPU time (per core), and peak RSS.
# Medians of BMP_RUNS runs (default 3). Target: 1M prefixes/s per core.
#
#   bench/run_bmp.sh [BUILD] [SHARED_DATA]
#   BMP_PEERS=10 BMP_RUNS=3 BMP_GEN=FILE (a gen-rib file made before)
set -euo pipefail
build=${1:-build}; data=${2:-../shared/data}
peers=${BMP_PEERS:-10}; runs=${BMP_RUNS:-3}
ours="$build/bgpsentry"
tpl="$data/mrt/routeviews/route-views2.rib.20140523.0600_firstMB.bz2"
tmp=${TMPDIR:-/tmp}/bgps-bench-bmp.$$
mkdir -p "$tmp/cap"
daemon_pid=
cleanup() {
  [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null
  wait 2>/dev/null; rm -rf "$tmp"
}
trap cleanup EXIT
port=11021; api=18480

if [ -n "${BMP_GEN:-}" ]; then
  gen=$BMP_GEN
else
  [ -f "$tpl" ] || { echo "bench: $tpl not found" >&2; exit 2; }
  gen="$tmp/gen.mrt"
  "$build/bench/gen-rib" --peers "$peers" "$gen" "$tpl" >&2
fi

routes() {
  curl -s "127.0.0.1:$api/api/v1/sources" | python3 -c '
import json, sys
print(sum(s["routes"] for s in json.load(sys.stdin)))' 2>/dev/null || echo 0
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

station() {	# station [capture]
  cat > "$tmp/st.yaml" <<EOF
log: {level: warn}
api: {listen: 127.0.0.1:$api}
sources:
  - name: station
    type: bmp
    listen: 127.0.0.1:$port
    routers: [127.0.0.10]
EOF
  [ -n "${1:-}" ] && echo "    capture: $1" >> "$tmp/st.yaml"
  "$ours" run -c "$tmp/st.yaml" > "$tmp/daemon.log" 2>&1 &
  daemon_pid=$!
  for _ in $(seq 100); do
    curl -s "127.0.0.1:$api/healthz" >/dev/null && return; sleep 0.1
  done
  echo "bench: the station did not start" >&2; exit 1
}
stop_station() {
  kill "$daemon_pid"; wait "$daemon_pid" 2>/dev/null || true; daemon_pid=
}

# the stream, once: the routes held once everything is sent (the
# router stays connected until then)
station "$tmp/cap"
"$ours" replay "$gen" --bmp "127.0.0.1:$port" > "$tmp/replay.out" 2>&1 &
rp=$!
until grep -q '^sent:' "$tmp/replay.out"; do
  sleep 0.5
  kill -0 "$rp" 2>/dev/null || { cat "$tmp/replay.out" >&2; exit 1; }
done
last=-1
while [ "$(routes)" != "$last" ]; do last=$(routes); sleep 1; done
want=$last
kill "$rp"; wait "$rp" 2>/dev/null || true
stop_station
cap=$(ls "$tmp"/cap/*.bmp)
echo "stream: $(stat -c %s "$cap") bytes of BMP from $(basename "$gen"),"\
  "$want routes in the RIB"

hz=$(getconf CLK_TCK)
T=(); R=(); C=(); P=()
for r in $(seq "$runs"); do
  station
  sleep 1
  base=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$daemon_pid/status")
  c0=$(cpu_ticks "$daemon_pid")
  t0=$(date +%s.%N)
  "$ours" replay "$cap" --bmp "127.0.0.1:$port" > "$tmp/replay.out" 2>&1 &
  rp=$!
  while [ "$(routes)" != "$want" ]; do
    sleep 0.2
    kill -0 "$rp" 2>/dev/null || { cat "$tmp/replay.out" >&2; exit 1; }
  done
  t1=$(date +%s.%N)
  c1=$(cpu_ticks "$daemon_pid")
  peak=$(awk '$1 == "VmHWM:" { print $2 }' "/proc/$daemon_pid/status")
  kill "$rp"; wait "$rp" 2>/dev/null || true
  stop_station
  t=$(echo "$t1 - $t0" | bc -l)
  cpu=$(echo "($c1 - $c0) / $hz" | bc -l)
  printf 'run %d: %.2f s, %.0f routes/s, %.0f routes per CPU second (%.2f s of CPU), peak RSS %d kB (%d kB before)\n' \
    "$r" "$t" "$(echo "$want / $t" | bc -l)" "$(echo "$want / $cpu" | bc -l)" \
    "$cpu" "$peak" "$base"
  T+=("$t"); R+=("$(echo "$want / $t" | bc -l)")
  C+=("$(echo "$want / $cpu" | bc -l)"); P+=("$peak")
done
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
printf '\nmedian of %d: %.2f s, %.0f routes/s, %.0f routes per CPU second (target 1000000), peak RSS %d MB\n' \
  "$runs" "$(median "${T[@]}")" "$(median "${R[@]}")" "$(median "${C[@]}")" \
  "$(( $(median "${P[@]}") / 1024 ))"
