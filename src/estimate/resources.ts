/**
 * Resources of a block: its kind's structural features (blocks/, each descriptor's `features`) times
 * the calibrated constants of the fabric (constants.ts), plus the fixed (not fitted) block RAM, EBR,
 * DSP and LUTRAM counts, recursively over nested library instances.
 */
import type { HwBlock } from '../blocks/types.js';
import { kindOf, type Registry } from '../blocks/registry.js';
import { portKindOf } from '../blocks/port-registry.js';
import type { PortBlock } from '../blocks/port-types.js';
import { addRes, type EstimateOptions, type Features, type Resources } from '../blocks/features.js';
import type { Fabric } from '../blocks/memory.js';
import { CONSTANTS, type KindConstants } from './constants.js';
import { PROVISIONAL_FF, PROVISIONAL_LUT } from './provisional.js';

export { addRes, ZERO, type EstimateOptions, type Features, type Resources } from '../blocks/features.js';

export function blockFeatures(b: HwBlock, o: EstimateOptions, registry?: Registry): Features {
  return kindOf(b, registry).features(b, o);
}

/** features x constants; a feature without a calibrated constant takes its provisional one (provisional.ts) or 0 */
const dot = (feat: Partial<Record<string, number>>, c: Partial<Record<string, number>> | undefined, provisional?: Record<string, number>): number => {
  let s = 0;
  for (const [k, v] of Object.entries(feat)) s += v! * (c?.[k] ?? provisional?.[k] ?? 0);
  return s;
};

/** Apply the constants of a fabric to features (recursively for nested blocks). */
export function resourcesOf(f: Features, fabric: Fabric, consts: Record<string, KindConstants> = CONSTANTS[fabric]): Resources {
  const c = consts[f.kind];
  let r: Resources = { ...f.fixed, lut: f.fixed.lut + dot(f.lut, c?.lut, PROVISIONAL_LUT[fabric][f.kind]), ff: dot(f.ff, c?.ff, PROVISIONAL_FF[fabric][f.kind]) };
  for (const n of f.nested) r = addRes(r, resourcesOf(n, fabric, consts));
  return r;
}

export function estimateBlock(b: HwBlock, o: EstimateOptions, registry?: Registry): Resources {
  return roundRes(resourcesOf(blockFeatures(b, o, registry), o.fabric));
}

export function roundRes(r: Resources): Resources {
  return { lut: Math.round(r.lut), ff: Math.round(r.ff), bram18: r.bram18, ebr: r.ebr, dsp: r.dsp, lutram: Math.round(r.lutram) };
}

/**
 * Resources of a multi-port (graph) block (blocks/port-kind.ts): its kind's PROVISIONAL constants for
 * its own features, the calibrated ones for its nested library instances (FIFOs, output buffer).
 */
export function estimatePortBlock(b: PortBlock, o: EstimateOptions): Resources {
  const d = portKindOf(b);
  const consts = { ...CONSTANTS[o.fabric], [b.kind]: d.provisional[o.fabric] } as Record<string, KindConstants>;
  return roundRes(resourcesOf(d.features(b, o), o.fabric, consts));
}
