/**
 * Keras / Larq functional graphs (issue 13): a small Bi-Real-style model (real-valued shortcuts around
 * binary QuantConv2D blocks, fan-out of every block input, an AveragePooling2D shortcut where the map
 * shrinks, GlobalAveragePooling2D before the classifier) written with h5wasm in the tf.keras 2 and
 * Keras 3 layouts, imported, and compared with the independent float32 evaluator of the same layers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importFile } from '../../src/frontend/importers/detect.js';
import { loadModelValue } from '../../src/frontend/load.js';
import { argmax, inferFloat } from '../../src/reference/float.js';
import { DiagnosticError } from '../../src/diagnostics/diagnostic.js';
import type { Model } from '../../src/ir/model.js';
import { INPUT_NAME, type KLayer, evalKeras, writeKerasH5 } from '../helpers/keras-h5.js';
import { Prng } from '../helpers/prng.js';
import { bnParams } from '../helpers/import-graphs.js';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bnn-hw-keras-graph-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const latent = (r: Prng, shape: number[]) => ({ shape, data: range(shape.reduce((a, b) => a * b, 1)).map(() => 2 * r.float() - 1) });

function bn(r: Prng, name: string, c: number, sd: number): KLayer {
  const p = bnParams(r, c, sd);
  return {
    cls: 'BatchNormalization', name, cfg: { axis: -1, momentum: 0.99, epsilon: 0.001, center: true, scale: true },
    weights: { gamma: { shape: [c], data: p.gamma }, beta: { shape: [c], data: p.beta }, moving_mean: { shape: [c], data: p.mean }, moving_variance: { shape: [c], data: p.variance } },
  };
}

const Q = { kernel_quantizer: 'ste_sign', kernel_constraint: 'weight_clip', use_bias: false, data_format: 'channels_last', dilation_rate: [1, 1] };

/** 8x8x3 -> QuantConv2D 8 (integer input) -> BN = x0; x0 -> sign -> QuantConv2D -> BN -> Add(x0, .); a stride-2 block with an AveragePooling2D shortcut; GAP; QuantDense 5 (scores). */
function biReal(seed: number): KLayer[] {
  const r = new Prng(seed);
  const conv = (name: string, strides: number, inputQuantizer: string | null, cin: number, padValues: number, inbound?: string[]): KLayer => ({
    cls: 'QuantConv2D', name, ...(inbound ? { inbound } : {}),
    cfg: { filters: 8, kernel_size: [3, 3], strides: [strides, strides], padding: 'same', pad_values: padValues, input_quantizer: inputQuantizer, ...Q },
    weights: { kernel: latent(r, [3, 3, cin, 8]) },
  });
  return [
    conv('stem', 1, null, 3, 0, [INPUT_NAME]),
    bn(r, 'stem_bn', 8, 3),
    conv('b1_conv', 1, 'ste_sign', 8, 1),
    bn(r, 'b1_bn', 8, 8.5),
    { cls: 'Add', name: 'b1_add', cfg: {}, inbound: ['stem_bn', 'b1_bn'] },
    conv('b2_conv', 2, 'ste_sign', 8, 1),
    bn(r, 'b2_bn', 8, 8.5),
    { cls: 'AveragePooling2D', name: 'b2_pool', cfg: { pool_size: [2, 2], strides: [2, 2], padding: 'valid', data_format: 'channels_last' }, inbound: ['b1_add'] },
    { cls: 'Add', name: 'b2_add', cfg: {}, inbound: ['b2_bn', 'b2_pool'] },
    { cls: 'GlobalAveragePooling2D', name: 'gap', cfg: { data_format: 'channels_last', keepdims: false } },
    { cls: 'QuantDense', name: 'fc', cfg: { units: 5, input_quantizer: null, ...Q }, weights: { kernel: latent(r, [8, 5]) } },
  ];
}

