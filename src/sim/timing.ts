/**
 * Timing of a planned design from the cycle model: first-output latency (first input handshake to
 * first output handshake, unstalled) and steady-state cycles per frame.
 */
import type { HwPlan, Timing } from '../passes/plan.js';
import { stallPatterns } from './patterns.js';
import { simulate } from './engine.js';
import { checkCycleBudget } from './budget.js';

export const TIMING_FRAMES = 8;

/** Mean frame interval over the second half of a run (the unit the testbench reports too). */
export function steadyCycles(frameEnds: number[]): number | null {
  const f = frameEnds.length;
  if (f < 3) return null;
  const h = Math.floor(f / 2);
  return (frameEnds[f - 1]! - frameEnds[h - 1]!) / (f - h);
}

export function frameEnds(outCycles: number[], beatsPerFrame: number): number[] {
  const ends: number[] = [];
  for (let i = beatsPerFrame - 1; i < outCycles.length; i += beatsPerFrame) ends.push(outCycles[i]!);
  return ends;
}

export function predictTiming(plan: HwPlan, frames = TIMING_FRAMES): Timing & { simulatedCyclesPerFrame: number | null } {
  checkCycleBudget(plan, 'timing prediction');
  const beat = new Array<number>(plan.input.lanes).fill(0);
  const beats = { length: plan.input.beats * frames, at: () => beat };
  const r = simulate(plan, beats, plan.output.beats * frames, { patterns: stallPatterns(0, 0), timingOnly: true });
  return {
    cyclesPerFrame: plan.cyclesPerFrame,
    latencyCycles: r.firstOut - r.firstIn,
    simulatedCyclesPerFrame: steadyCycles(frameEnds(r.outCycles, plan.output.beats)),
  };
}
