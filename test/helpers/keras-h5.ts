/**
 * Keras / Larq HDF5 files for the importer tests, written with h5wasm in the layout of tf.keras 2
 * `model.save("m.h5")` (root attributes model_config / keras_version / backend, model_weights/<layer>/
 * with a weight_names attribute and datasets <layer>/<weight>:0) or of Keras 3's legacy H5 format
 * (batch_shape, weight names without ":0"), plus an independent float32 evaluator of the same layer
 * list (NHWC, as Keras computes).
 */
import h5wasm from 'h5wasm/node';

export interface KLayer {
  cls: string;
  name: string;
  cfg: Record<string, unknown>;
  /** short weight name -> shape and values */
  weights?: Record<string, { shape: number[]; data: number[] }>;
  /** functional graphs: the layers it reads (default: the layer before it; INPUT_NAME: the model input) */
  inbound?: string[];
}

/** the name of the InputLayer the writer adds (tf.keras 2; Keras 3 calls it "input_layer") */
export const INPUT_NAME = 'input_1';

export interface KerasFileOptions {
  inputShape: number[];
  functional?: boolean;
  keras3?: boolean;
  /** write the weights only (like model.save_weights): no model_config */
  weightsOnly?: boolean;
}

const WEIGHT_ORDER = ['kernel', 'bias', 'gamma', 'beta', 'moving_mean', 'moving_variance'];

export async function writeKerasH5(path: string, layers: KLayer[], o: KerasFileOptions): Promise<void> {
  await h5wasm.ready;
  const inputName = o.keras3 ? 'input_layer' : INPUT_NAME;
  const inputCfg = o.keras3 ? { batch_shape: [null, ...o.inputShape], dtype: 'float32', name: inputName } : { batch_input_shape: [null, ...o.inputShape], dtype: 'float32', sparse: false, ragged: false, name: inputName };
  const all: { class_name: string; config: Record<string, unknown>; name?: string; inbound_nodes?: unknown; inbound?: string[] }[] = [
    { class_name: 'InputLayer', config: inputCfg },
    ...layers.map((l) => ({ class_name: l.cls, config: { name: l.name, trainable: true, dtype: 'float32', ...l.cfg }, inbound: l.inbound?.map((n) => (n === INPUT_NAME ? inputName : n)) })),
  ];
  if (o.functional) {
    all.forEach((l, i) => {
      l.name = String(l.config['name']);
      const ins = l.inbound ?? (i > 0 ? [String(all[i - 1]!.config['name'])] : []);
      const kt = (n: string) => ({ class_name: '__keras_tensor__', config: { shape: [null], dtype: 'float32', keras_history: [n, 0, 0] } });
      // Keras 3: one tensor as the argument, or a list of them (Add); tf.keras 2: one node listing its inputs
      if (o.keras3) l.inbound_nodes = ins.length ? [{ args: ins.length === 1 ? [kt(ins[0]!)] : [ins.map(kt)], kwargs: {} }] : [];
      else l.inbound_nodes = ins.length ? [ins.map((n) => [n, 0, 0, {}])] : [];
    });
  }
  for (const l of all) delete l.inbound;
  const last = String(all[all.length - 1]!.config['name']);
  const config = o.functional
    ? { class_name: 'Functional', config: { name: 'model', layers: all, input_layers: [[inputName, 0, 0]], output_layers: [[last, 0, 0]] } }
    : { class_name: 'Sequential', config: { name: 'sequential', layers: all } };
  const f = new h5wasm.File(path, 'w');
  try {
    if (!o.weightsOnly) {
      f.create_attribute('model_config', JSON.stringify(config));
      f.create_attribute('keras_version', o.keras3 ? '3.3.3' : '2.13.1');
      f.create_attribute('backend', 'tensorflow');
    }
    const root = o.weightsOnly ? f : f.create_group('model_weights');
    const names = layers.map((l) => l.name);
    const width = Math.max(1, ...names.map((n) => n.length));
    root.create_attribute('layer_names', names, null, `S${width}`);
    for (const l of layers) {
      const g = root.create_group(l.name);
      const ws = Object.entries(l.weights ?? {}).sort(([a], [b]) => WEIGHT_ORDER.indexOf(a) - WEIGHT_ORDER.indexOf(b));
      const wnames = ws.map(([k]) => (o.keras3 ? `${l.name}/${k}` : `${l.name}/${k}:0`));
      g.create_attribute('weight_names', wnames, null, `S${Math.max(1, ...wnames.map((n) => n.length))}`);
      if (ws.length) {
        const inner = g.create_group(l.name);
        ws.forEach(([k, w]) => inner.create_dataset({ name: o.keras3 ? k : `${k}:0`, data: new Float32Array(w.data), shape: w.shape, dtype: '<f' }));
      }
    }
  } finally {
    f.close();
  }
}

