/**
 * The layers of a planned design: the block chain split into per-layer groups ([dwc] [swg] [fifo]
 * compute), each the wrapper module of one layer (or stage) in the generated RTL, with its module and
 * instance names (src/util/names.ts) and its stream widths.
 */
import type { ComputeBlock, HwBlock } from '../blocks/types.js';
import { layerUnit, stageUnit, unitInstance, unitModule } from '../util/names.js';
import type { HwPlan } from './plan.js';
import { layerCycles } from './folding.js';

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

export function outWidth(b: HwBlock): number {
  switch (b.kind) {
    case 'thresh_in':
      return b.pe;
    case 'mvtu':
    case 'mvu_int':
      return b.scores ? b.pe * b.accW : b.pe;
    case 'dwc':
      return b.outW;
    case 'fifo':
      return b.width;
    case 'argmax':
      return b.idxW;
    case 'swg':
      return b.params.SIMD * b.params.ELEM_W + b.params.PAD_MODE;
    case 'pool':
      return b.params.PE;
  }
}

export function inWidth(b: HwBlock): number {
  switch (b.kind) {
    case 'thresh_in':
      return b.pe * b.inW;
    case 'mvtu':
      return b.simd;
    case 'mvu_int':
      return b.simd * b.inW;
    case 'dwc':
      return b.inW;
    case 'fifo':
      return b.width;
    case 'argmax':
      return b.pe * b.scoreW;
    case 'swg':
      return b.params.SIMD * b.params.ELEM_W;
    case 'pool':
      return b.params.PE;
  }
}

/** Split the block chain into per-layer groups: [dwc] [fifo] compute. */
export function groups(plan: HwPlan): Group[] {
  const out: Group[] = [];
  let pending: HwBlock[] = [];
  for (const b of plan.blocks) {
    pending.push(b);
    if (b.kind === 'dwc' || b.kind === 'fifo' || b.kind === 'swg') continue;
    const unit = b.kind === 'argmax' ? stageUnit('argmax') : layerUnit(b.name);
    const module = unitModule(plan.name, unit);
    out.push({ name: b.name, unit, module, inst: unitInstance(unit), blocks: pending, compute: b, inWidth: inWidth(pending[0]!), outWidth: outWidth(b) });
    pending = [];
  }
  return out;
}

/** Cycles per frame of a group's compute block (null for blocks without a fixed count). */
export function groupCycles(g: Group): number | null {
  const b = g.compute;
  if (b.kind === 'mvtu' || b.kind === 'mvu_int') return layerCycles(b.stage, { pe: b.pe, simd: b.simd });
  return null;
}
