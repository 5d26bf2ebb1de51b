/**
 * Pass `size-fifos` (after `plan`): choose the depth of every FIFO block of the chain from its
 * simulated peak occupancy.
 *
 * 1. Simulate a few frames with every FIFO very deep (timing only, no datapath), the sink always
 *    ready and the source at the planned rate: frame f's beats become available at cycle f * (planned
 *    cycles per frame) and are offered back to back (the burstiest input that runs at that rate).
 *    Record each FIFO's peak occupancy.
 * 2. depth = peak + FIFO_MARGIN, FIFO_MARGIN = 2:
 *    - 1 entry because bnn_fifo refuses a write when full even if a read happens in the same cycle:
 *      a FIFO that reaches its peak and is written and read in the same cycle needs one entry more
 *      than the peak (with it a sized FIFO is never full when a beat arrives, so the run of 1. is
 *      reproduced exactly: no handshake of the pipeline moves);
 *    - 1 entry of slack for phase shifts of real traffic (an input gap or one cycle of backpressure
 *      moves the frame's beats by a cycle against the consumer's read pass).
 *    A FIFO is never made deeper than the planner's depth (SF + 2) when the checks below pass with
 *    that cap: a producer that can run ahead of the planned rate (a sliding-window generator
 *    re-emits pixels as fast as it is let) fills a deep FIFO whatever its depth, so its peak measures
 *    the producer's lead, not a need. Without the cap is the fallback.
 * 3. Re-simulate to confirm: (a) with the paced input of 1. every output handshake happens in the
 *    same cycle as with deep FIFOs (the pipeline never stalls at the planned rate); (b) with the
 *    source always valid (the timing run, whose latency becomes the design's) the steady-state
 *    cycles per frame equal the plan and are no worse, nor is the latency, than with the planner's
 *    depths. If the checks fail, a BNN111 note says so and each FIFO keeps the larger of the sized
 *    and the planned depth (checked again). If the design does not reach the planned cycles per frame
 *    even with the planner's depths, a BNN112 note says so and the FIFOs are sized for the rate it
 *    reaches.
 */
import type { FifoBlock, HwBlock } from '../blocks/types.js';
import type { HwPlan } from '../passes/plan.js';
import { layout } from '../passes/layers.js';
import { type Diagnostic, diag } from '../diagnostics/diagnostic.js';
import { type Patterns, stallPatterns } from './patterns.js';
import { type BlockSim, FifoSim } from '../blocks/sim-base.js';
import { blockSim } from '../blocks/registry.js';
import { simulate } from './engine.js';
import { checkCycleBudget } from './budget.js';
import { frameEnds, steadyCycles, TIMING_FRAMES } from './timing.js';

export const FIFO_MARGIN = 2;
/** frames simulated with deep FIFOs (the checks use the timing run's TIMING_FRAMES) */
export const SIZING_FRAMES = 8;
const DEEP = 2 ** 40;

export interface FifoSize {
  name: string;
  /** the planner's depth */
  planned: number;
  /** peak occupancy with deep FIFOs at the planned rate */
  peak: number;
  depth: number;
}

export interface FifoSizing {
  plan: HwPlan;
  fifos: FifoSize[];
  margin: number;
  /** frame interval of the paced input (the planned cycles per frame, or the rate the design reaches) */
  interval: number;
  /** steady-state cycles per frame and latency of the sized design (source always valid) */
  cyclesPerFrame: number | null;
  latencyCycles: number;
  /** the same with the planner's depths */
  plannedCyclesPerFrame: number | null;
  plannedLatencyCycles: number;
  notes: Diagnostic[];
}

/** The source: frame f's beats become available at cycle f * interval and are offered back to back
 * (as soon as the design accepts them): the burstiest input that runs at the planned rate. */
export function paced(beatsPerFrame: number, interval: number): { patterns: Patterns; release: (i: number) => number } {
  return { patterns: stallPatterns(0, 0), release: (i) => Math.floor(i / beatsPerFrame) * interval };
}

function zeroBeats(plan: HwPlan, frames: number) {
  const beat = new Array<number>(plan.input.lanes).fill(0);
  return { length: plan.input.beats * frames, at: () => beat };
}

function withDepths(plan: HwPlan, depth: (b: FifoBlock, i: number) => number): HwPlan {
  let f = 0;
  const blocks: HwBlock[] = plan.blocks.map((b) => (b.kind === 'fifo' ? { ...b, depth: depth(b, f++) } : b));
  return layout({ ...plan, blocks });
}

