/**
 * The simulator runs of `verify`, shared by chain designs (verify.ts) and graph designs
 * (graph-verify.ts): an unstalled timing run (at least 8 frames, inputs repeated) and, with a stall
 * probability, a run of every input with the seeded gap / backpressure patterns, both written once as
 * data files every simulator reads; each simulator (Icarus, Verilator, the TypeScript cycle model)
 * runs them; with more than one, every stream is traced and compared, cycle and data, with the first
 * simulator's (a run a watchdog stopped is compared by its report). The design kind supplies its beats,
 * stream names, watchdog bound and cycle model.
 */
import type { Timing } from '../passes/plan.js';
import type { Patterns } from '../sim/patterns.js';
import { stallPatterns } from '../sim/patterns.js';
import { frameEnds, steadyCycles } from '../sim/timing.js';
import { beatHexValue, beatValue } from '../sim/streams.js';
import type { Beat } from '../blocks/sim-base.js';
import { buildSim, runSim, writeRunData, type RtlRun, type RtlSimulator, type StreamTrace, type WatchdogReport } from './rtlsim.js';

/** The simulators verify can run: the RTL under Icarus or Verilator, or the TypeScript cycle model. */
export type Simulator = RtlSimulator | 'ts';
export const SIMULATORS: readonly Simulator[] = ['icarus', 'verilator', 'ts'];

/** One simulator's result of one run. */
export interface RunResult {
  mismatches: number;
  outBeats: number;
  outCycles: number[];
  firstIn: number;
  firstOut: number;
  cycles: number;
  /** the run ended before every output: timeout or watchdog */
  timeout: boolean;
  seconds: number;
  streams: Map<string, StreamTrace> | null;
  /** the watchdog's report when it stopped the run */
  watchdog: WatchdogReport | null;
}

/**
 * A TypeScript cycle-model run as a RunResult: its output beats compared with the run's expected ones,
 * its stream traces by name (tdata as hex of the stream's width).
 */
