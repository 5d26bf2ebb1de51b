/**
 * Property tests (fast-check) for k-bit activations: the integer engine (integer thresholds per code
 * level, found by search on the float64 expression) equals the float reference bit for bit on random
 * k-bit models (all widths, signed / unsigned / narrow, multithresholds, ties at exact half steps,
 * pools before and after, mixed with sign layers, conv and dense); round-half-even against its definition.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadModelValue } from '../../src/frontend/load.js';
import { inferFloat } from '../../src/reference/float.js';
import { inferInteger } from '../../src/reference/integer.js';
import { compileIr } from '../../src/passes/pipeline.js';
import { inputRange, isMultiBit } from '../../src/ir/model.js';
import { roundHalfEven } from '../../src/ir/activation.js';
import { multiBitJson } from '../../src/examples/seeded-multibit.js';
import { randomInputs, randomModelJson } from '../helpers/random-models.js';

const kbitModel = (seed: number) => loadModelValue(multiBitJson(randomModelJson(seed), seed));

describe('integer engine equals the float reference on k-bit models', () => {
  it('3000 random models x 6 inputs (fast-check, fixed seed)', () => {
    let models = 0;
    let kbit = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), (seed) => {
        const model = kbitModel(seed);
        const ir = compileIr(model, { multiBit: true });
        const scale = inputRange(model.input.type).scale;
        for (const values of randomInputs(model, seed, 6)) {
          const want = inferFloat(model, values);
          const got = inferInteger(ir, values.map((v) => v / scale)).output;
          expect(got, `seed ${seed}`).toEqual(want);
        }
        models++;
        if (model.layers.some(isMultiBit)) kbit++;
      }),
      { numRuns: 3000, seed: 20261203 },
    );
    expect(models).toBe(3000);
    // most models carry k-bit layers (the others are W1A1 models, unchanged)
    expect(kbit).toBeGreaterThan(2400);
  });
});

describe('roundHalfEven', () => {
  it('is the nearest integer, ties to even (every double)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const r = roundHalfEven(x);
        expect(Number.isInteger(r)).toBe(true);
        const d = Math.abs(x - r);
        expect(d).toBeLessThanOrEqual(0.5);
        if (d === 0.5) expect(Math.abs(r % 2)).toBe(0);
      }),
      { numRuns: 20000, seed: 7 },
    );
  });
  it('on half steps k + 0.5 of every magnitude up to 2^52', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 51), max: 2 ** 51 - 1 }).chain((k) => fc.constant(k)), (k) => {
        const x = k + 0.5;
        expect(roundHalfEven(x)).toBe(k % 2 === 0 ? k : k + 1);
      }),
      { numRuns: 5000, seed: 11 },
    );
  });
});
