/**
 * Property test over convolution and pooling geometries the loader accepts: padding at least as large
 * as the kernel (windows made only of padding), strides larger than the kernel or the pool (rows and
 * columns no window covers), strides beyond the image, one-row / one-column images. Every model goes
 * through everything `generate`, `simulate` and `estimate` run before the RTL: the plan, the FIFO
 * sizing (cycle model), the estimate, and the TypeScript simulator with random stalls, whose outputs
 * must be the float reference's (through the integer engine, which must agree with it).
 */
import { describe, expect, it } from 'vitest';
import { loadModelValue } from '../../src/frontend/load.js';
import { compileIr } from '../../src/passes/pipeline.js';
import { plan as planOf } from '../../src/passes/plan.js';
import { divisors, simdChoices } from '../../src/passes/folding.js';
import { linearStages } from '../../src/ir/types.js';
import { sizeFifos } from '../../src/sim/fifo-sizing.js';
import { estimatePlan } from '../../src/estimate/estimate.js';
import { simulate } from '../../src/sim/engine.js';
import { expectedOutputs, seededCodes } from '../../src/flows/verify.js';
import { inputBeats, outputBeats } from '../../src/flows/stimulus.js';
import { stallPatterns } from '../../src/sim/patterns.js';
import { cnnJson, type ConvSpec, type InputTypeJson } from '../../src/examples/seeded-models.js';
import { Prng } from '../../src/util/prng.js';

const TYPES: InputTypeJson[] = ['bipolar', 'uint8', 'int4', { fixed: { bits: 8, frac: 7 } }, 'uint1'];

/** A random small CNN whose geometry is drawn wide: paddings up to kernel + 3, strides up to 5. */
function geometryModel(seed: number) {
  const rng = new Prng(seed * 7717 + 3);
  const input: [number, number, number] = [rng.int(1, 7), rng.int(1, 7), rng.int(1, 3)];
  let [h, w] = input;
  const inputType = rng.pick(TYPES);
  const convs: ConvSpec[] = [];
  for (let k = 0, n = rng.int(1, 2); k < n; k++) {
    const kernel = rng.int(1, 3);
    const pad = (): number => rng.int(0, kernel + 3);
    let padding: [number, number, number, number] = [pad(), pad(), pad(), pad()];
    // the kernel must fit the padded image
    if (h + padding[0] + padding[1] < kernel) padding = [padding[0] + kernel, padding[1], padding[2], padding[3]];
    if (w + padding[2] + padding[3] < kernel) padding = [padding[0], padding[1], padding[2] + kernel, padding[3]];
    const stride: [number, number] = [rng.int(1, 5), rng.int(1, 5)];
    const conv: ConvSpec = { filters: rng.int(1, 4), kernel, stride, padding, padValue: rng.pick([-1, 0, 1] as const) };
    h = Math.floor((h + padding[0] + padding[1] - kernel) / stride[0]) + 1;
    w = Math.floor((w + padding[2] + padding[3] - kernel) / stride[1]) + 1;
    if (rng.bool(0.7)) {
      const size: [number, number] = [rng.int(1, Math.min(3, h)), rng.int(1, Math.min(3, w))];
      const ps: [number, number] = [rng.int(1, 5), rng.int(1, 5)];
      conv.pool = { size, stride: ps, where: rng.pick(['before', 'after'] as const) };
      h = Math.floor((h - size[0]) / ps[0]) + 1;
      w = Math.floor((w - size[1]) / ps[1]) + 1;
    }
    convs.push(conv);
  }
  const json = cnnJson({
    name: `geo_${seed}`, seed, input, inputType, binarizeInput: inputType !== 'bipolar' && rng.bool(0.4),
    convs, dense: rng.bool(0.3) ? [rng.int(1, 6)] : [], classes: rng.int(1, 5), output: rng.bool(0.7) ? 'argmax' : 'scores',
  });
  return { json, rng };
}

const N = 150;

describe('random pool / conv geometries: plan, FIFO sizing, estimate and the cycle model', () => {
  it(`${N} random CNNs (padding up to kernel + 3, strides up to 5): TS simulator outputs = reference under stalls`, () => {
    let padOnly = 0;
    let skipPool = 0;
    for (let seed = 1; seed <= N; seed++) {
      const { json, rng } = geometryModel(seed);
      const model = loadModelValue(json);
      const layers = (json['layers'] as Record<string, unknown>[]);
      if (layers.some((l) => l['type'] === 'conv2d' && Array.isArray(l['padding']) && (l['padding'] as number[]).some((p, i) => p >= (l['kernel'] as number[])[i < 2 ? 0 : 1]!))) padOnly++;
      if (layers.some((l) => l['type'] === 'maxpool' && (l['strides'] as number[]).some((s, i) => s > (l['pool'] as number[])[i]!))) skipPool++;
      const ir = compileIr(model);
      const folding = { layers: linearStages(ir).map((l) => ({ pe: rng.pick(divisors(l.mh)), simd: rng.pick(simdChoices(l)) })), inputPe: null };
      const what = `seed ${seed}: ${JSON.stringify(layers.filter((l) => l['type'] === 'conv2d' || l['type'] === 'maxpool').map(({ weights: _w, ...g }) => g))}`;
      const p = planOf(ir, folding);
      const sized = sizeFifos(p);
      expect(sized.latencyCycles, what).toBeGreaterThan(0);
      expect(estimatePlan(sized.plan, { fabric: 'xilinx' }).total.lut, what).toBeGreaterThan(0);
      const codes = seededCodes(model, 3, seed);
      const exp = expectedOutputs(model, sized.plan, codes);
      const inB = codes.flatMap((c) => inputBeats(sized.plan, c));
      const outB = codes.flatMap((_, i) => outputBeats(sized.plan, typeof exp.outputs[i] === 'number' ? (exp.outputs[i] as number) : null, exp.scores[i]!));
      const r = simulate(sized.plan, inB, outB.length, { patterns: stallPatterns(rng.pick([0, 0.2, 0.5]), seed) });
      expect(r.outBeats, what).toEqual(outB);
    }
    // the sweep reaches the corners it is about
    expect(padOnly).toBeGreaterThan(N / 4);
    expect(skipPool).toBeGreaterThan(N / 4);
  });
});
