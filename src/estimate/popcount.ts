/**
 * Estimator views of the bnn_mvtu popcount compressor: the structure itself (column heights,
 * remainder rule, register placement) is computed once in src/blocks/popcount-plan.ts and passed to
 * the RTL (templates/lib/bnn_popcount.v) as parameters, with its register bits (popcountRegBits);
 * here only the LUT-depth bound is derived from it.
 */
import { adderTreeRegs, bitplanePlan, popcountRegs, spreadRegisters, type MvuIntDatapath, type PopcountPlan } from '../blocks/popcount-plan.js';

export { popcountPlan, popcountRegBits, type PopcountPlan } from '../blocks/popcount-plan.js';

/**
 * Documented bound on LUT levels between registers in the MVTU datapath: the compressor levels and
 * the accumulator adder (each counted as one LUT level; adders add a carry chain) split by the
 * POP_STAGES registers. The measured depth is reported by `bnn-hw synth --lut-depth`.
 */
export function lutDepthBound(p: PopcountPlan, popStages: number): number {
  const levels = p.total + 1; // + accumulator
  const regs = spreadRegisters(p.total, popStages);
  let worst = 0;
  let run = 0;
  for (let l = 1; l <= levels; l++) {
    run++;
    const r = l <= p.total ? regs[l]! : 0;
    if (r > 0) {
      worst = Math.max(worst, run);
      run = 0;
    }
  }
  return Math.max(worst, run);
}

/** Most logic levels between registers along a chain of levels (cost each) with regsAfter[l] registers after level l. */
function worstSegment(levels: { cost: number; regsAfter: number }[]): number {
  let worst = 0;
  let run = 0;
  for (const l of levels) {
    run += l.cost;
    if (l.regsAfter > 0) {
      worst = Math.max(worst, run);
      run = 0;
    }
  }
  return Math.max(worst, run);
}

/**
 * Documented bound on LUT levels between registers in bnn_intdot (the datapath of bnn_mvu_int), each
 * compressor level and each adder counted as one LUT level (carry chains not counted), with the
 * accumulator adder that follows in bnn_mvu_int when `withAcc`:
 * - add/subtract: negation and product multiplexer (2 levels), then the clog2(SIMD) adder-tree
 *   levels, registers after tree levels as adderTreeRegs;
 * - bit-plane (XNOR form): the compressor of a PE (bitplanePlan levels + carry-propagate adder,
 *   registers as popcountRegs); no subtraction (the constant enters at the accumulator's start).
 */
export function intdotDepthBound(datapath: MvuIntDatapath, simd: number, inW: number, popStages: number, withAcc: boolean): number {
  const acc = withAcc ? [{ cost: 1, regsAfter: 0 }] : [];
  const tree = adderTreeRegs(simd, popStages);
  const treeLevels = tree.slice(1).map((r) => ({ cost: 1, regsAfter: r }));
  const head = (cost: number) => ({ cost, regsAfter: tree[0]! });
  if (datapath === 'addsub') return worstSegment([head(2), ...treeLevels, ...acc]);
  const p = bitplanePlan(simd, inW, false);
  const r = popcountRegs(p, popStages);
  return worstSegment([
    { cost: p.fa, regsAfter: r[0]! },
    ...Array.from({ length: p.levels }, (_, j) => ({ cost: 1, regsAfter: r[j + 1]! })),
    { cost: 1, regsAfter: r[p.levels + 1]! },
    ...acc,
  ]);
}
