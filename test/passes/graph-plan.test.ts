/**
 * The graph planner (issue 13): decomposition of residual graphs into chain segments, dups, adds, gaps,
 * bypass FIFOs and width converters, with the stream formats worked out by hand from the examples'
 * layers, and BNN040 naming the layer for the forms not mapped yet.
 */
import { describe, expect, it } from 'vitest';
import { loadModelFile, loadModelValue } from '../../src/frontend/load.js';
import { graphFront } from '../../src/passes/graph-front.js';
import { planGraph } from '../../src/passes/graph-plan.js';
import { printGraphPlan } from '../../src/passes/graph-print.js';
import { defaultFolding, parseFolding } from '../../src/passes/folding.js';
import type { GraphHwPlan } from '../../src/passes/graph-types.js';
import { nodeName } from '../../src/passes/graph-types.js';
import { DiagnosticError } from '../../src/diagnostics/diagnostic.js';

const mlp = loadModelFile('examples/residual_mlp.json');
const kinds = (p: GraphHwPlan) => p.nodes.map((n) => (n.kind === 'segment' ? `seg:${n.name}` : n.kind === 'port' ? `${n.block.kind}:${n.block.name}` : `${n.role}:${n.block.name}`));

function bnn040(json: unknown): { pointer: string; message: string } {
  try {
    const m = loadModelValue(json);
    planGraph(m, defaultFolding(graphFront(m).ir));
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics[0]!;
    throw e;
  }
  throw new Error('expected BNN040');
}

describe('planGraph on residual_mlp', () => {
  const front = graphFront(mlp);
  const p = planGraph(mlp, defaultFolding(front.ir), front);

  it('segments between the junctions, a dup per fan-out, a bypass FIFO on every identity shortcut', () => {
    expect(kinds(p)).toEqual([
      'seg:in_bn', 'dup:stem_act_dup', 'seg:fc0', 'bypass:res0_bypass', 'add:res0', 'dup:res0_dup', 'seg:fc1', 'bypass:res1_bypass', 'add:res1',
      'dup:res1_dup', 'seg:fc2', 'bypass:res2_bypass', 'add:res2', 'seg:classifier',
    ]);
    // the folding IR lists the four linear layers in file order
    expect(front.ir.stages.filter((s) => s.op === 'linear').map((s) => s.name)).toEqual(['stem', 'fc0', 'fc1', 'fc2', 'classifier']);
  });

  it('lane widths: 2-bit narrow codes [-1, 1] travel as 2-bit signed lanes; each add widens by one bit', () => {
    // a = act codes, b = the shortcut's lanes at full range: [-2, 1] + [-2, 1] = [-4, 2] (3 bits), then
    // [-2, 1] + [-4, 3] = [-6, 4] (4 bits), [-2, 1] + [-8, 7] = [-10, 8] (5 bits)
    const adds = p.nodes.flatMap((n) => (n.kind === 'port' && n.block.kind === 'add' ? [n.block.params] : []));
    expect(adds.map((a) => [a.A_W, a.B_W, a.SHIFT])).toEqual([[2, 2, 0], [2, 3, 0], [2, 4, 0]]);
    const segs = p.nodes.flatMap((n) => (n.kind === 'segment' ? [n] : []));
    expect(segs.map((s) => s.plan.input.laneW)).toEqual([8, 2, 3, 4, 5]);
    // each segment reads the full range of the lanes it is sent
    expect(segs.slice(1).map((s) => s.model.input.type)).toEqual([-2, -4, -8, -16].map((min) => ({ kind: 'codes', min, max: -min - 1, scale: 1 })));
    expect(p.output.format.kind).toBe('argmax');
  });

  it('every node port is wired once and the bypass FIFOs say which add they feed', () => {
    const bypass = p.nodes.filter((n) => n.kind === 'edge' && n.role === 'bypass');
    expect(bypass.map((n) => n.kind === 'edge' && n.feeds)).toEqual(['res0', 'res1', 'res2']);
    const ins = new Set(p.edges.map((e) => `${e.to.node}.${e.to.port}`));
    expect(ins.size).toBe(p.edges.length);
    expect(p.cyclesPerFrame).toBe(784 * 64); // stem: 784 x 64 at PE = SIMD = 1
  });

  it('lanes per beat differing between producer and consumer get a width converter; the add takes the long branch lanes', () => {
    const f = parseFolding({ layers: { stem: { pe: 2, simd: 16 }, fc0: { pe: 4, simd: 2 }, fc1: { pe: 1, simd: 8 }, fc2: { pe: 2, simd: 2 }, classifier: { pe: 1, simd: 4 } } }, front.ir);
    const q = planGraph(mlp, f, front);
    const names = kinds(q);
    // fc0 reads 2 lanes (its SIMD) from stem's 2 (PE): no converter; the shortcut (2 lanes) meets fc0's 4
    expect(names).toContain('convert:res0_b_cvt');
    expect(names).not.toContain('convert:fc0_cvt');
    expect(names).toContain('convert:fc1_cvt');
    const res0 = q.nodes.find((n) => n.kind === 'port' && n.block.name === 'res0');
    expect(res0?.kind === 'port' && res0.block.kind === 'add' && res0.block.params.PE).toBe(4);
    const text = printGraphPlan(q);
    expect(text).toContain('edge res0_b_cvt_to_res0_1: res0_b_cvt.0 -> res0.1 16 beats x 4 x 2s');
    expect(q.nodes.map(nodeName)).toContain('res0_b_cvt');
  });
});

