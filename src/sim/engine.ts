/**
 * The cycle-accurate simulator of a planned design, driven exactly like the RTL testbench
 * (templates/tb/tb.v.hbs): the same input offer rule, the same valid / ready patterns, the same cycle
 * numbering. Per cycle: every block's register-only outputs are read, handshakes are decided, then
 * every block takes its clock edge.
 */
import type { HwPlan } from '../passes/plan.js';
import type { Patterns } from '../flows/stimulus.js';
import { type Beat, type BlockSim, blockSim } from './blocks.js';
import { fail } from '../diagnostics/diagnostic.js';

export interface SimOptions {
  patterns: Patterns;
  timingOnly?: boolean;
  maxCycles?: number;
  /** cycles without any handshake before a deadlock is declared */
  deadlockCycles?: number;
  /** record the handshake cycles of every stream (s0 = top input ... sN = top output) */
  traceStreams?: boolean;
  /** called every cycle with the stream signals (for VCD) */
  onCycle?: (cycle: number, streams: StreamState[]) => void;
}

export interface StreamState {
  valid: boolean;
  ready: boolean;
  data: Beat | null;
}

export interface SimResult {
  outBeats: Beat[];
  outCycles: number[];
  firstIn: number;
  cycles: number;
  /** per stream: the cycles of its handshakes */
  streamCycles: number[][] | null;
  /** per block: cycles with a handshake on its input / output, stalls (valid && !ready on its output) */
  busy: { name: string; inBeats: number; outBeats: number; outStalls: number; peakOccupancy: number }[];
}

export function simulate(plan: HwPlan, inBeats: Beat[], outBeatsExpected: number, o: SimOptions): SimResult {
  const blocks: BlockSim[] = plan.blocks.map((b) => blockSim(b, o.timingOnly ?? false));
  const n = blocks.length;
  const { valid: vpat, ready: rpat } = o.patterns;
  const plen = vpat.length;
  const maxCycles = o.maxCycles ?? Infinity;
  const deadlock = o.deadlockCycles ?? 100000;
  let iIn = 0;
  let pending = false;
  let firstIn = -1;
  const outBeats: Beat[] = [];
  const outCycles: number[] = [];
  const streamCycles = o.traceStreams ? Array.from({ length: n + 1 }, () => [] as number[]) : null;
  const stats = blocks.map((b) => ({ name: b.name, inBeats: 0, outBeats: 0, outStalls: 0, peakOccupancy: 0 }));
  const sv = new Array<boolean>(n + 1);
  const sr = new Array<boolean>(n + 1);
  const sd = new Array<Beat | null>(n + 1);
  let lastProgress = 0;
  let cycle = 0;
  for (; outBeats.length < outBeatsExpected; cycle++) {
    if (cycle >= maxCycles) break;
    sv[0] = iIn < inBeats.length && (pending || vpat[cycle % plen] === 1);
    sd[0] = sv[0] ? inBeats[iIn]! : null;
    for (let i = 0; i < n; i++) {
      sr[i] = blocks[i]!.sReady();
      sv[i + 1] = blocks[i]!.mValid();
      sd[i + 1] = sv[i + 1] ? blocks[i]!.mData() : null;
    }
    sr[n] = rpat[cycle % plen] === 1;
    if (o.onCycle) o.onCycle(cycle, sv.map((v, i) => ({ valid: v, ready: sr[i]!, data: sd[i]! })));
    let progress = false;
    for (let i = 0; i <= n; i++) {
      if (sv[i] && sr[i]) {
        progress = true;
        if (streamCycles) streamCycles[i]!.push(cycle);
        if (i > 0) stats[i - 1]!.outBeats++;
        if (i < n) stats[i]!.inBeats++;
      } else if (sv[i] && i > 0) stats[i - 1]!.outStalls++;
    }
    if (sv[0] && sr[0]) {
      if (firstIn < 0) firstIn = cycle;
      iIn++;
      pending = false;
    } else if (sv[0]) pending = true;
    if (sv[n] && sr[n]) {
      outBeats.push(sd[n]!);
      outCycles.push(cycle);
    }
    for (let i = 0; i < n; i++) {
      blocks[i]!.step(cycle, sv[i]!, sd[i]!, sr[i + 1]!);
      const occ = blocks[i]!.occupancy();
      if (occ > stats[i]!.peakOccupancy) stats[i]!.peakOccupancy = occ;
    }
    if (progress || blocks.some((b) => b.busy())) lastProgress = cycle;
    else if (cycle - lastProgress > deadlock) {
      const stuck = sv.findIndex((v, i) => v && !sr[i]);
      fail('BNN110', '', `simulation made no progress for ${deadlock} cycles (deadlock) at cycle ${cycle}`, stuck >= 0 ? `stream s${stuck} is valid but never ready` : 'no stream is valid');
    }
  }
  return { outBeats, outCycles, firstIn, cycles: cycle, streamCycles, busy: stats };
}
