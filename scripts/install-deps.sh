#!/usr/bin/env bash
# Installs every Debian package that the build, the tests and the
# benchmarks need. Idempotent: apt runs only when something is missing.
set -euo pipefail

PKGS=(
  # build
  build-essential cmake ninja-build pkg-config
  zlib1g-dev libbz2-dev liblzma-dev libzstd-dev libsodium-dev
  libyaml-dev libuv1-dev libwebsockets-dev libwebsockets-evlib-uv
  libcurl4-openssl-dev librtr-dev
  # JSON: cJSON decodes RIS Live, yajl reads RPKI exports as they come;
  # jansson and json-c are measured against them
  libjansson-dev libcjson-dev libjson-c-dev libyajl-dev
  # tests, fuzzing, reference tools, benchmarks
  libcmocka-dev python3-pytest clang libclang-rt-14-dev
  tshark bgpdump bc python3-jsonschema python3-websockets wrk openssl
  groff-base tinyproxy
  # real BGP speakers the tests peer with
  gobgpd bird2 frr exabgp
  # RPKI: an RTR cache, and RTRlib's client to compare with
  stayrtr rtr-tools
  # the web UI's browser tests
  chromium
)

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
# The web UI is built with Node.js and npm (Vite needs Node.js 20.19 or
# later): Debian's when the machine has none.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  missing+=(nodejs npm)
fi
node_ok() {
  node -e 'const [a, b] = process.versions.node.split(".").map(Number);
    process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' 2>/dev/null
}
if [ ${#missing[@]} -eq 0 ]; then
  node_ok || { echo "install-deps: Node.js $(node --version) is too old for the web UI's build (Vite needs 20.19 or later)" >&2; exit 1; }
  exit 0
fi

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "install-deps: installing ${missing[*]}" >&2
# tshark asks whether non-root users may capture; the answer is no.
echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
node_ok || { echo "install-deps: Node.js $(node --version) is too old for the web UI's build (Vite needs 20.19 or later)" >&2; exit 1; }
