/**
 * Keras / Larq HDF5 files (`model.save("model.h5")`), read with h5wasm (the HDF5 C library compiled to
 * WebAssembly; see hdf5.ts for how damaged files are contained). The file holds the architecture as JSON in the root attribute `model_config` and the
 * weights under `model_weights/<layer>/` listed by each group's `weight_names` attribute.
 *
 * Layers (channels_last, so Keras' HWC layout and Flatten order are bnn-hw's):
 *   QuantDense / QuantConv2D (Larq): input_quantizer -> sign, kernel_quantizer -> the latent weights
 *     binarised by sign (w >= 0 -> +1); ste_sign, approx_sign and SwishSign are all sign(x) at inference
 *     (sign(0) = +1); pad_values (with padding "same") is the conv's padValue.
 *   Dense / Conv2D (Keras): kept when their weights are binary (+-s per output, s > 0).
 *   BatchNormalization (last axis), MaxPooling2D / MaxPool2D, AveragePooling2D, Flatten, Dropout,
 *   Activation (linear, a sign quantiser, or softmax at the end, dropped for argmax outputs).
 *   Functional graphs (issue 13, keras-graph.ts): inbound_nodes -> `inputs`, Add of two -> add,
 *   GlobalAveragePooling2D -> globalavgpool.
 *   Larq DoReFa on activations (input_quantizer, activation, Activation layer) -> an unsigned k-bit
 *   quant layer with scale 1 / (2^k - 1) (larq-dorefa.ts).
 */
import { DiagnosticError, describeValue, fail, type DiagCode } from '../../diagnostics/diagnostic.js';
import { parseJson } from '../json.js';
import { ModelBuilder } from './builder.js';
import { DAMAGED, MAX_DATASET_VALUES, readHdf5 } from './hdf5.js';
import { type ImportOptions, numbersText, unexpected } from './common.js';
import { DOREFA_HINT, doReFaBits, isDoReFa } from './larq-dorefa.js';
import { addLayer, globalAvgpool } from './keras-graph.js';
import { INPUT } from '../../ir/model.js';

type Json = Record<string, unknown>;

export interface KerasLayer {
  cls: string;
  name: string;
  cfg: Json;
  /** position in the config's layer list */
  index: number;
  ptr: string;
  /** the layers it reads (functional models: inbound_nodes; Sequential: the layer before it) */
  inbound: string[];
}

export interface KerasModel {
  config: Json;
  layers: KerasLayer[];
  /** short weight name ('kernel', 'bias', 'gamma', ...) -> values and shape, per layer name */
  weights: Map<string, Map<string, { shape: number[]; data: Float64Array }>>;
  kerasVersion: string;
  backend: string;
}

function text(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  if (Array.isArray(v) && v.length === 1) return text(v[0]);
  return null;
}

/** Read the architecture and all weights of a Keras H5 file. */
export async function readKerasH5(path: string): Promise<KerasModel> {
  const raw = await readHdf5(path);
  const cfgText = text(raw.modelConfig);
  if (cfgText === null) {
    fail(
      'BNN201', '/model_config',
      raw.layerNames ? 'the file holds weights only (model.save_weights): there is no model_config attribute with the architecture' : 'the HDF5 file has no model_config attribute: it is not a Keras model file',
      'save the whole model with model.save("model.h5") (tf.keras / Larq)',
    );
  }
  const config = parseModelConfig(cfgText!);
  const layers = kerasLayers(config);
  const weights = new Map<string, Map<string, { shape: number[]; data: Float64Array }>>();
  for (const g of raw.groups) {
    const m = new Map<string, { shape: number[]; data: Float64Array }>();
    for (const w of g.weights) {
      const wptr = `/model_weights/${g.name}/${w.name}`;
      const what = `the weight ${JSON.stringify(w.name)} of layer ${JSON.stringify(g.name)}`;
      if (w.shape === undefined) fail('BNN201', wptr, `layer ${JSON.stringify(g.name)} lists the weight ${JSON.stringify(w.name)}, which the file does not hold`, 'the file is damaged');
      const shape = w.shape;
      const count = shape.reduce((a, b) => a * b, 1);
      if (w.value === undefined) fail('BNN213', wptr, `${what} has shape [${shape.join(', ')}]: expected non-negative sizes and at most ${MAX_DATASET_VALUES} values`, DAMAGED);
      const v = w.value;
      if (!(ArrayBuffer.isView(v) || Array.isArray(v)) || (Array.isArray(v) && v.some((x) => typeof x !== 'number' && typeof x !== 'bigint'))) {
        fail('BNN201', wptr, `the weight ${JSON.stringify(w.name)} is not numeric (dtype ${w.dtype})`, 'the file is damaged');
      }
      const arr = v as ArrayLike<number | bigint>;
      if (arr.length !== count) fail('BNN201', wptr, `${what} holds ${arr.length} values, expected ${count} for its shape [${shape.join(', ')}]`, DAMAGED);
      const short = w.name.split('/').pop()!.replace(/:\d+$/, '');
      m.set(short, { shape, data: Float64Array.from(arr, Number) });
    }
    weights.set(g.name, m);
  }
  return { config, layers, weights, kerasVersion: text(raw.kerasVersion) ?? '?', backend: text(raw.backend) ?? '?' };
}

