#!/usr/bin/env bash
# Usage: run-icarus.sh DESIGN_DIR DATA_DIR [VCD_FILE] -- compile and run a generated design's testbench.
set -euo pipefail
design=$1; data=$2; vcd=${3:-}
cd "$design"
n_in=$(wc -l < "$data/input.hex"); n_out=$(wc -l < "$data/expected.hex"); plen=$(wc -l < "$data/valid.pat")
mkdir -p build/manual
iverilog -g2005 -Wall -Wno-timescale -o build/manual/sim.vvp -s tb -Ptb.MAX_IN=$((n_in + 1)) -Ptb.MAX_OUT=$((n_out + 1)) -f flows/sources.f tb/tb.v
vvp -n build/manual/sim.vvp +dir="$data" +in_beats="$n_in" +out_beats="$n_out" +plen="$plen" +timeout=100000000 ${vcd:++vcd=$vcd}
