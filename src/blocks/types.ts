/**
 * Hardware blocks of a planned design. A design is a chain: each block consumes the stream the block
 * before it produces. Parameters here are exactly the Verilog parameters of the library modules in
 * templates/lib (see docs/rtl-blocks.md); derived numbers (cycles, latency) live in the block modules.
 */
import type { IrBinarize, IrLinear, IrPool } from '../ir/types.js';
import type { MvuIntDatapath } from './popcount-plan.js';

/** Verilog parameters of bnn_swg. */
export interface SwgParams {
  ELEM_W: number;
  SIMD: number;
  C: number;
  H: number;
  W: number;
  KH: number;
  KW: number;
  SH: number;
  SW: number;
  PAD_T: number;
  PAD_B: number;
  PAD_L: number;
  PAD_R: number;
  /** 0: padding taps are SIMD copies of PAD_ELEM; 1: padding taps carry a mask bit */
  PAD_MODE: 0 | 1;
  PAD_ELEM: number;
}

/** Verilog parameters of bnn_pool. */
export interface PoolParams {
  C: number;
  PE: number;
  /** bits per element: 1 = binary, k = k-bit activation codes */
  ELEM_W: number;
  /** 1: two's complement codes (compared signed), 0: unsigned */
  SIGNED: number;
  H: number;
  W: number;
  KH: number;
  KW: number;
  SH: number;
  SW: number;
  /** per channel: 1 = AND / min of the codes, 0 = OR / max (the Verilog parameter is the C-bit vector, bit c = channel c); all 0 with SUM */
  AND_MASK: readonly number[];
  /**
   * 1: window sum (the exact integer sum of each window's codes, an avgpool without its division; output
   * lanes of poolOutWidth bits, signed when SIGNED); 0 or absent: max / min pool
   */
  SUM?: 0 | 1;
}

/**
 * k-bit codes out of a block (k-bit activations): code = min + #{thresholds reached}, n thresholds per
 * value compared in parallel; the lane is w bits, two's complement when signed (min < 0), else
 * unsigned (levels.ts: laneFormat, the one rule for every k-bit stream).
 */
export interface BlockLevels {
  n: number;
  min: number;
  w: number;
  signed: boolean;
}

export interface ThreshInBlock {
  kind: 'thresh_in';
  name: string;
  stage: IrBinarize;
  pe: number;
  inW: number;
  signed: boolean;
  /** threshold words; address cycles 0..tdepth-1 once per beat */
  tdepth: number;
  tw: number;
  /** k-bit codes out (null: one bit per element) */
  levels: BlockLevels | null;
  obufDepth: number;
}

export interface MvtuBlock {
  kind: 'mvtu';
  name: string;
  stage: IrLinear;
  pe: number;
  simd: number;
  sf: number;
  nf: number;
  popStages: number;
  scores: boolean;
  /** true zero padding: input beats carry a mask bit, signed thresholds on d = 2p - N_valid */
  masked: boolean;
  accW: number;
  tw: number;
  /** k-bit codes out (null: one bit per neuron, or scores) */
  levels: BlockLevels | null;
  obufDepth: number;
}

export interface MvuIntBlock {
  kind: 'mvu_int';
  name: string;
  stage: IrLinear;
  pe: number;
  simd: number;
  sf: number;
  nf: number;
  inW: number;
  signed: boolean;
  popStages: number;
  scores: boolean;
  accW: number;
  tw: number;
  /** k-bit codes out (null: one bit per neuron, or scores) */
  levels: BlockLevels | null;
  obufDepth: number;
  /** bnn_mvu_int DATAPATH: add/subtract trees or the bit-plane compressor (same result) */
  datapath: MvuIntDatapath;
}

export interface DwcBlock {
  kind: 'dwc';
  name: string;
  inW: number;
  outW: number;
  /** lanes of the stream it converts (the cycle model's beats hold lane values; the RTL moves bits): null = 1-bit lanes */
  lane: { w: number; signed: boolean } | null;
}

export interface FifoBlock {
  kind: 'fifo';
  name: string;
  width: number;
  depth: number;
}

export interface RankTables {
  rankW: number;
  /** entries per class: reachable popcounts 0..N */
  nvals: number;
  shift: number;
  scoreMin: number;
  /** per lane k: nf * nvals ranks */
  lanes: number[][];
}

export interface ArgmaxBlock {
  kind: 'argmax';
  name: string;
  stage: IrLinear;
  pe: number;
  nf: number;
  scoreW: number;
  classes: number;
  idxW: number;
  rank: RankTables | null;
  obufDepth: number;
}

/** Sliding-window generator feeding a convolution's MVU (parameters = bnn_swg's). */
export interface SwgBlock {
  kind: 'swg';
  name: string;
  params: SwgParams;
}

/** Max-pool or window sum on a binary or code stream (parameters = bnn_pool's). */
export interface PoolBlock {
  kind: 'pool';
  name: string;
  /** the model's pool stage of a chain's max-pool; absent on a window sum (window-sum.ts) */
  stage?: IrPool;
  params: PoolParams;
}

export type HwBlock = ThreshInBlock | MvtuBlock | MvuIntBlock | DwcBlock | FifoBlock | ArgmaxBlock | SwgBlock | PoolBlock;
export type ComputeBlock = ThreshInBlock | MvtuBlock | MvuIntBlock | ArgmaxBlock | PoolBlock;

export interface StreamFormat {
  /** elements per beat */
  lanes: number;
  /** bits per element */
  laneW: number;
  signed: boolean;
  /** beats per frame */
  beats: number;
}

export const streamWidth = (s: StreamFormat): number => s.lanes * s.laneW;
/** AXI-Stream tdata widths are padded to whole bytes at the top level. */
export const byteWidth = (bits: number): number => Math.ceil(bits / 8) * 8;
