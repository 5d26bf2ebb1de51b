/**
 * Seeded random residual graphs (issue 13) as model JSON: shortcuts around dense / conv blocks, two
 * branches summed, adds of real values, adds with the model input, avgpool and globalavgpool over codes
 * and values, maxpool between a linear layer and its activation, and sign / quant / multithreshold
 * activations whose scales are equal, a power of two apart or unrelated.
 */
import { Prng } from '../util/prng.js';
import type { Model } from '../ir/model.js';
import { graphFront } from '../passes/graph-front.js';
import { divisors, simdChoices } from '../passes/folding.js';

type Json = Record<string, unknown>;
interface T {
  name: string;
  shape: number[];
  /** the tensor holds codes with offset 0 (so a conv can pad it with 0) or real values */
  padOk: boolean;
  /** -1 and +1 are values of the tensor too (real values, the input, sign outputs) */
  anyPad?: boolean;
  /** a sign's output (a Bi-Real sign after it would be a second sign in a row) */
  sign?: boolean;
}

const SCALES = [0.25, 0.5, 1, 2, 0.3, 0.75];
/** scales a power of two apart: every add of two quantised branches aligns */
const POW2 = [0.25, 0.5, 1, 2];

/**
 * `mappable`: mostly the forms the graph planner maps (docs/graphs.md): quantised or sign branches into
 * adds (no real values there, scales a power of two apart, no multithreshold offset), the Bi-Real sign
 * before a linear layer, avgpool shortcuts (Bi-Real's downsampling form), the model input read by one
 * layer. A pool over sign bits may still come out (the planner refuses it with BNN040).
 */
