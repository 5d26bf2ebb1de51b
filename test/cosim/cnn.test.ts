/**
 * Convolutional models through the generated RTL: the padded BinaryNet-style example and a seeded
 * sweep of small random CNNs (strides, same / explicit padding with -1, +1 and true zero, pooling before
 * and after the sign, negative gammas, integer / fixed / bipolar / binarised inputs) with random
 * foldings, in Icarus and Verilator with backpressure.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModelFile, loadModelValue } from '../../src/frontend/load.js';
import { verify } from '../../src/flows/verify.js';
import { compileIr } from '../../src/passes/pipeline.js';
import { linearStages } from '../../src/ir/types.js';
import { divisors, simdChoices } from '../../src/passes/folding.js';
import { Prng } from '../../src/util/prng.js';
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
