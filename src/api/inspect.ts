/** A model layer by layer: shapes, fan-in, weight bits and operations per frame (`bnn-hw inspect`). */
import type { Layer, Model } from '../ir/model.js';
import { INPUT, inputTypeText, prod } from '../ir/model.js';
import { readsPrevious } from '../ir/graph.js';
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
  /** the layers it reads ("input": the model input), only when not the layer before it */
  inputs?: string[];
}

/** The layer's inputs when they are not the default (the layer before it), else null. */
function ownInputs(m: Model, i: number): string[] | null {
  return readsPrevious(m.layers, i) ? null : [...m.layers[i]!.inputs];
}

export function layerStats(m: Model): { layers: LayerStats[]; total: { weightBits: number; macs: number; binaryOps: number } } {
  /** which tensors hold binary (+-1) values: the bipolar input, sign outputs and what pools / flattens / channel ops pass on */
  const binary = new Map<string, boolean>([[INPUT, m.input.type.kind === 'bipolar']]);
  const layers = m.layers.map((l, i): LayerStats => {
    let fanIn: number | null = null;
    let weightBits = 0;
    let macs = 0;
    if (l.type === 'dense' || l.type === 'conv2d') {
      fanIn = l.type === 'dense' ? l.fanIn : l.kernel[0] * l.kernel[1] * l.inShape[2]!;
      weightBits = l.weights.length;
      macs = prod(l.outShape) * fanIn;
    }
    const binaryIn = binary.get(l.inputs[0]!) ?? false;
    const binaryOps = binaryIn ? 2 * macs : 0;
    const passes = l.type === 'maxpool' || l.type === 'flatten' || l.type === 'batchnorm' || l.type === 'affine';
    binary.set(l.name, l.type === 'sign' || (passes && binaryIn));
    const inputs = ownInputs(m, i);
    return { name: l.name, type: l.type, inShape: [...l.inShape], outShape: [...l.outShape], fanIn, weightBits, macs, binaryOps, ...(inputs ? { inputs } : {}) };
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
  // a graph gets a column of the layers each layer reads where that is not the layer before it
  const graph = s.layers.some((l) => l.inputs);
  const reads = (l: LayerStats) => (graph ? [l.inputs ? l.inputs.join(', ') : ''] : []);
  const rows = s.layers.map((l) => [l.name, l.type, ...reads(l), sh(l.inShape), sh(l.outShape), l.fanIn ?? '', l.weightBits || '', l.macs || '', l.binaryOps || '']);
  rows.push(['total', '', ...(graph ? [''] : []), '', '', '', s.total.weightBits, s.total.macs, s.total.binaryOps]);
  const head = `${m.name}: input ${sh(m.input.shape)} ${inputTypeText(m.input.type)}, output ${m.output}`;
  const cols = ['layer', 'type', ...(graph ? ['reads'] : []), 'input', 'output', 'fan-in', 'weight bits', 'MACs/frame', 'binary ops/frame'];
  return `${head}\n${table(cols, rows, [false, false, ...(graph ? [false] : []), false, false, true, true, true, true])}\n`;
}
