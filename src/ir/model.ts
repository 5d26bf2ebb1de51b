/**
 * The normalised model: what the loader produces after structural and semantic validation.
 * Weights are binarised (1 = +1, 0 = -1), defaults are filled in, and every layer knows its input and
 * output shape. Nothing here is mutated after load.
 */
export type InputType =
  | { kind: 'uint'; bits: number }
  | { kind: 'int'; bits: number }
  | { kind: 'fixed'; bits: number; frac: number }
  | { kind: 'bipolar' }
  /**
   * internal (graph segments, never read from a file): integer codes in [min, max] standing for the
   * values scale * code, e.g. the stream a residual junction hands to the chain segment that reads it
   */
  | { kind: 'codes'; min: number; max: number; scale: number };

export type Shape = readonly number[];

export interface Pad {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

interface LayerBase {
  name: string;
  /** JSON pointer of the layer in the model file */
  ptr: string;
  /** the layers it reads (names; INPUT for the model input), each earlier in the file: the previous layer unless the file says otherwise */
  inputs: readonly string[];
  /** the shape of its (first) input */
  inShape: Shape;
  outShape: Shape;
}

export interface DenseLayer extends LayerBase {
  type: 'dense';
  units: number;
  fanIn: number;
  /** units x fanIn bits, row-major */
  weights: Uint8Array;
  bias: Float64Array | null;
}

export interface Conv2dLayer extends LayerBase {
  type: 'conv2d';
  filters: number;
  kernel: [number, number];
  strides: [number, number];
  pad: Pad;
  padValue: -1 | 0 | 1;
  /** filters x kh x kw x cin bits, row-major */
  weights: Uint8Array;
  bias: Float64Array | null;
}

export interface BatchnormLayer extends LayerBase {
  type: 'batchnorm';
  gamma: Float64Array;
  beta: Float64Array;
  mean: Float64Array;
  variance: Float64Array;
  epsilon: number;
}

export interface AffineLayer extends LayerBase {
  type: 'affine';
  /** broadcast to one value per channel */
  scale: Float64Array;
  bias: Float64Array;
}

export interface SignLayer extends LayerBase {
  type: 'sign';
}
/** k-bit quantiser: code = clamp(roundHalfEven(x / scale), qmin, qmax), value = scale * code. */
export interface QuantLayer extends LayerBase {
  type: 'quant';
  bits: number;
  signed: boolean;
  narrow: boolean;
  scale: number;
}
/** FINN's MultiThreshold: code = #{i : x >= thresholds[row][i]}, value = outScale * code + outBias. */
export interface MultithresholdLayer extends LayerBase {
  type: 'multithreshold';
  /** rows x n, row-major; rows = 1 (every channel) or the channel count; each row non-decreasing */
  thresholds: Float64Array;
  rows: number;
  /** thresholds per row: codes are 0..n */
  n: number;
  outScale: number;
  outBias: number;
}
export interface MaxpoolLayer extends LayerBase {
  type: 'maxpool';
  pool: [number, number];
  strides: [number, number];
}
export interface FlattenLayer extends LayerBase {
  type: 'flatten';
}

/** Element-wise sum of two tensors of the same shape (inputs[0] + inputs[1]). */
export interface AddLayer extends LayerBase {
  type: 'add';
}
/** [H, W, C] -> [C]: the mean over all positions. */
export interface GlobalAvgpoolLayer extends LayerBase {
  type: 'globalavgpool';
}
/** The mean of each pool window (no padding). */
export interface AvgpoolLayer extends LayerBase {
  type: 'avgpool';
  pool: [number, number];
  strides: [number, number];
}

export type Layer =
  | DenseLayer | Conv2dLayer | BatchnormLayer | AffineLayer | SignLayer | QuantLayer | MultithresholdLayer | MaxpoolLayer | FlattenLayer
  | AddLayer | GlobalAvgpoolLayer | AvgpoolLayer;
/** The layers whose output is an integer code with a scale and an offset. */
export type ActivationLayer = SignLayer | QuantLayer | MultithresholdLayer;
export type LinearLayer = DenseLayer | Conv2dLayer;
export type ChannelOp = BatchnormLayer | AffineLayer;

export interface Model {
  name: string;
  description?: string;
  input: { shape: Shape; type: InputType };
  layers: Layer[];
  /** 'codes' (internal, graph segments only): the codes of the trailing activation */
  output: 'argmax' | 'scores' | 'codes';
}

export const isLinear = (l: Layer): l is LinearLayer => l.type === 'dense' || l.type === 'conv2d';
export const isChannelOp = (l: Layer): l is ChannelOp => l.type === 'batchnorm' || l.type === 'affine';
export const isActivation = (l: Layer): l is ActivationLayer => l.type === 'sign' || l.type === 'quant' || l.type === 'multithreshold';
/** quant and multithreshold: the k-bit activations the hardware does not map yet. */
export const isMultiBit = (l: Layer): l is QuantLayer | MultithresholdLayer => l.type === 'quant' || l.type === 'multithreshold';

/** The name layers use in `inputs` for the model input. */
export const INPUT = 'input';

export const prod = (s: Shape): number => s.reduce((a, b) => a * b, 1);
export const channels = (s: Shape): number => s[s.length - 1]!;

/** The output shape of a maxpool / avgpool (no padding, floor mode) over an [H, W, C] input. */
export function poolOutShape(inShape: Shape, pool: readonly [number, number], strides: readonly [number, number]): [number, number, number] {
  const [h, w, c] = inShape as [number, number, number];
  return [Math.floor((h - pool[0]) / strides[0]) + 1, Math.floor((w - pool[1]) / strides[1]) + 1, c];
}

/** Integer code range of an input type (fixed: value * 2^frac; bipolar: -1/+1). */
export function inputRange(t: InputType): { min: number; max: number; scale: number } {
  switch (t.kind) {
    case 'uint':
      return { min: 0, max: 2 ** t.bits - 1, scale: 1 };
    case 'int':
      return { min: -(2 ** (t.bits - 1)), max: 2 ** (t.bits - 1) - 1, scale: 1 };
    case 'fixed':
      return { min: -(2 ** (t.bits - 1)), max: 2 ** (t.bits - 1) - 1, scale: 2 ** -t.frac };
    case 'bipolar':
      return { min: -1, max: 1, scale: 1 };
    case 'codes':
      return { min: t.min, max: t.max, scale: t.scale };
  }
}

export function inputTypeText(t: InputType): string {
  switch (t.kind) {
    case 'uint':
      return `uint${t.bits}`;
    case 'int':
      return `int${t.bits}`;
    case 'fixed':
      return `fixed<${t.bits},${t.frac}>`;
    case 'bipolar':
      return 'bipolar';
    case 'codes':
      return `codes[${t.min}, ${t.max}] x ${t.scale}`;
  }
}

export function evalChannelOp(op: ChannelOp, c: number, x: number): number {
  if (op.type === 'batchnorm') {
    return ((x - op.mean[c]!) / Math.sqrt(op.variance[c]! + op.epsilon)) * op.gamma[c]! + op.beta[c]!;
  }
  return x * op.scale[c]! + op.bias[c]!;
}

/** Direction of a channel op: +1 non-decreasing, -1 non-increasing, 0 constant. */
export function channelOpDirection(op: ChannelOp, c: number): number {
  const g = op.type === 'batchnorm' ? op.gamma[c]! : op.scale[c]!;
  return Math.sign(g);
}
