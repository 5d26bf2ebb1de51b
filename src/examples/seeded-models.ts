/**
 * Seeded synthetic models in the bnn-hw/model@1 format: the examples and the property tests are built
 * from these. Statistics are realistic (batch-norm means and variances of the size a trained layer
 * would have) and include the awkward cases: negative and zero gamma, exact ties where BN(y) == 0.
 */
import { encodePacked } from '../frontend/weights.js';
import { FORMAT_TAG } from '../frontend/schema.js';
import { Prng } from '../util/prng.js';
import { poolOutShape } from '../ir/model.js';
import { inputStats, type InputTypeJson } from '../util/random-inputs.js';

export { randomInputValues, type InputTypeJson } from '../util/random-inputs.js';

type Json = Record<string, unknown>;

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
const describe = (d: string | undefined): Json => (d === undefined ? {} : { description: d });

export function weightsJson(rng: Prng, shape: number[], packed: boolean, latent = false): unknown {
  const n = shape.reduce((a, b) => a * b, 1);
  if (packed) {
    const bits = new Uint8Array(n);
    for (let i = 0; i < n; i++) bits[i] = rng.bool() ? 1 : 0;
    return encodePacked(bits, shape);
  }
  const build = (d: number): unknown[] =>
    Array.from({ length: shape[d]! }, () => (d === shape.length - 1 ? (latent ? round6(rng.normal() * 0.1) : rng.bool() ? 1 : -1) : build(d + 1)));
  return build(0);
}

export interface BnOptions {
  /** probability of a negative gamma per channel */
  negGamma?: number;
  zeroGamma?: number;
  /** probability of an exact tie (integer mean of the right parity, beta = 0) */
  tie?: number;
}

/** Batch-norm statistics for a pre-activation with the given spread and centre. */
export function batchnormJson(rng: Prng, c: number, spread: number, centre: number, o: BnOptions = {}, parity?: number): Json {
  const gamma: number[] = [];
  const beta: number[] = [];
  const mean: number[] = [];
  const variance: number[] = [];
  for (let i = 0; i < c; i++) {
    let g = round6((0.5 + rng.next()) * (rng.bool(o.negGamma ?? 0.2) ? -1 : 1));
    if (rng.bool(o.zeroGamma ?? 0.02)) g = 0;
    let m = round6(centre + rng.normal() * spread * 0.4);
    let b = round6(rng.normal() * 0.3);
    if (rng.bool(o.tie ?? 0.1)) {
      m = Math.round(m);
      if (parity !== undefined && ((m - parity) % 2 + 2) % 2 !== 0) m += 1;
      b = 0;
    }
    gamma.push(g);
    beta.push(b);
    mean.push(m);
    variance.push(round6(spread * spread * (0.3 + rng.next())));
  }
  return { type: 'batchnorm', gamma, beta, mean, variance, epsilon: 1e-4 };
}

export interface MlpSpec {
  name: string;
  /** optional "description" field of the model */
  description?: string;
  seed: number;
  inputs: number;
  widths: number[];
  classes: number;
  inputType?: InputTypeJson;
  /** binarise the input with batchnorm + sign (TFC style) instead of feeding it to the first layer */
  binarizeInput?: boolean;
  /**
   * Statistics and names of the input binariser (with binarizeInput): the batchnorm means scatter around
   * `centre` (default: the middle of the input range) by about 0.4 * `spread` (default: a quarter of
   * the range), so the per-pixel thresholds lie near `centre`.
   */
  inputBinarizer?: { centre?: number; spread?: number; names?: [bn: string, sign: string] };
  /** batchnorm after the last layer (BinaryNet style scores) */
  lastBn?: boolean;
  output?: 'argmax' | 'scores';
  packed?: boolean;
  /** real-valued (latent) weights in the first layer when not packed (default true); false: -1/+1 */
  latentFirst?: boolean;
  bn?: BnOptions;
  bias?: boolean;
  /**
   * k-bit hidden activations (W1Ak): each hidden sign becomes this quant layer, and the batchnorm
   * statistics of the layer after it take the spread of its codes (value = scale * code).
   */
  act?: { bits: number; signed: boolean; scale: number; narrow?: boolean };
}

