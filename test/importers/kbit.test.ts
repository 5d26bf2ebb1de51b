/**
 * k-bit activations from ONNX: QONNX Quant on activations becomes a quant layer, FINN MultiThreshold
 * with several thresholds a multithreshold layer. Small graphs built with onnx-proto are imported and
 * run in bnn-hw's float reference and integer engine against the independent evaluator
 * (test/helpers/onnx-eval.ts, which follows the QONNX / FINN definitions in float32).
 */
import { describe, expect, it } from 'vitest';
import { importOnnxBytes } from '../../src/frontend/importers/detect.js';
import { loadModelValue } from '../../src/frontend/load.js';
import { argmax, inferFloat } from '../../src/reference/float.js';
import { runInference } from '../../src/api/infer.js';
import { inputRange, type Model } from '../../src/ir/model.js';
import { OnnxEvaluator, nchwFromHwc } from '../helpers/onnx-eval.js';
import { Prng } from '../helpers/prng.js';
import { GraphBuilder, INT64, UINT8, f } from '../helpers/onnx-build.js';

const BREVITAS = { 'onnx.brevitas': 1 };
const FINN = { 'finn.custom_op.general': 1 };
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Import, then compare bnn-hw's float and integer engines with the evaluator on random input codes. */
function check(bytes: Uint8Array, seed: number, n = 40): Model {
  const model = loadModelValue(JSON.parse(JSON.stringify(importOnnxBytes(bytes, 'k.onnx', {}).model)));
  const ev = new OnnxEvaluator(bytes);
  const r = new Prng(seed);
  const size = model.input.shape.reduce((a, b) => a * b, 1);
  const { min, max, scale } = inputRange(model.input.type);
  const inputs = Array.from({ length: n }, () => Array.from({ length: size }, () => r.int(min, max)));
  const integer = runInference(model, inputs, 'integer');
  inputs.forEach((c, k) => {
    const ours = inferFloat(model, c.map((v) => v * scale));
    expect(integer[k]).toEqual(ours);
    const theirs = ev.run(nchwFromHwc(c, model.input.shape));
    if (model.output === 'argmax') expect(ours).toBe(theirs.data.length === 1 ? theirs.data[0] : argmax(theirs.data));
    else (ours as number[]).forEach((v, i) => expect(Math.abs(v - theirs.data[i]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(v))));
  });
  return model;
}

const types = (m: Model) => m.layers.map((l) => l.type).join(' ');

function brevitasWeight(g: GraphBuilder, r: Prng, out: number, inp: number): string {
  const id = g.t('w');
  const w = g.init(id, [out, inp], range(out * inp).map(() => r.float() - 0.5));
  const q = g.node('BipolarQuant', [w, g.init(`${id}_s`, [], [1])], {}, { domain: 'onnx.brevitas' });
  return g.node('Transpose', [q], { perm: [1, 0] });
}

const quant = (g: GraphBuilder, x: string, scale: number, bits: number, signed: number, narrow = 0) =>
  g.node('Quant', [x, g.init(g.t('qs'), [], [scale]), g.init(g.t('qz'), [], [0]), g.init(g.t('qb'), [], [bits])], { signed, narrow, rounding_mode: 'ROUND' }, { domain: 'onnx.brevitas' });

describe('QONNX Quant on activations', () => {
  it('becomes quant layers (2-bit unsigned, 3-bit signed narrow with scale 0.3); both engines equal the evaluator', () => {
    const r = new Prng(5);
    const g = new GraphBuilder(13, 'pytorch 2.1', BREVITAS);
    let x = g.input('inp', [1, 6]);
    x = quant(g, x, 1, 8, 0); // the graph input: uint8 codes
    x = g.node('MatMul', [x, brevitasWeight(g, r, 5, 6)]);
    x = g.node('Mul', [x, g.init('k', [], [0.25])]);
    x = quant(g, x, 8, 2, 0); // QuantReLU-like, 2 bits, ties where x / 8 = k + 0.5
    x = g.node('MatMul', [x, brevitasWeight(g, r, 4, 5)]);
    x = g.node('BatchNormalization', [x, g.init('g', [4], [1.5, -0.7, 0.9, 0]), g.init('b', [4], [0.1, 0.2, -0.3, 0.4]), g.init('m', [4], [3, -2, 0.5, 1]), g.init('v', [4], [25, 16, 9, 4])], { epsilon: f(1e-5) });
    x = quant(g, x, 0.3, 3, 1, 1);
    x = g.node('MatMul', [x, brevitasWeight(g, r, 3, 4)]);
    g.output(x, [1, 3]);
    const m = check(g.encode(), 1);
    expect(types(m)).toBe('dense affine quant dense batchnorm quant dense');
    expect(m.input.type).toEqual({ kind: 'uint', bits: 8 });
    expect(m.layers[2]).toMatchObject({ type: 'quant', bits: 2, signed: false, narrow: false, scale: 8 });
    expect(m.layers[5]).toMatchObject({ type: 'quant', bits: 3, signed: true, narrow: true, scale: Math.fround(0.3) });
  });
});

