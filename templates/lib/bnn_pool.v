`timescale 1ns/1ps
`default_nettype none
// -----------------------------------------------------------------------------------------------
// bnn_pool: max-pool or window sum on binary or k-bit code streams (bnn-hw RTL library, Verilog-2005)
//
// Parameters
//   C         channels, C % PE == 0
//   PE        channels per beat
//   ELEM_W    bits per channel element, 1..32: 1 = binary (bit 1 = +1), > 1 = k-bit activation codes
//   SIGNED    1: elements are two's complement codes (ELEM_W >= 2), 0: unsigned
//   H, W      input rows, columns
//   KH, KW    window rows, columns (KH <= H, KW <= W)
//   SH, SW    strides (>= 1, smaller than, equal to or larger than the window); no padding:
//             OH = (H-KH)/SH + 1, OW = (W-KW)/SW + 1, rows / columns not covered by a window
//             (between windows or trailing) are read and dropped
//   OW        window columns (W-KW)/SW + 1, computed by the compiler and checked at elaboration
//   AND_MASK  C bits, bit c = 1: channel c is pooled with the minimum of its codes (AND on bits: the
//             max of a decreasing threshold function), 0: with the maximum (OR on bits); all 0 with SUM
//   SUM       0: max / min pool (OUT_W = ELEM_W); 1: window sum, the exact integer sum of the KH*KW
//             codes of each window and channel (an avgpool without its division)
//   OUT_W     bits per output lane: ELEM_W without SUM; with SUM computed by the compiler
//             (src/blocks/kinds/pool-sim.ts, poolOutWidth: the fewest bits holding KH*KW times either
//             end of the input lane's range, two's complement when SIGNED) and checked here: every sum
//             must fit (<= 53 bits, exact in the cycle model's float64 numbers)
//   OBUF_DEPTH output FIFO entries = credits (bnn_obuf), >= 1; the compiler passes LATENCY + 1 = 2
//   Derived:  CP = C/PE (beats per pixel)
//
// Ports
//   clk, rst_n   clock, synchronous active-low reset
//   s_axis_*     input pixels in raster order, CP beats of PE elements per pixel (lane k of beat g =
//                channel g*PE+k, at bits [k*ELEM_W +: ELEM_W]), frames back to back
//   m_axis_*     pooled pixels in raster order, same packing with OUT_W-bit lanes
//
// Storage (separable pooling: a window is the max / min, or the sum, of its KH horizontally pooled rows):
//   hist[g]   : the previous KW-1 pixels of channel group g ((KW-1)*PE*ELEM_W bits x CP words)
//   vhist[p]  : the previous KH-1 horizontally pooled rows at position p = ox*CP+g
//               ((KH-1)*PE*OUT_W bits x OW*CP words); both with asynchronous read (registers / LUT RAM)
// Counters: g, ix, iy (input position); xe = next window end column (KW-1, +SW per window; past
// W-1 after the last window), ye = next window end row; vptr (0 .. OW*CP-1, wrapping).
//   hit_x = (ix == xe), produce = hit_x && (iy == ye)
//   s_axis_tready = !produce || credit_ok (reserved < OBUF_DEPTH)   (registers only)
//   fire = s_axis_tvalid && s_axis_tready
//   On fire: h = x op hist[g] (all KW-1 entries); hist[g] shifts in x. If hit_x: v = h op vhist[vptr]
//   (all KH-1 entries), vhist[vptr] shifts in h, vptr advances; if produce, v is written into the
//   output FIFO at this edge. op = min on lanes whose AND_MASK bit is set, max elsewhere (ELEM_W = 1:
//   AND / OR, the same logic as before k-bit lanes; ELEM_W > 1: one magnitude comparator and a
//   multiplexer per lane and operand, signed compares when SIGNED). SUM: op = + on OUT_W-bit lanes
//   (inputs sign- or zero-extended); sums commute with the window order like max / min, so the
//   structure and all timing are those of the max-pool (the two datapaths are separate generate
//   branches, so a max-pool's netlist is the one it had before the sum mode).
//   bnn_obuf: issue = fire && produce,
//   reserved <= reserved + (fire && produce) - (m_axis_tvalid && m_axis_tready)
// LATENCY = 1: the pooled beat of the input beat accepted in cycle t is on m_axis in cycle t+1 (if
// the FIFO was empty). One input beat per cycle with an always-ready consumer (OBUF_DEPTH 2 >=
// LATENCY + 1), so it never slows down its producer.
// -----------------------------------------------------------------------------------------------
module bnn_pool #(
    parameter C  = 2,
    parameter PE = 1,
    parameter ELEM_W = 1,
    parameter SIGNED = 0,
    parameter H  = 4,
    parameter W  = 4,
    parameter KH = 2,
    parameter KW = 2,
    parameter SH = 2,
    parameter SW = 2,
    parameter [C-1:0] AND_MASK = {C{1'b0}},
    parameter SUM = 0,
    parameter OUT_W = ELEM_W,       // computed by the compiler with SUM (poolOutWidth), else ELEM_W
    // window columns, computed once by the compiler (src/blocks/kinds/pool-sim.ts, poolGeometry) and
    // checked here; the default belongs to the default parameters above
    parameter OW = 2,
    parameter OBUF_DEPTH = 2        // output FIFO entries = credits (>= 1; full rate needs LATENCY + 1)
) (
    input  wire           clk,
    input  wire           rst_n,
    input  wire [PE*ELEM_W-1:0] s_axis_tdata,
    input  wire           s_axis_tvalid,
    output wire           s_axis_tready,
    output wire [PE*OUT_W-1:0] m_axis_tdata,
    output wire           m_axis_tvalid,
    input  wire           m_axis_tready
);
    localparam CP  = C / PE;
    localparam LW  = PE * ELEM_W;            // input beat width
    localparam RW  = PE * OUT_W;             // result beat width (horizontal, vertical, output)
    localparam NV  = OW * CP;
    /* verilator lint_off UNUSEDPARAM */
    localparam LATENCY = 1;                  // documentation / testbench visibility only
    /* verilator lint_on UNUSEDPARAM */
    localparam GW  = (CP > 1) ? $clog2(CP) : 1;
    localparam XW  = $clog2(W + SW + 1);
    localparam YW  = $clog2(H + SH + 1);
    localparam VW  = (NV > 1) ? $clog2(NV) : 1;

    localparam [31:0] CP_L32 = CP - 1;
    localparam [31:0] W_L32  = W - 1;
    localparam [31:0] H_L32  = H - 1;
    localparam [31:0] NV_L32 = NV - 1;
    localparam [31:0] KW_L32 = KW - 1;
    localparam [31:0] KH_L32 = KH - 1;
    localparam [31:0] SW32   = SW;
    localparam [31:0] SH32   = SH;
    localparam [GW-1:0]  G_LAST = CP_L32[GW-1:0];
    localparam [XW-1:0]  X_LAST = W_L32[XW-1:0];
    localparam [YW-1:0]  Y_LAST = H_L32[YW-1:0];
    localparam [VW-1:0]  V_LAST = NV_L32[VW-1:0];
    localparam [XW-1:0]  XE0    = KW_L32[XW-1:0];
    localparam [YW-1:0]  YE0    = KH_L32[YW-1:0];
    localparam [XW-1:0]  SW_X   = SW32[XW-1:0];
    localparam [YW-1:0]  SH_Y   = SH32[YW-1:0];

    // SUM: the range of the window sums against the output lane's, in 64-bit signed arithmetic
    localparam signed [63:0] ONE  = 64'sd1;
    localparam signed [63:0] NWIN = KH * KW;
    localparam signed [63:0] SMIN = (SIGNED != 0) ? -(ONE <<< (ELEM_W - 1)) * NWIN : 64'sd0;
    localparam signed [63:0] SMAX = ((SIGNED != 0) ? (ONE <<< (ELEM_W - 1)) - 1 : (ONE <<< ELEM_W) - 1) * NWIN;
    localparam signed [63:0] OMIN = (SIGNED != 0) ? -(ONE <<< (OUT_W - 1)) : 64'sd0;
    localparam signed [63:0] OMAX = (SIGNED != 0) ? (ONE <<< (OUT_W - 1)) - 1 : (ONE <<< OUT_W) - 1;

    generate
        if (PE < 1 || C < 1)          begin : g_err_c  bnn_param_error_pool_PE_or_C_below_1 u_err (); end
        if (PE >= 1 && C % PE != 0)   begin : g_err_pe bnn_param_error_pool_PE_does_not_divide_C u_err (); end
        if (ELEM_W < 1 || ELEM_W > 32) begin : g_err_ew bnn_param_error_pool_ELEM_W_not_1_to_32 u_err (); end
        if (SIGNED != 0 && (SIGNED != 1 || ELEM_W < 2))
            begin : g_err_sg bnn_param_error_pool_SIGNED_needs_ELEM_W_at_least_2 u_err (); end
        if (H < 1 || W < 1)           begin : g_err_hw bnn_param_error_pool_H_or_W_below_1 u_err (); end
        if (KH < 1 || KW < 1)         begin : g_err_k  bnn_param_error_pool_KH_or_KW_below_1 u_err (); end
        if (SH < 1 || SW < 1)         begin : g_err_st bnn_param_error_pool_SH_or_SW_below_1 u_err (); end
        if (OBUF_DEPTH < 1)           begin : g_err_ob bnn_param_error_pool_OBUF_DEPTH_below_1 u_err (); end
        if (KH > H || KW > W)         begin : g_err_kw bnn_param_error_pool_window_larger_than_the_image u_err (); end
        if (KW <= W && SW >= 1 && (OW < 1 || (OW - 1) * SW + KW > W || OW * SW + KW <= W))
            begin : g_err_ow bnn_param_error_pool_OW_is_not_the_window_count u_err (); end
        if (SUM != 0 && SUM != 1)     begin : g_err_sm bnn_param_error_pool_SUM_not_0_or_1 u_err (); end
        if (SUM == 0 && OUT_W != ELEM_W)
            begin : g_err_oe bnn_param_error_pool_OUT_W_differs_from_ELEM_W_without_SUM u_err (); end
        if (SUM == 1 && AND_MASK != {C{1'b0}})
            begin : g_err_sa bnn_param_error_pool_AND_MASK_set_with_SUM u_err (); end
        if (SUM == 1 && (OUT_W < 1 || OUT_W > 53))
            begin : g_err_sw bnn_param_error_pool_OUT_W_not_1_to_53 u_err (); end
        if (SUM == 1 && OUT_W >= 1 && OUT_W <= 53 && ELEM_W >= 1 && ELEM_W <= 32 && (SMIN < OMIN || SMAX > OMAX))
            begin : g_err_sv bnn_param_error_pool_OUT_W_too_narrow_for_the_sum u_err (); end
    endgenerate

    reg  [GW-1:0]  g;
    reg  [XW-1:0]  ix;
    reg  [XW-1:0]  xe;
    reg  [YW-1:0]  iy;
    reg  [YW-1:0]  ye;
    reg  [VW-1:0]  vptr;

    wire hit_x    = (ix == xe);
    wire produce  = hit_x && (iy == ye);
    wire credit_ok;                // from the output buffer: reserved < OBUF_DEPTH
    assign s_axis_tready = !produce || credit_ok;
    wire fire     = s_axis_tvalid && (!produce || credit_ok);
    wire [LW-1:0] x  = s_axis_tdata;
    /* verilator lint_off UNUSEDSIGNAL */
    wire [PE-1:0] am = AND_MASK[g*PE +: PE];   // not used by a 1x1 window (nothing to combine)
    /* verilator lint_on UNUSEDSIGNAL */

    // sign bit flipped on signed codes, so that an unsigned compare orders them
    localparam [31:0] SMSB = (SIGNED != 0) ? (32'd1 << (ELEM_W - 1)) : 32'd0;

    // per lane k: min (m[k] = 1) or max (m[k] = 0) of the elements of a and b (without SUM)
    function [LW-1:0] comb;
        input [LW-1:0] a;
        input [LW-1:0] b;
        input [PE-1:0] m;
        integer k;
        reg gt;
        begin
            for (k = 0; k < PE; k = k + 1) begin
                if (ELEM_W == 1) begin
                    // AND / OR on bits (the same logic as the binary-only module)
                    comb[k*ELEM_W +: ELEM_W] = ({ELEM_W{m[k]}} & a[k*ELEM_W +: ELEM_W] & b[k*ELEM_W +: ELEM_W])
                                             | ({ELEM_W{~m[k]}} & (a[k*ELEM_W +: ELEM_W] | b[k*ELEM_W +: ELEM_W]));
                end else begin
                    gt = (a[k*ELEM_W +: ELEM_W] ^ SMSB[ELEM_W-1:0]) > (b[k*ELEM_W +: ELEM_W] ^ SMSB[ELEM_W-1:0]);
                    comb[k*ELEM_W +: ELEM_W] = (gt ^ m[k]) ? a[k*ELEM_W +: ELEM_W] : b[k*ELEM_W +: ELEM_W];
                end
            end
        end
    endfunction

    // per lane k: a + b on OUT_W-bit lanes (SUM)
    function [RW-1:0] add;
        input [RW-1:0] a;
        input [RW-1:0] b;
        integer k;
        begin
            for (k = 0; k < PE; k = k + 1)
                add[k*OUT_W +: OUT_W] = a[k*OUT_W +: OUT_W] + b[k*OUT_W +: OUT_W];
        end
    endfunction

    // the lanes of an input beat extended from ELEM_W to OUT_W bits (sign-extended when SIGNED;
    // the identity without SUM)
    function [RW-1:0] widen;
        input [LW-1:0] a;
        integer k;
        /* verilator lint_off UNUSEDSIGNAL */
        reg [63:0] t;                        // bits above OUT_W are not used
        /* verilator lint_on UNUSEDSIGNAL */
        begin
            for (k = 0; k < PE; k = k + 1) begin
                t = {{(64-ELEM_W){(SIGNED != 0) && a[k*ELEM_W + ELEM_W - 1]}}, a[k*ELEM_W +: ELEM_W]};
                widen[k*OUT_W +: OUT_W] = t[OUT_W-1:0];
            end
        end
    endfunction

    // ---------------------------------------------------------------- horizontal
    // (SUM: widened lanes and adders; the max-pool keeps its own text: an identity widening or one
    // more branch in its operator still moves Yosys' mapping by a LUT here and there)
    wire [RW-1:0] h;
    generate
        if (KW > 1 && SUM != 0) begin : g_hs
            reg  [(KW-1)*LW-1:0] hist [0:CP-1];
            wire [(KW-1)*LW-1:0] hw = hist[g];
            reg  [RW-1:0] hc;
            integer j;
            always @* begin
                hc = widen(x);
                for (j = 0; j < KW - 1; j = j + 1)
                    hc = add(hc, widen(hw[j*LW +: LW]));
            end
            assign h = hc;
            if (KW > 2) begin : g_shift
                always @(posedge clk) if (fire) hist[g] <= {hw[(KW-2)*LW-1:0], x};
            end else begin : g_one
                always @(posedge clk) if (fire) hist[g] <= x;
            end
        end else if (KW > 1) begin : g_h
            reg  [(KW-1)*LW-1:0] hist [0:CP-1];
            wire [(KW-1)*LW-1:0] hw = hist[g];
            reg  [LW-1:0] hc;
            integer j;
            always @* begin
                hc = x;
                for (j = 0; j < KW - 1; j = j + 1)
                    hc = comb(hc, hw[j*LW +: LW], am);
            end
            assign h = hc;
            if (KW > 2) begin : g_shift
                always @(posedge clk) if (fire) hist[g] <= {hw[(KW-2)*LW-1:0], x};
            end else begin : g_one
                always @(posedge clk) if (fire) hist[g] <= x;
            end
        end else if (SUM != 0) begin : g_no_hs
            assign h = widen(x);
        end else begin : g_no_h
            assign h = x;
        end
    endgenerate

    // ---------------------------------------------------------------- vertical
    wire [RW-1:0] v;
    generate
        if (KH > 1 && SUM != 0) begin : g_vs
            reg  [(KH-1)*RW-1:0] vhist [0:NV-1];
            wire [(KH-1)*RW-1:0] vw = vhist[vptr];
            reg  [RW-1:0] vc;
            integer j;
            always @* begin
                vc = h;
                for (j = 0; j < KH - 1; j = j + 1)
                    vc = add(vc, vw[j*RW +: RW]);
            end
            assign v = vc;
            if (KH > 2) begin : g_shift
                always @(posedge clk) if (fire && hit_x) vhist[vptr] <= {vw[(KH-2)*RW-1:0], h};
            end else begin : g_one
                always @(posedge clk) if (fire && hit_x) vhist[vptr] <= h;
            end
        end else if (KH > 1) begin : g_v
            reg  [(KH-1)*LW-1:0] vhist [0:NV-1];
            wire [(KH-1)*LW-1:0] vw = vhist[vptr];
            reg  [LW-1:0] vc;
            integer j;
            always @* begin
                vc = h;
                for (j = 0; j < KH - 1; j = j + 1)
                    vc = comb(vc, vw[j*LW +: LW], am);
            end
            assign v = vc;
            if (KH > 2) begin : g_shift
                always @(posedge clk) if (fire && hit_x) vhist[vptr] <= {vw[(KH-2)*LW-1:0], h};
            end else begin : g_one
                always @(posedge clk) if (fire && hit_x) vhist[vptr] <= h;
            end
        end else begin : g_no_v
            assign v = h;
        end
    endgenerate

    // ---------------------------------------------------------------- counters
    always @(posedge clk) begin
        if (!rst_n) begin
            g        <= {GW{1'b0}};
            ix       <= {XW{1'b0}};
            iy       <= {YW{1'b0}};
            xe       <= XE0;
            ye       <= YE0;
            vptr     <= {VW{1'b0}};
        end else begin
            if (fire) begin
                if (hit_x) vptr <= (vptr == V_LAST) ? {VW{1'b0}} : vptr + 1'b1;
                if (g != G_LAST) begin
                    g <= g + 1'b1;
                end else begin
                    g <= {GW{1'b0}};
                    if (ix != X_LAST) begin
                        ix <= ix + 1'b1;
                        if (hit_x) xe <= xe + SW_X;
                    end else begin
                        ix <= {XW{1'b0}};
                        xe <= XE0;
                        if (iy != Y_LAST) begin
                            iy <= iy + 1'b1;
                            if (iy == ye) ye <= ye + SH_Y;
                        end else begin
                            iy <= {YW{1'b0}};
                            ye <= YE0;
                        end
                    end
                end
            end
        end
    end

    // ---------------------------------------------------------------- credits + output FIFO
    bnn_obuf #(
        .WIDTH(RW), .DEPTH(OBUF_DEPTH)
    ) u_obuf (
        .clk(clk), .rst_n(rst_n),
        .issue(fire && produce), .credit_ok(credit_ok),
        .wr_data(v), .wr_valid(fire && produce),
        .m_axis_tdata(m_axis_tdata), .m_axis_tvalid(m_axis_tvalid), .m_axis_tready(m_axis_tready)
    );
endmodule
`default_nettype wire