export function tsRunResult(
  run: RtlRun,
  r: { outBeats: Beat[]; outCount?: number; outCycles: number[]; firstIn: number; firstOut: number; cycles: number },
  seconds: number,
  traces: { name: string; width: number; cycles: number[]; data: Beat[] }[] | null,
): RunResult {
  let mismatches = 0;
  r.outBeats.forEach((b, j) => {
    const e = run.outBeats[j];
    if (!e || beatValue(b, run.outLaneW) !== beatValue(e, run.outLaneW)) mismatches++;
  });
  const streams = traces ? new Map(traces.map((t) => [t.name, { cycles: t.cycles, data: t.data.map((b) => beatHexValue(b, t.width)) }])) : null;
  const outCount = r.outCount ?? r.outBeats.length;
  return { mismatches, outBeats: outCount, outCycles: r.outCycles, firstIn: r.firstIn, firstOut: r.firstOut, cycles: r.cycles, timeout: outCount < run.outBeats.length, seconds, streams, watchdog: null };
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

/** A run stopped by a watchdog: which simulator, which run, and its report. */
export interface Deadlock extends WatchdogReport {
  simulator: Simulator;
  run: string;
}

export interface RunsReport {
  mismatches: number;
  simulators: Record<string, SimReport>;
  /** simulators whose measured timing differs from the plan */
  timingMismatch: string[];
  /** simulators whose stream handshakes differ from the reference simulator's */
  handshakeMismatch: string[];
  deadlocks: Deadlock[];
}

/** What the runs need to know about a design. */
export interface DesignRuns {
  designDir: string;
  vectors: number;
  /** the input and expected output beats of the given vectors, in order */
  frames: (idx: number[]) => { inBeats: number[][]; outBeats: number[][] };
  outPerFrame: number;
  cyclesPerFrame: number;
  timing: Timing;
  inLaneW: number;
  outLaneW: number;
  /** cycles without a handshake before the watchdog stops a run with these patterns */
  watchdog: (p: Patterns) => number;
  /** the traced streams' names (compared between simulators) */
  paths: string[];
  /** the TypeScript cycle model on a run's data files */
  runTs: (run: RtlRun, trace: boolean) => RunResult;
}

export interface RunOptions {
  simulators: Simulator[];
  seed: number;
  stall: number;
  progress: (msg: string) => void;
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

/** Two watchdog reports (or none) as one comparison: equal cycle, full and starved streams. */
function compareWatchdogs(a: WatchdogReport | null, b: WatchdogReport | null, names: [string, string], run: string): { handshakes: number; mismatches: number; first: string | null } {
  const list = (xs: readonly string[]) => [...xs].sort().join(', ') || 'none';
  const show = (w: WatchdogReport | null) => (w ? `watchdog at cycle ${w.cycle}, full: ${list(w.full)}; starved: ${list(w.starved)}` : 'no watchdog');
  const same = show(a) === show(b);
  return { handshakes: 0, mismatches: same ? 0 : 1, first: same ? null : `${run} run: ${names[0]} ${show(a)}, ${names[1]} ${show(b)}` };
}

export async function runSimulators(d: DesignRuns, o: RunOptions): Promise<RunsReport> {
  const tFrames = Math.max(8, d.vectors);
  const tIdx = Array.from({ length: tFrames }, (_, i) => i % d.vectors);
  const budget = (n: number) => 100 * (n + 4) * Math.max(d.cyclesPerFrame, d.timing.latencyCycles, 64);
  const base = { inLaneW: d.inLaneW, outLaneW: d.outLaneW };
  const quiet = stallPatterns(0, 0);
  const runs: { name: string; run: RtlRun }[] = [{ name: 'timing', run: { ...d.frames(tIdx), ...base, patterns: quiet, dataDir: 'tb/data/timing', timeoutCycles: budget(tFrames), watchdog: d.watchdog(quiet) } }];
  if (o.stall > 0) {
    const patterns = stallPatterns(o.stall, o.seed);
    const all = Array.from({ length: d.vectors }, (_, i) => i);
    runs.push({ name: 'stalled', run: { ...d.frames(all), ...base, patterns, dataDir: 'tb/data/stalled', timeoutCycles: budget(d.vectors) * 4, watchdog: d.watchdog(patterns) } });
  }
  for (const r of runs) writeRunData(d.designDir, r.run);
  const order = SIMULATORS.filter((s) => o.simulators.includes(s));
  // every simulator traces every stream when there is someone to compare with
  const trace = order.length > 1;
  const reference = order[0]!;
  const report: RunsReport = { mismatches: 0, simulators: {}, timingMismatch: [], handshakeMismatch: [], deadlocks: [] };
  const refRuns: RunResult[] = [];
  const frames = (r: RtlRun) => r.outBeats.length / d.outPerFrame;
  for (const sim of order) {
    const results: RunResult[] = [];
    if (sim === 'ts') {
      for (const r of runs) {
        o.progress(`ts: simulating ${frames(r.run)} frames (${r.name} run)`);
        results.push(d.runTs(r.run, trace));
      }
    } else {
      o.progress(`${sim}: building`);
      const cmd = await buildSim(sim, d.designDir, Math.max(...runs.map((r) => r.run.inBeats.length)), Math.max(...runs.map((r) => r.run.outBeats.length)));
      for (const r of runs) {
        o.progress(`${sim}: simulating ${frames(r.run)} frames (${r.name} run${r.name === 'stalled' ? `, stall probability ${o.stall}` : ''})`);
        const x = await runSim(sim, d.designDir, cmd, r.run, { trace });
        results.push({ ...x, timeout: x.timeout || x.watchdog !== null });
      }
    }
    results.forEach((x, k) => x.watchdog && report.deadlocks.push({ simulator: sim, run: runs[k]!.name, ...x.watchdog }));
    const bad = (x: RunResult, r: RtlRun) => x.mismatches + (x.timeout ? 1 : 0) + Math.abs(x.outBeats - r.outBeats.length);
    const t = results[0]!;
    const rep: SimReport = {
      mismatches: bad(t, runs[0]!.run),
      cyclesPerFrame: steadyCycles(frameEnds(t.outCycles, d.outPerFrame)),
      latencyCycles: t.firstOut - t.firstIn,
      seconds: results.reduce((a, x) => a + x.seconds, 0),
    };
    if (results[1]) {
      const st = results[1];
      rep.stalled = { mismatches: bad(st, runs[1]!.run), frames: st.outBeats / d.outPerFrame, cycles: st.cycles };
      rep.mismatches += rep.stalled.mismatches;
    }
    if (sim === reference) refRuns.push(...results);
    else if (trace) {
      const cmp: HandshakeComparison = { against: reference, streams: d.paths.length, handshakes: 0, mismatches: 0, first: null };
      results.forEach((x, k) => {
        const ref = refRuns[k]!;
        const c = ref.watchdog || x.watchdog ? compareWatchdogs(ref.watchdog, x.watchdog, [reference, sim], runs[k]!.name) : compareStreams(d.paths, ref.streams ?? new Map(), x.streams ?? new Map(), [reference, sim], runs[k]!.name);
        cmp.handshakes += c.handshakes;
        cmp.mismatches += c.mismatches;
        cmp.first ??= c.first;
      });
      rep.handshakes = cmp;
      if (cmp.mismatches > 0) report.handshakeMismatch.push(sim);
    }
    report.simulators[sim] = rep;
    report.mismatches = Math.max(report.mismatches, rep.mismatches);
    if (rep.cyclesPerFrame !== d.timing.cyclesPerFrame || rep.latencyCycles !== d.timing.latencyCycles) report.timingMismatch.push(sim);
  }
  return report;
}
