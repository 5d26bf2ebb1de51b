/**
 * Seeded random input values for a model input type given in the model format's JSON spelling
 * ('bipolar', 'uint8', 'int4', { fixed: { bits, frac } }): used by `verify` and the example generators.
 */
import type { Prng } from './prng.js';

export type InputTypeJson = string | { fixed: { bits: number; frac: number } };

/** Smallest and largest real value of an input type. */
export function inputStats(t: InputTypeJson): { lo: number; hi: number } {
  if (typeof t === 'object') return { lo: -(2 ** (t.fixed.bits - 1)) / 2 ** t.fixed.frac, hi: (2 ** (t.fixed.bits - 1) - 1) / 2 ** t.fixed.frac };
  if (t === 'bipolar') return { lo: -1, hi: 1 };
  const m = /^(u?)int(\d+)$/.exec(t)!;
  const bits = Number(m[2]);
  return m[1] ? { lo: 0, hi: 2 ** bits - 1 } : { lo: -(2 ** (bits - 1)), hi: 2 ** (bits - 1) - 1 };
}

/** A random input (real values) for a model's input type and size. */
export function randomInputValues(rng: Prng, n: number, t: InputTypeJson): number[] {
  const { lo, hi } = inputStats(t);
  if (t === 'bipolar') return Array.from({ length: n }, () => (rng.bool() ? 1 : -1));
  const step = typeof t === 'object' ? 2 ** -t.fixed.frac : 1;
  const codes = Math.round((hi - lo) / step);
  return Array.from({ length: n }, () => lo + rng.int(0, codes) * step);
}
