`timescale 1ns/1ps
`default_nettype none
// -----------------------------------------------------------------------------------------------
// bnn_thresh_in: input binarisation with per-element thresholds (bnn-hw RTL library, Verilog-2005)
//
// Parameters
//   PE          elements per input beat (= output bits per beat)
//   IN_W        bits per input element
//   IN_SIGNED   1: elements and thresholds are two's complement (signed compare), 0: unsigned
//   TDEPTH      threshold words; the address cycles 0..TDEPTH-1, advancing once per input beat
//   TW          threshold width
//   NTHR        thresholds per element (1: one output bit; > 1: a k-bit code, see "Levels")
//   OUT_BITS    bits per output lane (1 with NTHR = 1; 1..8)
//   OUT_MIN     code of an element that reaches none of its thresholds (NTHR > 1; signed integer)
//   OBUF_DEPTH  entries of the output FIFO (>= 1)
//   TFILE       $readmemh image of the internal threshold ROM: TDEPTH words of PE*(NTHR*TW+1)
//               bits; lane k (LW = NTHR*TW+1 bits at [k*LW +: LW]) = {dir_k, T_k,NTHR-1 .. T_k,0}
//
// Ports
//   clk, rst_n   clock, synchronous active-low reset
//   s_axis_*     PE*IN_W bits per beat, element k at [k*IN_W +: IN_W]
//   m_axis_*     PE bits per beat: bit k = dir_k ? (x_k <= T_k) : (x_k >= T_k)
//                (NTHR > 1: PE*OUT_BITS bits per beat, lane k = OUT_MIN + #{l : dir_k ? x_k <= T_kl
//                : x_k >= T_kl}, the NTHR comparisons in parallel, bnn_levels; the thresholds of an
//                element are non-decreasing for dir 0 and non-increasing for dir 1, and always
//                two's complement: TW >= IN_W + 2 holds the unreachable min - 1 and max + 1)
//
// Fire / ready (registers: taddr, the credits of bnn_obuf)
//   credit_ok     = (reserved < OBUF_DEPTH)
//   fire          = s_axis_tvalid && credit_ok
//   s_axis_tready = credit_ok
//   On fire: taddr <= (taddr == TDEPTH-1) ? 0 : taddr + 1
//   reserved <= reserved + fire - (m_axis_tvalid && m_axis_tready)
//
// Pipeline (beat accepted in cycle t): t: threshold ROM read at taddr, x -> register;
// t+1: compare, written into the output FIFO.
// LATENCY = 2: the result of a beat accepted in cycle t is on m_axis in cycle t+2 if the FIFO was
// empty. Full rate (one beat per cycle) needs OBUF_DEPTH >= LATENCY + 1 = 3.
// -----------------------------------------------------------------------------------------------
module bnn_thresh_in #(
    parameter PE         = 4,
    parameter IN_W       = 8,
    parameter IN_SIGNED  = 0,
    parameter TDEPTH     = 1,
    parameter TW         = 8,
    parameter NTHR       = 1,
    parameter OUT_BITS   = 1,
    parameter integer OUT_MIN = 0,
    parameter OBUF_DEPTH = 3,
    parameter TFILE      = ""
) (
    input  wire               clk,
    input  wire               rst_n,
    input  wire [PE*IN_W-1:0] s_axis_tdata,
    input  wire               s_axis_tvalid,
    output wire               s_axis_tready,
    output wire [PE*OUT_BITS-1:0] m_axis_tdata,
    output wire               m_axis_tvalid,
    input  wire               m_axis_tready
);
    localparam TAW     = (TDEPTH > 1) ? $clog2(TDEPTH) : 1;
    localparam LW      = NTHR * TW + 1;                     // threshold lane {dir, T_NTHR-1 .. T_0}
    localparam CW      = ((IN_W > TW) ? IN_W : TW) + 1;     // signed compare width
    /* verilator lint_off UNUSEDPARAM */
    localparam LATENCY = 2;                                 // documentation / testbench visibility only
    /* verilator lint_on UNUSEDPARAM */

    localparam [31:0] TA_LAST32 = TDEPTH - 1;
    localparam [TAW-1:0] TA_LAST = TA_LAST32[TAW-1:0];

    generate
        if (PE < 1)         begin : g_err_pe  bnn_param_error_thresh_in_PE_below_1 u_err (); end
        if (IN_W < 1)       begin : g_err_inw bnn_param_error_thresh_in_IN_W_below_1 u_err (); end
        if (TDEPTH < 1)     begin : g_err_td  bnn_param_error_thresh_in_TDEPTH_below_1 u_err (); end
        if (TW < 1)         begin : g_err_tw  bnn_param_error_thresh_in_TW_below_1 u_err (); end
        if (OBUF_DEPTH < 1) begin : g_err_ob  bnn_param_error_thresh_in_OBUF_DEPTH_below_1 u_err (); end
        if (NTHR < 1 || NTHR > 255) begin : g_err_nt bnn_param_error_thresh_in_NTHR_not_1_to_255 u_err (); end
        if (NTHR == 1 && (OUT_BITS != 1 || OUT_MIN != 0)) begin : g_err_ob1 bnn_param_error_thresh_in_NTHR_1_needs_OUT_BITS_1_OUT_MIN_0 u_err (); end
        if (NTHR > 1 && TW < IN_W + 2) begin : g_err_tw2 bnn_param_error_thresh_in_levels_need_TW_IN_W_plus_2 u_err (); end
    endgenerate

    reg  [TAW-1:0] taddr;
    wire           credit_ok;
    wire           fire = s_axis_tvalid && credit_ok;

    assign s_axis_tready = credit_ok;

    always @(posedge clk) begin
        if (!rst_n)    taddr <= {TAW{1'b0}};
        else if (fire) taddr <= (taddr == TA_LAST) ? {TAW{1'b0}} : taddr + 1'b1;
    end

    wire [PE*LW-1:0] tq;
    bnn_rom #(
        .WIDTH(PE * LW), .DEPTH(TDEPTH), .FILE(TFILE)
    ) u_trom (
        .clk(clk), .en(fire), .addr(taddr), .q(tq)
    );

    reg  [PE*IN_W-1:0] x_r;
    reg                v1;
    always @(posedge clk) begin
        if (fire) x_r <= s_axis_tdata;
    end
    always @(posedge clk) begin
        if (!rst_n) v1 <= 1'b0;
        else        v1 <= fire;
    end

    wire [PE*OUT_BITS-1:0] res;
    genvar k, l;
    generate
        for (k = 0; k < PE; k = k + 1) begin : lane
            wire [IN_W-1:0] x   = x_r[k*IN_W +: IN_W];
            wire            dir = tq[k*LW + NTHR*TW];
            // extend both to CW bits (sign or zero) and compare as signed
            wire [CW-1:0]   xx  = {{(CW-IN_W){(IN_SIGNED != 0) & x[IN_W-1]}}, x};
            if (NTHR == 1) begin : g_bit
                wire [TW-1:0] t  = tq[k*LW +: TW];
                wire [CW-1:0] tx = {{(CW-TW){(IN_SIGNED != 0) & t[TW-1]}}, t};
                assign res[k] = dir ? ($signed(xx) <= $signed(tx)) : ($signed(xx) >= $signed(tx));
            end else begin : g_lvl
                wire [NTHR-1:0] ge;
                for (l = 0; l < NTHR; l = l + 1) begin : cmp
                    // levels: thresholds are always two's complement (TW >= IN_W + 2 holds min - 1 .. max + 1)
                    wire [TW-1:0] t  = tq[k*LW + l*TW +: TW];
                    wire [CW-1:0] tx = {{(CW-TW){t[TW-1]}}, t};
                    assign ge[l] = dir ? ($signed(xx) <= $signed(tx)) : ($signed(xx) >= $signed(tx));
                end
                bnn_levels #(
                    .N(NTHR), .OB(OUT_BITS), .OMIN(OUT_MIN)
                ) u_lvl (
                    .ge(ge), .code(res[k*OUT_BITS +: OUT_BITS])
                );
            end
        end
    endgenerate

    bnn_obuf #(
        .WIDTH(PE * OUT_BITS), .DEPTH(OBUF_DEPTH)
    ) u_obuf (
        .clk(clk), .rst_n(rst_n), .issue(fire), .credit_ok(credit_ok),
        .wr_data(res), .wr_valid(v1),
        .m_axis_tdata(m_axis_tdata), .m_axis_tvalid(m_axis_tvalid), .m_axis_tready(m_axis_tready)
    );
endmodule
`default_nettype wire
