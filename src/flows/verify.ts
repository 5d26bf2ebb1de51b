/**
 * verify: seeded (or given) inputs -> expected outputs from the reference -> generated design ->
 * simulation(s) -> comparison. Simulators: the generated RTL under Icarus and / or Verilator, and the
 * TypeScript cycle-accurate simulator. Every simulator gets an unstalled timing run (cycles per frame
 * and latency) and, with --stall, a stalled run with the seeded gap / backpressure patterns, both
 * read from the same data files. When more than one simulator runs, every one traces every stream
 * (top-level and inside the layer wrappers) and its handshakes, cycle and data, are compared with the
 * reference simulator's (Icarus when it runs).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Model } from '../ir/model.js';
import { writeOutputDir } from '../util/output-dir.js';
import { onInterrupt } from '../util/interrupt.js';
import { fail } from '../diagnostics/diagnostic.js';
import { buildDesign, type FoldOptions } from './build.js';
import { firstGraphLayer } from '../ir/graph.js';
import { verifyGraphModel } from './graph-verify-model.js';
import { type Expected, expectedOutputs, seededCodes } from './expected.js';
import { buildSim, runSim, writeRunData, type RtlResult, type RtlRun, type RtlSimulator, type StreamTrace } from './rtlsim.js';
import { inputBeats, outputBeats, readPatterns } from './stimulus.js';
import { stallPatterns } from '../sim/patterns.js';
import type { HwPlan } from '../passes/plan.js';
import { frameEnds, steadyCycles } from '../sim/timing.js';
import { deadlockBound, simulate } from '../sim/engine.js';
import { beatHexValue, beatValue } from '../sim/streams.js';

/** The simulators verify can run: the RTL under Icarus or Verilator, or the TypeScript cycle model. */
export type Simulator = RtlSimulator | 'ts';
export const SIMULATORS: readonly Simulator[] = ['icarus', 'verilator', 'ts'];

export interface VerifyOptions extends FoldOptions {
  simulators: Simulator[];
  vectors: number;
  seed: number;
  stall: number;
  inputs?: number[][];
  /** keep the design here (replaced as `generate -o` replaces; `force` as --force); else a temporary folder, removed at the end */
  outDir?: string;
  force?: boolean;
  progress: (msg: string) => void;
}

/** Handshakes of every stream of one simulator compared with those of the reference simulator. */
export interface HandshakeComparison {
  /** the simulator compared against (icarus when it ran) */
  against: Simulator;
  /** streams and handshakes compared (timing run and stalled run together) */
  streams: number;
  handshakes: number;
  /** handshakes whose cycle or data differ, plus missing or extra ones */
  mismatches: number;
  /** the first difference, readable */
  first: string | null;
}

export interface SimReport {
  mismatches: number;
  cyclesPerFrame: number | null;
  latencyCycles: number;
  stalled?: { mismatches: number; frames: number; cycles: number };
  seconds: number;
  handshakes?: HandshakeComparison;
}

export interface VerifyReport {
  vectors: number;
  mismatches: number;
  plan: { cyclesPerFrame: number; latencyCycles: number };
  simulators: Record<string, SimReport>;
  /** simulators whose measured timing differs from the plan */
  timingMismatch: string[];
  /** simulators whose stream handshakes differ from the reference simulator's */
  handshakeMismatch: string[];
  designDir: string;
  /** the expected output of every vector (labels or scores): the reference every simulator was compared with */
  outputs: (number | number[])[];
}

export { type Expected, expectedOutputs, seededCodes, typeJson } from './expected.js';

/** One run of one simulator, in a form common to the RTL and the TypeScript simulators. */
interface RunResult {
  mismatches: number;
  outBeats: number;
  outCycles: number[];
  firstIn: number;
  firstOut: number;
  cycles: number;
  timeout: boolean;
  seconds: number;
  streams: Map<string, StreamTrace> | null;
}

function fromRtl(r: RtlResult): RunResult {
  return { mismatches: r.mismatches, outBeats: r.outBeats, outCycles: r.outCycles, firstIn: r.firstIn, firstOut: r.firstOut, cycles: r.cycles, timeout: r.timeout || r.watchdog !== null, seconds: r.seconds, streams: r.streams };
}

