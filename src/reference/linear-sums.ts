/**
 * The sums of a dense or conv2d layer, shared by the float reference (float.ts) and the graph integer
 * engine (graph-integer.ts): per output S1 = sum(+-x) over its window in index order (ky, kx, c),
 * starting from 0, padding taps reading `pad`; per row (filter) S2 = sum(+-1) over all its taps,
 * padding included. With codes as x both are exact integers; with real values S1 is the float
 * reference's sum, in its order.
 */
import type { LinearLayer } from '../ir/model.js';

export interface LinearSums {
  /** per output, HWC (dense: one per unit) */
  s1: Float64Array;
  /** per row */
  s2: Float64Array;
}

export function linearSums(l: LinearLayer, v: ArrayLike<number>, pad: number): LinearSums {
  const mh = l.type === 'dense' ? l.units : l.filters;
  const [kh, kw] = l.type === 'dense' ? [1, 1] : l.kernel;
  const fanIn = l.type === 'dense' ? l.fanIn : kh * kw * l.inShape[2]!;
  const s2 = new Float64Array(mh);
  for (let j = 0; j < mh; j++) for (let i = 0; i < fanIn; i++) s2[j]! += l.weights[j * fanIn + i] ? 1 : -1;
  if (l.type === 'dense') {
    const s1 = new Float64Array(mh);
    for (let j = 0; j < mh; j++) {
      let acc = 0;
      for (let i = 0; i < fanIn; i++) acc += l.weights[j * fanIn + i] ? v[i]! : -v[i]!;
      s1[j] = acc;
    }
    return { s1, s2 };
  }
  const [h, w, c] = l.inShape as [number, number, number];
  const [oh, ow] = l.outShape as [number, number, number];
  const [sh, sw] = l.strides;
  const s1 = new Float64Array(oh * ow * mh);
  for (let oy = 0; oy < oh; oy++) {
    for (let ox = 0; ox < ow; ox++) {
      for (let j = 0; j < mh; j++) {
        let acc = 0;
        let wi = j * fanIn;
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sh + ky - l.pad.top;
          for (let kx = 0; kx < kw; kx++) {
            const ix = ox * sw + kx - l.pad.left;
            const inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
            for (let ci = 0; ci < c; ci++, wi++) {
              const a = inside ? v[(iy * w + ix) * c + ci]! : pad;
              acc += l.weights[wi] ? a : -a;
            }
          }
        }
        s1[(oy * ow + ox) * mh + j] = acc;
      }
    }
  }
  return { s1, s2 };
}
