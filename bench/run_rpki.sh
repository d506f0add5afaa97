#!/usr/bin/env bash
# RPKI benchmark (bench_rpki, medians of 5 runs): the rpki-client export
# of 2025-07-20 (723k VRPs, decompressed first: the load is timed, not
# bzip2) loaded, our table against RTRlib's, and merged with a second
# file of 103k more-specifics made from it (extra_vrps.py: 827k VRPs);
# every route of a full table (gen-rib: 1M IPv4 + 230k IPv6 prefixes,
# one peer, from the real dumps) validated, from an array and from the
# RIB; revalidation after 1% of the VRPs change, and after 1% of the
# ASPAs do.
set -euo pipefail
build=${1:-build}; data=${2:-../shared/data}
vrps="$data/rpki/rpki-client.vrps.20250720T093135Z.json.bz2"
if [ ! -f "$vrps" ]; then
  echo "bench: $vrps not found; the benchmark needs the shared data" >&2
  exit 2
fi
tmp=${TMPDIR:-/tmp}/bgps-bench-rpki.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
bzcat "$vrps" > "$tmp/vrps.json"
/usr/bin/python3 "$(dirname "$0")/extra_vrps.py" "$tmp/vrps.json" \
  "$tmp/extra.json"
"$build/bench/gen-rib" --peers 1 "$tmp/full.mrt" \
  "$data/mrt/bgpdump-test/bview.20020722.2337.gz" \
  "$data/mrt/routeviews/route-views2.rib.20140523.0600_firstMB.bz2"
echo
echo "full table (gen-rib):"
"$build/bench/bench_rpki" --runs 5 --extra "$tmp/extra.json" "$tmp/vrps.json" \
  "$tmp/full.mrt" 2>/dev/null
echo
echo "real RIB dumps (RIS 2002, RouteViews 2014 excerpt):"
"$build/bench/bench_rpki" --runs 5 "$tmp/vrps.json" \
  "$data/mrt/bgpdump-test/bview.20020722.2337.gz" \
  "$data/mrt/routeviews/route-views2.rib.20140523.0600_firstMB.bz2" 2>/dev/null
