/**
 * The layers of a planned design: the block chain split into per-layer groups ([dwc] [swg] [fifo]
 * compute), each the wrapper module of one layer (or stage) in the generated RTL, with its module and
 * instance names (src/util/names.ts) and its stream widths.
 */
import type { ComputeBlock, HwBlock } from '../blocks/types.js';
import { blockInstance, layerUnit, libraryModule, stageUnit, unitInstance, unitModule } from '../util/names.js';
import type { HwPlan } from './plan.js';
import { kindOf, type Registry } from '../blocks/registry.js';
import { streamInfo, type StreamInfo } from './streams.js';

/** A block inside its layer wrapper. */
export interface Member {
  block: HwBlock;
  /** library module (bnn_<kind>) */
  module: string;
  /** instance in the wrapper (u_<kind>) */
  inst: string;
}

/** A layer of the design (one wrapper module), see groups(). */
export type Layer = Group;

export interface Group {
  /** layer name, or the stage name (argmax) for the stages bnn-hw adds; for reports, not for Verilog */
  name: string;
  /** naming unit (src/util/names.ts): layer_<layer> or the stage name */
  unit: string;
  /** wrapper module and its instance in the top level */
  module: string;
  inst: string;
  blocks: HwBlock[];
  /** per block: its library module and its instance name in the wrapper */
  members: Member[];
  /** index of its first block in the plan's block chain: its streams are plan.streams[first .. first + blocks.length] */
  first: number;
  compute: ComputeBlock;
  inWidth: number;
  outWidth: number;
}

export const outWidth = (b: HwBlock, registry?: Registry): number => kindOf(b, registry).outWidth(b);
export const inWidth = (b: HwBlock, registry?: Registry): number => kindOf(b, registry).inWidth(b);

/** Split the block chain into per-layer groups: the stream blocks ([dwc] [swg] [fifo]) and the compute block they feed. */
export function groups(plan: Pick<HwPlan, 'name' | 'blocks'>, registry?: Registry): Group[] {
  const out: Group[] = [];
  let pending: HwBlock[] = [];
  let first = 0;
  for (const b of plan.blocks) {
    pending.push(b);
    const k = kindOf(b, registry);
    if (k.role === 'stream') continue;
    const unit = k.unit === 'layer' ? layerUnit(b.name) : stageUnit(k.unit);
    const module = unitModule(plan.name, unit);
    const members = pending.map((m) => ({ block: m, module: libraryModule(m.kind), inst: blockInstance(m.kind) }));
    out.push({ name: b.name, unit, module, inst: unitInstance(unit), blocks: pending, members, first, compute: b as ComputeBlock, inWidth: inWidth(pending[0]!, registry), outWidth: outWidth(b, registry) });
    first += pending.length;
    pending = [];
  }
  return out;
}

/** The streams of a group: the one entering each of its blocks, then its output (plan.streams, see streams.ts). */
export const groupStreams = (streams: readonly StreamInfo[], g: Group): StreamInfo[] => streams.slice(g.first, g.first + g.blocks.length + 1);

/** Cycles per frame of a group: its compute block's (null for blocks without a fixed count). */
export const groupCycles = (g: Group, registry?: Registry): number | null => kindOf(g.compute, registry).cycles(g.compute);

/** The plan's layers and streams from its block chain (computed once per plan, by plan() and by passes that change blocks). */
export function layout(p: Omit<HwPlan, 'layers' | 'streams'>, registry?: Registry): HwPlan {
  const layers = groups(p, registry);
  return { ...p, layers, streams: streamInfo(p, layers, registry) };
}
