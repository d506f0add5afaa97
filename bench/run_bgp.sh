#!/usr/bin/env bash
# BGP ingest, side by side in one run: `bgpsentry replay` sends 10 VPs'
# full tables (a gen-rib file: 1M IPv4 + 230k IPv6 prefixes per peer,
# one prefix per UPDATE, as a RIB dump replays) over 10 sessions, in
# turn, to bgpsentry, to BIRD 2 and to FRR bgpd, each a passive
# collector (dynamic neighbors from 127.0.0.0/8, import all, export
# nothing; ../shared/STACK.md section 11). For each: the time from the
# first byte until every route is in its table, its peak RSS, and bytes
# per route (peak RSS minus the RSS before the sessions, over the routes
# it holds). Medians of BGP_RUNS runs (default 3), and the ratios.
#
#   bench/run_bgp.sh [BUILD] [SHARED_DATA]
#   BGP_PEERS=10 BGP_RUNS=3 BGP_GEN=FILE (a gen-rib file made before)
set -euo pipefail
build=${1:-build}; data=${2:-../shared/data}
peers=${BGP_PEERS:-10}; runs=${BGP_RUNS:-3}
ours="$build/bgpsentry"
tpl="$data/mrt/routeviews/route-views2.rib.20140523.0600_firstMB.bz2"
for t in bird birdc vtysh /usr/lib/frr/bgpd; do
  command -v "$t" >/dev/null || { echo "bench: $t is not installed" >&2; exit 2; }
