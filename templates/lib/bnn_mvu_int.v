`timescale 1ns/1ps
`default_nettype none
// -----------------------------------------------------------------------------------------------
// bnn_mvu_int: integer-input matrix-vector(-threshold) unit for a first layer on integer /
// fixed-point inputs (bnn-hw RTL library, Verilog-2005). Same stream, ROM and timing contract as
// bnn_mvtu; each product is (w ? x : -x), summed by an adder tree and accumulated as ACC_W-bit
// signed (two's complement, wraps on overflow: choose ACC_W >= IN_W + 1 + clog2(MW)).
//
// Parameters
//   MW          fan-in (columns), MW % SIMD == 0
//   MH          neurons (rows), MH % PE == 0
//   PE          neurons computed in parallel
//   SIMD        input elements consumed per step
//   IN_W        bits per input element
//   IN_SIGNED   1: input elements are two's complement, 0: unsigned
//   POP_STAGES  register levels inside each adder tree (>= 0), see bnn_addtree
//   SCORES      0: output PE threshold bits per beat; 1: output PE signed ACC_W-bit sums per beat
//   ACC_W       accumulator width (signed)
//   TW          threshold width (signed thresholds)
//   OBUF_DEPTH  entries of the output FIFO (>= 1)
//   Derived: SF = MW/SIMD, NF = MH/PE, OUT_W = SCORES ? PE*ACC_W : PE (output beat width)
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
//   t_en, t_addr, t_data    threshold ROM port (external bnn_rom, PE*TW bits, depth NF):
//                           t_addr = nf of the completing step (max(1,clog2(NF)) bits), lane k =
//                           signed threshold of neuron nf*PE+k. The read is issued POP_STAGES+1
//                           cycles after the completing step fired: t_en = valid && last at the
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
//   t+1            : products (w ? x : -x), adder tree (POP_STAGES register levels)
//   t+1+POP_STAGES : acc <= (sf == 0) ? sum : acc + sum; threshold ROM read if last step
//   t+2+POP_STAGES : out_k = (acc_k >= T_k) (or acc_k), written into the output FIFO
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
    parameter OBUF_DEPTH = 2
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
    input  wire [PE*TW-1:0]     t_data      // unused when SCORES = 1
    /* verilator lint_on UNUSEDSIGNAL */
);
    function integer mvu_int_clog2;
        input integer value;
        integer v;
        begin
            v = value - 1;
            mvu_int_clog2 = 0;
            while (v > 0) begin
                mvu_int_clog2 = mvu_int_clog2 + 1;
                v = v >> 1;
            end
        end
    endfunction

    localparam SF      = MW / SIMD;
    localparam NF      = MH / PE;
    localparam SFW     = (SF > 1) ? mvu_int_clog2(SF) : 1;
    localparam NFW     = (NF > 1) ? mvu_int_clog2(NF) : 1;
    localparam WAW     = (NF * SF > 1) ? mvu_int_clog2(NF * SF) : 1;
    localparam OUT_W   = (SCORES != 0) ? PE * ACC_W : PE;
    localparam RSW     = mvu_int_clog2(OBUF_DEPTH + 1);
    /* verilator lint_off UNUSEDPARAM */
    localparam LATENCY = 3 + POP_STAGES;         // documentation / testbench visibility only
    /* verilator lint_on UNUSEDPARAM */
    localparam XW      = SIMD * IN_W;            // input beat width
    localparam PRW     = IN_W + 1;               // product width (signed)
    localparam SUMW0   = PRW + mvu_int_clog2(SIMD);      // exact adder tree width
    localparam SUMW    = (SUMW0 < ACC_W) ? SUMW0 : ACC_W;
    localparam CTW     = 3 + NFW;                // control word {nf, last, first, valid}
    localparam CW      = (ACC_W > TW) ? ACC_W : TW;  // threshold compare width

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

    // control delayed alongside the adder tree
    wire [CTW-1:0] ctl1 = {nf1, last1, first1, v1};
    wire [CTW-1:0] ctlp;
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

    // +x and -x of every input element, shared by all PEs
    wire [SIMD*PRW-1:0] xpos;
    wire [SIMD*PRW-1:0] xneg;
    genvar k, i;
    generate
        for (i = 0; i < SIMD; i = i + 1) begin : xin
            wire [IN_W-1:0] x  = x_r[i*IN_W +: IN_W];
            wire [PRW-1:0]  xe = {(IN_SIGNED != 0) & x[IN_W-1], x};
            assign xpos[i*PRW +: PRW] = xe;
            assign xneg[i*PRW +: PRW] = {PRW{1'b0}} - xe;
        end
        for (k = 0; k < PE; k = k + 1) begin : pe
            wire [SIMD*PRW-1:0] prods;
            for (i = 0; i < SIMD; i = i + 1) begin : pr
                assign prods[i*PRW +: PRW] = w_data[k*SIMD + i] ? xpos[i*PRW +: PRW] : xneg[i*PRW +: PRW];
            end
            wire [SUMW-1:0] sum;
            bnn_addtree #(
                .N(SIMD), .IW(PRW), .SIGNED(1), .OW(SUMW), .STAGES(POP_STAGES)
            ) u_tree (
                .clk(clk), .in(prods), .sum(sum)
            );
            wire [ACC_W-1:0] sumx = {{(ACC_W-SUMW){sum[SUMW-1]}}, sum};
            reg  [ACC_W-1:0] acc;
            always @(posedge clk) begin
                if (vp) acc <= firstp ? sumx : acc + sumx;
            end
            if (SCORES != 0) begin : g_score
                assign res[k*ACC_W +: ACC_W] = acc;
            end else begin : g_thr
                wire [TW-1:0] th   = t_data[k*TW +: TW];
                wire [CW-1:0] accx = {{(CW-ACC_W){acc[ACC_W-1]}}, acc};
                wire [CW-1:0] thx  = {{(CW-TW){th[TW-1]}}, th};
                assign res[k] = ($signed(accx) >= $signed(thx));
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