/** The model_config attribute: JSON, read with the checks of every JSON bnn-hw reads, pointers under /model_config. */
function parseModelConfig(cfgText: string): Json {
  let config: unknown;
  try {
    config = parseJson(cfgText, 'the model_config attribute');
  } catch (e) {
    if (e instanceof DiagnosticError) for (const d of e.diagnostics) d.pointer = '/model_config' + d.pointer;
    throw e;
  }
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    fail('BNN201', '/model_config', `model_config must be a JSON object {"class_name": ..., "config": ...}, found ${describeValue(config)}`, 'the file is damaged');
  }
  return config as Json;
}

function inboundNames(l: Json): string[] | null {
  const nodes = l['inbound_nodes'];
  if (!Array.isArray(nodes)) return null;
  if (nodes.length === 0) return [];
  const names: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      if (typeof v[0] === 'string' && typeof v[1] === 'number') names.push(v[0]);
      else v.forEach(walk);
    } else if (v !== null && typeof v === 'object') {
      const o = v as Json;
      if (Array.isArray(o['keras_history']) && typeof o['keras_history'][0] === 'string') names.push(o['keras_history'][0]);
      else Object.values(o).forEach(walk);
    }
  };
  walk(nodes);
  return names;
}

/** The layers of a Sequential or a chain-shaped functional model. */
export function kerasLayers(config: Json): KerasLayer[] {
  const cls = String(config['class_name'] ?? '');
  const inner = config['config'];
  const list = Array.isArray(inner) ? inner : inner !== null && typeof inner === 'object' ? (inner as Json)['layers'] : undefined;
  if (!Array.isArray(list)) fail('BNN201', '/model_config/config', `model_config of class ${JSON.stringify(cls)} has no layer list`, 'bnn-hw reads Sequential and Functional Keras models');
  const base = Array.isArray(inner) ? '/model_config/config' : '/model_config/config/layers';
  const layers = (list as unknown[]).map((l, index) => {
    if (l === null || typeof l !== 'object' || Array.isArray(l)) {
      fail('BNN201', `${base}/${index}`, `layer ${index} of model_config is ${describeValue(l)}, expected an object {"class_name": ..., "config": {...}}`, 'the file is damaged');
    }
    const lj = l as Json;
    const c0 = lj['config'] ?? {};
    if (c0 === null || typeof c0 !== 'object' || Array.isArray(c0)) {
      fail('BNN201', `${base}/${index}/config`, `the config of layer ${index} is ${describeValue(c0)}, expected an object`, 'the file is damaged');
    }
    const c = c0 as Json;
    const name = String(c['name'] ?? lj['name'] ?? `layer_${index}`);
    const prev = index > 0 ? [String(((list as Json[])[index - 1]!['config'] as Json | undefined)?.['name'] ?? (list as Json[])[index - 1]!['name'] ?? `layer_${index - 1}`)] : [];
    return { cls: String(lj['class_name'] ?? ''), name, cfg: c, index, ptr: `${base}/${index}`, inbound: prev };
  });
  if (cls !== 'Sequential') {
    if (!['Functional', 'Model'].includes(cls)) fail('BNN202', '/model_config/class_name', `the model is a ${JSON.stringify(cls)}, expected Sequential or Functional`, 'save a tf.keras Sequential or Functional model');
    // graphs (issue 13): each layer reads the layers its inbound_nodes name, which must come before it
    (list as Json[]).forEach((l, i) => {
      const ins = inboundNames(l);
      const layer = layers[i]!;
      if (i === 0 ? (ins ?? []).length !== 0 : ins === null || ins.length === 0) {
        fail('BNN205', `${base}/${i}`, `layer ${i} ${JSON.stringify(layer.name)} (${layer.cls}) takes its input from ${ins && ins.length ? ins.map((n) => JSON.stringify(n)).join(', ') : 'nothing'}, expected ${i === 0 ? 'nothing (the model input)' : 'one or two earlier layers'}`, 'bnn-hw maps a network with one input; every other layer reads earlier layers');
      }
      for (const n of ins ?? []) {
        if (!layers.slice(0, i).some((p) => p.name === n)) {
          fail('BNN201', `${base}/${i}/inbound_nodes`, `layer ${i} ${JSON.stringify(layer.name)} (${layer.cls}) reads ${JSON.stringify(n)}, which is no layer before it in the model_config`, 'the file is damaged: re-save the model');
        }
      }
      layer.inbound = ins ?? [];
    });
    // every layer but the last read by a later one: every layer leads to the last. The layers that emit
    // no bnn-hw layer (Dropout, a softmax, ...) read one layer (only Add reads two, and it emits), so the
    // output is always the last emitted layer: nothing to check after the walk
    const read = new Set(layers.flatMap((l) => l.inbound));
    layers.slice(0, -1).forEach((l) => {
      if (!read.has(l.name)) {
        fail('BNN228', l.ptr, `layer ${l.index} ${JSON.stringify(l.name)} (${l.cls}) is read by no layer, so the output (the last layer, ${JSON.stringify(layers[layers.length - 1]!.name)}) does not depend on it`, 'remove the branches whose results the output does not use (every layer must lead to the output)');
      }
    });
  }
  return layers;
}