export function mlpJson(s: MlpSpec): Json {
  const rng = new Prng(s.seed);
  const inputType = s.inputType ?? 'uint8';
  const layers: Json[] = [];
  const { lo, hi } = inputStats(inputType);
  if (s.binarizeInput) {
    const ib = s.inputBinarizer ?? {};
    const bn = batchnormJson(rng, s.inputs, ib.spread ?? (hi - lo) / 4, ib.centre ?? (lo + hi) / 2, { negGamma: 0.05, zeroGamma: 0, tie: 0.3, ...s.bn });
    layers.push(ib.names ? { ...bn, name: ib.names[0] } : bn, ib.names ? { type: 'sign', name: ib.names[1] } : { type: 'sign' });
  }
  let fanIn = s.inputs;
  const all = [...s.widths, s.classes];
  all.forEach((units, k) => {
    const dense: Json = { type: 'dense', name: `fc${k}`, units, weights: weightsJson(rng, [units, fanIn], s.packed ?? false, !s.packed && k === 0 && (s.latentFirst ?? true)) };
    if (s.bias) dense['bias'] = Array.from({ length: units }, () => round6(rng.normal()));
    layers.push(dense);
    const raw = k === 0 && !s.binarizeInput && inputType !== 'bipolar';
    // after a k-bit activation the inputs are scale * codes with a spread of about one code step
    const coded = k > 0 && s.act !== undefined;
    const spread = raw ? Math.sqrt(fanIn) * (hi - lo) / 3 : coded ? s.act!.scale * Math.sqrt(fanIn) * 1.1 : Math.sqrt(fanIn);
    const last = k === all.length - 1;
    if (!last || s.lastBn) layers.push({ ...batchnormJson(rng, units, spread, 0, s.bn, raw || coded ? undefined : fanIn % 2), name: `bn${k}` });
    if (!last) layers.push(s.act ? { type: 'quant', name: `act${k}`, ...s.act } : { type: 'sign', name: `act${k}` });
    fanIn = units;
  });
  return { format: FORMAT_TAG, name: s.name, ...describe(s.description), input: { shape: [s.inputs], type: inputType }, layers, output: s.output ?? 'argmax' };
}

/** One value for both axes, or [rows, columns]. */
export type Pair = number | [number, number];
const pairOf = (v: Pair): [number, number] => (typeof v === 'number' ? [v, v] : v);

export interface ConvSpec {
  filters: number;
  kernel: number;
  stride?: Pair;
  /** explicit [top, bottom, left, right] may exceed the kernel (windows made only of padding) */
  padding?: 'valid' | 'same' | [number, number, number, number];
  padValue?: -1 | 0 | 1;
  /** maxpool 2x2 (or [k, s], strides may exceed the pool) after this conv; 'before' = BinaryNet order (pool before batchnorm) */
  pool?: { size: Pair; stride?: Pair; where: 'before' | 'after' };
  /** a real-valued bias per filter */
  bias?: boolean;
}

export interface CnnSpec {
  name: string;
  /** optional "description" field of the model */
  description?: string;
  seed: number;
  input: [number, number, number];
  inputType?: InputTypeJson;
  binarizeInput?: boolean;
  convs: ConvSpec[];
  dense: number[];
  classes: number;
  lastBn?: boolean;
  output?: 'argmax' | 'scores';
  packed?: boolean;
  bn?: BnOptions;
  /** a real-valued bias per unit in the dense layers */
  denseBias?: boolean;
  /** real-valued (latent) weights instead of -1/+1 when not packed (BinaryNet keeps latent weights) */
  latentWeights?: boolean;
}

