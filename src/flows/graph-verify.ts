/**
 * verify for a graph design (issue 13): given inputs and their expected outputs (the caller's
 * reference), the emitted graph design runs under Icarus and / or Verilator, and the graph cycle model
 * (sim/dag-engine.ts on sim/graph-sim.ts's SimGraph) runs on the same data files: an unstalled timing
 * run (at least 8 frames) and, with `stall`, a run with the seeded gap / backpressure patterns. Every
 * run has the watchdog of the graph engine (watchdogBound; in the RTL the testbench's +watchdog): a
 * deadlock stops the run with the full and starved streams by name instead of running into the
 * timeout. With more than one simulator every stream (input, the segments' inner streams, the plan's
 * edges, output) is traced and compared, cycle and data, with the first simulator's. The report has
 * verify.ts's shape plus the deadlocks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Model } from '../ir/model.js';
import type { Timing } from '../passes/plan.js';
import type { GraphHwPlan } from '../passes/graph-types.js';
import type { StreamFormat } from '../blocks/types.js';
import { fail } from '../diagnostics/diagnostic.js';
import { writeOutputDir } from '../util/output-dir.js';
import { onInterrupt } from '../util/interrupt.js';
import { emitGraphDesign } from './graph-design.js';
import type { RtlRun } from './rtlsim.js';
import { codeBeats, readPatterns, resultBeats } from './stimulus.js';
import type { VerifyReport } from './verify.js';
import { type RunResult, type Simulator, runSimulators, tsRunResult } from './verify-runs.js';
import { GraphDeadlock, simulateGraph, watchdogBound } from '../sim/dag-engine.js';
import { simGraphOf } from '../sim/graph-sim.js';
import { graphTbStreams } from '../emit/graph.js';

export interface GraphVerifyOptions {
  simulators: Simulator[];
  /** input codes per vector (the model input's codes, as verify's --input) */
  inputs: number[][];
  /** expected output per vector: the label (argmax) or the integer scores */
  expected: (number | number[])[];
  seed: number;
  stall: number;
  /** keep the design here (replaced as `generate -o` replaces; `force` as --force); else a temporary folder */
  outDir?: string;
  force?: boolean;
  /** the watchdog bound of every run; default watchdogBound(plan.cyclesPerFrame, the run's patterns) */
  watchdog?: number;
  progress: (msg: string) => void;
}

/** verify's report (the deadlocks included). */
export type GraphVerifyReport = VerifyReport;

/** Input beats of one frame of codes in the graph input's format. */
export const graphInputBeats = (model: Model, f: StreamFormat, codes: readonly number[]): number[][] => codeBeats(f, model.input.type, codes);

/** Output beats of one frame: the label, or the integer scores `lanes` per beat. */
export const graphOutputBeats = (g: GraphHwPlan, expected: number | number[]): number[][] =>
  g.output.format.kind === 'argmax' ? resultBeats(g.output.format, expected as number, []) : resultBeats(g.output.format, null, expected as number[]);

/** The graph cycle model on a run's data files (the same pattern files the testbench reads). */
export function runGraphTs(g: GraphHwPlan, designDir: string, run: RtlRun, trace: boolean): RunResult {
  const patterns = readPatterns(join(designDir, run.dataDir));
  const sg = simGraphOf(g);
  const t0 = process.hrtime.bigint();
  const watchdog = run.watchdog ?? Number.MAX_SAFE_INTEGER;
  let r;
  try {
    r = simulateGraph(sg, run.inBeats, run.outBeats.length, { patterns, watchdog, maxCycles: run.timeoutCycles, traceStreams: trace, traceData: trace });
  } catch (e) {
    if (!(e instanceof GraphDeadlock)) throw e;
    const wd = e.report;
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    return { mismatches: 0, outBeats: 0, outCycles: [], firstIn: -1, firstOut: -1, cycles: wd.cycle + 1, timeout: true, seconds, streams: null, watchdog: wd };
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  // stream 0 = input, 1..E = the SimGraph's edges, E + 1 = output (dag-engine.ts), widths in the same order
  const names = ['input', ...sg.edges.map((e) => e.name), 'output'];
  const traces = trace ? names.map((name, s) => ({ name, width: sg.widths[s]!, cycles: r.streamCycles![s]!, data: r.streamData![s]! })) : null;
  return tsRunResult(run, r, seconds, traces);
}



export async function verifyGraph(model: Model, g: GraphHwPlan, timing: Timing, o: GraphVerifyOptions): Promise<GraphVerifyReport> {
  if (o.inputs.length === 0) fail('BNN070', '', 'no input vectors', 'give --vectors N (N >= 1) or --input FILE');
  if (o.expected.length !== o.inputs.length) throw new Error(`internal: ${o.inputs.length} inputs but ${o.expected.length} expected outputs`);
  const files = emitGraphDesign(model, g, timing);
  const scratch = o.outDir === undefined ? mkdtempSync(join(tmpdir(), 'bnn-hw-verify-')) : null;
  const removeScratch = () => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  };
  const done = scratch ? onInterrupt(removeScratch) : () => {};
  try {
    const dir = await writeOutputDir(o.outDir ?? join(scratch!, 'design'), files, { force: o.force === true });
    return await runGraphVerify(dir, model, g, timing, o);
  } finally {
    removeScratch();
    done();
  }
}

async function runGraphVerify(designDir: string, model: Model, g: GraphHwPlan, timing: Timing, o: GraphVerifyOptions): Promise<GraphVerifyReport> {
  o.progress(`design written to ${designDir}`);
  const codes = o.inputs;
  const runs = await runSimulators({
    designDir, vectors: codes.length, cyclesPerFrame: g.cyclesPerFrame, timing,
    outPerFrame: g.output.format.kind === 'argmax' ? 1 : g.output.format.beats,
    frames: (idx) => ({
      inBeats: idx.flatMap((i) => graphInputBeats(model, g.input.format, codes[i]!)),
      outBeats: idx.flatMap((i) => graphOutputBeats(g, o.expected[i]!)),
    }),
    inLaneW: g.input.format.laneW, outLaneW: g.output.format.laneW,
    watchdog: (p) => o.watchdog ?? watchdogBound(g.cyclesPerFrame, p),
    paths: graphTbStreams(g).map((s) => s.path),
    runTs: (run, trace) => runGraphTs(g, designDir, run, trace),
  }, o);
  return { vectors: codes.length, plan: timing, designDir, outputs: o.expected, ...runs };
}