/** The TypeScript simulator on a run's data files (the same pattern files the testbench reads). */
export function runTs(plan: HwPlan, designDir: string, run: RtlRun, trace: boolean): RunResult {
  const patterns = readPatterns(join(designDir, run.dataDir));
  const t0 = process.hrtime.bigint();
  const r = simulate(plan, run.inBeats, run.outBeats.length, { patterns, traceStreams: trace, traceData: trace, maxCycles: run.timeoutCycles });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  let mismatches = 0;
  r.outBeats.forEach((b, j) => {
    const e = run.outBeats[j];
    if (!e || beatValue(b, run.outLaneW) !== beatValue(e, run.outLaneW)) mismatches++;
  });
  let streams: Map<string, StreamTrace> | null = null;
  if (trace) {
    streams = new Map();
    for (const s of plan.streams) {
      streams.set(s.path, { cycles: r.streamCycles![s.index]!, data: r.streamData![s.index]!.map((b) => beatHexValue(b, s.width)) });
    }
  }
  return { mismatches, outBeats: r.outCount, outCycles: r.outCycles, firstIn: r.firstIn, firstOut: r.firstOut, cycles: r.cycles, timeout: r.outCount < run.outBeats.length, seconds, streams };
}

/** Compare every stream's handshakes (cycle and data) of `b` with the reference `a`. */
export function compareStreams(paths: string[], a: Map<string, StreamTrace>, b: Map<string, StreamTrace>, names: [string, string], run: string): { handshakes: number; mismatches: number; first: string | null } {
  let handshakes = 0;
  let mismatches = 0;
  let first: string | null = null;
  const none: StreamTrace = { cycles: [], data: [] };
  for (const p of paths) {
    const x = a.get(p) ?? none;
    const y = b.get(p) ?? none;
    const n = Math.max(x.cycles.length, y.cycles.length);
    handshakes += x.cycles.length;
    for (let j = 0; j < n; j++) {
      if (x.cycles[j] === y.cycles[j] && x.data[j] === y.data[j]) continue;
      mismatches++;
      const show = (t: StreamTrace) => (j < t.cycles.length ? `cycle ${t.cycles[j]} data ${t.data[j]}` : 'no handshake');
      first ??= `${run} run, stream ${p}, handshake ${j}: ${names[0]} ${show(x)}, ${names[1]} ${show(y)}`;
    }
  }
  return { handshakes, mismatches, first };
}

export async function verify(model: Model, o: VerifyOptions): Promise<VerifyReport> {
  const codes = o.inputs ?? seededCodes(model, o.vectors, o.seed);
  if (codes.length === 0) fail('BNN070', '', 'no input vectors', 'give --vectors N (N >= 1) or --input FILE');
  if (firstGraphLayer(model)) return verifyGraphModel(model, o, codes);
  const built = buildDesign(model, o);
  const exp = expectedOutputs(model, built.plan, codes);
  // without outDir: a private temporary folder, removed at the end, on failure and on SIGINT / SIGTERM
  const scratch = o.outDir === undefined ? mkdtempSync(join(tmpdir(), 'bnn-hw-verify-')) : null;
  const removeScratch = () => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  };
  const done = scratch ? onInterrupt(removeScratch) : () => {};
  try {
    return await runVerify(await writeOutputDir(o.outDir ?? join(scratch!, 'design'), built.files, { force: o.force === true }), model, o, codes, built, exp);
  } finally {
    removeScratch();
    done();
  }
}

