/**
 * The cycle-accurate simulator of a planned design, driven exactly like the RTL testbench
 * (templates/tb/tb.v.hbs): the same input offer rule, the same valid / ready patterns, the same cycle
 * numbering (cycle 0 ends at the first active clock edge after reset release).
 *
 * Per cycle: every block's register-only outputs (s_ready, m_valid, m_data) are read, which decides
 * every handshake of that cycle (no combinational path from a valid to a ready exists in the library,
 * docs/rtl-blocks.md), then every block takes its clock edge with the inputs it saw. This two-phase
 * order is what makes the model cycle-exact: a block can never see a value another block computes in
 * the same cycle, just as no register in the RTL can.
 *
 * Memory: the engine keeps the block state and a few counters per stream; per-cycle history is only
 * kept when asked for (traceStreams, traceData, onCycle). Inputs can be given as any indexable source
 * and outputs can be streamed to a callback, so a long run needs memory for the design only.
 */
import type { HwPlan } from '../passes/plan.js';
import type { Patterns } from './patterns.js';
import type { Beat, BlockSim } from '../blocks/sim-base.js';
import { blockSim } from '../blocks/registry.js';
import { DiagnosticError } from '../diagnostics/diagnostic.js';
import { streamLabel } from '../passes/streams.js';

/** Input beats: an array, or anything indexable with a length (generated on demand). */
export interface BeatSource {
  readonly length: number;
  at(i: number): Beat | undefined;
}

export interface SimOptions {
  patterns: Patterns;
  /** skip the datapath (values are not computed); handshake timing is unchanged */
  timingOnly?: boolean;
  maxCycles?: number;
  /** cycles without any handshake on any stream before a deadlock is declared (default: deadlockBound) */
  deadlockCycles?: number;
  /** record the handshake cycles of every stream (stream i = input of block i; the last = output) */
  traceStreams?: boolean;
  /** with traceStreams: also record the beat of every handshake */
  traceData?: boolean;
  /** called every cycle with the stream signals of that cycle (for VCD); the arrays are reused */
  onCycle?: (cycle: number, valid: readonly boolean[], ready: readonly boolean[], data: readonly (Beat | null)[]) => void;
  /** called for every output handshake */
  onOutput?: (beat: Beat, cycle: number, index: number) => void;
  /** keep the output beats and cycles in the result (default true) */
  keepOutputs?: boolean;
  /** block models to use instead of blockSim(plan.blocks[i]) (e.g. deep FIFOs for FIFO sizing) */
  sims?: BlockSim[];
  /** earliest cycle in which input beat i may be offered (default 0: the testbench's rule alone);
   * FIFO sizing uses it to feed frames at the planned rate */
  release?: (i: number) => number;
  /** blocks whose occupancy is tracked (peakOccupancy, needAtWrite): the FIFOs (default) or all */
  occupancy?: 'fifo' | 'all';
  /** 'compiled' (default): a stepping loop specialised to the block chain; 'interpreted': the plain
   * loop below, the executable specification the compiled one is tested against */
  engine?: 'compiled' | 'interpreted';
}

export interface StreamState {
  valid: boolean;
  ready: boolean;
  data: Beat | null;
}

export interface BlockStats {
  name: string;
  /** handshakes on the block's input / output stream */
  inBeats: number;
  outBeats: number;
  /** cycles with the output valid and not ready (backpressure) */
  outStalls: number;
  /** cycles with the input ready and not valid (starved) */
  inStarves: number;
  /** largest occupancy() after a clock edge (null: not tracked, see SimOptions.occupancy) */
  peakOccupancy: number | null;
  /** largest occupancy() + 1 in a cycle in which the input offered a beat: the depth a FIFO needs so
   * that it never refuses a beat in this run (a write into a full FIFO is refused even when a read
   * happens in the same cycle) */
  needAtWrite: number | null;
}

