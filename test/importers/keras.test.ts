/**
 * Keras / Larq HDF5 import: files written with h5wasm in tf.keras 2 and Keras 3 layouts (every supported
 * layer, odd shapes, padding "same" with pad_values -1 / 0 / +1, strides, negative gammas, BN without
 * scale, a Functional chain), imported, and compared with an independent float32 evaluation of the layers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importFile } from '../../src/frontend/importers/detect.js';
import type { ImportOptions } from '../../src/frontend/importers/common.js';
import { loadModelValue } from '../../src/frontend/load.js';
import { argmax, inferFloat } from '../../src/reference/float.js';
import { DiagnosticError } from '../../src/diagnostics/diagnostic.js';
import type { Model } from '../../src/ir/model.js';
import { type KLayer, type KerasFileOptions, evalKeras, writeKerasH5 } from '../helpers/keras-h5.js';
import { Prng } from '../helpers/prng.js';
import { bnParams } from '../helpers/import-graphs.js';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bnn-hw-keras-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

function latent(r: Prng, shape: number[]): { shape: number[]; data: number[] } {
  return { shape, data: range(shape.reduce((a, b) => a * b, 1)).map(() => 2 * r.float() - 1) };
}

function bn(r: Prng, name: string, c: number, sd: number, o: { scale?: boolean; center?: boolean; axis?: unknown } = {}): KLayer {
  const p = bnParams(r, c, sd);
  const weights: KLayer['weights'] = { moving_mean: { shape: [c], data: p.mean }, moving_variance: { shape: [c], data: p.variance } };
  if (o.scale !== false) weights['gamma'] = { shape: [c], data: p.gamma };
  if (o.center !== false) weights['beta'] = { shape: [c], data: p.beta };
  return { cls: 'BatchNormalization', name, cfg: { axis: o.axis ?? -1, momentum: 0.99, epsilon: 0.001, center: o.center !== false, scale: o.scale !== false }, weights };
}

/** A Larq-style CNN on a 10 x 9 x 1 image. */
function larqCnn(seed: number): KLayer[] {
  const r = new Prng(seed);
  const q = { kernel_quantizer: 'ste_sign', kernel_constraint: 'weight_clip' };
  return [
    { cls: 'QuantConv2D', name: 'qconv0', cfg: { filters: 4, kernel_size: [3, 3], strides: [1, 1], padding: 'same', pad_values: 1.0, data_format: 'channels_last', dilation_rate: [1, 1], use_bias: false, input_quantizer: null, ...q }, weights: { kernel: latent(r, [3, 3, 1, 4]) } },
    { cls: 'MaxPooling2D', name: 'pool0', cfg: { pool_size: [2, 2], strides: null, padding: 'valid', data_format: 'channels_last' } },
    bn(r, 'bn0', 4, 1.2, { scale: false, axis: [3] }),
    {
      cls: 'QuantConv2D', name: 'qconv1',
      cfg: { filters: 6, kernel_size: [2, 3], strides: [2, 1], padding: 'same', pad_values: -1.0, use_bias: true, input_quantizer: { class_name: 'SteSign', config: { clip_value: 1.0 } }, ...q },
      weights: { kernel: latent(r, [2, 3, 4, 6]), bias: latent(r, [6]) },
    },
    bn(r, 'bn1', 6, 4),
    { cls: 'Flatten', name: 'flatten', cfg: { data_format: 'channels_last' } },
    { cls: 'QuantDense', name: 'qdense0', cfg: { units: 9, use_bias: false, input_quantizer: 'approx_sign', ...q, activation: 'linear' }, weights: { kernel: latent(r, [72, 9]) } },
    bn(r, 'bn2', 9, 8),
    { cls: 'Dropout', name: 'drop', cfg: { rate: 0.2 } },
    { cls: 'QuantDense', name: 'qdense1', cfg: { units: 5, use_bias: false, input_quantizer: { class_name: 'SwishSign', config: { beta: 5.0 } }, kernel_quantizer: { class_name: 'SteSign', config: { clip_value: 1.0 } } }, weights: { kernel: latent(r, [9, 5]) } },
    bn(r, 'bn3', 5, 3, { scale: false }),
    { cls: 'Activation', name: 'softmax', cfg: { activation: 'softmax' } },
  ];
}

