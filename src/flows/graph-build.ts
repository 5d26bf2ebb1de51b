/**
 * The compile flow of a residual graph (issue 13) up to the sized plan and its timing:
 * model -> graph front (segments compiled as chains) -> folding -> planGraph -> size-fifos of every
 * segment -> bypass FIFOs sized with the graph cycle model -> a check run at the planned rate and a
 * timing run. The emitter half (generate / verify) builds on planGraphDesign.
 */
import { type Diagnostic, DiagnosticError, diag, fail } from '../diagnostics/diagnostic.js';
import type { Model } from '../ir/model.js';
import type { Pass } from '../passes/pipeline.js';
import type { Timing } from '../passes/plan.js';
import type { FifoBlock } from '../blocks/types.js';
import { type GraphFront, graphFront } from '../passes/graph-front.js';
import { printIr, printModel } from '../ir/print.js';
import { planGraph } from '../passes/graph-plan.js';
import { printGraphPlan } from '../passes/graph-print.js';
import type { BypassFifo, GraphHwPlan, GraphNode } from '../passes/graph-types.js';
import { sizeFifos } from '../sim/fifo-sizing.js';
import { sizeBypassFifos } from '../sim/bypass-sizing.js';
import { simGraphOf } from '../sim/graph-sim.js';
import { simulateGraph, watchdogBound } from '../sim/dag-engine.js';
import { paced, SIZING_FRAMES } from '../sim/fifo-sizing.js';
import { stallPatterns } from '../sim/patterns.js';
import { TIMING_FRAMES, frameEnds, steadyCycles } from '../sim/timing.js';
import { chooseFolding, type FoldOptions } from './build.js';

export interface GraphPlanned {
  plan: GraphHwPlan;
  timing: Timing;
  /** warnings of the sizing (BNN111: the segments keep the planner's FIFO depths) */
  notes: Diagnostic[];
}

function zeroSource(p: GraphHwPlan, frames: number) {
  const beat = new Array<number>(p.input.format.lanes).fill(0);
  return { length: p.input.format.beats * frames, at: () => beat };
}

/** Sim-graph node index of every bypass FIFO (its plan node's only sim node). */
const bypassNodes = (p: GraphHwPlan): number[] => {
  const span = simGraphOf(p, true).span;
  return p.nodes.flatMap((n, i) => (n.kind === 'edge' && n.role === 'bypass' ? [span[i]!.first] : []));
};

/** The add input port the path from node `from` reaches. */
function portReached(p: GraphHwPlan, from: number, add: number): number {
  for (let at = from; ; ) {
    const e = p.edges.find((x) => x.from.node === at)!;
    if (e.to.node === add) return e.to.port;
    at = e.to.node;
  }
}

/** The long branch the bypass FIFO `bypass` waits for: the nodes on the add's other input back to the nearest dup. */
function longBranch(p: GraphHwPlan, add: number, bypass: number): string {
  const names: string[] = [];
  const port = portReached(p, bypass, add);
  let at = p.edges.find((e) => e.to.node === add && e.to.port !== port)?.from.node;
  while (at !== undefined) {
    const n = p.nodes[at]!;
    if (n.kind === 'port' && n.block.kind !== 'gap') break;
    if (n.kind === 'segment') {
      const swg = n.plan.blocks.find((b) => b.kind === 'swg');
      names.unshift(swg && swg.kind === 'swg' ? `${n.name} (whose window needs ${swg.params.KH} rows)` : n.name);
    } else if (n.kind === 'edge' && n.role === 'shortcut') names.unshift(`${n.block.name} (a window sum)`);
    at = p.edges.find((e) => e.to.node === at)?.from.node;
  }
  return names.join(' -> ') || 'the other input';
}
const feeds = (n: GraphNode): boolean => n.kind === 'edge' && n.role === 'bypass';

/** Size the bypass FIFOs at the planned rate (sim/bypass-sizing.ts) and write their depths into the plan. */
export function sizeGraphBypass(p: GraphHwPlan, frames = SIZING_FRAMES): GraphHwPlan {
  const idx = p.nodes.flatMap((n, i) => (feeds(n) ? [i] : []));
  if (idx.length === 0) return p;
  const sim = bypassNodes(p);
  const sizes = sizeBypassFifos({
    graph: () => simGraphOf(p, true), bypass: sim, input: zeroSource(p, frames), beatsPerFrame: p.input.format.beats,
    interval: p.cyclesPerFrame, outBeats: p.output.format.beats * frames, longestSilence: p.cyclesPerFrame,
  });
  const nodes = [...p.nodes];
  const bypass: BypassFifo[] = sizes.map((s, k) => {
    const i = idx[k]!;
    const n = nodes[i]!;
    if (n.kind !== 'edge') throw new Error('internal: bypass node');
    nodes[i] = { ...n, block: { ...(n.block as FifoBlock), depth: s.depth } };
    const add = p.nodes.findIndex((m) => m.kind === 'port' && m.block.name === n.feeds);
    const origin = `peak ${s.peak} words (${s.exact} to take every beat when offered) at ${p.cyclesPerFrame} cycles per frame while ${longBranch(p, add, i)} works on them, + ${s.depth - s.exact} slack`;
    return { node: i, add: n.feeds!, exact: s.exact, depth: s.depth, origin };
  });
  return { ...p, nodes, bypass };
}