export interface SimResult {
  outBeats: Beat[];
  outCycles: number[];
  /** output handshakes (also when keepOutputs is false) */
  outCount: number;
  /** input beats consumed */
  inCount: number;
  firstIn: number;
  firstOut: number;
  lastOut: number;
  /** simulated cycles (cycle index of the last output handshake + 1, or maxCycles) */
  cycles: number;
  /** per stream: the cycles of its handshakes */
  streamCycles: number[][] | null;
  /** per stream: the beats of its handshakes (traceData) */
  streamData: Beat[][] | null;
  /** per block statistics (index = block) */
  busy: BlockStats[];
}

/** Longest run of zeros in a cyclic 0/1 pattern (its length when it is all zeros). */
export function longestZeroRun(p: Uint8Array): number {
  const n = p.length;
  let best = 0;
  let run = 0;
  for (let i = 0; i < 2 * n; i++) {
    if (p[i % n] === 0) {
      run++;
      if (run > best) best = run;
      if (run >= n) return n;
    } else run = 0;
  }
  return best;
}

/**
 * Default deadlock bound: in a working design some stream makes a handshake at least once per
 * frame interval of the slowest layer (every block hands on a beat at least once per result it
 * computes), unless the testbench withholds input or output: the longest gap of each pattern is added.
 */
export function deadlockBound(plan: HwPlan, patterns: Patterns): number {
  return 1024 + 2 * plan.cyclesPerFrame + longestZeroRun(patterns.valid) + longestZeroRun(patterns.ready);
}

/** Everything a run needs, shared by the interpreted and the compiled loop. */
interface RunContext {
  plan: HwPlan;
  blocks: BlockSim[];
  input: BeatSource;
  nExp: number;
  vpat: Uint8Array;
  rpat: Uint8Array;
  maxCycles: number;
  bound: number;
  keep: boolean;
  track: boolean[];
  outBeats: Beat[];
  outCycles: number[];
  streamCycles: number[][] | null;
  streamData: Beat[][] | null;
  onCycle: SimOptions['onCycle'] | null;
  onOutput: SimOptions['onOutput'] | null;
  release: ((i: number) => number) | null;
  // results
  hsCount: Float64Array;
  stallCount: Float64Array;
  starveCount: Float64Array;
  peak: Float64Array;
  need: Float64Array;
  end: { inCount: number; firstIn: number; firstOut: number; lastOut: number; outCount: number; cycles: number };
  deadlock: (sv: boolean[], sr: boolean[], cycle: number, iIn: number, nOut: number) => never;
}

export function simulate(plan: HwPlan, input: BeatSource, outBeatsExpected: number, o: SimOptions): SimResult {
  const blocks: BlockSim[] = o.sims ?? plan.blocks.map((b) => blockSim(b, o.timingOnly ?? false));
  const n = blocks.length;
  const bound = o.deadlockCycles ?? deadlockBound(plan, o.patterns);
  const trace = o.traceStreams ?? false;
  const cx: RunContext = {
    plan, blocks, input, nExp: outBeatsExpected, vpat: o.patterns.valid, rpat: o.patterns.ready, maxCycles: o.maxCycles ?? Infinity, bound,
    keep: o.keepOutputs ?? true, track: blocks.map((_, i) => o.occupancy === 'all' || plan.blocks[i]?.kind === 'fifo'),
    outBeats: [], outCycles: [],
    streamCycles: trace ? Array.from({ length: n + 1 }, () => [] as number[]) : null,
    streamData: trace && o.traceData ? Array.from({ length: n + 1 }, () => [] as Beat[]) : null,
    onCycle: o.onCycle ?? null, onOutput: o.onOutput ?? null, release: o.release ?? null,
    hsCount: new Float64Array(n + 1), stallCount: new Float64Array(n + 1), starveCount: new Float64Array(n + 1),
    peak: new Float64Array(n), need: new Float64Array(n),
    end: { inCount: 0, firstIn: -1, firstOut: -1, lastOut: -1, outCount: 0, cycles: 0 },
    deadlock: (sv, sr, cycle, iIn, nOut) => deadlock(plan, blocks, sv, sr, cycle, bound, iIn, input.length, nOut, outBeatsExpected),
  };
  if (o.engine === 'interpreted') interpret(cx);
  else compiled(blocks, cx.track, trace, cx.streamData !== null, cx.onCycle !== null, cx.release !== null)(cx);
  const e = cx.end;
  return {
    outBeats: cx.outBeats, outCycles: cx.outCycles, outCount: e.outCount, inCount: e.inCount, firstIn: e.firstIn, firstOut: e.firstOut, lastOut: e.lastOut,
    cycles: e.cycles, streamCycles: cx.streamCycles, streamData: cx.streamData,
    busy: blocks.map((b, i) => ({
      name: b.name, inBeats: cx.hsCount[i]!, outBeats: cx.hsCount[i + 1]!, outStalls: cx.stallCount[i + 1]!, inStarves: cx.starveCount[i]!,
      peakOccupancy: cx.track[i] ? cx.peak[i]! : null, needAtWrite: cx.track[i] ? cx.need[i]! : null,
    })),
  };
}

