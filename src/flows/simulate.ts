/**
 * simulate: run the cycle-accurate TypeScript simulator on a model's planned design: outputs per
 * frame, the cycle of every output handshake, steady-state cycles per frame, latency, per-layer busy /
 * stall / starve percentages and the bottleneck layer, every output checked against the integer engine;
 * optionally a VCD of the stream signals.
 */
import type { Model } from '../ir/model.js';
import { planDesign, type FoldOptions } from './build.js';
import { FrameBeats, FrameChecker, expectedBeats, seededFrames } from './expected.js';
import { stallPatterns } from '../sim/patterns.js';
import { kindOf } from '../blocks/registry.js';
import type { HwBlock } from '../blocks/types.js';
import { fail } from '../diagnostics/diagnostic.js';
import { simulate, type SimResult } from '../sim/engine.js';
import { frameEnds, steadyCycles } from '../sim/timing.js';
import { VcdWriter } from '../sim/vcd.js';

export interface SimulateOptions extends FoldOptions {
  inputs?: number[][];
  vectors: number;
  seed: number;
  stall: number;
  vcd?: string;
}

export interface LayerActivity {
  name: string;
  kind: string;
  /** the layer's cycles per frame in the plan (null for blocks without a fixed count) */
  cycles: number | null;
  /** percentages of the simulated cycles: computing, output valid but not ready, input wanted but not valid */
  busy: number;
  stall: number;
  starve: number;
}

export interface SimulateReport {
  frames: number;
  outputs: (number | number[])[];
  outputCycles: number[];
  cyclesPerFrame: number | null;
  latencyCycles: number;
  cycles: number;
  /** frames whose output differs from the reference */
  mismatches: number;
  plan: { cyclesPerFrame: number; latencyCycles: number };
  layers: LayerActivity[];
  bottleneck: string;
  seconds: number;
}

/** Compute steps the block performed, from its handshake counts (every step of these blocks is one
 * input beat, except the MVUs, which take SF steps per output beat). */
function steps(b: HwBlock, s: SimResult['busy'][number]): number {
  return kindOf(b).steps(b, s);
}

/** The layer's cycles per frame: its compute block's (the manifest gives the same number). */
function layerPlanCycles(b: HwBlock): number | null {
  return kindOf(b).cycles(b);
}

export function simulateModel(model: Model, o: SimulateOptions): SimulateReport {
  const frames = o.inputs?.length ?? o.vectors;
  if (frames === 0) fail('BNN070', '', 'no input vectors', 'give --vectors N (N >= 1) or --input FILE');
  const { plan, timing } = planDesign(model, o);
  const perFrame = plan.output.beats;
  // Inputs stream frame by frame (given, or seeded as they are needed); each frame's expected output
  // beats are computed once, with the integer engine, when it enters the design, and checked and
  // dropped when its outputs leave: only the frames in flight are held.
  const seeded = o.inputs ? null : seededFrames(model, o.seed);
  const check = new FrameChecker(plan.output);
  const input = new FrameBeats(plan, frames, (f) => (seeded ? seeded() : o.inputs![f]!), (codes) => check.expect(expectedBeats(plan, codes)));
  const { onOutput, outputs, outputCycles } = check;
  const vcd = o.vcd !== undefined ? new VcdWriter(o.vcd, plan) : null;
  const t0 = process.hrtime.bigint();
  let r: SimResult;
  try {
    r = simulate(plan, input, perFrame * frames, {
      patterns: stallPatterns(o.stall, o.seed), keepOutputs: false, onOutput,
      ...(vcd ? { onCycle: (c, v, rd, d) => vcd.cycle(c, v, rd, d) } : {}),
    });
  } catch (e) {
    vcd?.abort();
    throw e;
  }
  vcd?.close();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  let index = 0;
  const layers: LayerActivity[] = plan.layers.map((g) => {
    index += g.blocks.length;
    const ci = index - 1;
    const b = plan.blocks[ci]!;
    const s = r.busy[ci]!;
    const pct = (x: number) => Number(((100 * x) / Math.max(1, r.cycles)).toFixed(1));
    return { name: g.name, kind: b.kind, cycles: layerPlanCycles(b), busy: pct(steps(b, s)), stall: pct(s.outStalls), starve: pct(s.inStarves) };
  });
  const bottleneck = layers.reduce((a, l) => (l.busy > a.busy ? l : a), layers[0]!).name;
  return {
    frames, outputs, outputCycles, cyclesPerFrame: steadyCycles(frameEnds(outputCycles, perFrame)),
    latencyCycles: r.firstOut - r.firstIn, cycles: r.cycles, mismatches: check.mismatches, plan: timing, layers, bottleneck, seconds,
  };
}
