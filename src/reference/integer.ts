/**
 * Integer, bit-packed inference over the IR: the arithmetic the hardware performs.
 * Binary activations are 0/1 per element between stages and packed 32 lanes per Uint32 word for the
 * XNOR-popcount dot products; integer first layers add and subtract input codes. The last layer's
 * integer scores go through the model's trailing bias / batchnorm / affine exactly as the float
 * reference computes them, so outputs agree bit for bit.
 */
import type { IrBinarize, IrLinear, IrModel, IrPool, IrPost } from '../ir/types.js';
import { channels } from '../ir/model.js';
import { evalChannelOp } from '../ir/model.js';
import { argmax, type Output } from './float.js';

export function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Pack 0/1 values (from offset, count n) into 32-bit words, lane 0 in the LSB. */
export function packBits(bits: ArrayLike<number>, offset: number, n: number, out = new Uint32Array(Math.ceil(n / 32))): Uint32Array {
  out.fill(0);
  for (let i = 0; i < n; i++) if (bits[offset + i]) out[i >>> 5]! |= 1 << (i & 31);
  return out;
}

const packedRows = new WeakMap<IrLinear, Uint32Array[]>();
/** The layer's weight rows packed into 32-bit words (computed once per layer, shared with the cycle model). */
export function rows(l: IrLinear): Uint32Array[] {
  let r = packedRows.get(l);
  if (!r) {
    r = [];
    for (let j = 0; j < l.mh; j++) r.push(packBits(l.weights, j * l.mw, l.mw));
    packedRows.set(l, r);
  }
  return r;
}

/** p = popcount(XNOR(x, w) & mask) over n valid lanes; mask null = all n lanes valid. */
function xnorPopcount(x: Uint32Array, w: Uint32Array, mask: Uint32Array | null, n: number): number {
  let p = 0;
  const words = x.length;
  for (let k = 0; k < words; k++) {
    let m = k === words - 1 && (n & 31) !== 0 ? (1 << (n & 31)) - 1 : -1;
    if (mask) m &= mask[k]!;
    p += popcount32(~(x[k]! ^ w[k]!) & m);
  }
  return p;
}

/** k-bit input codes: min + the number of thresholds passed (in the direction of the element). */
function quantizeInput(s: IrBinarize, codes: Float64Array): Float64Array {
  const { n, min } = s.levels!;
  const out = new Float64Array(codes.length);
  for (let e = 0; e < codes.length; e++) {
    const k = e % s.period;
    const x = codes[e]!;
    let c = min;
    for (let l = k * n; l < (k + 1) * n; l++) if (s.dir[k]! > 0 ? x >= s.thr[l]! : x <= s.thr[l]!) c++;
    out[e] = c;
  }
  return out;
}

function binarize(s: IrBinarize, codes: Float64Array): Uint8Array {
  const out = new Uint8Array(codes.length);
  for (let base = 0; base < codes.length; base += s.period) {
    const n = Math.min(s.period, codes.length - base);
    for (let k = 0; k < n; k++) {
      const e = base + k;
      out[e] = (s.dir[k]! > 0 ? codes[e]! >= s.thr[k]! : codes[e]! <= s.thr[k]!) ? 1 : 0;
    }
  }
  return out;
}

const windowCache = new WeakMap<IrLinear, Int32Array[]>();
/** Window indices of every position of a convolution are kept when they fit in this many entries. */
const WINDOW_CACHE_ENTRIES = 1 << 22;

/** The window of a convolution at an output position: the (ky, kx, c) input indices (-1 = padding). */
function windowIndex(l: IrLinear, pos: number): Int32Array {
  const positions = l.outShape[0]! * l.outShape[1]!;
  if (positions * l.mw > WINDOW_CACHE_ENTRIES) return computeWindow(l, pos);
  let cache = windowCache.get(l);
  if (!cache) windowCache.set(l, (cache = new Array<Int32Array>(positions)));
  return (cache[pos] ??= computeWindow(l, pos));
}

