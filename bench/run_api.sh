#!/usr/bin/env bash
# API benchmark: the looking glass of a daemon holding the full-scale
# RIB (bench/gen-rib, 48 peers, ~50.8M routes) while a second source
# replays real RIS update files at full speed, again and again; wrk asks
# "every route for P" over a sample of the RIB's own prefixes.
#  1. the RIB loads (its load time is printed); wrk for API_SECONDS with
#     no ingest (the API's own capacity);
#  2. the update source is added (a reload) and its rate measured over
#     WINDOW seconds with no request;
#  3. wrk for API_SECONDS: its requests/s and p99, and the update rate
#     meanwhile;
#  4. the update rate again over WINDOW seconds with no request;
#  5. steps 3 and 4 again with wrk asking for one real prefix only (the
#     issue's form), then over a cold sample of 200,000 prefixes (each
#     answer made anew: the cache has forgotten it when it comes back);
#     the cache's hit ratio of each wrk run is printed; and the sample
#     paced to about 20k requests/s (the target's rate) before the cold
#     one.
# Ingest slows by 1 - (rate under wrk) / (mean of the rates around it).
# Medians of API_RUNS runs. Needs ~3 GB of disk in $TMPDIR and ~2.5 GB
# of memory. API_PEERS (48), API_SECONDS (30), API_CONNS (32), API_RUNS
# (3) and API_WINDOW (15) change the set-up; API_GEN=FILE uses a RIB
# file gen-rib made before.
set -euo pipefail
build=${1:-build}; data=${2:-../shared/data}
peers=${API_PEERS:-48}; secs=${API_SECONDS:-30}; conns=${API_CONNS:-32}
runs=${API_RUNS:-3}; window=${API_WINDOW:-15}
if [ ! -d "$data/mrt" ]; then
  echo "bench: $data/mrt not found; the benchmark needs the shared data" >&2
  exit 2
fi
command -v wrk >/dev/null || { echo "bench: wrk is not installed" >&2; exit 2; }
ours="$(cd "$(dirname "$build/bgpsentry")" && pwd)/bgpsentry"
tmp=${TMPDIR:-/tmp}/bgps-bench-api.$$
mkdir -p "$tmp"
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

tpl="$data/mrt/routeviews/route-views2.rib.20140523.0600_firstMB.bz2"
# API_GEN=FILE: a file gen-rib made before (to try changes quickly)
if [ -n "${API_GEN:-}" ]; then
  ln -s "$(realpath "$API_GEN")" "$tmp/gen.mrt"
else
  "$build/bench/gen-rib" --peers "$peers" "$tmp/gen.mrt" "$tpl"
fi
# 2000 of its prefixes, spread over the file; and 200,000 (every 250th
# route: asked in turn, each comes back only after the cache has
# forgotten it, so that every answer is made anew)
"$ours" mrt dump -m -q "$tmp/gen.mrt" 2>/dev/null |
  awk -F'|' -v n=2000 -v cold="$tmp/cold" '
    NR % 25000 == 1 && c < n { print $6; c++ }
    NR % 250 == 1 && $6 != last { print $6 > cold; last = $6 }' > "$tmp/prefixes"