export function randomGraphJson(seed: number, o: { mappable?: boolean } = {}): Json {
  const mappable = o.mappable ?? false;
  const rng = new Prng(seed);
  const pick = <X>(xs: readonly X[]): X => xs[rng.int(0, xs.length - 1)]!;
  const layers: Json[] = [];
  const emit = (layer: Json, inputs: string[]): string => {
    const name = `n${layers.length}`;
    layers.push({ ...layer, name, inputs });
    return name;
  };
  const signs = (n: number) => Array.from({ length: n }, () => (rng.bool() ? 1 : -1));
  const image = rng.bool(0.6);
  const inShape = image ? [rng.int(2, 5), rng.int(2, 5), rng.int(1, 3)] : [rng.int(2, 8)];
  const inType = pick(['uint4', 'int4', 'bipolar', { fixed: { bits: 6, frac: 2 } }] as const);
  const input: T = { name: 'input', shape: inShape, padOk: true, anyPad: true };
  let lastScale = 1;

  function activation(c: number): { layer: Json; padOk: boolean } {
    const scale = rng.bool(0.5) ? lastScale : pick(mappable ? POW2 : SCALES);
    lastScale = scale;
    switch (rng.int(0, 2)) {
      case 0:
        lastScale = 1;
        return { layer: { type: 'sign' }, padOk: true };
      case 1:
        return { layer: { type: 'quant', bits: rng.int(2, 4), signed: rng.bool(), narrow: rng.bool(0.3), scale }, padOk: true };
      default: {
        const n = rng.int(1, 4);
        const row = () => Array.from({ length: n }, () => rng.int(-8, 8) / 2).sort((a, b) => a - b);
        const outBias = mappable ? 0 : pick([0, 0, -1, 0.5]);
        return { layer: { type: 'multithreshold', thresholds: rng.bool() ? [row()] : Array.from({ length: c }, row), outScale: scale, outBias }, padOk: outBias === 0 };
      }
    }
  }

  /** A linear layer (same shape when `keep`), optional batchnorm, optional maxpool, optional activation. */
  function block(x0: T, keep: boolean, act = true): T {
    let shape: number[];
    let name: string;
    // the Bi-Real form: a sign of the codes before the linear layer
    const x: T = mappable && !x0.sign && rng.bool(0.4) ? { name: emit({ type: 'sign' }, [x0.name]), shape: x0.shape, padOk: true, anyPad: true } : x0;
    if (x.shape.length === 3) {
      const [h, w, c] = x.shape as [number, number, number];
      // a tensor whose codes have an offset may have no code for the pad value: no padding then
      const k = keep ? (x.padOk ? pick([1, 3]) : 1) : rng.int(1, Math.min(3, h, w));
      const f = keep ? c : rng.int(1, 4);
      const same = keep || (x.padOk && rng.bool());
      const padded = same && k > 1;
      const bias = rng.bool() ? { bias: Array.from({ length: f }, () => rng.int(-4, 4) / 2) } : {};
      const weights = Array.from({ length: f }, () => Array.from({ length: k }, () => Array.from({ length: k }, () => signs(c))));
      const anyPad = x.anyPad && !(mappable && x.name === 'input');
      name = emit({ type: 'conv2d', filters: f, kernel: [k, k], padding: same ? 'same' : 'valid', ...(padded ? { padValue: anyPad ? pick([0, -1, 1, 0]) : 0 } : {}), weights, ...bias }, [x.name]);
      shape = same ? [h, w, f] : [h - k + 1, w - k + 1, f];
    } else {
      const u = keep ? x.shape[0]! : rng.int(1, 6);
      name = emit({ type: 'dense', units: u, weights: Array.from({ length: u }, () => signs(x.shape[0]!)) }, [x.name]);
      shape = [u];
    }
    const c = shape[shape.length - 1]!;
    if (rng.bool(0.6)) {
      const gamma = Array.from({ length: c }, () => pick([-1.5, 0, 0.7, 2, 1]));
      const beta = Array.from({ length: c }, () => rng.int(-4, 4) / 2);
      const mean = Array.from({ length: c }, () => rng.int(-6, 6) / 2);
      name = emit({ type: 'batchnorm', gamma, beta, mean, variance: Array.from({ length: c }, () => pick([1, 0.5, 4])), epsilon: 1e-5 }, [name]);
    }
    if (!keep && shape.length === 3 && shape[0]! >= 2 && shape[1]! >= 2 && rng.bool(0.3)) {
      name = emit({ type: 'maxpool', pool: [2, 2], strides: [1, 1] }, [name]);
      shape = [shape[0]! - 1, shape[1]! - 1, c];
    }
    if (!act) return { name, shape, padOk: true, anyPad: true };
    const a = activation(c);
    return { name: emit(a.layer, [name]), shape, padOk: a.padOk, anyPad: a.layer['type'] === 'sign', sign: a.layer['type'] === 'sign' };
  }

  const add = (a: T, b: T): T => ({ name: emit({ type: 'add' }, rng.bool() ? [a.name, b.name] : [b.name, a.name]), shape: a.shape, padOk: a.padOk && b.padOk });

  let x = rng.bool(0.3) && !mappable ? input : block(input, rng.bool(), true);
  const rounds = rng.int(1, 3);
  for (let r = 0; r < rounds; r++) {
    const form = rng.int(0, 5);
    switch (mappable && form >= 2 && form <= 3 ? form % 2 : form) {
      case 0: // shortcut around a block: fan-out of x
        x = add(block(x, true), x);
        break;
      case 1: // two branches summed
        x = add(block(x, true), block(x, true));
        break;
      case 2: { // an add of real values, then an activation
        const s = add(block(x, true, false), block(x, true, false));
        const a = activation(s.shape[s.shape.length - 1]!);
        x = { name: emit(a.layer, [s.name]), shape: s.shape, padOk: a.padOk };
        break;
      }
      case 3: // the model input on the shortcut
        x = x.shape.join() === input.shape.join() ? add(x, input) : block(x, false);
        break;
      case 4: // average pooling of codes or of real values
        if (mappable && x.shape.length === 3 && x.shape[0]! >= 2 && x.shape[1]! >= 2) {
          // Bi-Real's downsampling shortcut: avgpool, then a block around it (the pool's sums fan out)
          const s = rng.int(1, 2);
          const p: T = { name: emit({ type: 'avgpool', pool: [2, 2], strides: [s, s] }, [x.name]), shape: [Math.floor((x.shape[0]! - 2) / s) + 1, Math.floor((x.shape[1]! - 2) / s) + 1, x.shape[2]!], padOk: x.padOk };
          x = add(block(p, true), p);
        } else if (x.shape.length === 3 && x.shape[0]! >= 2 && x.shape[1]! >= 2) {
          const src = rng.bool(0.7) ? x : block(x, true, false);
          const s = rng.int(1, 2);
          x = { name: emit({ type: 'avgpool', pool: [2, 2], strides: [s, s] }, [src.name]), shape: [Math.floor((x.shape[0]! - 2) / s) + 1, Math.floor((x.shape[1]! - 2) / s) + 1, x.shape[2]!], padOk: src === x ? x.padOk : true, anyPad: src !== x };
        } else x = block(x, false);
        break;
      default:
        x = block(x, rng.bool());
    }
  }
  if (x.shape.length === 3) {
    x = rng.bool() ? { name: emit({ type: 'globalavgpool' }, [x.name]), shape: [x.shape[2]!], padOk: x.padOk } : { name: emit({ type: 'flatten' }, [x.name]), shape: [x.shape.reduce((a, b) => a * b, 1)], padOk: x.padOk };
  }
  const classes = rng.int(2, 4);
  emit({ type: 'dense', units: classes, weights: Array.from({ length: classes }, () => signs(x.shape[0]!)) }, [x.name]);
  if (rng.bool(0.4)) emit({ type: 'batchnorm', gamma: Array.from({ length: classes }, () => pick([-1, 0.5, 2])), beta: Array.from({ length: classes }, () => rng.int(-2, 2)), mean: Array.from({ length: classes }, () => rng.int(-2, 2)), variance: Array.from({ length: classes }, () => 1), epsilon: 1e-3 }, [layers[layers.length - 1]!['name'] as string]);
  return { format: 'bnn-hw/model@1', name: `graph${seed}`, input: { shape: inShape, type: inType }, layers, output: rng.bool(0.7) ? 'scores' : 'argmax' };
}

/** A random folding of a graph: per linear layer (file order) a PE dividing its neurons and a SIMD its fan-in accepts. */
export function randomGraphFold(m: Model, seed: number): { layers: { pe: number; simd: number }[] } {
  const rng = new Prng(seed);
  const pick = (xs: number[]) => xs[rng.int(0, xs.length - 1)]!;
  const ir = graphFront(m).ir;
  return { layers: ir.stages.flatMap((s) => (s.op === 'linear' ? [{ pe: pick(divisors(s.mh)), simd: pick(simdChoices(s)) }] : [])) };
}
