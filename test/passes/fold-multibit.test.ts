/**
 * fold-thresholds for k-bit activations: the level thresholds of every neuron give the reference's code
 * at every integer dot product, and a small model's IR is checked by hand.
 */
import { describe, expect, it } from 'vitest';
import { randomModelJson } from '../helpers/random-models.js';
import { multiBitJson } from '../../src/examples/seeded-multibit.js';
import { loadModelValue } from '../../src/frontend/load.js';
import { step, type Coded } from '../../src/reference/float.js';
import { compileIr } from '../../src/passes/pipeline.js';
import { isLinear, isMultiBit, type Model } from '../../src/ir/model.js';
import type { IrLinear } from '../../src/ir/types.js';
import { printIr } from '../../src/ir/print.js';

/**
 * The reference's codes per channel when every output of linear layer `at` has dot product d: y = s*d
 * (+ o*S2 with S2 the sum of the neuron's +-1 weights, from the model), + bias, then the layers up to
 * the activation, on a one-position tensor.
 */
function codesAfter(model: Model, at: number, d: number, scale: number, offset: number): Float64Array {
  const l = model.layers[at]!;
  if (!isLinear(l)) throw new Error('not linear');
  const c = l.outShape[l.outShape.length - 1]!;
  const mw = l.weights.length / c;
  const x = new Float64Array(c);
  for (let j = 0; j < c; j++) {
    let s2 = 0;
    for (let i = j * mw; i < (j + 1) * mw; i++) s2 += l.weights[i] ? 1 : -1;
    const acc = offset === 0 ? scale * d : scale * d + offset * s2;
    x[j] = l.bias ? acc + l.bias[j]! : acc;
  }
  let t: Float64Array | Coded = x;
  for (const op of model.layers.slice(at + 1)) {
    if (op.type === 'batchnorm' || op.type === 'affine' || isMultiBit(op)) t = step({ ...op, inShape: [c], outShape: [c] }, t);
    if (isMultiBit(op)) return (t as Coded).codes;
  }
  throw new Error('no k-bit activation');
}

describe('fold-thresholds, k-bit levels', () => {
  it('give, for every neuron of 300 random k-bit models, the reference code at every integer dot product', () => {
    let neurons = 0;
    let points = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const model = loadModelValue(multiBitJson(randomModelJson(seed), seed, { kbit: 1 }));
      const linears = compileIr(model, { multiBit: true }).stages.filter((s): s is IrLinear => s.op === 'linear');
      const idx = model.layers.map((l, i) => (isLinear(l) ? i : -1)).filter((i) => i >= 0);
      linears.forEach((s, k) => {
        if (!s.levels) return;
        const { n, min, thr } = s.levels;
        const lo = Math.max(-s.dMax, -4000);
        for (let d = lo; d <= -lo; d++) {
          const want = codesAfter(model, idx[k]!, d, s.scale, s.inOffset?.offset ?? 0);
          for (let j = 0; j < s.mh; j++) {
            const dd = s.flip[j] ? -d : d;
            let got = min;
            for (let l = 0; l < n; l++) if (dd >= thr[j * n + l]!) got++;
            if (got !== want[j]) throw new Error(`seed ${seed} layer ${s.name} neuron ${j} d=${d}: thresholds give ${got}, reference ${want[j]}`);
            points++;
          }
        }
        neurons += s.mh;
      });
    }
    expect(neurons).toBeGreaterThan(500);
    expect(points).toBeGreaterThan(100000);
  });

  it('prints the IR of a small model as reviewed text', () => {
    const model = loadModelValue({
      format: 'bnn-hw/model@1', name: 'tiny', input: { shape: [2], type: 'uint8' },
      layers: [
        { type: 'dense', name: 'fc0', units: 2, weights: [[1, 1], [1, -1]] },
        { type: 'affine', name: 'a0', scale: [1, -1], bias: 0 },
        { type: 'quant', name: 'q0', bits: 2, signed: false, scale: 2 },
        { type: 'dense', name: 'fc1', units: 1, weights: [[1, 1]] },
      ],
      output: 'scores',
    });
    // Hand-checked: code = clamp(rhe(x / 2), 0, 3). Neuron 0 (x = d): d = 1 -> 0.5 -> 0 (tie to even),
    // d = 2 -> 1, d = 3 -> 1.5 -> 2, d = 5 -> 2.5 -> 2, d = 6 -> 3: thresholds 2 3 6. Neuron 1 (x = -d)
    // is non-increasing in d: its row is flipped and the same thresholds hold on d' = -d.
    // fc0 reads uint8 codes (dMax 2 * 255), fc1 codes 0..3 (dMax 2 * 3), scores 2 * S1.
    const lines = printIr(compileIr(model, { multiBit: true })).split('\n');
    expect(lines[1]).toBe('fc0 = dense int [2] -> [2] mw=2 mh=2 dMax=510');
    expect(lines[2]).toMatch(/^ {2}weights=3\/4:[0-9a-f]{8} flipped=1$/);
    expect(lines[3]).toBe('  codes=0..3 thr(d>=)=2 3 6 2 3 6');
    expect(lines[4]).toBe('fc1 = dense int [2] -> [1] mw=2 mh=1 dMax=6');
    expect(lines[6]).toBe('  scores: d*2');
  });
});
