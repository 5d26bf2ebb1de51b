/**
 * bnn_thresh_in on an unsigned input with a decreasing threshold that no input reaches (the bit is
 * always 0: "x <= -1"): its threshold ROM must not write -1 as an unsigned field (it would read as
 * 2^TW - 1 and make the bit always 1). TS, Icarus and Verilator against the reference.
 */
import { describe, expect, it } from 'vitest';
import { loadModelValue } from '../../src/frontend/load.js';
import { verify } from '../../src/flows/verify.js';
import { requireTools } from '../helpers/tools.js';

const has = requireTools('iverilog', 'vvp', 'verilator');

describe.skipIf(!has)('input binarisation with an unreachable decreasing threshold', () => {
  it('uint8 input, negative gamma, mean below 0: zero mismatches, identical handshakes', async () => {
    const model = loadModelValue({
      format: 'bnn-hw/model@1', name: 'tib', input: { shape: [2], type: 'uint8' },
      layers: [
        { type: 'batchnorm', name: 'bn_in', gamma: [-1, 1], beta: [0, 0], mean: [-10, 100], variance: [1, 1], epsilon: 0.001 },
        { type: 'sign', name: 's_in' },
        { type: 'dense', name: 'fc0', units: 2, weights: [[1, 1], [1, -1]] },
      ],
      output: 'scores',
    });
    const r = await verify(model, { simulators: ['icarus', 'verilator', 'ts'], vectors: 8, seed: 3, stall: 0.2, progress: () => {} });
    expect(r.mismatches, JSON.stringify(r.simulators)).toBe(0);
    expect(r.handshakeMismatch).toEqual([]);
    expect(r.timingMismatch).toEqual([]);
  }, 300_000);
});