// ---------------------------------------------------------------------------------------------

/** sign, a DoReFa of k bits (input quantisers only), or none */
type Quantizer = 'sign' | { dorefa: number } | null;

const SIGN_QUANTIZERS = new Set(['stesign', 'approxsign', 'swishsign', 'sign']);

function quantizer(cx: KerasConverter, l: KerasLayer, field: string): Quantizer {
  const q = l.cfg[field];
  if (q === null || q === undefined) return null;
  const raw = typeof q === 'string' ? q : typeof q === 'object' ? String((q as Json)['class_name'] ?? '') : String(q);
  const key = raw.toLowerCase().replace(/[^a-z]/g, '');
  if (SIGN_QUANTIZERS.has(key)) return 'sign';
  if (key === 'noop' || key === 'linear') return null;
  if (field === 'input_quantizer' && isDoReFa(q)) return { dorefa: doReFaBits(q, (what) => cx.fail('BNN226', l, `${field} DoReFa ${what}`, DOREFA_HINT)) };
  return cx.fail(field === 'input_quantizer' ? 'BNN223' : 'BNN224', l, `${field} is ${JSON.stringify(raw)}`, `bnn-hw maps sign quantisers: ste_sign, approx_sign or SwishSign (all sign(x) at inference)${key.includes('magnitude') ? '; MagnitudeAwareSign scales the sign per channel, which is not mapped' : ''}`);
}

const pairOf = (v: unknown, def: [number, number]): [number, number] => {
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 2) return [Number(v[0]), Number(v[1])];
  return def;
};

export class KerasConverter {
  readonly b: ModelBuilder;
  softmax: KerasLayer | null = null;
  /** Keras layer name -> the bnn-hw layer that holds its output (INPUT: the model input) */
  private readonly outs = new Map<string, string>();

  constructor(
    readonly m: KerasModel,
    readonly opts: ImportOptions,
  ) {
    this.b = new ModelBuilder(this.inputShape());
  }

