/**
 * verify: seeded (or given) inputs -> expected outputs from the reference -> generated design ->
 * RTL simulation(s) -> comparison. Every simulator gets an unstalled timing run (cycles per frame
 * and latency) and, with --stall, a stalled run with the seeded gap / backpressure patterns.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Model } from '../ir/model.js';
import { inputRange, prod } from '../ir/model.js';
import { inferFloat } from '../reference/float.js';
import { inferInteger } from '../reference/integer.js';
import { randomInputValues, type InputTypeJson } from '../util/modelgen.js';
import { Prng } from '../util/prng.js';
import { writeTreeAtomic } from '../util/fs.js';
import { fail } from '../diagnostics/diagnostic.js';
import { buildDesign, type FoldOptions } from './build.js';
import { buildSim, runSim, type RtlResult, type RtlSimulator } from './rtlsim.js';
import { inputBeats, outputBeats, stallPatterns } from './stimulus.js';
import type { HwPlan } from '../passes/plan.js';
import { frameEnds, steadyCycles } from '../sim/timing.js';

export interface VerifyOptions extends FoldOptions {
  simulators: RtlSimulator[];
  vectors: number;
  seed: number;
  stall: number;
  inputs?: number[][];
  outDir?: string;
  progress: (msg: string) => void;
}

export interface SimReport {
  mismatches: number;
  cyclesPerFrame: number | null;
  latencyCycles: number;
  stalled?: { mismatches: number; frames: number; cycles: number };
  seconds: number;
}

export interface VerifyReport {
  vectors: number;
  mismatches: number;
  plan: { cyclesPerFrame: number; latencyCycles: number };
  simulators: Record<string, SimReport>;
  /** simulators whose measured timing differs from the plan */
  timingMismatch: string[];
  designDir: string;
}

export function typeJson(model: Model): InputTypeJson {
  const t = model.input.type;
  return t.kind === 'fixed' ? { fixed: { bits: t.bits, frac: t.frac } } : t.kind === 'bipolar' ? 'bipolar' : `${t.kind}${t.bits}`;
}

export function seededCodes(model: Model, n: number, seed: number): number[][] {
  const rng = new Prng(seed);
  const scale = inputRange(model.input.type).scale;
  return Array.from({ length: n }, () => randomInputValues(rng, prod(model.input.shape), typeJson(model)).map((v) => v / scale));
}

export interface Expected {
  outputs: (number | number[])[];
  scores: number[][];
}

/** Expected outputs from the float reference, and the integer scores the hardware streams. */
export function expectedOutputs(model: Model, plan: HwPlan, codes: number[][]): Expected {
  const scale = inputRange(model.input.type).scale;
  const outputs: (number | number[])[] = [];
  const scores: number[][] = [];
  for (const c of codes) {
    const ref = inferFloat(model, c.map((v) => v * scale));
    const int = inferInteger(plan.ir, c);
    if (JSON.stringify(ref) !== JSON.stringify(int.output)) {
      throw new Error(`internal: integer engine ${JSON.stringify(int.output)} differs from the reference ${JSON.stringify(ref)}`);
    }
    outputs.push(ref);
    scores.push(int.scores);
  }
  return { outputs, scores };
}

export async function verify(model: Model, o: VerifyOptions): Promise<VerifyReport> {
  const codes = o.inputs ?? seededCodes(model, o.vectors, o.seed);
  if (codes.length === 0) fail('BNN070', '', 'no input vectors', 'give --vectors N (N >= 1) or --input FILE');
  const built = buildDesign(model, o);
  const { plan, timing } = built;
  const exp = expectedOutputs(model, plan, codes);
  const designDir = o.outDir ?? mkdtempSync(join(tmpdir(), 'bnn-hw-verify-'));
  writeTreeAtomic(designDir, built.files);
  o.progress(`design written to ${designDir}`);
  const frames = (cs: number[][], idx: number[]) => ({
    inBeats: idx.flatMap((i) => inputBeats(plan, cs[i]!)),
    outBeats: idx.flatMap((i) => outputBeats(plan, typeof exp.outputs[i] === 'number' ? (exp.outputs[i] as number) : null, exp.scores[i]!)),
  });
  // timing run: at least 8 frames (inputs repeated cyclically), never stalled
  const tFrames = Math.max(8, codes.length);
  const tIdx = Array.from({ length: tFrames }, (_, i) => i % codes.length);
  const outPerFrame = plan.output.beats;
  const budget = (n: number) => 100 * (n + 4) * Math.max(plan.cyclesPerFrame, timing.latencyCycles, 64);
  const report: VerifyReport = { vectors: codes.length, mismatches: 0, plan: timing, simulators: {}, timingMismatch: [], designDir };
  for (const sim of o.simulators) {
    o.progress(`${sim}: building`);
    const t = frames(codes, tIdx);
    const big = plan.blocks.reduce((n, b) => n + (b.kind === 'mvtu' || b.kind === 'mvu_int' ? b.pe * b.simd : 0), 0) > 8192;
    const cmd = await buildSim(sim, designDir, t.inBeats.length, t.outBeats.length, { big });
    o.progress(`${sim}: simulating ${tFrames} frames`);
    const base = { inLaneW: plan.input.laneW, outLaneW: plan.output.laneW, timeoutCycles: budget(tFrames) };
    const r: RtlResult = await runSim(sim, designDir, cmd, { ...t, ...base, patterns: stallPatterns(0, 0), dataDir: 'tb/data/timing' });
    const ends = frameEnds(r.outCycles, outPerFrame);
    const rep: SimReport = {
      mismatches: r.mismatches + (r.timeout ? 1 : 0) + Math.abs(r.outBeats - t.outBeats.length),
      cyclesPerFrame: steadyCycles(ends),
      latencyCycles: r.firstOut - r.firstIn,
      seconds: r.seconds,
    };
    if (o.stall > 0) {
      const all = Array.from({ length: codes.length }, (_, i) => i);
      const s = frames(codes, all);
      const cmd2 = s.inBeats.length > t.inBeats.length ? await buildSim(sim, designDir, s.inBeats.length, s.outBeats.length, { big }) : cmd;
      o.progress(`${sim}: simulating ${codes.length} frames with stall probability ${o.stall}`);
      const rs = await runSim(sim, designDir, cmd2, { ...s, ...base, timeoutCycles: budget(codes.length) * 4, patterns: stallPatterns(o.stall, o.seed), dataDir: 'tb/data/stalled' });
      rep.stalled = { mismatches: rs.mismatches + (rs.timeout ? 1 : 0) + Math.abs(rs.outBeats - s.outBeats.length), frames: rs.outBeats / outPerFrame, cycles: rs.cycles };
      rep.mismatches += rep.stalled.mismatches;
      rep.seconds += rs.seconds;
    }
    report.simulators[sim] = rep;
    report.mismatches = Math.max(report.mismatches, rep.mismatches);
    if (rep.cyclesPerFrame !== timing.cyclesPerFrame || rep.latencyCycles !== timing.latencyCycles) report.timingMismatch.push(sim);
  }
  if (!o.outDir) rmSync(designDir, { recursive: true, force: true });
  return report;
}
