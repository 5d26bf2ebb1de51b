/**
 * Residual QONNX / FINN-ONNX graphs (issue 13): Brevitas-style exports with shortcut fan-out, Add of two data
 * tensors, AveragePool on a downsampling shortcut and GlobalAveragePool before the classifier, built
 * with onnx-proto, imported, and run in bnn-hw's float reference (and integer engine) against an
 * independent float32 evaluation of the same graph on random inputs.
 */
import { describe, expect, it } from 'vitest';
import { importOnnxBytes } from '../../src/frontend/importers/detect.js';
import { loadModelValue } from '../../src/frontend/load.js';
import { inferFloat } from '../../src/reference/float.js';
import { runInference } from '../../src/api/infer.js';
import type { Model } from '../../src/ir/model.js';
import { OnnxEvaluator, nchwFromHwc } from '../helpers/onnx-eval.js';
import { Prng } from '../helpers/prng.js';
import { BREVITAS, FINN, addBn, bipolar } from '../helpers/import-graphs.js';
import { GraphBuilder, UINT8, f } from '../helpers/onnx-build.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Binary conv weights BipolarQuant(W, per-filter scale). */
function convW(g: GraphBuilder, r: Prng, fo: number, ci: number, k: number): string {
  const id = g.t('cw');
  const w = g.init(id, [fo, ci, k, k], range(fo * ci * k * k).map(() => r.float() - 0.5));
  return g.node('BipolarQuant', [w, g.init(`${id}_s`, [fo, 1, 1, 1], range(fo).map(() => 0.5 + r.float()))], {}, { domain: 'onnx.brevitas' });
}

const quant = (g: GraphBuilder, x: string, bits: number, scale: number, signed = 1) =>
  g.node('Quant', [x, g.init(g.t('qs'), [], [scale]), g.init(g.t('qz'), [], [0]), g.init(g.t('qb'), [], [bits])], { signed, narrow: 0, rounding_mode: 'ROUND' }, { domain: 'onnx.brevitas' });

/**
 * [1, 3, 8, 8] uint8 (input Quant) -> Conv 3x3 8 -> BN -> Quant 4-bit = x0;
 * Bi-Real block: x0 -> BipolarQuant -> Conv 3x3 -> BN -> Quant -> Add(., x0) = x1 (x0 fans out);
 * downsampling block: x1 -> BipolarQuant -> Conv 3x3 stride 2 -> BN -> Quant -> Add(., AveragePool 2x2 s2 (x1)) = x2;
 * GlobalAveragePool -> Flatten -> MatMul 5 (scores).
 */
function biRealGraph(seed: number, shortcutFirst: boolean): Uint8Array {
  const r = new Prng(seed);
  const g = new GraphBuilder(13, 'pytorch 2.1', BREVITAS);
  let x = g.input('image', [1, 3, 8, 8]);
  x = quant(g, x, 8, 1, 0);
  x = g.node('Conv', [x, convW(g, r, 8, 3, 3)], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, { name: 'stem' });
  x = quant(g, addBn(g, x, r, 8, 250, 1e-5, 400), 4, 0.25);
  const x0 = x;
  let a = g.node('Conv', [bipolar(g, x0), convW(g, r, 8, 8, 3)], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, { name: 'block1_conv' });
  a = quant(g, addBn(g, a, r, 8, 9), 4, 0.25);
  const x1 = g.node('Add', shortcutFirst ? [x0, a] : [a, x0], {}, { name: 'block1_add' });
  a = g.node('Conv', [bipolar(g, x1), convW(g, r, 8, 8, 3)], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2] }, { name: 'down_conv' });
  a = quant(g, addBn(g, a, r, 8, 9), 4, 0.25);
  const s = g.node('AveragePool', [x1], { kernel_shape: [2, 2], strides: [2, 2] }, { name: 'down_pool' });
  x = g.node('Add', [a, s], {}, { name: 'down_add' });
  x = g.node('GlobalAveragePool', [x], {}, { name: 'gap' });
  x = g.node('Flatten', [x], { axis: 1 });
  const w = g.init('fc_w', [8, 5], range(40).map(() => (r.bool(0.5) ? 1 : -1)));
  x = g.node('MatMul', [x, w], {}, { name: 'fc' });
  g.output(x, [1, 5]);
  return g.encode();
}

function checkScores(bytes: Uint8Array, n: number, seed: number): Model {
  const model = loadModelValue(JSON.parse(JSON.stringify(importOnnxBytes(bytes, 'g.onnx', { output: 'scores' }).model)));
  const ev = new OnnxEvaluator(bytes);
  const r = new Prng(seed);
  const inputs = range(n).map(() => range(8 * 8 * 3).map(() => r.int(0, 255)));
  for (const c of inputs) {
    const ours = inferFloat(model, c) as number[];
    const theirs = ev.run(nchwFromHwc(c, model.input.shape)).data;
    expect(ours).toHaveLength(theirs.length);
    ours.forEach((v, i) => expect(Math.abs(v - theirs[i]!)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(v))));
  }
  expect(runInference(model, inputs, 'integer')).toEqual(runInference(model, inputs, 'float'));
  return model;
}