done
tmp=${TMPDIR:-/tmp}/bgps-bench-bgp.$$
mkdir -p "$tmp"
daemon_pid=; replay_pid=
cleanup() {
  [ -n "$replay_pid" ] && kill "$replay_pid" 2>/dev/null
  [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null
  wait 2>/dev/null; rm -rf "$tmp"
}
trap cleanup EXIT

if [ -n "${BGP_GEN:-}" ]; then
  gen=$BGP_GEN
else
  [ -f "$tpl" ] || { echo "bench: $tpl not found" >&2; exit 2; }
  gen="$tmp/gen.mrt"
  "$build/bench/gen-rib" --peers "$peers" "$gen" "$tpl" >&2
fi

port=11790; api=18479
rss() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
now() { date +%s.%N; }

# the routes a collector holds
count_bgpsentry() {
  curl -s "127.0.0.1:$api/api/v1/sources" | python3 -c '
import json, sys
print(sum(s["routes"] for s in json.load(sys.stdin)))' 2>/dev/null || echo 0
}
count_bird() {
  birdc -s "$tmp/bird.ctl" show protocols all 2>/dev/null |
    awk '/Routes:/ { n += $2 } END { print n + 0 }'
}
count_frr() {
  for fam in ipv4 ipv6; do
    vtysh --vty_socket "$tmp" -c "show bgp $fam unicast summary json" 2>/dev/null
  done | python3 -c '
import json, sys
text, n = sys.stdin.read(), 0
dec, i = json.JSONDecoder(), 0
while i < len(text):
    while i < len(text) and text[i].isspace():
        i += 1
    if i >= len(text):
        break
    obj, i = dec.raw_decode(text, i)
    n += sum(p.get("pfxRcd", 0) for p in obj.get("peers", {}).values())
print(n)' 2>/dev/null || echo 0
}

start_bgpsentry() {
  cat > "$tmp/bs.yaml" <<EOF
log: {level: warn}
api: {listen: 127.0.0.1:$api}
sources:
  - name: coll
    type: bgp
    local_as: 65000
    router_id: 127.0.0.1
    listen: 127.0.0.1:$port
    peers:
      - range: 127.0.0.0/8
EOF
  "$ours" run -c "$tmp/bs.yaml" > "$tmp/daemon.log" 2>&1 &
  daemon_pid=$!
  for _ in $(seq 100); do
    curl -s "127.0.0.1:$api/healthz" >/dev/null && return; sleep 0.1
  done
  echo "bench: bgpsentry did not start" >&2; exit 1
}
start_bird() {
  cat > "$tmp/bird.conf" <<EOF
router id 127.0.0.1;
protocol device {}
ipv4 table t4; ipv6 table t6;
template bgp coll {
  local 127.0.0.1 port $port as 65000; passive on; multihop;
  ipv4 { table t4; import all; export none; };
  ipv6 { table t6; import all; export none; };
}
protocol bgp collector from coll { neighbor range 127.0.0.0/8 external; }
EOF
  bird -f -c "$tmp/bird.conf" -s "$tmp/bird.ctl" -P "$tmp/bird.pid" \
    > "$tmp/daemon.log" 2>&1 &
  daemon_pid=$!
  for _ in $(seq 100); do
    birdc -s "$tmp/bird.ctl" show status >/dev/null 2>&1 && return; sleep 0.1
  done
  echo "bench: bird did not start" >&2; exit 1
}
start_frr() {
  cat > "$tmp/bgpd.conf" <<EOF
hostname frr-collector
log stdout warnings
route-map DENYALL deny 10
exit
router bgp 65000
 bgp router-id 127.0.0.1
 no bgp ebgp-requires-policy
 neighbor coll peer-group
 neighbor coll remote-as external
 neighbor coll passive
 neighbor coll ebgp-multihop 255
 bgp listen range 127.0.0.0/8 peer-group coll
 address-family ipv4 unicast
  neighbor coll activate
  neighbor coll route-map DENYALL out
 exit-address-family
 address-family ipv6 unicast
  neighbor coll activate
  neighbor coll route-map DENYALL out
 exit-address-family
EOF
  /usr/lib/frr/bgpd -f "$tmp/bgpd.conf" -Z -S -l 127.0.0.1 -p "$port" \
    -i "$tmp/bgpd.pid" --vty_socket "$tmp" -A 127.0.0.1 -P 0 \
    > "$tmp/daemon.log" 2>&1 &
  daemon_pid=$!
  for _ in $(seq 100); do
    vtysh --vty_socket "$tmp" -c "show bgp summary" >/dev/null 2>&1 && return
    sleep 0.1
  done
  echo "bench: bgpd did not start" >&2; exit 1
}

# one run: "seconds routes peak_kb base_kb"
one() {
  local who=$1 t0 last=-1 n changed stable=0
  "start_$who"
  sleep 1
  local base; base=$(rss "$daemon_pid" VmRSS)
  t0=$(now); changed=$t0
  "$ours" replay "$gen" --bgp "127.0.0.1:$port" > "$tmp/replay.out" 2>&1 &
  replay_pid=$!
  while :; do
    sleep 0.5
    n=$("count_$who")
    if [ "$n" != "$last" ]; then last=$n; changed=$(now); stable=0
    elif grep -q '^sent:' "$tmp/replay.out" && [ "$n" -gt 0 ]; then
      stable=$((stable + 1))
      [ $stable -ge 4 ] && break
    fi
    kill -0 "$replay_pid" 2>/dev/null || { cat "$tmp/replay.out" >&2; exit 1; }
  done
  local peak; peak=$(rss "$daemon_pid" VmHWM)
  kill -INT "$replay_pid"; wait "$replay_pid" 2>/dev/null || true; replay_pid=
  kill "$daemon_pid"; wait "$daemon_pid" 2>/dev/null || true; daemon_pid=
  sleep 1
  echo "$(echo "$changed - $t0" | bc) $last $peak $base"
}

median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

echo "sending the full tables of every peer of $(basename "$gen") \
($(stat -c %s "$gen") bytes)"
declare -A T R P B
for r in $(seq "$runs"); do
  for who in bgpsentry bird frr; do
    read -r t n p b < <(one "$who")
    echo "run $r $who: ${t}s, $n routes, peak RSS ${p} kB (${b} kB before);" \
      "replay: $(grep -c '^session ' "$tmp/replay.out") sessions"
    T[$who]+="$t "; R[$who]=$n; P[$who]+="$p "; B[$who]+="$b "
  done
done

printf '\n%-10s %10s %12s %10s %10s %12s\n' daemon seconds routes/s \
  routes "peak MB" "bytes/route"
for who in bgpsentry bird frr; do
  t=$(echo ${T[$who]} | tr ' ' '\n' | median)
  p=$(echo ${P[$who]} | tr ' ' '\n' | median)
  b=$(echo ${B[$who]} | tr ' ' '\n' | median)
  n=${R[$who]}
  printf '%-10s %10.1f %12.0f %10d %10.0f %12.0f\n' "$who" "$t" \
    "$(echo "$n / $t" | bc -l)" "$n" "$(echo "$p / 1024" | bc -l)" \
    "$(echo "($p - $b) * 1024 / $n" | bc -l)"
  eval "t_$who=$t; bpr_$who=$(echo "($p - $b) * 1024 / $n" | bc -l)"
done
echo
printf 'time:   BIRD / bgpsentry %.2f, FRR / bgpsentry %.2f\n' \
  "$(echo "$t_bird / $t_bgpsentry" | bc -l)" \
  "$(echo "$t_frr / $t_bgpsentry" | bc -l)"
printf 'memory: bgpsentry / BIRD %.2f, bgpsentry / FRR %.2f (bytes per route)\n' \
  "$(echo "$bpr_bgpsentry / $bpr_bird" | bc -l)" \
  "$(echo "$bpr_bgpsentry / $bpr_frr" | bc -l)"
