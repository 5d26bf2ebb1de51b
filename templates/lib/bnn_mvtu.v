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
//   POP_STAGES  register levels inside each popcount tree (>= 0), see bnn_addtree
//   SCORES      0: output PE threshold bits per beat; 1: output PE signed dot products per beat
//   ACC_W       SCORES=1 only: width of each signed output lane, ACC_W >= clog2(MW+1) + 1
//   TW          threshold width (unsigned thresholds)
//   OBUF_DEPTH  entries of the output FIFO (>= 1)
//   MASKED      0 (default): as described below. 1: true zero padding (see "MASKED mode")
//   Derived: SF = MW/SIMD, NF = MH/PE, PW = clog2(MW+1) (popcount accumulator width),
//            OUT_W = SCORES ? PE*ACC_W : PE (output beat width), XW = SIMD + MASKED (input width)
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
//   t_en, t_addr, t_data    threshold ROM port (external bnn_rom, PE*TW bits, depth NF):
//                           t_addr = nf of the completing step (max(1,clog2(NF)) bits), lane k =
//                           threshold of neuron nf*PE+k. The read is issued POP_STAGES+1 cycles
//                           after the completing step fired: t_en = valid && last at the
//                           accumulator stage. SCORES=1: t_en = 0 and t_data is ignored.
//
// Fire / ready (registers: nf, sf, reserved)
//   credit_ok     = (reserved < OBUF_DEPTH)
//   fire          = (nf != 0 || s_axis_tvalid) && (sf != SF-1 || credit_ok)
//   s_axis_tready = (nf == 0) && (sf != SF-1 || credit_ok)
//   On fire: sf <= (sf == SF-1) ? 0 : sf+1; nf advances (mod NF) when sf == SF-1.
//   reserved <= reserved + (fire && sf == SF-1) - (m_axis_tvalid && m_axis_tready)
//   When nf == 0 the beat comes from the stream and is stored in the input buffer at index sf;
//   when nf > 0 it is read back from that buffer (no buffer when NF == 1).
//
// Pipeline (step fired in cycle t):
//   t              : weight ROM read; input beat -> x register
//   t+1            : XNOR, 6:3 leaf counts, popcount tree (POP_STAGES register levels)
//   t+1+POP_STAGES : acc <= (sf == 0) ? cnt : acc + cnt; threshold ROM read if last step
//   t+2+POP_STAGES : out_k = acc_k >= T_k (or 2*acc_k - MW), written into the output FIFO
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
    parameter OBUF_DEPTH = 2,
    parameter MASKED     = 0
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
    input  wire [PE*TW-1:0]     t_data      // unused when SCORES = 1
    /* verilator lint_on UNUSEDSIGNAL */
);
    function integer mvtu_clog2;
        input integer value;
        integer v;
        begin
            v = value - 1;
            mvtu_clog2 = 0;
            while (v > 0) begin
                mvtu_clog2 = mvtu_clog2 + 1;
                v = v >> 1;
            end
        end
    endfunction

    localparam SF      = MW / SIMD;
    localparam NF      = MH / PE;
    localparam SFW     = (SF > 1) ? mvtu_clog2(SF) : 1;
    localparam NFW     = (NF > 1) ? mvtu_clog2(NF) : 1;
    localparam WAW     = (NF * SF > 1) ? mvtu_clog2(NF * SF) : 1;
    localparam PW      = mvtu_clog2(MW + 1);
    localparam OUT_W   = (SCORES != 0) ? PE * ACC_W : PE;
    localparam MB      = (MASKED != 0) ? 1 : 0;
    localparam XW      = SIMD + MB;                  // input beat width
    localparam DW      = PW + 1;                     // MASKED: signed dot-product width
    localparam RSW     = mvtu_clog2(OBUF_DEPTH + 1);
    /* verilator lint_off UNUSEDPARAM */
    localparam LATENCY = 3 + POP_STAGES;         // documentation / testbench visibility only
    /* verilator lint_on UNUSEDPARAM */
    // popcount: 6:3 leaf counters, then a balanced adder tree
    localparam NLEAF   = (SIMD + 5) / 6;
    localparam LW      = mvtu_clog2(((SIMD < 6) ? SIMD : 6) + 1);
    localparam CNTW    = mvtu_clog2(SIMD + 1);
    localparam CTW     = 3 + NFW + MB;               // control word {[mask,] nf, last, first, valid}
    localparam CW      = (PW > TW) ? PW : TW;        // threshold compare width

    localparam [31:0] SF_LAST32 = SF - 1;
    localparam [31:0] NF_LAST32 = NF - 1;
    localparam [31:0] WA_LAST32 = NF * SF - 1;
    localparam [31:0] OBUF32    = OBUF_DEPTH;
    localparam [SFW-1:0] SF_LAST = SF_LAST32[SFW-1:0];
    localparam [NFW-1:0] NF_LAST = NF_LAST32[NFW-1:0];
    localparam [WAW-1:0] WA_LAST = WA_LAST32[WAW-1:0];
    localparam [RSW-1:0] OBUF_D  = OBUF32[RSW-1:0];

    // ---------------------------------------------------------------- issue (fire) logic
    reg  [NFW-1:0] nf;
    reg  [SFW-1:0] sf;
    reg  [WAW-1:0] waddr;
    reg  [RSW-1:0] reserved;

    wire credit_ok = (reserved < OBUF_D);
    wire sf_last   = (sf == SF_LAST);
    wire nf_zero   = (nf == {NFW{1'b0}});
    wire step_ok   = !sf_last || credit_ok;
    wire fire      = (!nf_zero || s_axis_tvalid) && step_ok;
    wire issue_res = fire && sf_last;
    wire out_rd    = m_axis_tvalid && m_axis_tready;

    assign s_axis_tready = nf_zero && step_ok;
    assign w_en          = fire;
    assign w_addr        = waddr;

    always @(posedge clk) begin
        if (!rst_n) begin
            nf       <= {NFW{1'b0}};
            sf       <= {SFW{1'b0}};
            waddr    <= {WAW{1'b0}};
            reserved <= {RSW{1'b0}};
        end else begin
            if (fire) begin
                if (sf_last) begin
                    sf <= {SFW{1'b0}};
                    nf <= (nf == NF_LAST) ? {NFW{1'b0}} : nf + 1'b1;
                end else begin
                    sf <= sf + 1'b1;
                end
                waddr <= (waddr == WA_LAST) ? {WAW{1'b0}} : waddr + 1'b1;
            end
            if (issue_res && !out_rd)      reserved <= reserved + 1'b1;
            else if (out_rd && !issue_res) reserved <= reserved - 1'b1;
        end
    end

    // ---------------------------------------------------------------- input buffer
    wire [XW-1:0] x_cur;
    generate
        if (NF > 1) begin : g_ibuf
            reg [XW-1:0] ibuf [0:SF-1];
            always @(posedge clk) begin
                if (fire && nf_zero) ibuf[sf] <= s_axis_tdata;
            end
            assign x_cur = nf_zero ? s_axis_tdata : ibuf[sf];
        end else begin : g_no_ibuf
            assign x_cur = s_axis_tdata;
        end
    endgenerate

    // ---------------------------------------------------------------- stage 1 (weights arrive)
    reg  [XW-1:0]   x_r;
    reg             v1;
    reg             first1;
    reg             last1;
    reg  [NFW-1:0]  nf1;

    always @(posedge clk) begin
        if (fire) x_r <= x_cur;
        first1 <= (sf == {SFW{1'b0}});
        last1  <= sf_last;
        nf1    <= nf;
    end
    always @(posedge clk) begin
        if (!rst_n) v1 <= 1'b0;
        else        v1 <= fire;
    end

    // control delayed alongside the popcount tree
    wire [CTW-1:0] ctl1;
    wire [CTW-1:0] ctlp;
    generate
        if (MASKED != 0) begin : g_ctl_mask
            assign ctl1 = {x_r[SIMD], nf1, last1, first1, v1};
        end else begin : g_ctl_plain
            assign ctl1 = {nf1, last1, first1, v1};
        end
    endgenerate
    generate
        if (POP_STAGES == 0) begin : g_ctl_wire
            assign ctlp = ctl1;
        end else begin : g_ctl_dly
            reg [POP_STAGES*CTW-1:0] cd;
            always @(posedge clk) begin
                if (!rst_n) cd <= {(POP_STAGES*CTW){1'b0}};
                else        cd <= (cd << CTW) | {{((POP_STAGES-1)*CTW){1'b0}}, ctl1};
            end
            assign ctlp = cd[(POP_STAGES-1)*CTW +: CTW];
        end
    endgenerate
    wire            vp     = ctlp[0];
    wire            firstp = ctlp[1];
    wire            lastp  = ctlp[2];
    wire [NFW-1:0]  nfp    = ctlp[3 +: NFW];

    // ---------------------------------------------------------------- stage A (result)
    reg va;
    always @(posedge clk) begin
        if (!rst_n) va <= 1'b0;
        else        va <= vp && lastp;
    end
    assign t_addr = nfp;
    generate
        if (SCORES != 0) begin : g_t_off
            assign t_en = 1'b0;
        end else begin : g_t_on
            assign t_en = vp && lastp;
        end
    endgenerate

    wire [OUT_W-1:0] res;

    genvar k, g;
    generate
        for (k = 0; k < PE; k = k + 1) begin : pe
            wire [SIMD-1:0]     xn = ~(x_r[SIMD-1:0] ^ w_data[k*SIMD +: SIMD]);
            wire [NLEAF*LW-1:0] leaves;
            for (g = 0; g < NLEAF; g = g + 1) begin : lf
                localparam GB = 6 * g;
                localparam GN = (SIMD - GB < 6) ? SIMD - GB : 6;
                reg [LW-1:0] c;
                integer j;
                always @* begin
                    c = {LW{1'b0}};
                    for (j = 0; j < GN; j = j + 1) c = c + {{(LW-1){1'b0}}, xn[GB+j]};
                end
                assign leaves[g*LW +: LW] = c;
            end
            wire [CNTW-1:0] cnt;
            bnn_addtree #(
                .N(NLEAF), .IW(LW), .SIGNED(0), .OW(CNTW), .STAGES(POP_STAGES)
            ) u_tree (
                .clk(clk), .in(leaves), .sum(cnt)
            );
            if (MASKED != 0) begin : g_masked
                localparam [31:0] SIMD32 = SIMD;
                localparam MCW = (DW > TW) ? DW : TW;
                wire             maskp   = ctlp[CTW-1];
                wire [DW-1:0]    two_c   = {{(DW-CNTW-1){1'b0}}, cnt, 1'b0};
                wire [DW-1:0]    contrib = maskp ? {DW{1'b0}} : two_c - SIMD32[DW-1:0];
                reg  [DW-1:0]    acc;
                always @(posedge clk) begin
                    if (vp) acc <= firstp ? contrib : acc + contrib;
                end
                if (SCORES != 0) begin : g_score
                    assign res[k*ACC_W +: ACC_W] = {{(ACC_W-DW){acc[DW-1]}}, acc};
                end else begin : g_thr
                    wire [TW-1:0]  th   = t_data[k*TW +: TW];
                    wire [MCW-1:0] accx = {{(MCW-DW){acc[DW-1]}}, acc};
                    wire [MCW-1:0] thx  = {{(MCW-TW){th[TW-1]}}, th};
                    assign res[k] = ($signed(accx) >= $signed(thx));
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
                end else begin : g_thr
                    wire [CW-1:0] accx = {{(CW-PW){1'b0}}, acc};
                    wire [CW-1:0] thx  = {{(CW-TW){1'b0}}, t_data[k*TW +: TW]};
                    assign res[k] = (accx >= thx);
                end
            end
        end
    endgenerate

    // ---------------------------------------------------------------- output FIFO
    /* verilator lint_off UNUSEDSIGNAL */
    wire                 obuf_in_ready;   // never low when written: guaranteed by the credits
    wire [RSW-1:0]       obuf_count;
    /* verilator lint_on UNUSEDSIGNAL */
    bnn_fifo #(
        .WIDTH(OUT_W), .DEPTH(OBUF_DEPTH)
    ) u_obuf (
        .clk(clk), .rst_n(rst_n),
        .s_axis_tdata(res), .s_axis_tvalid(va), .s_axis_tready(obuf_in_ready),
        .m_axis_tdata(m_axis_tdata), .m_axis_tvalid(m_axis_tvalid), .m_axis_tready(m_axis_tready),
        .count(obuf_count)
    );
endmodule
`default_nettype wire
