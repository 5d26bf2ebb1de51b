/** A model layer by layer: shapes, fan-in, weight bits and operations per frame (`bnn-hw inspect`). */
import type { Layer, Model } from '../ir/model.js';
import { inputTypeText, prod } from '../ir/model.js';
import { table } from '../util/table.js';
import { type ModelSource, loadModel } from './model.js';
import { withDiagnostics } from './options.js';

export interface LayerStats {
  name: string;
  type: Layer['type'];
  inShape: number[];
  outShape: number[];
  fanIn: number | null;
  weightBits: number;
  /** multiply-accumulates per frame */
  macs: number;
  /** binary operations per frame (XNOR + popcount-add = 2 per binary MAC, FINN's convention) */
  binaryOps: number;
}

export function layerStats(m: Model): { layers: LayerStats[]; total: { weightBits: number; macs: number; binaryOps: number } } {
  let binaryIn = m.input.type.kind === 'bipolar';
  const layers = m.layers.map((l): LayerStats => {
    let fanIn: number | null = null;
    let weightBits = 0;
    let macs = 0;
    if (l.type === 'dense' || l.type === 'conv2d') {
      fanIn = l.type === 'dense' ? l.fanIn : l.kernel[0] * l.kernel[1] * l.inShape[2]!;
      weightBits = l.weights.length;
      macs = prod(l.outShape) * fanIn;
    }
    const binaryOps = binaryIn ? 2 * macs : 0;
    if (l.type === 'sign') binaryIn = true;
    else if (l.type === 'dense' || l.type === 'conv2d' || l.type === 'quant' || l.type === 'multithreshold') binaryIn = false;
    return { name: l.name, type: l.type, inShape: [...l.inShape], outShape: [...l.outShape], fanIn, weightBits, macs, binaryOps };
  });
  const sum = (k: 'weightBits' | 'macs' | 'binaryOps') => layers.reduce((s, l) => s + l[k], 0);
  return { layers, total: { weightBits: sum('weightBits'), macs: sum('macs'), binaryOps: sum('binaryOps') } };
}

export interface InspectReport {
  name: string;
  input: { shape: readonly number[]; type: string };
  output: Model['output'];
  layers: LayerStats[];
  total: { weightBits: number; macs: number; binaryOps: number };
}

/** `bnn-hw inspect --json`: the model layer by layer (shapes, fan-in, weight bits, operations per frame). */
export function inspect(model: ModelSource): InspectReport {
  return withDiagnostics(() => {
    const m = loadModel(model);
    return { name: m.name, input: { shape: m.input.shape, type: inputTypeText(m.input.type) }, output: m.output, ...layerStats(m) };
  });
}

/** The table `bnn-hw inspect` prints (also pasted into examples/*.md by the examples generator). */
export function inspectText(m: Model): string {
  const s = layerStats(m);
  const sh = (x: readonly number[]) => `[${x.join(', ')}]`;
  const rows = s.layers.map((l) => [l.name, l.type, sh(l.inShape), sh(l.outShape), l.fanIn ?? '', l.weightBits || '', l.macs || '', l.binaryOps || '']);
  rows.push(['total', '', '', '', '', s.total.weightBits, s.total.macs, s.total.binaryOps]);
  const head = `${m.name}: input ${sh(m.input.shape)} ${inputTypeText(m.input.type)}, output ${m.output}`;
  return `${head}\n${table(['layer', 'type', 'input', 'output', 'fan-in', 'weight bits', 'MACs/frame', 'binary ops/frame'], rows, [false, false, false, false, true, true, true, true])}\n`;
}
