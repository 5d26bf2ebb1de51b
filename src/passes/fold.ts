/**
 * fold-thresholds: segmented model -> integer IR.
 * For each neuron the batchnorm / affine chain up to the sign is folded into one integer threshold on the
 * dot product d (in input code units). The threshold is found by evaluating the reference's own float
 * expression at integer points (binary search over the monotone predicate f(d) >= 0), so it agrees with
 * the reference by construction, ties included. Decreasing chains (negative gamma or scale) flip the
 * neuron's weight row (d' = -d); constant chains (gamma = 0) become thresholds out of reach. Max-pools
 * before the sign move after the threshold as OR (non-decreasing chain) or AND (non-increasing chain).
 * A k-bit activation (quant, multithreshold) becomes n = max - min thresholds per neuron, level l found
 * the same way on the predicate code(f(d)) >= min + l; a non-increasing chain makes the code
 * non-increasing in d, so the row is flipped as for sign and the pools take the min of the codes.
 */
import type { ActivationLayer, ChannelOp, InputType, Layer, LinearLayer, Shape } from '../ir/model.js';
import { activationCode, activationDomain, padCodeOf } from '../ir/activation.js';
import { channelOpDirection, channels, evalChannelOp, inputRange, isChannelOp } from '../ir/model.js';
import type { IrBinarize, IrLinear, IrModel, IrPool, IrStage } from '../ir/types.js';
import type { Activation, Segmented } from './segment.js';
import { firstTrue } from '../util/math.js';

interface Chain {
  /** the float value the sign sees, as a function of the pre-activation and the channel */
  value: (c: number, y: number) => number;
  direction: (c: number) => number;
}

/** Compose channel ops (each applied at its own channel count) in order. */
function chain(ops: ChannelOp[], elementChannel: (op: ChannelOp, c: number) => number): Chain {
  return {
    value: (c, y) => {
      let v = y;
      for (const op of ops) v = evalChannelOp(op, elementChannel(op, c), v);
      return v;
    },
    direction: (c) => ops.reduce((s, op) => s * channelOpDirection(op, elementChannel(op, c)), 1),
  };
}

/** Integer threshold for one channel: returns { thr, dir } with bit = dir > 0 ? d >= thr : d <= thr. */
export function threshold(lo: number, hi: number, dirn: number, pred: (d: number) => boolean): { thr: number; dir: 1 | -1 } {
  if (dirn > 0) return { thr: firstTrue(lo, hi, pred), dir: 1 };
  if (dirn < 0) {
    // pred non-increasing: largest true d, via the mirrored predicate
    const t = firstTrue(-hi, -lo, (e) => pred(-e));
    return t > -lo ? { thr: lo - 1, dir: -1 } : { thr: -t, dir: -1 };
  }
  return { thr: pred(lo) ? lo : hi + 1, dir: 1 };
}

const channelOps = (ls: Layer[]) => ls.filter(isChannelOp);

function poolStages(act: Activation, elementChannel: (op: ChannelOp, c: number) => number): IrStage[] {
  const out: IrStage[] = [];
  const all = [...act.pre, act.sign, ...act.post];
  all.forEach((l, k) => {
    if (l.type === 'maxpool') {
      const c = channels(l.inShape);
      const after = k < act.pre.length ? channelOps(act.pre.slice(k + 1)) : [];
      const ch = chain(after, elementChannel);
      const and = new Uint8Array(c);
      for (let i = 0; i < c; i++) and[i] = ch.direction(i) < 0 ? 1 : 0;
      const p: IrPool = { op: 'pool', name: l.name, ptr: l.ptr, inShape: l.inShape, outShape: l.outShape, pool: l.pool, strides: l.strides, and };
      out.push(p);
    } else if (l.type === 'flatten') {
      out.push({ op: 'flatten', name: l.name, ptr: l.ptr, inShape: l.inShape, outShape: l.outShape });
    }
  });
  return out;
}

const sameChannel = (_op: ChannelOp, c: number) => c;

/** The integer domain a linear layer reads: bits (-1/+1) or integer codes with scale and offset. */
interface Domain {
  input: 'binary' | 'int';
  min: number;
  max: number;
  scale: number;
  offset: number;
}

const BINARY: Domain = { input: 'binary', min: -1, max: 1, scale: 1, offset: 0 };

function inputDomain(type: InputType): Domain {
  return type.kind === 'bipolar' ? BINARY : { input: 'int', ...inputRange(type), offset: 0 };
}

function activationOut(a: ActivationLayer): Domain {
  return a.type === 'sign' ? BINARY : { input: 'int', ...activationDomain(a) };
}

/** Level predicates of a k-bit activation: code(v) >= min + 1 .. max, as functions of the chain's output. */
function levelCount(a: ActivationLayer): { n: number; min: number } {
  const d = activationDomain(a);
  return { n: d.max - d.min, min: d.min };
}