/** An MLP on a 6 x 6 image without channel axis, ending in a plain Dense with binary (+-0.5) weights. */
function denseChain(seed: number): KLayer[] {
  const r = new Prng(seed);
  const binary = (shape: number[], s: number) => ({ shape, data: range(shape[0]! * shape[1]!).map(() => (r.bool() ? s : -s)) });
  return [
    { cls: 'Flatten', name: 'flatten', cfg: {} },
    { cls: 'QuantDense', name: 'qd0', cfg: { units: 7, use_bias: true, input_quantizer: 'ste_sign', kernel_quantizer: 'ste_sign' }, weights: { kernel: latent(r, [36, 7]), bias: latent(r, [7]) } },
    bn(r, 'bn0', 7, 3),
    { cls: 'QuantDense', name: 'qd1', cfg: { units: 4, use_bias: false, input_quantizer: 'ste_sign', kernel_quantizer: 'ste_sign' }, weights: { kernel: latent(r, [7, 4]) } },
    bn(r, 'bn1', 4, 2),
    { cls: 'Activation', name: 'act', cfg: { activation: 'ste_sign' } },
    { cls: 'Dense', name: 'out', cfg: { units: 3, use_bias: true, activation: 'linear' }, weights: { kernel: binary([4, 3], 0.5), bias: latent(r, [3]) } },
  ];
}

async function roundTrip(file: string, layers: KLayer[], o: KerasFileOptions, opts: ImportOptions, n: number, seed: number): Promise<Model> {
  const path = join(dir, file);
  await writeKerasH5(path, layers, o);
  const r = await importFile(path, opts);
  expect(r.format).toBe('keras-h5');
  const model = loadModelValue(JSON.parse(JSON.stringify(r.model)));
  const rng = new Prng(seed);
  const size = o.inputShape.reduce((a, b) => a * b, 1);
  const labels = new Set<number>();
  for (let k = 0; k < n; k++) {
    const px = range(size).map(() => rng.int(0, 255));
    const ours = inferFloat(model, px);
    const theirs = evalKeras(layers, o.inputShape, px.map((v) => Math.fround(v / (opts.inputDivisor ?? 1) + (opts.inputOffset ?? 0))));
    if (model.output === 'argmax') expect(ours).toBe(argmax(theirs));
    else (ours as number[]).forEach((v, i) => expect(Math.abs(v - theirs[i]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(v))));
    labels.add(model.output === 'argmax' ? (ours as number) : argmax(ours as number[]));
  }
  expect(labels.size).toBeGreaterThan(1);
  return model;
}

const types = (m: Model) => m.layers.map((l) => l.type).join(' ');

