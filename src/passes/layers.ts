/**
 * The layers of a planned design: the block chain split into per-layer groups ([dwc] [swg] [fifo]
 * compute), each the wrapper module of one layer (or stage) in the generated RTL, with its module and
 * instance names (src/util/names.ts) and its stream widths.
 */
import type { ComputeBlock, HwBlock } from '../blocks/types.js';
import { layerUnit, stageUnit, unitInstance, unitModule } from '../util/names.js';
import type { HwPlan } from './plan.js';
import { kindOf, type Registry } from '../blocks/registry.js';

export interface Group {
  /** layer name, or the stage name (argmax) for the stages bnn-hw adds; for reports, not for Verilog */
  name: string;
  /** naming unit (src/util/names.ts): layer_<layer> or the stage name */
  unit: string;
  /** wrapper module and its instance in the top level */
  module: string;
  inst: string;
  blocks: HwBlock[];
  compute: ComputeBlock;
  inWidth: number;
  outWidth: number;
}

export const outWidth = (b: HwBlock, registry?: Registry): number => kindOf(b, registry).outWidth(b);
export const inWidth = (b: HwBlock, registry?: Registry): number => kindOf(b, registry).inWidth(b);

/** Split the block chain into per-layer groups: the stream blocks ([dwc] [swg] [fifo]) and the compute block they feed. */
export function groups(plan: HwPlan, registry?: Registry): Group[] {
  const out: Group[] = [];
  let pending: HwBlock[] = [];
  for (const b of plan.blocks) {
    pending.push(b);
    const k = kindOf(b, registry);
    if (k.role === 'stream') continue;
    const unit = k.unit === 'layer' ? layerUnit(b.name) : stageUnit(k.unit);
    const module = unitModule(plan.name, unit);
    out.push({ name: b.name, unit, module, inst: unitInstance(unit), blocks: pending, compute: b as ComputeBlock, inWidth: inWidth(pending[0]!, registry), outWidth: outWidth(b, registry) });
    pending = [];
  }
  return out;
}

/** Cycles per frame of a group: its compute block's (null for blocks without a fixed count). */
export const groupCycles = (g: Group, registry?: Registry): number | null => kindOf(g.compute, registry).cycles(g.compute);
