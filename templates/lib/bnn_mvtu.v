`timescale 1ns/1ps
`default_nettype none
// -----------------------------------------------------------------------------------------------
// bnn_mvtu: binary matrix-vector-threshold unit, XNOR / popcount (bnn-hw RTL library, Verilog-2005)
//
// Parameters
//   MW          fan-in (columns), MW % SIMD == 0
//   MH          neurons (rows), MH % PE == 0
//   PE          neurons computed in parallel
//   SIMD        input bits consumed per step
//   POP_STAGES  register levels inside each popcount compressor (>= 0), see bnn_popcount
//   POP_FA, POP_LEVELS, POP_H, POP_K, POP_REGS  the compressor structure (bnn_popcount's FA,
//               LEVELS, H, K, REGS), computed by the compiler (src/blocks/popcount-plan.ts,
//               mvtuStructureParams); checked at elaboration
//   SCORES      0: output PE threshold bits per beat; 1: output PE signed dot products per beat
//   ACC_W       SCORES=1 only: width of each signed output lane, ACC_W >= clog2(MW+1) + 1
//   TW          threshold width (unsigned thresholds)
//   NTHR        thresholds per neuron (1: one output bit; > 1: a k-bit code, see "Levels")
//   OUT_BITS    bits per output lane when SCORES = 0 (1 with NTHR = 1; 1..8)
//   OUT_MIN     code of a neuron below all its thresholds (NTHR > 1; signed integer)
//   OBUF_DEPTH  entries of the output FIFO (>= 1)
//   MASKED      0 (default): as described below. 1: true zero padding (see "MASKED mode")
//   Derived: SF = MW/SIMD, NF = MH/PE, PW = clog2(MW+1) (popcount accumulator width),
//            OUT_W = SCORES ? PE*ACC_W : PE*OUT_BITS (output beat width), XW = SIMD + MASKED (input width)
//
// Ports
//   clk, rst_n              clock, synchronous active-low reset
//   s_axis_*                input vector, SIMD bits per beat (bit 1 = +1), SF beats per vector
//   m_axis_*                output, OUT_W bits per beat, NF beats per vector; lane k of beat nf
//                           belongs to neuron nf*PE+k
//   w_en, w_addr, w_data    weight ROM port (external bnn_rom instances, 1-cycle read latency):
//                           w_addr = nf*SF + sf (max(1,clog2(NF*SF)) bits), w_en = fire;
//                           w_data (PE*SIMD bits, one cycle later): lane k*SIMD+i = weight of
//                           neuron nf*PE+k for input sf*SIMD+i
//   t_en, t_addr, t_data    threshold ROM port (external bnn_rom, PE*NTHR*TW bits, depth NF):
//                           t_addr = nf of the completing step (max(1,clog2(NF)) bits), lane
//                           k*NTHR+l = threshold l of neuron nf*PE+k. The read is issued POP_STAGES+1 cycles
//                           after the completing step fired: t_en = valid && last at the
//                           accumulator stage. SCORES=1: t_en = 0 and t_data is ignored.
//
// Fire / ready, input buffer, control pipeline and output FIFO: bnn_mvu_ctl (shared with
// bnn_mvu_int): fire = (nf != 0 || s_axis_tvalid) && (sf != SF-1 || credit_ok),
// s_axis_tready = (nf == 0) && (sf != SF-1 || credit_ok), credit_ok = reserved < OBUF_DEPTH.
//
// Pipeline (step fired in cycle t):
//   t              : weight ROM read; input beat -> x register
//   t+1            : XNOR, popcount compressor per PE (bnn_popcount, POP_STAGES register levels)
//   t+1+POP_STAGES : acc <= (sf == 0) ? cnt : acc + cnt; threshold ROM read if last step
//   t+2+POP_STAGES : out_k = acc_k >= T_k (or 2*acc_k - MW), written into the output FIFO
// Levels (NTHR > 1, k-bit activations): the NTHR thresholds of a neuron (non-decreasing) are
// compared with acc in parallel in the last stage (unsigned on the popcount, signed on d when
// MASKED) and out_k = OUT_MIN + #{l : acc >= T_kl} (bnn_levels, OUT_BITS bits, two's complement
// when OUT_MIN < 0): same stages, same LATENCY.
// LATENCY = 3 + POP_STAGES: the result of a step fired in cycle t is on m_axis in cycle
// t + LATENCY if the FIFO was empty. Full rate (one step per cycle, so one output beat every SF
// cycles) needs OBUF_DEPTH >= floor(LATENCY / SF) + 1 with an always-ready consumer.
//
// MASKED mode (MASKED = 1, padding taps of a convolution left out):
//   Input beats are SIMD+1 bits; bit SIMD = 1 marks a padding beat whose SIMD bits do not count.
//   The mask bit travels with the step's control word. Per PE the accumulator is the signed
//   (DW = PW+1 bits) dot product d = sum over unmasked steps of (2*popcount - SIMD), i.e.
//   acc <= (sf == 0 ? 0 : acc) + (masked ? 0 : 2*cnt - SIMD). Output bit k = d_k >= T_k with signed
//   TW-bit thresholds (compared at full precision); SCORES = 1 outputs d_k sign-extended to ACC_W
//   bits (ACC_W >= PW + 1). Control, ROM ports, fire / ready and LATENCY are unchanged.
// -----------------------------------------------------------------------------------------------
module bnn_mvtu #(
    parameter MW         = 8,
    parameter MH         = 4,
    parameter PE         = 2,
    parameter SIMD       = 4,
    parameter POP_STAGES = 1,
    parameter SCORES     = 0,
    parameter ACC_W      = 8,
    parameter TW         = 4,
    parameter NTHR       = 1,
    parameter OUT_BITS   = 1,
    parameter integer OUT_MIN = 0,
    parameter OBUF_DEPTH = 2,
    parameter MASKED     = 0,
    parameter POP_FA     = 1,
    parameter POP_LEVELS = 0,
    parameter [(POP_LEVELS+1)*$clog2(SIMD+1)*16-1:0]              POP_H    = 48'h10002,
    parameter [((POP_LEVELS > 0) ? POP_LEVELS : 1)*$clog2(SIMD+1)-1:0] POP_K = 3'h0,
    parameter [(POP_LEVELS+2)*8-1:0]                              POP_REGS = 16'h100
) (
    input  wire                 clk,
    input  wire                 rst_n,
    input  wire [XW-1:0]        s_axis_tdata,
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
    localparam PW      = $clog2(MW + 1);
    localparam OUT_W   = (SCORES != 0) ? PE * ACC_W : PE * OUT_BITS;
    localparam MB      = (MASKED != 0) ? 1 : 0;
    localparam XW      = SIMD + MB;                  // input beat width
    localparam DW      = PW + 1;                     // MASKED: signed dot-product width
    /* verilator lint_off UNUSEDPARAM */
    localparam LATENCY = 3 + POP_STAGES;             // documentation / testbench visibility only
    /* verilator lint_on UNUSEDPARAM */
    localparam CNTW    = $clog2(SIMD + 1);           // popcount width per step
    localparam CW      = (PW > TW) ? PW : TW;        // threshold compare width

    generate
        if (MW < 1 || MH < 1 || PE < 1 || SIMD < 1) begin : g_err_pos  bnn_param_error_mvtu_MW_MH_PE_SIMD_below_1 u_err (); end
        if (MW % SIMD != 0)      begin : g_err_simd bnn_param_error_mvtu_SIMD_does_not_divide_MW u_err (); end
        if (MH % PE != 0)        begin : g_err_pe   bnn_param_error_mvtu_PE_does_not_divide_MH u_err (); end
        if (POP_STAGES < 0)      begin : g_err_pop  bnn_param_error_mvtu_POP_STAGES_negative u_err (); end
        if (TW < 1)              begin : g_err_tw   bnn_param_error_mvtu_TW_below_1 u_err (); end
        if (OBUF_DEPTH < 1)      begin : g_err_ob   bnn_param_error_mvtu_OBUF_DEPTH_below_1 u_err (); end
        if (MASKED != 0 && MASKED != 1) begin : g_err_m bnn_param_error_mvtu_MASKED_not_0_or_1 u_err (); end
        if (SCORES != 0 && ACC_W < PW + 1) begin : g_err_acc bnn_param_error_mvtu_ACC_W_below_clog2_MW_plus_1_plus_1 u_err (); end
        if (NTHR < 1 || NTHR > 255) begin : g_err_nt bnn_param_error_mvtu_NTHR_not_1_to_255 u_err (); end
        if (NTHR == 1 && (OUT_BITS != 1 || OUT_MIN != 0)) begin : g_err_ob1 bnn_param_error_mvtu_NTHR_1_needs_OUT_BITS_1_OUT_MIN_0 u_err (); end
    endgenerate

    // ---------------------------------------------------------------- control
    /* verilator lint_off UNUSEDSIGNAL */
    wire [XW-1:0]  x_r;                              // x_r[SIMD]: the mask bit (MASKED), via ctl
    wire           maskp;                            // unused unless MASKED
    /* verilator lint_on UNUSEDSIGNAL */
    wire           vp;
    wire           firstp;
    wire [OUT_W-1:0] res;

    bnn_mvu_ctl #(
        .SF(SF), .NF(NF), .XW(XW), .TAG(MB), .STAGES(POP_STAGES), .THRESH(SCORES == 0),
        .OUT_W(OUT_W), .OBUF_DEPTH(OBUF_DEPTH)
    ) u_ctl (
        .clk(clk), .rst_n(rst_n),
        .s_axis_tdata(s_axis_tdata), .s_axis_tvalid(s_axis_tvalid), .s_axis_tready(s_axis_tready),
        .m_axis_tdata(m_axis_tdata), .m_axis_tvalid(m_axis_tvalid), .m_axis_tready(m_axis_tready),
        .w_en(w_en), .w_addr(w_addr), .t_en(t_en), .t_addr(t_addr),
        .x(x_r), .vp(vp), .firstp(firstp), .tagp(maskp), .res(res)
    );

    // ---------------------------------------------------------------- datapath per PE
    genvar k, l;
    generate
        for (k = 0; k < PE; k = k + 1) begin : pe
            wire [CNTW-1:0] cnt;                     // popcount, POP_STAGES cycles after x_r
            bnn_popcount #(
                .SIMD(SIMD), .FA(POP_FA), .LEVELS(POP_LEVELS), .STAGES(POP_STAGES),
                .H(POP_H), .K(POP_K), .REGS(POP_REGS)
            ) u_pop (
                .clk(clk), .x(x_r[SIMD-1:0]), .w(w_data[k*SIMD +: SIMD]), .cnt(cnt)
            );
            if (MASKED != 0) begin : g_masked
                localparam [31:0] SIMD32 = SIMD;
                localparam MCW = (DW > TW) ? DW : TW;
                wire [DW-1:0]    two_c   = {{(DW-CNTW-1){1'b0}}, cnt, 1'b0};
                wire [DW-1:0]    contrib = maskp ? {DW{1'b0}} : two_c - SIMD32[DW-1:0];
                reg  [DW-1:0]    acc;
                always @(posedge clk) begin
                    if (vp) acc <= firstp ? contrib : acc + contrib;
                end
                if (SCORES != 0) begin : g_score
                    assign res[k*ACC_W +: ACC_W] = {{(ACC_W-DW){acc[DW-1]}}, acc};
                end else if (NTHR == 1) begin : g_thr
                    wire [TW-1:0]  th   = t_data[k*TW +: TW];
                    wire [MCW-1:0] accx = {{(MCW-DW){acc[DW-1]}}, acc};
                    wire [MCW-1:0] thx  = {{(MCW-TW){th[TW-1]}}, th};
                    assign res[k] = ($signed(accx) >= $signed(thx));
                end else begin : g_lvl
                    wire [MCW-1:0]  accx = {{(MCW-DW){acc[DW-1]}}, acc};
                    wire [NTHR-1:0] ge;
                    for (l = 0; l < NTHR; l = l + 1) begin : cmp
                        wire [TW-1:0]  th  = t_data[(k*NTHR + l)*TW +: TW];
                        wire [MCW-1:0] thx = {{(MCW-TW){th[TW-1]}}, th};
                        assign ge[l] = ($signed(accx) >= $signed(thx));
                    end
                    bnn_levels #(
                        .N(NTHR), .OB(OUT_BITS), .OMIN(OUT_MIN)
                    ) u_lvl (
                        .ge(ge), .code(res[k*OUT_BITS +: OUT_BITS])
                    );
                end
            end else begin : g_plain
                wire [PW-1:0] cntx = {{(PW-CNTW){1'b0}}, cnt};
                reg  [PW-1:0] acc;
                always @(posedge clk) begin
                    if (vp) acc <= firstp ? cntx : acc + cntx;
                end
                if (SCORES != 0) begin : g_score
                    localparam [31:0] MW32 = MW;
                    wire [ACC_W-1:0] two_p = {{(ACC_W-PW-1){1'b0}}, acc, 1'b0};
                    assign res[k*ACC_W +: ACC_W] = two_p - MW32[ACC_W-1:0];
                end else if (NTHR == 1) begin : g_thr
                    wire [CW-1:0] accx = {{(CW-PW){1'b0}}, acc};
                    wire [CW-1:0] thx  = {{(CW-TW){1'b0}}, t_data[k*TW +: TW]};
                    assign res[k] = (accx >= thx);
                end else begin : g_lvl
                    wire [CW-1:0]   accx = {{(CW-PW){1'b0}}, acc};
                    wire [NTHR-1:0] ge;
                    for (l = 0; l < NTHR; l = l + 1) begin : cmp
                        wire [CW-1:0] thx = {{(CW-TW){1'b0}}, t_data[(k*NTHR + l)*TW +: TW]};
                        assign ge[l] = (accx >= thx);
                    end
                    bnn_levels #(
                        .N(NTHR), .OB(OUT_BITS), .OMIN(OUT_MIN)
                    ) u_lvl (
                        .ge(ge), .code(res[k*OUT_BITS +: OUT_BITS])
                    );
                end
            end
        end
    endgenerate
endmodule
`default_nettype wire
