/**
 * simulate on a residual graph (issue 13): the planned graph's cycle models (sim/graph-sim.ts) run by
 * the graph engine (sim/dag-engine.ts, watchdog from watchdogBound), every frame's output checked
 * against the graph integer engine (expectedGraphBeats). The report has the chain report's shape; its
 * layers are the plan's nodes.
 */
import { fail } from '../diagnostics/diagnostic.js';
import type { Model } from '../ir/model.js';
import { INPUT } from '../ir/model.js';
import type { Beat } from '../blocks/sim-base.js';
import type { GraphHwPlan, SegmentNode } from '../passes/graph-types.js';
import { nodeName } from '../passes/graph-types.js';
import type { HwPlan } from '../passes/plan.js';
import { type Coded, type Tensor, graphStep, inputTensor, runGraph } from '../reference/float.js';
import { inferGraphInteger } from '../reference/graph-integer.js';
import { inferInteger } from '../reference/integer.js';
import { simGraphOf } from '../sim/graph-sim.js';
import { simulateGraph, watchdogBound } from '../sim/dag-engine.js';
import { stallPatterns } from '../sim/patterns.js';
import { beatValue } from '../sim/streams.js';
import { frameEnds, steadyCycles } from '../sim/timing.js';
import { FrameBeats, seededFrames } from './expected.js';
import { outputBeats } from './stimulus.js';
import { planGraphDesign } from './graph-build.js';
import type { LayerActivity, SimulateOptions, SimulateReport } from './simulate.js';

const segmentAt = (p: GraphHwPlan, i: number): HwPlan => (p.nodes[i] as SegmentNode).plan;
/** The chain plan whose input is the graph input (its beats are the graph's input beats). */
export const inputSegment = (p: GraphHwPlan): HwPlan => segmentAt(p, p.input.node);

/** The codes of tensor `name` for one input (codes of the model input type). */
function tensorCodes(model: Model, codes: readonly number[], name: string): number[] {
  if (name === INPUT) return [...codes];
  let found: Tensor | null = null;
  const scale = inputTensor(model, [1]).scale;
  runGraph<Tensor>(model, inputTensor(model, codes.map((c) => c * scale)), (l, ins) => {
    const y = graphStep(l, ins);
    if (l.name === name) found = y;
    return y;
  });
  return Array.from((found as unknown as Coded).codes);
}

/**
 * The output beats one frame of codes must produce: the graph integer engine's label (argmax), or the
 * last segment's integer scores (its chain integer engine on the graph's codes at its input; its float
 * scores must equal the graph integer engine's).
 */
export function expectedGraphBeats(p: GraphHwPlan, codes: readonly number[]): Beat[] {
  const want = inferGraphInteger(p.model, codes);
  const last = segmentAt(p, p.output.node);
  if (p.output.format.kind === 'argmax') return [[want as number]];
  const seg = p.nodes[p.output.node] as SegmentNode;
  const from = p.model.layers.find((l) => l.name === seg.name)!.inputs[0]!;
  const r = inferInteger(last.ir, tensorCodes(p.model, codes, from));
  if (JSON.stringify(r.output) !== JSON.stringify(want)) throw new Error(`internal: segment ${seg.name} disagrees with the graph integer engine`);
  return outputBeats(last, null, r.scores);
}

/** Per plan node: cycles (a segment's slowest block, a port node's beats), output busy / stall and input starve. */
function nodeActivity(p: GraphHwPlan, r: ReturnType<typeof simulateGraph>): LayerActivity[] {
  const byName = new Map(r.streams.map((s) => [s.name, s]));
  const outOf = (i: number) => (p.output.node === i ? [r.streams[r.streams.length - 1]!] : p.edges.filter((e) => e.from.node === i).map((e) => byName.get(e.name)!));
  const inOf = (i: number) => (p.input.node === i ? [r.streams[0]!] : p.edges.filter((e) => e.to.node === i).map((e) => byName.get(e.name)!));
  const pct = (x: number) => Number(((100 * x) / Math.max(1, r.cycles)).toFixed(1));
  return p.nodes.map((n, i) => {
    const outs = outOf(i);
    const ins = inOf(i);
    const cycles = n.kind === 'segment' ? n.plan.cyclesPerFrame : null;
    return { name: nodeName(n), kind: n.kind === 'segment' ? 'segment' : n.block.kind, cycles, busy: pct(Math.max(...ins.map((s) => s.beats))), stall: pct(Math.max(...outs.map((s) => s.stalls))), starve: pct(Math.max(...ins.map((s) => s.starves))) };
  });
}

export function simulateGraphModel(model: Model, o: SimulateOptions): SimulateReport {
  const frames = o.inputs?.length ?? o.vectors;
  if (frames === 0) fail('BNN070', '', 'no input vectors', 'give --vectors N (N >= 1) or --input FILE');
  if (o.vcd !== undefined) fail('BNN045', '', '--vcd is not available for residual graphs yet', 'simulate without --vcd; the graph report lists every stream\'s stalls and starves');
  const { plan, timing } = planGraphDesign(model, o);
  const perFrame = plan.output.format.beats;
  const laneW = plan.output.format.laneW;
  const seeded = o.inputs ? null : seededFrames(model, o.seed);
  const inFlight: Beat[][] = [];
  const input = new FrameBeats(inputSegment(plan), frames, (f) => (seeded ? seeded() : o.inputs![f]!), (codes) => inFlight.push(expectedGraphBeats(plan, codes)));
  const outputs: (number | number[])[] = [];
  const outputCycles: number[] = [];
  let frameBeats: Beat[] = [];
  let mismatches = 0;
  const onOutput = (beat: Beat, cycle: number) => {
    outputCycles.push(cycle);
    frameBeats.push(beat);
    if (frameBeats.length < perFrame) return;
    const want = inFlight.shift()!;
    if (want.length !== frameBeats.length || frameBeats.some((b, j) => beatValue(b, laneW) !== beatValue(want[j]!, laneW))) mismatches++;
    const lanes = frameBeats.flat();
    outputs.push(plan.output.format.kind === 'argmax' ? lanes[0]! : lanes);
    frameBeats = [];
  };
  const patterns = stallPatterns(o.stall, o.seed);
  const t0 = process.hrtime.bigint();
  const r = simulateGraph(simGraphOf(plan), input, perFrame * frames, { patterns, watchdog: watchdogBound(plan.cyclesPerFrame, patterns), onOutput });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const layers = nodeActivity(plan, r);
  const bottleneck = layers.reduce((a, l) => (l.busy > a.busy ? l : a), layers[0]!).name;
  return {
    frames, outputs, outputCycles, cyclesPerFrame: steadyCycles(frameEnds(outputCycles, perFrame)),
    latencyCycles: r.firstOut - r.firstIn, cycles: r.cycles, mismatches, plan: timing, layers, bottleneck, seconds,
  };
}
