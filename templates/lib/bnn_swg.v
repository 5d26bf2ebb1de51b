`timescale 1ns/1ps
`default_nettype none
// -----------------------------------------------------------------------------------------------
// bnn_swg: sliding-window generator / line buffer (bnn-hw RTL library, Verilog-2005)
//
// Parameters
//   ELEM_W    bits per element (1 for binary activations; <= 32)
//   SIMD      elements per beat, C % SIMD == 0
//   C, H, W   input channels, rows, columns
//   KH, KW    kernel rows, columns
//   SH, SW    strides (>= 1)
//   PAD_T, PAD_B, PAD_L, PAD_R   explicit padding, each >= 0 (at least as large as the kernel: windows
//             made only of padding, emitted as padding taps); KH <= H+PAD_T+PAD_B, KW <= W+PAD_L+PAD_R
//   PAD_MODE  0: a padding tap is a beat of SIMD copies of PAD_ELEM (low ELEM_W bits of the integer)
//             1: a padding tap is flagged by an extra top bit (mask, 1 = padding) and its data
//                bits are zero; output beats are SIMD*ELEM_W+1 bits
//   PAD_ELEM  padding element (integer, may be negative: two's complement in ELEM_W bits)
//   Geometry (computed by the compiler, passed as parameters, checked at elaboration):
//             OH = (H+PAD_T+PAD_B-KH)/SH + 1, OW = (W+PAD_L+PAD_R-KW)/SW + 1 (window counts),
//             FD = H - LO_LAST with LO_LAST = min(max(0, (OH-1)*SH-PAD_T), H-1) (low-mark step at a
//             frame switch), ROWS = R = max(KH+SH, FD + max(1, min(KH-PAD_T, H))) rows in the line
//             buffer (the checks require R >= KH+SH and R >= FD+1), OFF = max(FD, PAD_T, SH) (offset
//             keeping the ahead / dy registers >= 0), FROWS = (H - (OH-1)*SH) mod R (row base step
//             at a frame switch)
//   Derived:  CG = C/SIMD (beats per pixel), ROWW = W*CG (beats per row),
//             DEPTH = R*ROWW words of SIMD*ELEM_W bits (one RAM: synchronous read port with
//             enable, one write port; block RAM when large, e.g. 32x32x64 bits, SIMD 32, 3x3 same:
//             R = 4 rows x 64 words x 32 bits = one RAMB18E1 with Yosys synth_xilinx)
//   OBUF_DEPTH output FIFO entries = credits (bnn_obuf), >= 1; the compiler passes LATENCY + 1 = 3
//
// Ports
//   clk, rst_n   clock, synchronous active-low reset
//   s_axis_*     input: pixels in raster order, CG beats per pixel (channels g*SIMD .. +SIMD-1 in
//                beat g, element i at bits [i*ELEM_W +: ELEM_W]), frames back to back
//   m_axis_*     output: for each output pixel (oy, ox) in raster order, for ky, kx, g: one beat =
//                input pixel (oy*SH+ky-PAD_T, ox*SW+kx-PAD_L), channel group g, or padding;
//                KH*KW*CG beats per output pixel
//
// Line buffer: a ring of R rows (global input row r, counted across frames, lives in slot r mod R);
// the write address simply counts modulo DEPTH. The writer may write row r while r - R is below the
// reader's low mark, the first input row any remaining window of the current frame uses
// (lo = min(max(0, oy*SH-PAD_T), H-1) of the current output row, frame relative: a window made only of
// bottom padding keeps the last row of its frame as its low mark).
//   ahead  = (row being written) - lo (register; from -max(FD, SH) up to R)
//   wpos   = beats of that row already written (register, 0 .. ROWW-1)
//   s_axis_tready = (ahead < R)                                          (registers only)
//   wr = s_axis_tvalid && s_axis_tready; on wr: mem[waddr] <= data, waddr, wpos advance; a
//   completed row increments ahead.
// Reader (one tap per fire; counters g fastest, then kx, ky, ox, oy; frames wrap):
//   pad   = tap row or column outside the image
//   dy    = tap row - lo (0 .. KH-1 for an image tap), ca = ix*CG + g (column address)
//   avail = image tap:   ahead > dy || (ahead == dy && wpos > ca)   (its beat was written at an
//                        earlier edge)
//           padding tap: ahead > 0  || (ahead == 0  && wpos > 0)    (the first beat of row lo was
//                        written: no beat of a frame leaves before that frame's input started)
//   fire  = avail && credit_ok; every fire completes one output beat (bnn_obuf, the credit rule of
//           the library: issue = fire, reserved <= reserved + fire - (m_axis_tvalid && m_axis_tready))
//   The last tap of an output row moves lo (to min(max(0, iy0+SH), H-1), iy0 = oy*SH-PAD_T,
//   or by FD at the end of a frame); ahead <= ahead + row_completed - lo_step. dy is only used by
//   image taps; a window below the image (iy0 > H-1) has none.
// Pipeline (tap fired in cycle t): t: RAM read (skipped for padding taps); t+1: padding mux,
// written into the output FIFO. LATENCY = 2: visible on m_axis in cycle t+2 if the FIFO was
// empty. An input beat written at the edge ending cycle t can be used by a fire in cycle t+1, so
// with an empty pipeline the first output beat of a run leaves in cycle first_input + 3.
// m_axis_tvalid = (output FIFO not empty) (registers only).
// Rate: the reader fires once per cycle while the data it needs is written and the consumer
// keeps up; the writer takes one beat per cycle while ahead < R. R holds KH+SH rows within a frame
// and, at a frame end, the FD rows from the last output row's low mark to the end of the frame plus
// the first max(1, min(KH-PAD_T, H)) rows of the next frame, so frames overlap. Measured: whenever the output side is
// the bottleneck (KH*KW*OW > SH*W and OH*OW*KH*KW >= H*W), no output bubble after the first
// window, frame boundaries included (frame f+1 starts exactly KH*KW*CG*OH*OW cycles after frame f).
// -----------------------------------------------------------------------------------------------
module bnn_swg #(
    parameter ELEM_W   = 1,
    parameter SIMD     = 1,
    parameter C        = 2,
    parameter H        = 4,
    parameter W        = 4,
    parameter KH       = 3,
    parameter KW       = 3,
    parameter SH       = 1,
    parameter SW       = 1,
    parameter PAD_T    = 0,
    parameter PAD_B    = 0,
    parameter PAD_L    = 0,
    parameter PAD_R    = 0,
    parameter PAD_MODE = 0,
    parameter PAD_ELEM = 0,
    // geometry computed once by the compiler (src/blocks/kinds/swg-sim.ts, swgGeometry) and checked
    // here; the defaults belong to the default parameters above (4x4 image, 3x3 kernel)
    parameter OH       = 2,
    parameter OW       = 2,
    parameter ROWS     = 6,
    parameter FD       = 3,
    parameter OFF      = 3,
    parameter FROWS    = 3,
    parameter OBUF_DEPTH = 3        // output FIFO entries = credits (>= 1; full rate needs LATENCY + 1)
) (
    input  wire                 clk,
    input  wire                 rst_n,
    input  wire [IN_W-1:0]      s_axis_tdata,
    input  wire                 s_axis_tvalid,
    output wire                 s_axis_tready,
    output wire [OUT_W-1:0]     m_axis_tdata,
    output wire                 m_axis_tvalid,
    input  wire                 m_axis_tready
);
    localparam IN_W    = SIMD * ELEM_W;
    localparam OUT_W   = IN_W + ((PAD_MODE != 0) ? 1 : 0);
    localparam CG      = C / SIMD;
    localparam ROWW    = W * CG;
    localparam LO_RAW  = ((OH - 1) * SH > PAD_T) ? (OH - 1) * SH - PAD_T : 0;
    localparam LO_BOT  = (LO_RAW > H - 1) ? 1 : 0;       // 1: windows made only of bottom padding
    localparam LO_LAST = LO_BOT ? H - 1 : LO_RAW;
    localparam R       = ROWS;
    localparam DEPTH   = R * ROWW;
    /* verilator lint_off UNUSEDPARAM */
    localparam LATENCY = 2;                              // documentation / testbench visibility only
    /* verilator lint_on UNUSEDPARAM */

    // the checks of derived values only run when what they derive from is valid (one error each)
    localparam K_OK  = (KH <= H + PAD_T + PAD_B && KW <= W + PAD_L + PAD_R && SH >= 1 && SW >= 1) ? 1 : 0;
    localparam OH_OK = (OH >= 1 && (OH - 1) * SH + KH <= H + PAD_T + PAD_B && OH * SH + KH > H + PAD_T + PAD_B) ? 1 : 0;
    localparam OW_OK = (OW >= 1 && (OW - 1) * SW + KW <= W + PAD_L + PAD_R && OW * SW + KW > W + PAD_L + PAD_R) ? 1 : 0;
    localparam FD_OK = (FD == H - LO_LAST) ? 1 : 0;
    generate
        if (K_OK && !OH_OK)            begin : g_err_oh bnn_param_error_swg_OH_is_not_the_window_count u_err (); end
        if (K_OK && !OW_OK)            begin : g_err_ow bnn_param_error_swg_OW_is_not_the_window_count u_err (); end
        if (K_OK && OH_OK && !FD_OK)   begin : g_err_fd bnn_param_error_swg_FD_is_not_H_minus_the_last_low_mark u_err (); end
        if (K_OK && OH_OK && FD_OK && (ROWS < KH + SH || ROWS < FD + 1))
            begin : g_err_r bnn_param_error_swg_ROWS_below_KH_plus_SH_or_FD_plus_1 u_err (); end
        if (K_OK && OH_OK && FD_OK && (OFF < FD || OFF < PAD_T || OFF < SH))
            begin : g_err_off bnn_param_error_swg_OFF_below_FD_PAD_T_or_SH u_err (); end
        if (K_OK && OH_OK && ROWS >= KH + SH && FROWS != (((H - (OH - 1) * SH) % ROWS) + ROWS) % ROWS)
            begin : g_err_fr bnn_param_error_swg_FROWS_is_not_the_frame_row_step_mod_ROWS u_err (); end
    endgenerate

    localparam RAW  = $clog2(DEPTH);                      // DEPTH >= 2
    localparam GW   = (CG > 1) ? $clog2(CG) : 1;
    localparam KXW  = (KW > 1) ? $clog2(KW) : 1;
    localparam KYW  = (KH > 1) ? $clog2(KH) : 1;
    localparam OXW  = (OW > 1) ? $clog2(OW) : 1;
    localparam OYW  = (OH > 1) ? $clog2(OH) : 1;
    localparam IXW  = $clog2(W + PAD_L + PAD_R + SW + 1);
    // row-related registers (tap / window row, low mark, ahead, dy) share one width
    localparam YMAX = (H + PAD_T + PAD_B > R + OFF) ? H + PAD_T + PAD_B : R + OFF;
    localparam IYW  = $clog2(YMAX + SH + 1);
    localparam AHW  = IYW;

    // constants sliced to register widths
    localparam [31:0] CG_L32   = CG - 1;
    localparam [31:0] KW_L32   = KW - 1;
    localparam [31:0] KH_L32   = KH - 1;
    localparam [31:0] OW_L32   = OW - 1;
    localparam [31:0] OH_L32   = OH - 1;
    localparam [31:0] ROWW_L32 = ROWW - 1;
    localparam [31:0] ROWW32   = ROWW;
    localparam [31:0] DEPTH32  = DEPTH;
    localparam [31:0] SHROW32  = SH * ROWW;
    localparam [31:0] FROW32   = FROWS * ROWW;
    localparam [31:0] OB0_32   = ((((R - PAD_T) % R) + R) % R) * ROWW;
    localparam [31:0] CA0_32   = ((1 << RAW) - (PAD_L * CG) % (1 << RAW)) % (1 << RAW);   // -PAD_L*CG mod 2^RAW
    localparam [31:0] DEPTH_L32 = DEPTH - 1;
    localparam [31:0] SWCG32   = SW * CG;
    localparam [31:0] SW32     = SW;
    localparam [31:0] SH32     = SH;
    localparam [31:0] PT32     = PAD_T;
    localparam [31:0] PL32     = PAD_L;
    localparam [31:0] HPT32    = H + PAD_T;
    localparam [31:0] HPT1_32  = H + PAD_T - 1;
    localparam [31:0] WPL32    = W + PAD_L;
    localparam [31:0] OFF32    = OFF;
    localparam [31:0] AHMAX32  = R + OFF;
    localparam [31:0] DYO0_32  = OFF - PAD_T;
    localparam [31:0] FD32     = FD;

    localparam [GW-1:0]  G_LAST   = CG_L32[GW-1:0];
    localparam [KXW-1:0] KX_LAST  = KW_L32[KXW-1:0];
    localparam [KYW-1:0] KY_LAST  = KH_L32[KYW-1:0];
    localparam [OXW-1:0] OX_LAST  = OW_L32[OXW-1:0];
    localparam [OYW-1:0] OY_LAST  = OH_L32[OYW-1:0];
    localparam [RAW-1:0] WPOS_LAST = ROWW_L32[RAW-1:0];
    localparam [RAW:0]   ROWW_A   = ROWW32[RAW:0];
    localparam [RAW:0]   DEPTH_A  = DEPTH32[RAW:0];
    localparam [RAW:0]   SHROW_A  = SHROW32[RAW:0];
    localparam [RAW:0]   FROW_A   = FROW32[RAW:0];
    localparam [RAW-1:0] OBASE0   = OB0_32[RAW-1:0];
    localparam [RAW-1:0] CA_INIT  = CA0_32[RAW-1:0];
    localparam [RAW-1:0] SWCG     = SWCG32[RAW-1:0];
    localparam [RAW-1:0] WADDR_LAST = DEPTH_L32[RAW-1:0];
    localparam [IXW-1:0] SW_X     = SW32[IXW-1:0];
    localparam [IXW-1:0] PL_X     = PL32[IXW-1:0];
    localparam [IXW-1:0] WPL_X    = WPL32[IXW-1:0];
    localparam [IYW-1:0] SH_Y     = SH32[IYW-1:0];
    localparam [IYW-1:0] PT_Y     = PT32[IYW-1:0];
    localparam [IYW-1:0] HPT_Y    = HPT32[IYW-1:0];
    localparam [IYW-1:0] HPT1_Y   = HPT1_32[IYW-1:0];
    localparam [AHW-1:0] OFF_A    = OFF32[AHW-1:0];
    localparam [AHW-1:0] AH_FULL  = AHMAX32[AHW-1:0];
    localparam [AHW-1:0] DYO_INIT = DYO0_32[AHW-1:0];
    localparam [AHW-1:0] FD_A     = FD32[AHW-1:0];

    generate
        if (ELEM_W < 1 || ELEM_W > 32) begin : g_err_ew bnn_param_error_swg_ELEM_W_not_in_1_to_32 u_err (); end
        if (SIMD < 1 || C < 1)         begin : g_err_c  bnn_param_error_swg_SIMD_or_C_below_1 u_err (); end
        if (SIMD >= 1 && C % SIMD != 0) begin : g_err_s bnn_param_error_swg_SIMD_does_not_divide_C u_err (); end
        if (H < 1 || W < 1)            begin : g_err_hw bnn_param_error_swg_H_or_W_below_1 u_err (); end
        if (KH < 1 || KW < 1)          begin : g_err_k  bnn_param_error_swg_KH_or_KW_below_1 u_err (); end
        if (SH < 1 || SW < 1)          begin : g_err_st bnn_param_error_swg_SH_or_SW_below_1 u_err (); end
        if (PAD_T < 0 || PAD_B < 0 || PAD_L < 0 || PAD_R < 0) begin : g_err_p bnn_param_error_swg_PAD_negative u_err (); end
        if (KH > H + PAD_T + PAD_B || KW > W + PAD_L + PAD_R) begin : g_err_kp bnn_param_error_swg_kernel_larger_than_the_padded_image u_err (); end
        if (PAD_MODE != 0 && PAD_MODE != 1) begin : g_err_pm bnn_param_error_swg_PAD_MODE_not_0_or_1 u_err (); end
        if (OBUF_DEPTH < 1)            begin : g_err_ob bnn_param_error_swg_OBUF_DEPTH_below_1 u_err (); end
    endgenerate

    // a + b mod DEPTH for a < DEPTH, b <= DEPTH
    function [RAW-1:0] addmod;
        input [RAW-1:0] a;
        input [RAW:0]   b;
        reg   [RAW:0]   s;
        begin
            s = {1'b0, a} + b;
            if (s >= DEPTH_A) s = s - DEPTH_A;
            addmod = s[RAW-1:0];
        end
    endfunction

    // ---------------------------------------------------------------- writer
    reg  [RAW-1:0] waddr;
    reg  [RAW-1:0] wpos;
    reg  [AHW-1:0] aho;            // ahead + OFF

    assign s_axis_tready = (aho < AH_FULL);
    wire wr       = s_axis_tvalid && (aho < AH_FULL);
    wire row_done = wr && (wpos == WPOS_LAST);

    // ---------------------------------------------------------------- reader state
    reg  [GW-1:0]  g;
    reg  [KXW-1:0] kx;
    reg  [KYW-1:0] ky;
    reg  [OXW-1:0] ox;
    reg  [OYW-1:0] oy;
    reg  [IXW-1:0] ixp;            // tap column + PAD_L
    reg  [IXW-1:0] ix0p;           // window column + PAD_L (= ox*SW)
    reg  [IYW-1:0] iyp;            // tap row + PAD_T
    reg  [IYW-1:0] iy0p;           // window row + PAD_T (= oy*SH)
    reg  [IYW-1:0] lop;            // low mark + PAD_T = min(max(PAD_T, iy0p), PAD_T+H-1)
    reg  [AHW-1:0] dyo;            // tap row - low mark + OFF
    reg  [AHW-1:0] dyo0;           // window row - low mark + OFF
    reg  [RAW-1:0] ca;             // ix*CG + g (mod 2^RAW)
    reg  [RAW-1:0] ca0;            // window column * CG (mod 2^RAW)
    reg  [RAW-1:0] rbase;          // RAM address of the tap row's slot
    reg  [RAW-1:0] obase;          // RAM address of the window row's slot

    wire pad_t, pad_l;
    generate
        if (PAD_T > 0) begin : g_pt
            assign pad_t = (iyp < PT_Y);
        end else begin : g_no_pt
            assign pad_t = 1'b0;
        end
        if (PAD_L > 0) begin : g_pl
            assign pad_l = (ixp < PL_X);
        end else begin : g_no_pl
            assign pad_l = 1'b0;
        end
    endgenerate
    wire pad = pad_t || (iyp >= HPT_Y) || pad_l || (ixp >= WPL_X);
    // a padding tap waits for the first beat of the low-mark row (so no beat of a frame leaves before
    // that frame's input has started); an image tap waits for its own beat
    wire [AHW-1:0] dyq = pad ? OFF_A : dyo;
    wire [RAW-1:0] caq = pad ? {RAW{1'b0}} : ca;
    wire avail = (aho > dyq) || ((aho == dyq) && (wpos > caq));
    wire credit_ok;                // from the output buffer: reserved < OBUF_DEPTH
    wire fire = avail && credit_ok;

    wire l_g  = (g == G_LAST);
    wire l_kx = (kx == KX_LAST);
    wire l_ky = (ky == KY_LAST);
    wire l_ox = (ox == OX_LAST);
    wire l_oy = (oy == OY_LAST);
    wire row_adv = fire && l_g && l_kx && l_ky && l_ox;   // last tap of an output row

    // next output row (within the frame); its low mark lon = min(max(PAD_T, iy0n), PAD_T+H-1)
    wire [IYW-1:0] iy0n = iy0p + SH_Y;
    wire [IYW-1:0] lon_t = (iy0n > PT_Y) ? iy0n : PT_Y;
    wire [IYW-1:0] lon;
    generate
        if (LO_BOT != 0) begin : g_lo_bot
            assign lon = (lon_t > HPT1_Y) ? HPT1_Y : lon_t;
        end else begin : g_lo
            assign lon = lon_t;
        end
    endgenerate
    wire [IYW-1:0] dlo  = lon - lop;                    // 0 .. SH
    wire [AHW-1:0] dyon = (iy0n > PT_Y) ? OFF_A : OFF_A - (PT_Y - iy0n);
    wire [AHW-1:0] lo_step = !row_adv ? {AHW{1'b0}} : l_oy ? FD_A : dlo;

    always @(posedge clk) begin
        if (!rst_n) begin
            waddr <= {RAW{1'b0}};
            wpos  <= {RAW{1'b0}};
            aho   <= OFF_A;
        end else begin
            if (wr) begin
                waddr <= (waddr == WADDR_LAST) ? {RAW{1'b0}} : waddr + 1'b1;
                wpos  <= row_done ? {RAW{1'b0}} : wpos + 1'b1;
            end
            aho <= aho + {{(AHW-1){1'b0}}, row_done} - lo_step;
        end
    end

    always @(posedge clk) begin
        if (!rst_n) begin
            g <= {GW{1'b0}}; kx <= {KXW{1'b0}}; ky <= {KYW{1'b0}};
            ox <= {OXW{1'b0}}; oy <= {OYW{1'b0}};
            ixp <= {IXW{1'b0}}; ix0p <= {IXW{1'b0}};
            iyp <= {IYW{1'b0}}; iy0p <= {IYW{1'b0}}; lop <= PT_Y;
            dyo <= DYO_INIT; dyo0 <= DYO_INIT;
            ca <= CA_INIT; ca0 <= CA_INIT;
            rbase <= OBASE0; obase <= OBASE0;
        end else begin
            if (fire) begin
                if (!l_g) begin
                    g  <= g + 1'b1;
                    ca <= ca + 1'b1;
                end else begin
                    g <= {GW{1'b0}};
                    if (!l_kx) begin
                        kx  <= kx + 1'b1;
                        ixp <= ixp + 1'b1;
                        ca  <= ca + 1'b1;
                    end else begin
                        kx <= {KXW{1'b0}};
                        if (!l_ky) begin
                            ky    <= ky + 1'b1;
                            iyp   <= iyp + 1'b1;
                            dyo   <= dyo + 1'b1;
                            rbase <= addmod(rbase, ROWW_A);
                            ixp   <= ix0p;
                            ca    <= ca0;
                        end else begin
                            ky <= {KYW{1'b0}};
                            if (!l_ox) begin
                                ox    <= ox + 1'b1;
                                ix0p  <= ix0p + SW_X;
                                ixp   <= ix0p + SW_X;
                                ca0   <= ca0 + SWCG;
                                ca    <= ca0 + SWCG;
                                iyp   <= iy0p;
                                dyo   <= dyo0;
                                rbase <= obase;
                            end else begin
                                ox   <= {OXW{1'b0}};
                                ix0p <= {IXW{1'b0}};
                                ixp  <= {IXW{1'b0}};
                                ca0  <= CA_INIT;
                                ca   <= CA_INIT;
                                if (!l_oy) begin
                                    oy    <= oy + 1'b1;
                                    iy0p  <= iy0n;
                                    iyp   <= iy0n;
                                    lop   <= lon;
                                    dyo0  <= dyon;
                                    dyo   <= dyon;
                                    obase <= addmod(obase, SHROW_A);
                                    rbase <= addmod(obase, SHROW_A);
                                end else begin
                                    oy    <= {OYW{1'b0}};
                                    iy0p  <= {IYW{1'b0}};
                                    iyp   <= {IYW{1'b0}};
                                    lop   <= PT_Y;
                                    dyo0  <= DYO_INIT;
                                    dyo   <= DYO_INIT;
                                    obase <= addmod(obase, FROW_A);
                                    rbase <= addmod(obase, FROW_A);
                                end
                            end
                        end
                    end
                end
            end
        end
    end

    // ---------------------------------------------------------------- line buffer RAM
    wire [RAW-1:0] raddr = rbase + ca;
    wire           ren   = fire && !pad;
    reg  [IN_W-1:0] mem [0:DEPTH-1];
    reg  [IN_W-1:0] q;
    always @(posedge clk) begin
        if (wr)  mem[waddr] <= s_axis_tdata;
        if (ren) q <= mem[raddr];
    end

    // ---------------------------------------------------------------- stage 2: padding mux
    reg v2;
    reg pad2;
    always @(posedge clk) begin
        pad2 <= pad;
        if (!rst_n) v2 <= 1'b0;
        else        v2 <= fire;
    end

    wire [OUT_W-1:0] res;
    generate
        if (PAD_MODE != 0) begin : g_mask
            assign res = {pad2, pad2 ? {IN_W{1'b0}} : q};
        end else begin : g_elem
            localparam [31:0] PAD32 = PAD_ELEM;
            wire [IN_W-1:0] padw = {SIMD{PAD32[ELEM_W-1:0]}};
            assign res = pad2 ? padw : q;
        end
    endgenerate

    // ---------------------------------------------------------------- credits + output FIFO
    bnn_obuf #(
        .WIDTH(OUT_W), .DEPTH(OBUF_DEPTH)
    ) u_obuf (
        .clk(clk), .rst_n(rst_n),
        .issue(fire), .credit_ok(credit_ok),
        .wr_data(res), .wr_valid(v2),
        .m_axis_tdata(m_axis_tdata), .m_axis_tvalid(m_axis_tvalid), .m_axis_tready(m_axis_tready)
    );
endmodule
`default_nettype wire
