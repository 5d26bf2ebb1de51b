/**
 * The float64 reference: the semantics of the model format, written as plainly as possible.
 * Tensors are HWC (or 1-D): real values (Float64Array), or, after sign / quant / multithreshold, integer
 * codes with one scale and offset (value = scale * code + offset, formed only where a batchnorm / affine /
 * activation reads it, or at the output). Sums run in index order starting from 0; the bias is added
 * after the sum; batchnorm is ((x - mean) / Math.sqrt(variance + epsilon)) * gamma + beta in that order.
 * A linear layer reading codes sums S1 = sum(+-code) and S2 = sum(+-1) exactly and computes
 * scale * S1 + offset * S2 (no offset term when the offset is 0), then adds the bias.
 * Graphs (issue 13) run in file order (every layer reads only earlier layers). The model input is a code
 * tensor too: its codes at the input type's scale (2^-frac for fixed point, else 1), offset 0, which for
 * a chain gives the very values it always did (scaling by a power of two is exact). add / avgpool /
 * globalavgpool: see add() and avgpool() below.
 */
import type { AvgpoolLayer, GlobalAvgpoolLayer, Layer, LinearLayer, MaxpoolLayer, Model } from '../ir/model.js';
import { INPUT, channels, evalChannelOp } from '../ir/model.js';
import { activationCode, activationDomain, codeValue, padCodeOf } from '../ir/activation.js';
import { addAlignment, inputDomain, poolArea } from '../ir/graph.js';
import { linearSums } from './linear-sums.js';

export type Output = number | number[];

export function sign(x: number): number {
  return x >= 0 ? 1 : -1;
}

/** Index of the maximum; ties go to the lowest index. */
export function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[best]!) best = i;
  return best;
}

/** Integer codes with the scale and offset of the activation that made them. */
export interface Coded {
  codes: Float64Array;
  scale: number;
  offset: number;
}
export type Tensor = Float64Array | Coded;

/** The real values of a tensor (codes: scale * code + offset). */
export function values(t: Tensor): Float64Array {
  return t instanceof Float64Array ? t : t.codes.map((c) => codeValue(t.scale, t.offset, c));
}

/** A linear output from its sums: real input acc = sum(+-x); codes scale * S1 + offset * S2. */
function linearOut(x: Tensor, s1: number, s2: number, bias: number | null): number {
  const acc = x instanceof Float64Array ? s1 : x.offset === 0 ? x.scale * s1 : x.scale * s1 + x.offset * s2;
  return bias === null ? acc : acc + bias;
}

/** A dense or conv2d layer: its sums (linear-sums.ts) through linearOut. */
function linear(l: LinearLayer, x: Tensor): Float64Array {
  // codes pad with the code of the pad value (the loader checked that it exists, BNN027)
  const pad = l.type === 'dense' ? 0 : x instanceof Float64Array ? l.padValue : (padCodeOf(l.padValue, x.scale, x.offset) ?? NaN);
  const { s1, s2 } = linearSums(l, x instanceof Float64Array ? x : x.codes, pad);
  const mh = s2.length;
  return s1.map((s, e) => linearOut(x, s, s2[e % mh]!, l.bias ? l.bias[e % mh]! : null));
}

function maxpool(l: MaxpoolLayer, x: Float64Array): Float64Array {
  const [, w, c] = l.inShape as [number, number, number];
  const [oh, ow] = l.outShape as [number, number, number];
  const y = new Float64Array(oh * ow * c);
  for (let oy = 0; oy < oh; oy++) {
    for (let ox = 0; ox < ow; ox++) {
      for (let ci = 0; ci < c; ci++) {
        let m = -Infinity;
        for (let py = 0; py < l.pool[0]; py++) {
          for (let px = 0; px < l.pool[1]; px++) {
            const v = x[((oy * l.strides[0] + py) * w + ox * l.strides[1] + px) * c + ci]!;
            if (v > m) m = v;
          }
        }
        y[(oy * ow + ox) * c + ci] = m;
      }
    }
  }
  return y;
}

/**
 * add: two code tensors whose scales are s and s * 2^k (k >= 0) give the codes c_base + 2^k c_other at
 * the smaller scale s, offset o_a + o_b (one float64 addition); anything else the float64 sum of the values.
 */