describe('Keras / Larq H5 import', () => {
  it('a Larq CNN (tf.keras 2 layout): QuantConv2D with pad_values +1 / -1, strides, MaxPool, BN without scale, Flatten, QuantDense, softmax', async () => {
    const m = await roundTrip('larq_cnn.h5', larqCnn(1), { inputShape: [10, 9, 1] }, { inputType: 'uint8', inputDivisor: 255 }, 60, 2);
    expect(types(m)).toBe('affine conv2d maxpool batchnorm sign conv2d batchnorm flatten sign dense batchnorm sign dense batchnorm');
    const convs = m.layers.filter((l) => l.type === 'conv2d');
    expect(convs.map((c) => (c.type === 'conv2d' ? [c.padValue, c.pad.top, c.pad.bottom, c.pad.left, c.pad.right] : []))).toEqual([[1, 1, 1, 1, 1], [-1, 0, 1, 1, 1]]);
    expect(convs[1]!.outShape).toEqual([3, 4, 6]);
    expect(m.output).toBe('argmax');
  });

  it('pixels scaled to [-1, 1] (--input-divisor 127.5 --input-offset -1)', async () => {
    await roundTrip('larq_cnn_pm1.h5', larqCnn(3), { inputShape: [10, 9, 1] }, { inputType: 'uint8', inputDivisor: 127.5, inputOffset: -1 }, 30, 4);
  });

  it('a Functional chain in the Keras 3 layout: [H, W] input, bias, Activation ste_sign, a Dense with binary weights (+-0.5)', async () => {
    const m = await roundTrip('chain_k3.h5', denseChain(5), { inputShape: [6, 6], functional: true, keras3: true }, { inputType: 'uint8', inputDivisor: 255, inputOffset: -0.5, output: 'scores' }, 40, 6);
    expect(m.input.shape).toEqual([6, 6, 1]);
    expect(types(m)).toBe('affine flatten sign dense batchnorm sign dense batchnorm sign dense affine');
  });

  it('the same chain as a tf.keras 2 Functional model gives the same layers', async () => {
    const a = await roundTrip('chain_k2.h5', denseChain(5), { inputShape: [6, 6], functional: true }, { inputType: 'uint8', inputDivisor: 255, inputOffset: -0.5, output: 'scores' }, 10, 6);
    expect(types(a)).toBe('affine flatten sign dense batchnorm sign dense batchnorm sign dense affine');
  });

  async function diag(layers: KLayer[], o: KerasFileOptions, opts: ImportOptions = { inputType: 'uint8' }): Promise<{ code: string; pointer: string; message: string; hint?: string; file?: string }> {
    const path = join(dir, `bad-${Math.random().toString(36).slice(2)}.h5`);
    await writeKerasH5(path, layers, o);
    try {
      await importFile(path, opts);
    } catch (e) {
      if (e instanceof DiagnosticError) return e.diagnostics[0]!;
      throw e;
    }
    throw new Error('expected a diagnostic');
  }

  it('names an unsupported layer with its position', async () => {
    const layers = denseChain(7);
    layers.splice(2, 0, { cls: 'LeakyReLU', name: 'leaky', cfg: { alpha: 0.1 } });
    const d = await diag(layers, { inputShape: [6, 6] });
    expect(d.code).toBe('BNN202');
    expect(d.pointer).toBe('/model_config/config/layers/3');
    expect(d.message).toBe('layer 3 of 9 "leaky" (LeakyReLU): is not supported by bnn-hw');
    expect(d.file).toMatch(/bad-.*\.h5$/);
  });

  it('refuses real-valued weights, other quantisers and real activations with a hint', async () => {
    const real = denseChain(8);
    real[6] = { ...real[6]!, weights: { kernel: latent(new Prng(1), [4, 3]), bias: latent(new Prng(2), [3]) } };
    const d1 = await diag(real, { inputShape: [6, 6] });
    expect(d1.code).toBe('BNN204');
    expect(d1.message).toMatch(/"out" \(Dense\): the kernel is real-valued/);
    const tern = denseChain(8);
    tern[1] = { ...tern[1]!, cfg: { ...tern[1]!.cfg, kernel_quantizer: 'ste_tern' } };
    expect((await diag(tern, { inputShape: [6, 6] })).message).toMatch(/kernel_quantizer is "ste_tern"/);
    const relu = denseChain(8);
    relu[1] = { ...relu[1]!, cfg: { ...relu[1]!.cfg, activation: 'relu' } };
    expect((await diag(relu, { inputShape: [6, 6] })).message).toMatch(/activation "relu"/);
  });

  it('refuses a weights-only file, a branch in a Functional model and a missing --input-type', async () => {
    const w = await diag(denseChain(9), { inputShape: [6, 6], weightsOnly: true });
    expect(w.code).toBe('BNN201');
    expect(w.message).toMatch(/weights only/);
    const path = join(dir, 'branch.h5');
    await writeKerasH5(path, denseChain(9), { inputShape: [6, 6], functional: true });
    // rewrite one inbound node to skip a layer
    const h5 = (await import('h5wasm/node')).default;
    await h5.ready;
    const f = new h5.File(path, 'a');
    const cfg = JSON.parse(String(f.attrs['model_config']!.value)) as { config: { layers: { inbound_nodes: unknown }[] } };
    cfg.config.layers[4]!.inbound_nodes = [[['qd0', 0, 0, {}]]];
    f.delete_attribute('model_config');
    f.create_attribute('model_config', JSON.stringify(cfg));
    f.close();
    // a graph now (issue 13): the skipped layer leads nowhere
    await expect(importFile(path, { inputType: 'uint8' })).rejects.toThrow(/layer 3 "bn0" \(BatchNormalization\) is read by no layer, so the output \(the last layer, "[a-z0-9_]+"\) does not depend on it/);
    const missing = await diag(denseChain(9), { inputShape: [6, 6] }, {});
    expect(missing.code).toBe('BNN206');
  });

  it('detects formats and refuses non-models', async () => {
    const p = (name: string, body: string | Uint8Array) => {
      const q = join(dir, name);
      writeFileSync(q, body);
      return q;
    };
    await expect(importFile(p('m.json', '{"format": "bnn-hw/model@1"}'))).rejects.toThrow(/already a bnn-hw model/);
    await expect(importFile(p('k.json', '{"class_name": "Sequential"}'))).rejects.toThrow(/holds no weights/);
    await expect(importFile(p('z.keras', 'PK\u0003\u0004rest'))).rejects.toThrow(/zip archive/);
    await expect(importFile(p('junk.onnx', new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3])))).rejects.toThrow(/not a readable ONNX file/);
    await expect(importFile(join(dir, 'nope.onnx'))).rejects.toThrow(/cannot read/);
  });
});
