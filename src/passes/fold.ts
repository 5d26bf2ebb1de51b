/**
 * fold-thresholds: segmented model -> integer IR.
 * For each neuron the batchnorm / affine chain up to the sign is folded into one integer threshold on the
 * dot product d (in input code units). The threshold is found by evaluating the reference's own float
 * expression at integer points (binary search over the monotone predicate f(d) >= 0), so it agrees with
 * the reference by construction, ties included. Decreasing chains (negative gamma or scale) flip the
 * neuron's weight row (d' = -d); constant chains (gamma = 0) become thresholds out of reach. Max-pools
 * before the sign move after the threshold as OR (non-decreasing chain) or AND (non-increasing chain).
 */
import type { ChannelOp, InputType, Layer, LinearLayer, Shape } from '../ir/model.js';
import { channelOpDirection, channels, evalChannelOp, inputRange, isChannelOp } from '../ir/model.js';
import type { IrBinarize, IrLinear, IrModel, IrPool, IrStage } from '../ir/types.js';
import type { Activation, Segmented } from './segment.js';

/** Smallest d in [lo, hi] with pred(d) true for a non-decreasing pred, or hi + 1. */
export function firstTrue(lo: number, hi: number, pred: (d: number) => boolean): number {
  if (!pred(hi)) return hi + 1;
  let a = lo - 1; // pred(a) false (virtually)
  let b = hi; // pred(b) true
  while (b - a > 1) {
    const m = a + Math.floor((b - a) / 2);
    if (pred(m)) b = m;
    else a = m;
  }
  return b;
}

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

function binarizeStage(act: Activation, shape: Shape, type: InputType): IrBinarize {
  const ops = channelOps(act.pre);
  const period = ops.reduce((p, op) => lcm(p, channels(op.inShape)), 1);
  const r = inputRange(type);
  const ch = chain(ops, (op, e) => e % channels(op.inShape));
  const thr = new Float64Array(period);
  const dir = new Int8Array(period);
  for (let e = 0; e < period; e++) {
    const t = threshold(r.min, r.max, ch.direction(e), (x) => ch.value(e, x * r.scale) >= 0);
    thr[e] = t.thr;
    dir[e] = t.dir;
  }
  return { op: 'binarize', name: act.sign.name, ptr: act.sign.ptr, shape, period, thr, dir };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
function lcm(a: number, b: number): number {
  return (a / gcd(a, b)) * b;
}

function linearStage(l: LinearLayer, act: Activation | null, tail: Layer[], input: 'binary' | 'int', type: InputType): IrLinear {
  const r = input === 'int' ? inputRange(type) : { min: -1, max: 1, scale: 1 };
  const scale = input === 'int' ? r.scale : 1;
  const mh = l.type === 'dense' ? l.units : l.filters;
  const mw = l.type === 'dense' ? l.fanIn : l.kernel[0] * l.kernel[1] * channels(l.inShape);
  let padCode = 0;
  if (l.type === 'conv2d') padCode = input === 'int' ? l.padValue / scale : l.padValue;
  const maxAbs = Math.max(-r.min, r.max, Math.abs(padCode));
  const dMax = mw * maxAbs;
  const weights = l.weights.slice();
  const flip = new Uint8Array(mh);
  let thr: Float64Array | null = null;
  if (act) {
    thr = new Float64Array(mh);
    const ch = chain(channelOps(act.pre), sameChannel);
    for (let j = 0; j < mh; j++) {
      const b = l.bias ? l.bias[j]! : null;
      const pred = (d: number) => {
        const acc = d * scale;
        return ch.value(j, b === null ? acc : acc + b) >= 0;
      };
      const t = threshold(-dMax, dMax, ch.direction(j), pred);
      if (t.dir < 0) {
        flip[j] = 1;
        for (let i = j * mw; i < (j + 1) * mw; i++) weights[i] = weights[i]! ^ 1;
        thr[j] = -t.thr;
      } else thr[j] = t.thr;
    }
  }
  return {
    op: 'linear', name: l.name, ptr: l.ptr, kind: l.type, input, inShape: l.inShape, outShape: l.outShape, mw, mh,
    conv: l.type === 'conv2d' ? { kernel: l.kernel, strides: l.strides, pad: l.pad, padCode } : null,
    weights, flip, dMax, thr, scale,
    post: act ? null : { bias: l.bias, ops: channelOps(tail) },
  };
}

export function foldThresholds(seg: Segmented): IrModel {
  const { model } = seg;
  const stages: IrStage[] = [];
  let input: 'binary' | 'int' = model.input.type.kind === 'bipolar' ? 'binary' : 'int';
  for (const f of seg.inputFlatten) stages.push({ op: 'flatten', name: f.name, ptr: f.ptr, inShape: f.inShape, outShape: f.outShape });
  if (seg.binarizer) {
    stages.push(binarizeStage(seg.binarizer, model.input.shape, model.input.type));
    stages.push(...poolStages(seg.binarizer, (op, e) => e % channels(op.inShape)));
    input = 'binary';
  }
  for (const { layer, act } of seg.linears) {
    stages.push(linearStage(layer, act, seg.tail, input, model.input.type));
    if (act) stages.push(...poolStages(act, sameChannel));
    input = 'binary';
  }
  for (const l of seg.tail) if (l.type === 'flatten') stages.push({ op: 'flatten', name: l.name, ptr: l.ptr, inShape: l.inShape, outShape: l.outShape });
  return { name: model.name, input: model.input, stages, output: model.output };
}