  fail(code: DiagCode, l: KerasLayer, message: string, hint: string): never {
    return fail(code, l.ptr, `layer ${l.index} of ${this.m.layers.length} ${JSON.stringify(l.name)} (${l.cls}): ${message}`, hint);
  }

  from(l: KerasLayer): string {
    return `layer ${l.index} ${JSON.stringify(l.name)} (${l.cls})`;
  }

  private inputShape(): number[] {
    const first = this.m.layers[0];
    const cfg = first?.cfg ?? {};
    const shape = (cfg['batch_input_shape'] ?? cfg['batch_shape'] ?? (cfg['input_shape'] ? [null, ...(cfg['input_shape'] as unknown[])] : null)) as unknown[] | null;
    if (!first || !Array.isArray(shape)) return fail('BNN201', first?.ptr ?? '/model_config', 'the model does not state its input shape', 'build the model with a fixed input shape (input_shape=... on the first layer, or an Input layer)');
    const dims = shape.slice(1).map((d) => (typeof d === 'number' && d > 0 ? d : NaN));
    if (dims.some(Number.isNaN)) fail('BNN218', first.ptr, `the input shape [${shape.slice(1).map(String).join(', ')}] has unknown sizes`, 'give the input a fixed size');
    if (dims.length === 3 || dims.length === 1) return dims;
    if (dims.length === 2) return [dims[0]!, dims[1]!, 1];
    return fail('BNN218', first.ptr, `the input shape [${dims.join(', ')}] has ${dims.length} axes, expected [H, W, C], [H, W] or [N]`, 'bnn-hw maps images and vectors');
  }

  weight(l: KerasLayer, short: string, shape?: number[]): Float64Array {
    const w = this.m.weights.get(l.name)?.get(short);
    if (!w) return this.fail('BNN201', l, `the file holds no weight ${JSON.stringify(short)} for this layer`, 'save the model after building it (model.save), with its weights');
    if (shape && (w.shape.length !== shape.length || w.shape.some((d, i) => d !== shape[i]))) {
      this.fail('BNN201', l, `the weight ${JSON.stringify(short)} has shape [${w.shape.join(', ')}], expected [${shape.join(', ')}]`, 'the file does not match its model_config');
    }
    return w.data;
  }

  private inputQuantizer(l: KerasLayer): void {
    const q = quantizer(this, l, 'input_quantizer');
    if (q !== null && q !== 'sign') return this.doReFa(`${l.name}_in`, `the input_quantizer of ${this.from(l)}`, q.dorefa);
    if (q === 'sign' && !this.b.sign(`${l.name}_in`, `the input_quantizer of ${this.from(l)}`)) {
      this.b.notes.push(`${this.from(l)}: the input is already -1/+1, no second sign layer`);
    }
  }

  /** Larq DoReFa on activations: round(clip(x, 0, 1) * n) / n, n = 2^k - 1 (larq-dorefa.ts). */
  private doReFa(name: string, from: string, bits: number): void {
    this.b.quant(name, from, { bits, signed: false, narrow: false, scale: 1 / (2 ** bits - 1) });
  }

  /** kernel values for output j, element k -> bits and per-output scales */
  private binary(l: KerasLayer, quantised: boolean, units: number, fan: number, get: (j: number, k: number) => number, bit: (j: number, k: number) => number): { bits: Uint8Array; scales: Float64Array } {
    const bits = new Uint8Array(units * fan);
    const scales = new Float64Array(units).fill(1);
    for (let j = 0; j < units; j++) {
      const s = Math.abs(get(j, 0));
      for (let k = 0; k < fan; k++) {
        const v = get(j, k);
        if (!Number.isFinite(v)) this.fail('BNN204', l, `the kernel holds ${v}`, 'the weights must be finite numbers');
        if (!quantised && (Math.abs(v) !== s || !(s > 0))) {
          const seen = new Set<number>();
          for (let q = 0; q < fan && seen.size < 6; q++) seen.add(get(j, q));
          this.fail(
            'BNN204', l,
            `the kernel is real-valued and has no kernel_quantizer: output ${j} has the values ${numbersText([...seen])}, expected +s and -s only`,
            `bnn-hw maps binary weights: use Larq's ${l.cls.startsWith('Quant') ? l.cls : `Quant${l.cls}`} with kernel_quantizer="ste_sign" (a real-valued last layer cannot be mapped)`,
          );
        }
        bits[bit(j, k)] = v >= 0 ? 1 : 0;
      }
      if (!quantised) scales[j] = s;
    }
    return { bits, scales };
  }

