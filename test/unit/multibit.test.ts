/**
 * k-bit activations (quant, multithreshold): rounding, code ranges and small models whose outputs are
 * worked out by hand in the comments, run through both engines.
 */
import { describe, expect, it } from 'vitest';
import { loadModelValue } from '../../src/frontend/load.js';
import { inferFloat } from '../../src/reference/float.js';
import { inferInteger } from '../../src/reference/integer.js';
import { compileIr } from '../../src/passes/pipeline.js';
import { quantRange, roundHalfEven } from '../../src/ir/activation.js';
import { inputRange } from '../../src/ir/model.js';

describe('roundHalfEven', () => {
  it.each([
    [0.5, 0], [1.5, 2], [2.5, 2], [3.5, 4], [-0.5, 0], [-1.5, -2], [-2.5, -2], [-3.5, -4],
    [0.49999999999999994, 0], [-0.49999999999999994, 0], [2.4999999999999996, 2], [-3.7, -4], [3.2, 3], [-(2 ** -60), 0],
    // ties near 2^52, where x + 0.5 is not exact
    [2 ** 51 + 0.5, 2 ** 51], [2 ** 51 + 1.5, 2 ** 51 + 2], [-(2 ** 51 + 1.5), -(2 ** 51 + 2)], [2 ** 52 - 0.5, 2 ** 52],
    // every float64 from 2^52 on is an integer
    [2 ** 52 + 1, 2 ** 52 + 1], [-(2 ** 53 + 2), -(2 ** 53 + 2)], [1e300, 1e300],
  ])('%d -> %d', (x, want) => {
    expect(Object.is(roundHalfEven(x), want)).toBe(true);
  });
});

describe('quantRange', () => {
  it.each([
    [2, false, false, 0, 3], [2, true, false, -2, 1], [2, true, true, -1, 1], [8, true, false, -128, 127],
    [8, false, false, 0, 255], [3, false, true, 0, 7], [4, true, true, -7, 7],
  ])('%i bits signed=%s narrow=%s: [%i, %i]', (bits, signed, narrow, min, max) => {
    expect(quantRange({ bits, signed, narrow })).toEqual({ min, max });
  });
});

const model = (input: { shape: number[]; type: unknown }, layers: unknown[], output = 'scores') =>
  loadModelValue({ format: 'bnn-hw/model@1', name: 'kbit', input, layers, output });

/** Both engines on input codes; the float reference gets the real values. */
function both(m: ReturnType<typeof model>, codes: number[]): { float: unknown; integer: unknown } {
  const scale = inputRange(m.input.type).scale;
  return { float: inferFloat(m, codes.map((c) => c * scale)), integer: inferInteger(compileIr(m, { multiBit: true }), codes).output };
}

