/** Seeded random models the planner maps, with random legal foldings. */
import { compileFront } from '../../src/passes/pipeline.js';
import { plan as planOf, type HwPlan } from '../../src/passes/plan.js';
import { divisors, simdChoices } from '../../src/passes/folding.js';
import { linearStages } from '../../src/ir/types.js';
import { DiagnosticError } from '../../src/diagnostics/diagnostic.js';
import type { Model } from '../../src/ir/model.js';
import { Prng } from './prng.js';
import { randomModel } from './random-models.js';

/** A random legal folding (PE | MH, SIMD | MW, or | input channels for a convolution). */
export function randomFolding(rng: Prng, m: Model) {
  const { ir } = compileFront(m);
  const layers = linearStages(ir).map((l) => ({ pe: rng.pick(divisors(l.mh)), simd: rng.pick(simdChoices(l)) }));
  return { ir, folding: { layers, inputPe: null } };
}

/** Plans for seeded random models the planner supports (CNNs too, once it maps them). */
export function randomPlans(count: number, seed0: number): { model: Model; plan: HwPlan; seed: number }[] {
  const out: { model: Model; plan: HwPlan; seed: number }[] = [];
  for (let seed = seed0; out.length < count && seed < seed0 + 50 * count; seed++) {
    const model = randomModel(seed);
    const rng = new Prng(seed);
    try {
      const { ir, folding } = randomFolding(rng, model);
      out.push({ model, plan: planOf(ir, folding), seed });
    } catch (e) {
      if (e instanceof DiagnosticError && ['BNN090', 'BNN091'].includes(e.diagnostics[0]!.code)) continue; // not mappable (yet)
      throw e;
    }
  }
  return out;
}

