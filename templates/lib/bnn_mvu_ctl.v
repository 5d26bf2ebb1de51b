`timescale 1ns/1ps
`default_nettype none
// -----------------------------------------------------------------------------------------------
// bnn_mvu_ctl: control of the matrix-vector units (bnn-hw RTL library, Verilog-2005): issue logic,
// credits, input buffer, control pipeline and output FIFO, shared by bnn_mvtu (XNOR-popcount) and
// bnn_mvu_int (add/subtract). The datapath (in the parent) sees the registered input beat x, the
// weight ROM data, the accumulate controls STAGES cycles later, and returns one result per vector.
//
// Parameters
//   SF, NF      steps per output beat, output beats per vector (>= 1)
//   XW          input beat width (>= 1)
//   TAG         1: bit XW-1 of the beat travels with the control word to tagp (bnn_mvtu's padding
//               mask), 0: tagp = 0
//   STAGES      register levels of the datapath between x and the accumulator (>= 0)
//   THRESH      1: threshold ROM reads (t_en), 0: t_en = 0 (scores out)
//   OUT_W       result width (>= 1)
//   OBUF_DEPTH  entries of the output FIFO (>= 1)
//
// Fire / ready (registers: nf, sf, the credits of bnn_obuf)
//   credit_ok     = (reserved < OBUF_DEPTH)
//   fire          = (nf != 0 || s_axis_tvalid) && (sf != SF-1 || credit_ok)
//   s_axis_tready = (nf == 0) && (sf != SF-1 || credit_ok)
//   On fire: sf <= (sf == SF-1) ? 0 : sf+1; nf advances (mod NF) when sf == SF-1; an output entry
//   is reserved when sf == SF-1. When nf == 0 the beat comes from the stream and is stored in the
//   input buffer at index sf; when nf > 0 it is read back from that buffer (no buffer if NF == 1).
//
// Pipeline (step fired in cycle t):
//   t          : w_en, w_addr = nf*SF + sf (weight ROM read); the beat -> x
//   t+1        : datapath on x and the weight data
//   t+1+STAGES : vp, firstp (sf == 0), tagp; t_en = vp && last step, t_addr = nf (THRESH = 1)
//   t+2+STAGES : res (the parent's function of its accumulator and t_data) written into the FIFO
// -----------------------------------------------------------------------------------------------
module bnn_mvu_ctl #(
    parameter SF         = 2,
    parameter NF         = 2,
    parameter XW         = 4,
    parameter TAG        = 0,
    parameter STAGES     = 1,
    parameter THRESH     = 1,
    parameter OUT_W      = 2,
    parameter OBUF_DEPTH = 2
) (
    input  wire             clk,
    input  wire             rst_n,
    input  wire [XW-1:0]    s_axis_tdata,
    input  wire             s_axis_tvalid,
    output wire             s_axis_tready,
    output wire [OUT_W-1:0] m_axis_tdata,
    output wire             m_axis_tvalid,
    input  wire             m_axis_tready,
    output wire             w_en,
    output wire [WAW-1:0]   w_addr,
    output wire             t_en,
    output wire [NFW-1:0]   t_addr,
    output reg  [XW-1:0]    x,
    output wire             vp,
    output wire             firstp,
    output wire             tagp,
    input  wire [OUT_W-1:0] res
);
    localparam SFW = (SF > 1) ? $clog2(SF) : 1;
    localparam NFW = (NF > 1) ? $clog2(NF) : 1;
    localparam WAW = (NF * SF > 1) ? $clog2(NF * SF) : 1;
    localparam TB  = (TAG != 0) ? 1 : 0;
    localparam CTW = 3 + NFW + TB;                   // control word {[tag,] nf, last, first, valid}

    localparam [31:0] SF_LAST32 = SF - 1;
    localparam [31:0] NF_LAST32 = NF - 1;
    localparam [31:0] WA_LAST32 = NF * SF - 1;
    localparam [SFW-1:0] SF_LAST = SF_LAST32[SFW-1:0];
    localparam [NFW-1:0] NF_LAST = NF_LAST32[NFW-1:0];
    localparam [WAW-1:0] WA_LAST = WA_LAST32[WAW-1:0];

    generate
        if (SF < 1)         begin : g_err_sf  bnn_param_error_mvu_ctl_SF_below_1 u_err (); end
        if (NF < 1)         begin : g_err_nf  bnn_param_error_mvu_ctl_NF_below_1 u_err (); end
        if (XW < 1)         begin : g_err_xw  bnn_param_error_mvu_ctl_XW_below_1 u_err (); end
        if (STAGES < 0)     begin : g_err_st  bnn_param_error_mvu_ctl_STAGES_negative u_err (); end
        if (TB != 0 && XW < 2) begin : g_err_tag bnn_param_error_mvu_ctl_TAG_needs_XW_above_1 u_err (); end
    endgenerate

    // ---------------------------------------------------------------- issue (fire) logic
    reg  [NFW-1:0] nf;
    reg  [SFW-1:0] sf;
    reg  [WAW-1:0] waddr;
    wire           credit_ok;

    wire sf_last = (sf == SF_LAST);
    wire nf_zero = (nf == {NFW{1'b0}});
    wire step_ok = !sf_last || credit_ok;
    wire fire    = (!nf_zero || s_axis_tvalid) && step_ok;

    assign s_axis_tready = nf_zero && step_ok;
    assign w_en          = fire;
    assign w_addr        = waddr;

    always @(posedge clk) begin
        if (!rst_n) begin
            nf    <= {NFW{1'b0}};
            sf    <= {SFW{1'b0}};
            waddr <= {WAW{1'b0}};
        end else if (fire) begin
            if (sf_last) begin
                sf <= {SFW{1'b0}};
                nf <= (nf == NF_LAST) ? {NFW{1'b0}} : nf + 1'b1;
            end else begin
                sf <= sf + 1'b1;
            end
            waddr <= (waddr == WA_LAST) ? {WAW{1'b0}} : waddr + 1'b1;
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
    reg            v1;
    reg            first1;
    reg            last1;
    reg  [NFW-1:0] nf1;

    always @(posedge clk) begin
        if (fire) x <= x_cur;
        first1 <= (sf == {SFW{1'b0}});
        last1  <= sf_last;
        nf1    <= nf;
    end
    always @(posedge clk) begin
        if (!rst_n) v1 <= 1'b0;
        else        v1 <= fire;
    end

    // control delayed alongside the datapath
    wire [CTW-1:0] ctl1;
    wire [CTW-1:0] ctlp;
    generate
        if (TB != 0) begin : g_ctl_tag
            assign ctl1 = {x[XW-1], nf1, last1, first1, v1};
            assign tagp = ctlp[CTW-1];
        end else begin : g_ctl_plain
            assign ctl1 = {nf1, last1, first1, v1};
            assign tagp = 1'b0;
        end
        if (STAGES == 0) begin : g_ctl_wire
            assign ctlp = ctl1;
        end else begin : g_ctl_dly
            reg [STAGES*CTW-1:0] cd;
            always @(posedge clk) begin
                if (!rst_n) cd <= {(STAGES*CTW){1'b0}};
                else        cd <= (cd << CTW) | {{((STAGES-1)*CTW){1'b0}}, ctl1};
            end
            assign ctlp = cd[(STAGES-1)*CTW +: CTW];
        end
    endgenerate
    wire lastp = ctlp[2];
    assign vp     = ctlp[0];
    assign firstp = ctlp[1];
    assign t_addr = ctlp[3 +: NFW];
    assign t_en   = (THRESH != 0) && vp && lastp;

    // ---------------------------------------------------------------- stage A (result), output FIFO
    reg va;
    always @(posedge clk) begin
        if (!rst_n) va <= 1'b0;
        else        va <= vp && lastp;
    end

    bnn_obuf #(
        .WIDTH(OUT_W), .DEPTH(OBUF_DEPTH)
    ) u_obuf (
        .clk(clk), .rst_n(rst_n), .issue(fire && sf_last), .credit_ok(credit_ok),
        .wr_data(res), .wr_valid(va),
        .m_axis_tdata(m_axis_tdata), .m_axis_tvalid(m_axis_tvalid), .m_axis_tready(m_axis_tready)
    );
endmodule
`default_nettype wire