describe('small k-bit models, both engines', () => {
  it('quant between dense layers: ties to even, clamped to the signed range', () => {
    // fc0 rows [1,1,1,1] and [1,-1,1,-1]; quant 2-bit signed, scale 2 (codes -2..1); fc1 [1,-1]; output 2 * S1
    const m = model({ shape: [4], type: 'int8' }, [
      { type: 'dense', units: 2, weights: [[1, 1, 1, 1], [1, -1, 1, -1]] },
      { type: 'quant', bits: 2, signed: true, scale: 2 },
      { type: 'dense', units: 1, weights: [[1, -1]] },
    ]);
    // [1,2,0,0]: y = 3, -1 -> 1.5 -> 2 -> clamp 1, -0.5 -> 0: S1 = 1 -> 2
    expect(both(m, [1, 2, 0, 0])).toEqual({ float: [2], integer: [2] });
    // [3,0,0,0]: y = 3, 3 -> codes 1, 1 -> 0
    expect(both(m, [3, 0, 0, 0])).toEqual({ float: [0], integer: [0] });
    // [-5,0,0,0]: y = -5, -5 -> -2.5 -> -2 (even), both -2 -> 0; [-7,0,0,0]: -3.5 -> -4 -> clamp -2 -> 0
    expect(both(m, [-5, 0, 0, 0])).toEqual({ float: [0], integer: [0] });
    // [-1,-2,0,0]: y = -3, 1 -> -1.5 -> -2, 0.5 -> 0: S1 = -2 -> -4
    expect(both(m, [-1, -2, 0, 0])).toEqual({ float: [-4], integer: [-4] });
  });

  it('multithreshold with an offset: y = outScale * S1 + outBias * S2 + bias', () => {
    // fc0 rows [1,1], [1,-1]; thresholds [0,5,10] for both channels, value 2c - 3; fc1 [1,1] (S2 = 2), bias 0.5
    const m = model({ shape: [2], type: 'uint8' }, [
      { type: 'dense', units: 2, weights: [[1, 1], [1, -1]] },
      { type: 'multithreshold', thresholds: [[0, 5, 10]], outScale: 2, outBias: -3 },
      { type: 'dense', units: 1, weights: [[1, 1]], bias: [0.5] },
    ]);
    // [4,3]: y = 7, 1 -> counts 2, 1 -> 2*3 - 3*2 + 0.5 = 0.5
    expect(both(m, [4, 3])).toEqual({ float: [0.5], integer: [0.5] });
    // [10,0]: y = 10, 10 -> counts 3, 3 -> 12 - 6 + 0.5 = 6.5
    expect(both(m, [10, 0])).toEqual({ float: [6.5], integer: [6.5] });
    // [0,1]: y = 1, -1 -> counts 1, 0 -> 2 - 6 + 0.5 = -3.5
    expect(both(m, [0, 1])).toEqual({ float: [-3.5], integer: [-3.5] });
  });

  it('a negative gain makes the code non-increasing in the accumulator', () => {
    // x -> affine -0.5 x + 2 -> quant unsigned 2-bit scale 1 -> dense [1]: 2, 1.5, 1, 0.5, -0.5 -> 2, 2, 1, 0, 0
    const m = model({ shape: [1], type: 'uint8' }, [
      { type: 'dense', units: 1, weights: [[1]] },
      { type: 'affine', scale: -0.5, bias: 2 },
      { type: 'quant', bits: 2, signed: false, scale: 1 },
      { type: 'dense', units: 1, weights: [[1]] },
    ]);
    const want = [[2], [2], [1], [0], [0]];
    [0, 1, 2, 3, 5].forEach((x, i) => expect(both(m, [x])).toEqual({ float: want[i], integer: want[i] }));
  });

  it('a convolution over codes pads with the code of its pad value', () => {
    // x = [1, 3] (int8, [1, 2, 1]); 1x1 conv [1] -> quant unsigned 2-bit scale 0.5: 2, 6 -> codes 2, 3;
    // conv [1, 2] weights [+1, -1], one pad column on the left with padValue 1 (code 2):
    // position 0: 2 - 2 = 0 -> 0; position 1: 2 - 3 = -1 -> -0.5
    const layers = (padValue: number) => [
      { type: 'conv2d', filters: 1, kernel: [1, 1], weights: [[[[1]]]] },
      { type: 'quant', bits: 2, signed: false, scale: 0.5 },
      { type: 'conv2d', filters: 1, kernel: [1, 2], padding: [0, 0, 1, 0], padValue, weights: [[[[1], [-1]]]] },
    ];
    expect(both(model({ shape: [1, 2, 1], type: 'int8' }, layers(1)), [1, 3])).toEqual({ float: [0, -0.5], integer: [0, -0.5] });
    // padValue -1 is code -2: position 0: -2 - 2 = -4 -> -2
    expect(both(model({ shape: [1, 2, 1], type: 'int8' }, layers(-1)), [1, 3])).toEqual({ float: [-2, -0.5], integer: [-2, -0.5] });
  });

  it('quant on the raw input (in place of the binarising sign)', () => {
    // uint8 -> quant unsigned 2-bit scale 64 -> dense [1,1,1] -> 64 * S1
    const m = model({ shape: [3], type: 'uint8' }, [
      { type: 'quant', bits: 2, signed: false, scale: 64 },
      { type: 'dense', units: 1, weights: [[1, 1, 1]] },
    ]);
    // 31/64 -> 0, 32/64 = 0.5 -> 0, 255/64 -> 4 -> 3: 192
    expect(both(m, [31, 32, 255])).toEqual({ float: [192], integer: [192] });
    // 96/64 = 1.5 -> 2, 160/64 = 2.5 -> 2, 100/64 -> 2: 384
    expect(both(m, [96, 160, 100])).toEqual({ float: [384], integer: [384] });
  });

  it('a narrow signed quant on a bipolar input, and maxpool of codes', () => {
    // bipolar [2, 2, 1]: quant 2-bit signed narrow scale 1 keeps -1 / +1; maxpool 2x2; 1x1 conv [1]
    const m = model({ shape: [2, 2, 1], type: 'bipolar' }, [
      { type: 'quant', bits: 2, signed: true, narrow: true, scale: 1 },
      { type: 'maxpool', pool: [2, 2] },
      { type: 'conv2d', filters: 1, kernel: [1, 1], weights: [[[[-1]]]] },
    ]);
    expect(both(m, [-1, -1, 1, -1])).toEqual({ float: [-1], integer: [-1] });
    expect(both(m, [-1, -1, -1, -1])).toEqual({ float: [1], integer: [1] });
  });

  it('W1A1 models give the same IR as before (no levels, no offset)', () => {
    const m = model({ shape: [2], type: 'uint8' }, [
      { type: 'dense', units: 2, weights: [[1, 1], [1, -1]] },
      { type: 'sign' },
      { type: 'dense', units: 1, weights: [[1, 1]] },
    ]);
    const lin = compileIr(m).stages.filter((s) => s.op === 'linear');
    expect(lin.map((s) => [s.levels, s.inOffset, s.input])).toEqual([[null, null, 'int'], [null, null, 'binary']]);
  });
});