/**
 * The plain stepping loop: the executable specification of one cycle. Phase 1 reads every register
 * output, phase 2 decides the handshakes, phase 3 clocks every block.
 */
function interpret(cx: RunContext): void {
  const { blocks, input, vpat, rpat, track } = cx;
  const n = blocks.length;
  const vlen = vpat.length;
  const rlen = rpat.length;
  const nIn = input.length;
  const sv: boolean[] = new Array<boolean>(n + 1).fill(false);
  const sr: boolean[] = new Array<boolean>(n + 1).fill(false);
  const sd: (Beat | null)[] = new Array<Beat | null>(n + 1).fill(null);
  const occ = new Float64Array(n);
  const e = cx.end;
  let iIn = 0;
  let pending = false;
  let nOut = 0;
  let lastHs = -1;
  let cycle = 0;
  for (; nOut < cx.nExp && cycle < cx.maxCycles; cycle++) {
    // phase 1: register outputs of every block, the testbench's offer and tready
    const offer = iIn < nIn && (pending || vpat[cycle % vlen] === 1) && (cx.release === null || cycle >= cx.release(iIn));
    sv[0] = offer;
    sd[0] = offer ? input.at(iIn)! : null;
    for (let i = 0; i < n; i++) {
      const b = blocks[i]!;
      sr[i] = b.sReady();
      const v = b.mValid();
      sv[i + 1] = v;
      sd[i + 1] = v ? b.mData() : null;
    }
    sr[n] = rpat[cycle % rlen] === 1;
    if (cx.onCycle) cx.onCycle(cycle, sv, sr, sd);
    // phase 2: handshakes
    let hs = false;
    for (let i = 0; i <= n; i++) {
      const v = sv[i]!;
      const r = sr[i]!;
      if (v && r) {
        hs = true;
        cx.hsCount[i]!++;
        if (cx.streamCycles) cx.streamCycles[i]!.push(cycle);
        if (cx.streamData) cx.streamData[i]!.push(sd[i]!);
      } else if (v) cx.stallCount[i]!++;
      else if (r) cx.starveCount[i]!++;
      if (v && i < n && track[i] && occ[i]! + 1 > cx.need[i]!) cx.need[i] = occ[i]! + 1;
    }
    if (offer) {
      if (sr[0]) {
        if (e.firstIn < 0) e.firstIn = cycle;
        iIn++;
        pending = false;
      } else pending = true;
    }
    if (sv[n] && sr[n]) {
      const beat = sd[n]!;
      if (e.firstOut < 0) e.firstOut = cycle;
      e.lastOut = cycle;
      if (cx.keep) {
        cx.outBeats.push(beat);
        cx.outCycles.push(cycle);
      }
      if (cx.onOutput) cx.onOutput(beat, cycle, nOut);
      nOut++;
    }
    // phase 3: clock edge
    for (let i = 0; i < n; i++) {
      const b = blocks[i]!;
      b.step(cycle, sv[i]!, sd[i]!, sr[i + 1]!);
      if (track[i]) {
        const c = b.occupancy();
        occ[i] = c;
        if (c > cx.peak[i]!) cx.peak[i] = c;
      }
    }
    if (hs) lastHs = cycle;
    else if (cycle - lastHs > cx.bound) cx.deadlock(sv, sr, cycle, iIn, nOut);
  }
  e.inCount = iIn;
  e.outCount = nOut;
  e.cycles = cycle;
}

