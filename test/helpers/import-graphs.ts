/**
 * Small QONNX / FINN-ONNX graphs for the importer tests, shaped like the real exports (PyTorch's
 * Shape / Gather / Unsqueeze / Concat flatten, Brevitas' BipolarQuant + Transpose weights and TensorNorm,
 * FINN's Div 255 / MultiThreshold / Unsqueeze-BN-Squeeze / TopK), with seeded random parameters:
 * odd shapes, negative gammas, padding, per-output weight scales.
 */
import { GraphBuilder, INT64, UINT8, f } from './onnx-build.js';
import { Prng } from './prng.js';

export const BREVITAS = { 'onnx.brevitas': 1 };
export const FINN = { 'finn.custom_op.general': 1 };

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const normal = (r: Prng) => {
  const u = Math.max(r.float(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.float());
};

/** BatchNormalization parameters for pre-activations of spread `sd`; some gammas negative. */
export function bnParams(r: Prng, c: number, sd: number, centre = 0): { gamma: number[]; beta: number[]; mean: number[]; variance: number[] } {
  return {
    gamma: range(c).map(() => (r.bool(0.3) ? -1 : 1) * (0.3 + 1.7 * r.float())),
    beta: range(c).map(() => 0.3 * normal(r)),
    mean: range(c).map(() => centre + 0.7 * sd * normal(r)),
    variance: range(c).map(() => sd * sd * (0.3 + r.float())),
  };
}

export function addBn(g: GraphBuilder, x: string, r: Prng, c: number, sd: number, eps = 1e-5, centre = 0, name?: string): string {
  const p = bnParams(r, c, sd, centre);
  const id = g.t('bn');
  return g.node('BatchNormalization', [x, g.init(`${id}_g`, [c], p.gamma), g.init(`${id}_b`, [c], p.beta), g.init(`${id}_m`, [c], p.mean), g.init(`${id}_v`, [c], p.variance)], { epsilon: f(eps), momentum: f(0.9) }, name ? { name } : {});
}

/** PyTorch's x.view(x.shape[0], -1): Shape -> Gather -> Unsqueeze -> Concat -> Reshape. */
export function torchFlatten(g: GraphBuilder, x: string): string {
  const s = g.node('Shape', [x]);
  const b = g.node('Gather', [s, g.init(g.t('i'), [], [0], INT64)], { axis: 0 });
  const u = g.opset >= 13 ? g.node('Unsqueeze', [b, g.init(g.t('ax'), [1], [0], INT64)]) : g.node('Unsqueeze', [b], { axes: [0] });
  const cat = g.node('Concat', [u, g.init(g.t('m'), [1], [-1], INT64)], { axis: 0 });
  return g.node('Reshape', [x, cat]);
}

/** Brevitas weight: BipolarQuant(W [out, in], scale [out, 1]) -> Transpose. */
export function brevitasWeight(g: GraphBuilder, r: Prng, out: number, inp: number, perOutputScale: boolean): string {
  const id = g.t('w');
  const w = g.init(id, [out, inp], range(out * inp).map(() => normal(r)));
  const s = perOutputScale ? g.init(`${id}_s`, [out, 1], range(out).map(() => 0.25 + r.float())) : g.init(`${id}_s`, [], [1]);
  const q = g.node('BipolarQuant', [w, s], {}, { domain: 'onnx.brevitas' });
  return g.node('Transpose', [q], { perm: [1, 0] });
}

export function bipolar(g: GraphBuilder, x: string, scale = 1, name?: string): string {
  return g.node('BipolarQuant', [x, g.init(g.t('s'), [], [scale])], {}, { domain: 'onnx.brevitas', ...(name ? { name } : {}) });
}

export interface MlpOptions {
  seed: number;
  input: [number, number, number];
  hidden: number[];
  classes: number;
  /** scale of the hidden BipolarQuant activations */
  actScale?: number;
  perOutputScale?: boolean;
  /** the last layer as Gemm(transB = 1) with alpha, beta, C */
  gemm?: boolean;
  tensorNorm?: boolean;
  /** 'argmax' appends ArgMax */
  end?: 'scores' | 'argmax' | 'softmax';
  pre?: 'mul-sub' | 'div-add';
  opset?: number;
}

/** A TFC-like Brevitas MLP in QONNX: float input [1, C, H, W] in [0, 1]. */
export function qonnxMlp(o: MlpOptions): Uint8Array {
  const r = new Prng(o.seed);
  const g = new GraphBuilder(o.opset ?? 13, 'pytorch 1.13.1', BREVITAS);
  const [c, h, w] = o.input;
  let x = g.input('inp', ['batch', c, h, w]);
  x = torchFlatten(g, x);
  if ((o.pre ?? 'mul-sub') === 'mul-sub') {
    x = g.node('Mul', [x, g.init('two', [], [2])]);
    x = g.node('Sub', [x, g.init('one', [1], [1])]);
  } else {
    x = g.node('Div', [x, g.init('half', [], [0.5])]);
    x = g.node('Add', [x, g.init('minus1', [1], [-1])]);
  }
  x = bipolar(g, x);
  let fan = c * h * w;
  o.hidden.forEach((units) => {
    x = g.node('MatMul', [x, brevitasWeight(g, r, units, fan, o.perOutputScale ?? false)]);
    x = addBn(g, x, r, units, Math.sqrt(fan) * (o.perOutputScale ? 0.75 : 1));
    x = bipolar(g, x, o.actScale ?? 1);
    fan = units;
  });
  if (o.gemm) {
    const wq = g.node('BipolarQuant', [g.init('wl', [o.classes, fan], range(o.classes * fan).map(() => normal(r))), g.init('wl_s', [o.classes, 1], range(o.classes).map(() => 0.5 + r.float()))], {}, { domain: 'onnx.brevitas' });
    x = g.node('Gemm', [x, wq, g.init('cl', [o.classes], range(o.classes).map(() => normal(r)))], { transB: 1, alpha: f(0.5), beta: f(2) });
  } else x = g.node('MatMul', [x, brevitasWeight(g, r, o.classes, fan, o.perOutputScale ?? false)]);
  if (o.tensorNorm ?? true) {
    x = g.node('Sub', [x, g.init('tn_mean', [1], [0.4])]);
    const d = g.node('Pow', [g.init('tn_var_eps', [1], [300.5]), g.init('half_exp', [], [0.5])]);
    x = g.node('Div', [x, d]);
    x = g.node('Mul', [x, g.init('tn_w', [1], [0.73])]);
    x = g.node('Add', [x, g.init('tn_b', [1], [-1.14])]);
  }
  if (o.end === 'argmax') x = g.node('ArgMax', [x], { axis: 1, keepdims: 1 });
  if (o.end === 'softmax') x = g.node('Softmax', [x], { axis: 1 });
  g.output(x, [1, o.end === 'argmax' ? 1 : o.classes]);
  return g.encode();
}

export interface CnnOptions {
  seed: number;
  /** quantise the input with an 8-bit unsigned Quant (the graph then states its input type) */
  quantInput?: boolean;
  /** BinaryNet order: MaxPool before the second BatchNormalization */
  poolBeforeBn?: boolean;
  end?: 'scores' | 'argmax';
}

/**
 * A small Brevitas CNN in QONNX: [1, 3, 9, 8] -> Conv 6x3x3 (pads top 1, left 0, bottom 1, right 2,
 * strides 2, 1) -> BN -> BipolarQuant -> MaxPool 2 -> Conv 5x2x3 -> BN -> BipolarQuant -> Flatten
 * (5 channels x 1 x 2: the NCHW -> HWC permutation matters) -> MatMul 7 -> BN -> BipolarQuant -> MatMul 4.
 */
export function qonnxCnn(o: CnnOptions): Uint8Array {
  const r = new Prng(o.seed);
  const g = new GraphBuilder(13, 'pytorch 2.1', BREVITAS);
  let x = g.input('image', [1, 3, 9, 8]);
  if (o.quantInput) x = g.node('Quant', [x, g.init('qs', [], [1]), g.init('qz', [], [0]), g.init('qb', [], [8])], { signed: 0, narrow: 0, rounding_mode: 'ROUND' }, { domain: 'onnx.brevitas' });
  const convW = (fo: number, ci: number, kh: number, kw: number) => {
    const id = g.t('cw');
    const wt = g.init(id, [fo, ci, kh, kw], range(fo * ci * kh * kw).map(() => normal(r)));
    return g.node('BipolarQuant', [wt, g.init(`${id}_s`, [fo, 1, 1, 1], range(fo).map(() => 0.5 + r.float()))], {}, { domain: 'onnx.brevitas' });
  };
  // raw pixels 0..255 (or [0, 1] floats scaled by the declared divisor) into the first conv
  x = g.node('Conv', [x, convW(6, 3, 3, 3), g.init('cb0', [6], range(6).map(() => normal(r)))], { kernel_shape: [3, 3], pads: [1, 0, 1, 2], strides: [2, 1], dilations: [1, 1], group: 1 });
  x = addBn(g, x, r, 6, o.quantInput ? 300 : 1.2, 1e-5, o.quantInput ? 0 : 0);
  x = bipolar(g, x);
  x = g.node('MaxPool', [x], { kernel_shape: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0] });
  x = g.node('Conv', [x, convW(5, 6, 2, 3)], { kernel_shape: [2, 3], pads: [0, 0, 0, 0], strides: [1, 1] });
  if (o.poolBeforeBn) x = g.node('MaxPool', [x], { kernel_shape: [1, 1], strides: [1, 1] });
  x = addBn(g, x, r, 5, 4);
  x = bipolar(g, x, 0.5);
  x = g.node('Flatten', [x], { axis: 1 });
  x = g.node('MatMul', [x, brevitasWeight(g, r, 7, 10, true)]);
  x = addBn(g, x, r, 7, 2.5);
  x = bipolar(g, x);
  x = g.node('MatMul', [x, brevitasWeight(g, r, 4, 7, false)]);
  if (o.end === 'argmax') x = g.node('ArgMax', [x], { axis: 1, keepdims: 1 });
  g.output(x, [1, o.end === 'argmax' ? 1 : 4]);
  return g.encode();
}

