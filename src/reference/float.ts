/**
 * The float64 reference: the semantics of the model format, written as plainly as possible.
 * Tensors are HWC (or 1-D): real values (Float64Array), or, after sign / quant / multithreshold, integer
 * codes with one scale and offset (value = scale * code + offset, formed only where a batchnorm / affine /
 * activation reads it, or at the output). Sums run in index order starting from 0; the bias is added
 * after the sum; batchnorm is ((x - mean) / Math.sqrt(variance + epsilon)) * gamma + beta in that order.
 * A linear layer reading codes sums S1 = sum(+-code) and S2 = sum(+-1) exactly and computes
 * scale * S1 + offset * S2 (no offset term when the offset is 0), then adds the bias.
 */
import type { Conv2dLayer, DenseLayer, Layer, MaxpoolLayer, Model } from '../ir/model.js';
import { channels, evalChannelOp } from '../ir/model.js';
import { activationCode, activationDomain, codeValue, padCodeOf } from '../ir/activation.js';

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

function dense(l: DenseLayer, x: Tensor): Float64Array {
  const v = x instanceof Float64Array ? x : x.codes;
  const y = new Float64Array(l.units);
  for (let j = 0; j < l.units; j++) {
    let s1 = 0;
    let s2 = 0;
    const row = j * l.fanIn;
    for (let i = 0; i < l.fanIn; i++) {
      s1 += l.weights[row + i] ? v[i]! : -v[i]!;
      s2 += l.weights[row + i] ? 1 : -1;
    }
    y[j] = linearOut(x, s1, s2, l.bias ? l.bias[j]! : null);
  }
  return y;
}

function conv2d(l: Conv2dLayer, x: Tensor): Float64Array {
  const [h, w, c] = l.inShape as [number, number, number];
  // codes pad with the code of the pad value (the loader checked that it exists, BNN027)
  const pad = x instanceof Float64Array ? l.padValue : (padCodeOf(l.padValue, x.scale, x.offset) ?? NaN);
  const v = x instanceof Float64Array ? x : x.codes;
  const [oh, ow, f] = l.outShape as [number, number, number];
  const [kh, kw] = l.kernel;
  const [sh, sw] = l.strides;
  const y = new Float64Array(oh * ow * f);
  for (let oy = 0; oy < oh; oy++) {
    for (let ox = 0; ox < ow; ox++) {
      for (let n = 0; n < f; n++) {
        let s1 = 0;
        let s2 = 0;
        let wi = n * kh * kw * c;
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sh + ky - l.pad.top;
          for (let kx = 0; kx < kw; kx++) {
            const ix = ox * sw + kx - l.pad.left;
            const inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
            for (let ci = 0; ci < c; ci++, wi++) {
              const a = inside ? v[(iy * w + ix) * c + ci]! : pad;
              s1 += l.weights[wi] ? a : -a;
              s2 += l.weights[wi] ? 1 : -1;
            }
          }
        }
        y[(oy * ow + ox) * f + n] = linearOut(x, s1, s2, l.bias ? l.bias[n]! : null);
      }
    }
  }
  return y;
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

/** One layer on a tensor of real values or codes. Pools take the max of the codes (scale > 0). */
export function step(l: Layer, x: Tensor): Tensor {
  switch (l.type) {
    case 'dense':
      return dense(l, x);
    case 'conv2d':
      return conv2d(l, x);
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
  }
}

/** One layer on real values, giving real values. */
export function runLayer(l: Layer, x: Float64Array): Float64Array {
  return values(step(l, x));
}

/** Run the float reference on one input (real values, flattened HWC). */
export function inferFloat(model: Model, input: ArrayLike<number>): Output {
  let x: Tensor = Float64Array.from(input);
  for (const l of model.layers) x = step(l, x);
  const y = values(x);
  return model.output === 'argmax' ? argmax(y) : Array.from(y);
}