// ---------------------------------------------------------------------------------------------
// evaluator: NHWC float32, Larq semantics at inference

const fr = Math.fround;
const sgn = (x: number) => (x >= 0 ? 1 : -1);

function quant(q: unknown): boolean {
  if (q === null || q === undefined) return false;
  const s = typeof q === 'string' ? q : String((q as { class_name?: string }).class_name);
  return ['ste_sign', 'SteSign', 'approx_sign', 'ApproxSign', 'swish_sign', 'SwishSign'].includes(s);
}

/** tf.round: to the nearest integer, ties to even. */
function roundHalfToEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  return d > 0.5 ? f + 1 : d < 0.5 ? f : f % 2 === 0 ? f : f + 1;
}

/**
 * Larq's DoReFa on activations as Larq documents it (larq.quantizers.DoReFa, mode "activations"):
 * q(x) = tf.round(clip(x, 0, 1) * n) / n with n = 2^k_bit - 1, in float32; null for another quantiser.
 */
function dorefa(q: unknown): ((x: number) => number) | null {
  const name = typeof q === 'string' ? q : q !== null && typeof q === 'object' ? String((q as { class_name?: string }).class_name) : '';
  if (!['DoReFa', 'DoReFaQuantizer', 'dorefa_quantizer'].includes(name)) return null;
  const cfg = (typeof q === 'object' && q !== null ? (q as { config?: { k_bit?: number; mode?: string } }).config : undefined) ?? {};
  if ((cfg.mode ?? 'activations') !== 'activations') throw new Error('evaluator: DoReFa weights mode');
  const n = 2 ** (cfg.k_bit ?? 2) - 1;
  return (x) => fr(roundHalfToEven(fr(Math.min(Math.max(x, 0), 1) * n)) / n);
}

