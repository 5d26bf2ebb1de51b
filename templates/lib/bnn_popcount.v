`timescale 1ns/1ps
`default_nettype none
// -----------------------------------------------------------------------------------------------
// bnn_popcount: XNOR-popcount column compressor of one PE of bnn_mvtu (bnn-hw RTL library,
// Verilog-2005). The structure comes from the compiler (src/blocks/popcount-plan.ts) as parameters;
// this module only wires it and checks it at elaboration.
//
// Parameters
//   SIMD    product bits (>= 1); CNTW = clog2(SIMD+1) bit columns of weight 2^c (bits that would
//           land in a column >= CNTW are always 0 and are dropped)
//   FA      1: first level = full adders on triples of XNOR bits (streamed weights; each output is a
//           6-input function of 3 (x, w) pairs, one LUT6); 0: the XNOR bits are level 0 (constant
//           weights: the XNORs fold into the counters)
//   LEVELS  counter levels after level 0
//   STAGES  register levels in total (the sum of REGS; the module's latency)
//   H       column heights after every level, 16-bit fields: level j column c at (j*CNTW+c)*16
//   K       partial-counter flags, level j (0..LEVELS-1) column c at bit j*CNTW+c: the h%6
//           remaining bits of the column get one more counter (5:3, 4:3, full or half adder) into
//           level j+1 instead of passing. Groups of 6 bits always get a 6:3 counter. Every counter
//           output is a function of <= 6 bits: one LUT6.
//   REGS    register levels after level j (j = 0..LEVELS) and, field LEVELS+1, after the
//           carry-propagate adder of the two rows that remain; 8-bit fields
//
// Ports
//   clk     clock (the pipeline registers have no enable and no reset)
//   x, w    input and weight bits
//   cnt     popcount of ~(x ^ w), CNTW bits, STAGES cycles later (combinational if STAGES = 0)
// -----------------------------------------------------------------------------------------------
module bnn_popcount #(
    parameter SIMD   = 4,
    parameter FA     = 1,
    parameter LEVELS = 0,
    parameter STAGES = 1,
    parameter [(LEVELS+1)*$clog2(SIMD+1)*16-1:0]         H    = 48'h10002,
    parameter [((LEVELS > 0) ? LEVELS : 1)*$clog2(SIMD+1)-1:0] K = 3'h0,
    parameter [(LEVELS+2)*8-1:0]                         REGS = 16'h100
) (
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire            clk,          // unused when STAGES = 0
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire [SIMD-1:0] x,
    input  wire [SIMD-1:0] w,
    output wire [CNTW-1:0] cnt
);
    localparam CNTW = $clog2(SIMD + 1);
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
            if (FA != 0 && (hgt(0, 0) != SIMD / 3 + SIMD % 3 || hgt(0, 1) != ((CNTW > 1) ? SIMD / 3 : 0))) plan_errors = 2;
            if (FA == 0 && hgt(0, 0) != SIMD) plan_errors = 2;
            for (j = 0; j < LEVELS; j = j + 1)
                for (c = 0; c < CNTW; c = c + 1) begin
                    if (kfl(j, c) != 0 && hgt(j, c) % 6 < 2) plan_errors = 3;
                    if (hgt(j + 1, c) != ncnt(j, c) + npass(j, c) + ncnt(j, c - 1) + nhigh(j, c - 2)) plan_errors = 4;
                end
            for (c = 0; c < CNTW; c = c + 1) if (hgt(LEVELS, c) > 2) plan_errors = 5;
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
    localparam ERR = plan_errors(0);
    generate
        if (SIMD < 1)               begin : g_err_simd  bnn_param_error_popcount_SIMD_below_1 u_err (); end
        if (FA != 0 && FA != 1)     begin : g_err_fa    bnn_param_error_popcount_FA_not_0_or_1 u_err (); end
        if (LEVELS < 0)             begin : g_err_lv    bnn_param_error_popcount_LEVELS_negative u_err (); end
        if (ERR == 1)               begin : g_err_regs  bnn_param_error_popcount_REGS_do_not_add_up_to_STAGES u_err (); end
        if (ERR == 2)               begin : g_err_h0    bnn_param_error_popcount_H_level_0_does_not_match_SIMD_and_FA u_err (); end
        if (ERR == 3)               begin : g_err_k     bnn_param_error_popcount_K_flag_on_a_remainder_below_2 u_err (); end
        if (ERR == 4)               begin : g_err_step  bnn_param_error_popcount_H_is_not_the_counter_step_of_K u_err (); end
        if (ERR == 5)               begin : g_err_last  bnn_param_error_popcount_last_level_above_2_bits u_err (); end
    endgenerate

    // ---------------------------------------------------------------- compressor levels
    wire [SIMD-1:0] xn = ~(x ^ w);
    genvar j, c, i;
    generate
        for (j = 0; j <= LEVELS; j = j + 1) begin : lv
            localparam NO = off(j, CNTW);            // bits after this level
            localparam RL = regs(j);
            /* verilator lint_off UNUSEDSIGNAL */
            wire [NO-1:0] cv;                        // combinational value of this level
            wire [NO-1:0] qv;                        // cv after RL register levels
            /* verilator lint_on UNUSEDSIGNAL */
            if (j == 0) begin : g_first
                if (FA != 0) begin : g_fa
                    localparam G3 = SIMD / 3;
                    for (i = 0; i < G3; i = i + 1) begin : fa
                        wire [2:0] b = xn[3*i +: 3];
                        assign cv[i] = b[0] ^ b[1] ^ b[2];
                        if (CNTW > 1) begin : g_c
                            assign cv[hgt(0, 0) + i] = (b[0] & b[1]) | (b[0] & b[2]) | (b[1] & b[2]);
                        end
                    end
                    for (i = 0; i < SIMD % 3; i = i + 1) begin : ps
                        assign cv[G3 + i] = xn[3*G3 + i];
                    end
                end else begin : g_raw
                    assign cv = xn;
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
            assign cnt = sum;
        end else begin : g_regs
            reg [RF*CNTW-1:0] r;
            if (RF == 1) begin : g_one
                always @(posedge clk) r <= sum;
            end else begin : g_more
                always @(posedge clk) r <= {r[(RF-1)*CNTW-1:0], sum};
            end
            assign cnt = r[(RF-1)*CNTW +: CNTW];
        end
    endgenerate
endmodule
`default_nettype wire
