/**
 * Plan-level resource estimate: per layer (the generated wrapper module <name>_<layer>: width
 * converter, FIFO, compute block and its ROMs) and in total, with a fit verdict for a device.
 */
import type { HwPlan } from '../passes/plan.js';
import type { Registry } from '../blocks/registry.js';
import type { Device, Fabric } from './devices.js';
import { addRes, estimateBlock, roundRes, ZERO, type EstimateOptions, type Resources } from './resources.js';

export interface BlockEstimate extends Resources {
  name: string;
  kind: string;
}

export interface LayerEstimate extends Resources {
  name: string;
  /** wrapper module name in the generated design */
  module: string;
  blocks: BlockEstimate[];
}

export type ResourceKey = 'lut' | 'ff' | 'bram18' | 'ebr' | 'dsp' | 'lutram';

export interface FitVerdict {
  name: string;
  fits: boolean;
  /** the resource with the highest utilisation and the layer using most of it */
  binding: { resource: ResourceKey; used: number; capacity: number; utilisation: number; layer: string };
  utilisation: Partial<Record<ResourceKey, number>>;
}

export interface PlanEstimate {
  fabric: Fabric;
  layers: LayerEstimate[];
  total: Resources;
}

export function estimatePlan(plan: HwPlan, o: EstimateOptions, registry?: Registry): PlanEstimate {
  const layers: LayerEstimate[] = plan.layers.map((g) => {
    const blocks = g.blocks.map((b) => ({ name: b.name, kind: b.kind, ...estimateBlock(b, o, registry) }));
    const sum = blocks.reduce<Resources>((a, b) => addRes(a, b), { ...ZERO });
    return { name: g.name, module: g.module, blocks, ...roundRes(sum) };
  });
  const total = layers.reduce<Resources>((a, b) => addRes(a, b), { ...ZERO });
  return { fabric: o.fabric, layers, total: roundRes(total) };
}

export function capacities(d: Device): Record<ResourceKey, number> {
  return { lut: d.lut, ff: d.ff, bram18: d.bram18, ebr: d.ebr, dsp: d.dsp, lutram: d.lutram };
}

/** Does the estimate fit the device? The binding resource is the one with the highest utilisation. */
export function fitVerdict(e: { total: Resources; layers: (Resources & { name: string })[] }, d: Device): FitVerdict {
  const cap = capacities(d);
  const keys: ResourceKey[] = d.fabric === 'xilinx' ? ['lut', 'ff', 'bram18', 'dsp', 'lutram'] : ['lut', 'ff', 'ebr', 'dsp'];
  const utilisation: Partial<Record<ResourceKey, number>> = {};
  let binding: ResourceKey = 'lut';
  let worst = -1;
  let fits = true;
  for (const k of keys) {
    const used = e.total[k];
    const u = cap[k] > 0 ? used / cap[k] : used > 0 ? Infinity : 0;
    utilisation[k] = Number.isFinite(u) ? Math.round(u * 10000) / 10000 : u;
    if (used > cap[k]) fits = false;
    if (u > worst) {
      worst = u;
      binding = k;
    }
  }
  const layer = e.layers.reduce((a, b) => (b[binding] > a[binding] ? b : a), e.layers[0]!);
  return { name: d.name, fits, binding: { resource: binding, used: e.total[binding], capacity: cap[binding], utilisation: worst, layer: layer.name }, utilisation };
}
