#!/usr/bin/env bash
# RIS Live, in three parts:
#  1. the JSON libraries on real ris_message lines (bench_json: jansson,
#     cJSON, json-c, yajl; parse + walk + free), and our decoder and the
#     whole client path without the network (bench_rislive), per core;
#  2. end to end from a local replay server: rislive_server.py (Python
#     websockets, plain ws) sends rrc15's updates RL_LOOPS times to a
#     daemon's rislive source; the time until every message is in, and
#     the messages per second of the daemon's CPU time;
#  3. bgpsentry to bgpsentry: daemon A replays the RouteViews RIB excerpt
#     and rrc15's updates and serves /v1/ws; daemon B consumes it as a
#     rislive source: the time until B has every route, B's messages per
#     CPU second, A's stream counters.
# Medians of RL_RUNS runs (default 3). Target: 300k messages/s per core.
#
#   bench/run_rislive.sh [BUILD] [SHARED_DATA]
set -euo pipefail
build=${1:-build}; data=${2:-../shared/data}
runs=${RL_RUNS:-3}; loops=${RL_LOOPS:-40}
here=$(cd "$(dirname "$0")" && pwd)
ours="$build/bgpsentry"
conv="$here/../tests/integration/rislive_conv.py"
server="$here/../tests/integration/rislive_server.py"
if [ ! -d "$data/mrt" ] || [ ! -d "$data/rislive" ]; then
  echo "bench: $data not found; run_rislive.sh needs the shared data" >&2
  exit 0
fi
command -v bgpdump > /dev/null || { echo "bench: bgpdump missing" >&2; exit 0; }
tmp=${TMPDIR:-/tmp}/bgps-bench-rislive.$$
mkdir -p "$tmp"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null; rm -rf "$tmp"
}
trap cleanup EXIT
hz=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
api_a=18491; api_b=18492

echo "== 1. decoding, per core"
rrc15="$data/mrt/ris/rrc15.updates.20100227.1600.gz"
/usr/bin/python3 "$conv" "$rrc15" --host rrc15 > "$tmp/rrc15.jsonl"
/usr/bin/python3 "$conv" "$rrc15" --host rrc15 --raw > "$tmp/rrc15-raw.jsonl"
/usr/bin/python3 "$conv" "$data/mrt/bgpdump-test/updates.20160811.1600.gz" \
  --host rrc00 > "$tmp/u2016.jsonl"
for c in rrc15 rrc15-raw u2016; do
  echo "-- $c: the libraries"
  "$build/bench/bench_json" --runs 5 "$tmp/$c.jsonl"
  echo "-- $c: bgpsentry"
  "$build/bench/bench_rislive" --runs 5 "$tmp/$c.jsonl"
done

daemon() {	# daemon NAME PORT CONFIG-SOURCES [API-EXTRA]
  cat > "$tmp/$1.yaml" <<EOF
log: {level: warn}
api:
  listen: 127.0.0.1:$2
${4:-}
sources:
$3
EOF
  "$ours" run -c "$tmp/$1.yaml" > "$tmp/$1.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do
    curl -s "127.0.0.1:$2/healthz" >/dev/null && return; sleep 0.1
  done
  echo "bench: daemon $1 did not start" >&2; cat "$tmp/$1.log" >&2; exit 1
}
stop_daemons() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true; pids=()
}
src() {	# src PORT NAME FIELD
  curl -s "127.0.0.1:$1/api/v1/sources" | python3 -c "
import json, sys
for s in json.load(sys.stdin):
    if s['name'] == '$2': print(s['$3'])" 2>/dev/null || echo 0
}
rl_total() {	# messages the rislive client has read
  curl -s "127.0.0.1:$1/api/v1/rislive" | python3 -c '
import json, sys
print(json.load(sys.stdin)[0]["messages"]["ris_message"])' 2>/dev/null || echo 0
}

