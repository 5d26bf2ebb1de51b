/**
 * The whole compile flow shared by `generate`, `verify`, `simulate` and `estimate`:
 * model -> front-end passes -> folding -> plan -> size-fifos (cycle model; also gives the timing) -> files.
 */
import type { Model } from '../ir/model.js';
import { compileFront, FRONT_PASSES, type FrontPass, type Pass } from '../passes/pipeline.js';
import { printPlan } from '../passes/plan-print.js';
import { defaultFolding, foldForTarget, parseFolding, readFolding, targetCycles, type Folding } from '../passes/folding.js';
import { plan, type HwPlan, type Timing } from '../passes/plan.js';
import { emitDesign } from './design.js';
import type { FileBody } from '../emit/design.js';
import { predictTiming } from '../sim/timing.js';
import { type FifoSizing, sizeFifos } from '../sim/fifo-sizing.js';
import { fail } from '../diagnostics/diagnostic.js';
import type { IrModel } from '../ir/types.js';
import { findDevice } from '../estimate/devices.js';
import { foldForResources, maxFpsFolding } from '../estimate/search.js';

export interface FoldOptions {
  /** a folding file, or its parsed JSON value ({"layers": [{"pe", "simd"}, ...]} or FINN's folding_config form) */
  fold?: string | object;
  targetFps?: number;
  clockMhz?: number;
  /** size the FIFOs from simulated occupancy (pass size-fifos; default true) */
  sizeFifos?: boolean;
  /** target device: with targetFps or maxFps the folding is chosen by estimated resources */
  device?: string;
  /** the fastest folding that fits the device */
  maxFps?: boolean;
}

export function chooseFolding(ir: IrModel, o: FoldOptions): Folding {
  if (o.fold && o.targetFps !== undefined) fail('BNN084', '', '--fold and --target-fps are alternatives', 'give one of them');
  const byResources = resourceAwareFolding(ir, o);
  if (byResources) return byResources;
  if (o.fold) return typeof o.fold === 'string' ? readFolding(o.fold, ir) : parseFolding(o.fold, ir);
  if (o.targetFps !== undefined) {
    if (!(o.targetFps > 0)) fail('BNN084', '', `--target-fps must be a positive number, found ${o.targetFps}`);
    const mhz = o.clockMhz ?? 100;
    if (!(mhz > 0)) fail('BNN084', '', `--clock-mhz must be a positive number, found ${o.clockMhz}`);
    return foldForTarget(ir, targetCycles(o.targetFps, mhz));
  }
  return defaultFolding(ir);
}

/**
 * Resource-aware folding (src/estimate/search.ts): with --device, --target-fps picks the folding with
 * the fewest estimated LUTs that meets the rate and fits; --max-fps the fastest that fits. Null when
 * no device or no rate was asked for (then the folding above is unchanged).
 */
export function resourceAwareFolding(ir: IrModel, o: FoldOptions): Folding | null {
  if (o.maxFps && (o.fold || o.targetFps !== undefined)) fail('BNN084', '', '--max-fps is an alternative to --fold and --target-fps', 'give one of them');
  if (o.maxFps && !o.device) fail('BNN084', '', '--max-fps needs --device', 'e.g. --max-fps --device xc7z020');
  if (!o.device || o.fold || (o.targetFps === undefined && !o.maxFps)) return null;
  const device = findDevice(o.device);
  if (o.maxFps) return maxFpsFolding(ir, device).folding;
  if (!(o.targetFps! > 0)) fail('BNN084', '', `--target-fps must be a positive number, found ${o.targetFps}`);
  const mhz = o.clockMhz ?? 100;
  if (!(mhz > 0)) fail('BNN084', '', `--clock-mhz must be a positive number, found ${o.clockMhz}`);
  return foldForResources(ir, targetCycles(o.targetFps!, mhz), device, device.fabric)!.folding;
}

export interface Built {
  plan: HwPlan;
  timing: Timing;
  files: Map<string, FileBody>;
  /** the size-fifos pass's report (null when it was turned off) */
  fifoSizing: FifoSizing | null;
}

export type Planned = Omit<Built, 'files'>;

/** The compile flow up to the sized plan and its timing, without writing the design's files. */
export function planDesign(model: Model, o: FoldOptions, dump?: { after: Pass; out: (t: string) => void }): Planned {
  const { ir } = compileFront(model, dump && (FRONT_PASSES as readonly string[]).includes(dump.after) ? { after: dump.after as FrontPass, out: dump.out } : undefined);
  const planned = plan(ir, chooseFolding(ir, o));
  if (dump?.after === 'plan') dump.out(printPlan(planned));
  let p = planned;
  let timing: Timing;
  let fifoSizing: FifoSizing | null = null;
  if (o.sizeFifos ?? true) {
    fifoSizing = sizeFifos(planned);
    p = fifoSizing.plan;
    // The analytical cycles per frame (the slowest block's beats) is exact for every dense layer and for
    // windows that emit at least as many beats as they read; an input-bound strided window loses a few
    // cycles per frame, and then the plan reports the cycle model's steady state, which the RTL hits.
    timing = { cyclesPerFrame: Math.max(p.cyclesPerFrame, fifoSizing.cyclesPerFrame ?? 0), latencyCycles: fifoSizing.latencyCycles };
  } else timing = predictTiming(p);
  if (dump?.after === 'size-fifos') dump.out(printPlan(p));
  return { plan: p, timing, fifoSizing };
}

export function buildDesign(model: Model, o: FoldOptions, dump?: { after: Pass; out: (t: string) => void }): Built {
  const planned = planDesign(model, o, dump);
  return { ...planned, files: emitDesign(model, planned.plan, planned.timing) };
}
