/**
 * Residual graphs (issue 13), both engines: small graphs whose outputs are worked out by hand from the
 * issue's definitions (the expected numbers are the float64 expressions of those definitions, written
 * out here), and a fast-check property: the graph integer engine equals the float reference bit for bit
 * on 2000 random graphs.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadModelValue } from '../../src/frontend/load.js';
import { inferFloat } from '../../src/reference/float.js';
import { inferGraphInteger } from '../../src/reference/graph-integer.js';
import { addAlignment, codeDomains } from '../../src/ir/graph.js';
import { inputRange, isActivation, type Model } from '../../src/ir/model.js';
import { runInference } from '../../src/api/infer.js';
import { randomGraphJson } from '../../src/examples/random-graphs.js';
import { randomInputs } from '../helpers/random-models.js';

const graph = (input: { shape: number[]; type: unknown }, layers: unknown[], output = 'scores') =>
  loadModelValue({ format: 'bnn-hw/model@1', name: 'g', input, layers, output });

/** Both engines on input codes (the float reference gets the real values); they must agree. */
function run(m: Model, codes: number[]): unknown {
  const scale = inputRange(m.input.type).scale;
  const float = inferFloat(m, codes.map((c) => c * scale));
  expect(inferGraphInteger(m, codes)).toEqual(float);
  expect(runInference(m, [codes], 'integer')).toEqual([float]);
  return float;
}

describe('add', () => {
  it('codes at scales 1 and 2: c_a + 2 c_b at scale 1, offset o_a + o_b in one addition', () => {
    // a = multithreshold [[0]] (code 1 when x >= 0), value 1 * c + 0.1; b = multithreshold [[0, 2]], value 2 * c + 0.2
    const m = graph({ shape: [2], type: 'int4' }, [
      { type: 'multithreshold', name: 'a', inputs: ['input'], thresholds: [[0]], outScale: 1, outBias: 0.1 },
      { type: 'multithreshold', name: 'b', inputs: ['input'], thresholds: [[0, 2]], outScale: 2, outBias: 0.2 },
      { type: 'add', inputs: ['a', 'b'] },
    ]);
    // x = [3, -1]: a codes [1, 0], b codes [2, 0] -> [1 + 4, 0] at scale 1, offset 0.1 + 0.2
    const want = [1 * 5 + (0.1 + 0.2), 1 * 0 + (0.1 + 0.2)];
    expect(run(m, [3, -1])).toEqual(want);
    // the sum of the values would round differently: (1 + 0.1) + (4 + 0.2) = 5.300000000000001
    expect(want[0]).not.toBe(1 * 1 + 0.1 + (2 * 2 + 0.2));
  });

  it('the operand with the larger scale is the one shifted, whichever comes first', () => {
    // sign (scale 1) + quant scale 0.25 (k = 2): codes q + 4 s at scale 0.25
    const m = graph({ shape: [2], type: 'int4' }, [
      { type: 'sign', name: 's', inputs: ['input'] },
      { type: 'quant', name: 'q', inputs: ['input'], bits: 4, signed: true, scale: 0.25 },
      { type: 'add', name: 'sum', inputs: ['s', 'q'] },
      { type: 'dense', units: 1, weights: [[1, -1]] },
    ]);
    // x = [1, -2]: s [1, -1]; q: 1 / 0.25 = 4, -2 / 0.25 = -8 -> codes [4, -8]; sum codes [8, -12]
    // dense: S1 = 8 - (-12) = 20, y = 0.25 * 20
    expect(run(m, [1, -2])).toEqual([0.25 * 20]);
  });

  it('unrelated scales: the float64 sum of the values', () => {
    const m = graph({ shape: [1], type: 'uint4' }, [
      { type: 'quant', name: 'q', bits: 4, signed: false, scale: 0.3 },
      { type: 'sign', name: 's', inputs: ['input'] },
      { type: 'add', inputs: ['q', 's'] },
    ]);
    // x = 3: 3 / 0.3 = 10.000000000000002 -> code 10, value 0.3 * 10; sign +1
    expect(run(m, [3])).toEqual([0.3 * 10 + 1]);
  });

  it('fan-out: a shortcut around a dense block, then a dense layer on the grown code range', () => {
    // x -> sign -> s; s -> fc (rows [1, 1], [1, -1]) -> sign -> t; add(t, s) codes in -2..2; out = dense [[1, 1]]
    const m = graph({ shape: [2], type: 'int4' }, [
      { type: 'sign', name: 's' },
      { type: 'dense', name: 'fc', units: 2, weights: [[1, 1], [1, -1]] },
      { type: 'sign', name: 't' },
      { type: 'add', name: 'r', inputs: ['t', 's'] },
      { type: 'dense', name: 'out', units: 1, weights: [[1, 1]] },
    ]);
    // x = [2, -3]: s = [1, -1]; fc = [0, 2] -> t = [1, 1]; r = [2, 0]; out = 2
    expect(run(m, [2, -3])).toEqual([2]);
    // x = [-1, 5]: s = [-1, 1]; fc = [0, -2] -> t = [1, -1]; r = [0, 0]; out = 0
    expect(run(m, [-1, 5])).toEqual([0]);
  });

  it('the model input on the shortcut: its codes at its scale (fixed point: 2^-frac)', () => {
    // input fixed<6,2> (scale 0.25) + sign (scale 1 = 0.25 * 2^2): codes x + 4 s at scale 0.25
    const m = graph({ shape: [2], type: { fixed: { bits: 6, frac: 2 } } }, [
      { type: 'sign', name: 's' },
      { type: 'add', inputs: ['input', 's'] },
    ]);
    // codes [3, -5] (values 0.75, -1.25): s = [1, -1] -> [3 + 4, -5 - 4] at scale 0.25
    expect(run(m, [3, -5])).toEqual([0.25 * 7, 0.25 * -9]);
  });
});

