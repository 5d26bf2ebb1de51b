import { describe, expect, it } from 'vitest';
import { randomModel } from '../helpers/random-models.js';
import { loadModelValue } from '../../src/frontend/load.js';
import { runLayer } from '../../src/reference/float.js';
import { compileFront } from '../../src/passes/pipeline.js';
import { isLinear, type Model } from '../../src/ir/model.js';
import type { IrLinear } from '../../src/ir/types.js';
import { printIr } from '../../src/ir/print.js';

/** sign(chain(d)) per channel, evaluated with the reference's own layers on a constant tensor. */
function signAfter(model: Model, linearIndex: number, d: number, scale: number): Int8Array {
  const l = model.layers[linearIndex]!;
  if (!isLinear(l)) throw new Error('not linear');
  const c = l.outShape[l.outShape.length - 1]!;
  let x: Float64Array = new Float64Array(c).fill(d * scale);
  if (l.bias) x = x.map((v, j) => v + l.bias![j]!);
  for (const op of model.layers.slice(linearIndex + 1)) {
    if (op.type === 'sign') return Int8Array.from(x, (v) => (v >= 0 ? 1 : -1));
    if (op.type === 'batchnorm' || op.type === 'affine') x = runLayer({ ...op, inShape: [c], outShape: [c] }, x);
  }
  throw new Error('no sign');
}

describe('fold-thresholds', () => {
  it('gives, for every neuron of 400 random models, the reference sign at every integer dot product', () => {
    let neurons = 0;
    let points = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const model = randomModel(seed);
      const { ir } = compileFront(model);
      const linears = ir.stages.filter((s): s is IrLinear => s.op === 'linear');
      const idx = model.layers.map((l, i) => (isLinear(l) ? i : -1)).filter((i) => i >= 0);
      linears.forEach((s, k) => {
        if (!s.thr) return;
        const ds: number[] = [];
        if (s.dMax <= 3000) for (let d = -s.dMax; d <= s.dMax; d++) ds.push(d);
        else {
          for (const t of s.thr) for (let e = -300; e <= 300; e++) ds.push(Math.max(-s.dMax, Math.min(s.dMax, t + e)), Math.max(-s.dMax, Math.min(s.dMax, -t + e)));
          for (let e = 0; e <= 200; e++) ds.push(-s.dMax + e, s.dMax - e);
        }
        for (const d of ds) {
          const want = signAfter(model, idx[k]!, d, s.scale);
          for (let j = 0; j < s.mh; j++) {
            const dd = s.flip[j] ? -d : d;
            const got = dd >= s.thr[j]! ? 1 : -1;
            if (got !== want[j]) throw new Error(`seed ${seed} layer ${s.name} neuron ${j} d=${d}: threshold gives ${got}, reference ${want[j]}`);
            points++;
          }
        }
        neurons += s.mh;
      });
    }
    expect(neurons).toBeGreaterThan(1000);
    expect(points).toBeGreaterThan(100000);
  });

  it('prints the IR of a small model as reviewed text', () => {
    const model = loadModelValue({
      format: 'bnn-hw/model@1',
      name: 'tiny',
      input: { shape: [4], type: 'uint8' },
      layers: [
        { type: 'batchnorm', gamma: [1, -1, 0, 2], beta: [0, 0, 0.5, 0], mean: [128, 100, 0, 10], variance: [1, 1, 1, 1], epsilon: 1 },
        { type: 'sign' },
        { type: 'dense', name: 'fc0', units: 3, weights: [[1, -1, 1, 1], [-1, -1, 1, -1], [0.5, -0.1, 0, 2]], bias: [0.5, 0, -1] },
        { type: 'batchnorm', name: 'bn0', gamma: [1, -2, 0], beta: [0, 1, -1], mean: [0, 1, 0], variance: [3, 3, 3], epsilon: 1 },
        { type: 'sign', name: 'act0' },
        { type: 'dense', name: 'fc1', units: 2, weights: [[1, 1, -1], [-1, 1, 1]] },
        { type: 'affine', name: 'norm', scale: [2, -1], bias: 0.5 },
      ],
      output: 'argmax',
    });
    // Hand-checked: bn(x) = (x - mean)/sqrt(2) * gamma + beta
    //   ch0 gamma 1: x >= 128; ch1 gamma -1: x <= 100; ch2 gamma 0, beta 0.5: always (x >= 0); ch3: x >= 10.
    //   fc0 n0: d + 0.5 >= 0 <=> d >= 0 (d even, -4..4) -> thr 0; n1: gamma -2, beta 1: -2(d-1)/2 + 1 >= 0 <=> d <= 2 -> flipped, -d >= -2;
    //   n2: gamma 0, beta -1 -> never: thr = dMax + 1 = 5. Rows as bits: 1011, 0010 (flipped to 1101), 1011 -> 9 ones; fc1 110, 011 -> 4.
    expect(printIr(compileFront(model).ir)).toBe(
      [
        'ir tiny input [4] uint8 output argmax',
        'l1_sign = binarize [4] period=4',
        '  thr=>=128 <=100 >=0 >=10',
        'fc0 = dense binary [4] -> [3] mw=4 mh=3 dMax=4',
        '  weights=9/12:8a7873c8 flipped=1',
        '  thr(d>=)=0 -2 5',
        'fc1 = dense binary [3] -> [2] mw=3 mh=2 dMax=3',
        '  weights=4/6:a4c65e91 flipped=0',
        '  scores: d*1 -> affine(norm)',
        '',
      ].join('\n'),
    );
  });
});