export function add(a: Tensor, b: Tensor): Tensor {
  const al = a instanceof Float64Array || b instanceof Float64Array ? null : addAlignment(a.scale, b.scale);
  if (al && !(a instanceof Float64Array) && !(b instanceof Float64Array)) {
    const [base, other] = al.base === 0 ? [a, b] : [b, a];
    const f = 2 ** al.k;
    return { codes: base.codes.map((c, i) => c + f * other.codes[i]!), scale: base.scale, offset: a.offset + b.offset };
  }
  const vb = values(b);
  return values(a).map((v, i) => v + vb[i]!);
}

/**
 * avgpool / globalavgpool (a window of the whole image): per window the sum in (ky, kx) order, from 0.
 * Codes: the exact code sum, the scale divided by the window area, the offset unchanged. Real values:
 * the float64 sum divided by the area.
 */
export function avgpool(l: AvgpoolLayer | GlobalAvgpoolLayer, x: Tensor): Tensor {
  const [h, w, c] = l.inShape as [number, number, number];
  const [ph, pw] = l.type === 'avgpool' ? l.pool : [h, w];
  const [sh, sw] = l.type === 'avgpool' ? l.strides : [1, 1];
  const [oh, ow] = l.type === 'avgpool' ? (l.outShape as [number, number, number]) : [1, 1];
  const n = poolArea(l);
  const v = x instanceof Float64Array ? x : x.codes;
  const y = new Float64Array(oh * ow * c);
  for (let oy = 0; oy < oh; oy++) {
    for (let ox = 0; ox < ow; ox++) {
      for (let ci = 0; ci < c; ci++) {
        let s = 0;
        for (let ky = 0; ky < ph; ky++) for (let kx = 0; kx < pw; kx++) s += v[((oy * sh + ky) * w + ox * sw + kx) * c + ci]!;
        y[(oy * ow + ox) * c + ci] = x instanceof Float64Array ? s / n : s;
      }
    }
  }
  return x instanceof Float64Array ? y : { codes: y, scale: x.scale / n, offset: x.offset };
}

/** One layer on a tensor of real values or codes. Pools take the max of the codes (scale > 0). */
export function step(l: Exclude<Layer, { type: 'add' }>, x: Tensor): Tensor {
  switch (l.type) {
    case 'dense':
    case 'conv2d':
      return linear(l, x);
    case 'batchnorm':
    case 'affine': {
      const c = channels(l.inShape);
      return values(x).map((v, i) => evalChannelOp(l, i % c, v));
    }
    case 'sign':
    case 'quant':
    case 'multithreshold': {
      const c = channels(l.inShape);
      const d = activationDomain(l);
      return { codes: values(x).map((v, i) => activationCode(l, i % c, v)), scale: d.scale, offset: d.offset };
    }
    case 'maxpool':
      return x instanceof Float64Array ? maxpool(l, x) : { ...x, codes: maxpool(l, x.codes) };
    case 'flatten':
      return x;
    case 'globalavgpool':
    case 'avgpool':
      return avgpool(l, x);
  }
}

/** One layer on real values, giving real values. */
export function runLayer(l: Exclude<Layer, { type: 'add' }>, x: Float64Array): Float64Array {
  return values(step(l, x));
}

/** The model input as a code tensor: real values x stand for the codes x / scale (the input type's scale). */
export function inputTensor(model: Model, input: ArrayLike<number>): Coded {
  const { scale } = inputDomain(model.input.type);
  return { codes: Float64Array.from(input, (v) => v / scale), scale, offset: 0 };
}

/**
 * Evaluate the layers in file order, each on the tensors it reads; a tensor is dropped after its last
 * reader. `layerStep` computes one layer from its input tensors (the float reference's or another engine's).
 */
export function runGraph<T>(model: Model, input: T, layerStep: (l: Layer, ins: T[]) => T): T {
  const last = new Map<string, number>();
  model.layers.forEach((l, i) => l.inputs.forEach((n) => last.set(n, i)));
  const env = new Map<string, T>([[INPUT, input]]);
  let out = input;
  model.layers.forEach((l, i) => {
    out = layerStep(l, l.inputs.map((n) => env.get(n)!));
    for (const n of l.inputs) if (last.get(n) === i) env.delete(n);
    env.set(l.name, out);
  });
  return out;
}

/** The float reference's step for one layer of a graph. */
export function graphStep(l: Layer, ins: Tensor[]): Tensor {
  return l.type === 'add' ? add(ins[0]!, ins[1]!) : step(l, ins[0]!);
}

/** Run the float reference on one input (real values, flattened HWC). */
export function inferFloat(model: Model, input: ArrayLike<number>): Output {
  const y = values(runGraph<Tensor>(model, inputTensor(model, input), graphStep));
  return model.output === 'argmax' ? argmax(y) : Array.from(y);
}
