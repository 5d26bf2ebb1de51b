/**
 * Hand-made graph plans (passes/graph-types.ts) from real pieces, until the graph planner lands: two
 * chain segments planned with plan() from small dense models with integer inputs, joined as a residual
 * block:
 *
 *   input -> dup -+-> segment A (dense n -> n, scores) ------------------------> add.a -> gap -> segment B -> output
 *                 +-> dwc (SIMD_A -> PE_A lanes) -> bypass FIFO (depth D) -----> add.b
 *
 * add: a + (x << SHIFT) per element; gap: per channel sum over HW pixels (n = HW * C, channel fastest);
 * segment B reads the C sums as int<W> codes. The expected outputs are computed here from the integer
 * reference of the two chain models and the sums, independently of the RTL and the cycle models.
 */
import { mlpJson } from '../../src/examples/seeded-models.js';
import { loadModelValue } from '../../src/frontend/load.js';
import { compileIr } from '../../src/passes/pipeline.js';
import { plan as planChain, type HwPlan } from '../../src/passes/plan.js';
import { inferInteger } from '../../src/reference/integer.js';
import { addOutWidth } from '../../src/blocks/kinds/add-sim.js';
import { gapOutWidth } from '../../src/blocks/kinds/gap-sim.js';
import type { AddParams, GapParams } from '../../src/blocks/port-types.js';
import type { StreamFormat } from '../../src/blocks/types.js';
import type { GraphHwPlan, PlanEdge } from '../../src/passes/graph-types.js';
import type { Model } from '../../src/ir/model.js';
import { Prng } from './prng.js';

export interface ResidualSpec {
  seed: number;
  /** elements per frame (n = hw * c) */
  hw: number;
  c: number;
  simdA: number;
  peA: number;
  peB: number;
  shift: number;
  classes: number;
  depth: number;
  output: 'argmax' | 'scores';
}

export interface ResidualGraph {
  plan: GraphHwPlan;
  models: { a: Model; b: Model };
  /** the expected output of one frame (label or scores) */
  expected: (codes: readonly number[]) => number | number[];
  /** seeded input frames (uint4 codes) */
  inputs: (n: number, seed: number) => number[][];
}

function chain(json: Record<string, unknown>, rename: string, pe: number, simd: number): { model: Model; plan: HwPlan } {
  const layers = (json['layers'] as Record<string, unknown>[]).map((l) => ({ ...l, name: `${rename}_${String(l['name'] ?? l['type'])}` }));
  const model = loadModelValue({ ...json, layers });
  return { model, plan: planChain(compileIr(model), { layers: [{ pe, simd }], inputPe: null }) };
}

export function residualGraph(s: ResidualSpec): ResidualGraph {
  const n = s.hw * s.c;
  const A = chain(mlpJson({ name: 'g', seed: s.seed, inputs: n, widths: [], classes: n, inputType: 'uint4', binarizeInput: false, output: 'scores', lastBn: false }), 'fa', s.peA, s.simdA);
  const accW = A.plan.output.laneW;
  const ap: AddParams = { PE: s.peA, A_W: accW, A_SIGNED: 1, B_W: 4, B_SIGNED: 0, SHIFT: s.shift };
  const addW = addOutWidth(ap);
  const gp: GapParams = { PE: s.peA, C: s.c, HW: s.hw, IN_W: addW, IN_SIGNED: 1 };
  const gw = gapOutWidth(gp);
  const B = chain(mlpJson({ name: 'g', seed: s.seed + 1, inputs: s.c, widths: [], classes: s.classes, inputType: `int${gw}`, binarizeInput: false, output: s.output, lastBn: false }), 'fb', s.peB, s.peA);
  if (B.plan.input.lanes !== s.peA || B.plan.input.laneW !== gw || !B.plan.input.signed) throw new Error(`segment B reads ${JSON.stringify(B.plan.input)}, not the gap's ${s.peA} x ${gw} signed`);
  const fmt = (lanes: number, laneW: number, signed: boolean, elems: number): StreamFormat => ({ lanes, laneW, signed, beats: elems / lanes });
  const x = fmt(s.simdA, 4, false, n);
  const xw = fmt(s.peA, 4, false, n);
  const edges: PlanEdge[] = [
    { name: 'x_main', from: { node: 0, port: 0 }, to: { node: 1, port: 0 }, format: x },
    { name: 'x_skip', from: { node: 0, port: 1 }, to: { node: 2, port: 0 }, format: x },
    { name: 'x_skip_w', from: { node: 2, port: 0 }, to: { node: 3, port: 0 }, format: xw },
    { name: 'main', from: { node: 1, port: 0 }, to: { node: 4, port: 0 }, format: A.plan.output },
    { name: 'skip', from: { node: 3, port: 0 }, to: { node: 4, port: 1 }, format: xw },
    { name: 'res_sum', from: { node: 4, port: 0 }, to: { node: 5, port: 0 }, format: fmt(s.peA, addW, true, n) },
    { name: 'pooled', from: { node: 5, port: 0 }, to: { node: 6, port: 0 }, format: fmt(s.peA, gw, true, s.c) },
  ];
  const cycles = Math.max(A.plan.cyclesPerFrame, B.plan.cyclesPerFrame, n / s.simdA, n / s.peA);
  const plan: GraphHwPlan = {
    name: 'g',
    top: 'g_top',
    model: A.model,
    folding: { layers: [...A.plan.folding.layers, ...B.plan.folding.layers], inputPe: null },
    nodes: [
      { kind: 'port', block: { kind: 'dup', name: 'x_dup', width: s.simdA * 4, n: 2 } },
      { kind: 'segment', name: 'fa_fc0', model: A.model, plan: A.plan },
      { kind: 'edge', role: 'convert', block: { kind: 'dwc', name: 'x_skip_dwc', inW: s.simdA * 4, outW: s.peA * 4, lane: { w: 4, signed: false } } },
      { kind: 'edge', role: 'bypass', block: { kind: 'fifo', name: 'x_bypass', width: s.peA * 4, depth: s.depth } },
      { kind: 'port', block: { kind: 'add', name: 'res_add', params: ap } },
      { kind: 'port', block: { kind: 'gap', name: 'res_gap', params: gp } },
      { kind: 'segment', name: 'fb_fc0', model: B.model, plan: B.plan },
    ],
    edges,
    input: { node: 0, port: 0, format: x },
    output: { node: 6, port: 0, format: { ...B.plan.output, kind: B.plan.output.kind === 'argmax' ? 'argmax' : 'scores' } },
    cyclesPerFrame: cycles,
    bypass: [{ node: 3, add: 'res_add', exact: s.depth, depth: s.depth, origin: 'chosen by the test' }],
  };
  const irA = compileIr(A.model);
  const irB = compileIr(B.model);
  const expected = (codes: readonly number[]) => {
    const a = inferInteger(irA, codes).scores;
    const sum = a.map((v, e) => v + codes[e]! * 2 ** s.shift);
    const pooled = Array.from({ length: s.c }, (_, c) => {
      let t = 0;
      for (let px = 0; px < s.hw; px++) t += sum[px * s.c + c]!;
      return t;
    });
    const r = inferInteger(irB, pooled);
    return s.output === 'argmax' ? (r.output as number) : r.scores;
  };
  const inputs = (count: number, seed: number) => {
    const rng = new Prng(seed);
    return Array.from({ length: count }, () => Array.from({ length: n }, () => rng.int(0, 15)));
  };
  return { plan, models: { a: A.model, b: B.model }, expected, inputs };
}
