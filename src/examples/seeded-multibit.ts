/**
 * Seeded k-bit variants of the synthetic models (seeded-models.ts): some sign layers become quant
 * (2..8 bits, signed / unsigned / narrow, scales such as 0.3 that are not powers of two) or
 * multithreshold layers (shared or per-channel rows, repeated thresholds, offsets), some raw inputs get
 * a quantiser, and some batch-norms before a k-bit activation become affine layers whose outputs land
 * exactly on half steps of the quantiser (ties) or on its thresholds. Convolutions after a k-bit
 * activation keep a pad value that is a code of it (BNN027).
 */
import { Prng } from '../util/prng.js';
import { inputStats, type InputTypeJson } from '../util/random-inputs.js';
import { padCodeOf } from '../ir/activation.js';

type Json = Record<string, unknown>;

export interface MultiBitOptions {
  /** probability that a sign becomes a k-bit activation (default 0.7) */
  kbit?: number;
  /** probability of a quantiser on a raw input (default 0.3) */
  inputQuant?: number;
}

const isLinear = (l: Json) => l['type'] === 'dense' || l['type'] === 'conv2d';

/** The padded convolution the activation at i feeds, or null. */
function paddedConvAfter(layers: Json[], i: number): Json | null {
  const j = layers.findIndex((l, k) => k > i && isLinear(l));
  const l = j < 0 ? null : layers[j]!;
  if (!l || l['type'] !== 'conv2d') return null;
  const p = l['padding'];
  return p === 'same' || (Array.isArray(p) && p.some((v) => v > 0)) ? l : null;
}

/** Per-channel parameters of the last batchnorm / affine before index i (after the previous linear layer). */
function channelOpBefore(layers: Json[], i: number): { at: number; channels: number | null } | null {
  for (let k = i - 1; k >= 0 && !isLinear(layers[k]!); k--) {
    const l = layers[k]!;
    if (l['type'] === 'batchnorm') return { at: k, channels: (l['gamma'] as number[]).length };
    if (l['type'] === 'affine') return { at: k, channels: Array.isArray(l['scale']) ? (l['scale'] as number[]).length : null };
  }
  return null;
}

const padValueOf = (conv: Json) => (conv['padValue'] as number | undefined) ?? -1;

function quantLayer(rng: Prng, name: unknown, conv: Json | null, scales: number[]): Json {
  let scale = rng.pick(scales);
  if (conv && padCodeOf(padValueOf(conv), scale, 0) === null) {
    if (rng.bool()) scale = rng.pick([1, 0.5, 0.25, 0.125]);
    else conv['padValue'] = 0;
  }
  const q: Json = { type: 'quant', bits: rng.int(2, 8), signed: rng.bool(), scale };
  if (rng.bool(0.3)) q['narrow'] = rng.bool(0.7);
  return name === undefined ? q : { ...q, name };
}

function multithresholdLayer(rng: Prng, name: unknown, conv: Json | null, channels: number | null): Json {
  const n = rng.int(1, rng.pick([3, 7, 15]));
  const row = () => {
    const t = Array.from({ length: n }, () => (rng.bool(0.2) ? 0 : Math.round(rng.normal() * 6) / 4));
    return t.sort((a, b) => a - b);
  };
  const rows = channels !== null && rng.bool() ? channels : 1;
  let outScale = rng.pick([1, 2, 0.5, 0.3]);
  let outBias = rng.pick([0, 0, -1, 0.5, -0.3 * n]);
  if (conv) {
    const v = padValueOf(conv);
    if (padCodeOf(v, outScale, outBias) === null) {
      const c0 = rng.int(0, n);
      outBias = v - outScale * c0;
      if (padCodeOf(v, outScale, outBias) === null) [outScale, outBias] = [1, v - c0];
    }
  }
  const m: Json = { type: 'multithreshold', thresholds: Array.from({ length: rows }, row), outScale, outBias };
  return name === undefined ? m : { ...m, name };
}

/** Replace a batchnorm by an affine layer on a grid that meets the quantiser's half steps (step = scale). */
function tieAffine(rng: Prng, bn: Json, step: number): Json {
  const c = (bn['gamma'] as number[]).length;
  const a: Json = {
    type: 'affine',
    scale: Array.from({ length: c }, () => rng.pick([step / 2, -step / 2, 0, step, step / 4, -step])),
    bias: Array.from({ length: c }, () => rng.pick([0, step / 2, -step / 2, 1.5 * step, 0])),
  };
  return bn['name'] === undefined ? a : { ...a, name: bn['name'] };
}

/** A k-bit variant of a model in the bnn-hw/model@1 JSON form (the model itself is not changed). */
export function multiBitJson(model: Json, seed: number, o: MultiBitOptions = {}): Json {
  const rng = new Prng(seed * 31337 + 11);
  const layers = (model['layers'] as Json[]).map((l) => ({ ...l }));
  const inputType = (model['input'] as Json)['type'] as InputTypeJson;
  for (let i = 0; i < layers.length; i++) {
    if (layers[i]!['type'] !== 'sign' || !rng.bool(o.kbit ?? 0.7)) continue;
    const conv = paddedConvAfter(layers, i);
    const op = channelOpBefore(layers, i);
    const name = layers[i]!['name'];
    if (rng.bool()) {
      const q = quantLayer(rng, name, conv, [0.3, 0.5, 0.25, 1, 0.7, 0.1, 2, 0.05]);
      if (op && layers[op.at]!['type'] === 'batchnorm' && rng.bool(0.4)) layers[op.at] = tieAffine(rng, layers[op.at]!, q['scale'] as number);
      layers[i] = q;
    } else {
      if (op && layers[op.at]!['type'] === 'batchnorm' && rng.bool(0.3)) layers[op.at] = tieAffine(rng, layers[op.at]!, 0.5);
      layers[i] = multithresholdLayer(rng, name, conv, op?.channels ?? null);
    }
  }
  const first = layers.findIndex(isLinear);
  const binarised = layers.slice(0, first).some((l) => l['type'] !== 'flatten');
  if (!binarised && rng.bool(o.inputQuant ?? 0.3)) {
    const { lo, hi } = inputStats(inputType);
    const bits = rng.int(2, 8);
    const q = quantLayer(rng, undefined, paddedConvAfter(layers, -1), [((hi - lo) / 2 ** bits) * rng.pick([1, 0.7, 1.3])]);
    layers.unshift({ ...q, bits, signed: lo < 0 });
  }
  return { ...model, name: `${String(model['name'])}_kbit`, layers };
}
