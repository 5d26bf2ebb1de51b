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
import { segmentStream, type GraphHwPlan } from '../passes/graph-types.js';
import { streamWidth, type StreamFormat } from '../blocks/types.js';
import { DiagnosticError, fail } from '../diagnostics/diagnostic.js';
import { writeOutputDir } from '../util/output-dir.js';
import { onInterrupt } from '../util/interrupt.js';
import { emitGraphDesign } from './graph-design.js';
import { buildSim, runSim, writeRunData, type RtlRun, type StreamTrace, type WatchdogReport } from './rtlsim.js';
import { readPatterns } from './stimulus.js';
import { compareStreams, SIMULATORS, type HandshakeComparison, type SimReport, type Simulator, type VerifyReport } from './verify.js';
import { stallPatterns } from '../sim/patterns.js';
import { frameEnds, steadyCycles } from '../sim/timing.js';
import { simulateGraph, watchdogBound } from '../sim/dag-engine.js';
import { simGraphOf } from '../sim/graph-sim.js';
import { beatHexValue, beatValue } from '../sim/streams.js';
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

/** A run stopped by a watchdog: which simulator, which run, and its report. */
export interface Deadlock extends WatchdogReport {
  simulator: Simulator;
  run: string;
}

export interface GraphVerifyReport extends VerifyReport {
  deadlocks: Deadlock[];
}

/** Input beats of one frame of codes in the graph input's format (bipolar +-1 codes as bits). */
export function graphInputBeats(model: Model, f: StreamFormat, codes: readonly number[]): number[][] {
  const out: number[][] = [];
  const bipolar = f.laneW === 1 && model.input.type.kind === 'bipolar';
  for (let b = 0; b < f.beats; b++) {
    const lane = codes.slice(b * f.lanes, (b + 1) * f.lanes);
    out.push(bipolar ? lane.map((v) => (v > 0 ? 1 : 0)) : lane);
  }
  return out;
}

/** Output beats of one frame: the label, or the scores `lanes` per beat. */
export function graphOutputBeats(g: GraphHwPlan, expected: number | number[]): number[][] {
  if (g.output.format.kind === 'argmax') return [[expected as number]];
  const s = expected as number[];
  const { lanes, beats } = g.output.format;
  return Array.from({ length: beats }, (_, b) => s.slice(b * lanes, (b + 1) * lanes));
}

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
  watchdog: WatchdogReport | null;
}

/** The lists of a BNN046 message (dag-engine.ts watchdogStop) as a watchdog report. */
function fromBnn046(e: DiagnosticError): WatchdogReport {
  const d = e.diagnostics[0]!;
  const m = /no progress for (\d+) cycles \(deadlock\) at cycle (\d+): full \(valid, not ready\): (.*); starved \(ready, not valid\): (.*)$/.exec(d.message);
  if (!m) throw e;
  const list = (s: string) => (s === 'none' ? [] : s.split(', '));
  return { bound: Number(m[1]), cycle: Number(m[2]), full: list(m[3]!), starved: list(m[4]!) };
}

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
    if (!(e instanceof DiagnosticError) || e.diagnostics[0]?.code !== 'BNN046') throw e;
    const wd = fromBnn046(e);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    return { mismatches: 0, outBeats: 0, outCycles: [], firstIn: -1, firstOut: -1, cycles: wd.cycle + 1, timeout: true, seconds, streams: null, watchdog: wd };
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  let mismatches = 0;
  r.outBeats.forEach((b, j) => {
    const e = run.outBeats[j];
    if (!e || beatValue(b, run.outLaneW) !== beatValue(e, run.outLaneW)) mismatches++;
  });
  let streams: Map<string, StreamTrace> | null = null;
  if (trace) {
    // stream 0 = input, 1..E = the SimGraph's edges, E + 1 = output (dag-engine.ts)
    const widths = new Map(streamWidths(g));
    const names = ['input', ...sg.edges.map((e) => e.name), 'output'];
    streams = new Map(names.map((n, s) => [n, { cycles: r.streamCycles![s]!, data: r.streamData![s]!.map((b) => beatHexValue(b, widths.get(n)!)) }]));
  }
  const outCount = r.outBeats.length;
  return { mismatches, outBeats: outCount, outCycles: r.outCycles, firstIn: r.firstIn, firstOut: r.firstOut, cycles: r.cycles, timeout: outCount < run.outBeats.length, seconds, streams, watchdog: null };
}