type Compiled = (cx: RunContext) => void;
const compiledCache = new Map<string, Compiled>();

/**
 * The same loop as `interpret`, generated for one chain length and option set with every block and
 * every stream signal in its own local variable. Each call site then sees a single block class, so
 * V8 inlines the models' small methods (a polymorphic array walk cannot), which makes it several
 * times faster. Only the bookkeeping is unrolled: the calls into the models, and their order, are
 * exactly those of `interpret`, so both give identical runs (test/sim/engine.test.ts checks it).
 */
function compiled(blocks: BlockSim[], track: boolean[], trace: boolean, traceData: boolean, onCycle: boolean, release: boolean): Compiled {
  const n = blocks.length;
  // one function per chain of model classes, so that its call sites stay monomorphic across runs
  const key = `${blocks.map((b) => b.constructor.name).join(',')}|${track.map((t) => (t ? 1 : 0)).join('')}|${trace ? 1 : 0}${traceData ? 1 : 0}${onCycle ? 1 : 0}${release ? 1 : 0}`;
  const hit = compiledCache.get(key);
  if (hit) return hit;
  const L: string[] = [];
  const S = Array.from({ length: n + 1 }, (_, i) => i);
  const B = S.slice(0, n);
  L.push('"use strict";');
  L.push('const blocks = cx.blocks, input = cx.input, vpat = cx.vpat, rpat = cx.rpat, vlen = vpat.length, rlen = rpat.length, nIn = input.length;');
  L.push('const nExp = cx.nExp, maxCycles = cx.maxCycles, bound = cx.bound, keep = cx.keep, outBeats = cx.outBeats, outCycles = cx.outCycles, onOutput = cx.onOutput, release = cx.release;');
  if (trace) L.push('const sc = cx.streamCycles;' + S.map((i) => ` const sc${i} = sc[${i}];`).join(''));
  if (traceData) L.push('const sdt = cx.streamData;' + S.map((i) => ` const sdt${i} = sdt[${i}];`).join(''));
  if (onCycle) L.push(`const onCycle = cx.onCycle, sv = new Array(${n + 1}).fill(false), sr = new Array(${n + 1}).fill(false), sd = new Array(${n + 1}).fill(null);`);
  L.push(B.map((i) => `const b${i} = blocks[${i}];`).join(' '));
  L.push(S.map((i) => `let hs${i} = 0, st${i} = 0, sv${i} = 0;`).join(' '));
  L.push(B.filter((i) => track[i]).map((i) => `let oc${i} = 0, pk${i} = 0, nd${i} = 0;`).join(' '));
  L.push('let iIn = 0, pending = false, firstIn = -1, firstOut = -1, lastOut = -1, nOut = 0, lastHs = -1, cycle = 0;');
  L.push('for (; nOut < nExp && cycle < maxCycles; cycle++) {');
  L.push(`  const v0 = iIn < nIn && (pending || vpat[cycle % vlen] === 1)${release ? ' && cycle >= release(iIn)' : ''};`);
  L.push('  const d0 = v0 ? input.at(iIn) : null;');
  for (const i of B) L.push(`  const r${i} = b${i}.sReady(); const v${i + 1} = b${i}.mValid(); const d${i + 1} = v${i + 1} ? b${i}.mData() : null;`);
  L.push(`  const r${n} = rpat[cycle % rlen] === 1;`);
  if (onCycle) {
    L.push('  ' + S.map((i) => `sv[${i}] = v${i}; sr[${i}] = r${i}; sd[${i}] = d${i};`).join(' '));
    L.push('  onCycle(cycle, sv, sr, sd);');
  }
  L.push('  let hs = false;');
  for (const i of S) {
    const rec = (trace ? ` sc${i}.push(cycle);` : '') + (traceData ? ` sdt${i}.push(d${i});` : '');
    L.push(`  if (v${i}) { if (r${i}) { hs = true; hs${i}++;${rec} } else st${i}++; } else if (r${i}) sv${i}++;`);
    if (i < n && track[i]) L.push(`  if (v${i} && oc${i} + 1 > nd${i}) nd${i} = oc${i} + 1;`);
  }
  L.push('  if (v0) { if (r0) { if (firstIn < 0) firstIn = cycle; iIn++; pending = false; } else pending = true; }');
  L.push(`  if (v${n} && r${n}) {`);
  L.push('    if (firstOut < 0) firstOut = cycle;');
  L.push('    lastOut = cycle;');
  L.push(`    if (keep) { outBeats.push(d${n}); outCycles.push(cycle); }`);
  L.push(`    if (onOutput !== null) onOutput(d${n}, cycle, nOut);`);
  L.push('    nOut++;');
  L.push('  }');
  for (const i of B) {
    L.push(`  b${i}.step(cycle, v${i}, d${i}, r${i + 1});`);
    if (track[i]) L.push(`  oc${i} = b${i}.occupancy(); if (oc${i} > pk${i}) pk${i} = oc${i};`);
  }
  L.push('  if (hs) lastHs = cycle;');
  L.push(`  else if (cycle - lastHs > bound) cx.deadlock([${S.map((i) => `v${i}`).join(', ')}], [${S.map((i) => `r${i}`).join(', ')}], cycle, iIn, nOut);`);
  L.push('}');
  L.push(S.map((i) => `cx.hsCount[${i}] = hs${i}; cx.stallCount[${i}] = st${i}; cx.starveCount[${i}] = sv${i};`).join(' '));
  L.push(B.filter((i) => track[i]).map((i) => `cx.peak[${i}] = pk${i}; cx.need[${i}] = nd${i};`).join(' '));
  L.push('const e = cx.end; e.inCount = iIn; e.outCount = nOut; e.cycles = cycle; e.firstIn = firstIn; e.firstOut = firstOut; e.lastOut = lastOut;');
  const fn = new Function('cx', L.join('\n')) as Compiled;
  compiledCache.set(key, fn);
  return fn;
}

