/**
 * The whole compile flow shared by `generate`, `verify`, `simulate` and `estimate`:
 * model -> front-end passes -> folding -> plan -> timing (cycle model) -> files.
 */
import type { Model } from '../ir/model.js';
import { compileFront, type FrontPass, type Pass } from '../passes/pipeline.js';
import { printPlan } from '../passes/plan-print.js';
import { defaultFolding, foldForTarget, readFolding, targetCycles, type Folding } from '../passes/folding.js';
import { plan, type HwPlan } from '../passes/plan.js';
import { emitDesign, type Timing } from '../emit/design.js';
import { predictTiming } from '../sim/timing.js';
import { fail } from '../diagnostics/diagnostic.js';
import type { IrModel } from '../ir/types.js';

export interface FoldOptions {
  fold?: string;
  targetFps?: number;
  clockMhz?: number;
}

export function chooseFolding(ir: IrModel, o: FoldOptions): Folding {
  if (o.fold && o.targetFps !== undefined) fail('BNN084', '', '--fold and --target-fps are alternatives', 'give one of them');
  if (o.fold) return readFolding(o.fold, ir);
  if (o.targetFps !== undefined) {
    if (!(o.targetFps > 0)) fail('BNN084', '', `--target-fps must be a positive number, found ${o.targetFps}`);
    const mhz = o.clockMhz ?? 100;
    if (!(mhz > 0)) fail('BNN084', '', `--clock-mhz must be a positive number, found ${o.clockMhz}`);
    return foldForTarget(ir, targetCycles(o.targetFps, mhz));
  }
  return defaultFolding(ir);
}

export interface Built {
  plan: HwPlan;
  timing: Timing;
  files: Map<string, string>;
}

export function buildDesign(model: Model, o: FoldOptions, dump?: { after: Pass; out: (t: string) => void }): Built {
  const { ir } = compileFront(model, dump && dump.after !== 'plan' ? { after: dump.after as FrontPass, out: dump.out } : undefined);
  const p = plan(ir, chooseFolding(ir, o));
  if (dump?.after === 'plan') dump.out(printPlan(p));
  const timing = predictTiming(p);
  return { plan: p, timing, files: emitDesign(model, p, timing) };
}
