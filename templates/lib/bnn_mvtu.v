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
//   POP_STAGES  register levels inside each popcount compressor (>= 0), see "popcount" below
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
//   t+1            : XNOR, popcount compressor (POP_STAGES register levels)
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
    localparam CNTW    = mvtu_clog2(SIMD + 1);      // popcount width per step
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

    // ---------------------------------------------------------------- popcount compressor plan
    // [popcount-plan begin] (scripts/calibrate.mjs measures this region and [popcount] alone)
    // The popcount of the SIMD XNOR bits is a column compressor (bit columns of weight 2^c,
    // c < CNTW; bits that would land in a column >= CNTW are always 0 and are dropped):
    //   level FA  (streamed weights): full adders on triples of XNOR bits; each output is a
    //             6-input function of 3 (x, w) pairs, i.e. one LUT6 per output.
    //   levels 1..PC_S: in every column, groups of 6 bits -> 6:3 counters; the rest (< 6 bits)
    //             either passes or gets one 5:3 / 4:3 counter or full adder (see pc_k). Every
    //             counter output is a function of <= 6 bits: one LUT6. Repeated until every column
    //             holds <= 2 bits.
    //   CPA       the two remaining rows are added (carry chain).
    // Fully unrolled layers (NF = SF = 1) have constant weights after synthesis (a 1-word ROM), so
    // the XNORs fold into the counters: the FA level is skipped and 6:3 counters take the XNOR
    // bits directly (6 product bits per LUT6).
    // The POP_STAGES register levels cut the PC_T = PC_FA + PC_S + 1 levels plus the accumulator
    // adder into POP_STAGES+1 nearly equal segments (the bnn_addtree rule with L = PC_T).
    localparam PCB    = 32;                          // bits per packed column height
    localparam PC_FA  = (NF == 1 && SF == 1) ? 0 : 1;
    localparam PC_HW  = CNTW * PCB;

    /* verilator lint_off UNUSEDSIGNAL */
    function integer pc_get;                         // height of column c (0 outside 0..CNTW-1)
        input [PC_HW-1:0] h;
        input integer c;
        reg   [PC_HW-1:0] t;
        begin
            if (c < 0 || c >= CNTW) pc_get = 0;
            else begin
                t = h >> (c * PCB);
                pc_get = t[PCB-1:0];
            end
        end
    endfunction
    // Remainder rule: a column of x bits gets x/6 6:3 counters; its x%6 remaining bits get one
    // more counter (5:3, 4:3 or a full adder) when pc_k says so, else they pass. Rule 0: when 3 or
    // more remain. Rule 1: when 5 remain, or 3-5 remain in a column of fewer than 6 bits (fewer
    // inefficient small counters). The cheaper rule (pc_cost) is used.
    function integer pc_k;
        input integer x;
        input integer rule;
        begin
            if (rule == 0) pc_k = (x % 6 >= 3) ? 1 : 0;
            else           pc_k = (x % 6 == 5 || (x < 6 && x >= 3)) ? 1 : 0;
        end
    endfunction
    function integer pc_ncnt;                        // counters in a column of height x
        input integer x;
        input integer rule;
        begin
            pc_ncnt = x / 6 + pc_k(x, rule);
        end
    endfunction
    function integer pc_npass;                       // bits passed through unchanged
        input integer x;
        input integer rule;
        begin
            pc_npass = (pc_k(x, rule) != 0) ? 0 : x % 6;
        end
    endfunction
    function integer pc_nhigh;                       // counters with a weight-4 output
        input integer x;
        input integer rule;
        begin
            pc_nhigh = x / 6 + ((pc_k(x, rule) != 0 && x % 6 >= 4) ? 1 : 0);
        end
    endfunction
    function [PC_HW-1:0] pc_put;                     // h with column c set to n
        input [PC_HW-1:0] h;
        input integer c;
        input integer n;
        reg   [PC_HW-1:0] t;
        begin
            t = {PC_HW{1'b0}};
            t[PCB-1:0] = n;
            pc_put = h | (t << (c * PCB));
        end
    endfunction
    /* verilator lint_on UNUSEDSIGNAL */
    function [PC_HW-1:0] pc_start;                   // column heights after the first level
        input integer dummy;
        reg [PC_HW-1:0] h;
        begin
            h = {PC_HW{1'b0}};
            if (PC_FA != 0) begin
                h = pc_put(h, 0, SIMD / 3 + SIMD % 3 + 0 * dummy);
                if (CNTW > 1) h = pc_put(h, 1, SIMD / 3);
            end else begin
                h = pc_put(h, 0, SIMD + 0 * dummy);
            end
            pc_start = h;
        end
    endfunction
    function [PC_HW-1:0] pc_step;                    // column heights after one counter level
        input [PC_HW-1:0] h;
        input integer rule;
        integer c;
        begin
            pc_step = {PC_HW{1'b0}};
            for (c = 0; c < CNTW; c = c + 1)
                pc_step = pc_put(pc_step, c, pc_ncnt(pc_get(h, c), rule) + pc_npass(pc_get(h, c), rule)
                                             + pc_ncnt(pc_get(h, c - 1), rule) + pc_nhigh(pc_get(h, c - 2), rule));
        end
    endfunction
    function integer pc_max;                         // tallest column
        input [PC_HW-1:0] h;
        integer c;
        begin
            pc_max = 0;
            for (c = 0; c < CNTW; c = c + 1) if (pc_get(h, c) > pc_max) pc_max = pc_get(h, c);
        end
    endfunction
    function integer pc_cost;                        // LUT6 count of the counter levels with a rule
        input integer rule;
        integer c, x, n;
        reg [PC_HW-1:0] h;
        begin
            pc_cost = 0;
            h = pc_start(0);
            n = 0;
            while (pc_max(h) > 2 && n < 64) begin
                for (c = 0; c < CNTW; c = c + 1) begin
                    x = pc_get(h, c);
                    // every counter has a weight-1 output; weight-2 / -4 outputs beyond the
                    // top column are dropped (always 0) and cost nothing
                    pc_cost = pc_cost + pc_ncnt(x, rule);
                    if (c + 1 < CNTW) pc_cost = pc_cost + pc_ncnt(x, rule);
                    if (c + 2 < CNTW) pc_cost = pc_cost + pc_nhigh(x, rule);
                end
                h = pc_step(h, rule);
                n = n + 1;
            end
        end
    endfunction
    localparam PC_R = (pc_cost(1) < pc_cost(0)) ? 1 : 0;
    function [PC_HW-1:0] pc_heights;                 // column heights after compressor level s
        input integer s;
        integer i;
        reg [PC_HW-1:0] h;
        begin
            h = pc_start(0);
            for (i = 0; i < s; i = i + 1) h = pc_step(h, PC_R);
            pc_heights = h;
        end
    endfunction
    function integer pc_off;                         // offset of column c in the packed bits
        input [PC_HW-1:0] h;
        input integer c;
        integer i;
        begin
            pc_off = 0;
            for (i = 0; i < c; i = i + 1) pc_off = pc_off + pc_get(h, i);
        end
    endfunction
    function integer pc_levels;                      // counter levels until all columns <= 2
        input integer dummy;
        integer s;
        reg [PC_HW-1:0] h;
        begin
            s = 0;
            h = pc_start(dummy);
            while (pc_max(h) > 2) begin
                h = pc_step(h, PC_R);
                s = s + 1;
            end
            pc_levels = s;
        end
    endfunction
    localparam PC_S = pc_levels(0);                  // counter levels
    localparam PC_T = PC_FA + PC_S + 1;              // levels before the accumulator
    function integer pc_regs;                        // register levels after level l
        input integer l;
        begin
            if (l <= 0)         pc_regs = 0;
            else if (l == PC_T) pc_regs = POP_STAGES - ((PC_T - 1) * (POP_STAGES + 1)) / (PC_T + 1);
            else                pc_regs = (l * (POP_STAGES + 1)) / (PC_T + 1) - ((l - 1) * (POP_STAGES + 1)) / (PC_T + 1);
        end
    endfunction
    function [2:0] pc_cnt6;                          // popcount of 6 bits as boolean logic
        input [5:0] b;
        reg sa, ca, sb, cb, t;
        begin
            sa = b[0] ^ b[1] ^ b[2];
            ca = (b[0] & b[1]) | (b[0] & b[2]) | (b[1] & b[2]);
            sb = b[3] ^ b[4] ^ b[5];
            cb = (b[3] & b[4]) | (b[3] & b[5]) | (b[4] & b[5]);
            t  = sa & sb;
            pc_cnt6 = {(ca & cb) | (ca & t) | (cb & t), ca ^ cb ^ t, sa ^ sb};
        end
    endfunction
    // [popcount-plan end]

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

    // ---------------------------------------------------------------- popcount compressor
    // [popcount begin]
    // All PEs side by side: level j holds PE groups of PC_N(j) bits, PE k at [k*PC_N(j) +: PC_N(j)].
    wire [PE*CNTW-1:0] pc_cnt;                       // popcount per PE, POP_STAGES cycles after x_r
    genvar pj, pc, pk, pi;
    generate
        for (pj = 0; pj <= PC_S; pj = pj + 1) begin : pcl
            localparam [PC_HW-1:0] HO = pc_heights(pj);
            localparam NO = pc_off(HO, CNTW);        // bits per PE after this level
            localparam RL = pc_regs(PC_FA + pj);
            /* verilator lint_off UNUSEDSIGNAL */
            wire [PE*NO-1:0] cv;                     // combinational value of this level
            wire [PE*NO-1:0] sv;                     // cv; a kept net for counter levels
            wire [PE*NO-1:0] qv;                     // sv after RL register levels
            /* verilator lint_on UNUSEDSIGNAL */
            assign sv = cv;
            if (pj == 0) begin : g_first
                for (pk = 0; pk < PE; pk = pk + 1) begin : pe
                    wire [SIMD-1:0] xn = ~(x_r[SIMD-1:0] ^ w_data[pk*SIMD +: SIMD]);
                    if (PC_FA != 0) begin : g_fa
                        localparam G3 = SIMD / 3;
                        for (pi = 0; pi < G3; pi = pi + 1) begin : fa
                            wire [2:0] b = xn[3*pi +: 3];
                            assign cv[pk*NO + pi] = b[0] ^ b[1] ^ b[2];
                            if (CNTW > 1) begin : g_c
                                assign cv[pk*NO + pc_get(HO, 0) + pi] = (b[0] & b[1]) | (b[0] & b[2]) | (b[1] & b[2]);
                            end
                        end
                        for (pi = 0; pi < SIMD % 3; pi = pi + 1) begin : ps
                            assign cv[pk*NO + G3 + pi] = xn[3*G3 + pi];
                        end
                    end else begin : g_raw
                        assign cv[pk*NO +: NO] = xn;
                    end
                end
            end else begin : g_cnt
                localparam [PC_HW-1:0] HI = pc_heights(pj - 1);
                localparam NI = pc_off(HI, CNTW);
                for (pc = 0; pc < CNTW; pc = pc + 1) begin : col
                    localparam H   = pc_get(HI, pc);
                    localparam IO  = pc_off(HI, pc);
                    localparam N6  = H / 6;
                    localparam NCT = pc_ncnt(H, PC_R);
                    localparam NPS = pc_npass(H, PC_R);
                    localparam OO0 = pc_off(HO, pc);
                    localparam OO1 = pc_off(HO, pc + 1) + pc_ncnt(pc_get(HI, pc + 1), PC_R) + pc_npass(pc_get(HI, pc + 1), PC_R);
                    localparam OO2 = pc_off(HO, pc + 2) + pc_ncnt(pc_get(HI, pc + 2), PC_R) + pc_npass(pc_get(HI, pc + 2), PC_R)
                                     + pc_ncnt(pc_get(HI, pc + 1), PC_R);
                    for (pk = 0; pk < PE; pk = pk + 1) begin : pe
                        for (pi = 0; pi < NCT; pi = pi + 1) begin : cn
                            localparam GN = (pi < N6) ? 6 : H % 6;
                            wire [5:0] b;
                            /* verilator lint_off UNUSEDSIGNAL */
                            wire [2:0] y = pc_cnt6(b);
                            /* verilator lint_on UNUSEDSIGNAL */
                            if (GN == 6) begin : g_full
                                assign b = pcl[pj-1].qv[pk*NI + IO + 6*pi +: 6];
                            end else begin : g_part
                                assign b = {{(6-GN){1'b0}}, pcl[pj-1].qv[pk*NI + IO + 6*pi +: GN]};
                            end
                            assign cv[pk*NO + OO0 + pi] = y[0];
                            if (pc + 1 < CNTW) begin : g_y1
                                assign cv[pk*NO + OO1 + pi] = y[1];
                            end
                            if (pc + 2 < CNTW && GN >= 4) begin : g_y2
                                assign cv[pk*NO + OO2 + pi] = y[2];
                            end
                        end
                        for (pi = 0; pi < NPS; pi = pi + 1) begin : ps
                            assign cv[pk*NO + OO0 + NCT + pi] = pcl[pj-1].qv[pk*NI + IO + 6*N6 + pi];
                        end
                    end
                end
            end
            if (RL == 0) begin : g_wire
                assign qv = sv;
            end else begin : g_regs
                reg [RL*PE*NO-1:0] r;
                if (RL == 1) begin : g_one
                    always @(posedge clk) r <= sv;
                end else begin : g_more
                    always @(posedge clk) r <= {r[(RL-1)*PE*NO-1:0], sv};
                end
                assign qv = r[(RL-1)*PE*NO +: PE*NO];
            end
        end
        // carry-propagate adder of the two remaining rows, then the last register levels
        if (1) begin : pcf
            localparam [PC_HW-1:0] HF = pc_heights(PC_S);
            localparam NF_ = pc_off(HF, CNTW);
            localparam RL  = pc_regs(PC_T);
            wire [PE*CNTW-1:0] sum;
            for (pk = 0; pk < PE; pk = pk + 1) begin : pe
                wire [CNTW-1:0] ra, rb;
                for (pc = 0; pc < CNTW; pc = pc + 1) begin : col
                    localparam H = pc_get(HF, pc);
                    localparam O = pc_off(HF, pc);
                    if (H >= 1) begin : g_a
                        assign ra[pc] = pcl[PC_S].qv[pk*NF_ + O];
                    end else begin : g_a0
                        assign ra[pc] = 1'b0;
                    end
                    if (H >= 2) begin : g_b
                        assign rb[pc] = pcl[PC_S].qv[pk*NF_ + O + 1];
                    end else begin : g_b0
                        assign rb[pc] = 1'b0;
                    end
                end
                assign sum[pk*CNTW +: CNTW] = ra + rb;
            end
            if (RL == 0) begin : g_wire
                assign pc_cnt = sum;
            end else begin : g_regs
                reg [RL*PE*CNTW-1:0] r;
                if (RL == 1) begin : g_one
                    always @(posedge clk) r <= sum;
                end else begin : g_more
                    always @(posedge clk) r <= {r[(RL-1)*PE*CNTW-1:0], sum};
                end
                assign pc_cnt = r[(RL-1)*PE*CNTW +: PE*CNTW];
            end
        end
    endgenerate
    // [popcount end]

    wire [OUT_W-1:0] res;

    genvar k;
    generate
        for (k = 0; k < PE; k = k + 1) begin : pe
            wire [CNTW-1:0] cnt = pc_cnt[k*CNTW +: CNTW];
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
