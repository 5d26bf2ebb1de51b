/**
 * Larq DoReFa on activations (issue 12): as an input_quantizer (QuantConv2D, QuantDense), an
 * activation argument and an Activation layer, in its three serialised forms (DoReFa with k_bit and
 * mode, the older DoReFaQuantizer, the alias "dorefa_quantizer"), imported as unsigned k-bit quant
 * layers with scale 1 / (2^k - 1) and compared with an independent float32 evaluation of Larq's
 * definition (test/helpers/keras-h5.ts). The arithmetic claim of src/frontend/importers/larq-dorefa.ts
 * (x / s in float64 gives round(x * n) for every float32 x) is checked against exact integer arithmetic
 * at every tie. Other modes and bit widths are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importFile } from '../../src/frontend/importers/detect.js';
import { loadModelValue } from '../../src/frontend/load.js';
import { inferFloat } from '../../src/reference/float.js';
import { runInference } from '../../src/api/infer.js';
import { activationCode } from '../../src/ir/activation.js';
import { DiagnosticError } from '../../src/diagnostics/diagnostic.js';
import type { Model, QuantLayer } from '../../src/ir/model.js';
import { type KLayer, evalKeras, writeKerasH5 } from '../helpers/keras-h5.js';
import { Prng } from '../helpers/prng.js';
import { bnParams } from '../helpers/import-graphs.js';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bnn-hw-dorefa-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const latent = (r: Prng, shape: number[]) => ({ shape, data: range(shape.reduce((a, b) => a * b, 1)).map(() => 2 * r.float() - 1) });
const SIGN = { kernel_quantizer: 'ste_sign' };
const dorefa = (k_bit: number, mode = 'activations') => ({ class_name: 'DoReFa', config: { k_bit, mode, name: 'dorefa', metrics: [] } });

function bn(r: Prng, name: string, c: number, sd: number): KLayer {
  const p = bnParams(r, c, sd);
  return { cls: 'BatchNormalization', name, cfg: { axis: -1, epsilon: 0.001 }, weights: { gamma: { shape: [c], data: p.gamma }, beta: { shape: [c], data: p.beta }, moving_mean: { shape: [c], data: p.mean }, moving_variance: { shape: [c], data: p.variance } } };
}

/** A Larq CNN on a 5 x 5 x 2 image whose activations are DoReFa of 2, 3 and 4 bits in every place a Larq model puts them. */
function dorefaCnn(seed: number): KLayer[] {
  const r = new Prng(seed);
  return [
    { cls: 'QuantConv2D', name: 'qconv0', cfg: { filters: 3, kernel_size: [2, 2], strides: [1, 1], padding: 'valid', use_bias: false, input_quantizer: dorefa(3), ...SIGN }, weights: { kernel: latent(r, [2, 2, 2, 3]) } },
    bn(r, 'bn0', 3, 1.5),
    { cls: 'Flatten', name: 'flatten', cfg: {} },
    { cls: 'QuantDense', name: 'qd0', cfg: { units: 6, use_bias: false, input_quantizer: { class_name: 'DoReFaQuantizer', config: { k_bit: 4 } }, ...SIGN, activation: 'dorefa_quantizer' }, weights: { kernel: latent(r, [48, 6]) } },
    { cls: 'QuantDense', name: 'qd1', cfg: { units: 5, use_bias: true, input_quantizer: null, ...SIGN }, weights: { kernel: latent(r, [6, 5]), bias: latent(r, [5]) } },
    bn(r, 'bn1', 5, 2),
    { cls: 'Activation', name: 'act', cfg: { activation: dorefa(2) } },
    { cls: 'QuantDense', name: 'qd2', cfg: { units: 4, use_bias: false, input_quantizer: null, ...SIGN }, weights: { kernel: latent(r, [5, 4]) } },
  ];
}

async function importLayers(name: string, layers: KLayer[], inputShape: number[]): Promise<Model> {
  const path = join(dir, name);
  await writeKerasH5(path, layers, { inputShape });
  const r = await importFile(path, { inputType: 'uint8', inputDivisor: 255, output: 'scores' });
  return loadModelValue(JSON.parse(JSON.stringify(r.model)));
}

async function refusal(layers: KLayer[]): Promise<{ code: string; message: string }> {
  try {
    await importLayers(`bad-${Math.random().toString(36).slice(2)}.h5`, layers, [5, 5, 2]);
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics[0]!;
    throw e;
  }
  throw new Error('imported');
}

