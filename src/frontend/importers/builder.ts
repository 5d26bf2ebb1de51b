/**
 * ModelBuilder: the importers' common back end. It emits bnn-hw/model@1 layers one by one, keeps the
 * current (HWC or 1-D) shape and whether the values are already -1/+1, remembers which source node or
 * layer every layer comes from, and finally validates the document with the ordinary loader.
 * Graphs (issue 13): `at(name)` moves the cursor to the output of any layer emitted so far (or the
 * model input); the next layer then reads it, with an explicit `inputs` when that is not the layer
 * before it. Layers are emitted in the order the importer visits its (topologically sorted) source,
 * so every layer reads only earlier ones: a valid file order.
 */
import { DiagnosticError } from '../../diagnostics/diagnostic.js';
import { FORMAT_TAG } from '../schema.js';
import { loadModelValue } from '../load.js';
import { encodePacked } from '../weights.js';
import { suggestIdentifier } from '../../util/names.js';
import type { InputTypeJson } from './common.js';
import { INPUT, poolOutShape } from '../../ir/model.js';

/** Layers with more weight bits than this are written in the packed form. */
export const PACK_ABOVE_BITS = 1024;

type Json = Record<string, unknown>;

export interface Pad4 {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

const allEqual = (a: ArrayLike<number>, v: number) => {
  for (let i = 0; i < a.length; i++) if (a[i] !== v) return false;
  return true;
};

/** A per-channel parameter: a single number when all channels share it. */
function paramJson(v: number | ArrayLike<number>): number | number[] {
  if (typeof v === 'number') return v;
  const a = Array.from(v);
  return a.length > 0 && a.every((x) => x === a[0]) ? a[0]! : a;
}

function nestedSigns(bits: Uint8Array, shape: readonly number[]): unknown {
  let pos = 0;
  const build = (d: number): unknown => {
    if (d === shape.length - 1) return Array.from({ length: shape[d]! }, () => (bits[pos++] ? 1 : -1));
    return Array.from({ length: shape[d]! }, () => build(d + 1));
  };
  return build(0);
}

export function weightsJson(bits: Uint8Array, shape: readonly number[]): unknown {
  return bits.length > PACK_ABOVE_BITS ? encodePacked(bits, shape) : nestedSigns(bits, shape);
}

export class ModelBuilder {
  readonly layers: Json[] = [];
  /** per layer: the source node / layer it was made from */
  readonly provenance: string[] = [];
  readonly notes: string[] = [];
  inputShape: number[];
  shape: number[];
  /** the current values are -1/+1 (after a sign, through maxpool / flatten) */
  binary = false;
  /** the layer the next layer reads (INPUT: the model input) */
  src: string = INPUT;
  /** shape and -1/+1-ness of every emitted layer's output */
  private readonly outs = new Map<string, { shape: number[]; binary: boolean }>();
  private readonly used = new Set<string>();

  constructor(inputShape: number[]) {
    this.inputShape = [...inputShape];
    this.shape = [...inputShape];
  }

  get channels(): number {
    return this.shape[this.shape.length - 1]!;
  }

  /** true while nothing but flatten layers has been emitted */
  get untouched(): boolean {
    return this.layers.every((l) => l['type'] === 'flatten');
  }

  /** A unique layer name derived from the source name. */
  uniqueName(base: string): string {
    let s = suggestIdentifier(base || 'layer').slice(0, 40);
    if (s === 'model') s = 'layer';
    let name = s;
    // unique also ignoring case: names that differ only in case are refused (BNN016)
    for (let k = 2; this.used.has(name.toLowerCase()); k++) name = `${s}_${k}`;
    this.used.add(name.toLowerCase());
    return name;
  }

  /** Move the cursor to the output of layer `name` (INPUT: the model input). */
  at(name: string): void {
    const o = name === INPUT ? { shape: this.inputShape, binary: false } : this.outs.get(name);
    if (!o) throw new Error(`internal: no layer ${JSON.stringify(name)} emitted`);
    this.src = name;
    this.shape = [...o.shape];
    this.binary = o.binary;
  }