echo "prefix sample: $(wc -l < "$tmp/prefixes") prefixes; cold sample: $(wc -l < "$tmp/cold")"
one=$(sed -n 2p "$tmp/prefixes")
echo "one prefix: $one"
cat > "$tmp/lg.lua" <<'LUA'
local prefixes = {}
for line in io.lines(os.getenv("PREFIXES")) do prefixes[#prefixes + 1] = line end
local i = 0
request = function()
  i = i % #prefixes + 1
  return wrk.format("GET", "/api/v1/prefix/" .. prefixes[i])
end
LUA
# the same, each connection waiting 1 ms before each request: about 20k
# requests/s from 32 connections, the rate the target names
{ cat "$tmp/lg.lua"; echo 'delay = function() return 1 end'; } > "$tmp/paced.lua"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$tmp/c.yaml" <<YAML
log: {level: warn}
api: {listen: 127.0.0.1:$port}
sources:
  - {name: full, type: mrt, files: [$tmp/gen.mrt]}
YAML
# the updates: real RIS files of three times, merged, looping
upd="$data/mrt/bgpdump-test/updates.20160811.1600.gz"
upd2="$data/mrt/bgpdump-test/updates.20070211.0141.gz"
upd3="$data/mrt/ris/rrc15.updates.20100227.1600.gz"
cat "$tmp/c.yaml" > "$tmp/c2.yaml"
cat >> "$tmp/c2.yaml" <<YAML
  - {name: updates, type: mrt, files: [$upd, $upd2, $upd3], loop: true}
YAML
url="http://127.0.0.1:$port"

start() {
  cp "$tmp/c.yaml" "$tmp/run.yaml"
  "$ours" run -c "$tmp/run.yaml" > "$tmp/daemon.log" 2>&1 &
  pid=$!
  until curl -sf "$url/healthz" >/dev/null; do sleep 0.05; done
}
stop() { kill "$pid"; wait "$pid" || true; pid=; }
# seconds from the RIB source's start to the end of its replay
load_secs() {
  until curl -s "$url/api/v1/sources" | grep -q '"state":"done"'; do sleep 0.2; done
  curl -s "$url/api/v1/sources" | python3 -c '
import json,sys
s=[x for x in json.load(sys.stdin) if x["name"] == "full"][0]
print("%.3f" % ((s["since_us"] - s["started_us"]) / 1e6))'
}
# the update source's events so far, and the time (s)
events() {
  curl -s "$url/api/v1/sources" | python3 -c '
import json,sys,time
s=[x for x in json.load(sys.stdin) if x["name"] == "updates"][0]
print(s["events"], time.time())'
}
# events per second over $1 seconds (or while a command runs)
rate_over() {
  local e0 t0 e1 t1
  read -r e0 t0 < <(events)
  if [ "$1" = wrk ]; then wrk_run "$secs" > "$tmp/wrk.out"; else sleep "$1"; fi
  read -r e1 t1 < <(events)
  python3 -c "print('%.0f' % (($e1 - $e0) / ($t1 - $t0)))"
}
# the answers kept: hits and misses so far
cache() {
  curl -s "$url/metrics" | awk '/^bgpsentry_api_cache_requests_total/ {
    v[$1 ~ /hit/] = $2 } END { print v[1] + 0, v[0] + 0 }'
}
# wrk's requests/s, p99 (ms), failures and the cache's hit ratio; over
# the sample, one prefix with MODE=one, the cold sample with MODE=cold
wrk_run() {
  local h0 m0 h1 m1
  read -r h0 m0 < <(cache)
  if [ "${MODE:-}" = one ]; then
    wrk -t1 -c"$conns" -d"$1"s --latency "$url/api/v1/prefix/$one" > "$tmp/wrk.txt"
  elif [ "${MODE:-}" = paced ]; then
    PREFIXES="$tmp/prefixes" wrk -t1 -c"$conns" -d"$1"s --latency -s "$tmp/paced.lua" "$url" > "$tmp/wrk.txt"
  else
    PREFIXES="$tmp/${MODE:-prefixes}" wrk -t1 -c"$conns" -d"$1"s --latency -s "$tmp/lg.lua" "$url" > "$tmp/wrk.txt"
  fi
  read -r h1 m1 < <(cache)
  echo "$((h1 - h0)) $((m1 - m0))" > "$tmp/hits"
  python3 - "$tmp/wrk.txt" "$tmp/hits" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
v, unit = re.search(r"\s99%\s+([\d.]+)(us|ms|s)", t).groups()
p99 = float(v) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[unit]
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
h, m = map(int, open(sys.argv[2]).read().split())
print(f"{rps:.0f} {p99:.2f} {non2xx.group(1) if non2xx else 0} {h / max(h + m, 1):.2f}")
PY
}
# wrk (MODE: the sample, one, paced or cold) while the update rate is
# measured, then the rate alone again; prints both rates, requests/s,
# p99, hit ratio and how much ingest slowed against the mean of the rate
# before ($2) and after
phase() {
  local during after q p bad h
  during=$(MODE=$1 rate_over wrk)
  after=$(rate_over "$window")
  read -r q p bad h < "$tmp/wrk.out"
  [ "$bad" = 0 ] || { echo "bench: $bad requests failed" >&2; exit 1; }
  echo "$during $after $q $p $h $(python3 -c "print('%.1f' % ((1 - $during / (($2 + $after) / 2)) * 100))")"
}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

