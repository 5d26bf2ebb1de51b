/**
 * Residual graphs (issue 13): which layer reads which, whether a model is a plain chain, and the code
 * domain (scale, offset and integer code range) of every tensor, shared by the loader's checks and the
 * two references so that all of them decide alike when a tensor holds exact integer codes.
 */
import type { InputType, Layer } from './model.js';
import { INPUT, inputRange, isActivation, prod } from './model.js';
import { activationDomain } from './activation.js';

/** A tensor of integer codes c in [min, max] standing for the values scale * c + offset. */
export interface CodeDomain {
  scale: number;
  offset: number;
  min: number;
  max: number;
}

/** The layer types that only a graph has (an add reads two tensors; the averages are not yet mapped). */
export const GRAPH_TYPES: readonly Layer['type'][] = ['add', 'globalavgpool', 'avgpool'];

/** The default input of layer i: the layer before it, or the model input. */
export const defaultInput = (layers: readonly { name: string }[], i: number): string => (i === 0 ? INPUT : layers[i - 1]!.name);

/** True when layer i reads exactly the layer before it (or, the first, the model input): a chain link. */
export const readsPrevious = (layers: readonly Layer[], i: number): boolean => layers[i]!.inputs.length === 1 && layers[i]!.inputs[0] === defaultInput(layers, i);

/**
 * The first layer that makes the model a graph rather than a chain: `inputs` other than the previous
 * layer, or an add / globalavgpool / avgpool; null for a chain.
 */
export function firstGraphLayer(model: { layers: readonly Layer[] }): Layer | null {
  return model.layers.find((l, i) => GRAPH_TYPES.includes(l.type) || !readsPrevious(model.layers, i)) ?? null;
}

/**
 * How an add aligns two code tensors: the operand with the smaller scale is the base and the other's
 * scale is base scale * 2^k exactly (k >= 0); null when the scales are not so related.
 */
export function addAlignment(sa: number, sb: number): { base: 0 | 1; k: number } | null {
  const [base, lo, hi] = sa <= sb ? ([0, sa, sb] as const) : ([1, sb, sa] as const);
  const k = Math.round(Math.log2(hi / lo));
  return k >= 0 && lo * 2 ** k === hi ? { base, k } : null;
}

/** The codes of the model input: the input code itself, at the type's scale (2^-frac for fixed, else 1). */
export function inputDomain(t: InputType): CodeDomain {
  const r = inputRange(t);
  return { scale: r.scale, offset: 0, min: r.min, max: r.max };
}

/** The pool area an average divides by. */
export function poolArea(l: Extract<Layer, { type: 'globalavgpool' | 'avgpool' }>): number {
  return l.type === 'avgpool' ? l.pool[0] * l.pool[1] : prod(l.inShape.slice(0, 2));
}

/** The code domain of a layer's output from those of its inputs (null: real values). */
export function layerDomain(l: Layer, ins: readonly (CodeDomain | null)[]): CodeDomain | null {
  if (isActivation(l)) return activationDomain(l);
  const a = ins[0] ?? null;
  switch (l.type) {
    case 'maxpool':
    case 'flatten':
      return a;
    case 'add': {
      const b = ins[1] ?? null;
      const al = a && b ? addAlignment(a.scale, b.scale) : null;
      if (!a || !b || !al) return null;
      const [base, other] = al.base === 0 ? [a, b] : [b, a];
      const f = 2 ** al.k;
      return { scale: base.scale, offset: a.offset + b.offset, min: base.min + f * other.min, max: base.max + f * other.max };
    }
    case 'globalavgpool':
    case 'avgpool': {
      if (!a) return null;
      const n = poolArea(l);
      return { scale: a.scale / n, offset: a.offset, min: a.min * n, max: a.max * n };
    }
    default:
      return null;
  }
}

/**
 * The code domains of a model's tensors by name, filled layer by layer in file order (the loader adds
 * each layer as it checks it; codeDomains adds a loaded model's).
 */
export class CodeDomains {
  private readonly byName: Map<string, CodeDomain | null>;
  constructor(input: InputType) {
    this.byName = new Map([[INPUT, inputDomain(input)]]);
  }
  /** the domain of a tensor added before (null: real values) */
  get(name: string): CodeDomain | null {
    return this.byName.get(name) ?? null;
  }
  /** adds a layer whose inputs were added before; its output's domain */
  add(l: Layer): CodeDomain | null {
    const d = layerDomain(l, l.inputs.map((n) => this.get(n)));
    this.byName.set(l.name, d);
    return d;
  }
}

/** The code domain of every tensor of a model. */
export function codeDomains(model: { input: { type: InputType }; layers: readonly Layer[] }): CodeDomains {
  const d = new CodeDomains(model.input.type);
  for (const l of model.layers) d.add(l);
  return d;
}

/** The largest code magnitude of a domain. */
export const maxCode = (d: CodeDomain): number => Math.max(Math.abs(d.min), Math.abs(d.max));

/** Names of the layers whose output some later layer reads. */
export function readNames(model: { layers: readonly Layer[] }): Set<string> {
  return new Set(model.layers.flatMap((l) => l.inputs));
}