echo
echo "== 2. end to end from a replay server (rrc15 x $loops, plain ws)"
n=$(wc -l < "$tmp/rrc15.jsonl")
want=$((n * loops))
T=(); R=(); C=()
for r in $(seq "$runs"); do
  /usr/bin/python3 "$server" --jsonl "$tmp/rrc15.jsonl" --loop "$loops" \
    --no-compression > "$tmp/srv.out" 2> "$tmp/srv.err" &
  spid=$!
  pids+=($spid)
  for _ in $(seq 100); do grep -q listening "$tmp/srv.out" && break; sleep 0.1; done
  port=$(awk '/listening/ { print $2 }' "$tmp/srv.out")
  t0=$(date +%s.%N)
  daemon b "$api_b" "  - name: ris
    type: rislive
    url: ws://127.0.0.1:$port/v1/ws/
    silence_timeout: 0"
  dpid=${pids[-1]}
  c0=$(cpu_ticks "$dpid")
  while [ "$(rl_total "$api_b")" -lt "$want" ]; do
    sleep 0.2
    kill -0 "$spid" 2>/dev/null || { cat "$tmp/srv.err" >&2; exit 1; }
  done
  t1=$(date +%s.%N); c1=$(cpu_ticks "$dpid")
  stop_daemons
  t=$(echo "$t1 - $t0" | bc -l); cpu=$(echo "($c1 - $c0) / $hz" | bc -l)
  printf 'run %d: %d messages in %.2f s: %.0f messages/s; daemon CPU %.2f s: %.0f messages per CPU second\n' \
    "$r" "$want" "$t" "$(echo "$want / $t" | bc -l)" "$cpu" "$(echo "$want / $cpu" | bc -l)"
  T+=("$t"); R+=("$(echo "$want / $t" | bc -l)"); C+=("$(echo "$want / $cpu" | bc -l)")
done
printf 'median of %d: %.2f s, %.0f messages/s (the Python server is the limit), %.0f messages per daemon CPU second\n' \
  "$runs" "$(median "${T[@]}")" "$(median "${R[@]}")" "$(median "${C[@]}")"

echo
echo "== 3. bgpsentry A (replaying, /v1/ws) to bgpsentry B (rislive source)"
rv="$data/mrt/routeviews/route-views2.rib.20140523.0600_firstMB.bz2"
T=(); R=(); C=()
for r in $(seq "$runs"); do
  daemon a "$api_a" "  []" "  stream_queue_kb: 1048576"
  apid=${pids[-1]}
  daemon b "$api_b" "  - name: ris
    type: rislive
    url: ws://127.0.0.1:$api_a/v1/ws/
    silence_timeout: 0"
  bpid=${pids[-1]}
  until curl -s "127.0.0.1:$api_a/metrics" | grep -q '^bgpsentry_stream_clients 1'; do sleep 0.1; done
  sleep 0.5
  cat > "$tmp/a.yaml" <<EOF
log: {level: warn}
api:
  listen: 127.0.0.1:$api_a
  stream_queue_kb: 1048576
sources:
  - name: rv
    type: mrt
    files: [$rv, $rrc15]
EOF
  c0=$(cpu_ticks "$bpid"); t0=$(date +%s.%N)
  kill -HUP "$apid"
  until [ "$(src "$api_a" rv state)" = done ]; do sleep 0.1; done
  ann=$(src "$api_a" rv announcements); wd=$(src "$api_a" rv withdrawals)
  until [ "$(src "$api_b" ris announcements)" = "$ann" ] &&
        [ "$(src "$api_b" ris withdrawals)" = "$wd" ]; do sleep 0.1; done
  t1=$(date +%s.%N); c1=$(cpu_ticks "$bpid")
  msgs=$(rl_total "$api_b")
  stats=$(curl -s "127.0.0.1:$api_a/metrics" | grep '^bgpsentry_stream_messages_total' | tr '\n' ' ')
  stop_daemons
  t=$(echo "$t1 - $t0" | bc -l); cpu=$(echo "($c1 - $c0) / $hz" | bc -l)
  printf 'run %d: %d messages (%d announcements) in %.2f s: %.0f messages/s; B CPU %.2f s: %.0f messages per CPU second\n' \
    "$r" "$msgs" "$ann" "$t" "$(echo "$msgs / $t" | bc -l)" "$cpu" "$(echo "$msgs / $cpu" | bc -l)"
  echo "  A: $stats"
  T+=("$t"); R+=("$(echo "$msgs / $t" | bc -l)"); C+=("$(echo "$msgs / $cpu" | bc -l)")
done
printf 'median of %d: %.2f s, %.0f messages/s, %.0f messages per B CPU second\n' \
  "$runs" "$(median "${T[@]}")" "$(median "${R[@]}")" "$(median "${C[@]}")"