  private activation(l: KerasLayer, last: boolean): void {
    const a = l.cfg['activation'];
    if (a === undefined || a === null) return;
    const raw = typeof a === 'string' ? a : String((a as Json)['class_name'] ?? a);
    const key = raw.toLowerCase().replace(/[^a-z]/g, '');
    if (key === 'linear') return;
    if (isDoReFa(a)) {
      const bits = doReFaBits(a, (what) => this.fail('BNN226', l, `the activation DoReFa ${what}`, DOREFA_HINT));
      return this.doReFa(`${l.name}_act`, `the activation of ${this.from(l)}`, bits);
    }
    if (SIGN_QUANTIZERS.has(key)) {
      this.b.sign(`${l.name}_act`, `the activation of ${this.from(l)}`);
      return;
    }
    if (key === 'softmax') {
      if (!last) this.fail('BNN220', l, 'has a softmax activation before the last layer', 'a softmax is accepted only at the end');
      this.softmax = l;
      return;
    }
    this.fail('BNN219', l, `has the activation ${JSON.stringify(raw)}`, 'bnn-hw maps binary networks: the activation is the next layer\'s input_quantizer (ste_sign); real-valued activations have no binary equivalent');
  }

  private post(l: KerasLayer, scales: Float64Array, bias: Float64Array | null): void {
    if (scales.every((s) => s === 1)) return;
    this.b.affine(`${l.name}_scale`, `the weight scale of ${this.from(l)}`, scales, bias ?? 0);
  }

  private dense(l: KerasLayer, last: boolean): void {
    if (this.b.shape.length !== 1) this.fail('BNN216', l, `gets the image-shaped input [${this.b.shape.join(', ')}]`, 'put a Flatten layer before it');
    this.inputQuantizer(l);
    const fanIn = this.b.shape[0]!;
    const units = Number(l.cfg['units']);
    const k = this.weight(l, 'kernel', [fanIn, units]);
    const quantised = l.cls.startsWith('Quant') && quantizer(this, l, 'kernel_quantizer') === 'sign';
    const { bits, scales } = this.binary(l, quantised, units, fanIn, (j, i) => k[i * units + j]!, (j, i) => j * fanIn + i);
    const bias = l.cfg['use_bias'] === false ? null : this.weight(l, 'bias', [units]);
    const scaled = !scales.every((s) => s === 1);
    this.b.dense(l.name, this.from(l), bits, units, scaled ? null : bias);
    this.post(l, scales, bias);
    this.activation(l, last);
  }

