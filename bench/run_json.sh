#!/usr/bin/env bash
# JSON libraries on RIS Live messages (bench_json): jansson, cJSON, json-c
# and yajl's tree API each parse every message of a corpus, walk what a
# RIS Live decoder reads, and free it; messages/s and MB/s in CPU time of
# one core, median of 5 runs, and the ratio to the fastest. The corpora:
# real RIS update files turned into ris_message lines by
# tests/integration/rislive_conv.py (by way of bgpdump -m), one of them
# also with "raw" (includeRaw), and the real RIS Live sample.
#
#   bench/run_json.sh [BUILD] [SHARED_DATA]
set -euo pipefail
build=${1:-build}; data=${2:-../shared/data}
here=$(cd "$(dirname "$0")" && pwd)
conv="$here/../tests/integration/rislive_conv.py"
if [ ! -d "$data/mrt" ] || [ ! -d "$data/rislive" ]; then
  echo "bench: $data not found; run_json.sh needs the shared data, skipped" >&2
  exit 0
fi
if ! command -v bgpdump > /dev/null; then
  echo "bench: bgpdump not installed; run_json.sh skipped" >&2
  exit 0
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

convert() {   # SRC HOST OUT [--raw]
  /usr/bin/python3 "$conv" "$data/mrt/$1" --host "$2" "${@:4}" > "$tmp/$3"
}
convert ris/rrc15.updates.20100227.1600.gz rrc15 rrc15.jsonl
convert ris/rrc15.updates.20100227.1600.gz rrc15 rrc15-raw.jsonl --raw
convert bgpdump-test/updates.20160811.1600.gz rrc00 updates.20160811.jsonl
convert ris/rrc00.updates.19990903.1041.gz rrc00 rrc00-1999.jsonl
cp "$data/rislive/libbgpstream.ris-live-stream.json" "$tmp/ris-live-sample.jsonl"

for c in rrc15 rrc15-raw updates.20160811 rrc00-1999 ris-live-sample; do
  echo "== $c"
  "$build/bench/bench_json" --runs 5 "$tmp/$c.jsonl"
done
