/**
 * Blocks with several input or output streams (the residual-graph blocks of issue 13). Parameters are
 * the Verilog parameters of their library modules (docs/rtl-blocks.md); the widths the compiler
 * derives (OUT_W) come from the functions in kinds/add.ts and kinds/gap.ts. These blocks are not yet
 * members of HwBlock (types.ts): the chain planner cannot place them; the graph planner will.
 */

/** bnn_dup: one stream to N branches. */
export interface DupBlock {
  kind: 'dup';
  name: string;
  /** beat width (WIDTH) */
  width: number;
  /** branches (N >= 2) */
  n: number;
}

/** Verilog parameters of bnn_add (besides the derived OUT_W and OBUF_DEPTH). */
export interface AddParams {
  PE: number;
  A_W: number;
  /** 1: two's complement codes, 0: unsigned */
  A_SIGNED: 0 | 1;
  B_W: number;
  B_SIGNED: 0 | 1;
  /**
   * 1: a is a sign stream (A_W 1, A_SIGNED 0): lane bit x stands for the code 2x - 1 (+-1); 0 or
   * absent: codes. B_BIPOLAR likewise for b.
   */
  A_BIPOLAR?: 0 | 1;
  B_BIPOLAR?: 0 | 1;
  /** out = a + (b << SHIFT), 0..16 */
  SHIFT: number;
}

/** bnn_add: the aligning adder of two code streams. */
export interface AddBlock {
  kind: 'add';
  name: string;
  params: AddParams;
}

/** Verilog parameters of bnn_gap (besides the derived OUT_W and OBUF_DEPTH). */
export interface GapParams {
  PE: number;
  C: number;
  /** pixels per frame, H*W */
  HW: number;
  IN_W: number;
  IN_SIGNED: 0 | 1;
}

/** bnn_gap: the per-channel code sum over a frame (global average pooling without the division). */
export interface GapBlock {
  kind: 'gap';
  name: string;
  params: GapParams;
}

export type PortBlock = DupBlock | AddBlock | GapBlock;
