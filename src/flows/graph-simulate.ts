/**
 * simulate on a residual graph (issue 13): the planned graph's cycle models (sim/graph-sim.ts) run by
 * the graph engine (sim/dag-engine.ts, watchdog from watchdogBound), every frame's output checked
 * against the graph integer engine (expectedGraphBeats). The report has the chain report's shape; its
 * layers are the plan's nodes.
 */
import { fail } from '../diagnostics/diagnostic.js';
import type { Model } from '../ir/model.js';
import type { Beat } from '../blocks/sim-base.js';
import type { GraphHwPlan } from '../passes/graph-types.js';
import { nodeName, segmentStream } from '../passes/graph-types.js';
import { kindOf } from '../blocks/registry.js';
import { simGraphOf } from '../sim/graph-sim.js';
import { VcdWriter, graphVcdLayout } from '../sim/vcd.js';
import { simulateGraph, watchdogBound } from '../sim/dag-engine.js';
import { stallPatterns } from '../sim/patterns.js';
import { frameEnds, steadyCycles } from '../sim/timing.js';
import { FrameBeats, FrameChecker, seededFrames } from './expected.js';
import { expectedGraphBeats, inputSegment } from './graph-expected.js';
import { planGraphDesign } from './graph-build.js';
import type { LayerActivity, SimulateOptions, SimulateReport } from './simulate.js';

/**
 * Per plan node: cycles (a segment's own cycles per frame), busy (a segment: the compute steps of its
 * busiest block, as `simulate` counts them for a chain; a port / edge node: its input beats), output
 * stall and input starve, as a share of the run's cycles.
 */
function nodeActivity(p: GraphHwPlan, r: ReturnType<typeof simulateGraph>): LayerActivity[] {
  const byName = new Map(r.streams.map((s) => [s.name, s]));
  const outOf = (i: number) => (p.output.node === i ? [r.streams[r.streams.length - 1]!] : p.edges.filter((e) => e.from.node === i).map((e) => byName.get(e.name)!));
  const inOf = (i: number) => (p.input.node === i ? [r.streams[0]!] : p.edges.filter((e) => e.to.node === i).map((e) => byName.get(e.name)!));
  const pct = (x: number) => Number(((100 * x) / Math.max(1, r.cycles)).toFixed(1));
  return p.nodes.map((n, i) => {
    const outs = outOf(i);
    const ins = inOf(i);
    const cycles = n.kind === 'segment' ? n.plan.cyclesPerFrame : null;
    let busy = Math.max(...ins.map((s) => s.beats));
    if (n.kind === 'segment') {
      // block j reads chain stream j and writes stream j + 1: the segment's ends are the plan's edges
      const beats = (j: number) => (j === 0 ? ins[0]!.beats : j === n.plan.blocks.length ? outs[0]!.beats : byName.get(segmentStream(n.name, n.plan.streams[j]!.path))!.beats);
      busy = Math.max(...n.plan.blocks.map((b, j) => kindOf(b).steps(b, { inBeats: beats(j), outBeats: beats(j + 1) })));
    }
    return { name: nodeName(n), kind: n.kind === 'segment' ? 'segment' : n.block.kind, cycles, busy: pct(busy), stall: pct(Math.max(...outs.map((s) => s.stalls))), starve: pct(Math.max(...ins.map((s) => s.starves))) };
  });
}

export function simulateGraphModel(model: Model, o: SimulateOptions): SimulateReport {
  const frames = o.inputs?.length ?? o.vectors;
  if (frames === 0) fail('BNN070', '', 'no input vectors', 'give --vectors N (N >= 1) or --input FILE');
  const { plan, timing } = planGraphDesign(model, o);
  const perFrame = plan.output.format.beats;
  const seeded = o.inputs ? null : seededFrames(model, o.seed);
  const check = new FrameChecker(plan.output.format);
  const input = new FrameBeats(inputSegment(plan), frames, (f) => (seeded ? seeded() : o.inputs![f]!), (codes) => check.expect(expectedGraphBeats(plan, codes)));
  const { onOutput, outputs, outputCycles } = check;
  const patterns = stallPatterns(o.stall, o.seed);
  const sg = simGraphOf(plan);
  // the dump names every stream by its RTL path below the design: the graph top's wires and u_seg_<segment>.<path>
  const vcd = o.vcd !== undefined ? new VcdWriter(o.vcd, graphVcdLayout(['input', ...sg.edges.map((e) => e.name), 'output'].map((name, i) => ({ name, width: sg.widths[i]! })))) : null;
  const t0 = process.hrtime.bigint();
  let r;
  try {
    r = simulateGraph(sg, input, perFrame * frames, { patterns, watchdog: watchdogBound(plan.cyclesPerFrame, patterns), onOutput, ...(vcd ? { onCycle: (c: number, v: readonly boolean[], rd: readonly boolean[], d: readonly (Beat | null)[]) => vcd.cycle(c, v, rd, d) } : {}) });
  } catch (e) {
    vcd?.abort();
    throw e;
  }
  vcd?.close();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const layers = nodeActivity(plan, r);
  const bottleneck = layers.reduce((a, l) => (l.busy > a.busy ? l : a), layers[0]!).name;
  return {
    frames, outputs, outputCycles, cyclesPerFrame: steadyCycles(frameEnds(outputCycles, perFrame)),
    latencyCycles: r.firstOut - r.firstIn, cycles: r.cycles, mismatches: check.mismatches, plan: timing, layers, bottleneck, seconds,
  };
}
