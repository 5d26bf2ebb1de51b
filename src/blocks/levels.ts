/**
 * k-bit activation codes in hardware: the lane format of a k-bit stream (one rule for every block and
 * stream) and the code of a value against its sorted thresholds, as bnn_levels computes it.
 */
import type { IrLevels } from '../ir/types.js';
import { clog2, signedBits } from '../util/math.js';
import type { BlockLevels } from './types.js';

/** Most thresholds per value bnn_levels takes (k <= 8 bits). */
export const MAX_LEVELS = 255;

/**
 * Bits (and signedness) of a stream lane holding every integer in [lo, hi]: two's complement when
 * lo < 0, else unsigned. k-bit codes travel as themselves (no offset), so the next layer's
 * add / subtract unit reads them like any integer input.
 */
export function laneFormat(lo: number, hi: number): { w: number; signed: boolean } {
  return lo < 0 ? { w: signedBits(lo, hi), signed: true } : { w: Math.max(1, clog2(hi + 1)), signed: false };
}

/**
 * The lane of the sum of n codes of the lane `elem` (a window sum, bnn_pool with SUM = 1): laneFormat of
 * n times either end of the lane's full range ([0, 2^w - 1] unsigned, [-2^(w-1), 2^(w-1) - 1] signed).
 */
export function windowSumLane(elem: { w: number; signed: boolean }, n: number): { w: number; signed: boolean } {
  const lo = elem.signed ? -(2 ** (elem.w - 1)) : 0;
  const hi = elem.signed ? 2 ** (elem.w - 1) - 1 : 2 ** elem.w - 1;
  return laneFormat(lo * n, hi * n);
}

/** The block parameters of a stage's levels: codes min .. min + n. */
export function blockLevels(l: IrLevels): BlockLevels {
  return { n: l.n, min: l.min, ...laneFormat(l.min, l.min + l.n) };
}

/** Verilog parameters of a block with levels (none without: the 1-bit defaults). */
export function levelParams(l: BlockLevels | null): { name: string; value: number }[] {
  return l ? [{ name: 'NTHR', value: l.n }, { name: 'OUT_BITS', value: l.w }, { name: 'OUT_MIN', value: l.min }] : [];
}

/** Bits per output lane of a thresholding block. */
export const codeBits = (l: BlockLevels | null): number => (l ? l.w : 1);
