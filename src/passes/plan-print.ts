/** Stable text form of a planned design, for `--dump-after plan`. */
import { kindOf, type Registry } from '../blocks/registry.js';
import type { HwPlan } from './plan.js';

export function printPlan(p: HwPlan, registry?: Registry): string {
  const fmt = (s: { lanes: number; laneW: number; signed: boolean; beats: number }) => `${s.beats} beats x ${s.lanes} x ${s.laneW}${s.signed ? 's' : 'u'}`;
  return [`plan ${p.name} top ${p.top} cyclesPerFrame=${p.cyclesPerFrame}`, `input ${fmt(p.input)}`, ...p.blocks.map((b) => kindOf(b, registry).print(b)), `output ${p.output.kind} ${fmt(p.output)}`].join('\n') + '\n';
}
