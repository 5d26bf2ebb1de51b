`timescale 1ns/1ps
`default_nettype none
// -----------------------------------------------------------------------------------------------
// bnn_dup: stream duplication, one input to N branches with independent backpressure
// (bnn-hw RTL library, Verilog-2005)
//
// Parameters
//   WIDTH  beat width in bits (>= 1)
//   N      branches (>= 2)
//
// Ports
//   clk, rst_n        clock, synchronous active-low reset (empties the buffer)
//   s_axis_*          input stream
//   m_axis_tdata      N beats, branch k at [k*WIDTH +: WIDTH]
//   m_axis_tvalid     N bits, branch k at bit k
//   m_axis_tready     N bits, branch k at bit k
//
// Storage: a shared 2-entry buffer mem[0..1] written at wp (toggles on every write), and per branch
// k a count cnt[k] (0..2) of the words branch k has not taken yet; branch k's oldest word is at
// wp when cnt[k] == 2, at !wp when cnt[k] == 1.
//   s_axis_tready   = no branch holds 2 words (registers only)
//   m_axis_tvalid[k] = (cnt[k] != 0), m_axis_tdata[k] = its oldest word (registers only)
//   wr = s_axis_tvalid && s_axis_tready; rd[k] = m_axis_tvalid[k] && m_axis_tready[k]
//   cnt[k] <= cnt[k] + wr - rd[k]
// A word leaves the input once (every branch then holds it) and is dropped when the last branch has
// taken it. A branch runs ahead of its slowest sibling by at most 2 words; then the input waits.
// LATENCY = 1: a word accepted at the edge ending cycle t is on every branch in cycle t+1. One word
// per cycle when all branches are ready (each branch holds 1 word in the steady state).
// -----------------------------------------------------------------------------------------------
module bnn_dup #(
    parameter WIDTH = 8,
    parameter N     = 2
) (
    input  wire               clk,
    input  wire               rst_n,
    input  wire [WIDTH-1:0]   s_axis_tdata,
    input  wire               s_axis_tvalid,
    output wire               s_axis_tready,
    output wire [N*WIDTH-1:0] m_axis_tdata,
    output wire [N-1:0]       m_axis_tvalid,
    input  wire [N-1:0]       m_axis_tready
);
    /* verilator lint_off UNUSEDPARAM */
    localparam LATENCY = 1;                  // documentation / testbench visibility only
    /* verilator lint_on UNUSEDPARAM */

    generate
        if (WIDTH < 1) begin : g_err_w bnn_param_error_dup_WIDTH_below_1 u_err (); end
        if (N < 2)     begin : g_err_n bnn_param_error_dup_N_below_2 u_err (); end
    endgenerate

    reg  [WIDTH-1:0] mem0;
    reg  [WIDTH-1:0] mem1;
    reg              wp;
    wire [N-1:0]     full;
    wire             wr = s_axis_tvalid && s_axis_tready;

    assign s_axis_tready = ~|full;

    genvar k;
    generate
        for (k = 0; k < N; k = k + 1) begin : g_br
            reg  [1:0] c;                    // words branch k has not taken (0..2)
            wire       rd = (c != 2'd0) && m_axis_tready[k];
            assign full[k]          = (c == 2'd2);
            assign m_axis_tvalid[k] = (c != 2'd0);
            // oldest word: at wp with 2 words held, at !wp with 1 (0: don't care)
            assign m_axis_tdata[k*WIDTH +: WIDTH] = ((c == 2'd2) == wp) ? mem1 : mem0;
            always @(posedge clk) begin
                if (!rst_n)         c <= 2'd0;
                else if (wr && !rd) c <= c + 2'd1;
                else if (rd && !wr) c <= c - 2'd1;
            end
        end
    endgenerate

    always @(posedge clk) begin
        if (wr && !wp) mem0 <= s_axis_tdata;
        if (wr && wp)  mem1 <= s_axis_tdata;
    end
    always @(posedge clk) begin
        if (!rst_n)  wp <= 1'b0;
        else if (wr) wp <= ~wp;
    end
endmodule
`default_nettype wire