/** Timing of a sized graph: zero bubbles at the planned rate (checked), latency and steady cycles per frame. */
export function graphTiming(p: GraphHwPlan): Timing {
  const g = () => simGraphOf(p, true);
  const atRate = paced(p.input.format.beats, p.cyclesPerFrame);
  const out = p.output.format.beats;
  const bound = watchdogBound(p.cyclesPerFrame, atRate.patterns);
  const paced_ = simulateGraph(g(), zeroSource(p, TIMING_FRAMES), out * TIMING_FRAMES, { ...atRate, watchdog: bound });
  const steady = steadyCycles(frameEnds(paced_.outCycles, out));
  if (steady !== null && steady > p.cyclesPerFrame) {
    fail('BNN044', '', `the sized graph runs at ${steady} cycles per frame with the input at the planned rate, not the planned ${p.cyclesPerFrame}: a branch stalls another`, 'this is a planner bug (bypass FIFO sizing); please report it with the model');
  }
  const flood = { patterns: stallPatterns(0, 0) };
  const r = simulateGraph(g(), zeroSource(p, TIMING_FRAMES), out * TIMING_FRAMES, { ...flood, watchdog: watchdogBound(p.cyclesPerFrame, flood.patterns) });
  const cpf = steadyCycles(frameEnds(r.outCycles, out));
  return { cyclesPerFrame: Math.max(p.cyclesPerFrame, cpf ?? 0), latencyCycles: r.firstOut - r.firstIn };
}

/**
 * `--dump-after segment` on a graph: its pieces in file order (a chain segment with the tensor it reads and
 * its layers, a junction layer); `fold-thresholds`: each chain segment's integer IR.
 */
function printGraphFront(f: GraphFront, after: 'segment' | 'fold-thresholds'): string {
  const lines = [`graph ${f.model.name}`];
  for (const p of f.pieces) {
    if (p.kind !== 'segment') lines.push(`${p.kind} ${p.layer.name} <- ${p.layer.inputs.join(' ')}`);
    else if (after === 'segment') lines.push(`segment ${p.piece.name} <- ${p.piece.input}: ${p.piece.layers.map((l) => l.name).join(' ')}`);
    else lines.push(`segment ${p.piece.name} <- ${p.piece.input}:`, printIr(p.ir).trimEnd());
  }
  return lines.join('\n') + '\n';
}

/** The graph compile flow: fold, plan, size every FIFO, time it. */
export function planGraphDesign(model: Model, o: FoldOptions, dump?: { after: Pass; out: (t: string) => void }): GraphPlanned {
  if (o.maxFps || (o.device !== undefined && o.targetFps !== undefined && !o.fold)) {
    fail('BNN043', '', `${o.maxFps ? '--max-fps' : '--device with --target-fps'} (a folding chosen by estimated resources) is not available for residual graphs yet`, 'give --fold or --target-fps without --device; `bnn-hw estimate --device` prices the result');
  }
  if (dump?.after === 'load') dump.out(printModel(model));
  const front = graphFront(model);
  if (dump?.after === 'segment' || dump?.after === 'fold-thresholds') dump.out(printGraphFront(front, dump.after));
  const planned = planGraph(model, chooseFolding(front.ir, o), front);
  if (dump?.after === 'plan') dump.out(printGraphPlan(planned));
  // each segment's own FIFOs sized as a chain (fed at full rate); inside the graph a segment may be fed
  // in bursts, so when the sized graph misses its rate the segments keep the planner's depths
  let p = planned;
  let timing: Timing | null = null;
  const notes: Diagnostic[] = [];
  if (o.sizeFifos ?? true) {
    const sized = sizeGraphBypass({ ...planned, nodes: planned.nodes.map((n) => (n.kind === 'segment' ? { ...n, plan: sizeFifos(n.plan).plan } : n)) });
    try {
      timing = graphTiming(sized);
      p = sized;
    } catch (e) {
      if (!(e instanceof DiagnosticError && e.diagnostics[0]!.code === 'BNN044')) throw e;
      notes.push(diag('BNN111', '', `FIFO sizing: with each segment's FIFOs sized as a chain (fed at full rate) the graph misses its planned ${planned.cyclesPerFrame} cycles per frame (a segment is fed in bursts)`, 'every segment keeps the planner\'s FIFO depths (SF + 2); the bypass FIFOs are sized with them'));
    }
  }
  // the bypass FIFOs are sized always: at the planner's placeholder depth an identity shortcut deadlocks
  if (!timing) {
    p = sizeGraphBypass(planned);
    timing = graphTiming(p);
  }
  if (dump?.after === 'size-fifos') dump.out(printGraphPlan(p));
  return { plan: p, timing, notes };
}

