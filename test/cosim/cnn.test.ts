/**
 * Convolutional models through the generated RTL: the padded BinaryNet-style example, small CNNs at
 * the geometry corners (padding at least as large as the kernel, strides larger than the kernel and
 * the pool) in Icarus, Verilator and the TS model, and a seeded sweep of small random CNNs (strides,
 * same / explicit padding with -1, +1 and true zero, pooling before and after the sign, negative
 * gammas, integer / fixed / bipolar / binarised inputs) with random foldings, in Icarus and Verilator
 * with backpressure.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModelFile, loadModelValue } from '../../src/frontend/load.js';
import { verify } from '../../src/flows/verify.js';
import { compileIr } from '../../src/passes/pipeline.js';
import { linearStages } from '../../src/ir/types.js';
import { divisors, simdChoices } from '../../src/passes/folding.js';
import { Prng } from '../../src/util/prng.js';
import { cnnJson } from '../../src/examples/seeded-models.js';
import { randomModelJson } from '../helpers/random-models.js';
import { requireTools } from '../helpers/tools.js';

const has = requireTools('iverilog', 'vvp', 'verilator');

describe.skipIf(!has)('CNNs in Icarus and Verilator', () => {
  it('binarynet_small (pad -1 / +1 / 0, stride 2, pool before batchnorm): zero mismatches, timing = plan', async () => {
    const r = await verify(loadModelFile('examples/binarynet_small.json'), { targetFps: 5e4, simulators: ['icarus', 'verilator'], vectors: 8, seed: 2, stall: 0.2, progress: () => {} });
    expect(r.mismatches, JSON.stringify(r.simulators)).toBe(0);
    expect(r.timingMismatch).toEqual([]);
  }, 600_000);

  it('CNV with FINN folding under Verilator: FINN per-layer cycles, zero mismatches, timing = plan', async () => {
    const r = await verify(loadModelFile('examples/cnv.json'), { fold: 'examples/folds/cnv-finn.json', simulators: ['verilator'], vectors: 3, seed: 4, stall: 0.1, progress: () => {} });
    expect(r.plan.cyclesPerFrame).toBe(32768);
    expect(r.simulators['verilator']!.mismatches).toBe(0);
    expect(r.timingMismatch).toEqual([]);
  }, 1_200_000);

  // windows made only of padding (top / bottom / left / right, pad -1, +1 and true zero, binary and
  // integer first layers), rows and columns skipped by conv and pool strides, a stride beyond the image
  const corners: [string, Record<string, unknown>][] = [
    ['binarised input, 2x2 conv padded [3, 2, 2, 4] with 0, then 3x3 stride 2 padded 4 with +1, pool 2x2 stride 3',
      cnnJson({ name: 'corner_pad_bin', seed: 11, input: [4, 5, 2], inputType: 'uint4', binarizeInput: true, convs: [
        { filters: 3, kernel: 2, padding: [3, 2, 2, 4], padValue: 0 },
        { filters: 4, kernel: 3, stride: 2, padding: [4, 4, 3, 3], padValue: 1, pool: { size: 2, stride: 3, where: 'after' } },
      ], dense: [], classes: 3 })],
    ['int8 first layer, 2x2 conv stride [3, 2] padded [2, 3, 1, 2] with -1, pool [1, 2] stride [2, 3] before batchnorm',
      cnnJson({ name: 'corner_pad_int', seed: 12, input: [5, 6, 1], inputType: 'int8', convs: [
        { filters: 4, kernel: 2, stride: [3, 2], padding: [2, 3, 1, 2], padValue: -1, pool: { size: [1, 2], stride: [2, 3], where: 'before' } },
      ], dense: [3], classes: 2, output: 'scores' })],
    ['fixed input, 1x1 conv padded 2 with +1, pool 2x2 stride 9 (beyond the image), bipolar second conv padded 2 with 0',
      cnnJson({ name: 'corner_pad_fix', seed: 13, input: [3, 3, 2], inputType: { fixed: { bits: 6, frac: 3 } }, convs: [
        { filters: 2, kernel: 1, padding: [2, 2, 2, 2], padValue: 1, pool: { size: 2, stride: 9, where: 'after' } },
        { filters: 3, kernel: 1, padding: [2, 0, 0, 2], padValue: 0 },
      ], dense: [], classes: 4 })],
  ];
  it.each(corners)('geometry corner: %s (Icarus, Verilator, ts)', async (_name, json) => {
    const model = loadModelValue(json);
    const seed = json['name'] === 'corner_pad_bin' ? 1 : json['name'] === 'corner_pad_int' ? 2 : 3;
    const rng = new Prng(seed * 977);
    const layers = linearStages(compileIr(model)).map((l) => ({ pe: rng.pick(divisors(l.mh)), simd: rng.pick(simdChoices(l)) }));
    const dir = mkdtempSync(join(tmpdir(), 'bnn-hw-fold-'));
    writeFileSync(join(dir, 'fold.json'), JSON.stringify({ layers }));
    let r;
    try {
      r = await verify(model, { fold: join(dir, 'fold.json'), simulators: ['icarus', 'verilator', 'ts'], vectors: 6, seed, stall: 0.3, progress: () => {} });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(r.mismatches, JSON.stringify(r.simulators)).toBe(0);
    expect(r.timingMismatch, JSON.stringify({ plan: r.plan, sims: r.simulators })).toEqual([]);
    expect(r.handshakeMismatch).toEqual([]);
    expect(r.simulators['ts']!.handshakes!.handshakes).toBeGreaterThan(0);
  }, 300_000);

  const seeds: number[] = [];
  for (let s = 1; seeds.length < 8; s++) if ((randomModelJson(s)['name'] as string).startsWith('rnd_cnn')) seeds.push(s);
  for (const seed of seeds) {
    it(`random CNN (model seed ${seed})`, async () => {
      const model = loadModelValue(randomModelJson(seed));
      const rng = new Prng(seed * 31);
      const layers = linearStages(compileIr(model)).map((l) => ({ pe: rng.pick(divisors(l.mh)), simd: rng.pick(simdChoices(l)) }));
      const dir = mkdtempSync(join(tmpdir(), 'bnn-hw-fold-'));
      writeFileSync(join(dir, 'fold.json'), JSON.stringify({ layers }));
      const r = await verify(model, { fold: join(dir, 'fold.json'), simulators: ['icarus', 'verilator'], vectors: 8, seed, stall: 0.3, progress: () => {} });
      expect(r.mismatches, JSON.stringify(r.simulators)).toBe(0);
      expect(r.timingMismatch, JSON.stringify({ plan: r.plan, sims: r.simulators })).toEqual([]);
    }, 300_000);
  }
});
