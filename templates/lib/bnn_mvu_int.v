`timescale 1ns/1ps
`default_nettype none
// -----------------------------------------------------------------------------------------------
// bnn_mvu_int: integer-input matrix-vector(-threshold) unit for a first layer on integer /
// fixed-point inputs (bnn-hw RTL library, Verilog-2005). Same stream, ROM and timing contract as
// bnn_mvtu; each step's dot product sum_i (w ? x_i : -x_i) comes from bnn_intdot (add/subtract
// tree or bit-plane compressor, DATAPATH; the same value either way) and is accumulated as
// ACC_W-bit signed (two's complement, wraps on overflow: choose ACC_W >= IN_W + 1 + clog2(MW)).
//
// Parameters
//   MW          fan-in (columns), MW % SIMD == 0
//   MH          neurons (rows), MH % PE == 0
//   PE          neurons computed in parallel
//   SIMD        input elements consumed per step
//   IN_W        bits per input element
//   IN_SIGNED   1: input elements are two's complement, 0: unsigned
//   POP_STAGES  register levels inside the datapath (>= 0), see bnn_intdot
//   POP_REGS    register levels after each tree level (bnn_addtree's REGS), computed by the
//               compiler (src/blocks/popcount-plan.ts, mvuIntStructureParams); checked at elaboration
//   DATAPATH    0: add/subtract tree, 1: bit-plane compressor (bnn_intdot)
//   BP_*        the bit-plane compressor plan (DATAPATH = 1 only), passed on to bnn_intdot
//   XC          DATAPATH = 1 only: per neuron j, XC[j*ACC_W +: ACC_W] = -C_j modulo 2^ACC_W, where
//               C_j = sum over neuron j's MW weights of c(w) (bnn_intdot: c(1) = 0, c(0) = 2^IN_W - 1
//               unsigned; c(1) = 2^(IN_W-1), c(0) = 2^(IN_W-1) - 1 signed), computed by the compiler
//               (src/blocks/mvu-int-datapath.ts, xnorOffsets). The accumulation starts there, so acc
//               ends at the same dot product as with DATAPATH = 0.
//   SCORES      0: output PE threshold bits per beat; 1: output PE signed ACC_W-bit sums per beat
//   ACC_W       accumulator width (signed)
//   TW          threshold width (signed thresholds)
//   NTHR        thresholds per neuron (1: one output bit; > 1: a k-bit code, see "Levels")
//   OUT_BITS    bits per output lane when SCORES = 0 (1 with NTHR = 1; 1..8)
//   OUT_MIN     code of a neuron below all its thresholds (NTHR > 1; signed integer)
//   OBUF_DEPTH  entries of the output FIFO (>= 1)
//   Derived: SF = MW/SIMD, NF = MH/PE, OUT_W = SCORES ? PE*ACC_W : PE*OUT_BITS (output beat width)
//
// Ports
//   clk, rst_n              clock, synchronous active-low reset
//   s_axis_*                input vector, SIMD*IN_W bits per beat (element i at [i*IN_W +: IN_W]),
//                           SF beats per vector
//   m_axis_*                output, OUT_W bits per beat, NF beats per vector; lane k of beat nf
//                           belongs to neuron nf*PE+k; bit = (acc >= T) (signed compare) or acc
//   w_en, w_addr, w_data    weight ROM port (external bnn_rom instances, 1-cycle read latency):
//                           w_addr = nf*SF + sf (max(1,clog2(NF*SF)) bits), w_en = fire;
//                           w_data (PE*SIMD bits, one cycle later): lane k*SIMD+i = weight bit of
//                           neuron nf*PE+k for input sf*SIMD+i (1 = +1, 0 = -1)
//   t_en, t_addr, t_data    threshold ROM port (external bnn_rom, PE*NTHR*TW bits, depth NF):
//                           t_addr = nf of the completing step (max(1,clog2(NF)) bits), lane
//                           k*NTHR+l = signed threshold l of neuron nf*PE+k. The read is issued POP_STAGES+1
//                           cycles after the completing step fired: t_en = valid && last at the
//                           accumulator stage. SCORES=1: t_en = 0 and t_data is ignored.
//
// Fire / ready, input buffer, control pipeline and output FIFO: bnn_mvu_ctl (shared with bnn_mvtu):
// fire = (nf != 0 || s_axis_tvalid) && (sf != SF-1 || credit_ok),
// s_axis_tready = (nf == 0) && (sf != SF-1 || credit_ok), credit_ok = reserved < OBUF_DEPTH.
//
// Pipeline (step fired in cycle t):
//   t              : weight ROM read; input beat -> x register
//   t+1            : dot products (bnn_intdot, POP_STAGES register levels)
//   t+1+POP_STAGES : acc <= ((sf == 0) ? XC_j : acc) + sum (XC_j = 0 with DATAPATH 0); threshold ROM
//                    read if last step
//   t+2+POP_STAGES : out_k = (acc_k >= T_k) (or acc_k), written into the output FIFO
// Levels (NTHR > 1, k-bit activations): the NTHR thresholds of a neuron (non-decreasing) are
// compared with acc in parallel in the last stage and out_k = OUT_MIN + #{l : acc >= T_kl}
// (bnn_levels, OUT_BITS bits, two's complement when OUT_MIN < 0): same stages, same LATENCY.
// LATENCY = 3 + POP_STAGES: the result of a step fired in cycle t is on m_axis in cycle
// t + LATENCY if the FIFO was empty. Full rate (one step per cycle, so one output beat every SF
// cycles) needs OBUF_DEPTH >= floor(LATENCY / SF) + 1 with an always-ready consumer.
// -----------------------------------------------------------------------------------------------
module bnn_mvu_int #(
    parameter MW         = 8,
    parameter MH         = 4,
    parameter PE         = 2,
    parameter SIMD       = 4,
    parameter IN_W       = 8,
    parameter IN_SIGNED  = 0,
    parameter POP_STAGES = 1,
    parameter SCORES     = 0,
    parameter ACC_W      = 16,
    parameter TW         = 4,
    parameter NTHR       = 1,
    parameter OUT_BITS   = 1,
    parameter integer OUT_MIN = 0,
    parameter OBUF_DEPTH = 2,
    parameter [($clog2(SIMD)+1)*8-1:0] POP_REGS = 24'h10000,
    parameter DATAPATH   = 0,
    parameter BP_COLS    = 1,
    parameter BP_FA      = 1,
    parameter BP_LEVELS  = 0,
    parameter [(BP_LEVELS+1)*BP_COLS*16-1:0]                 BP_H    = 16'h0,
    parameter [((BP_LEVELS > 0) ? BP_LEVELS : 1)*BP_COLS-1:0] BP_K    = 1'h0,
    parameter [(BP_LEVELS+2)*8-1:0]                          BP_REGS = 16'h0,
    parameter [MH*ACC_W-1:0]                                 XC      = {(MH*ACC_W){1'b0}}
) (
    input  wire                 clk,
    input  wire                 rst_n,
    input  wire [SIMD*IN_W-1:0] s_axis_tdata,
    input  wire                 s_axis_tvalid,
    output wire                 s_axis_tready,
    output wire [OUT_W-1:0]     m_axis_tdata,
    output wire                 m_axis_tvalid,
    input  wire                 m_axis_tready,
    output wire                 w_en,
    output wire [WAW-1:0]       w_addr,
    input  wire [PE*SIMD-1:0]   w_data,
    output wire                 t_en,
    output wire [NFW-1:0]       t_addr,
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [PE*NTHR*TW-1:0] t_data     // unused when SCORES = 1
    /* verilator lint_on UNUSEDSIGNAL */
);
    localparam SF      = MW / SIMD;
    localparam NF      = MH / PE;
    localparam NFW     = (NF > 1) ? $clog2(NF) : 1;
    localparam WAW     = (NF * SF > 1) ? $clog2(NF * SF) : 1;
    localparam OUT_W   = (SCORES != 0) ? PE * ACC_W : PE * OUT_BITS;
    /* verilator lint_off UNUSEDPARAM */
    localparam LATENCY = 3 + POP_STAGES;         // documentation / testbench visibility only
    /* verilator lint_on UNUSEDPARAM */
    localparam XW      = SIMD * IN_W;            // input beat width
    localparam PRW     = IN_W + 1;               // product width (signed)
    localparam SUMW0   = PRW + $clog2(SIMD);     // exact dot product width
    localparam SUMW    = (SUMW0 < ACC_W) ? SUMW0 : ACC_W;
    localparam CW      = (ACC_W > TW) ? ACC_W : TW;  // threshold compare width

    generate
        if (MW < 1 || MH < 1 || PE < 1 || SIMD < 1) begin : g_err_pos  bnn_param_error_mvu_int_MW_MH_PE_SIMD_below_1 u_err (); end
        if (MW % SIMD != 0)  begin : g_err_simd bnn_param_error_mvu_int_SIMD_does_not_divide_MW u_err (); end
        if (MH % PE != 0)    begin : g_err_pe   bnn_param_error_mvu_int_PE_does_not_divide_MH u_err (); end
        if (IN_W < 1)        begin : g_err_inw  bnn_param_error_mvu_int_IN_W_below_1 u_err (); end
        if (POP_STAGES < 0)  begin : g_err_pop  bnn_param_error_mvu_int_POP_STAGES_negative u_err (); end
        if (ACC_W < 2)       begin : g_err_acc  bnn_param_error_mvu_int_ACC_W_below_2 u_err (); end
        if (TW < 1)          begin : g_err_tw   bnn_param_error_mvu_int_TW_below_1 u_err (); end
        if (OBUF_DEPTH < 1)  begin : g_err_ob   bnn_param_error_mvu_int_OBUF_DEPTH_below_1 u_err (); end
        if (NTHR < 1 || NTHR > 255) begin : g_err_nt bnn_param_error_mvu_int_NTHR_not_1_to_255 u_err (); end
        if (NTHR == 1 && (OUT_BITS != 1 || OUT_MIN != 0)) begin : g_err_ob1 bnn_param_error_mvu_int_NTHR_1_needs_OUT_BITS_1_OUT_MIN_0 u_err (); end
    endgenerate

    // ---------------------------------------------------------------- control
    wire [XW-1:0]    x_r;
    wire             vp;
    wire             firstp;
    /* verilator lint_off UNUSEDSIGNAL */
    wire             tagp;                       // always 0 (TAG = 0)
    /* verilator lint_on UNUSEDSIGNAL */
    wire [OUT_W-1:0] res;

    bnn_mvu_ctl #(
        .SF(SF), .NF(NF), .XW(XW), .TAG(0), .STAGES(POP_STAGES), .THRESH(SCORES == 0),
        .OUT_W(OUT_W), .OBUF_DEPTH(OBUF_DEPTH)
    ) u_ctl (
        .clk(clk), .rst_n(rst_n),
        .s_axis_tdata(s_axis_tdata), .s_axis_tvalid(s_axis_tvalid), .s_axis_tready(s_axis_tready),
        .m_axis_tdata(m_axis_tdata), .m_axis_tvalid(m_axis_tvalid), .m_axis_tready(m_axis_tready),
        .w_en(w_en), .w_addr(w_addr), .t_en(t_en), .t_addr(t_addr),
        .x(x_r), .vp(vp), .firstp(firstp), .tagp(tagp), .res(res)
    );

    // ---------------------------------------------------------------- datapath
    wire [PE*SUMW-1:0] sums;
    bnn_intdot #(
        .PE(PE), .SIMD(SIMD), .IN_W(IN_W), .IN_SIGNED(IN_SIGNED), .POP_STAGES(POP_STAGES), .OW(SUMW),
        .POP_REGS(POP_REGS), .DATAPATH(DATAPATH), .BP_COLS(BP_COLS), .BP_FA(BP_FA),
        .BP_LEVELS(BP_LEVELS), .BP_H(BP_H), .BP_K(BP_K), .BP_REGS(BP_REGS)
    ) u_dot (
        .clk(clk), .x(x_r), .w(w_data), .sum(sums)
    );
    genvar k, i;
    generate
        for (k = 0; k < PE; k = k + 1) begin : pe
            wire [SUMW-1:0] sum = sums[k*SUMW +: SUMW];
            wire [ACC_W-1:0] sumx = {{(ACC_W-SUMW){sum[SUMW-1]}}, sum};
            reg  [ACC_W-1:0] acc;
            wire [ACC_W-1:0] start;                  // the accumulation's start value (sf == 0)
            if (DATAPATH == 1) begin : g_xc
                // -C_j of this PE's neurons j = nf*PE + k, a constant ROM read with nf (= t_addr)
                wire [ACC_W-1:0] xc [0:NF-1];
                for (i = 0; i < NF; i = i + 1) begin : n
                    assign xc[i] = XC[(i*PE + k)*ACC_W +: ACC_W];
                end
                if (NF == 1) begin : g_one
                    assign start = xc[0];
                end else begin : g_rom
                    assign start = xc[t_addr];
                end
            end else begin : g_zero
                assign start = {ACC_W{1'b0}};
            end
            always @(posedge clk) begin
                if (vp) acc <= (firstp ? start : acc) + sumx;
            end
            if (SCORES != 0) begin : g_score
                assign res[k*ACC_W +: ACC_W] = acc;
            end else if (NTHR == 1) begin : g_thr
                wire [TW-1:0] th   = t_data[k*TW +: TW];
                wire [CW-1:0] accx = {{(CW-ACC_W){acc[ACC_W-1]}}, acc};
                wire [CW-1:0] thx  = {{(CW-TW){th[TW-1]}}, th};
                assign res[k] = ($signed(accx) >= $signed(thx));
            end else begin : g_lvl
                wire [CW-1:0]   accx = {{(CW-ACC_W){acc[ACC_W-1]}}, acc};
                wire [NTHR-1:0] ge;
                for (i = 0; i < NTHR; i = i + 1) begin : cmp
                    wire [TW-1:0] th  = t_data[(k*NTHR + i)*TW +: TW];
                    wire [CW-1:0] thx = {{(CW-TW){th[TW-1]}}, th};
                    assign ge[i] = ($signed(accx) >= $signed(thx));
                end
                bnn_levels #(
                    .N(NTHR), .OB(OUT_BITS), .OMIN(OUT_MIN)
                ) u_lvl (
                    .ge(ge), .code(res[k*OUT_BITS +: OUT_BITS])
                );
            end
        end
    endgenerate
endmodule
`default_nettype wire