  /** Forget every layer (only flatten layers were emitted) and take a new input shape. */
  restart(inputShape: number[]): void {
    this.layers.splice(0);
    this.provenance.splice(0);
    this.outs.clear();
    this.inputShape = [...inputShape];
    this.at(INPUT);
  }

  /** the name of the layer before the next one (INPUT when there is none) */
  private get previous(): string {
    const last = this.layers[this.layers.length - 1];
    return last ? String(last['name']) : INPUT;
  }

  private push(layer: Json, outShape: number[], from: string, binary: boolean, inputs?: string[]): void {
    if (inputs) layer['inputs'] = inputs;
    else if (this.src !== this.previous) layer['inputs'] = [this.src];
    // keep the key order of the format's examples: type, name, inputs, then the parameters
    const { type, name, inputs: ins, ...rest } = layer;
    const ordered: Json = ins === undefined ? { type, name, ...rest } : { type, name, inputs: ins, ...rest };
    this.layers.push(ordered);
    this.outs.set(String(name), { shape: [...outShape], binary });
    this.src = String(name);
    this.provenance.push(from);
    this.shape = outShape;
    this.binary = binary;
  }

  dense(name: string, from: string, bits: Uint8Array, units: number, bias: ArrayLike<number> | null): void {
    const fanIn = this.shape[0]!;
    const layer: Json = { type: 'dense', name: this.uniqueName(name), units, weights: weightsJson(bits, [units, fanIn]) };
    if (bias && !allEqual(bias, 0)) layer['bias'] = Array.from(bias);
    this.push(layer, [units], from, false);
  }

  conv2d(name: string, from: string, bits: Uint8Array, filters: number, kernel: [number, number], strides: [number, number], pad: Pad4, padValue: -1 | 0 | 1, bias: ArrayLike<number> | null): void {
    const [h, w, c] = this.shape as [number, number, number];
    const layer: Json = { type: 'conv2d', name: this.uniqueName(name), filters, kernel, strides };
    if (pad.top || pad.bottom || pad.left || pad.right) {
      layer['padding'] = [pad.top, pad.bottom, pad.left, pad.right];
      layer['padValue'] = padValue;
    }
    layer['weights'] = weightsJson(bits, [filters, kernel[0], kernel[1], c]);
    if (bias && !allEqual(bias, 0)) layer['bias'] = Array.from(bias);
    const oh = Math.floor((h + pad.top + pad.bottom - kernel[0]) / strides[0]) + 1;
    const ow = Math.floor((w + pad.left + pad.right - kernel[1]) / strides[1]) + 1;
    this.push(layer, [oh, ow, filters], from, false);
  }

  batchnorm(name: string, from: string, p: { gamma: ArrayLike<number>; beta: ArrayLike<number>; mean: ArrayLike<number>; variance: ArrayLike<number>; epsilon: number }): void {
    const layer: Json = {
      type: 'batchnorm', name: this.uniqueName(name),
      gamma: Array.from(p.gamma), beta: Array.from(p.beta), mean: Array.from(p.mean), variance: Array.from(p.variance), epsilon: p.epsilon,
    };
    this.push(layer, this.shape, from, false);
  }

  /** x * scale + bias per channel; nothing is emitted for the identity (scale 1, bias 0). */
  affine(name: string, from: string, scale: number | ArrayLike<number>, bias: number | ArrayLike<number>): boolean {
    const s = paramJson(scale);
    const b = paramJson(bias);
    if (s === 1 && b === 0) return false;
    this.push({ type: 'affine', name: this.uniqueName(name), scale: s, bias: b }, this.shape, from, false);
    return true;
  }

  /** sign; nothing is emitted when the values are already -1/+1 (sign(sign(x)) = sign(x)). */
  sign(name: string, from: string): boolean {
    if (this.binary) return false;
    this.push({ type: 'sign', name: this.uniqueName(name) }, this.shape, from, true);
    return true;
  }