function binarizeStage(act: Activation, shape: Shape, type: InputType): IrBinarize {
  const ops = channelOps(act.pre);
  const a = act.sign;
  let period = ops.reduce((p, op) => lcm(p, channels(op.inShape)), 1);
  if (a.type === 'multithreshold' && a.rows > 1) period = lcm(period, channels(a.inShape));
  const r = inputRange(type);
  const ch = chain(ops, (op, e) => e % channels(op.inShape));
  const levels = a.type === 'sign' ? null : levelCount(a);
  const n = levels ? levels.n : 1;
  const thr = new Float64Array(period * n);
  const dir = new Int8Array(period);
  for (let e = 0; e < period; e++) {
    const ac = e % channels(a.inShape);
    for (let k = 0; k < n; k++) {
      const pred = levels ? (x: number) => activationCode(a, ac, ch.value(e, x * r.scale)) >= levels.min + k + 1 : (x: number) => ch.value(e, x * r.scale) >= 0;
      const t = threshold(r.min, r.max, ch.direction(e), pred);
      thr[e * n + k] = t.thr;
      dir[e] = t.dir;
    }
  }
  return { op: 'binarize', name: a.name, ptr: a.ptr, shape, period, thr, dir, levels };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
function lcm(a: number, b: number): number {
  return (a / gcd(a, b)) * b;
}

function linearStage(l: LinearLayer, act: Activation | null, tail: Layer[], dom: Domain): IrLinear {
  const mh = l.type === 'dense' ? l.units : l.filters;
  const mw = l.type === 'dense' ? l.fanIn : l.kernel[0] * l.kernel[1] * channels(l.inShape);
  let padCode = 0;
  // a pad value without a code (BNN027) is refused by the loader on padded convolutions; unpadded ones never use it
  if (l.type === 'conv2d') padCode = dom.input === 'int' ? (padCodeOf(l.padValue, dom.scale, dom.offset) ?? 0) : l.padValue;
  const maxAbs = Math.max(-dom.min, dom.max, Math.abs(padCode));
  const dMax = mw * maxAbs;
  let inOffset: IrLinear['inOffset'] = null;
  if (dom.offset !== 0) {
    // S2 = sum of the +-1 weights over the whole row (padding taps count too), before any flip
    const s2 = new Float64Array(mh);
    for (let j = 0; j < mh; j++) for (let i = j * mw; i < (j + 1) * mw; i++) s2[j]! += l.weights[i] ? 1 : -1;
    inOffset = { offset: dom.offset, s2 };
  }
  const weights = l.weights.slice();
  const flip = new Uint8Array(mh);
  let thr: Float64Array | null = null;
  let levels: IrLinear['levels'] = null;
  if (act) {
    const a = act.sign;
    const lv = a.type === 'sign' ? null : levelCount(a);
    const n = lv ? lv.n : 1;
    const t = new Float64Array(mh * n);
    const ch = chain(channelOps(act.pre), sameChannel);
    for (let j = 0; j < mh; j++) {
      const b = l.bias ? l.bias[j]! : null;
      // the reference's pre-activation of neuron j for the dot product d, in its order of operations
      const y = (d: number) => {
        const acc = inOffset ? dom.scale * d + inOffset.offset * inOffset.s2[j]! : d * dom.scale;
        return b === null ? acc : acc + b;
      };
      let dir = 1;
      for (let k = 0; k < n; k++) {
        const pred = lv ? (d: number) => activationCode(a, j, ch.value(j, y(d))) >= lv.min + k + 1 : (d: number) => ch.value(j, y(d)) >= 0;
        const r = threshold(-dMax, dMax, ch.direction(j), pred);
        dir = r.dir;
        t[j * n + k] = r.dir < 0 ? -r.thr : r.thr;
      }
      if (dir < 0) {
        flip[j] = 1;
        for (let i = j * mw; i < (j + 1) * mw; i++) weights[i] = weights[i]! ^ 1;
      }
    }
    if (lv) levels = { ...lv, thr: t };
    else thr = t;
  }
  return {
    op: 'linear', name: l.name, ptr: l.ptr, kind: l.type, input: dom.input, inShape: l.inShape, outShape: l.outShape, mw, mh,
    conv: l.type === 'conv2d' ? { kernel: l.kernel, strides: l.strides, pad: l.pad, padCode } : null,
    weights, flip, dMax, thr, levels, inOffset, scale: dom.scale,
    post: act ? null : { bias: l.bias, ops: channelOps(tail) },
  };
}

export function foldThresholds(seg: Segmented): IrModel {
  const { model } = seg;
  const stages: IrStage[] = [];
  let dom = inputDomain(model.input.type);
  for (const f of seg.inputFlatten) stages.push({ op: 'flatten', name: f.name, ptr: f.ptr, inShape: f.inShape, outShape: f.outShape });
  if (seg.binarizer) {
    stages.push(binarizeStage(seg.binarizer, model.input.shape, model.input.type));
    stages.push(...poolStages(seg.binarizer, (op, e) => e % channels(op.inShape)));
    dom = activationOut(seg.binarizer.sign);
  }
  for (const { layer, act } of seg.linears) {
    stages.push(linearStage(layer, act, seg.tail, dom));
    if (act) {
      stages.push(...poolStages(act, sameChannel));
      dom = activationOut(act.sign);
    }
  }
  for (const l of seg.tail) if (l.type === 'flatten') stages.push({ op: 'flatten', name: l.name, ptr: l.ptr, inShape: l.inShape, outShape: l.outShape });
  return { name: model.name, input: model.input, stages, output: model.output };
}
