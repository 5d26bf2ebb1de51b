/**
 * The integer engine over a residual graph (issue 13), for `infer --engine integer` on models that are
 * not chains (chains keep the hardware IR engine, integer.ts). It runs the layers in file order like
 * the float reference, but as the hardware computes:
 *  - a linear layer reading codes sums the exact integer dot products d = S1 (never a value); its
 *    output stays "dots": d with the function that makes the reference's value of it (scale * d +
 *    offset * S2 + bias, then the batchnorm / affine layers that follow, each at its channel);
 *  - maxpool / flatten over dots move onto d (max of d where that function is non-decreasing, min where
 *    it is non-increasing), as the threshold folding moves pools after the threshold;
 *  - an activation reading dots compares d with integer thresholds found by binary search on the float64
 *    expression over the exact range of d (as passes/fold.ts does), never evaluating a value;
 *  - add / avgpool / globalavgpool over codes are integer sums of codes (shared with the reference).
 * Where a tensor holds neither codes nor dots (the sum of values an add of unrelated scales makes, a
 * pool of real values) the engine computes the reference's float64 values: those forms are not mapped
 * to hardware.
 */
import type { ActivationLayer, ChannelOp, Layer, LinearLayer, Model } from '../ir/model.js';
import { channelOpDirection, channels, evalChannelOp, isActivation, isChannelOp, isLinear } from '../ir/model.js';
import { activationCode, activationDomain, padCodeOf } from '../ir/activation.js';
import { type CodeDomain, type CodeDomains, codeDomains, inputDomain, maxCode } from '../ir/graph.js';
import { type Coded, type Output, type Tensor, argmax, graphStep, inputTensor, runGraph, values } from './float.js';
import { firstTrue } from '../util/math.js';
import { linearSums } from './linear-sums.js';

/** Integer dot products of a linear layer and the channel ops that follow it. */
interface Dots {
  dots: Float64Array;
  linear: LinearLayer;
  /** scale and offset of the linear layer's input codes */
  scale: number;
  offset: number;
  /** S2 of each output (the sum of +-1 over the row, padding taps included) */
  s2: Float64Array;
  ops: ChannelOp[];
  /** |d| <= dMax */
  dMax: number;
}
type Value = Tensor | Dots;

const isDots = (v: Value): v is Dots => !(v instanceof Float64Array) && 'dots' in v;

/** The reference's value of element e of a linear output whose dot product is d. */
function dotValue(t: Dots, e: number, d: number): number {
  const j = e % t.linear.outShape[t.linear.outShape.length - 1]!;
  const acc = t.offset === 0 ? t.scale * d : t.scale * d + t.offset * t.s2[j]!;
  let v = t.linear.bias ? acc + t.linear.bias[j]! : acc;
  for (const op of t.ops) v = evalChannelOp(op, e % channels(op.inShape), v);
  return v;
}

/** +1 / -1 / 0: how the value of element e moves with d. */
const direction = (t: Dots, e: number): number => t.ops.reduce((s, op) => s * channelOpDirection(op, e % channels(op.inShape)), 1);

const materialise = (v: Value): Tensor => (isDots(v) ? v.dots.map((d, e) => dotValue(v, e, d)) : v);

/** S1 of every output (integer sums of +-code) and S2 of every row (linear-sums.ts). */
function linearDots(l: LinearLayer, x: Coded, d: CodeDomain): Dots {
  const pad = l.type === 'conv2d' ? (padCodeOf(l.padValue, x.scale, x.offset) ?? NaN) : 0;
  const { s1, s2 } = linearSums(l, x.codes, pad);
  const fanIn = l.type === 'dense' ? l.fanIn : l.kernel[0] * l.kernel[1] * l.inShape[2]!;
  const padCode = l.type === 'conv2d' ? Math.abs(padCodeOf(l.padValue, x.scale, x.offset) ?? 0) : 0;
  return { dots: s1, linear: l, scale: x.scale, offset: x.offset, s2, ops: [], dMax: fanIn * Math.max(maxCode(d), padCode) };
}

interface Thresholds {
  thr: Float64Array;
  dir: number;
}
/**
 * The thresholds of every element per activation layer: the function of its dots is fixed by the
 * graph, so they are found on the first input and hold for every other.
 */
const thresholdCache = new WeakMap<ActivationLayer, Thresholds[]>();

