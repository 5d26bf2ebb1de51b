import type { HwPlan } from '../passes/plan.js';
import type { Timing } from '../emit/design.js';

/** Placeholder until the cycle model lands. */
export function predictTiming(plan: HwPlan): Timing {
  return { cyclesPerFrame: plan.cyclesPerFrame, latencyCycles: 0 };
}
