#!/usr/bin/env bash
# The main job on an example: install, generate the TFC design with FINN's folding into rtl-out/tfc,
# then verify it in Icarus and Verilator against the reference with random stalls.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
node dist/cli/main.js generate examples/tfc.json --fold examples/folds/tfc-finn.json -o rtl-out/tfc
node dist/cli/main.js verify examples/tfc.json --fold examples/folds/tfc-finn.json --simulator all --vectors 20 --stall 0.2
