/**
 * The integer IR: the hardware semantics of a model. Every stage works on integers or bits only,
 * except the optional per-class float post-processing of the last layer's integer scores (applied
 * exactly as the reference does, in software or through rank tables in hardware).
 */
import type { ChannelOp, InputType, Pad, Shape } from './model.js';

/**
 * k-bit codes from thresholds (integer engine only; the hardware does not map them yet): with n
 * thresholds per channel, code = min + #{l : x >= thr[ch * n + l]} (dir > 0) or #{l : x <= thr} (dir < 0).
 */
export interface IrLevels {
  n: number;
  min: number;
}

/** Input binarisation: element e (flattened HWC) uses threshold e mod period. */
export interface IrBinarize {
  op: 'binarize';
  name: string;
  ptr: string;
  shape: Shape;
  period: number;
  /** integer thresholds on the input code */
  thr: Float64Array;
  /** +1: bit = code >= thr; -1: bit = code <= thr */
  dir: Int8Array;
  /** k-bit codes instead of bits: thr holds period x n thresholds */
  levels: IrLevels | null;
}

export interface IrConvGeometry {
  kernel: [number, number];
  strides: [number, number];
  pad: Pad;
  /** padded input value in the input domain: binary -1/0/+1 (0 = masked out), int: an input code */
  padCode: number;
}

export interface IrPost {
  bias: Float64Array | null;
  /** trailing batchnorm / affine layers; channel of score e at op k is e mod channels(op k) */
  ops: ChannelOp[];
}

export interface IrLinear {
  op: 'linear';
  name: string;
  ptr: string;
  kind: 'dense' | 'conv2d';
  /** 'binary': bits in, XNOR-popcount; 'int': integer codes in, add/subtract */
  input: 'binary' | 'int';
  inShape: Shape;
  outShape: Shape;
  /** fan-in per output (kh*kw*cin for conv) */
  mw: number;
  /** neurons (units / filters) */
  mh: number;
  conv: IrConvGeometry | null;
  /** mh x mw bits, rows already flipped where flip[j] = 1 */
  weights: Uint8Array;
  flip: Uint8Array;
  /** the dot product d (input code units) lies in [-dMax, dMax] */
  dMax: number;
  /** output bit = d >= thr[j] (after the flip); null on the last layer and with levels */
  thr: Float64Array | null;
  /** k-bit output codes: code = min + #{l : d >= levelThr[j * n + l]} (after the flip) */
  levels: (IrLevels & { thr: Float64Array }) | null;
  /** input codes with an offset (multithreshold outBias): y = scale * d + offset * s2[j] (s2 of the unflipped row) */
  inOffset: { offset: number; s2: Float64Array } | null;
  /** last layer only: how integer scores become the reference's float scores */
  post: IrPost | null;
  /** input code -> real value factor (2^-frac for fixed inputs, else 1) */
  scale: number;
}

export interface IrPool {
  op: 'pool';
  name: string;
  ptr: string;
  inShape: Shape;
  outShape: Shape;
  pool: [number, number];
  strides: [number, number];
  /** per channel: 1 = AND (decreasing threshold function), 0 = OR */
  and: Uint8Array;
}

export interface IrFlatten {
  op: 'flatten';
  name: string;
  ptr: string;
  inShape: Shape;
  outShape: Shape;
}

export type IrStage = IrBinarize | IrLinear | IrPool | IrFlatten;

export interface IrModel {
  name: string;
  input: { shape: Shape; type: InputType };
  stages: IrStage[];
  output: 'argmax' | 'scores' | 'codes';
}

export const linearStages = (ir: IrModel): IrLinear[] => ir.stages.filter((s): s is IrLinear => s.op === 'linear');