export interface FinnOptions {
  seed: number;
  input: [number, number, number];
  hidden: number;
  classes: number;
  /** thresholds of the input MultiThreshold, one per pixel (else one shared 0) */
  perPixelThreshold?: boolean;
  /** out_scale / out_bias of the hidden MultiThreshold (default 2 / -1: bipolar) */
  hiddenOut?: [number, number];
  /** scale factor Mul after the first MatMul */
  mulScale?: number;
  floatData?: boolean;
}

/** A TFC-like FINN-ONNX graph: UINT8 input, Div 255, Reshape, Mul 2, Sub 1, MultiThreshold, ..., TopK. */
export function finnMlp(o: FinnOptions): Uint8Array {
  const r = new Prng(o.seed);
  const g = new GraphBuilder(12, 'fuse_model', FINN, !o.floatData);
  const [c, h, w] = o.input;
  const n = c * h * w;
  let x = g.input('global_in', [1, c, h, w]);
  g.annotate('global_in', 'finn_datatype', 'UINT8');
  x = g.node('Div', [x, g.init('d255', [], [255])]);
  x = g.node('Reshape', [x, g.init('shape', [2], [1, -1], INT64)]);
  x = g.node('Mul', [x, g.init('m2', [], [2])]);
  x = g.node('Sub', [x, g.init('s1', [1], [1])]);
  const mt = (y: string, thr: number[], rows: number, out: [number, number] = [2, -1]) =>
    g.node('MultiThreshold', [y, g.init(g.t('thr'), [rows, 1], thr)], { out_scale: f(out[0]), out_bias: f(out[1]), out_dtype: 'BIPOLAR' }, { domain: 'finn.custom_op.general' });
  x = mt(x, o.perPixelThreshold ? range(n).map(() => 0.4 * normal(r)) : [0], o.perPixelThreshold ? n : 1);
  const weight = (inp: number, out: number) => {
    const id = g.t('W');
    g.init(id, [inp, out], range(inp * out).map(() => (r.bool() ? 1 : -1)));
    g.annotate(id, 'finn_datatype', 'BIPOLAR');
    return id;
  };
  x = g.node('MatMul', [x, weight(n, o.hidden)]);
  x = g.node('Mul', [x, g.init('ms', [], [o.mulScale ?? 1])]);
  x = g.node('Unsqueeze', [x], { axes: [2] });
  x = addBn(g, x, r, o.hidden, Math.sqrt(n));
  x = g.node('Squeeze', [x], { axes: [2] });
  x = mt(x, range(o.hidden).map(() => 0.2 * normal(r)), o.hidden, o.hiddenOut);
  x = g.node('MatMul', [x, weight(o.hidden, o.classes)]);
  x = g.node('Mul', [x, g.init('ms2', [], [1])]);
  x = g.node('Sub', [x, g.init('tn_m', [1], [0.45])]);
  x = g.node('Div', [x, g.init('tn_d', [1], [17.8])]);
  x = g.node('Mul', [x, g.init('tn_w', [1], [0.73])]);
  x = g.node('Add', [x, g.init('tn_b', [1], [-1.14])]);
  const k = g.init('K', [1], [1], INT64);
  g.node('TopK', [x, k], { axis: -1, largest: 1, sorted: 1 }, { outputs: ['topk_values', 'global_out'] });
  g.output('global_out', [1, 1]);
  return g.encode();
}