describe('globalavgpool', () => {
  it('a gap with PE = its input lanes; the dense after it reads the sums at scale s / (H * W)', () => {
    const conv = { type: 'conv2d', name: 'c', filters: 4, kernel: [3, 3], padding: 'same', padValue: 0, weights: Array.from({ length: 4 }, () => Array.from({ length: 3 }, () => Array.from({ length: 3 }, () => [1, -1]))) };
    const m = loadModelValue({
      format: 'bnn-hw/model@1', name: 'g', input: { shape: [4, 4, 2], type: 'int4' }, output: 'argmax',
      layers: [conv, { type: 'quant', name: 'q', bits: 2, signed: true, scale: 0.5 }, { type: 'globalavgpool', name: 'gap' }, { type: 'dense', name: 'fc', units: 3, weights: [[1, 1, -1, 1], [-1, 1, 1, 1], [1, -1, -1, -1]] }],
    });
    const front = graphFront(m);
    const p = planGraph(m, parseFolding({ layers: [{ pe: 2, simd: 2 }, { pe: 1, simd: 4 }] }, front.ir), front);
    const gap = p.nodes.find((n) => n.kind === 'port' && n.block.kind === 'gap');
    // codes [-2, 1] in 2-bit signed lanes; 16 pixels: sums in [-32, 16], 6 bits signed [-32, 31]
    expect(gap?.kind === 'port' && gap.block.kind === 'gap' && gap.block.params).toEqual({ C: 4, HW: 16, IN_W: 2, IN_SIGNED: 1, PE: 2 });
    const fc = p.nodes.find((n) => n.kind === 'segment' && n.name === 'fc');
    expect(fc?.kind === 'segment' && fc.model.input.type).toEqual({ kind: 'codes', min: -32, max: 31, scale: 0.5 / 16 });
    // the gap's 2 lanes per beat meet fc's SIMD 4: a converter
    expect(kinds(p)).toEqual(['seg:c', 'gap:gap', 'convert:fc_cvt', 'seg:fc']);
  });
});

