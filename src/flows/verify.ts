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
import type { RtlRun } from './rtlsim.js';
import { inputBeats, outputBeats, readPatterns } from './stimulus.js';
import type { HwPlan } from '../passes/plan.js';
import { deadlockBound, simulate } from '../sim/engine.js';

import { type RunResult, type RunsReport, type Simulator, runSimulators, tsRunResult } from './verify-runs.js';
export { SIMULATORS, compareStreams, type Deadlock, type HandshakeComparison, type RunResult, type SimReport, type Simulator } from './verify-runs.js';

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

/** The simulators' results (verify-runs.ts: mismatches, per simulator, timing / handshake mismatches, deadlocks) and the design's. */
export interface VerifyReport extends RunsReport {
  vectors: number;
  plan: { cyclesPerFrame: number; latencyCycles: number };
  designDir: string;
  /** the expected output of every vector (labels or scores): the reference every simulator was compared with */
  outputs: (number | number[])[];
}

export { type Expected, expectedOutputs, seededCodes, typeJson } from './expected.js';

/** The TypeScript simulator on a run's data files (the same pattern files the testbench reads). */
export function runTs(plan: HwPlan, designDir: string, run: RtlRun, trace: boolean): RunResult {
  const patterns = readPatterns(join(designDir, run.dataDir));
  const t0 = process.hrtime.bigint();
  const r = simulate(plan, run.inBeats, run.outBeats.length, { patterns, traceStreams: trace, traceData: trace, maxCycles: run.timeoutCycles });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const traces = trace ? plan.streams.map((s) => ({ name: s.path, width: s.width, cycles: r.streamCycles![s.index]!, data: r.streamData![s.index]! })) : null;
  return tsRunResult(run, r, seconds, traces);
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
    return await runVerify(await writeOutputDir(o.outDir ?? join(scratch!, 'design'), built.files, { force: o.force === true }), o, codes, built, exp);
  } finally {
    removeScratch();
    done();
  }
}

/** The rest of verify, in the design folder. */
async function runVerify(designDir: string, o: VerifyOptions, codes: number[][], built: ReturnType<typeof buildDesign>, exp: Expected): Promise<VerifyReport> {
  const { plan, timing } = built;
  o.progress(`design written to ${designDir}`);
  const runs = await runSimulators({
    designDir, vectors: codes.length, outPerFrame: plan.output.beats, cyclesPerFrame: plan.cyclesPerFrame, timing,
    frames: (idx) => ({
      inBeats: idx.flatMap((i) => inputBeats(plan, codes[i]!)),
      outBeats: idx.flatMap((i) => outputBeats(plan, typeof exp.outputs[i] === 'number' ? (exp.outputs[i] as number) : null, exp.scores[i]!)),
    }),
    inLaneW: plan.input.laneW, outLaneW: plan.output.laneW,
    // the testbench's watchdog stops a deadlocked RTL run at the cycle model's BNN110 bound
    watchdog: (p) => deadlockBound(plan, p),
    paths: plan.streams.map((s) => s.path),
    runTs: (run, trace) => runTs(plan, designDir, run, trace),
  }, o);
  return { vectors: codes.length, plan: timing, designDir, outputs: exp.outputs, ...runs };
}
