#!/usr/bin/env bash
# Install everything bnn-hw needs on a Debian machine with Node.js 20: the HDL tools from Debian,
# the npm packages from the lock file, and the compiled CLI. Idempotent; run from anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBS=(iverilog verilator yosys nextpnr-ice40 fpga-icestorm dataset-fashion-mnist)
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"

missing=()
for p in "${DEBS[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ] || [ "${CI:-}" = "true" ]; then
  echo "== apt-get install ${DEBS[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${DEBS[@]}" >/dev/null
fi

echo "== npm ci"
npm ci --no-audit --no-fund
echo "== build"
npm run build --silent
