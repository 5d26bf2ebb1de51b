import { describe, expect, it } from 'vitest';
import { loadModelValue } from '../../src/frontend/load.js';
import { randomInputs, randomModel } from '../helpers/random-models.js';
import { inferFloat } from '../../src/reference/float.js';
import { inferInteger } from '../../src/reference/integer.js';
import { compileIr } from '../../src/passes/pipeline.js';
import { inputRange } from '../../src/ir/model.js';

describe('integer engine equals the float reference', () => {
  it('on 2000 seeded random models x 6 inputs', () => {
    let checked = 0;
    for (let seed = 1; seed <= 2000; seed++) {
      const model = randomModel(seed);
      const ir = compileIr(model);
      const scale = inputRange(model.input.type).scale;
      for (const values of randomInputs(model, seed, 6)) {
        const codes = values.map((v) => v / scale);
        const want = inferFloat(model, values);
        const got = inferInteger(ir, codes).output;
        if (JSON.stringify(got) !== JSON.stringify(want)) {
          throw new Error(`seed ${seed}: integer ${JSON.stringify(got)} != float ${JSON.stringify(want)}`);
        }
        checked++;
      }
    }
    expect(checked).toBe(12000);
  });
});

describe('windows made only of padding hold only padding values (both engines)', () => {
  // bipolar [1, 1, 2] image x = [-1, +1]; 1x1 conv, filters w0 = [+1, +1], w1 = [+1, -1], padding 1 on
  // every side: 3 x 3 outputs, the centre sees the image (w0.x = 0, w1.x = -2), the 8 others only the
  // padding value v (w0.v = 2v, w1.v = 0), true zero (v = 0) counting no position at all.
  const model = (padValue: -1 | 0 | 1, padding: number[]) =>
    loadModelValue({
      format: 'bnn-hw/model@1', name: 'padonly', input: { shape: [1, 1, 2], type: 'bipolar' },
      layers: [{ type: 'conv2d', name: 'c', filters: 2, kernel: [1, 1], padding, padValue, weights: [[[[1, 1]]], [[[1, -1]]]] }],
      output: 'scores',
    });
  it.each([-1, 0, 1] as const)('padValue %i, padding 1 around a 1x1 kernel', (v) => {
    const m = model(v, [1, 1, 1, 1]);
    const want = Array.from({ length: 9 }, (_, p) => (p === 4 ? [0, -2] : [2 * v, 0])).flat();
    expect(inferFloat(m, [-1, 1])).toEqual(want);
    expect(inferInteger(compileIr(m), [0, 1]).output).toEqual(want);
  });
  it('padding beyond the kernel on one side only (top 3, right 2): 4 x 3 outputs', () => {
    const m = model(1, [3, 0, 0, 2]);
    const want = Array.from({ length: 12 }, (_, p) => (p === 9 ? [0, -2] : [2, 0])).flat();
    expect(inferFloat(m, [-1, 1])).toEqual(want);
    expect(inferInteger(compileIr(m), [0, 1]).output).toEqual(want);
  });
  it('an int8 first layer padded with -1 beyond its 2x1 kernel', () => {
    // int8 [1, 1, 1] image x = 5, kernel [2, 1] weights [+1, -1], padding [2, 2, 0, 0]: 5 padded rows,
    // 4 windows (rows -2..-1, -1..0, 0..1, 1..2): -1 - (-1) = 0, -1 - 5 = -6, 5 - (-1) = 6, -1 - (-1) = 0
    const m = loadModelValue({
      format: 'bnn-hw/model@1', name: 'padint', input: { shape: [1, 1, 1], type: 'int8' },
      layers: [{ type: 'conv2d', name: 'c', filters: 1, kernel: [2, 1], padding: [2, 2, 0, 0], weights: [[[[1]], [[-1]]]] }],
      output: 'scores',
    });
    expect(inferFloat(m, [5])).toEqual([0, -6, 6, 0]);
    expect(inferInteger(compileIr(m), [5]).output).toEqual([0, -6, 6, 0]);
  });
});
