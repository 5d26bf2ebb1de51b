`timescale 1ns/1ps
`default_nettype none
// -----------------------------------------------------------------------------------------------
// bnn_fifo: synchronous FIFO with AXI-Stream style ports (bnn-hw RTL library, Verilog-2005)
//
// Parameters
//   WIDTH  data width in bits (>= 1)
//   DEPTH  number of entries (>= 1, any value, not only powers of two)
//
// Ports
//   clk, rst_n                      clock, synchronous active-low reset (empties the FIFO)
//   s_axis_tdata/tvalid/tready      write side
//   m_axis_tdata/tvalid/tready      read side; m_axis_tdata is the oldest entry, read
//                                   combinationally from the storage array
//   count                           number of stored entries, clog2(DEPTH+1) bits (min 1)
//
// Equations (all "ready"/"valid" outputs are functions of registers only)
//   s_axis_tready = (count != DEPTH)
//   m_axis_tvalid = (count != 0)
//   wr = s_axis_tvalid && s_axis_tready   (a write when full is refused even if a read happens
//                                          in the same cycle)
//   rd = m_axis_tvalid && m_axis_tready
//   count <= count + wr - rd
//
// LATENCY = 1: a word written at the edge ending cycle t is visible on m_axis in cycle t+1.
// -----------------------------------------------------------------------------------------------
module bnn_fifo #(
    parameter WIDTH = 8,
    parameter DEPTH = 2
) (
    input  wire                 clk,
    input  wire                 rst_n,
    input  wire [WIDTH-1:0]     s_axis_tdata,
    input  wire                 s_axis_tvalid,
    output wire                 s_axis_tready,
    output wire [WIDTH-1:0]     m_axis_tdata,
    output wire                 m_axis_tvalid,
    input  wire                 m_axis_tready,
    output wire [CNT_W-1:0]     count
);
    localparam AW    = (DEPTH > 1) ? $clog2(DEPTH) : 1;
    localparam CNT_W = $clog2(DEPTH + 1);
    /* verilator lint_off UNUSEDPARAM */
    localparam LATENCY = 1;                          // documentation / testbench visibility only
    /* verilator lint_on UNUSEDPARAM */

    generate
        if (WIDTH < 1) begin : g_err_w  bnn_param_error_fifo_WIDTH_below_1 u_err (); end
        if (DEPTH < 1) begin : g_err_d  bnn_param_error_fifo_DEPTH_below_1 u_err (); end
    endgenerate

    // 32-bit constants, sliced to the register widths (keeps Verilator's WIDTH lint quiet)
    localparam [31:0] LAST_PTR32 = DEPTH - 1;
    localparam [31:0] FULL_CNT32 = DEPTH;
    localparam [AW-1:0]    LAST_PTR = LAST_PTR32[AW-1:0];
    localparam [CNT_W-1:0] FULL_CNT = FULL_CNT32[CNT_W-1:0];

    reg [WIDTH-1:0] mem [0:DEPTH-1];
    reg [AW-1:0]    wr_ptr;
    reg [AW-1:0]    rd_ptr;
    reg [CNT_W-1:0] cnt;

    wire wr = s_axis_tvalid && (cnt != FULL_CNT);
    wire rd = (cnt != {CNT_W{1'b0}}) && m_axis_tready;

    assign s_axis_tready = (cnt != FULL_CNT);
    assign m_axis_tvalid = (cnt != {CNT_W{1'b0}});
    assign m_axis_tdata  = mem[rd_ptr];
    assign count         = cnt;

    always @(posedge clk) begin
        if (wr) mem[wr_ptr] <= s_axis_tdata;
    end

    always @(posedge clk) begin
        if (!rst_n) begin
            wr_ptr <= {AW{1'b0}};
            rd_ptr <= {AW{1'b0}};
            cnt    <= {CNT_W{1'b0}};
        end else begin
            if (wr) wr_ptr <= (wr_ptr == LAST_PTR) ? {AW{1'b0}} : wr_ptr + 1'b1;
            if (rd) rd_ptr <= (rd_ptr == LAST_PTR) ? {AW{1'b0}} : rd_ptr + 1'b1;
            if (wr && !rd)      cnt <= cnt + 1'b1;
            else if (rd && !wr) cnt <= cnt - 1'b1;
        end
    end
endmodule
`default_nettype wire
