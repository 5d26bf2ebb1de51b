/**
 * Stream stimulus shared by the RTL testbench and the TypeScript simulator: input beats, expected
 * output beats, and the seeded valid / ready patterns (cycle c uses pattern[c mod length]).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HwPlan } from '../passes/plan.js';
import { hexLanes } from '../util/hex.js';
import type { Patterns } from '../sim/patterns.js';

/** Input beats (lane values) of one frame of integer codes. */
export function inputBeats(plan: HwPlan, codes: readonly number[]): number[][] {
  const { lanes, beats, laneW } = plan.input;
  const out: number[][] = [];
  for (let b = 0; b < beats; b++) {
    const lane = codes.slice(b * lanes, (b + 1) * lanes);
    out.push(laneW === 1 && plan.ir.input.type.kind === 'bipolar' ? lane.map((v) => (v > 0 ? 1 : 0)) : lane);
  }
  return out;
}

/** Expected output beats of one frame: the label, or the last layer's integer scores PE per beat. */
export function outputBeats(plan: HwPlan, label: number | null, scores: readonly number[]): number[][] {
  if (plan.output.kind === 'argmax') return [[label!]];
  const out: number[][] = [];
  const { lanes, beats } = plan.output;
  for (let b = 0; b < beats; b++) out.push(scores.slice(b * lanes, (b + 1) * lanes));
  return out;
}

export const beatHex = (lanes: number[], laneW: number): string => hexLanes(lanes, laneW);

/** Read the pattern files a run's data folder holds (valid.pat, ready.pat: one 0/1 per line). */
export function readPatterns(dir: string): Patterns {
  const read = (f: string) => Uint8Array.from(readFileSync(join(dir, f), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => (l.trim() === '1' ? 1 : 0)));
  return { valid: read('valid.pat'), ready: read('ready.pat') };
}