describe('FINN MultiThreshold with several thresholds', () => {
  it('an input quantiser (one shared row) and a per-channel 2-bit activation with out_scale 2, out_bias -3', () => {
    const r = new Prng(9);
    const g = new GraphBuilder(12, 'fuse_model', FINN);
    let x = g.input('global_in', [1, 1, 2, 3]);
    g.annotate('global_in', 'finn_datatype', 'UINT8');
    x = g.node('Reshape', [x, g.init('shape', [2], [1, -1], INT64)]);
    x = g.node('MultiThreshold', [x, g.init('t0', [1, 3], [64, 128, 192])], { out_scale: f(1), out_bias: f(0) }, { domain: 'finn.custom_op.general' });
    const weight = (inp: number, out: number) => {
      const id = g.t('W');
      g.init(id, [inp, out], range(inp * out).map(() => (r.bool() ? 1 : -1)));
      g.annotate(id, 'finn_datatype', 'BIPOLAR');
      return id;
    };
    x = g.node('MatMul', [x, weight(6, 5)]);
    const thr = range(5).flatMap(() => [r.int(-6, -1), r.int(-1, 1), r.int(1, 6)]);
    x = g.node('MultiThreshold', [x, g.init('t1', [5, 3], thr)], { out_scale: f(2), out_bias: f(-3) }, { domain: 'finn.custom_op.general' });
    x = g.node('MatMul', [x, weight(5, 4)]);
    g.output(x, [1, 4]);
    const m = check(g.encode(), 2);
    expect(types(m)).toBe('flatten multithreshold dense multithreshold dense');
    expect(m.layers[1]).toMatchObject({ type: 'multithreshold', rows: 1, n: 3, outScale: 1, outBias: 0 });
    expect(m.layers[3]).toMatchObject({ type: 'multithreshold', rows: 5, n: 3, outScale: 2, outBias: -3 });
    expect(Array.from((m.layers[3] as { thresholds: Float64Array }).thresholds)).toEqual(thr);
  });

  it('per-channel thresholds on an image, zero padding, max-pool after, flatten (NCHW -> HWC)', () => {
    const r = new Prng(13);
    const g = new GraphBuilder(12, 'fuse_model', FINN);
    let x = g.input('global_in', [1, 2, 6, 5], UINT8);
    g.annotate('global_in', 'finn_datatype', 'UINT8');
    x = g.node('Cast', [x], { to: 1 });
    x = g.node('MultiThreshold', [x, g.init('t0', [1, 3], [50, 120, 200])], { out_scale: f(1), out_bias: f(0) }, { domain: 'finn.custom_op.general' });
    const wc = g.init('Wc', [4, 2, 3, 3], range(72).map(() => (r.bool() ? 1 : -1)));
    g.annotate(wc, 'finn_datatype', 'BIPOLAR');
    x = g.node('Conv', [x, wc], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [1, 1], group: 1 });
    // thresholds per channel in NCHW channel order, distinct per channel so a mix-up shows
    const thr = [[-9, -3, 2], [-4, 0, 0], [1, 5, 11], [-2, 3, 8]].flat();
    x = g.node('MultiThreshold', [x, g.init('t1', [4, 3], thr)], { out_scale: f(1), out_bias: f(0) }, { domain: 'finn.custom_op.general' });
    x = g.node('MaxPool', [x], { kernel_shape: [2, 2], strides: [2, 2] });
    x = g.node('Flatten', [x], { axis: 1 });
    const wd = g.init('Wd', [24, 3], range(72).map(() => (r.bool() ? 1 : -1)));
    g.annotate(wd, 'finn_datatype', 'BIPOLAR');
    x = g.node('MatMul', [x, wd]);
    g.output(x, [1, 3]);
    const m = check(g.encode(), 3);
    expect(types(m)).toBe('multithreshold conv2d multithreshold maxpool flatten dense');
    expect(m.layers[1]).toMatchObject({ type: 'conv2d', padValue: 0 });
  });
});