/** BNN110 with the stream that holds everything up: the most downstream one that is valid and not ready. */
function deadlock(plan: HwPlan, blocks: BlockSim[], sv: boolean[], sr: boolean[], cycle: number, bound: number, iIn: number, nIn: number, nOut: number, nExp: number): never {
  const names = blocks.length === plan.blocks.length ? plan.streams : null;
  const label = (i: number) => (names ? streamLabel(names[i]!) : `stream ${i}`);
  const notes: string[] = [];
  let stuck = -1;
  for (let i = sv.length - 1; i >= 0; i--) if (sv[i] && !sr[i]) {
    stuck = i;
    break;
  }
  const states = sv.map((v, i) => `${names ? names[i]!.path : i}: valid=${v ? 1 : 0} ready=${sr[i] ? 1 : 0}`);
  notes.push(`stream states at cycle ${cycle}: ${states.join(', ')}`);
  notes.push(`${iIn} of ${nIn} input beats accepted, ${nOut} of ${nExp} output beats delivered`);
  let message: string;
  let hint: string;
  if (stuck === sv.length - 1) {
    message = `simulation made no progress for ${bound} cycles (deadlock) at cycle ${cycle}: the output stream ${label(stuck)} is valid but never ready`;
    hint = 'the output ready pattern withholds tready; check the ready pattern';
  } else if (stuck >= 0) {
    message = `simulation made no progress for ${bound} cycles (deadlock) at cycle ${cycle}: stream ${label(stuck)} is valid but never ready (stuck in ${names ? names[stuck]!.to : `block ${stuck}`})`;
    hint = 'a block does not accept its input: a FIFO too small for the block protocol, or a model / RTL bug';
  } else {
    message = `simulation made no progress for ${bound} cycles (deadlock) at cycle ${cycle}: no stream is valid`;
    hint = iIn < nIn ? 'the input valid pattern withholds tvalid' : 'every input beat was consumed but the design produced fewer output beats than expected';
  }
  throw new DiagnosticError({ code: 'BNN110', pointer: '', message, hint, notes });
}