/** Timing-only run: output handshake cycles, steady cycles per frame and latency. */
function run(plan: HwPlan, src: { patterns: Patterns; release?: (i: number) => number }, frames: number, sims?: BlockSim[]) {
  const r = simulate(plan, zeroBeats(plan, frames), plan.output.beats * frames, { ...src, timingOnly: true, ...(sims ? { sims } : {}) });
  return { r, cpf: steadyCycles(frameEnds(r.outCycles, plan.output.beats)), latency: r.firstOut - r.firstIn };
}

export function sizeFifos(plan: HwPlan, o: { frames?: number; margin?: number } = {}): FifoSizing {
  checkCycleBudget(plan, 'FIFO sizing');
  const frames = o.frames ?? SIZING_FRAMES;
  const margin = o.margin ?? FIFO_MARGIN;
  const fifoIdx = plan.blocks.flatMap((b, i) => (b.kind === 'fifo' ? [i] : []));
  const plannedDepth = fifoIdx.map((i) => (plan.blocks[i] as FifoBlock).depth);
  const flood = { patterns: stallPatterns(0, 0) };
  const planned = run(plan, flood, TIMING_FRAMES);
  const notes: Diagnostic[] = [];
  // the planned rate; should the design not reach it even with the planner's depths, the rate it
  // reaches (a BNN112 note says so), or deep FIFOs would fill without bound
  if (planned.cpf !== null && planned.cpf !== plan.cyclesPerFrame) {
    notes.push(diag('BNN112', '', `the design runs at ${planned.cpf} cycles per frame, not the planned ${plan.cyclesPerFrame}, already with the planner's FIFO depths`, 'the plan\'s cycle count is optimistic for one of its blocks; FIFOs are sized for the rate the design reaches'));
  }
  const interval = Math.ceil(Math.max(plan.cyclesPerFrame, planned.cpf ?? 0));
  const atRate = paced(plan.input.beats, interval);
  // 1. deep FIFOs, planned rate
  const deepSims = plan.blocks.map((b) => (b.kind === 'fifo' ? new FifoSim(b.name, DEEP) : blockSim(b, true)));
  const deep = run(plan, atRate, frames, deepSims);
  const peaks = fifoIdx.map((i) => deep.r.busy[i]!.peakOccupancy ?? 0);
  const check = (p: HwPlan) => {
    const problems: string[] = [];
    const a = run(p, atRate, frames);
    const late = a.r.outCycles.findIndex((t, k) => t !== deep.r.outCycles[k]);
    if (late >= 0) problems.push(`with the input at the planned rate, output beat ${late} comes in cycle ${a.r.outCycles[late]} instead of ${deep.r.outCycles[late]} (deep FIFOs)`);
    const b = run(p, flood, TIMING_FRAMES);
    if (planned.cpf !== null && (b.cpf === null || b.cpf > planned.cpf)) problems.push(`${b.cpf ?? '?'} cycles per frame, slower than the ${planned.cpf} with the planner's depths`);
    if (b.latency > planned.latency) problems.push(`latency ${b.latency} cycles, more than the ${planned.latency} with the planner's depths`);
    return { b, problems };
  };
  // 2. depth = peak + margin, but never deeper than the planner's depth when that keeps every output
  //    on time: a producer that can run ahead of the planned rate (a sliding-window generator
  //    re-emits pixels as fast as it is let) fills a deep FIFO whatever its depth, so its peak
  //    measures that lead, not a need
  const bySize = (cap: boolean) => withDepths(plan, (_, f) => Math.max(1, cap ? Math.min(peaks[f]! + margin, plannedDepth[f]!) : peaks[f]! + margin));
  let sized = bySize(true);
  let c = check(sized);
  if (c.problems.length && peaks.some((p, f) => p + margin > plannedDepth[f]!)) {
    sized = bySize(false);
    c = check(sized);
  }
  // 3. the checks failed: keep the larger of the sized and the planned depth
  if (c.problems.length) {
    notes.push(diag('BNN111', '', `FIFO sizing from simulated peak occupancy: ${c.problems.join('; ')}`, 'each FIFO keeps the larger of the sized and the planned depth'));
    sized = withDepths(plan, (b, f) => Math.max(b.depth, peaks[f]! + margin));
    c = check(sized);
    if (c.problems.length) notes.push(diag('BNN111', '', `FIFO sizing: still ${c.problems.join('; ')} with the larger depths`, 'this is a bug in the cycle model or the planner; please report it'));
  }
  const fifos = fifoIdx.map((i, f) => ({ name: plan.blocks[i]!.name, planned: plannedDepth[f]!, peak: peaks[f]!, depth: (sized.blocks[i] as FifoBlock).depth }));
  return { plan: sized, fifos, margin, interval, cyclesPerFrame: c.b.cpf, latencyCycles: c.b.latency, plannedCyclesPerFrame: planned.cpf, plannedLatencyCycles: planned.latency, notes };
}
