/** Seeded random models covering the format's corners, for property tests. */
import { typeJson } from '../../src/flows/expected.js';
import { Prng } from '../../src/util/prng.js';
import { cnnJson, mlpJson, randomInputValues, type InputTypeJson } from '../../src/examples/seeded-models.js';
import { loadModelValue } from '../../src/frontend/load.js';
import type { Model } from '../../src/ir/model.js';

const TYPES: InputTypeJson[] = ['uint8', 'uint4', 'int8', 'int3', 'bipolar', { fixed: { bits: 8, frac: 7 } }, { fixed: { bits: 6, frac: 2 } }, 'uint1'];

type Json = Record<string, unknown>;

/** Insert affine layers after some batchnorms (positive, negative and zero scales, scalar or per channel). */
function sprinkleAffine(rng: Prng, m: Json): Json {
  const layers = m['layers'] as Json[];
  const out: Json[] = [];
  for (const l of layers) {
    out.push(l);
    if (l['type'] === 'batchnorm' && rng.bool(0.3)) {
      const c = (l['gamma'] as number[]).length;
      const pick = () => rng.pick([0.5, 2, -1, -0.25, 0, 1.5]);
      out.push(rng.bool() ? { type: 'affine', scale: pick(), bias: rng.pick([0, 0.5, -1]) } : { type: 'affine', scale: Array.from({ length: c }, pick), bias: Array.from({ length: c }, () => rng.pick([0, 0.25, -0.5])) });
    }
  }
  return { ...m, layers: out };
}

export function randomModelJson(seed: number): Json {
  const rng = new Prng(seed * 7919 + 17);
  const inputType = rng.pick(TYPES);
  const output = rng.bool(0.7) ? 'argmax' : 'scores';
  const bn = { negGamma: rng.pick([0, 0.3, 0.6]), zeroGamma: rng.pick([0, 0.05, 0.2]), tie: rng.pick([0, 0.3, 0.8]) };
  let m: Json;
  if (rng.bool(0.5)) {
    const depth = rng.int(0, 3);
    m = mlpJson({
      name: `rnd_mlp_${seed}`, seed, inputs: rng.int(1, 70), widths: Array.from({ length: depth }, () => rng.int(1, 40)), classes: rng.int(1, 12),
      inputType, binarizeInput: inputType !== 'bipolar' && rng.bool(0.5), lastBn: rng.bool(0.5), output, packed: rng.bool(0.3), bn, bias: rng.bool(0.3),
    });
  } else {
    // geometry corners from a second generator, so that the other draws of a seed stay as they were:
    // padding at least as large as the kernel (windows made only of padding), strides larger than
    // the kernel or the pool (rows and columns no window covers)
    const geo = new Prng(seed * 104729 + 5);
    const h = rng.int(3, 9);
    const w = rng.int(3, 9);
    const c = rng.int(1, 4);
    const nconv = rng.int(1, 2);
    const convs = [];
    let hh = h, ww = w;
    for (let k = 0; k < nconv; k++) {
      const kernel = rng.int(1, Math.min(3, hh, ww));
      let stride: number | [number, number] = rng.pick([1, 1, 2]);
      type Padding = 'valid' | 'same' | [number, number, number, number];
      let padding: Padding = rng.pick<Padding>(['valid', 'same', [kernel - 1, 0, 0, kernel > 1 ? 1 : 0]]);
      if (geo.bool(0.25)) padding = [geo.int(0, kernel + 2), geo.int(0, kernel + 2), geo.int(0, kernel + 2), geo.int(0, kernel + 2)];
      if (geo.bool(0.15)) stride = [geo.int(1, kernel + 2), geo.int(1, kernel + 2)];
      const [sh, sw] = typeof stride === 'number' ? [stride, stride] : stride;
      const conv: Parameters<typeof cnnJson>[0]['convs'][number] = { filters: rng.int(1, 8), kernel, stride, padding, padValue: rng.pick([-1, 0, 1] as const) };
      let t = 0, b = 0, l = 0, r = 0;
      if (padding === 'same') {
        const tot = (n: number, s: number) => Math.max((Math.ceil(n / s) - 1) * s + kernel - n, 0);
        t = Math.floor(tot(hh, sh) / 2); b = tot(hh, sh) - t; l = Math.floor(tot(ww, sw) / 2); r = tot(ww, sw) - l;
      } else if (Array.isArray(padding)) [t, b, l, r] = padding;
      hh = Math.floor((hh + t + b - kernel) / sh) + 1;
      ww = Math.floor((ww + l + r - kernel) / sw) + 1;
      if (hh >= 2 && ww >= 2 && rng.bool(0.5)) {
        const size = 2;
        let ps: number | [number, number] = rng.pick([1, 2]);
        if (geo.bool(0.3)) ps = [geo.int(1, 4), geo.int(1, 4)];
        const [psh, psw] = typeof ps === 'number' ? [ps, ps] : ps;
        conv.pool = { size, stride: ps, where: rng.pick(['before', 'after'] as const) };
        hh = Math.floor((hh - size) / psh) + 1;
        ww = Math.floor((ww - size) / psw) + 1;
      }
      convs.push(conv);
    }
    m = cnnJson({
      name: `rnd_cnn_${seed}`, seed, input: [h, w, c], inputType, binarizeInput: inputType !== 'bipolar' && rng.bool(0.4), convs,
      dense: rng.bool() ? [rng.int(1, 16)] : [], classes: rng.int(1, 10), lastBn: rng.bool(0.5), output, packed: rng.bool(0.3), bn,
    });
  }
  return sprinkleAffine(rng, m);
}

export function randomModel(seed: number): Model {
  return loadModelValue(randomModelJson(seed));
}

export function randomInputs(model: Model, seed: number, n: number): number[][] {
  const rng = new Prng(seed);
  const tj: InputTypeJson = typeJson(model);
  const size = model.input.shape.reduce((a, b) => a * b, 1);
  return Array.from({ length: n }, () => randomInputValues(rng, size, tj));
}
