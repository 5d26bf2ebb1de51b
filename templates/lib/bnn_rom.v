`timescale 1ns/1ps
`default_nettype none
// -----------------------------------------------------------------------------------------------
// bnn_rom: synchronous-read ROM initialised from a $readmemh file (bnn-hw RTL library)
//
// Parameters
//   WIDTH  word width in bits
//   DEPTH  number of words (>= 1)
//   FILE   $readmemh file: one word per line, ceil(WIDTH/4) hex digits, no @ addresses,
//          line k = address k. The default "" loads nothing (contents undefined): this keeps
//          tools that elaborate the module with default parameters (e.g. Yosys read_verilog
//          without -defer) from trying to open a file.
//
// Ports
//   clk    clock
//   en     read enable
//   addr   word address, max(1, clog2(DEPTH)) bits; must be < DEPTH when en is high
//   q      read data register
//
// Behaviour: always @(posedge clk) if (en) q <= mem[addr];
// LATENCY = 1: an address presented with en in cycle t is on q in cycle t+1 (and q holds until
// the next enabled read). No reset (the output register has no defined value before the first
// read). Synthesis maps large ROMs to block RAM, small ones to LUTs.
// -----------------------------------------------------------------------------------------------
module bnn_rom #(
    parameter WIDTH = 8,
    parameter DEPTH = 16,
    parameter FILE  = ""
) (
    input  wire             clk,
    input  wire             en,
    input  wire [AW-1:0]    addr,
    output reg  [WIDTH-1:0] q
);
    localparam AW = (DEPTH > 1) ? $clog2(DEPTH) : 1;

    generate
        if (WIDTH < 1) begin : g_err_w  bnn_param_error_rom_WIDTH_below_1 u_err (); end
        if (DEPTH < 1) begin : g_err_d  bnn_param_error_rom_DEPTH_below_1 u_err (); end
    endgenerate

    reg [WIDTH-1:0] mem [0:DEPTH-1];

    initial begin
        if (FILE != "") $readmemh(FILE, mem);
    end

    always @(posedge clk) begin
        if (en) q <= mem[addr];
    end
endmodule
`default_nettype wire
