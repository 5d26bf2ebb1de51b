`timescale 1ns/1ps
`default_nettype none
// -----------------------------------------------------------------------------------------------
// bnn_dwc: bit-stream data width converter (bnn-hw RTL library, Verilog-2005)
//
// Parameters
//   IN_W   input beat width in bits
//   OUT_W  output beat width in bits
//   Derived: G = gcd(IN_W, OUT_W); CAP = IN_W + OUT_W + min(IN_W, OUT_W) - G (buffer bits)
//
// Ports
//   clk, rst_n   clock, synchronous active-low reset (empties the buffer)
//   s_axis_*     IN_W-bit input beats
//   m_axis_*     OUT_W-bit output beats
//
// Bits leave in the order they arrived: the first bit in (bit 0 of the first input beat) is bit 0
// of the first output beat. The converter has no notion of frames; frames must be whole
// multiples of both widths so that words never straddle frames.
//
// State: a CAP-bit buffer (bit 0 = oldest) and cnt = number of valid bits (always a multiple of G;
// bits at positions >= cnt are kept zero).
//   s_axis_tready = (cnt <= CAP - IN_W)            (registers only)
//   m_axis_tvalid = (cnt >= OUT_W)                 (registers only)
//   m_axis_tdata  = buffer[OUT_W-1:0]
//   rd = m_axis_tvalid && m_axis_tready, wr = s_axis_tvalid && s_axis_tready
//   buffer <= (rd ? buffer >> OUT_W : buffer) | (wr ? s_axis_tdata << (cnt - rd*OUT_W) : 0)
//   cnt    <= cnt - rd*OUT_W + wr*IN_W
// LATENCY = 1: an output word whose last bit arrived at the edge ending cycle t is valid in cycle
// t+1. CAP is the smallest buffer for which the ready test (made without looking at the same
// cycle's read) never stalls the faster side: no bubbles when both sides run at their rates.
// -----------------------------------------------------------------------------------------------
module bnn_dwc #(
    parameter IN_W  = 8,
    parameter OUT_W = 8
) (
    input  wire             clk,
    input  wire             rst_n,
    input  wire [IN_W-1:0]  s_axis_tdata,
    input  wire             s_axis_tvalid,
    output wire             s_axis_tready,
    output wire [OUT_W-1:0] m_axis_tdata,
    output wire             m_axis_tvalid,
    input  wire             m_axis_tready
);
    function integer gcd;
        input integer a;
        input integer b;
        integer x, y, r;
        begin
            x = a;
            y = b;
            while (y != 0) begin
                r = x % y;
                x = y;
                y = r;
            end
            gcd = x;
        end
    endfunction

    localparam G    = gcd(IN_W, OUT_W);
    localparam MINW = (IN_W < OUT_W) ? IN_W : OUT_W;
    localparam CAP  = IN_W + OUT_W + MINW - G;
    // the buffer is managed in units of G bits
    localparam IU   = IN_W / G;
    localparam OU   = OUT_W / G;
    localparam CU   = CAP / G;
    localparam NW   = $clog2(CU + 1);                         // cnt width (units)
    localparam PSW  = (CU - IU + 1 > 1) ? $clog2(CU - IU + 1) : 1;   // write position width
    /* verilator lint_off UNUSEDPARAM */
    localparam LATENCY = 1;                                  // documentation / testbench visibility only
    /* verilator lint_on UNUSEDPARAM */

    generate
        if (IN_W < 1)  begin : g_err_i  bnn_param_error_dwc_IN_W_below_1 u_err (); end
        if (OUT_W < 1) begin : g_err_o  bnn_param_error_dwc_OUT_W_below_1 u_err (); end
    endgenerate

    localparam [31:0] RMAX32 = CU - IU;
    localparam [31:0] IU32   = IU;
    localparam [31:0] OU32   = OU;
    localparam [NW-1:0] RDY_MAX = RMAX32[NW-1:0];
    localparam [NW-1:0] IU_N    = IU32[NW-1:0];
    localparam [NW-1:0] OU_N    = OU32[NW-1:0];

    reg [CAP-1:0] sreg;
    reg [NW-1:0]  cnt;       // valid bits / G

    assign s_axis_tready = (cnt <= RDY_MAX);
    assign m_axis_tvalid = (cnt >= OU_N);
    assign m_axis_tdata  = sreg[OUT_W-1:0];

    wire wr = s_axis_tvalid && (cnt <= RDY_MAX);
    wire rd = (cnt >= OU_N) && m_axis_tready;

    wire [CAP-1:0] kept   = rd ? (sreg >> OUT_W) : sreg;
    wire [NW-1:0]  cnt_rd = rd ? cnt - OU_N : cnt;
    wire [PSW-1:0] pos    = cnt_rd[PSW-1:0];    // < CU - IU + 1 whenever wr

    // insert the input beat at bit pos*G: logarithmic shifter in units of G bits
    genvar s;
    generate
        for (s = 0; s < PSW; s = s + 1) begin : sh
            wire [CAP-1:0] o;
            if (s == 0) begin : g_first
                wire [CAP-1:0] base = {{(CAP-IN_W){1'b0}}, s_axis_tdata};
                assign o = pos[0] ? (base << G) : base;
            end else begin : g_next
                assign o = pos[s] ? (sh[s-1].o << (G << s)) : sh[s-1].o;
            end
        end
    endgenerate
    wire [CAP-1:0] ins = sh[PSW-1].o;

    always @(posedge clk) begin
        if (!rst_n) begin
            sreg <= {CAP{1'b0}};
            cnt  <= {NW{1'b0}};
        end else begin
            sreg <= wr ? (kept | ins) : kept;
            cnt  <= wr ? cnt_rd + IU_N : cnt_rd;
        end
    end
endmodule
`default_nettype wire
