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
//
// Ports
//   clk     clock (the pipeline registers have no enable and no reset)
//   in      N leaves, leaf i at in[i*IW +: IW]
//   sum     the sum of the leaves presented STAGES cycles earlier (combinational if STAGES = 0)
//
// Structure: L = clog2(N) levels of 2-input adders; node i of level l adds nodes 2i and 2i+1 of
// level l-1 (an odd last node passes through). Register placement ("distributed evenly"): the
// STAGES register levels cut the L tree levels plus the accumulator adder that follows the tree in
// the parent into STAGES+1 nearly equal segments: after tree level l (1 <= l < L) there are
//   floor(l*(STAGES+1)/(L+1)) - floor((l-1)*(STAGES+1)/(L+1))
// registers, and the remaining ones are placed after level L (output). If N = 1 (L = 0) all
// STAGES registers form a delay line on the single leaf.
// LATENCY = STAGES.
// -----------------------------------------------------------------------------------------------
module bnn_addtree #(
    parameter N      = 4,
    parameter IW     = 1,
    parameter SIGNED = 0,
    parameter OW     = 3,
    parameter STAGES = 0
) (
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire            clk,          // unused when STAGES = 0
    /* verilator lint_on UNUSEDSIGNAL */
    input  wire [N*IW-1:0] in,
    output wire [OW-1:0]   sum
);
    function integer addtree_clog2;
        input integer value;
        integer v;
        begin
            v = value - 1;
            addtree_clog2 = 0;
            while (v > 0) begin
                addtree_clog2 = addtree_clog2 + 1;
                v = v >> 1;
            end
        end
    endfunction

    localparam L = addtree_clog2(N);

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
    function integer regs_after;
        input integer l;
        begin
            if (L == 0)      regs_after = STAGES;
            else if (l == 0) regs_after = 0;
            else if (l == L) regs_after = STAGES - ((L - 1) * (STAGES + 1)) / (L + 1);
            else             regs_after = (l * (STAGES + 1)) / (L + 1) - ((l - 1) * (STAGES + 1)) / (L + 1);
        end
    endfunction

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
