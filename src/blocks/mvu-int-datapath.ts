/**
 * The datapath of mvu_int (bnn_intdot's DATAPATH): the choice rule between the add/subtract trees and
 * the bit-plane compressor, and the bit-plane datapath's resource features. Measured by
 * scripts/kdot-measure.mjs (docs/kbit-datapath.md).
 */
import type { MvuIntBlock } from './types.js';
import { bitplanePlan, popcountRegBits, type MvuIntDatapath, type VerilogParam } from './popcount-plan.js';
import type { Fabric } from './memory.js';
import { clog2 } from '../util/math.js';

/**
 * The widest input codes the compiler gives the bit-plane datapath on its own (the choice rule);
 * a folding file can still ask for it up to BITPLANE_MAX_PLANES bits. The 8-bit first layers (CNV,
 * the int-input examples) stay on add/subtract until their calibration and synthesis baselines
 * include the bit-plane datapath, although it measured smaller for them too (docs/kbit-datapath.md).
 */
export const BITPLANE_MAX_IN_W = 4;
/** Widest codes bnn_bitplane is used for at all (16-bit column-height fields, exact JS arithmetic). */
export const BITPLANE_MAX_PLANES = 16;

type DatapathShape = Pick<MvuIntBlock, 'pe' | 'simd' | 'inW' | 'nf' | 'sf' | 'popStages' | 'accW'>;

/** Structural LUT6 counts of one bit-plane (XNOR-form) datapath (bnn_intdot DATAPATH = 1). */
export function bitplaneCounts(b: DatapathShape) {
  const a = bitplanePlan(b.simd, b.inW, b.nf === 1 && b.sf === 1);
  const cols = clog2(b.simd * (2 ** b.inW - 1) + 1);
  return {
    /** per PE: first level, counters, carry-propagate adder of the compressor */
    a: a.faLuts + a.counterLuts + a.cpaBits,
    /**
     * per PE: the constant ROM of -C_j (XC, ACC_W bits by NF entries) at the accumulator's start. Up to
     * NF = 16 it merges into the accumulator's LUTs (measured: no extra LUT at NF = 16, PE 4, ACC_W 12;
     * docs/kbit-datapath.md); above, ACC_W LUT6 per 64 entries are assumed.
     */
    xc: b.nf > 16 ? b.accW * Math.ceil(b.nf / 64) : 0,
    /** pipeline flip-flops: every PE's compressor */
    ff: b.pe * popcountRegBits(a, b.popStages, cols),
  };
}

/**
 * LUTs per structural LUT of the bit-plane datapath (compressors, constant ROM), from
 * scripts/kdot-measure.mjs (docs/kbit-datapath.md); iCE40: not measured, 2 LUT4 per LUT6 output
 * assumed. mvu_int's `bitplane` feature is this price, and the calibration fits one constant per
 * fabric on top of it (src/estimate/constants.ts).
 */
export const BITPLANE_PROVISIONAL: Record<Fabric, { a: number; xc: number }> = {
  xilinx: { a: 1.09, xc: 1 },
  ice40: { a: 2, xc: 1 },
};

/** The bit-plane datapath's LUTs at the kdot-measure price (mvu_int's `bitplane` feature). */
export function bitplaneLuts(b: DatapathShape, fabric: Fabric): number {
  const c = bitplaneCounts(b);
  const k = BITPLANE_PROVISIONAL[fabric];
  return b.pe * (k.a * c.a + k.xc * c.xc);
}

/**
 * The constant of the XNOR form for one weight row (bnn_intdot): the compressor's sum is d + C with
 * C = sum_i c(w_i), c(+1) = 0 and c(-1) = 2^k - 1 for unsigned k-bit codes, c(+1) = 2^(k-1) and
 * c(-1) = 2^(k-1) - 1 for signed ones. `pos` = +1 weights among the row's `mw`.
 */
export function xnorOffset(pos: number, mw: number, inW: number, signed: boolean): number {
  const neg = mw - pos;
  return signed ? 2 ** (inW - 1) * pos + (2 ** (inW - 1) - 1) * neg : (2 ** inW - 1) * neg;
}

/**
 * bnn_mvu_int's XC for DATAPATH = 1: neuron j's -C_j modulo 2^accW at bits j*accW (`weights`: mh x mw,
 * row-major, nonzero = +1, as IrLinear.weights).
 */
export function xnorOffsetParam(weights: ArrayLike<number>, mw: number, mh: number, inW: number, signed: boolean, accW: number): VerilogParam {
  const mod = 1n << BigInt(accW);
  let v = 0n;
  for (let j = 0; j < mh; j++) {
    let pos = 0;
    for (let i = 0; i < mw; i++) if (weights[j * mw + i]) pos++;
    const c = BigInt(xnorOffset(pos, mw, inW, signed));
    v |= (((-c % mod) + mod) % mod) << BigInt(j * accW);
  }
  return { name: 'XC', value: `${mh * accW}'h${v.toString(16)}` };
}

/**
 * The choice rule, from the measured LUTs per product (docs/kbit-datapath.md): the bit-plane (XNOR
 * form) datapath for codes of at most BITPLANE_MAX_IN_W bits, at every SIMD (measured smaller than
 * add/subtract at every point, SIMD 4 to 256, PE 1 to 16); add/subtract for wider codes.
 */
export function mvuIntDatapathFor(inW: number): MvuIntDatapath {
  return inW <= BITPLANE_MAX_IN_W ? 'bitplane' : 'addsub';
}
