#!/usr/bin/env bash
# Web UI benchmark: each page's time from navigation to its data shown,
# in Debian's Chromium (bench/ui_pages.mjs), served by a daemon holding
# the full-scale RIB (bench/gen-rib, UI_PEERS peers, 48 by default:
# ~50.8M routes) while a second source replays real RIS update files in
# a loop (ingest running, as in a live system). Cold: a new browser
# context (nothing cached); warm: the same page again. Beside it, the
# time of the API calls the page makes (curl, medians), so that the
# page's own share shows. Medians of UI_RUNS (7). UI_GEN=FILE uses a
# RIB file gen-rib made before. Needs ~3 GB of disk in $TMPDIR, ~2.5 GB
# of memory, and the UI built (make ui).
set -euo pipefail
build=${1:-build}; data=${2:-../shared/data}
peers=${UI_PEERS:-48}; runs=${UI_RUNS:-7}
root="$(cd "$(dirname "$0")/.." && pwd)"
[ -d "$data/mrt" ] || { echo "bench: $data/mrt not found; the benchmark needs the shared data" >&2; exit 2; }
[ -f "$root/ui/dist/index.html" ] || { echo "bench: the UI is not built (make ui)" >&2; exit 2; }
ours="$(cd "$(dirname "$build/bgpsentry")" && pwd)/bgpsentry"
tmp=${TMPDIR:-/tmp}/bgps-bench-ui.$$
mkdir -p "$tmp"
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

tpl="$data/mrt/routeviews/route-views2.rib.20140523.0600_firstMB.bz2"
if [ -n "${UI_GEN:-}" ]; then
  ln -s "$(realpath "$UI_GEN")" "$tmp/gen.mrt"
else
  "$build/bench/gen-rib" --peers "$peers" "$tmp/gen.mrt" "$tpl"
fi
# a prefix of the RIB (awk leaves early: the dump's broken pipe is no
# failure)
prefix=$(set +o pipefail; "$ours" mrt dump -m -q "$tmp/gen.mrt" 2>/dev/null | awk -F'|' 'NR == 500000 { print $6; exit }')
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
cat > "$tmp/c.yaml" <<YAML
log: {level: warn}
api: {listen: 127.0.0.1:$port, ui_dir: $root/ui/dist}
sources:
  - {name: full, type: mrt, files: [$tmp/gen.mrt]}
  - name: updates
    type: mrt
    files: [$data/mrt/bgpdump-test/updates.20160811.1600.gz, $data/mrt/ris/rrc15.updates.20100227.1600.gz]
    loop: true
YAML
"$ours" run -c "$tmp/c.yaml" > "$tmp/daemon.log" 2>&1 &
pid=$!
until curl -sf "$url/healthz" >/dev/null; do sleep 0.05; done
until curl -s "$url/api/v1/sources" | grep -q '"name":"full"[^}]*"state":"done"'; do sleep 0.5; done
curl -s "$url/api/v1/stats" | python3 -c '
import json,sys
s=json.load(sys.stdin)
print("RIB: %d routes, %d IPv4 + %d IPv6 prefixes, %d VPs, %.2f GB" % (s["routes"],
  s["prefixes"]["ipv4"], s["prefixes"]["ipv6"], s["vps"], s["memory"]["total_bytes"] / 1e9))'
echo "prefix: $prefix (the looking glass and the graph)"
echo "UI files: $(du -sk "$root/ui/dist" | cut -f1) KB; first page's script and style, gzipped:" \
  "$(cat "$root"/ui/dist/assets/index-*.js "$root"/ui/dist/assets/index-*.css 2>/dev/null | gzip -9 | wc -c) bytes"
# the API calls of each page, each timed by curl (median of runs)
api_ms() {
  for _ in $(seq "$runs"); do
    t=0
    for p in "$@"; do
      t=$(python3 -c "print($t + $(curl -s -o /dev/null -w '%{time_total}' "$url$p"))")
    done
    echo "$t"
  done | sort -n | awk '{ a[NR] = $1 } END { printf "%.1f", 1000 * a[int((NR + 1) / 2)] }'
}
echo "API calls (sequential, median of $runs): overview $(api_ms /api/v1/stats /api/v1/sources /api/v1/vps /api/v1/events) ms," \
  "looking glass $(api_ms "/api/v1/prefix/$prefix" /api/v1/sources) ms, sources & VPs $(api_ms /api/v1/sources /api/v1/vps) ms"
node "$root/bench/ui_pages.mjs" "$url" "$prefix" "$runs"
