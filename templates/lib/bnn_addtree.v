`timescale 1ns/1ps
`default_nettype none
// -----------------------------------------------------------------------------------------------
// bnn_addtree: balanced, optionally pipelined adder tree (bnn-hw RTL library, Verilog-2005)
// Shared helper of bnn_mvtu (popcount of 6:3-compressed XNOR bits) and bnn_mvu_int (sum of +-x).
//
// Parameters
//   N       number of leaves (>= 1)
//   IW      leaf width in bits (>= 1)
//   SIGNED  1: leaves are two's complement (sign extension), 0: unsigned (zero extension)
//   OW      output width (>= IW). Level l of the tree is min(IW + l, OW) bits wide; once the cap is
//           reached the additions wrap modulo 2^OW, which is exact whenever the true sum fits OW.
//   STAGES  number of register levels (>= 0)
//   REGS    register levels after tree level l (l = 0..L), 8-bit fields, computed by the compiler
//           (src/blocks/popcount-plan.ts, adderTreeRegs: the register spreading rule); their sum
//           must be STAGES (checked at elaboration)
//
// Ports
//   clk     clock (the pipeline registers have no enable and no reset)
//   in      N leaves, leaf i at in[i*IW +: IW]
//   sum     the sum of the leaves presented STAGES cycles earlier (combinational if STAGES = 0)
//
// Structure: L = clog2(N) levels of 2-input adders; node i of level l adds nodes 2i and 2i+1 of
// level l-1 (an odd last node passes through). REGS[l] register levels follow level l (the
// compiler spreads the STAGES levels evenly over the L tree levels plus the accumulator adder that
// follows the tree in the parent). If N = 1 (L = 0) all STAGES registers form a delay line on the
// single leaf.
// LATENCY = STAGES.
// -----------------------------------------------------------------------------------------------
module bnn_addtree #(
    parameter N      = 4,
    parameter IW     = 1,
    parameter SIGNED = 0,
    parameter OW     = 3,
    parameter STAGES = 0,
    parameter [($clog2(N)+1)*8-1:0] REGS = 24'h0
) (
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire            clk,          // unused when STAGES = 0
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire [N*IW-1:0] in,
    output wire [OW-1:0]   sum
);
    localparam L = $clog2(N);

    // number of nodes at level l
    function integer nodes;
        input integer l;
        integer i, n;
        begin
            n = N;
            for (i = 0; i < l; i = i + 1) n = (n + 1) / 2;
            nodes = n;
        end
    endfunction

    // width of level l
    function integer lwidth;
        input integer l;
        begin
            lwidth = (IW + l < OW) ? IW + l : OW;
        end
    endfunction

    // number of register levels after level l
    /* verilator lint_off UNUSEDSIGNAL */
    function integer regs_after;
        input integer l;
        reg [(L+1)*8-1:0] f;
        begin
            f = REGS >> (l * 8);
            regs_after = {24'd0, f[7:0]};
        end
    endfunction
    /* verilator lint_on UNUSEDSIGNAL */
    function integer regs_total;
        input integer dummy;
        integer l;
        begin
            regs_total = 0 * dummy;
            for (l = 0; l <= L; l = l + 1) regs_total = regs_total + regs_after(l);
        end
    endfunction

    generate
        if (N < 1)       begin : g_err_n   bnn_param_error_addtree_N_below_1 u_err (); end
        if (IW < 1)      begin : g_err_iw  bnn_param_error_addtree_IW_below_1 u_err (); end
        if (OW < IW)     begin : g_err_ow  bnn_param_error_addtree_OW_below_IW u_err (); end
        if (regs_total(0) != STAGES) begin : g_err_regs bnn_param_error_addtree_REGS_do_not_add_up_to_STAGES u_err (); end
    endgenerate

    genvar l, i, d;
    generate
        for (l = 0; l <= L; l = l + 1) begin : lv
            localparam NL = nodes(l);
            localparam WL = lwidth(l);
            localparam RL = regs_after(l);
            wire [NL*WL-1:0] c;   // combinational value of this level
            wire [NL*WL-1:0] q;   // the same after RL register levels
            if (l == 0) begin : g_leaves
                assign c = in;
            end else begin : g_add
                localparam NP = nodes(l - 1);
                localparam WP = lwidth(l - 1);
                for (i = 0; i < NL; i = i + 1) begin : nd
                    wire [WP-1:0] a = lv[l-1].q[(2*i)*WP +: WP];
                    wire [WL-1:0] ax = {{(WL-WP){(SIGNED != 0) & a[WP-1]}}, a};
                    if (2 * i + 1 < NP) begin : g_two
                        wire [WP-1:0] b = lv[l-1].q[(2*i+1)*WP +: WP];
                        wire [WL-1:0] bx = {{(WL-WP){(SIGNED != 0) & b[WP-1]}}, b};
                        assign c[i*WL +: WL] = ax + bx;
                    end else begin : g_one
                        assign c[i*WL +: WL] = ax;
                    end
                end
            end
            if (RL == 0) begin : g_wire
                assign q = c;
            end else begin : g_regs
                for (d = 0; d < RL; d = d + 1) begin : st
                    reg [NL*WL-1:0] r;
                    if (d == 0) begin : g_first
                        always @(posedge clk) r <= c;
                    end else begin : g_next
                        always @(posedge clk) r <= st[d-1].r;
                    end
                end
                assign q = st[RL-1].r;
            end
        end
    endgenerate

    localparam WF = lwidth(L);
    wire [WF-1:0] top = lv[L].q;
    assign sum = {{(OW-WF){(SIGNED != 0) & top[WF-1]}}, top};
endmodule
`default_nettype wire
