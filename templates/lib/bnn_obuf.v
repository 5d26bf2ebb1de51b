`timescale 1ns/1ps
`default_nettype none
// -----------------------------------------------------------------------------------------------
// bnn_obuf: credit counter + output FIFO of a compute block (bnn-hw RTL library, Verilog-2005).
// A block reserves an entry when it starts work whose result will be written some cycles later
// (issue) and only does so while credit_ok; the FIFO therefore never refuses a write.
//
// Parameters
//   WIDTH  result width in bits (>= 1)
//   DEPTH  FIFO entries = credits (>= 1)
//
// Ports
//   clk, rst_n                  clock, synchronous active-low reset
//   issue                       an entry is reserved this cycle (only while credit_ok)
//   credit_ok                   reserved < DEPTH (registers only)
//   wr_data, wr_valid           the result, written into the FIFO
//   m_axis_*                    the block's output stream (the FIFO's read side)
//
//   reserved <= reserved + issue - (m_axis_tvalid && m_axis_tready)
// -----------------------------------------------------------------------------------------------
module bnn_obuf #(
    parameter WIDTH = 8,
    parameter DEPTH = 2
) (
    input  wire             clk,
    input  wire             rst_n,
    input  wire             issue,
    output wire             credit_ok,
    input  wire [WIDTH-1:0] wr_data,
    input  wire             wr_valid,
    output wire [WIDTH-1:0] m_axis_tdata,
    output wire             m_axis_tvalid,
    input  wire             m_axis_tready
);
    localparam RSW = $clog2(DEPTH + 1);
    localparam [31:0] DEPTH32 = DEPTH;
    localparam [RSW-1:0] DEPTH_R = DEPTH32[RSW-1:0];

    generate
        if (WIDTH < 1) begin : g_err_w  bnn_param_error_obuf_WIDTH_below_1 u_err (); end
        if (DEPTH < 1) begin : g_err_d  bnn_param_error_obuf_DEPTH_below_1 u_err (); end
    endgenerate

    reg  [RSW-1:0] reserved;
    wire           out_rd = m_axis_tvalid && m_axis_tready;
    assign credit_ok = (reserved < DEPTH_R);

    always @(posedge clk) begin
        if (!rst_n)                reserved <= {RSW{1'b0}};
        else if (issue && !out_rd) reserved <= reserved + 1'b1;
        else if (out_rd && !issue) reserved <= reserved - 1'b1;
    end

    /* verilator lint_off UNUSEDSIGNAL */
    wire           fifo_ready;      // never low when written: guaranteed by the credits
    wire [RSW-1:0] fifo_count;
    /* verilator lint_on UNUSEDSIGNAL */
    bnn_fifo #(
        .WIDTH(WIDTH), .DEPTH(DEPTH)
    ) u_fifo (
        .clk(clk), .rst_n(rst_n),
        .s_axis_tdata(wr_data), .s_axis_tvalid(wr_valid), .s_axis_tready(fifo_ready),
        .m_axis_tdata(m_axis_tdata), .m_axis_tvalid(m_axis_tvalid), .m_axis_tready(m_axis_tready),
        .count(fifo_count)
    );
endmodule
`default_nettype wire