/** Two watchdog reports (or none) as one comparison: equal cycle, full and starved streams. */
function compareWatchdogs(a: WatchdogReport | null, b: WatchdogReport | null, names: [string, string], run: string): { handshakes: number; mismatches: number; first: string | null } {
  const show = (w: WatchdogReport | null) => (w ? `watchdog at cycle ${w.cycle}, full: ${w.full.join(', ') || 'none'}; starved: ${w.starved.join(', ') || 'none'}` : 'no watchdog');
  const same = show(a) === show(b);
  return { handshakes: 0, mismatches: same ? 0 : 1, first: same ? null : `${run} run: ${names[0]} ${show(a)}, ${names[1]} ${show(b)}` };
}

/** The tdata width of every traced stream, by name. */
function streamWidths(g: GraphHwPlan): [string, number][] {
  const out: [string, number][] = [['input', streamWidth(g.input.format)], ['output', streamWidth(g.output.format)]];
  for (const e of g.edges) out.push([e.name, streamWidth(e.format)]);
  for (const n of g.nodes) if (n.kind === 'segment') for (const s of n.plan.streams) out.push([segmentStream(n.name, s.path), s.width]);
  return out;
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
  const frames = (idx: number[]) => ({
    inBeats: idx.flatMap((i) => graphInputBeats(model, g.input.format, codes[i]!)),
    outBeats: idx.flatMap((i) => graphOutputBeats(g, o.expected[i]!)),
  });
  const tFrames = Math.max(8, codes.length);
  const tIdx = Array.from({ length: tFrames }, (_, i) => i % codes.length);
  const outPerFrame = g.output.format.kind === 'argmax' ? 1 : g.output.format.beats;
  const budget = (n: number) => 100 * (n + 4) * Math.max(g.cyclesPerFrame, timing.latencyCycles, 64);
  const base = { inLaneW: g.input.format.laneW, outLaneW: g.output.format.laneW };
  const bound = (p: ReturnType<typeof stallPatterns>) => o.watchdog ?? watchdogBound(g.cyclesPerFrame, p);
  const quiet = stallPatterns(0, 0);
  const runs: { name: string; run: RtlRun }[] = [{ name: 'timing', run: { ...frames(tIdx), ...base, patterns: quiet, dataDir: 'tb/data/timing', timeoutCycles: budget(tFrames), watchdog: bound(quiet) } }];
  if (o.stall > 0) {
    const patterns = stallPatterns(o.stall, o.seed);
    const all = Array.from({ length: codes.length }, (_, i) => i);
    runs.push({ name: 'stalled', run: { ...frames(all), ...base, patterns, dataDir: 'tb/data/stalled', timeoutCycles: budget(codes.length) * 4, watchdog: bound(patterns) } });
  }
  for (const r of runs) writeRunData(designDir, r.run);
  const order = SIMULATORS.filter((s) => o.simulators.includes(s));
  const trace = order.length > 1;
  const reference = order[0]!;
  const paths = graphTbStreams(g).map((s) => s.path);
  const report: GraphVerifyReport = { vectors: codes.length, mismatches: 0, plan: timing, simulators: {}, timingMismatch: [], handshakeMismatch: [], designDir, outputs: o.expected, deadlocks: [] };
  const refRuns: RunResult[] = [];
  for (const sim of order) {
    const results: RunResult[] = [];
    if (sim === 'ts') {
      for (const r of runs) {
        o.progress(`ts: simulating ${r.run.outBeats.length / outPerFrame} frames (${r.name} run)`);
        results.push(runGraphTs(g, designDir, r.run, trace));
      }
    } else {
      o.progress(`${sim}: building`);
      const cmd = await buildSim(sim, designDir, Math.max(...runs.map((r) => r.run.inBeats.length)), Math.max(...runs.map((r) => r.run.outBeats.length)));
      for (const r of runs) {
        o.progress(`${sim}: simulating ${r.run.outBeats.length / outPerFrame} frames (${r.name} run${r.name === 'stalled' ? `, stall probability ${o.stall}` : ''})`);
        const x = await runSim(sim, designDir, cmd, r.run, { trace });
        results.push({ ...x, timeout: x.timeout || x.watchdog !== null });
      }
    }
    results.forEach((x, k) => x.watchdog && report.deadlocks.push({ simulator: sim, run: runs[k]!.name, ...x.watchdog }));
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
        const ref = refRuns[k]!;
        // a run the watchdog stopped: its report (cycle, full and starved streams) is what is compared
        const c = ref.watchdog || x.watchdog ? compareWatchdogs(ref.watchdog, x.watchdog, [reference, sim], runs[k]!.name) : compareStreams(paths, ref.streams ?? new Map(), x.streams ?? new Map(), [reference, sim], runs[k]!.name);
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
