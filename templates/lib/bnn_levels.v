`timescale 1ns/1ps
`default_nettype none
// -----------------------------------------------------------------------------------------------
// bnn_levels: k-bit activation code from N parallel threshold comparisons (bnn-hw RTL library,
// Verilog-2005). Combinational; used by bnn_mvtu, bnn_mvu_int and bnn_thresh_in for their
// multi-threshold outputs (NTHR > 1).
//
// Parameters
//   N     comparisons (thresholds) per value, 1 <= N <= 2^OB - 1
//   OB    output code bits (1..8)
//   OMIN  code of "no threshold reached" (signed integer); the code is OMIN + count, OB bits,
//         two's complement when OMIN < 0 (the compiler checks OMIN .. OMIN + N fits in OB bits)
//
// Ports
//   ge    ge[l] = 1: threshold l reached. The thresholds of a value are sorted (non-decreasing for
//         ">=", non-increasing for "<="), so ge is a thermometer code: ge[l] implies ge[l-1]
//   code  OMIN + #{l : ge[l]} (mod 2^OB)
//
// The count of a thermometer code c (0..N) is decoded per bit: bit b of c is set iff
// c mod 2^(b+1) >= 2^b, i.e. c lies in [j*2^(b+1) + 2^b, (j+1)*2^(b+1) - 1] for some j, and
// c >= a is ge[a-1]. Bit b is an OR of about N / 2^(b+1) two-input terms (no adder chain).
// -----------------------------------------------------------------------------------------------
module bnn_levels #(
    parameter         N    = 3,
    parameter         OB   = 2,
    parameter integer OMIN = 0
) (
    input  wire [N-1:0]  ge,
    output wire [OB-1:0] code
);
    generate
        if (N < 1)                    begin : g_err_n  bnn_param_error_levels_N_below_1 u_err (); end
        if (OB < 1 || OB > 8)         begin : g_err_ob bnn_param_error_levels_OB_not_1_to_8 u_err (); end
        if (N > (1 << OB) - 1)        begin : g_err_nb bnn_param_error_levels_N_above_2_pow_OB_minus_1 u_err (); end
    endgenerate

    wire [OB-1:0] cnt;
    genvar b, j;
    generate
        for (b = 0; b < OB; b = b + 1) begin : bits
            localparam P  = 1 << (b + 1);
            localparam H  = 1 << b;
            localparam NJ = (N >= H) ? (N - H) / P + 1 : 0;
            if (NJ == 0) begin : g_zero
                assign cnt[b] = 1'b0;
            end else begin : g_or
                wire [NJ-1:0] t;
                for (j = 0; j < NJ; j = j + 1) begin : term
                    if ((j + 1) * P <= N) begin : g_band
                        assign t[j] = ge[j * P + H - 1] & ~ge[(j + 1) * P - 1];
                    end else begin : g_open
                        assign t[j] = ge[j * P + H - 1];
                    end
                end
                assign cnt[b] = |t;
            end
        end
    endgenerate

    localparam [31:0] OMIN32 = OMIN;
    assign code = cnt + OMIN32[OB-1:0];
endmodule
`default_nettype wire