function elementThresholds(a: ActivationLayer, t: Dots, n: number, min: number): Thresholds[] {
  const cached = thresholdCache.get(a);
  if (cached) return cached;
  const mh = t.linear.outShape[t.linear.outShape.length - 1]!;
  const ca = channels(a.inShape);
  // elements with the same function (output channel, channel of each op, channel of the activation) share them
  const byFunction = new Map<string, Thresholds>();
  const per = Array.from(t.dots, (_, e) => {
    const key = `${e % mh}:${t.ops.map((op) => e % channels(op.inShape)).join(',')}:${e % ca}`;
    let th = byFunction.get(key);
    if (!th) {
      const dir = direction(t, e) < 0 ? -1 : 1;
      const code = (dd: number) => activationCode(a, e % ca, dotValue(t, e, dd));
      const thr = new Float64Array(n);
      for (let l = 1; l <= n; l++) {
        // dir < 0: the largest d with code >= min + l, found on the mirrored (non-decreasing) predicate
        thr[l - 1] = dir > 0 ? firstTrue(-t.dMax, t.dMax, (dd) => code(dd) >= min + l) : -firstTrue(-t.dMax, t.dMax, (m) => code(-m) >= min + l);
      }
      byFunction.set(key, (th = { thr, dir }));
    }
    return th;
  });
  thresholdCache.set(a, per);
  return per;
}

/**
 * The activation's codes from the dots through integer thresholds: level l (code >= min + l) is the
 * set of d at or above (non-decreasing value) or at or below (non-increasing) a threshold found once per
 * distinct function (output channel, channel of each op, channel of the activation).
 */
function thresholdCodes(a: ActivationLayer, t: Dots): Coded {
  const dom = activationDomain(a);
  const n = dom.max - dom.min;
  const per = elementThresholds(a, t, n, dom.min);
  const codes = t.dots.map((d, e) => {
    const th = per[e]!;
    let c = dom.min;
    for (let l = 0; l < n; l++) if (th.dir > 0 ? d >= th.thr[l]! : d <= th.thr[l]!) c++;
    return c;
  });
  return { codes, scale: dom.scale, offset: dom.offset };
}

/** maxpool over dots: per channel the max of d (non-decreasing value), the min (non-increasing) or the first (constant). */
function poolDots(l: Extract<Layer, { type: 'maxpool' }>, t: Dots): Dots {
  const [, w, c] = l.inShape as [number, number, number];
  const [oh, ow] = l.outShape as [number, number, number];
  const out = new Float64Array(oh * ow * c);
  for (let oy = 0; oy < oh; oy++) {
    for (let ox = 0; ox < ow; ox++) {
      for (let ci = 0; ci < c; ci++) {
        const at = (py: number, px: number) => ((oy * l.strides[0] + py) * w + ox * l.strides[1] + px) * c + ci;
        const dir = direction(t, at(0, 0));
        let m = t.dots[at(0, 0)]!;
        for (let py = 0; py < l.pool[0]; py++) {
          for (let px = 0; px < l.pool[1]; px++) {
            const d = t.dots[at(py, px)]!;
            if ((dir > 0 && d > m) || (dir < 0 && d < m)) m = d;
          }
        }
        out[(oy * ow + ox) * c + ci] = m;
      }
    }
  }
  return { ...t, dots: out };
}

function integerStep(l: Layer, ins: Value[], dom: CodeDomains): Value {
  const x = ins[0]!;
  if (isDots(x)) {
    if (isActivation(l)) return thresholdCodes(l, x);
    if (isChannelOp(l)) return { ...x, ops: [...x.ops, l] };
    if (l.type === 'flatten') return x;
    if (l.type === 'maxpool') return poolDots(l, x);
  }
  const d = dom.get(l.inputs[0]!);
  if (isLinear(l) && !(x instanceof Float64Array) && !isDots(x) && d) return linearDots(l, x, d);
  return graphStep(l, ins.map(materialise));
}

/** The graph integer engine of a model: the per-model work (code domains) done once, then one call per input. */
export function graphIntegerEngine(model: Model): (codes: ArrayLike<number>) => Output {
  const dom = codeDomains(model);
  const { scale } = inputDomain(model.input.type);
  return (codes) => {
    const x = inputTensor(model, Array.from(codes, (c) => c * scale));
    const y = values(materialise(runGraph<Value>(model, x, (l, ins) => integerStep(l, ins, dom))));
    return model.output === 'argmax' ? argmax(y) : Array.from(y);
  };
}

/** Run the graph integer engine on one input given as integer codes (flattened HWC). */
export const inferGraphInteger = (model: Model, codes: ArrayLike<number>): Output => graphIntegerEngine(model)(codes);
