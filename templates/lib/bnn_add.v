`timescale 1ns/1ps
`default_nettype none
// -----------------------------------------------------------------------------------------------
// bnn_add: aligning adder of two code streams (bnn-hw RTL library, Verilog-2005)
//
// Parameters
//   PE         lanes per beat (>= 1), the same on both inputs and the output
//   A_W        bits per lane of input a (1..32), A_SIGNED 1: two's complement, 0: unsigned
//   B_W        bits per lane of input b (1..32), B_SIGNED likewise
//   A_BIPOLAR  1: input a is a sign stream: 1-bit lanes (A_W = 1, A_SIGNED = 0), bit x stands for the
//              code 2x - 1 (+-1); 0: codes as above. B_BIPOLAR likewise for b (then b's +-1 is shifted)
//   SHIFT      0..16: out = a + (b << SHIFT) (the scale of b is the scale of a times 2^SHIFT)
//   OUT_W      bits per output lane, two's complement when A_SIGNED, B_SIGNED, A_BIPOLAR or B_BIPOLAR,
//              else unsigned;
//              computed by the compiler (src/blocks/kinds/add-sim.ts, addOutWidth: the fewest bits
//              holding every sum) and checked here: every sum must fit (<= 53 bits, exact in the
//              cycle model's float64 numbers)
//   OBUF_DEPTH output FIFO entries = credits (>= 1; fire to output is 1 cycle, so the compiler passes 2)
//
// Ports
//   clk, rst_n   clock, synchronous active-low reset
//   a_axis_*     input a, lane k at [k*A_W +: A_W]
//   b_axis_*     input b, lane k at [k*B_W +: B_W]
//   m_axis_*     sums, lane k at [k*OUT_W +: OUT_W]
//
// Each input enters a 2-entry bnn_fifo; beats are paired in order (the i-th beat of a with the
// i-th beat of b):
//   a_axis_tready = a FIFO not full, b_axis_tready = b FIFO not full (registers only)
//   fire = a FIFO valid && b FIFO valid && credit_ok; on fire both FIFOs are read and the sums are
//   written into the output FIFO (bnn_obuf, issue = fire) at the same edge.
// LATENCY = 2: with both words accepted at the edge ending cycle t (the later of the two) and the
// output FIFO empty, the sum is on m_axis in cycle t+2 (fire in t+1). One pair per cycle when both
// inputs are valid and the output is ready.
// -----------------------------------------------------------------------------------------------
module bnn_add #(
    parameter PE       = 1,
    parameter A_W      = 4,
    parameter A_SIGNED = 0,
    parameter B_W      = 4,
    parameter B_SIGNED = 0,
    parameter A_BIPOLAR = 0,
    parameter B_BIPOLAR = 0,
    parameter SHIFT    = 0,
    parameter OUT_W    = 5,
    parameter OBUF_DEPTH = 2
) (
    input  wire                clk,
    input  wire                rst_n,
    input  wire [PE*A_W-1:0]   a_axis_tdata,
    input  wire                a_axis_tvalid,
    output wire                a_axis_tready,
    input  wire [PE*B_W-1:0]   b_axis_tdata,
    input  wire                b_axis_tvalid,
    output wire                b_axis_tready,
    output wire [PE*OUT_W-1:0] m_axis_tdata,
    output wire                m_axis_tvalid,
    input  wire                m_axis_tready
);
    /* verilator lint_off UNUSEDPARAM */
    localparam LATENCY = 2;                  // documentation / testbench visibility only
    /* verilator lint_on UNUSEDPARAM */
    localparam OUT_SIGNED = (A_SIGNED != 0 || B_SIGNED != 0 || A_BIPOLAR != 0 || B_BIPOLAR != 0) ? 1 : 0;

    // the range of the sums, in 64-bit signed arithmetic (a sign lane: -1 .. 1)
    localparam signed [63:0] ONE  = 64'sd1;
    localparam signed [63:0] AMIN = (A_BIPOLAR != 0) ? -ONE : (A_SIGNED != 0) ? -(ONE <<< (A_W - 1)) : 64'sd0;
    localparam signed [63:0] AMAX = (A_BIPOLAR != 0) ? ONE : (A_SIGNED != 0) ? (ONE <<< (A_W - 1)) - 1 : (ONE <<< A_W) - 1;
    localparam signed [63:0] BMIN = (B_BIPOLAR != 0) ? -(ONE <<< SHIFT) : (B_SIGNED != 0) ? -(ONE <<< (B_W - 1 + SHIFT)) : 64'sd0;
    localparam signed [63:0] BMAX = (B_BIPOLAR != 0) ? (ONE <<< SHIFT) : (B_SIGNED != 0) ? ((ONE <<< (B_W - 1)) - 1) <<< SHIFT : ((ONE <<< B_W) - 1) <<< SHIFT;
    localparam signed [63:0] SMIN = AMIN + BMIN;
    localparam signed [63:0] SMAX = AMAX + BMAX;
    localparam signed [63:0] OMIN = (OUT_SIGNED != 0) ? -(ONE <<< (OUT_W - 1)) : 64'sd0;
    localparam signed [63:0] OMAX = (OUT_SIGNED != 0) ? (ONE <<< (OUT_W - 1)) - 1 : (ONE <<< OUT_W) - 1;

    generate
        if (PE < 1) begin : g_err_pe bnn_param_error_add_PE_below_1 u_err (); end
        if (A_W < 1 || A_W > 32 || B_W < 1 || B_W > 32)
            begin : g_err_w bnn_param_error_add_A_W_or_B_W_not_1_to_32 u_err (); end
        if ((A_SIGNED != 0 && A_SIGNED != 1) || (B_SIGNED != 0 && B_SIGNED != 1))
            begin : g_err_s bnn_param_error_add_SIGNED_not_0_or_1 u_err (); end
        if ((A_BIPOLAR != 0 && A_BIPOLAR != 1) || (B_BIPOLAR != 0 && B_BIPOLAR != 1))
            begin : g_err_b bnn_param_error_add_BIPOLAR_not_0_or_1 u_err (); end
        if ((A_BIPOLAR == 1 && (A_W != 1 || A_SIGNED != 0)) || (B_BIPOLAR == 1 && (B_W != 1 || B_SIGNED != 0)))
            begin : g_err_bw bnn_param_error_add_BIPOLAR_needs_1_bit_unsigned_lanes u_err (); end
        if (SHIFT < 0 || SHIFT > 16) begin : g_err_sh bnn_param_error_add_SHIFT_not_0_to_16 u_err (); end
        if (OUT_W < 2 || OUT_W > 53) begin : g_err_ow bnn_param_error_add_OUT_W_not_2_to_53 u_err (); end
        if (OUT_W >= 2 && OUT_W <= 53 && (SMIN < OMIN || SMAX > OMAX))
            begin : g_err_ov bnn_param_error_add_OUT_W_too_narrow_for_the_sum u_err (); end
        if (OBUF_DEPTH < 1) begin : g_err_ob bnn_param_error_add_OBUF_DEPTH_below_1 u_err (); end
    endgenerate

    // ---------------------------------------------------------------- input FIFOs
    wire [PE*A_W-1:0] a;
    wire [PE*B_W-1:0] b;
    wire              a_v, b_v;
    wire              credit_ok;
    wire              fire = a_v && b_v && credit_ok;
    /* verilator lint_off UNUSEDSIGNAL */
    wire [1:0]        a_cnt, b_cnt;
    /* verilator lint_on UNUSEDSIGNAL */
    bnn_fifo #(.WIDTH(PE*A_W), .DEPTH(2)) u_fa (
        .clk(clk), .rst_n(rst_n),
        .s_axis_tdata(a_axis_tdata), .s_axis_tvalid(a_axis_tvalid), .s_axis_tready(a_axis_tready),
        .m_axis_tdata(a), .m_axis_tvalid(a_v), .m_axis_tready(fire), .count(a_cnt));
    bnn_fifo #(.WIDTH(PE*B_W), .DEPTH(2)) u_fb (
        .clk(clk), .rst_n(rst_n),
        .s_axis_tdata(b_axis_tdata), .s_axis_tvalid(b_axis_tvalid), .s_axis_tready(b_axis_tready),
        .m_axis_tdata(b), .m_axis_tvalid(b_v), .m_axis_tready(fire), .count(b_cnt));

    // ---------------------------------------------------------------- lanes
    wire [PE*OUT_W-1:0] sum;
    genvar k;
    generate
        for (k = 0; k < PE; k = k + 1) begin : g_lane
            wire [A_W-1:0]   ak = a[k*A_W +: A_W];
            wire [B_W-1:0]   bk = b[k*B_W +: B_W];
            wire             sa = (A_SIGNED != 0) && ak[A_W-1];
            wire             sb = (B_SIGNED != 0) && bk[B_W-1];
            // a sign lane's bit x is the code 2x - 1: 1 -> +1 (0...01), 0 -> -1 (1...11)
            wire [OUT_W-1:0] ax = (A_BIPOLAR != 0) ? {{(OUT_W-1){~ak[0]}}, 1'b1} : {{(OUT_W-A_W){sa}}, ak};
            wire [OUT_W-1:0] bx = ((B_BIPOLAR != 0) ? {{(OUT_W-1){~bk[0]}}, 1'b1} : {{(OUT_W-B_W){sb}}, bk}) << SHIFT;
            assign sum[k*OUT_W +: OUT_W] = ax + bx;
        end
    endgenerate

    // ---------------------------------------------------------------- credits + output FIFO
    bnn_obuf #(
        .WIDTH(PE*OUT_W), .DEPTH(OBUF_DEPTH)
    ) u_obuf (
        .clk(clk), .rst_n(rst_n),
        .issue(fire), .credit_ok(credit_ok),
        .wr_data(sum), .wr_valid(fire),
        .m_axis_tdata(m_axis_tdata), .m_axis_tvalid(m_axis_tvalid), .m_axis_tready(m_axis_tready)
    );
endmodule
`default_nettype wire
