`timescale 1ns/1ps
`default_nettype none
// -----------------------------------------------------------------------------------------------
// bnn_intdot: the datapath of bnn_mvu_int (bnn-hw RTL library, Verilog-2005): PE dot products of
// SIMD integer codes with PE x SIMD binary weights (1 = +1, 0 = -1),
//     d_k = sum_i (w_{k,i} ? x_i : -x_i),
// POP_STAGES cycles after x and w. Two datapaths, selected by DATAPATH:
//
// 0 add/subtract: every product +-x_i (IN_W+1 bits) and a bnn_addtree per PE; sum_k = d_k as OW-bit
//   two's complement (exact when it fits OW, otherwise wrapped modulo 2^OW).
// 1 bit-plane (XNOR form): with u_i the code's bits read as unsigned (u_i = x_i, or x_i + 2^IN_W when
//   a signed x_i < 0) and u_ib its bit b, ONE weighted column compressor per PE (bnn_bitplane) over
//   SIMD x IN_W XNOR bits gives
//     sum_k = sum_{b < IN_W-1} 2^b pop(XNOR(w_k, u_b)) + 2^(IN_W-1) pop(XNOR(v_k, u_{IN_W-1}))
//           = d_k + C(w_k),
//   v_k = ~w_k for signed codes (their top bit weighs -2^(IN_W-1)), w_k for unsigned; per weight bit
//   the constant is c(1) = 0, c(0) = 2^IN_W - 1 (unsigned) and c(1) = 2^(IN_W-1), c(0) = 2^(IN_W-1) - 1
//   (signed), C(w_k) = sum_i c(w_{k,i}) (bnn_mvu_int starts each neuron's accumulation at minus the
//   row's total, parameter XC). sum_k is unsigned, in [0, SIMD * (2^IN_W - 1)], zero-extended to OW
//   bits (or its low OW bits). No shared sum of the codes, no subtraction.
//
// Parameters
//   PE, SIMD, IN_W, IN_SIGNED   as bnn_mvu_int
//   POP_STAGES  register levels (>= 0): the datapath's latency
//   OW          result width per PE (>= IN_W + 1)
//   POP_REGS    register levels after each level of the +-x adder trees (bnn_addtree REGS; DATAPATH 0
//               only); computed by the compiler (src/blocks/popcount-plan.ts)
//   DATAPATH    0 add/subtract, 1 bit-plane
//   BP_COLS, BP_FA, BP_LEVELS, BP_H, BP_K, BP_REGS
//               the weighted compressor plan (bitplanePlan), passed on to bnn_bitplane's COLS, FA,
//               LEVELS, H, K, REGS; used only when DATAPATH = 1
//
// Ports
//   clk     clock (the pipeline registers have no enable and no reset)
//   x       SIMD codes, code i at x[i*IN_W +: IN_W]
//   w       weight bits, lane k*SIMD+i = weight of PE k for code i
//   sum     d_k (DATAPATH 0) or d_k + C(w_k) (DATAPATH 1) at sum[k*OW +: OW], POP_STAGES cycles later
//           (combinational if POP_STAGES = 0)
// -----------------------------------------------------------------------------------------------
module bnn_intdot #(
    parameter PE         = 2,
    parameter SIMD       = 4,
    parameter IN_W       = 8,
    parameter IN_SIGNED  = 0,
    parameter POP_STAGES = 1,
    parameter OW         = 11,
    parameter [($clog2(SIMD)+1)*8-1:0] POP_REGS = 24'h10000,
    parameter DATAPATH   = 0,
    parameter BP_COLS    = 1,
    parameter BP_FA      = 1,
    parameter BP_LEVELS  = 0,
    parameter [(BP_LEVELS+1)*BP_COLS*16-1:0]                 BP_H    = 16'h0,
    parameter [((BP_LEVELS > 0) ? BP_LEVELS : 1)*BP_COLS-1:0] BP_K    = 1'h0,
    parameter [(BP_LEVELS+2)*8-1:0]                          BP_REGS = 16'h0
) (
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire                 clk,          // unused when POP_STAGES = 0
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire [SIMD*IN_W-1:0] x,
    input  wire [PE*SIMD-1:0]   w,
    output wire [PE*OW-1:0]     sum
);
    localparam PRW = IN_W + 1;                   // product width (signed), add/subtract

    generate
        if (DATAPATH != 0 && DATAPATH != 1) begin : g_err_dp bnn_param_error_intdot_DATAPATH_not_0_or_1 u_err (); end
        if (OW < PRW)                       begin : g_err_ow bnn_param_error_intdot_OW_below_IN_W_plus_1 u_err (); end
    endgenerate

    genvar k, i;
    generate
        if (DATAPATH == 0) begin : g_addsub
            // +x and -x of every input element, shared by all PEs
            wire [SIMD*PRW-1:0] xpos;
            wire [SIMD*PRW-1:0] xneg;
            for (i = 0; i < SIMD; i = i + 1) begin : xin
                wire [IN_W-1:0] xi = x[i*IN_W +: IN_W];
                wire [PRW-1:0]  xe = {(IN_SIGNED != 0) & xi[IN_W-1], xi};
                assign xpos[i*PRW +: PRW] = xe;
                assign xneg[i*PRW +: PRW] = {PRW{1'b0}} - xe;
            end
            for (k = 0; k < PE; k = k + 1) begin : pe
                wire [SIMD*PRW-1:0] prods;
                for (i = 0; i < SIMD; i = i + 1) begin : pr
                    assign prods[i*PRW +: PRW] = w[k*SIMD + i] ? xpos[i*PRW +: PRW] : xneg[i*PRW +: PRW];
                end
                bnn_addtree #(
                    .N(SIMD), .IW(PRW), .SIGNED(1), .OW(OW), .STAGES(POP_STAGES), .REGS(POP_REGS)
                ) u_tree (
                    .clk(clk), .in(prods), .sum(sum[k*OW +: OW])
                );
            end
        end else begin : g_bitplane
            localparam EW = ((OW > BP_COLS) ? OW : BP_COLS) + 1;   // > BP_COLS: no zero replication
            for (k = 0; k < PE; k = k + 1) begin : pe
                wire [BP_COLS-1:0] a;
                bnn_bitplane #(
                    .SIMD(SIMD), .PLANES(IN_W), .NEG_MSB(IN_SIGNED != 0), .COLS(BP_COLS), .FA(BP_FA),
                    .LEVELS(BP_LEVELS), .STAGES(POP_STAGES), .H(BP_H), .K(BP_K), .REGS(BP_REGS)
                ) u_bp (
                    .clk(clk), .u(x), .w(w[k*SIMD +: SIMD]), .a(a)
                );
                /* verilator lint_off UNUSEDSIGNAL */
                wire [EW-1:0] ae = {{(EW-BP_COLS){1'b0}}, a};   // d_k + C(w_k), unsigned
                /* verilator lint_on UNUSEDSIGNAL */
                assign sum[k*OW +: OW] = ae[OW-1:0];
            end
        end
    endgenerate
endmodule
`default_nettype wire
