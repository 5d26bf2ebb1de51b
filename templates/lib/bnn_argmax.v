`timescale 1ns/1ps
`default_nettype none
// -----------------------------------------------------------------------------------------------
// bnn_argmax: label select over a stream of class scores (bnn-hw RTL library, Verilog-2005)
//
// Parameters
//   PE          score lanes per input beat
//   SCORE_W     bits per (signed, two's complement) score
//   NF          beats per frame; class nf*PE+k is lane k of beat nf
//   CLASSES     number of classes, (NF-1)*PE < CLASSES <= NF*PE; lanes of the last beat with
//               class index >= CLASSES are padding and never selected
//   IDX_W       output index width, IDX_W >= max(1, clog2(CLASSES))
//   RANK        0: compare the scores (signed); 1: compare per-lane ranks read from external ROMs
//   RANK_W      RANK=1: rank width (unsigned ranks)
//   NVALS       RANK=1: rank table entries per class
//   SCORE_MIN   RANK=1: smallest score (signed integer), table offset
//   SHIFT       RANK=1: table index = (score - SCORE_MIN) >> SHIFT (1 for binary scores, which all
//               have the parity of the fan-in)
//   OBUF_DEPTH  entries of the output FIFO (>= 1)
//
// Ports
//   clk, rst_n   clock, synchronous active-low reset
//   s_axis_*     PE*SCORE_W bits per beat, NF beats per frame
//   m_axis_*     IDX_W bits: index of the largest score (rank) of the frame; strict '>' so ties go
//                to the lowest class index
//   r_en, r_addr, r_data   RANK=1: PE external sync ROMs (bnn_rom, RANK_W bits, depth NF*NVALS, one
//                per lane): r_addr lane k (RAW = max(1, clog2(NF*NVALS)) bits at [k*RAW +: RAW]) =
//                nf*NVALS + ((score_k - SCORE_MIN) >> SHIFT), read one cycle after the beat fired
//                (r_en = valid of that stage); r_data lane k (RANK_W bits) one cycle later.
//                RANK=0: RAW = 1, r_en = 0, r_addr = 0, r_data ignored (tie to zero; its width
//                is still PE*RANK_W).
//
// Fire / ready (registers: nf, the credits of bnn_obuf)
//   credit_ok     = (reserved < OBUF_DEPTH)
//   fire          = s_axis_tvalid && (nf != NF-1 || credit_ok)
//   s_axis_tready = (nf != NF-1 || credit_ok)
//   On fire: nf <= (nf == NF-1) ? 0 : nf+1
//   reserved <= reserved + (fire && nf == NF-1) - (m_axis_tvalid && m_axis_tready)
//
// Pipeline (beat fired in cycle t): t: scores -> register; [RANK=1: t+1: rank ROM read];
// t+1+RANK: lane compare tree (lowest lane wins ties), compare with the running maximum of the
// frame (beat 0 always replaces it, later beats only when strictly greater), and on the last beat
// the frame's index is written into the output FIFO.
// LATENCY = 2 + RANK: the index of a frame whose last beat fired in cycle t is on m_axis in cycle
// t + LATENCY if the FIFO was empty. Full rate needs OBUF_DEPTH >= floor(LATENCY / NF) + 1.
// -----------------------------------------------------------------------------------------------
module bnn_argmax #(
    parameter PE         = 2,
    parameter SCORE_W    = 8,
    parameter NF         = 5,
    parameter CLASSES    = 10,
    parameter IDX_W      = 4,
    parameter RANK       = 0,
    parameter RANK_W     = 4,
    parameter NVALS      = 1,
    /* verilator lint_off UNUSEDPARAM */
    parameter SCORE_MIN  = 0,           // RANK=1 only
    parameter SHIFT      = 0,           // RANK=1 only
    /* verilator lint_on UNUSEDPARAM */
    parameter OBUF_DEPTH = 2
) (
    input  wire                  clk,
    input  wire                  rst_n,
    input  wire [PE*SCORE_W-1:0] s_axis_tdata,
    input  wire                  s_axis_tvalid,
    output wire                  s_axis_tready,
    output wire [IDX_W-1:0]      m_axis_tdata,
    output wire                  m_axis_tvalid,
    input  wire                  m_axis_tready,
    output wire                  r_en,
    output wire [PE*RAW-1:0]     r_addr,
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [PE*RANK_W-1:0]  r_data     // unused when RANK = 0
    /* verilator lint_on UNUSEDSIGNAL */
);
    localparam NFW     = (NF > 1) ? $clog2(NF) : 1;
    localparam RAW     = (RANK != 0 && NF * NVALS > 1) ? $clog2(NF * NVALS) : 1;   // 1 when RANK = 0
    localparam XW      = (CLASSES > 1) ? $clog2(CLASSES) : 1;      // class index width
    localparam LNW0    = (PE > 1) ? $clog2(PE) : 1;
    localparam LNW     = (LNW0 < XW) ? LNW0 : XW;                 // lane index width in the tree
    localparam KW      = ((RANK != 0) ? RANK_W : SCORE_W) + 1;    // signed compare key width
    localparam NDW     = 1 + KW + LNW;                            // tree node {valid, key, lane}
    localparam LASTN   = CLASSES - (NF - 1) * PE;                 // real lanes in the last beat
    localparam L       = $clog2(PE);
    /* verilator lint_off UNUSEDPARAM */
    localparam LATENCY = 2 + ((RANK != 0) ? 1 : 0);   // documentation / testbench visibility only
    /* verilator lint_on UNUSEDPARAM */

    localparam [31:0] NF_LAST32 = NF - 1;
    localparam [31:0] PESTEP32  = (NF > 1) ? PE : 0;
    localparam [NFW-1:0] NF_LAST = NF_LAST32[NFW-1:0];
    localparam [XW-1:0]  PESTEP  = PESTEP32[XW-1:0];

    generate
        if (PE < 1)         begin : g_err_pe  bnn_param_error_argmax_PE_below_1 u_err (); end
        if (SCORE_W < 1)    begin : g_err_sw  bnn_param_error_argmax_SCORE_W_below_1 u_err (); end
        if (NF < 1)         begin : g_err_nf  bnn_param_error_argmax_NF_below_1 u_err (); end
        if (CLASSES <= (NF - 1) * PE || CLASSES > NF * PE) begin : g_err_cl bnn_param_error_argmax_CLASSES_not_in_the_last_beat u_err (); end
        if (IDX_W < XW)     begin : g_err_iw  bnn_param_error_argmax_IDX_W_below_clog2_CLASSES u_err (); end
        if (RANK != 0 && (RANK_W < 1 || NVALS < 1)) begin : g_err_rk bnn_param_error_argmax_RANK_W_or_NVALS_below_1 u_err (); end
        if (OBUF_DEPTH < 1) begin : g_err_ob  bnn_param_error_argmax_OBUF_DEPTH_below_1 u_err (); end
    endgenerate

    // ---------------------------------------------------------------- issue (fire) logic
    reg  [NFW-1:0] nf;
    reg  [XW-1:0]  base;        // nf * PE
    wire           credit_ok;

    wire nf_last = (nf == NF_LAST);
    wire beat_ok = !nf_last || credit_ok;
    wire fire    = s_axis_tvalid && beat_ok;

    assign s_axis_tready = beat_ok;

    always @(posedge clk) begin
        if (!rst_n) begin
            nf   <= {NFW{1'b0}};
            base <= {XW{1'b0}};
        end else if (fire) begin
            nf   <= nf_last ? {NFW{1'b0}} : nf + 1'b1;
            base <= nf_last ? {XW{1'b0}} : base + PESTEP;
        end
    end

    // ---------------------------------------------------------------- stage 1
    reg  [PE*SCORE_W-1:0] x_r;
    reg                   v1;
    reg                   first1;
    reg                   last1;
    reg  [XW-1:0]         base1;
    always @(posedge clk) begin
        if (fire) x_r <= s_axis_tdata;
        first1 <= (nf == {NFW{1'b0}});
        last1  <= nf_last;
        base1  <= base;
    end
    always @(posedge clk) begin
        if (!rst_n) v1 <= 1'b0;
        else        v1 <= fire;
    end

    // ---------------------------------------------------------------- key stage
    wire              vk;
    wire              firstk;
    wire              lastk;
    wire [XW-1:0]     basek;
    wire [PE*KW-1:0]  keys;

    genvar k;
    generate
        if (RANK != 0) begin : g_rank
            localparam OFW = (NVALS > 1) ? $clog2(NVALS) : 1;
            localparam DW  = (SCORE_W + 1 > OFW) ? SCORE_W + 1 : OFW;
            localparam [31:0] SMIN32  = SCORE_MIN;
            localparam [31:0] NVSTEP32 = (NF > 1) ? NVALS : 0;
            localparam [DW-1:0]  SMIN   = SMIN32[DW-1:0];
            localparam [RAW-1:0] NVSTEP = NVSTEP32[RAW-1:0];
            reg [RAW-1:0] rbase;        // nf * NVALS at issue
            reg [RAW-1:0] rbase1;
            always @(posedge clk) begin
                if (!rst_n)    rbase <= {RAW{1'b0}};
                else if (fire) rbase <= nf_last ? {RAW{1'b0}} : rbase + NVSTEP;
            end
            always @(posedge clk) rbase1 <= rbase;

            assign r_en = v1;
            for (k = 0; k < PE; k = k + 1) begin : ra
                wire [SCORE_W-1:0] sc   = x_r[k*SCORE_W +: SCORE_W];
                wire [DW-1:0]      diff = {{(DW-SCORE_W){sc[SCORE_W-1]}}, sc} - SMIN;
                /* verilator lint_off UNUSEDSIGNAL */
                wire [DW-1:0]      idx  = diff >> SHIFT;   // < NVALS: the bits above OFW are zero
                /* verilator lint_on UNUSEDSIGNAL */
                assign r_addr[k*RAW +: RAW] = rbase1 + {{(RAW-OFW){1'b0}}, idx[OFW-1:0]};
                assign keys[k*KW +: KW] = {1'b0, r_data[k*RANK_W +: RANK_W]};
            end

            reg          v2;
            reg          first2;
            reg          last2;
            reg [XW-1:0] base2;
            always @(posedge clk) begin
                first2 <= first1;
                last2  <= last1;
                base2  <= base1;
            end
            always @(posedge clk) begin
                if (!rst_n) v2 <= 1'b0;
                else        v2 <= v1;
            end
            assign vk     = v2;
            assign firstk = first2;
            assign lastk  = last2;
            assign basek  = base2;
        end else begin : g_score
            assign r_en   = 1'b0;
            assign r_addr = {(PE*RAW){1'b0}};
            for (k = 0; k < PE; k = k + 1) begin : ka
                wire [SCORE_W-1:0] sc = x_r[k*SCORE_W +: SCORE_W];
                assign keys[k*KW +: KW] = {sc[SCORE_W-1], sc};
            end
            assign vk     = v1;
            assign firstk = first1;
            assign lastk  = last1;
            assign basek  = base1;
        end
    endgenerate

    // ---------------------------------------------------------------- lane compare tree
    genvar l, i;
    generate
        for (l = 0; l <= L; l = l + 1) begin : lv
            localparam NL = (PE + (1 << l) - 1) >> l;     // nodes at level l
            wire [NL*NDW-1:0] n;
            if (l == 0) begin : g_leaves
                for (i = 0; i < PE; i = i + 1) begin : lf
                    localparam [31:0] LANE32 = i % (1 << LNW);
                    wire valid;
                    if (i < LASTN) begin : g_real
                        assign valid = 1'b1;
                    end else begin : g_pad
                        assign valid = !lastk;
                    end
                    assign n[i*NDW +: NDW] = {valid, keys[i*KW +: KW], LANE32[LNW-1:0]};
                end
            end else begin : g_cmp
                localparam NP = (PE + (1 << (l - 1)) - 1) >> (l - 1);
                for (i = 0; i < NL; i = i + 1) begin : nd
                    wire [NDW-1:0] a = lv[l-1].n[(2*i)*NDW +: NDW];
                    if (2 * i + 1 < NP) begin : g_two
                        wire [NDW-1:0] b = lv[l-1].n[(2*i+1)*NDW +: NDW];
                        wire [KW-1:0]  ak = a[LNW +: KW];
                        wire [KW-1:0]  bk = b[LNW +: KW];
                        // b (higher lanes) wins only if valid and strictly greater
                        wire take_b = b[NDW-1] && (!a[NDW-1] || ($signed(bk) > $signed(ak)));
                        assign n[i*NDW +: NDW] = take_b ? b : a;
                    end else begin : g_one
                        assign n[i*NDW +: NDW] = a;
                    end
                end
            end
        end
    endgenerate

    /* verilator lint_off UNUSEDSIGNAL */
    wire [NDW-1:0] best = lv[L].n;            // best[NDW-1] (valid) is always 1: lane 0 is real
    /* verilator lint_on UNUSEDSIGNAL */
    wire [KW-1:0]  best_key  = best[LNW +: KW];
    wire [LNW-1:0] best_lane = best[LNW-1:0];

    // ---------------------------------------------------------------- running maximum of the frame
    reg  [KW-1:0] run_key;
    reg  [XW-1:0] run_idx;
    wire          upd  = firstk || ($signed(best_key) > $signed(run_key));
    wire [XW-1:0] cand = basek + {{(XW-LNW){1'b0}}, best_lane};
    always @(posedge clk) begin
        if (vk && upd) begin
            run_key <= best_key;
            run_idx <= cand;
        end
    end
    wire [XW-1:0]    win = upd ? cand : run_idx;
    wire [IDX_W-1:0] res = {{(IDX_W-XW){1'b0}}, win};

    bnn_obuf #(
        .WIDTH(IDX_W), .DEPTH(OBUF_DEPTH)
    ) u_obuf (
        .clk(clk), .rst_n(rst_n), .issue(fire && nf_last), .credit_ok(credit_ok),
        .wr_data(res), .wr_valid(vk && lastk),
        .m_axis_tdata(m_axis_tdata), .m_axis_tvalid(m_axis_tvalid), .m_axis_tready(m_axis_tready)
    );
endmodule
`default_nettype wire
