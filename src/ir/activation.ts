/**
 * The arithmetic of the activation layers (sign, quant, multithreshold): each turns a real value into an
 * integer code c, and its output tensor stands for the values scale * c + offset. Shared by the float
 * reference, the threshold folding and the loader, so that all of them round the same way.
 */
import type { ActivationLayer, QuantLayer } from './model.js';

/**
 * Round to the nearest integer, ties to the even one (ONNX Round, numpy.round, QONNX ROUND).
 * Works on |x| so that x - floor(x) is exact (Sterbenz); every float64 of magnitude >= 2^52 is an integer.
 */
export function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const a = Math.abs(x);
  if (a >= 2 ** 52) return x;
  const f = Math.floor(a);
  const d = a - f;
  const r = d > 0.5 || (d === 0.5 && f % 2 === 1) ? f + 1 : f;
  return r === 0 ? 0 : x < 0 ? -r : r;
}

/**
 * Code range of a quantiser, as the format defines it (issue 12): unsigned [0, 2^k - 1], signed
 * [-2^(k-1), 2^(k-1) - 1]; narrow drops the lowest signed code and leaves an unsigned range whole
 * (QONNX's narrow unsigned range [0, 2^k - 2] is refused by the importer, BNN032).
 */
export function quantRange(l: Pick<QuantLayer, 'bits' | 'signed' | 'narrow'>): { min: number; max: number } {
  if (l.signed) return { min: -(2 ** (l.bits - 1)) + (l.narrow ? 1 : 0), max: 2 ** (l.bits - 1) - 1 };
  return { min: 0, max: 2 ** l.bits - 1 };
}

/** The code range, scale and offset of an activation's output: value = scale * code + offset. */
export function activationDomain(l: ActivationLayer): { min: number; max: number; scale: number; offset: number } {
  switch (l.type) {
    case 'sign':
      return { min: -1, max: 1, scale: 1, offset: 0 };
    case 'quant':
      return { ...quantRange(l), scale: l.scale, offset: 0 };
    case 'multithreshold':
      return { min: 0, max: l.n, scale: l.outScale, offset: l.outBias };
  }
}

/** The code an activation gives the real value x in channel c (the last axis of its input). */
export function activationCode(l: ActivationLayer, c: number, x: number): number {
  switch (l.type) {
    case 'sign':
      return x >= 0 ? 1 : -1;
    case 'quant': {
      const r = quantRange(l);
      const q = roundHalfEven(x / l.scale);
      // NaN cannot arise from finite inputs; a NaN compares false and would keep the lowest code
      return q >= r.max ? r.max : q > r.min ? q : r.min;
    }
    case 'multithreshold': {
      const row = l.rows === 1 ? 0 : c;
      let k = 0;
      for (let i = 0; i < l.n; i++) if (x >= l.thresholds[row * l.n + i]!) k++;
      return k;
    }
  }
}

/** The value of a code: scale * code + offset, one product and one sum (no sum when the offset is 0). */
export function codeValue(scale: number, offset: number, code: number): number {
  return offset === 0 ? scale * code : scale * code + offset;
}

/**
 * The integer code that stands for a real padding value v under (scale, offset), or null when there is
 * none: c = (v - offset) / scale must be an integer with scale * c + offset === v exactly in float64.
 */
export function padCodeOf(v: number, scale: number, offset: number): number | null {
  const c = roundHalfEven((v - offset) / scale);
  return Number.isFinite(c) && codeValue(scale, offset, c) === v ? c : null;
}