function computeWindow(l: IrLinear, pos: number): Int32Array {
  const [h, w, c] = l.inShape as [number, number, number];
  const ow = l.outShape[1]!;
  const oy = Math.floor(pos / ow);
  const ox = pos % ow;
  const { kernel, strides, pad } = l.conv!;
  const idx = new Int32Array(l.mw);
  let k = 0;
  for (let ky = 0; ky < kernel[0]; ky++) {
    const iy = oy * strides[0] + ky - pad.top;
    for (let kx = 0; kx < kernel[1]; kx++) {
      const ix = ox * strides[1] + kx - pad.left;
      const inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
      for (let ci = 0; ci < c; ci++) idx[k++] = inside ? (iy * w + ix) * c + ci : -1;
    }
  }
  return idx;
}

/** Integer dot products d (input code units) of a linear stage: positions x mh, HWC order. */
export function linearDots(l: IrLinear, x: Uint8Array | Float64Array): Float64Array {
  const positions = l.conv ? l.outShape[0]! * l.outShape[1]! : 1;
  const d = new Float64Array(positions * l.mh);
  const packed = new Uint32Array(Math.ceil(l.mw / 32));
  const w = l.input === 'binary' ? rows(l) : null;
  if (!l.conv) {
    // a dense layer's window is its whole input
    if (w) {
      packBits(x, 0, l.mw, packed);
      for (let j = 0; j < l.mh; j++) d[j] = 2 * xnorPopcount(packed, w[j]!, null, l.mw) - l.mw;
    } else {
      for (let j = 0; j < l.mh; j++) {
        let acc = 0;
        const row = j * l.mw;
        for (let i = 0; i < l.mw; i++) acc += l.weights[row + i] ? x[i]! : -x[i]!;
        d[j] = acc;
      }
    }
    return d;
  }
  const win = new Float64Array(l.mw);
  const bits = new Uint8Array(l.mw);
  const maskBits = new Uint8Array(l.mw);
  const mask = new Uint32Array(Math.ceil(l.mw / 32));
  for (let pos = 0; pos < positions; pos++) {
    const idx = windowIndex(l, pos);
    if (l.input === 'binary') {
      let valid = l.mw;
      let masked = false;
      for (let i = 0; i < l.mw; i++) {
        const src = idx[i]!;
        if (src >= 0) {
          bits[i] = x[src]!;
          maskBits[i] = 1;
        } else {
          bits[i] = l.conv!.padCode > 0 ? 1 : 0;
          maskBits[i] = l.conv!.padCode === 0 ? 0 : 1;
          if (l.conv!.padCode === 0) {
            masked = true;
            valid--;
          }
        }
      }
      packBits(bits, 0, l.mw, packed);
      if (masked) packBits(maskBits, 0, l.mw, mask);
      for (let j = 0; j < l.mh; j++) {
        const p = xnorPopcount(packed, w![j]!, masked ? mask : null, l.mw);
        d[pos * l.mh + j] = 2 * p - valid;
      }
    } else {
      for (let i = 0; i < l.mw; i++) win[i] = idx[i]! >= 0 ? x[idx[i]!]! : l.conv!.padCode;
      for (let j = 0; j < l.mh; j++) {
        let acc = 0;
        const row = j * l.mw;
        for (let i = 0; i < l.mw; i++) acc += l.weights[row + i] ? win[i]! : -win[i]!;
        d[pos * l.mh + j] = acc;
      }
    }
  }
  return d;
}

function thresholdBits(l: IrLinear, d: Float64Array): Uint8Array {
  const out = new Uint8Array(d.length);
  const thr = l.thr!;
  for (let base = 0; base < d.length; base += l.mh) for (let j = 0; j < l.mh; j++) out[base + j] = d[base + j]! >= thr[j]! ? 1 : 0;
  return out;
}

/** k-bit codes of a linear stage: min + the number of level thresholds d reaches. */
function thresholdLevels(l: IrLinear, d: Float64Array): Float64Array {
  const { n, min, thr } = l.levels!;
  const out = new Float64Array(d.length);
  for (let base = 0; base < d.length; base += l.mh) {
    for (let j = 0; j < l.mh; j++) {
      let c = min;
      for (let k = j * n; k < (j + 1) * n; k++) if (d[base + j]! >= thr[k]!) c++;
      out[base + j] = c;
    }
  }
  return out;
}

