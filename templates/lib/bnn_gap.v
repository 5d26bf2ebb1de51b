`timescale 1ns/1ps
`default_nettype none
// -----------------------------------------------------------------------------------------------
// bnn_gap: global accumulator (the integer sum of global average pooling) (bnn-hw RTL library,
// Verilog-2005)
//
// Parameters
//   PE         channels per beat (>= 1), C % PE == 0
//   C          channels
//   HW         pixels per frame (H*W, 1 .. 2^24)
//   IN_W       bits per input code (1..32), IN_SIGNED 1: two's complement, 0: unsigned
//   OUT_W      bits per output sum, two's complement when IN_SIGNED: computed by the compiler
//              (src/blocks/kinds/gap-sim.ts, gapOutWidth: the fewest bits holding HW codes' sum) and
//              checked here: every sum must fit (<= 53 bits, exact in the
//              cycle model's float64 numbers)
//   OBUF_DEPTH output FIFO entries = credits (>= 1; the compiler passes LATENCY + 1 = 2)
//   Derived:   CF = C/PE (beats per pixel)
//
// Ports
//   clk, rst_n   clock, synchronous active-low reset
//   s_axis_*     pixels in raster order, CF beats of PE codes per pixel (lane k of beat f = channel
//                f*PE+k at [k*IN_W +: IN_W]), frames back to back
//   m_axis_*     per frame CF beats of PE sums (lane k of beat f = the sum of channel f*PE+k over
//                the frame's HW pixels, at [k*OUT_W +: OUT_W])
//
// Storage: acc[f], CF words of PE*OUT_W bits (asynchronous read: registers / LUT RAM).
// Counters f (0..CF-1, fastest), p (0..HW-1). last = (p == HW-1).
//   s_axis_tready = !last || credit_ok (reserved < OBUF_DEPTH)   (registers only)
//   fire = s_axis_tvalid && s_axis_tready
//   On fire: s = (p == 0 ? 0 : acc[f]) + x (per lane, x sign- or zero-extended); acc[f] <= s;
//   if last, s is written into the output FIFO (bnn_obuf, issue = fire && last) at this edge.
// LATENCY = 1: the sums of beat f leave in the cycle after the frame's last beat f is accepted.
// One input beat per cycle, frame boundaries included, with an always-ready consumer.
// -----------------------------------------------------------------------------------------------
module bnn_gap #(
    parameter PE        = 1,
    parameter C         = 2,
    parameter HW        = 4,
    parameter IN_W      = 4,
    parameter IN_SIGNED = 0,
    parameter OUT_W     = 6,
    parameter OBUF_DEPTH = 2
) (
    input  wire                clk,
    input  wire                rst_n,
    input  wire [PE*IN_W-1:0]  s_axis_tdata,
    input  wire                s_axis_tvalid,
    output wire                s_axis_tready,
    output wire [PE*OUT_W-1:0] m_axis_tdata,
    output wire                m_axis_tvalid,
    input  wire                m_axis_tready
);
    localparam CF = C / PE;
    /* verilator lint_off UNUSEDPARAM */
    localparam LATENCY = 1;                  // documentation / testbench visibility only
    /* verilator lint_on UNUSEDPARAM */
    localparam FW = (CF > 1) ? $clog2(CF) : 1;
    localparam PW = (HW > 1) ? $clog2(HW) : 1;
    localparam [31:0] CF_L32 = CF - 1;
    localparam [31:0] HW_L32 = HW - 1;
    localparam [FW-1:0] F_LAST = CF_L32[FW-1:0];
    localparam [PW-1:0] P_LAST = HW_L32[PW-1:0];

    // the range of the sums, in 64-bit signed arithmetic
    localparam signed [63:0] ONE  = 64'sd1;
    localparam [31:0]        HW32 = HW;
    localparam signed [63:0] N64  = ONE * HW32;
    localparam signed [63:0] SMIN = (IN_SIGNED != 0) ? -(ONE <<< (IN_W - 1)) * N64 : 64'sd0;
    localparam signed [63:0] SMAX = ((IN_SIGNED != 0) ? (ONE <<< (IN_W - 1)) - 1 : (ONE <<< IN_W) - 1) * N64;
    localparam signed [63:0] OMIN = (IN_SIGNED != 0) ? -(ONE <<< (OUT_W - 1)) : 64'sd0;
    localparam signed [63:0] OMAX = (IN_SIGNED != 0) ? (ONE <<< (OUT_W - 1)) - 1 : (ONE <<< OUT_W) - 1;

    generate
        if (PE < 1 || C < 1)        begin : g_err_c  bnn_param_error_gap_PE_or_C_below_1 u_err (); end
        if (PE >= 1 && C % PE != 0) begin : g_err_pe bnn_param_error_gap_PE_does_not_divide_C u_err (); end
        if (HW < 1 || HW > 16777216) begin : g_err_hw bnn_param_error_gap_HW_not_1_to_2_pow_24 u_err (); end
        if (IN_W < 1 || IN_W > 32)  begin : g_err_iw bnn_param_error_gap_IN_W_not_1_to_32 u_err (); end
        if (IN_SIGNED != 0 && IN_SIGNED != 1) begin : g_err_s bnn_param_error_gap_IN_SIGNED_not_0_or_1 u_err (); end
        if (OUT_W < IN_W || OUT_W > 53) begin : g_err_ow bnn_param_error_gap_OUT_W_not_IN_W_to_53 u_err (); end
        if (OUT_W >= 1 && OUT_W <= 53 && (SMIN < OMIN || SMAX > OMAX))
            begin : g_err_ov bnn_param_error_gap_OUT_W_too_narrow_for_the_sum u_err (); end
        if (OBUF_DEPTH < 1)         begin : g_err_ob bnn_param_error_gap_OBUF_DEPTH_below_1 u_err (); end
    endgenerate

    reg  [FW-1:0] f;
    reg  [PW-1:0] p;
    wire          last = (p == P_LAST);
    wire          credit_ok;                 // from the output buffer: reserved < OBUF_DEPTH
    assign s_axis_tready = !last || credit_ok;
    wire          fire = s_axis_tvalid && (!last || credit_ok);

    reg  [PE*OUT_W-1:0] acc [0:CF-1];
    wire [PE*OUT_W-1:0] prev = acc[f];
    wire [PE*OUT_W-1:0] s;
    genvar k;
    generate
        for (k = 0; k < PE; k = k + 1) begin : g_lane
            wire [IN_W-1:0]       xk = s_axis_tdata[k*IN_W +: IN_W];
            wire                  sx = (IN_SIGNED != 0) && xk[IN_W-1];
            /* verilator lint_off UNUSEDSIGNAL */
            wire [OUT_W+IN_W-1:0] xt = {{OUT_W{sx}}, xk};   // extended code, its low OUT_W bits used
            /* verilator lint_on UNUSEDSIGNAL */
            wire [OUT_W-1:0]      xe = xt[OUT_W-1:0];
            assign s[k*OUT_W +: OUT_W] = (p == {PW{1'b0}}) ? xe : prev[k*OUT_W +: OUT_W] + xe;
        end
    endgenerate

    always @(posedge clk) if (fire) acc[f] <= s;

    always @(posedge clk) begin
        if (!rst_n) begin
            f <= {FW{1'b0}};
            p <= {PW{1'b0}};
        end else if (fire) begin
            if (f != F_LAST) begin
                f <= f + 1'b1;
            end else begin
                f <= {FW{1'b0}};
                p <= last ? {PW{1'b0}} : p + 1'b1;
            end
        end
    end

    // ---------------------------------------------------------------- credits + output FIFO
    bnn_obuf #(
        .WIDTH(PE*OUT_W), .DEPTH(OBUF_DEPTH)
    ) u_obuf (
        .clk(clk), .rst_n(rst_n),
        .issue(fire && last), .credit_ok(credit_ok),
        .wr_data(s), .wr_valid(fire && last),
        .m_axis_tdata(m_axis_tdata), .m_axis_tvalid(m_axis_tvalid), .m_axis_tready(m_axis_tready)
    );
endmodule
`default_nettype wire
