/**
 * Expected outputs of a residual graph's design (issue 13), in the shapes flows/expected.ts gives for
 * chains: the label from the graph integer engine (argmax), or the integer scores the hardware streams
 * (the last segment's chain integer engine on the graph's codes at its input, its float scores checked
 * against the graph integer engine).
 */
import type { Model } from '../ir/model.js';
import { INPUT } from '../ir/model.js';
import type { Beat } from '../blocks/sim-base.js';
import type { GraphHwPlan, SegmentNode } from '../passes/graph-types.js';
import type { HwPlan } from '../passes/plan.js';
import { type Coded, type Tensor, graphStep, inputTensor, runGraph } from '../reference/float.js';
import { inferGraphInteger } from '../reference/graph-integer.js';
import { inferInteger } from '../reference/integer.js';
import type { Expected } from './expected.js';
import { outputBeats } from './stimulus.js';

const segmentAt = (p: GraphHwPlan, i: number): HwPlan => (p.nodes[i] as SegmentNode).plan;
/** The chain plan whose input is the graph input (its beats are the graph's input beats). */
export const inputSegment = (p: GraphHwPlan): HwPlan => segmentAt(p, p.input.node);

/** The codes of tensor `name` for one input (codes of the model input type). */
export function tensorCodes(model: Model, codes: readonly number[], name: string): number[] {
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

/** Expected outputs (labels or float scores) and the integer scores the hardware streams, of every vector. */
export function expectedGraphOutputs(p: GraphHwPlan, codes: number[][]): Expected {
  const outputs: (number | number[])[] = [];
  const scores: number[][] = [];
  const seg = p.nodes[p.output.node] as SegmentNode;
  const from = p.model.layers.find((l) => l.name === seg.name)!.inputs[0]!;
  for (const c of codes) {
    outputs.push(inferGraphInteger(p.model, c));
    scores.push(inferInteger(seg.plan.ir, tensorCodes(p.model, c, from)).scores);
  }
  return { outputs, scores };
}
