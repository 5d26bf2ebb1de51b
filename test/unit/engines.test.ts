import { describe, expect, it } from 'vitest';
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