loads=(); slow=(); rps=(); p99=(); ra=(); rb=(); irps=(); ip99=()
slow1=(); rps1=(); p991=(); hit=(); hit1=(); slow2=(); rps2=(); p992=(); hit2=(); slow3=(); rps3=(); p993=()
for r in $(seq "$runs"); do
  start; loads+=("$(load_secs)")
  wrk_run "$secs" > "$tmp/idle.out"         # queries with no ingest
  read -r q p bad h < "$tmp/idle.out"
  irps+=("$q"); ip99+=("$p")
  cp "$tmp/c2.yaml" "$tmp/run.yaml"
  curl -sf -X POST "$url/api/v1/reload" > /dev/null
  sleep 3                                   # the update files open
  before=$(rate_over "$window")
  res=$(phase "" "$before"); read -r during after q p h sl <<< "$res"
  rps+=("$q"); p99+=("$p"); hit+=("$h"); slow+=("$sl")
  ra+=("$(python3 -c "print(($before + $after) / 2)")"); rb+=("$during")
  res=$(phase one "$after"); read -r during1 after1 q p h sl <<< "$res"
  rps1+=("$q"); p991+=("$p"); hit1+=("$h"); slow1+=("$sl")
  res=$(phase paced "$after1"); read -r during3 after3 q p h sl <<< "$res"
  rps3+=("$q"); p993+=("$p"); slow3+=("$sl")
  res=$(phase cold "$after3"); read -r during2 after2 q p h sl <<< "$res"
  rps2+=("$q"); p992+=("$p"); hit2+=("$h"); slow2+=("$sl")
  stop
  echo "run $r: RIB load ${loads[-1]} s; updates alone $before/s, $after/s, $after1/s, $after3/s, $after2/s;" \
    "sample under wrk $during/s (slowed ${slow[-1]}%), ${rps[-1]} queries/s p99 ${p99[-1]} ms, hits ${hit[-1]};" \
    "one prefix under wrk $during1/s (slowed ${slow1[-1]}%), ${rps1[-1]} queries/s p99 ${p991[-1]} ms, hits ${hit1[-1]};" \
    "sample paced under wrk $during3/s (slowed ${slow3[-1]}%), ${rps3[-1]} queries/s p99 ${p993[-1]} ms;" \
    "cold sample under wrk $during2/s (slowed ${slow2[-1]}%), ${rps2[-1]} queries/s p99 ${p992[-1]} ms, hits ${hit2[-1]};" \
    "sample with no ingest ${irps[-1]}/s p99 ${ip99[-1]} ms"
done
echo
echo "RIB load ($peers peers): $(printf '%s\n' "${loads[@]}" | median) s"
echo "updates replayed alone: $(printf '%s\n' "${ra[@]}" | median) events/s; under wrk: $(printf '%s\n' "${rb[@]}" | median) events/s; slowed by $(printf '%s\n' "${slow[@]}" | median)%"
echo "queries during the updates ($conns connections, ${secs}s): $(printf '%s\n' "${rps[@]}" | median) requests/s, p99 $(printf '%s\n' "${p99[@]}" | median) ms"
echo "queries with no ingest: $(printf '%s\n' "${irps[@]}" | median) requests/s, p99 $(printf '%s\n' "${ip99[@]}" | median) ms"
echo "one prefix ($one) during the updates: $(printf '%s\n' "${rps1[@]}" | median) requests/s, p99 $(printf '%s\n' "${p991[@]}" | median) ms, ingest slowed by $(printf '%s\n' "${slow1[@]}" | median)%, cache hits $(printf '%s\n' "${hit1[@]}" | median)"
echo "cache hits over the sample during the updates: $(printf '%s\n' "${hit[@]}" | median)"
echo "sample paced ($conns connections, 1 ms between requests) during the updates: $(printf '%s\n' "${rps3[@]}" | median) requests/s, p99 $(printf '%s\n' "${p993[@]}" | median) ms, ingest slowed by $(printf '%s\n' "${slow3[@]}" | median)%"
echo "cold sample (every answer made anew) during the updates: $(printf '%s\n' "${rps2[@]}" | median) requests/s, p99 $(printf '%s\n' "${p992[@]}" | median) ms, ingest slowed by $(printf '%s\n' "${slow2[@]}" | median)%, cache hits $(printf '%s\n' "${hit2[@]}" | median)"