  private conv(l: KerasLayer, last: boolean): void {
    if (this.b.shape.length !== 3) this.fail('BNN216', l, `gets the vector input [${this.b.shape.join(', ')}]`, 'a 2-D convolution needs an [H, W, C] input');
    if ((l.cfg['data_format'] ?? 'channels_last') !== 'channels_last') this.fail('BNN217', l, `uses data_format ${JSON.stringify(l.cfg['data_format'])}`, 'bnn-hw reads channels_last models');
    const dil = pairOf(l.cfg['dilation_rate'], [1, 1]);
    if (dil[0] !== 1 || dil[1] !== 1) this.fail('BNN203', l, `has dilation_rate [${dil.join(', ')}]`, 'bnn-hw maps undilated convolutions');
    if ((l.cfg['groups'] ?? 1) !== 1) this.fail('BNN203', l, `has groups ${String(l.cfg['groups'])}`, 'bnn-hw maps ordinary convolutions (groups = 1)');
    this.inputQuantizer(l);
    const [h, w, c] = this.b.shape as [number, number, number];
    const f = Number(l.cfg['filters']);
    const [kh, kw] = pairOf(l.cfg['kernel_size'], [NaN, NaN]);
    const [sh, sw] = pairOf(l.cfg['strides'], [1, 1]);
    const padding = String(l.cfg['padding'] ?? 'valid').toLowerCase();
    let pad = { top: 0, bottom: 0, left: 0, right: 0 };
    if (padding === 'same') {
      const same = (size: number, k: number, s: number): [number, number] => {
        const total = Math.max((Math.ceil(size / s) - 1) * s + k - size, 0);
        return [Math.floor(total / 2), total - Math.floor(total / 2)];
      };
      const [top, bottom] = same(h, kh, sh);
      const [left, right] = same(w, kw, sw);
      pad = { top, bottom, left, right };
    } else if (padding !== 'valid') this.fail('BNN203', l, `has padding ${JSON.stringify(padding)}`, 'use "valid" or "same"');
    const pv = Number(l.cfg['pad_values'] ?? 0);
    if (pv !== -1 && pv !== 0 && pv !== 1) this.fail('BNN203', l, `has pad_values ${pv}`, 'bnn-hw pads with -1, 0 or +1');
    const kern = this.weight(l, 'kernel', [kh, kw, c, f]);
    const quantised = l.cls.startsWith('Quant') && quantizer(this, l, 'kernel_quantizer') === 'sign';
    const fan = kh * kw * c;
    // Keras [kh, kw, c, f] -> bnn-hw [f, kh, kw, c]: element k = (ky * kw + kx) * c + ci in both
    const { bits, scales } = this.binary(l, quantised, f, fan, (j, k) => kern[k * f + j]!, (j, k) => j * fan + k);
    const bias = l.cfg['use_bias'] === false ? null : this.weight(l, 'bias', [f]);
    const scaled = !scales.every((s) => s === 1);
    this.b.conv2d(l.name, this.from(l), bits, f, [kh, kw], [sh, sw], pad, pv as -1 | 0 | 1, scaled ? null : bias);
    this.post(l, scales, bias);
    this.activation(l, last);
  }

  private batchnorm(l: KerasLayer): void {
    let axis = l.cfg['axis'] ?? -1;
    if (Array.isArray(axis)) axis = axis.length === 1 ? axis[0] : NaN;
    const rank = this.b.shape.length + 1;
    if (axis !== -1 && axis !== rank - 1) this.fail('BNN203', l, `normalises axis ${JSON.stringify(l.cfg['axis'])} of a rank-${rank} tensor`, 'bnn-hw maps batch normalisation over the channels (the last axis)');
    const c = this.b.channels;
    const gamma = l.cfg['scale'] === false ? new Float64Array(c).fill(1) : this.weight(l, 'gamma', [c]);
    const beta = l.cfg['center'] === false ? new Float64Array(c) : this.weight(l, 'beta', [c]);
    const mean = this.weight(l, 'moving_mean', [c]);
    const variance = this.weight(l, 'moving_variance', [c]);
    const epsilon = Number(l.cfg['epsilon'] ?? 1e-3);
    this.b.batchnorm(l.name, this.from(l), { gamma, beta, mean, variance, epsilon });
  }

  private maxpool(l: KerasLayer, kind: 'max' | 'avg' = 'max'): void {
    if (this.b.shape.length !== 3) this.fail('BNN216', l, `gets the vector input [${this.b.shape.join(', ')}]`, `${kind === 'max' ? 'max' : 'average'} pooling needs an [H, W, C] input`);
    if ((l.cfg['data_format'] ?? 'channels_last') !== 'channels_last') this.fail('BNN217', l, `uses data_format ${JSON.stringify(l.cfg['data_format'])}`, 'bnn-hw reads channels_last models');
    const pool = pairOf(l.cfg['pool_size'], [2, 2]);
    const strides = l.cfg['strides'] === null || l.cfg['strides'] === undefined ? pool : pairOf(l.cfg['strides'], pool);
    const [h, w] = this.b.shape as [number, number, number];
    if (String(l.cfg['padding'] ?? 'valid').toLowerCase() === 'same') {
      const fits = (size: number, p: number, s: number) => Math.ceil(size / s) === Math.floor((size - p) / s) + 1;
      if (!fits(h, pool[0], strides[0]) || !fits(w, pool[1], strides[1])) this.fail('BNN203', l, 'pads the pool (padding "same" with a window that does not fit)', 'use padding "valid"');
    }
    if (kind === 'max') this.b.maxpool(l.name, this.from(l), pool, strides);
    else this.b.avgpool(l.name, this.from(l), pool, strides);
  }