describe('Brevitas QuantReLU: Relu followed by an unsigned Quant', () => {
  /** input codes c (uint8) -> (c - 128) / 64 -> Relu -> unsigned Quant(scale, bits) -> +-1 weights -> scores */
  function quantRelu(scale: number, bits: number, signed = 0, between?: (g: GraphBuilder, x: string) => string): Uint8Array {
    const g = new GraphBuilder(13, 'pytorch 2.1', BREVITAS);
    let x = g.input('inp', [1, 1]);
    x = quant(g, x, 1, 8, 0);
    x = g.node('Add', [x, g.init('off', [], [-128])]);
    x = g.node('Mul', [x, g.init('k', [], [1 / 64])]);
    x = g.node('Relu', [x], {}, { name: 'relu' });
    if (between) x = between(g, x);
    x = quant(g, x, scale, bits, signed);
    x = g.node('MatMul', [x, g.init('w', [1, 2], [1, -1])]);
    g.output(x, [1, 2]);
    return g.encode();
  }

  it('is one quant layer; every input code (negative values, the half steps x / s = -1/2 and -1/4) equals the evaluator', () => {
    for (const [scale, bits] of [[0.25, 3], [0.125, 2], [1 / 32, 8]] as const) {
      const bytes = quantRelu(scale, bits);
      const r = importOnnxBytes(bytes, 'k.onnx', { output: 'scores' });
      const model = loadModelValue(JSON.parse(JSON.stringify(r.model)));
      expect(types(model)).toBe('affine affine quant dense');
      expect(model.layers[2]).toMatchObject({ type: 'quant', bits, signed: false, narrow: false, scale });
      expect(r.notes.join('\n')).toContain('"relu" (Relu) is absorbed by');
      const ev = new OnnxEvaluator(bytes);
      const codes = range(256).map((c) => [c]);
      const integer = runInference(model, codes, 'integer');
      let halfSteps = 0;
      for (const c of range(256)) {
        // (c - 128) / 64 / scale in (-1/2, 0) or = -1/2: the Quant's own rounding gives 0 there
        const q = (c - 128) / 64 / scale;
        if (q >= -0.5 && q < 0) halfSteps++;
        const theirs = Array.from(ev.run(nchwFromHwc([c], model.input.shape)).data);
        expect(inferFloat(model, [c])).toEqual(theirs);
        expect(integer[c]).toEqual(theirs);
      }
      expect(halfSteps).toBeGreaterThan(0);
    }
  });

  it('a Relu before a signed Quant, before another node or at the end stays refused (BNN202 at the Relu)', () => {
    const refused = (bytes: Uint8Array) => {
      try {
        importOnnxBytes(bytes, 'k.onnx', { output: 'scores' });
      } catch (e) {
        return (e as { diagnostics: { code: string; pointer: string; message: string; hint: string }[] }).diagnostics[0]!;
      }
      throw new Error('imported');
    };
    const signed = refused(quantRelu(0.25, 3, 1));
    expect(signed).toMatchObject({ code: 'BNN202', pointer: '/graph/node/3', message: 'node 3 of 6 "relu" (Relu): is not supported by bnn-hw' });
    expect(signed.hint).toMatch(/is signed/);
    const twice = refused(quantRelu(0.25, 3, 0, (g, x) => g.node('Relu', [x], {}, { name: 'relu2' })));
    expect(twice).toMatchObject({ code: 'BNN202', message: 'node 3 of 7 "relu" (Relu): is not supported by bnn-hw' });
    const scaled = refused(quantRelu(0.25, 3, 0, (g, x) => g.node('Mul', [x, g.init('m2', [], [2])])));
    expect(scaled).toMatchObject({ code: 'BNN202', pointer: '/graph/node/3' });
    const g = new GraphBuilder(13, 'pytorch 2.1', BREVITAS);
    let x = g.input('inp', [1, 2]);
    x = quant(g, x, 1, 8, 0);
    x = g.node('MatMul', [x, g.init('w', [2, 2], [1, -1, 1, 1])]);
    x = g.node('Relu', [x], {}, { name: 'last' });
    g.output(x, [1, 2]);
    expect(refused(g.encode())).toMatchObject({ code: 'BNN202', message: 'node 2 of 3 "last" (Relu): is not supported by bnn-hw' });
  });
});