describe('average pooling', () => {
  it('globalavgpool of codes: the exact code sum at scale / (H * W)', () => {
    // affine 0.1 x, quant scale 0.1: x = 1 -> 0.1 / 0.1 = 1 -> code 1; three codes 1 sum to 3
    const m = graph({ shape: [1, 3, 1], type: 'uint4' }, [
      { type: 'affine', scale: 0.1, bias: 0 },
      { type: 'quant', bits: 4, signed: false, scale: 0.1 },
      { type: 'globalavgpool' },
    ]);
    expect(run(m, [1, 1, 1])).toEqual([(0.1 / 3) * 3]);
    // the mean of the values would be (0.1 + 0.1 + 0.1) / 3 = 0.10000000000000002
    expect((0.1 / 3) * 3).not.toBe((0.1 + 0.1 + 0.1) / 3);
  });

  it('avgpool of real values: the float64 window sum in (ky, kx) order divided by the area', () => {
    // affine 0.1 x on a 2x2x1 image, one 2x2 window: ((0.1 * 1 + 0.1 * 2) + 0.1 * 3) + 0.1 * 4, / 4
    const m = graph({ shape: [2, 2, 1], type: 'uint4' }, [{ type: 'affine', scale: 0.1, bias: 0 }, { type: 'avgpool', pool: [2, 2] }]);
    expect(run(m, [1, 2, 3, 4])).toEqual([(0.1 * 1 + 0.1 * 2 + 0.1 * 3 + 0.1 * 4) / 4]);
  });

  it('avgpool of codes feeds a conv padded with the code of its pad value', () => {
    // sign of a 3x3x1 image, avgpool 2x2 stride 1 -> 2x2 sums of +-1 at scale 1/4; maxpool 2x2 of the codes
    const m = graph({ shape: [3, 3, 1], type: 'int4' }, [
      { type: 'sign' },
      { type: 'avgpool', pool: [2, 2], strides: [1, 1] },
      { type: 'conv2d', filters: 1, kernel: [2, 2], padding: [0, 1, 0, 1], padValue: 1, weights: [[[[1], [1]], [[1], [1]]]] },
    ]);
    // x signs: [[1, -1, 1], [1, 1, -1], [-1, 1, 1]] -> window sums [[2, 0], [2, 2]] at scale 0.25
    // pad value 1 is code 4; conv windows (with pad code 4 right / below):
    // (0,0): 2 + 0 + 2 + 2 = 6; (0,1): 0 + 4 + 2 + 4 = 10; (1,0): 2 + 2 + 4 + 4 = 12; (1,1): 2 + 4 + 4 + 4 = 14
    expect(run(m, [1, -1, 1, 0, 3, -2, -5, 2, 7])).toEqual([0.25 * 6, 0.25 * 10, 0.25 * 12, 0.25 * 14]);
  });

  it('maxpool and flatten of avgpool codes, then a dense layer on them', () => {
    const m = graph({ shape: [3, 3, 1], type: 'int4' }, [
      { type: 'sign' },
      { type: 'avgpool', pool: [2, 2], strides: [1, 1] },
      { type: 'maxpool', pool: [2, 2] },
      { type: 'flatten' },
      { type: 'dense', units: 1, weights: [[-1]] },
    ]);
    // the window sums above, [[2, 0], [2, 2]] at scale 0.25; their max 2; dense -1 * 2 at scale 0.25
    expect(run(m, [1, -1, 1, 0, 3, -2, -5, 2, 7])).toEqual([0.25 * -2]);
    // all signs -1: every window sums to -4, max -4 -> 0.25 * 4
    expect(run(m, [-1, -1, -1, -1, -1, -1, -1, -1, -1])).toEqual([0.25 * 4]);
  });
});

/** How an add of a model combines its inputs: 'equal' / 'shifted' scales, 'values', or null for other layers. */
function addKinds(m: Model): string[] {
  const d = codeDomains(m);
  return m.layers
    .filter((l) => l.type === 'add')
    .map((l) => {
      const [a, b] = l.inputs.map((n) => d.get(n));
      const al = a && b ? addAlignment(a.scale, b.scale) : null;
      return al ? (al.k === 0 ? 'equal' : 'shifted') : 'values';
    });
}

describe('graph integer engine equals the float reference', () => {
  it('2000 random graphs x 4 inputs (fast-check, fixed seed)', () => {
    const seen = new Map<string, number>();
    const count = (k: string) => seen.set(k, (seen.get(k) ?? 0) + 1);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), (seed) => {
        const model = loadModelValue(randomGraphJson(seed));
        const scale = inputRange(model.input.type).scale;
        for (const values of randomInputs(model, seed, 4)) {
          const want = inferFloat(model, values);
          expect(inferGraphInteger(model, values.map((v) => v / scale)), `seed ${seed}`).toEqual(want);
        }
        addKinds(model).forEach(count);
        for (const l of model.layers) {
          if (l.type === 'avgpool' || l.type === 'globalavgpool' || l.type === 'conv2d' || l.type === 'maxpool' || l.type === 'multithreshold' || l.type === 'quant') count(l.type);
          if (isActivation(l)) count('activation');
        }
        if (new Set(model.layers.flatMap((l) => l.inputs)).size < model.layers.flatMap((l) => l.inputs).length) count('fan-out');
      }),
      { numRuns: 2000, seed: 20261213 },
    );
    // every form the issue names occurs many times
    for (const k of ['equal', 'shifted', 'values', 'avgpool', 'globalavgpool', 'conv2d', 'maxpool', 'multithreshold', 'quant', 'fan-out']) {
      expect(seen.get(k) ?? 0, k).toBeGreaterThan(100);
    }
  });
});