describe('QONNX residual graphs', () => {
  it.each([false, true])('a Bi-Real block (fan-out of the shortcut), a downsampling block with an AveragePool shortcut, GlobalAveragePool (shortcut first in the Add: %s)', (first) => {
    const model = checkScores(biRealGraph(31 + Number(first), first), 30, 7);
    expect(model.input.type).toEqual({ kind: 'uint', bits: 8 });
    const byName = new Map(model.layers.map((l) => [l.name, l]));
    const add1 = byName.get('block1_add')!;
    const add2 = byName.get('down_add')!;
    expect(add1.type).toBe('add');
    // the block input (the stem's quant) is read by the block's sign and by the add
    const x0 = add1.inputs[first ? 0 : 1]!;
    expect(byName.get(x0)!.type).toBe('quant');
    expect(model.layers.filter((l) => l.inputs.includes(x0)).map((l) => l.type).sort()).toEqual(['add', 'sign']);
    expect(byName.get('down_pool')).toMatchObject({ type: 'avgpool', pool: [2, 2], strides: [2, 2], inputs: ['block1_add'], outShape: [4, 4, 8] });
    expect(add2.inputs[1]).toBe('down_pool');
    expect(byName.get('gap')).toMatchObject({ type: 'globalavgpool', inputs: ['down_add'], outShape: [8] });
    // file order is evaluation order: every layer reads earlier layers only
    model.layers.forEach((l, i) => l.inputs.forEach((s) => expect(s === 'input' || model.layers.findIndex((m) => m.name === s) < i).toBe(true)));
  });

  it('FINN-ONNX: a residual MLP with 2-bit MultiThreshold activations, the block input read by the MatMul and the Add', () => {
    const r = new Prng(17);
    const g = new GraphBuilder(12, 'fuse_model', FINN);
    let x = g.input('global_in', [1, 12], UINT8);
    g.annotate('global_in', 'finn_datatype', 'UINT8');
    x = g.node('Cast', [x], { to: 1 });
    // 3 thresholds per channel, out_scale 1, out_bias -1: codes -1..2 (FINN's INT2)
    const mt = (y: string, c: number, centre: number, spread: number) =>
      g.node('MultiThreshold', [y, g.init(g.t('thr'), [c, 3], range(c).flatMap(() => [-1, 0, 1].map((k) => centre + spread * (k + 0.4 * (r.float() - 0.5)))))], { out_scale: f(1), out_bias: f(-1), out_dtype: 'INT2' }, { domain: 'finn.custom_op.general' });
    const weight = (inp: number, out: number) => {
      const id = g.t('W');
      g.init(id, [inp, out], range(inp * out).map(() => (r.bool() ? 1 : -1)));
      g.annotate(id, 'finn_datatype', 'BIPOLAR');
      return id;
    };
    const x0 = mt(x, 12, 128, 60);
    let a = g.node('MatMul', [x0, weight(12, 12)]);
    a = mt(addBn(g, a, r, 12, 4), 12, 0, 0.8);
    const x1 = g.node('Add', [x0, a], {}, { name: 'res' });
    x = g.node('MatMul', [x1, weight(12, 4)]);
    g.output(x, [1, 4]);
    const bytes = g.encode();
    const model = loadModelValue(JSON.parse(JSON.stringify(importOnnxBytes(bytes, 'g.onnx', { output: 'scores' }).model)));
    const ev = new OnnxEvaluator(bytes);
    const inputs = range(30).map(() => range(12).map(() => r.int(0, 255)));
    for (const c of inputs) {
      const ours = inferFloat(model, c) as number[];
      const theirs = ev.run({ dims: [1, 12], data: Float64Array.from(c), int: false }).data;
      ours.forEach((v, i) => expect(v).toBe(theirs[i]));
    }
    expect(runInference(model, inputs, 'integer')).toEqual(runInference(model, inputs, 'float'));
    const res = model.layers.find((l) => l.name === 'res')!;
    expect(res.type).toBe('add');
    expect(res.inputs.map((n) => model.layers.find((l) => l.name === n)!.type)).toEqual(['multithreshold', 'multithreshold']);
    expect(model.layers.filter((l) => l.inputs.includes(res.inputs[0]!)).map((l) => l.type)).toEqual(['dense', 'add']);
  });

  it('two shortcuts with different pending scales: each is applied before the add', () => {
    const r = new Prng(5);
    const g = new GraphBuilder(13, 'pytorch 2.1', BREVITAS);
    let x = g.input('v', [1, 6]);
    x = quant(g, x, 8, 1, 0);
    const a = bipolar(g, g.node('MatMul', [x, g.init('w0', [6, 6], range(36).map(() => (r.bool(0.5) ? 1 : -1)))]), 0.5);
    const b = bipolar(g, addBn(g, a, r, 6, 1), 2);
    x = g.node('Add', [a, b], {}, { name: 'sum' });
    x = g.node('MatMul', [x, g.init('w1', [6, 3], range(18).map(() => (r.bool(0.5) ? 1 : -1)))]);
    g.output(x, [1, 3]);
    const bytes = g.encode();
    const model = loadModelValue(JSON.parse(JSON.stringify(importOnnxBytes(bytes, 'g.onnx', { output: 'scores' }).model)));
    const ev = new OnnxEvaluator(bytes);
    for (const c of range(20).map(() => range(6).map(() => r.int(0, 255)))) {
      const ours = inferFloat(model, c) as number[];
      const theirs = ev.run({ dims: [1, 6], data: Float64Array.from(c), int: false }).data;
      ours.forEach((v, i) => expect(v).toBeCloseTo(theirs[i]!, 4));
    }
    const add = model.layers.find((l) => l.type === 'add')!;
    expect(add.inputs.map((n) => model.layers.find((l) => l.name === n)!.type)).toEqual(['affine', 'affine']);
  });
});