/** A FINN-ONNX conv: UINT8 input [1, 2, 6, 5] -> Conv 4x3x3 (pad 1) -> MultiThreshold per channel -> MaxPool -> Flatten -> MatMul -> TopK. */
export function finnConv(seed: number): Uint8Array {
  const r = new Prng(seed);
  const g = new GraphBuilder(12, 'fuse_model', FINN);
  let x = g.input('global_in', [1, 2, 6, 5], UINT8);
  g.annotate('global_in', 'finn_datatype', 'UINT8');
  x = g.node('Cast', [x], { to: 1 });
  const wc = g.init('Wc', [4, 2, 3, 3], range(72).map(() => (r.bool() ? 1 : -1)));
  g.annotate(wc, 'finn_datatype', 'BIPOLAR');
  x = g.node('Conv', [x, wc], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [1, 1], group: 1 });
  x = g.node('MultiThreshold', [x, g.init('thr_c', [4, 1], range(4).map(() => 300 * normal(r)))], { out_scale: f(2), out_bias: f(-1), out_dtype: 'BIPOLAR' }, { domain: 'finn.custom_op.general' });
  x = g.node('MaxPool', [x], { kernel_shape: [2, 2], strides: [2, 2] });
  x = g.node('Flatten', [x], { axis: 1 });
  const wd = g.init('Wd', [24, 3], range(72).map(() => (r.bool() ? 1 : -1)));
  g.annotate(wd, 'finn_datatype', 'BIPOLAR');
  x = g.node('MatMul', [x, wd]);
  g.node('TopK', [x, g.init('K', [1], [1], INT64)], { axis: -1 }, { outputs: ['v', 'global_out'] });
  g.output('global_out', [1, 1]);
  return g.encode();
}