/** The rest of verify, in the design folder. */
async function runVerify(designDir: string, model: Model, o: VerifyOptions, codes: number[][], built: ReturnType<typeof buildDesign>, exp: Expected): Promise<VerifyReport> {
  const { plan, timing } = built;
  o.progress(`design written to ${designDir}`);
  const frames = (cs: number[][], idx: number[]) => ({
    inBeats: idx.flatMap((i) => inputBeats(plan, cs[i]!)),
    outBeats: idx.flatMap((i) => outputBeats(plan, typeof exp.outputs[i] === 'number' ? (exp.outputs[i] as number) : null, exp.scores[i]!)),
  });
  // timing run: at least 8 frames (inputs repeated cyclically), never stalled; stalled run: every
  // input once with the seeded gap / backpressure patterns. Both are written once as data files
  // (input.hex, expected.hex, valid.pat, ready.pat) that every simulator reads.
  const tFrames = Math.max(8, codes.length);
  const tIdx = Array.from({ length: tFrames }, (_, i) => i % codes.length);
  const outPerFrame = plan.output.beats;
  const budget = (n: number) => 100 * (n + 4) * Math.max(plan.cyclesPerFrame, timing.latencyCycles, 64);
  const base = { inLaneW: plan.input.laneW, outLaneW: plan.output.laneW };
  // the testbench's watchdog stops a deadlocked RTL run at the cycle model's BNN110 bound
  const quiet = stallPatterns(0, 0);
  const runs: { name: string; run: RtlRun }[] = [{ name: 'timing', run: { ...frames(codes, tIdx), ...base, patterns: quiet, dataDir: 'tb/data/timing', timeoutCycles: budget(tFrames), watchdog: deadlockBound(plan, quiet) } }];
  if (o.stall > 0) {
    const all = Array.from({ length: codes.length }, (_, i) => i);
    const patterns = stallPatterns(o.stall, o.seed);
    runs.push({ name: 'stalled', run: { ...frames(codes, all), ...base, patterns, dataDir: 'tb/data/stalled', timeoutCycles: budget(codes.length) * 4, watchdog: deadlockBound(plan, patterns) } });
  }
  for (const r of runs) writeRunData(designDir, r.run);
  const order = SIMULATORS.filter((s) => o.simulators.includes(s));
  // every simulator traces every stream when there is someone to compare with
  const trace = order.length > 1;
  const reference = order[0]!;
  const paths = plan.streams.map((s) => s.path);
  const report: VerifyReport = { vectors: codes.length, mismatches: 0, plan: timing, simulators: {}, timingMismatch: [], handshakeMismatch: [], designDir, outputs: exp.outputs };
  const refRuns: RunResult[] = [];
  for (const sim of order) {
    const results: RunResult[] = [];
    if (sim === 'ts') {
      for (const r of runs) {
        o.progress(`ts: simulating ${r.run.outBeats.length / outPerFrame} frames (${r.name} run)`);
        results.push(runTs(plan, designDir, r.run, trace));
      }
    } else {
      o.progress(`${sim}: building`);
      const maxIn = Math.max(...runs.map((r) => r.run.inBeats.length));
      const maxOut = Math.max(...runs.map((r) => r.run.outBeats.length));
      const cmd = await buildSim(sim, designDir, maxIn, maxOut);
      for (const r of runs) {
        o.progress(`${sim}: simulating ${r.run.outBeats.length / outPerFrame} frames (${r.name} run${r.name === 'stalled' ? `, stall probability ${o.stall}` : ''})`);
        results.push(fromRtl(await runSim(sim, designDir, cmd, r.run, { trace })));
      }
    }
    const bad = (x: RunResult, r: RtlRun) => x.mismatches + (x.timeout ? 1 : 0) + Math.abs(x.outBeats - r.outBeats.length);
    const t = results[0]!;
    const rep: SimReport = {
      mismatches: bad(t, runs[0]!.run),
      cyclesPerFrame: steadyCycles(frameEnds(t.outCycles, outPerFrame)),
      latencyCycles: t.firstOut - t.firstIn,
      seconds: results.reduce((a, x) => a + x.seconds, 0),
    };
    if (results[1]) {
      const st = results[1];
      rep.stalled = { mismatches: bad(st, runs[1]!.run), frames: st.outBeats / outPerFrame, cycles: st.cycles };
      rep.mismatches += rep.stalled.mismatches;
    }
    if (sim === reference) refRuns.push(...results);
    else if (trace) {
      const cmp: HandshakeComparison = { against: reference, streams: paths.length, handshakes: 0, mismatches: 0, first: null };
      results.forEach((x, k) => {
        const c = compareStreams(paths, refRuns[k]!.streams ?? new Map(), x.streams ?? new Map(), [reference, sim], runs[k]!.name);
        cmp.handshakes += c.handshakes;
        cmp.mismatches += c.mismatches;
        cmp.first ??= c.first;
      });
      rep.handshakes = cmp;
      if (cmp.mismatches > 0) report.handshakeMismatch.push(sim);
    }
    report.simulators[sim] = rep;
    report.mismatches = Math.max(report.mismatches, rep.mismatches);
    if (rep.cyclesPerFrame !== timing.cyclesPerFrame || rep.latencyCycles !== timing.latencyCycles) report.timingMismatch.push(sim);
  }
  return report;
}