  /** A k-bit quantiser (QONNX Quant on activations). */
  quant(name: string, from: string, q: { bits: number; signed: boolean; narrow: boolean; scale: number }): void {
    const layer: Json = { type: 'quant', name: this.uniqueName(name), bits: q.bits, signed: q.signed, scale: q.scale };
    if (q.narrow) layer['narrow'] = true;
    this.push(layer, this.shape, from, false);
  }

  /** FINN's MultiThreshold with several thresholds per channel: rows of one channel each, or one row. */
  multithreshold(name: string, from: string, thresholds: number[][], outScale: number, outBias: number): void {
    this.push({ type: 'multithreshold', name: this.uniqueName(name), thresholds, outScale, outBias }, this.shape, from, false);
  }

  maxpool(name: string, from: string, pool: [number, number], strides: [number, number]): void {
    const layer: Json = { type: 'maxpool', name: this.uniqueName(name), pool };
    if (strides[0] !== pool[0] || strides[1] !== pool[1]) layer['strides'] = strides;
    this.push(layer, poolOutShape(this.shape, pool, strides), from, this.binary);
  }

  flatten(name: string, from: string): void {
    this.push({ type: 'flatten', name: this.uniqueName(name) }, [this.shape.reduce((a, b) => a * b, 1)], from, this.binary);
  }

  /** The element-wise sum of the outputs of layers `a` and `b` (one shape, checked by the caller). */
  add(name: string, from: string, a: string, b: string): void {
    this.at(a);
    this.push({ type: 'add', name: this.uniqueName(name) }, this.shape, from, false, [a, b]);
  }

  /** [H, W, C] -> [C]: the mean over all positions. */
  globalavgpool(name: string, from: string): void {
    this.push({ type: 'globalavgpool', name: this.uniqueName(name) }, [this.channels], from, false);
  }

  avgpool(name: string, from: string, pool: [number, number], strides: [number, number]): void {
    const layer: Json = { type: 'avgpool', name: this.uniqueName(name), pool };
    if (strides[0] !== pool[0] || strides[1] !== pool[1]) layer['strides'] = strides;
    this.push(layer, poolOutShape(this.shape, pool, strides), from, false);
  }

  /**
   * The finished document, validated by the loader. `prefix` layers (the declared input scaling) go
   * first; their names are made unique here. A loader diagnostic names the source node of the offending layer in a note.
   */
  finish(o: { name: string; description: string; inputType: InputTypeJson; output: 'argmax' | 'scores'; prefix?: { layer: Json; from: string }[] }): Record<string, unknown> {
    const prefix = o.prefix ?? [];
    for (const p of prefix) p.layer['name'] = this.uniqueName(String(p.layer['name'] ?? p.layer['type']));
    // with a prefix, the layers that read the model input read the end of the prefix
    const end = prefix.length ? String(prefix[prefix.length - 1]!.layer['name']) : INPUT;
    const body = this.layers.map((l) => (Array.isArray(l['inputs']) ? { ...l, inputs: (l['inputs'] as string[]).map((n) => (n === INPUT ? end : n)) } : l));
    const layers = [...prefix.map((p) => p.layer), ...body];
    const provenance = [...prefix.map((p) => p.from), ...this.provenance];
    this.provenance.splice(0, this.provenance.length, ...provenance);
    const model = {
      format: FORMAT_TAG,
      name: o.name,
      description: o.description,
      input: { shape: this.inputShape, type: o.inputType },
      layers,
      output: o.output,
    };
    try {
      loadModelValue(JSON.parse(JSON.stringify(model)));
    } catch (e) {
      if (e instanceof DiagnosticError) {
        for (const d of e.diagnostics) {
          const m = /^\/layers\/(\d+)/.exec(d.pointer);
          const src = m ? provenance[Number(m[1])] : undefined;
          d.notes = [...(d.notes ?? []), `this is in the imported model${src ? `, in the layer made from ${src}` : ''}: bnn-hw cannot represent this part of the source model`];
        }
      }
      throw e;
    }
    return model;
  }
}