export function cnnJson(s: CnnSpec): Json {
  const rng = new Prng(s.seed);
  const inputType = s.inputType ?? { fixed: { bits: 8, frac: 7 } };
  const { lo, hi } = inputStats(inputType);
  const layers: Json[] = [];
  let [h, w, c] = s.input;
  if (s.binarizeInput) layers.push(batchnormJson(rng, c, (hi - lo) / 4, (lo + hi) / 2, { tie: 0.3, ...s.bn }), { type: 'sign' });
  let binary = s.binarizeInput === true || inputType === 'bipolar';
  s.convs.forEach((cv, k) => {
    const [sh, sw] = pairOf(cv.stride ?? 1);
    const conv: Json = { type: 'conv2d', name: `conv${k}`, filters: cv.filters, kernel: [cv.kernel, cv.kernel], weights: weightsJson(rng, [cv.filters, cv.kernel, cv.kernel, c], s.packed ?? false, s.latentWeights ?? false) };
    if (sh !== 1 || sw !== 1) conv['strides'] = [sh, sw];
    if (cv.padding) conv['padding'] = cv.padding;
    if (cv.padValue !== undefined) conv['padValue'] = cv.padValue;
    if (cv.bias) conv['bias'] = Array.from({ length: cv.filters }, () => round6(rng.normal()));
    layers.push(conv);
    let pt = 0, pb = 0, pl = 0, pr = 0;
    if (cv.padding === 'same') {
      const tot = (n: number, stride: number) => Math.max((Math.ceil(n / stride) - 1) * stride + cv.kernel - n, 0);
      pt = Math.floor(tot(h, sh) / 2); pb = tot(h, sh) - pt; pl = Math.floor(tot(w, sw) / 2); pr = tot(w, sw) - pl;
    } else if (Array.isArray(cv.padding)) [pt, pb, pl, pr] = cv.padding;
    h = Math.floor((h + pt + pb - cv.kernel) / sh) + 1;
    w = Math.floor((w + pl + pr - cv.kernel) / sw) + 1;
    const fanIn = cv.kernel * cv.kernel * c;
    const spread = binary ? Math.sqrt(fanIn) : (Math.sqrt(fanIn) * (hi - lo)) / 3;
    const parity = binary && (cv.padValue ?? -1) !== 0 ? fanIn % 2 : undefined;
    const pool = () => {
      const [ph, pw] = pairOf(cv.pool!.size);
      const [psh, psw] = pairOf(cv.pool!.stride ?? cv.pool!.size);
      layers.push({ type: 'maxpool', name: `pool${k}`, pool: [ph, pw], strides: [psh, psw] });
      [h, w] = poolOutShape([h, w, c], [ph, pw], [psh, psw]);
    };
    if (cv.pool?.where === 'before') pool();
    layers.push({ ...batchnormJson(rng, cv.filters, spread, 0, s.bn, parity), name: `bn${k}` }, { type: 'sign', name: `act${k}` });
    if (cv.pool?.where === 'after') pool();
    c = cv.filters;
    binary = true;
  });
  layers.push({ type: 'flatten', name: 'flatten' });
  let fanIn = h * w * c;
  const all = [...s.dense, s.classes];
  all.forEach((units, k) => {
    const dense: Json = { type: 'dense', name: `fc${k}`, units, weights: weightsJson(rng, [units, fanIn], s.packed ?? false, s.latentWeights ?? false) };
    if (s.denseBias) dense['bias'] = Array.from({ length: units }, () => round6(rng.normal()));
    layers.push(dense);
    const last = k === all.length - 1;
    if (!last || s.lastBn) layers.push({ ...batchnormJson(rng, units, Math.sqrt(fanIn), 0, s.bn, fanIn % 2), name: `fbn${k}` });
    if (!last) layers.push({ type: 'sign', name: `fact${k}` });
    fanIn = units;
  });
  return { format: FORMAT_TAG, name: s.name, ...describe(s.description), input: { shape: s.input, type: inputType }, layers, output: s.output ?? 'argmax' };
}