describe('Larq DoReFa on activations', () => {
  it('input_quantizer, activation and Activation layer become unsigned quant layers; the float and integer engines equal Larq\'s definition', async () => {
    const layers = dorefaCnn(3);
    const model = await importLayers('cnn.h5', layers, [5, 5, 2]);
    expect(model.layers.map((l) => l.type).join(' ')).toBe('affine quant conv2d batchnorm flatten quant dense quant dense batchnorm quant dense');
    const quants = model.layers.filter((l): l is QuantLayer => l.type === 'quant');
    expect(quants.map((q) => [q.bits, q.signed, q.narrow, q.scale])).toEqual([[3, false, false, 1 / 7], [4, false, false, 1 / 15], [2, false, false, 1 / 3], [2, false, false, 1 / 3]]);
    const rng = new Prng(11);
    const inputs = range(60).map(() => range(50).map(() => rng.int(0, 255)));
    const integer = runInference(model, inputs, 'integer');
    const codes = new Set<string>();
    inputs.forEach((px, k) => {
      const ours = inferFloat(model, px) as number[];
      const theirs = evalKeras(layers, [5, 5, 2], px.map((v) => Math.fround(v / 255)));
      ours.forEach((v, i) => expect(Math.abs(v - theirs[i]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(v))));
      expect(integer[k]).toEqual(ours);
      codes.add(JSON.stringify(ours));
    });
    expect(codes.size).toBeGreaterThan(3);
  });

  it('x / s in float64 gives round(x * n) for every float32 x near each tie (m + 1/2) / n and at 1/2, k = 2..8', async () => {
    // exact round-half-even of x * n for a float32 x: x = M * 2^E, all integer arithmetic
    const view = new DataView(new ArrayBuffer(4));
    const exact = (x: number, n: number): number => {
      view.setFloat32(0, x);
      const bits = view.getUint32(0);
      const e = (bits >>> 23) & 0xff;
      const m = BigInt(e === 0 ? bits & 0x7fffff : (bits & 0x7fffff) | 0x800000);
      const shift = BigInt(150 - (e === 0 ? 1 : e)); // x = m / 2^shift
      const q = m * BigInt(n);
      const d = 1n << shift;
      const r = q / d;
      const twice = 2n * (q - r * d);
      return Number(twice > d || (twice === d && r % 2n === 1n) ? r + 1n : r);
    };
    const step = (x: number, by: number) => {
      view.setFloat32(0, x);
      view.setUint32(0, view.getUint32(0) + by);
      return view.getFloat32(0);
    };
    for (let k = 2; k <= 8; k++) {
      const model = await importLayers(`k${k}.h5`, [{ cls: 'Flatten', name: 'flatten', cfg: {} }, { cls: 'Activation', name: 'act', cfg: { activation: dorefa(k) } }], [2]);
      const q = model.layers.find((l): l is QuantLayer => l.type === 'quant')!;
      const n = 2 ** k - 1;
      expect(activationCode(q, 0, 0.5)).toBe(exact(0.5, n));
      for (let m = 0; m < n; m++) {
        const tie = Math.fround((m + 0.5) / n);
        for (let i = -300; i <= 300; i++) {
          const x = step(tie, i);
          expect(activationCode(q, 0, x)).toBe(exact(x, n));
        }
      }
      expect(activationCode(q, 0, -0.001)).toBe(0);
      expect(activationCode(q, 0, 1.5)).toBe(n);
    }
  });

  it('mode "weights", k_bit 1 or 9 (BNN226) and DoReFa as a kernel_quantizer (BNN224) are refused', async () => {
    const withInput = (q: unknown): KLayer[] => {
      const l = dorefaCnn(4);
      l[0] = { ...l[0]!, cfg: { ...l[0]!.cfg, input_quantizer: q } };
      return l;
    };
    expect(await refusal(withInput(dorefa(2, 'weights')))).toMatchObject({ code: 'BNN226', message: 'layer 1 of 9 "qconv0" (QuantConv2D): input_quantizer DoReFa has mode "weights"' });
    expect(await refusal(withInput(dorefa(1)))).toMatchObject({ code: 'BNN226', message: 'layer 1 of 9 "qconv0" (QuantConv2D): input_quantizer DoReFa has k_bit 1, expected an integer from 2 to 8' });
    const act = dorefaCnn(4);
    act[6] = { cls: 'Activation', name: 'act', cfg: { activation: dorefa(9) } };
    expect(await refusal(act)).toMatchObject({ code: 'BNN226', message: 'layer 7 of 9 "act" (Activation): the activation DoReFa has k_bit 9, expected an integer from 2 to 8' });
    const kernel = dorefaCnn(4);
    kernel[3] = { ...kernel[3]!, cfg: { ...kernel[3]!.cfg, kernel_quantizer: dorefa(2, 'weights') } };
    expect((await refusal(kernel)).code).toBe('BNN224');
  });
});
