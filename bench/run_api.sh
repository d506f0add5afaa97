#!/usr/bin/env bash
# API benchmark: the looking glass of a daemon holding the full-scale
# RIB (bench/gen-rib, 48 peers, ~50.8M routes), hammered by wrk with
# "every route for P" requests over a sample of the RIB's own prefixes.
#  1. ingest alone: the daemon loads the RIB with no request (load time);
#  2. ingest under load: the same load with wrk running from the moment
#     the API answers (load time, and wrk's figures during the load);
#  3. queries alone: wrk for API_SECONDS against the loaded RIB.
# Medians of API_RUNS runs. Needs ~3 GB of disk in $TMPDIR and ~2 GB of
# memory. API_PEERS (48), API_SECONDS (30), API_CONNS (32) and API_RUNS
# (3) change the set-up.
set -euo pipefail
build=${1:-build}; data=${2:-../shared/data}
peers=${API_PEERS:-48}; secs=${API_SECONDS:-30}; conns=${API_CONNS:-32}
runs=${API_RUNS:-3}
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
"$build/bench/gen-rib" --peers "$peers" "$tmp/gen.mrt" "$tpl"
# 2000 of its prefixes, spread over the file
"$ours" mrt dump -m -q "$tmp/gen.mrt" 2>/dev/null |
  awk -F'|' -v n=2000 'NR % 25000 == 1 && c < n { print $6; c++ }' > "$tmp/prefixes"
echo "prefix sample: $(wc -l < "$tmp/prefixes") prefixes"
cat > "$tmp/lg.lua" <<'LUA'
local prefixes = {}
for line in io.lines(os.getenv("PREFIXES")) do prefixes[#prefixes + 1] = line end
local i = 0
request = function()
  i = i % #prefixes + 1
  return wrk.format("GET", "/api/v1/prefix/" .. prefixes[i])
end
LUA
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$tmp/c.yaml" <<YAML
log: {level: warn}
api: {listen: 127.0.0.1:$port}
sources:
  - {name: full, type: mrt, files: [$tmp/gen.mrt]}
YAML
url="http://127.0.0.1:$port"

start() {
  "$ours" run -c "$tmp/c.yaml" > "$tmp/daemon.log" 2>&1 &
  pid=$!
  until curl -sf "$url/healthz" >/dev/null; do sleep 0.05; done
}
stop() { kill "$pid"; wait "$pid" || true; pid=; }
# seconds from the source's start to the end of its replay
load_secs() {
  until curl -s "$url/api/v1/sources" | grep -q '"state":"done"'; do sleep 0.2; done
  curl -s "$url/api/v1/sources" | python3 -c '
import json,sys; s=json.load(sys.stdin)[0]
print("%.3f" % ((s["since_us"] - s["started_us"]) / 1e6))'
}
# wrk's requests/s and p99 (ms)
wrk_run() {
  PREFIXES="$tmp/prefixes" wrk -t1 -c"$conns" -d"$1"s --latency -s "$tmp/lg.lua" "$url" > "$tmp/wrk.txt"
  python3 - "$tmp/wrk.txt" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
v, unit = re.search(r"\s99%\s+([\d.]+)(us|ms|s)", t).groups()
p99 = float(v) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[unit]
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
print(f"{rps:.0f} {p99:.2f} {non2xx.group(1) if non2xx else 0}")
PY
}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

alone=(); under=(); drps=(); dp99=(); rps=(); p99=()
for r in $(seq "$runs"); do
  start; alone+=("$(load_secs)")
  read -r q p bad < <(wrk_run "$secs")
  [ "$bad" = 0 ] || { echo "bench: $bad requests failed" >&2; exit 1; }
  rps+=("$q"); p99+=("$p")
  stop
  start
  wrk_run "$secs" > "$tmp/during" &
  wpid=$!
  under+=("$(load_secs)")
  wait "$wpid"
  read -r q p bad < "$tmp/during"
  drps+=("$q"); dp99+=("$p")
  stop
  echo "run $r: load alone ${alone[-1]} s, under wrk ${under[-1]} s;" \
    "queries alone ${rps[-1]}/s p99 ${p99[-1]} ms; during the load ${drps[-1]}/s p99 ${dp99[-1]} ms"
done
la=$(printf '%s\n' "${alone[@]}" | median); lu=$(printf '%s\n' "${under[@]}" | median)
echo
printf 'ingest (RIB load of %s peers): alone %s s, under wrk %s s: slowed by %.0f%%\n' \
  "$peers" "$la" "$lu" "$(echo "($lu / $la - 1) * 100" | bc -l)"
echo "queries on the loaded RIB ($conns connections, ${secs}s): $(printf '%s\n' "${rps[@]}" | median) requests/s, p99 $(printf '%s\n' "${p99[@]}" | median) ms"
echo "queries during the load: $(printf '%s\n' "${drps[@]}" | median) requests/s, p99 $(printf '%s\n' "${dp99[@]}" | median) ms"
