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
#     CPU second, A's stream counters;
#  4. ingest is never slowed by a /v1/ws client: daemon A replays the
#     RIB excerpt and rrc15's updates five times with no client, with
#     bgpsentry B reading every message, and with a client that reads
#     nothing (closed once its queue is full); the replay's time and A's
#     CPU, each beside the no-client run.
# Medians of RL_RUNS runs (default 3). Target: 300k messages/s per core.
#
#   bench/run_rislive.sh [BUILD] [SHARED_DATA]
# RL_PARTS picks parts (default 1234).
set -euo pipefail
build=${1:-build}; data=${2:-../shared/data}
runs=${RL_RUNS:-3}; loops=${RL_LOOPS:-40}; parts=${RL_PARTS:-1234}
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

rrc15="$data/mrt/ris/rrc15.updates.20100227.1600.gz"
rv="$data/mrt/routeviews/route-views2.rib.20140523.0600_firstMB.bz2"
if [[ $parts == *1* || $parts == *2* ]]; then
/usr/bin/python3 "$conv" "$rrc15" --host rrc15 > "$tmp/rrc15.jsonl"
/usr/bin/python3 "$conv" "$rrc15" --host rrc15 --raw > "$tmp/rrc15-raw.jsonl"
/usr/bin/python3 "$conv" "$data/mrt/bgpdump-test/updates.20160811.1600.gz" \
  --host rrc00 > "$tmp/u2016.jsonl"
fi
if [[ $parts == *1* ]]; then
echo "== 1. decoding, per core"
for c in rrc15 rrc15-raw u2016; do
  echo "-- $c: the libraries"
  "$build/bench/bench_json" --runs 5 "$tmp/$c.jsonl"
  echo "-- $c: bgpsentry"
  "$build/bench/bench_rislive" --runs 5 "$tmp/$c.jsonl"
done
fi

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

if [[ $parts == *2* ]]; then
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

fi

if [[ $parts == *3* ]]; then
echo
echo "== 3. bgpsentry A (replaying, /v1/ws) to bgpsentry B (rislive source)"
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

fi

if [[ $parts == *4* ]]; then
echo
echo "== 4. ingest beside /v1/ws clients (the replay of part 3, in daemon A)"
cat > "$tmp/wsclient.py" <<'EOF'
# wsclient.py PORT: subscribes to everything and never reads (a 16 KB
# kernel buffer, one message queued)
import asyncio, json, socket, sys
import websockets

async def main(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
    s.connect(("127.0.0.1", port))
    s.setblocking(False)
    ws = await websockets.connect(f"ws://127.0.0.1:{port}/v1/ws/", sock=s,
                                  compression=None, ping_interval=None,
                                  max_queue=1)
    await ws.send(json.dumps({"type": "ris_subscribe", "data": {}}))
    print("subscribed", flush=True)
    await asyncio.sleep(3600)

asyncio.run(main(int(sys.argv[1])))
EOF
# the RIB excerpt, then rrc15's updates five times (302,791 messages)
files="$rv, $rrc15, $rrc15, $rrc15, $rrc15, $rrc15"
declare -A TT CC
for mode in none reader stalled; do TT[$mode]=""; CC[$mode]=""; done
for r in $(seq "$runs"); do
  for mode in none reader stalled; do
    # the stalled client's queue is the default 8 MB; the reader's 1 GB
    # (a RIB dump replays faster than any client reads)
    q=1048576; [ "$mode" = stalled ] && q=8192
    daemon a "$api_a" "  []" "  stream_queue_kb: $q"
    apid=${pids[-1]}
    case $mode in
    reader)	# bgpsentry B reads every message
      daemon b "$api_b" "  - name: ris
    type: rislive
    url: ws://127.0.0.1:$api_a/v1/ws/
    silence_timeout: 0"
      until curl -s "127.0.0.1:$api_b/api/v1/rislive" | grep -q '"streaming":true'; do sleep 0.05; done
      ;;
    stalled)
      /usr/bin/python3 "$tmp/wsclient.py" "$api_a" > "$tmp/wsc.out" 2>&1 &
      pids+=($!)
      until grep -q subscribed "$tmp/wsc.out"; do sleep 0.05; done
      ;;
    esac
    if [ "$mode" != none ]; then
      until curl -s "127.0.0.1:$api_a/metrics" | grep -q '^bgpsentry_stream_clients 1'; do sleep 0.05; done
      sleep 0.3
    fi
    cat > "$tmp/a.yaml" <<EOF
log: {level: warn}
api:
  listen: 127.0.0.1:$api_a
  stream_queue_kb: $q
sources:
  - name: rv
    type: mrt
    files: [$files]
EOF
    c0=$(cpu_ticks "$apid"); t0=$(date +%s.%N)
    kill -HUP "$apid"
    until [ "$(src "$api_a" rv state)" = done ]; do sleep 0.02; done
    t1=$(date +%s.%N); c1=$(cpu_ticks "$apid")
    m=$(curl -s "127.0.0.1:$api_a/metrics")
    pub=$(echo "$m" | awk '$1 == "bgpsentry_stream_messages_total{stage=\"published\"}" { print $2 }')
    dropped=$(echo "$m" | awk '$1 == "bgpsentry_stream_messages_total{stage=\"dropped\"}" { print $2 }')
    closed=$(echo "$m" | awk '$1 == "bgpsentry_stream_clients_closed_slow_total" { print $2 }')
    stop_daemons
    t=$(echo "$t1 - $t0" | bc -l); cpu=$(echo "($c1 - $c0) / $hz" | bc -l)
    printf 'run %d, %-7s: replay %.2f s, daemon CPU %.2f s; messages printed %s, dropped %s, clients closed slow %s\n' \
      "$r" "$mode" "$t" "$cpu" "${pub:-0}" "${dropped:-0}" "${closed:-0}"
    TT[$mode]+=" $t"; CC[$mode]+=" $cpu"
    [ "$mode" = reader ] && PUB=${pub:-0}
  done
done
# shellcheck disable=SC2086
t_none=$(median ${TT[none]}); c_none=$(median ${CC[none]})
for mode in none reader stalled; do
  # shellcheck disable=SC2086
  t=$(median ${TT[$mode]}); c=$(median ${CC[$mode]})
  printf 'median of %d, %-7s: replay %.2f s (%.2fx no client), daemon CPU %.2f s (%.2fx)\n' \
    "$runs" "$mode" "$t" "$(echo "$t / $t_none" | bc -l)" "$c" "$(echo "$c / $c_none" | bc -l)"
done
# shellcheck disable=SC2086
c_reader=$(median ${CC[reader]})
printf 'serving every message to a reader: %.2f us of daemon CPU per message\n' \
  "$(echo "($c_reader - $c_none) * 1000000 / $PUB" | bc -l)"
fi