  convert(): void {
    const n = this.m.layers.length;
    const lastWeighted = this.m.layers.reduce((a, l, i) => (/Dense|Conv2D|BatchNormalization/.test(l.cls) ? i : a), -1);
    this.m.layers.forEach((l, i) => {
      try {
        this.layer(l, i, n, lastWeighted);
      } catch (e) {
        if (e instanceof DiagnosticError) throw e;
        unexpected(e, l.ptr, this.from(l));
      }
    });
    if (this.softmax) this.b.notes.push(`the softmax of ${this.from(this.softmax)} dropped: the argmax of a softmax is the argmax of the scores before it`);
  }

  private layer(l: KerasLayer, i: number, n: number, lastWeighted: number): void {
    if (this.softmax && !['Dropout', 'Activation'].includes(l.cls)) this.fail('BNN220', l, `follows the softmax of ${this.from(this.softmax)}`, 'a softmax is accepted only at the end');
    if (l.cls === 'InputLayer') {
      if (i !== 0) this.fail('BNN205', l, 'is a second input', 'bnn-hw maps a network with one input');
      this.outs.set(l.name, INPUT);
      return;
    }
    const srcs = l.inbound.map((name) => this.outs.get(name) ?? INPUT);
    if (l.cls === 'Add') addLayer(this, l, srcs);
    else {
      if (srcs.length > 1) this.fail('BNN227', l, `reads ${srcs.length} layers (${l.inbound.map((x) => JSON.stringify(x)).join(', ')})`, 'bnn-hw maps layers that read one layer, and Add of two');
      this.b.at(srcs[0] ?? INPUT);
      this.step(l, i, n, lastWeighted);
    }
    this.outs.set(l.name, this.b.src);
  }

  private step(l: KerasLayer, i: number, n: number, lastWeighted: number): void {
    const last = i >= lastWeighted;
    switch (l.cls) {
      case 'QuantDense':
      case 'Dense':
        return this.dense(l, last);
      case 'QuantConv2D':
      case 'Conv2D':
        return this.conv(l, last);
      case 'BatchNormalization':
        return this.batchnorm(l);
      case 'MaxPooling2D':
      case 'MaxPool2D':
        return this.maxpool(l);
      case 'AveragePooling2D':
      case 'AvgPool2D':
        return this.maxpool(l, 'avg');
      case 'GlobalAveragePooling2D':
      case 'GlobalAvgPool2D':
        return globalAvgpool(this, l);
      case 'Flatten':
        if ((l.cfg['data_format'] ?? 'channels_last') !== 'channels_last') this.fail('BNN217', l, 'flattens channels_first', 'bnn-hw reads channels_last models');
        if (this.b.shape.length > 1) this.b.flatten(l.name, this.from(l));
        return;
      case 'Reshape': {
        const t = (l.cfg['target_shape'] as number[] | undefined) ?? [];
        const total = this.b.shape.reduce((a, b) => a * b, 1);
        if (t.length === 1 && (t[0] === total || t[0] === -1)) {
          if (this.b.shape.length > 1) this.b.flatten(l.name, this.from(l));
          return;
        }
        if (t.length === this.b.shape.length && t.every((d, k) => d === this.b.shape[k])) return;
        return this.fail('BNN217', l, `reshapes [${this.b.shape.join(', ')}] to [${t.join(', ')}]`, 'bnn-hw can flatten an image but not otherwise rearrange it');
      }
      case 'Dropout':
      case 'SpatialDropout2D':
      case 'GaussianNoise':
      case 'GaussianDropout':
      case 'ActivityRegularization':
        this.b.notes.push(`${this.from(l)} dropped: it is the identity at inference`);
        return;
      case 'Activation':
        return this.activation(l, i === n - 1 || this.m.layers.slice(i + 1).every((x) => ['Dropout', 'Activation'].includes(x.cls)));
      default:
        return this.fail('BNN202', l, 'is not supported by bnn-hw', 'supported: QuantDense, QuantConv2D (Larq), Dense / Conv2D with binary weights, BatchNormalization, MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, Add, Flatten, Dropout, Activation');
    }
  }
}
