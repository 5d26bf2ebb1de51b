/**
 * A seeded sweep of small random MLPs (uint / int / fixed / bipolar inputs, binarised or raw first
 * layer, negative and zero gammas, exact ties, trailing batchnorm / affine, argmax or scores) with
 * random foldings, through Icarus and Verilator with backpressure.
 */
import { describe, expect, it } from 'vitest';
import { loadModelValue } from '../../src/frontend/load.js';
import { verify } from '../../src/flows/verify.js';
import { compileIr } from '../../src/passes/pipeline.js';
import { linearStages } from '../../src/ir/types.js';
import { divisors } from '../../src/passes/folding.js';
import { mlpJson, type InputTypeJson } from '../../src/examples/seeded-models.js';
import { Prng } from '../../src/util/prng.js';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireTools } from '../helpers/tools.js';

const has = requireTools('iverilog', 'vvp', 'verilator');
const TYPES: InputTypeJson[] = ['uint8', 'int4', 'bipolar', { fixed: { bits: 8, frac: 7 } }, 'uint3'];

describe.skipIf(!has)('random MLPs through the RTL', () => {
  for (let seed = 1; seed <= 10; seed++) {
    it(`random MLP #${seed}`, async () => {
      const rng = new Prng(seed * 101);
      const inputType = TYPES[seed % TYPES.length]!;
      const json = mlpJson({
        name: `rnd${seed}`, seed, inputs: rng.int(2, 40), widths: Array.from({ length: rng.int(0, 2) }, () => rng.int(1, 24)), classes: rng.int(2, 12),
        inputType, binarizeInput: inputType !== 'bipolar' && rng.bool(), lastBn: rng.bool(), output: rng.bool(0.7) ? 'argmax' : 'scores',
        bn: { negGamma: 0.4, zeroGamma: 0.1, tie: 0.3 }, bias: rng.bool(0.3),
      });
      const model = loadModelValue(json);
      const layers = linearStages(compileIr(model)).map((l) => ({ pe: rng.pick(divisors(l.mh)), simd: rng.pick(divisors(l.mw)) }));
      const dir = mkdtempSync(join(tmpdir(), 'bnn-hw-fold-'));
      writeFileSync(join(dir, 'fold.json'), JSON.stringify({ layers }));
      const r = await verify(model, { fold: join(dir, 'fold.json'), simulators: ['icarus', 'verilator'], vectors: 10, seed, stall: 0.3, progress: () => {} });
      expect(r.mismatches, JSON.stringify(r.simulators)).toBe(0);
      expect(r.timingMismatch, JSON.stringify({ plan: r.plan, sims: r.simulators })).toEqual([]);
    }, 300_000);
  }
});
