/**
 * The float64 reference: the semantics of the model format, written as plainly as possible.
 * Tensors are HWC (or 1-D) Float64Arrays. Sums run in index order starting from 0; the bias is added
 * after the sum; batchnorm is ((x - mean) / Math.sqrt(variance + epsilon)) * gamma + beta in that order.
 */
import type { Conv2dLayer, DenseLayer, Layer, MaxpoolLayer, Model } from '../ir/model.js';
import { channels, evalChannelOp } from '../ir/model.js';

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

function dense(l: DenseLayer, x: Float64Array): Float64Array {
  const y = new Float64Array(l.units);
  for (let j = 0; j < l.units; j++) {
    let acc = 0;
    const row = j * l.fanIn;
    for (let i = 0; i < l.fanIn; i++) acc += l.weights[row + i] ? x[i]! : -x[i]!;
    y[j] = l.bias ? acc + l.bias[j]! : acc;
  }
  return y;
}

function conv2d(l: Conv2dLayer, x: Float64Array): Float64Array {
  const [h, w, c] = l.inShape as [number, number, number];
  const [oh, ow, f] = l.outShape as [number, number, number];
  const [kh, kw] = l.kernel;
  const [sh, sw] = l.strides;
  const y = new Float64Array(oh * ow * f);
  for (let oy = 0; oy < oh; oy++) {
    for (let ox = 0; ox < ow; ox++) {
      for (let n = 0; n < f; n++) {
        let acc = 0;
        let wi = n * kh * kw * c;
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sh + ky - l.pad.top;
          for (let kx = 0; kx < kw; kx++) {
            const ix = ox * sw + kx - l.pad.left;
            const inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
            for (let ci = 0; ci < c; ci++, wi++) {
              const v = inside ? x[(iy * w + ix) * c + ci]! : l.padValue;
              acc += l.weights[wi] ? v : -v;
            }
          }
        }
        y[(oy * ow + ox) * f + n] = l.bias ? acc + l.bias[n]! : acc;
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

export function runLayer(l: Layer, x: Float64Array): Float64Array {
  switch (l.type) {
    case 'dense':
      return dense(l, x);
    case 'conv2d':
      return conv2d(l, x);
    case 'batchnorm':
    case 'affine': {
      const c = channels(l.inShape);
      return x.map((v, i) => evalChannelOp(l, i % c, v));
    }
    case 'sign':
      return x.map(sign);
    case 'maxpool':
      return maxpool(l, x);
    case 'flatten':
      return x;
  }
}

/** Run the float reference on one input (real values, flattened HWC). */
export function inferFloat(model: Model, input: ArrayLike<number>): Output {
  let x: Float64Array = Float64Array.from(input);
  for (const l of model.layers) x = runLayer(l, x);
  return model.output === 'argmax' ? argmax(x) : Array.from(x);
}
