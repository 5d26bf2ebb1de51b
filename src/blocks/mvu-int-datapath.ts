/**
 * The datapath of mvu_int (bnn_intdot's DATAPATH): the choice rule between the add/subtract trees and
 * the bit-plane compressor, and the bit-plane datapath's resource features. Measured by
 * scripts/kdot-measure.mjs (docs/kbit-datapath.md).
 */
import type { MvuIntBlock } from './types.js';
import { bitplanePlan, popcountRegBits, type MvuIntDatapath } from './popcount-plan.js';
import type { Fabric } from './memory.js';
import { clog2 } from '../util/math.js';

/**
 * The widest input codes the compiler gives the bit-plane datapath on its own (the choice rule);
 * a folding file can still ask for it up to BITPLANE_MAX_PLANES bits. The 8-bit first layers (CNV,
 * the int-input examples) stay on add/subtract until their calibration includes the bit-plane datapath.
 */
export const BITPLANE_MAX_IN_W = 4;
/** Widest codes bnn_bitplane is used for at all (16-bit column-height fields, exact JS arithmetic). */
export const BITPLANE_MAX_PLANES = 16;

/** Structural LUT6 counts of one bit-plane datapath (bnn_intdot DATAPATH = 1). */
export function bitplaneCounts(b: Pick<MvuIntBlock, 'pe' | 'simd' | 'inW' | 'nf' | 'sf' | 'popStages'>, sumW: number) {
  const a = bitplanePlan(b.simd, b.inW, b.nf === 1 && b.sf === 1);
  const s = bitplanePlan(b.simd, b.inW, true);
  const cols = clog2(b.simd * (2 ** b.inW - 1) + 1);
  return {
    /** per PE: first level, counters, carry-propagate adder of A */
    a: a.faLuts + a.counterLuts + a.cpaBits,
    /** once: counters and carry-propagate adder of S */
    s: s.counterLuts + s.cpaBits,
    /** per PE: the subtraction 2A - S */
    sub: Math.min(sumW, cols + 1),
    /** pipeline flip-flops: every PE's compressor and the one of S */
    ff: b.pe * popcountRegBits(a, b.popStages, cols) + popcountRegBits(s, b.popStages, cols),
  };
}

/**
 * Provisional LUTs per structural LUT of the bit-plane datapath (A compressors, S compressor,
 * subtraction), from scripts/kdot-measure.mjs (docs/kbit-datapath.md) until the calibration sweep
 * includes a bit-plane layer. iCE40: not measured, 2 LUT4 per LUT6 output assumed.
 */
export const BITPLANE_PROVISIONAL: Record<Fabric, { a: number; s: number; sub: number }> = {
  xilinx: { a: 1.05, s: 1.16, sub: 1 },
  ice40: { a: 2, s: 2, sub: 1 },
};

/** Provisional LUT estimate of the bit-plane datapath of a layer. */
export function bitplaneLuts(b: Pick<MvuIntBlock, 'pe' | 'simd' | 'inW' | 'nf' | 'sf' | 'popStages'>, sumW: number, fabric: Fabric): number {
  const c = bitplaneCounts(b, sumW);
  const k = BITPLANE_PROVISIONAL[fabric];
  return b.pe * (k.a * c.a + k.sub * c.sub) + k.s * c.s;
}

/**
 * Below this SIMD, 3- and 4-bit codes stay on add/subtract: measured (docs/kbit-datapath.md, "Small
 * SIMD") at SIMD 4 and 8 the bit-plane datapath is larger or even for 4-bit codes (PE 1: 49 / 94 LUT
 * against 42 / 91), smaller from SIMD 16 on; 2-bit codes favour it at every SIMD measured.
 */
export const BITPLANE_MIN_SIMD = 16;

/**
 * The choice rule, from the measured LUTs per product (docs/kbit-datapath.md): the bit-plane
 * datapath for codes of at most 2 bits, and of at most BITPLANE_MAX_IN_W bits from SIMD >=
 * BITPLANE_MIN_SIMD; add/subtract otherwise.
 */
export function mvuIntDatapathFor(inW: number, simd: number): MvuIntDatapath {
  return inW <= BITPLANE_MAX_IN_W && (inW <= 2 || simd >= BITPLANE_MIN_SIMD) ? 'bitplane' : 'addsub';
}
