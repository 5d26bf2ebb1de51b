/**
 * Estimator views of the bnn_mvtu popcount compressor: the structure itself (column heights,
 * remainder rule, register placement) is computed once in src/blocks/popcount-plan.ts and passed to
 * the RTL (templates/lib/bnn_popcount.v) as parameters, with its register bits (popcountRegBits);
 * here only the LUT-depth bound is derived from it.
 */
import { spreadRegisters, type PopcountPlan } from '../blocks/popcount-plan.js';

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
