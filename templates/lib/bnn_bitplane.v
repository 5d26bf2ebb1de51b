`timescale 1ns/1ps
`default_nettype none
// -----------------------------------------------------------------------------------------------
// bnn_bitplane: weighted column compressor of one PE of bnn_mvu_int's bit-plane datapath (bnn-hw
// RTL library, Verilog-2005). It computes
//     a = sum_b 2^b * popcount(XNOR(v_b, u_b)),   v_b = w, except v_{PLANES-1} = ~w when NEG_MSB = 1,
// over SIMD input codes u (PLANES bits each, read as unsigned) and SIMD weight bits w. Every XNOR
// bit of plane b enters bit column b (weight 2^b) of ONE compressor (carry-save across columns, as
// a multiplier's partial-product tree), not PLANES separate popcounts. a is the dot product plus a
// constant of the weights alone: a = d + C(w) (see bnn_intdot), which bnn_mvu_int removes. The structure comes from the compiler
// (src/blocks/popcount-plan.ts, bitplanePlan) as parameters; this module wires it and checks it at
// elaboration. Same counter levels, remainder rule and register placement as bnn_popcount.
//
// Parameters
//   SIMD    input codes (>= 1)
//   PLANES  bits per code (>= 1)
//   NEG_MSB 1: the top plane is XNORed with ~w (signed codes: their top plane weighs -2^(k-1)),
//           0: with w
//   COLS    bit columns = clog2(SIMD * (2^PLANES - 1) + 1) (checked); bits that would land in a
//           column >= COLS are always 0 and are dropped
//   FA      1: first level = full adders on triples of XNOR bits of one column (streamed weights;
//           each output a 6-input function of 3 (u, w) pairs, one LUT6); 0: the XNOR bits are level 0
//           (constant weights: the XNORs fold into the counters)
//   LEVELS  counter levels after level 0
//   STAGES  register levels in total (the sum of REGS; the module's latency)
//   H       column heights after every level, 16-bit fields: level j column c at (j*COLS+c)*16
//   K       partial-counter flags, level j (0..LEVELS-1) column c at bit j*COLS+c (as bnn_popcount)
//   REGS    register levels after level j (j = 0..LEVELS) and, field LEVELS+1, after the
//           carry-propagate adder; 8-bit fields
//
// Ports
//   clk     clock (the pipeline registers have no enable and no reset)
//   u       codes, code i at u[i*PLANES +: PLANES]
//   w       weight bits (1 = +1)
//   a       the weighted count, COLS bits, STAGES cycles later (combinational if STAGES = 0)
//
// Level 0 bit order in column c: FA sum bits of column c, its SIMD % 3 passed bits, then the FA
// carry bits of column c-1 (with FA = 0: the SIMD XNOR bits of plane c).
// -----------------------------------------------------------------------------------------------
module bnn_bitplane #(
    parameter SIMD    = 4,
    parameter PLANES  = 2,
    parameter NEG_MSB = 0,
    parameter COLS    = 4,
    parameter FA      = 1,
    parameter LEVELS  = 1,
    parameter STAGES  = 1,
    parameter [(LEVELS+1)*COLS*16-1:0]           H    = 128'h0000_0002_0001_0002_0000_0001_0003_0002,
    parameter [((LEVELS > 0) ? LEVELS : 1)*COLS-1:0] K = 4'h2,
    parameter [(LEVELS+2)*8-1:0]                 REGS = 24'h00100
) (
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire                   clk,          // unused when STAGES = 0
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire [SIMD*PLANES-1:0] u,
    input  wire [SIMD-1:0]        w,
    output wire [COLS-1:0]        a
);
    localparam CNTW = COLS;
    localparam HW   = (LEVELS + 1) * CNTW * 16;      // widths of H, K, REGS
    localparam KW   = ((LEVELS > 0) ? LEVELS : 1) * CNTW;
    localparam RW   = (LEVELS + 2) * 8;

    /* verilator lint_off UNUSEDSIGNAL */
    function integer hgt;                            // height of column c after level j
        input integer j;
        input integer c;
        reg [HW-1:0] f;
        begin
            f = H >> ((j * CNTW + c) * 16);
            hgt = (c < 0 || c >= CNTW) ? 0 : {16'd0, f[15:0]};
        end
    endfunction
    function integer kfl;                            // partial counter on column c of level j
        input integer j;
        input integer c;
        reg [KW-1:0] f;
        begin
            f = K >> (j * CNTW + c);
            kfl = (c < 0 || c >= CNTW || j >= LEVELS) ? 0 : {31'd0, f[0]};
        end
    endfunction
    /* verilator lint_on UNUSEDSIGNAL */
    function integer ncnt;                           // counters on column c of level j
        input integer j;
        input integer c;
        ncnt = hgt(j, c) / 6 + kfl(j, c);
    endfunction
    function integer npass;                          // bits passed through unchanged
        input integer j;
        input integer c;
        npass = (kfl(j, c) != 0) ? 0 : hgt(j, c) % 6;
    endfunction
    function integer nhigh;                          // counters with a weight-4 output
        input integer j;
        input integer c;
        nhigh = hgt(j, c) / 6 + ((kfl(j, c) != 0 && hgt(j, c) % 6 >= 4) ? 1 : 0);
    endfunction
    function integer off;                            // offset of column c in level j's bits
        input integer j;
        input integer c;
        integer i;
        begin
            off = 0;
            for (i = 0; i < c; i = i + 1) off = off + hgt(j, i);
        end
    endfunction
    /* verilator lint_off UNUSEDSIGNAL */
    function integer regs;                           // register levels after level j
        input integer j;
        reg [RW-1:0] f;
        begin
            f = REGS >> (j * 8);
            regs = {24'd0, f[7:0]};
        end
    endfunction
    /* verilator lint_on UNUSEDSIGNAL */
    function integer plan_errors;                    // 0 when H, K and REGS describe this module
        input integer dummy;
        integer j, c, s;
        begin
            plan_errors = 0 * dummy;
            s = 0;
            for (j = 0; j <= LEVELS + 1; j = j + 1) s = s + regs(j);
            if (s != STAGES) plan_errors = 1;
            for (c = 0; c < CNTW; c = c + 1) if (hgt(0, c) != h0(c)) plan_errors = 2;
            for (j = 0; j < LEVELS; j = j + 1)
                for (c = 0; c < CNTW; c = c + 1) begin
                    if (kfl(j, c) != 0 && hgt(j, c) % 6 < 2) plan_errors = 3;
                    if (hgt(j + 1, c) != ncnt(j, c) + npass(j, c) + ncnt(j, c - 1) + nhigh(j, c - 2)) plan_errors = 4;
                end
            for (c = 0; c < CNTW; c = c + 1) if (hgt(LEVELS, c) > 2) plan_errors = 5;
        end
    endfunction
    function integer h0;                             // height of column c after level 0
        input integer c;
        begin
            h0 = 0;
            if (FA != 0) begin
                if (c < PLANES) h0 = SIMD / 3 + SIMD % 3;
                if (c >= 1 && c - 1 < PLANES) h0 = h0 + SIMD / 3;
            end else if (c < PLANES) h0 = SIMD;
        end
    endfunction
    function [2:0] cnt6;                             // popcount of 6 bits as boolean logic
        input [5:0] b;
        reg sa, ca, sb, cb, t;
        begin
            sa = b[0] ^ b[1] ^ b[2];
            ca = (b[0] & b[1]) | (b[0] & b[2]) | (b[1] & b[2]);
            sb = b[3] ^ b[4] ^ b[5];
            cb = (b[3] & b[4]) | (b[3] & b[5]) | (b[4] & b[5]);
            t  = sa & sb;
            cnt6 = {(ca & cb) | (ca & t) | (cb & t), ca ^ cb ^ t, sa ^ sb};
        end
    endfunction

    // ---------------------------------------------------------------- parameter checks
    localparam COLS_OK = (PLANES >= 1 && PLANES <= 24 && COLS == $clog2(SIMD * ((1 << PLANES) - 1) + 1));
    localparam ERR = COLS_OK ? plan_errors(0) : 0;   // the plan is checked against a valid COLS
    generate
        if (SIMD < 1)               begin : g_err_simd  bnn_param_error_bitplane_SIMD_below_1 u_err (); end
        if (PLANES < 1)             begin : g_err_pl    bnn_param_error_bitplane_PLANES_below_1 u_err (); end
        if (PLANES >= 1 && !COLS_OK) begin : g_err_cols bnn_param_error_bitplane_COLS_is_not_clog2_of_the_largest_sum_plus_1 u_err (); end
        if (FA != 0 && FA != 1)     begin : g_err_fa    bnn_param_error_bitplane_FA_not_0_or_1 u_err (); end
        if (LEVELS < 0)             begin : g_err_lv    bnn_param_error_bitplane_LEVELS_negative u_err (); end
        if (ERR == 1)               begin : g_err_regs  bnn_param_error_bitplane_REGS_do_not_add_up_to_STAGES u_err (); end
        if (ERR == 2)               begin : g_err_h0    bnn_param_error_bitplane_H_level_0_does_not_match_SIMD_PLANES_and_FA u_err (); end
        if (ERR == 3)               begin : g_err_k     bnn_param_error_bitplane_K_flag_on_a_remainder_below_2 u_err (); end
        if (ERR == 4)               begin : g_err_step  bnn_param_error_bitplane_H_is_not_the_counter_step_of_K u_err (); end
        if (ERR == 5)               begin : g_err_last  bnn_param_error_bitplane_last_level_above_2_bits u_err (); end
    endgenerate

    // ---------------------------------------------------------------- compressor levels
    // XNOR bits, plane b at pr[b*SIMD +: SIMD]
    wire [SIMD*PLANES-1:0] pr;
    genvar j, c, i;
    generate
        for (c = 0; c < PLANES; c = c + 1) begin : pl
            for (i = 0; i < SIMD; i = i + 1) begin : el
                assign pr[c*SIMD + i] = ~(((NEG_MSB != 0 && c == PLANES - 1) ? ~w[i] : w[i]) ^ u[i*PLANES + c]);
            end
        end
        for (j = 0; j <= LEVELS; j = j + 1) begin : lv
            localparam NO = off(j, CNTW);            // bits after this level
            localparam RL = regs(j);
            /* verilator lint_off UNUSEDSIGNAL */
            wire [NO-1:0] cv;                        // combinational value of this level
            wire [NO-1:0] qv;                        // cv after RL register levels
            /* verilator lint_on UNUSEDSIGNAL */
            if (j == 0) begin : g_first
                for (c = 0; c < PLANES; c = c + 1) begin : col
                    localparam O0 = off(0, c);
                    if (FA != 0) begin : g_fa
                        localparam G3 = SIMD / 3;
                        localparam O1 = off(0, c + 1) + ((c + 1 < PLANES) ? G3 + SIMD % 3 : 0);
                        for (i = 0; i < G3; i = i + 1) begin : fa
                            wire [2:0] b = pr[c*SIMD + 3*i +: 3];
                            assign cv[O0 + i] = b[0] ^ b[1] ^ b[2];
                            if (c + 1 < CNTW) begin : g_c
                                assign cv[O1 + i] = (b[0] & b[1]) | (b[0] & b[2]) | (b[1] & b[2]);
                            end
                        end
                        for (i = 0; i < SIMD % 3; i = i + 1) begin : ps
                            assign cv[O0 + G3 + i] = pr[c*SIMD + 3*G3 + i];
                        end
                    end else begin : g_raw
                        assign cv[O0 +: SIMD] = pr[c*SIMD +: SIMD];
                    end
                end
            end else begin : g_cnt
                for (c = 0; c < CNTW; c = c + 1) begin : col
                    localparam HC  = hgt(j - 1, c);
                    localparam IO  = off(j - 1, c);
                    localparam N6  = HC / 6;
                    localparam NCT = ncnt(j - 1, c);
                    localparam NPS = npass(j - 1, c);
                    localparam OO0 = off(j, c);
                    localparam OO1 = off(j, c + 1) + ncnt(j - 1, c + 1) + npass(j - 1, c + 1);
                    localparam OO2 = off(j, c + 2) + ncnt(j - 1, c + 2) + npass(j - 1, c + 2) + ncnt(j - 1, c + 1);
                    for (i = 0; i < NCT; i = i + 1) begin : cn
                        localparam GN = (i < N6) ? 6 : HC % 6;
                        wire [5:0] b;
                        /* verilator lint_off UNUSEDSIGNAL */
                        wire [2:0] y = cnt6(b);
                        /* verilator lint_on UNUSEDSIGNAL */
                        if (GN == 6) begin : g_full
                            assign b = lv[j-1].qv[IO + 6*i +: 6];
                        end else begin : g_part
                            assign b = {{(6-GN){1'b0}}, lv[j-1].qv[IO + 6*i +: GN]};
                        end
                        assign cv[OO0 + i] = y[0];
                        if (c + 1 < CNTW) begin : g_y1
                            assign cv[OO1 + i] = y[1];
                        end
                        if (c + 2 < CNTW && GN >= 4) begin : g_y2
                            assign cv[OO2 + i] = y[2];
                        end
                    end
                    for (i = 0; i < NPS; i = i + 1) begin : ps
                        assign cv[OO0 + NCT + i] = lv[j-1].qv[IO + 6*N6 + i];
                    end
                end
            end
            if (RL == 0) begin : g_wire
                assign qv = cv;
            end else begin : g_regs
                reg [RL*NO-1:0] r;
                if (RL == 1) begin : g_one
                    always @(posedge clk) r <= cv;
                end else begin : g_more
                    always @(posedge clk) r <= {r[(RL-1)*NO-1:0], cv};
                end
                assign qv = r[(RL-1)*NO +: NO];
            end
        end
    endgenerate

    // ---------------------------------------------------------------- carry-propagate adder
    localparam RF = regs(LEVELS + 1);
    wire [CNTW-1:0] ra, rb;
    wire [CNTW-1:0] sum = ra + rb;
    generate
        for (c = 0; c < CNTW; c = c + 1) begin : row
            localparam HC = hgt(LEVELS, c);
            localparam O  = off(LEVELS, c);
            if (HC >= 1) begin : g_a
                assign ra[c] = lv[LEVELS].qv[O];
            end else begin : g_a0
                assign ra[c] = 1'b0;
            end
            if (HC >= 2) begin : g_b
                assign rb[c] = lv[LEVELS].qv[O + 1];
            end else begin : g_b0
                assign rb[c] = 1'b0;
            end
        end
        if (RF == 0) begin : g_wire
            assign a = sum;
        end else begin : g_regs
            reg [RF*CNTW-1:0] r;
            if (RF == 1) begin : g_one
                always @(posedge clk) r <= sum;
            end else begin : g_more
                always @(posedge clk) r <= {r[(RF-1)*CNTW-1:0], sum};
            end
            assign a = r[(RF-1)*CNTW +: CNTW];
        end
    endgenerate
endmodule
`default_nettype wire