describe('BNN040 for the forms not mapped yet', () => {
  const base = { format: 'bnn-hw/model@1', name: 'g', input: { shape: [4], type: 'int4' }, output: 'scores' };
  const d = (n: string, units: number, inputs?: string[]) => ({ type: 'dense', name: n, units, weights: Array.from({ length: units }, () => [1, -1, 1, 1]), ...(inputs ? { inputs } : {}) });
  const head = [{ type: 'sign', name: 's' }, d('a', 4)];
  const q = (n: string, scale: number) => ({ type: 'quant', name: n, bits: 2, signed: true, scale });
  it('an avgpool over a sign stream (+-1 bits: the window sum would count ones)', () => {
    const conv = { type: 'conv2d', name: 'c', filters: 2, kernel: [1, 1], weights: [[[[1]]], [[[-1]]]] };
    const img = { ...base, input: { shape: [4, 4, 1], type: 'int4' } };
    const e = bnn040({ ...img, layers: [{ type: 'sign', name: 's' }, conv, { type: 'sign', name: 's2' }, { ...conv, name: 'c2', weights: [[[[1, 1]]], [[[-1, 1]]]] }, q('q2', 1), { type: 'avgpool', name: 'p', inputs: ['s2'], pool: [2, 2] }, { ...conv, name: 'c3', inputs: ['q2'], strides: [2, 2], weights: [[[[1, -1]]], [[[1, 1]]]] }, q('q3', 4), { type: 'add', name: 'sum', inputs: ['q3', 'p'] }, { type: 'flatten', name: 'f' }, { type: 'dense', name: 'out', units: 2, weights: [[1, -1, 1, 1, 1, 1, -1, 1], [1, 1, 1, -1, -1, 1, 1, 1]] }] });
    expect(e.message).toMatch(/avgpool layer "p" reads the sign output "s2"/);
  });
  it('scales neither equal nor a power of two apart', () => {
    const e = bnn040({ ...base, layers: [...head, q('q0', 1), d('b', 4), q('q1', 0.3), { type: 'add', name: 'sum', inputs: ['q1', 'q0'] }, d('out', 2)] });
    expect(e.message).toMatch(/add layer "sum" sums codes of scales 0.3/);
    expect(e.pointer).toBe('/layers/5');
  });
  it('a junction tensor whose codes carry an offset', () => {
    const mt = { type: 'multithreshold', name: 'mt', thresholds: [[0]], outScale: 1, outBias: 0.5 };
    const e = bnn040({ ...base, layers: [...head, mt, d('b', 4, ['mt']), q('qb', 1), d('c', 4, ['mt']), q('qc', 1), { type: 'add', inputs: ['qb', 'qc'] }, d('out', 2)] });
    expect(e.message).toMatch(/multithreshold layer "mt" has output offset 0.5/);
    expect(e.pointer).toBe('/layers/2');
  });
  it('a segment without a linear layer', () => {
    const e = bnn040({ ...base, layers: [...head, q('q0', 1), { type: 'sign', name: 's2', inputs: ['q0'] }, d('b', 4, ['q0']), q('q1', 1), { type: 'add', inputs: ['q1', 's2'] }, d('out', 2)] });
    expect(e.message).toMatch(/sign layer "s2" starts a run of layers between junctions without a dense or conv2d layer/);
  });
});

import { readFileSync } from 'node:fs';
function loadModelFileJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

describe('derived names', () => {
  it('a layer named like a derived block (the add "stem_act_dup" next to the fan-out of "stem_act") is refused with BNN048, not emitted as clashing Verilog', () => {
    const json = JSON.parse(readFileSync('examples/residual_mlp.json', 'utf8')) as { layers: Record<string, unknown>[] };
    for (const l of json.layers) {
      if (l['name'] === 'res0') l['name'] = 'stem_act_dup';
      if (Array.isArray(l['inputs'])) l['inputs'] = (l['inputs'] as string[]).map((t) => (t === 'res0' ? 'stem_act_dup' : t));
    }
    const m = loadModelValue(json);
    let err: unknown = null;
    try {
      planGraph(m, { layers: m.layers.filter((l) => l.type === 'dense').map(() => ({ pe: 1, simd: 1 })), inputPe: null });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ diagnostics: [{ code: 'BNN048' }] });
    expect((err as Error).message).toContain('"u_stem_act_dup"');
  });
});