async function roundTrip(file: string, layers: KLayer[], keras3: boolean): Promise<Model> {
  const path = join(dir, file);
  await writeKerasH5(path, layers, { inputShape: [8, 8, 3], functional: true, keras3 });
  const model = loadModelValue(JSON.parse(JSON.stringify((await importFile(path, { inputType: 'uint8', inputDivisor: 255, output: 'scores' })).model)));
  const rng = new Prng(9);
  const labels = new Set<number>();
  for (let k = 0; k < 40; k++) {
    const px = range(8 * 8 * 3).map(() => rng.int(0, 255));
    const ours = inferFloat(model, px) as number[];
    const theirs = evalKeras(layers, [8, 8, 3], px.map((v) => Math.fround(v / 255)));
    expect(ours).toHaveLength(5);
    ours.forEach((v, i) => expect(Math.abs(v - theirs[i]!)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(v))));
    labels.add(argmax(ours));
  }
  expect(labels.size).toBeGreaterThan(1);
  return model;
}

async function diag(layers: KLayer[]): Promise<{ code: string; message: string }> {
  const path = join(dir, 'bad.h5');
  await writeKerasH5(path, layers, { inputShape: [8, 8, 3], functional: true });
  try {
    await importFile(path, { inputType: 'uint8' });
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics[0]!;
    throw e;
  }
  throw new Error('expected a diagnostic');
}

describe('Keras / Larq functional graphs', () => {
  it.each([false, true])('a Bi-Real-style model: Add shortcuts with fan-out, AveragePooling2D on the downsampling shortcut, GlobalAveragePooling2D (Keras 3 layout: %s)', async (keras3) => {
    const m = await roundTrip(`bireal_${keras3 ? 3 : 2}.h5`, biReal(4), keras3);
    const at = (n: string) => m.layers.find((l) => l.name === n)!;
    expect(at('b1_add')).toMatchObject({ type: 'add', inputs: ['stem_bn', 'b1_bn'] });
    // the block input feeds the input_quantizer's sign of the conv and the add
    expect(m.layers.filter((l) => l.inputs.includes('stem_bn')).map((l) => l.type)).toEqual(['sign', 'add']);
    expect(at('b2_pool')).toMatchObject({ type: 'avgpool', inputs: ['b1_add'], pool: [2, 2], strides: [2, 2], outShape: [4, 4, 8] });
    expect(at('b2_add')).toMatchObject({ type: 'add', inputs: ['b2_bn', 'b2_pool'] });
    expect(at('gap')).toMatchObject({ type: 'globalavgpool', inputs: ['b2_add'], outShape: [8] });
    model_order(m);
  });

  it('refuses an Add of three layers or of two shapes, and a layer reading two layers that is no Add (BNN227)', async () => {
    const three = biReal(5);
    three[4] = { ...three[4]!, inbound: ['stem_bn', 'b1_bn', 'stem'] };
    expect(await diag(three)).toMatchObject({ code: 'BNN227', message: expect.stringMatching(/"b1_add" \(Add\): adds 3 layers \("stem_bn", "b1_bn", "stem"\), expected 2$/) });
    const shapes = biReal(5);
    shapes[8] = { ...shapes[8]!, inbound: ['b2_bn', 'b1_add'] };
    shapes[7] = { ...shapes[7]!, inbound: ['b2_add'] };
    // the pool now reads the add after it: refused as a damaged file before any shape check
    expect((await diag(shapes)).code).toBe('BNN201');
    const bcast = biReal(5).filter((l) => l.name !== 'b2_pool');
    bcast[7] = { ...bcast[7]!, inbound: ['b2_bn', 'b1_add'] };
    expect(await diag(bcast)).toMatchObject({ code: 'BNN227', message: expect.stringMatching(/"b2_add" \(Add\): adds "b2_bn" of shape \[4, 4, 8\] and "b1_add" of shape \[8, 8, 8\], expected one shape \(no broadcasting\)$/) });
    const cat = biReal(5);
    cat[4] = { ...cat[4]!, cls: 'Concatenate', cfg: { axis: -1 } };
    expect(await diag(cat)).toMatchObject({ code: 'BNN227', message: expect.stringMatching(/"b1_add" \(Concatenate\): reads 2 layers/) });
  });
});

/** file order is evaluation order: every layer reads the model input or earlier layers */
function model_order(m: Model): void {
  m.layers.forEach((l, i) => l.inputs.forEach((s) => expect(s === 'input' || m.layers.findIndex((x) => x.name === s) < i).toBe(true)));
}
