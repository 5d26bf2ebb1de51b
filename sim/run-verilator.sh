#!/usr/bin/env bash
# Usage: run-verilator.sh DESIGN_DIR DATA_DIR [VCD_FILE] -- build and run a generated design's testbench.
set -euo pipefail
design=$1; data=$2; vcd=${3:-}
cd "$design"
n_in=$(wc -l < "$data/input.hex"); n_out=$(wc -l < "$data/expected.hex"); plen=$(wc -l < "$data/valid.pat")
verilator --binary --timing -Wno-fatal -Wno-lint -Wno-style -j 2 ${vcd:+--trace} --top-module tb \
  -GMAX_IN=$((n_in + 1)) -GMAX_OUT=$((n_out + 1)) --Mdir build/manual/obj_dir -o Vtb -f flows/sources.f tb/tb.v > build/manual-verilator.log
build/manual/obj_dir/Vtb +dir="$data" +in_beats="$n_in" +out_beats="$n_out" +plen="$plen" +timeout=100000000 ${vcd:++vcd=$vcd}
