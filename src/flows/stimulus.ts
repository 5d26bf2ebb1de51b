/**
 * Stream stimulus shared by the RTL testbench and the TypeScript simulator: input beats, expected
 * output beats, and the seeded valid / ready patterns (cycle c uses pattern[c mod length]).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HwPlan } from '../passes/plan.js';
import type { InputType } from '../ir/model.js';
import type { StreamFormat } from '../blocks/types.js';
import { hexLanes } from '../util/hex.js';
import type { Patterns } from '../sim/patterns.js';

/** Input beats (lane values) of one frame of integer codes in a stream format (a bipolar input's +-1 as bits). */
export function codeBeats(f: StreamFormat, type: InputType, codes: readonly number[]): number[][] {
  const out: number[][] = [];
  const bipolar = f.laneW === 1 && type.kind === 'bipolar';
  for (let b = 0; b < f.beats; b++) {
    const lane = codes.slice(b * f.lanes, (b + 1) * f.lanes);
    out.push(bipolar ? lane.map((v) => (v > 0 ? 1 : 0)) : lane);
  }
  return out;
}

/** Expected output beats of one frame: the label (argmax), or the integer scores `lanes` per beat. */
export function resultBeats(f: StreamFormat & { kind: string }, label: number | null, scores: readonly number[]): number[][] {
  if (f.kind === 'argmax') return [[label!]];
  return Array.from({ length: f.beats }, (_, b) => scores.slice(b * f.lanes, (b + 1) * f.lanes));
}

/** Input beats of one frame of a chain design. */
export const inputBeats = (plan: HwPlan, codes: readonly number[]): number[][] => codeBeats(plan.input, plan.ir.input.type, codes);

/** Expected output beats of one frame of a chain design: the label, or the last layer's integer scores PE per beat. */
export const outputBeats = (plan: HwPlan, label: number | null, scores: readonly number[]): number[][] => resultBeats(plan.output, label, scores);

export const beatHex = (lanes: number[], laneW: number): string => hexLanes(lanes, laneW);

/** Read the pattern files a run's data folder holds (valid.pat, ready.pat: one 0/1 per line). */
export function readPatterns(dir: string): Patterns {
  const read = (f: string) => Uint8Array.from(readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => (l.trim() === '1' ? 1 : 0)));
  return { valid: read('valid.pat'), ready: read('ready.pat') };
}