/** Run the layer list on one HWC input; returns the final scores (before a softmax, which is skipped). */
export function evalKeras(layers: KLayer[], inputShape: number[], input: ArrayLike<number>): number[] {
  let shape = inputShape.length === 2 ? [...inputShape, 1] : [...inputShape];
  let x = Array.from(input, fr);
  // functional graphs: every layer's output by name; a layer reads its inbound layers (default: the one before)
  const outs = new Map<string, { x: number[]; shape: number[] }>([[INPUT_NAME, { x, shape }]]);
  let prev = INPUT_NAME;
  for (const l of layers) {
    const c = l.cfg;
    const ins = (l.inbound ?? [prev]).map((n) => outs.get(n)!);
    ({ x, shape } = ins[0]!);
    prev = l.name;
    const keep = () => outs.set(l.name, { x, shape });
    const w = (k: string) => l.weights![k]!.data.map(fr);
    switch (l.cls) {
      case 'QuantDense':
      case 'Dense': {
        if (quant(c['input_quantizer'])) x = x.map(sgn);
        x = x.map(dorefa(c['input_quantizer']) ?? ((v) => v));
        const k = w('kernel').map((v) => (l.cls === 'QuantDense' && quant(c['kernel_quantizer']) ? sgn(v) : v));
        const units = Number(c['units']);
        const fan = x.length;
        const b = c['use_bias'] === false ? null : w('bias');
        const y: number[] = [];
        for (let j = 0; j < units; j++) {
          let acc = 0;
          for (let i = 0; i < fan; i++) acc = fr(acc + fr(x[i]! * k[i * units + j]!));
          y.push(b ? fr(acc + b[j]!) : acc);
        }
        x = y;
        shape = [units];
        if (c['activation'] === 'ste_sign') x = x.map(sgn);
        x = x.map(dorefa(c['activation']) ?? ((v) => v));
        break;
      }
      case 'QuantConv2D':
      case 'Conv2D': {
        if (quant(c['input_quantizer'])) x = x.map(sgn);
        x = x.map(dorefa(c['input_quantizer']) ?? ((v) => v));
        const [h, wd, ch] = shape as [number, number, number];
        const f = Number(c['filters']);
        const [kh, kw] = c['kernel_size'] as [number, number];
        const [sh, sw] = (c['strides'] as [number, number] | undefined) ?? [1, 1];
        const same = c['padding'] === 'same';
        const padv = same ? Number(c['pad_values'] ?? 0) : 0;
        const tot = (size: number, k: number, s: number) => Math.max((Math.ceil(size / s) - 1) * s + k - size, 0);
        const pt = same ? Math.floor(tot(h, kh, sh) / 2) : 0;
        const pl = same ? Math.floor(tot(wd, kw, sw) / 2) : 0;
        const oh = same ? Math.ceil(h / sh) : Math.floor((h - kh) / sh) + 1;
        const ow = same ? Math.ceil(wd / sw) : Math.floor((wd - kw) / sw) + 1;
        const k = w('kernel').map((v) => (l.cls === 'QuantConv2D' && quant(c['kernel_quantizer']) ? sgn(v) : v));
        const b = c['use_bias'] === false ? null : w('bias');
        const y = new Array<number>(oh * ow * f).fill(0);
        for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) for (let fo = 0; fo < f; fo++) {
          let acc = 0;
          for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) for (let ci = 0; ci < ch; ci++) {
            const iy = oy * sh + ky - pt;
            const ix = ox * sw + kx - pl;
            const v = iy >= 0 && iy < h && ix >= 0 && ix < wd ? x[(iy * wd + ix) * ch + ci]! : padv;
            acc = fr(acc + fr(v * k[((ky * kw + kx) * ch + ci) * f + fo]!));
          }
          y[(oy * ow + ox) * f + fo] = b ? fr(acc + b[fo]!) : acc;
        }
        x = y;
        shape = [oh, ow, f];
        break;
      }
      case 'BatchNormalization': {
        const ch = shape[shape.length - 1]!;
        const g = c['scale'] === false ? null : w('gamma');
        const be = c['center'] === false ? null : w('beta');
        const m = w('moving_mean');
        const v = w('moving_variance');
        const eps = fr(Number(c['epsilon'] ?? 1e-3));
        x = x.map((z, i) => {
          const k = i % ch;
          const t = fr(fr(z - m[k]!) / fr(Math.sqrt(fr(v[k]! + eps))));
          return fr(fr(t * (g ? g[k]! : 1)) + (be ? be[k]! : 0));
        });
        break;
      }
      case 'MaxPooling2D':
      case 'MaxPool2D': {
        const [h, wd, ch] = shape as [number, number, number];
        const [ph, pw] = c['pool_size'] as [number, number];
        const [sh, sw] = (c['strides'] as [number, number] | null) ?? [ph, pw];
        const oh = Math.floor((h - ph) / sh) + 1;
        const ow = Math.floor((wd - pw) / sw) + 1;
        const y: number[] = [];
        for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) for (let ci = 0; ci < ch; ci++) {
          let m = -Infinity;
          for (let py = 0; py < ph; py++) for (let px = 0; px < pw; px++) m = Math.max(m, x[((oy * sh + py) * wd + ox * sw + px) * ch + ci]!);
          y.push(m);
        }
        x = y;
        shape = [oh, ow, ch];
        break;
      }
      case 'Flatten':
        shape = [x.length];
        break;
      case 'Dropout':
        break;
      case 'Activation':
        if (c['activation'] === 'softmax' || c['activation'] === 'linear') break;
        if (quant(c['activation'])) x = x.map(sgn);
        else if (dorefa(c['activation'])) x = x.map(dorefa(c['activation'])!);
        else throw new Error(`evaluator: activation ${String(c['activation'])}`);
        break;
      case 'Add': {
        const [a, b] = ins as [{ x: number[]; shape: number[] }, { x: number[]; shape: number[] }];
        if (a.shape.join() !== b.shape.join()) throw new Error('evaluator: Add of two shapes');
        x = a.x.map((v, i) => fr(v + b.x[i]!));
        break;
      }
      case 'AveragePooling2D':
      case 'GlobalAveragePooling2D': {
        // Keras: the window sum in float32, divided by the window size
        const [h, wd, ch] = shape as [number, number, number];
        const global = l.cls === 'GlobalAveragePooling2D';
        const [ph, pw] = global ? [h, wd] : (c['pool_size'] as [number, number]);
        const [sh, sw] = global ? [1, 1] : ((c['strides'] as [number, number] | null) ?? [ph, pw]);
        const oh = Math.floor((h - ph) / sh) + 1;
        const ow = Math.floor((wd - pw) / sw) + 1;
        const y: number[] = [];
        for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) for (let ci = 0; ci < ch; ci++) {
          let s = 0;
          for (let py = 0; py < ph; py++) for (let px = 0; px < pw; px++) s = fr(s + x[((oy * sh + py) * wd + ox * sw + px) * ch + ci]!);
          y.push(fr(s / (ph * pw)));
        }
        x = y;
        shape = global ? [ch] : [oh, ow, ch];
        break;
      }
      default:
        throw new Error(`evaluator: layer ${l.cls}`);
    }
    keep();
  }
  return x;
}