/** Max (OR on bits) or, per channel with `and` set, min (AND on bits) of the window's codes. */
function pool<T extends Uint8Array | Float64Array>(s: IrPool, x: T): T {
  const [, w, c] = s.inShape as [number, number, number];
  const [oh, ow] = s.outShape as [number, number, number];
  const out = (x instanceof Uint8Array ? new Uint8Array(oh * ow * c) : new Float64Array(oh * ow * c)) as T;
  for (let oy = 0; oy < oh; oy++) {
    for (let ox = 0; ox < ow; ox++) {
      for (let ci = 0; ci < c; ci++) {
        const and = s.and[ci] === 1;
        let v = and ? Infinity : -Infinity;
        for (let py = 0; py < s.pool[0]; py++) {
          for (let px = 0; px < s.pool[1]; px++) {
            const b = x[((oy * s.strides[0] + py) * w + ox * s.strides[1] + px) * c + ci]!;
            v = and ? Math.min(v, b) : Math.max(v, b);
          }
        }
        out[(oy * ow + ox) * c + ci] = v;
      }
    }
  }
  return out;
}

/** Integer scores -> the reference's float scores (same operations in the same order). */
/** The reference's float score of output element e (HWC index) whose integer dot product is d. */
export function postScore(l: IrLinear, post: IrPost, e: number, d: number): number {
  const acc = l.inOffset ? l.scale * d + l.inOffset.offset * l.inOffset.s2[e % l.mh]! : d * l.scale;
  let v = post.bias ? acc + post.bias[e % l.mh]! : acc;
  for (const op of post.ops) v = evalChannelOp(op, e % channels(op.inShape), v);
  return v;
}

/** Integer scores -> the reference's float scores (same operations in the same order). */
export function postScores(l: IrLinear, post: IrPost, d: ArrayLike<number>): Float64Array {
  const y = new Float64Array(d.length);
  for (let e = 0; e < d.length; e++) y[e] = postScore(l, post, e, d[e]!);
  return y;
}

export interface IntegerResult {
  output: Output;
  /** integer scores of the last layer (the hardware's score stream) */
  scores: number[];
}

/** Run the IR on one input given as integer codes (flattened HWC). */
export function inferInteger(ir: IrModel, codes: ArrayLike<number>): IntegerResult {
  let act: Uint8Array | Float64Array = Float64Array.from(codes);
  // bipolar inputs travel as bits into a linear layer; an input binariser or quantiser reads the codes
  // -1 / +1 (its thresholds are on them, and its hardware stream carries them as 2-bit signed lanes)
  const first = ir.stages.find((s) => s.op !== 'flatten');
  if (ir.input.type.kind === 'bipolar' && first?.op !== 'binarize') act = Uint8Array.from(act as Float64Array, (v) => (v > 0 ? 1 : 0));
  for (const s of ir.stages) {
    switch (s.op) {
      case 'binarize':
        act = s.levels ? quantizeInput(s, act as Float64Array) : binarize(s, act as Float64Array);
        break;
      case 'pool':
        act = pool(s, act);
        break;
      case 'flatten':
        break;
      case 'linear': {
        const d = linearDots(s, act);
        if (s.levels) act = thresholdLevels(s, d);
        else if (s.thr) act = thresholdBits(s, d);
        else {
          const values = postScores(s, s.post!, d);
          return { output: ir.output === 'argmax' ? argmax(values) : Array.from(values), scores: Array.from(d) };
        }
      }
    }
  }
  // output 'codes' (a graph segment): the trailing activation's codes, a sign's as -1 / +1
  if (ir.output === 'codes') return { output: Array.from(act, (v) => (act instanceof Uint8Array ? (v ? 1 : -1) : v)), scores: [] };
  throw new Error('internal: IR has no last linear stage');
}
