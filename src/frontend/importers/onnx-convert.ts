/**
 * ONNX graph -> bnn-hw layers. The graph is walked in topological order; every tensor is either a
 * constant (initializers and everything computed from them alone, folded here) or a data tensor
 * computed from the graph input, which remembers the bnn-hw layer holding it (so several nodes may
 * read it: fan-out; an Add of two data tensors is an add layer, onnx-graph.ts). Each node on the
 * data path becomes zero or more bnn-hw layers:
 *   MatMul / Gemm -> dense (+ affine for weight / activation scales, alpha, beta * C)
 *   Conv -> conv2d (NCHW weights -> [filters, kh, kw, c]; pads; zero padding is padValue 0)
 *   BatchNormalization -> batchnorm; MaxPool -> maxpool; AveragePool -> avgpool; GlobalAveragePool -> globalavgpool
 *   Mul / Add / Sub / Div / Neg with a constant -> affine (per channel or scalar)
 *   Reshape / Flatten / Squeeze / Unsqueeze -> flatten (or nothing); Identity / Dropout / Cast -> nothing
 *   TopK (k = 1) / ArgMax -> "output": "argmax"; a final Softmax is dropped for argmax outputs
 * and the dialect ops (QONNX BipolarQuant / Quant, FINN MultiThreshold) come from qonnx.ts / finn.ts.
 *
 * Layout: ONNX tensors are NCHW, bnn-hw's are HWC. An image [1, C, H, W] is [H, W, C] here; a vector
 * made by flattening an image keeps a permutation from ONNX's (c, h, w) order to bnn-hw's (h, w, c),
 * applied to the weights of the next dense layer and to any per-element parameter on the way.
 */
import { DiagnosticError, fail, type DiagCode } from '../../diagnostics/diagnostic.js';
import { MAX_DIM, MAX_ELEMENTS } from '../load.js';
import { INPUT } from '../../ir/model.js';
import { addTensors } from './onnx-graph.js';
import { ModelBuilder } from './builder.js';
import { type ImportOptions, type InputTypeJson, inputTypeKey, numbersText, parseInputTypeOption, unexpected } from './common.js';
import {
  type OnnxGraph, type OnnxNode, type Tensor, DT, broadcastIndex, broadcastShape, concat, dtypeName, elementwise, gather, intsOf, map, prod, reshapeTarget, scalarOf,
  slice, tensor, transpose,
} from './onnx.js';

/** The data tensor: its ONNX shape, and how it sits in the builder's HWC / 1-D layout. */
export interface Dyn {
  shape: number[];
  /** for vectors made by flattening an image: ONNX flat index -> bnn-hw index */
  perm: Int32Array | null;
  /** a positive factor not yet applied (activation scales of BipolarQuant), folded into the next linear layer */
  scale: number;
  /** only shape operations since the graph input */
  raw: boolean;
  /** a Softmax was dropped: the values are no longer the scores */
  softmaxed: string | null;
  /** the bnn-hw layer whose output this is (INPUT: the model input); set by setDyn */
  src?: string;
}

/** 'dead': a consumed data tensor (its shape stays known for Shape) or an output nothing may read */
export type Value = { kind: 'const'; t: Tensor } | { kind: 'dyn'; d: Dyn } | { kind: 'dead'; by: OnnxNode; d?: Dyn };

export interface OpHandler {
  /** the node on constant inputs only (weights, shapes); returns its outputs */
  fold?: (cx: Converter, node: OnnxNode, ins: (Tensor | undefined)[]) => Tensor[];
  /** the node on the data tensor `x` (input number `xi`); sets its outputs */
  apply?: (cx: Converter, node: OnnxNode, x: Dyn, ins: (Value | undefined)[], xi: number) => void;
}

export interface GraphInputType {
  json: InputTypeJson;
  why: string;
}

export const nodeWhat = (n: OnnxNode, total?: number) =>
  `node ${n.index}${total ? ` of ${total}` : ''} ${JSON.stringify(n.name || `#${n.index}`)} (${n.opType}${n.domain ? ` from ${n.domain}` : ''})`;
export const nodePtr = (n: OnnxNode) => `/graph/node/${n.index}`;

const SUPPORTED_HINT =
  'bnn-hw maps binary networks: MatMul / Gemm / Conv with binary weights, BatchNormalization, MaxPool, BipolarQuant or a one-threshold MultiThreshold as the activation, ' +
  'Mul / Add / Sub / Div by constants, Reshape / Flatten and their shape arithmetic, and TopK / ArgMax at the end';

export class Converter {
  readonly values = new Map<string, Value>();
  readonly b: ModelBuilder;
  /** the graph's own statement of its input's integer type (element type, finn_datatype, Quant) */
  graphInputType: GraphInputType | null = null;
  /** set by TopK / ArgMax: the name of the label tensor */
  argmaxOutput: string | null = null;
  argmaxNode: OnnxNode | null = null;
  /** a Relu whose output only an unsigned Quant may read, which absorbs it (kbit.ts) */
  pendingRelu: OnnxNode | null = null;

  constructor(
    readonly graph: OnnxGraph,
    readonly handlers: ReadonlyMap<string, OpHandler>,
    readonly opts: ImportOptions,
  ) {
    if (graph.inputs.length !== 1) {
      fail('BNN205', '/graph/input', `the graph has ${graph.inputs.length} data inputs (${graph.inputs.map((i) => JSON.stringify(i.name)).join(', ') || 'none'}), expected exactly one`, 'bnn-hw maps a network with one input image or vector; give every weight an initializer');
    }
    const input = graph.inputs[0]!;
    if (!input.dims) fail('BNN218', '/graph/input/0', `the graph input ${JSON.stringify(input.name)} has no shape`, 'export with a fixed input shape (a dummy input of the real size)');
    const dims = input.dims.map((d, i) => {
      if (d !== null) return d;
      if (i === 0) return 1;
      return fail('BNN218', '/graph/input/0', `dimension ${i} of the graph input ${JSON.stringify(input.name)} is symbolic (${JSON.stringify(input.dimNames[i])}), expected a fixed size`, 'only the batch dimension may be symbolic; export with a fixed input shape');
    });
    if (dims.some((d) => !Number.isSafeInteger(d) || d > MAX_DIM) || prod(dims) > MAX_ELEMENTS) {
      fail('BNN213', '/graph/input/0', `the graph input ${JSON.stringify(input.name)} has shape [${dims.join(', ')}]: expected at most ${MAX_DIM} per axis and ${MAX_ELEMENTS} elements in all`, 'the file is damaged, or the network is larger than bnn-hw can compile');
    }
    if (dims[0] !== 1) fail('BNN218', '/graph/input/0', `the graph input ${JSON.stringify(input.name)} has batch size ${dims[0]} (shape [${dims.join(', ')}]), expected 1`, 'export with a batch of one');
    const ours: number[] =
      dims.length === 4 ? [dims[2]!, dims[3]!, dims[1]!]
        : isVectorShape(dims) && dims.length >= 2 ? [prod(dims)]
          : fail('BNN218', '/graph/input/0', `the graph input ${JSON.stringify(input.name)} has shape [${dims.join(', ')}], expected [1, C, H, W] (an image) or [1, N] (a vector)`, 'export with an NCHW image or a flat vector input');
    this.b = new ModelBuilder(ours);
    this.setDyn(input.name, { shape: dims, perm: null, scale: 1, raw: true, softmaxed: null });
    this.graphInputType = elemInputType(input.elemType, input.name);
  }

  // ---- values

  get(name: string, node: OnnxNode): Value | undefined {
    if (name === '') return undefined;
    const v = this.values.get(name);
    if (v) return v;
    const t = this.graph.initializers.get(name);
    if (t) return { kind: 'const', t };
    return fail('BNN201', nodePtr(node), `${nodeWhat(node)} reads tensor ${JSON.stringify(name)}, which no node, initializer or graph input defines`, 'the graph is incomplete; re-export it');
  }

  setConst(name: string, t: Tensor): void {
    if (name) this.values.set(name, { kind: 'const', t });
  }

  /** A data tensor: the output of the layer the builder emitted last (or of the layer it was moved to). */
  setDyn(name: string, d: Dyn): void {
    this.values.set(name, { kind: 'dyn', d: { ...d, src: this.b.src } });
  }

  /** extra outputs nothing may read (Dropout's mask, MaxPool's indices, ...) */
  setDead(node: OnnxNode, from = 1): void {
    for (const o of node.outputs.slice(from)) if (o) this.values.set(o, { kind: 'dead', by: node });
  }

  // ---- helpers for handlers

  where(node: OnnxNode): string {
    return nodeWhat(node, this.graph.nodes.length);
  }

  fail(code: DiagCode, node: OnnxNode, message: string, hint: string): never {
    return fail(code, nodePtr(node), `${this.where(node)}: ${message}`, hint);
  }

  from(node: OnnxNode): string {
    return `node ${node.index} ${JSON.stringify(node.name || `#${node.index}`)} (${node.opType})`;
  }

  layerName(node: OnnxNode, suffix = ''): string {
    return (node.name || `${node.opType}_${node.index}`) + suffix;
  }

  attrInt(node: OnnxNode, name: string, def: number): number {
    const a = node.attrs.get(name);
    return a?.i ?? def;
  }

  attrFloat(node: OnnxNode, name: string, def: number): number {
    const a = node.attrs.get(name);
    return a?.f ?? a?.i ?? def;
  }

  attrInts(node: OnnxNode, name: string): number[] | undefined {
    const a = node.attrs.get(name);
    return a?.ints ?? (a?.i !== undefined ? [a.i] : undefined);
  }

  attrString(node: OnnxNode, name: string, def: string): string {
    return node.attrs.get(name)?.s ?? def;
  }

  /** A constant input; fails when it is missing or data-dependent. */
  constIn(node: OnnxNode, ins: (Value | undefined)[], i: number, what: string): Tensor {
    const v = ins[i];
    if (!v) return this.fail('BNN201', node, `input ${i} (${what}) is missing`, 'the node is incomplete; re-export the graph');
    if (v.kind !== 'const') return this.fail('BNN215', node, `input ${i} (${what}) depends on the data, expected a constant`, 'weights, scales and thresholds must be initializers or constants');
    return v.t;
  }

  opsetVersion(domain = ''): number {
    return this.graph.opsets.get(domain) ?? this.graph.opsets.get('ai.onnx') ?? 13;
  }

  /** Apply a pending activation scale as an affine layer. */
  materialize(node: OnnxNode, x: Dyn): void {
    if (x.scale !== 1) {
      this.b.affine(this.layerName(node, '_inscale'), `the scale of the activation before ${this.from(node)}`, x.scale, 0);
      x.scale = 1;
    }
  }

  isImage(x: Dyn): boolean {
    return this.b.shape.length === 3;
  }

  /** our index of ONNX flat element i of a vector */
  ourIndex(x: Dyn, i: number): number {
    return x.perm ? x.perm[i]! : i;
  }

  /**
   * A constant combined elementwise with the data tensor, as one value per channel of the builder's
   * layout (a single number when all are equal). Fails when it varies across pixels or would grow
   * the data tensor.
   */
  channelParam(node: OnnxNode, x: Dyn, c: Tensor, what: string): number | Float64Array {
    let dims = [...c.dims];
    while (dims.length > x.shape.length && dims[0] === 1) dims = dims.slice(1);
    const bs = broadcastShape(dims, x.shape);
    if (!bs || bs.length !== x.shape.length || bs.some((d, i) => d !== x.shape[i])) {
      this.fail('BNN216', node, `${what} of shape [${c.dims.join(', ')}] does not broadcast to the data shape [${x.shape.join(', ')}] without growing it`, 'use a scalar or one value per channel');
    }
    const s = scalarOf(c);
    if (s !== null) return s;
    const idx = broadcastIndex(dims, x.shape);
    const image = this.isImage(x);
    const nOurs = image ? this.b.channels : this.b.shape[0]!;
    const out = new Float64Array(nOurs).fill(NaN);
    if (image) {
      const [, ch, h, w] = x.shape as [number, number, number, number];
      for (let k = 0; k < ch; k++) {
        const v = c.data[idx[k * h * w]!]!;
        for (let p = 0; p < h * w; p++) {
          if (c.data[idx[k * h * w + p]!] !== v) {
            this.fail('BNN221', node, `${what} of shape [${c.dims.join(', ')}] varies across the pixels of channel ${k}`, 'bnn-hw applies parameters per channel: give one value per channel (shape [1, C, 1, 1])');
          }
        }
        out[k] = v;
      }
    } else {
      for (let i = 0; i < idx.length; i++) out[this.ourIndex(x, i)] = c.data[idx[i]!]!;
    }
    return out.every((v) => v === out[0]) ? out[0]! : out;
  }

  /**
   * A change of shape of the data tensor: nothing for vectors and for same-shape images, a flatten
   * layer for image -> vector, a new input shape for vector -> image at the very start.
   */
  reshape(node: OnnxNode, x: Dyn, target: number[]): Dyn {
    const next: Dyn = { ...x, shape: target };
    if (prod(target) !== prod(x.shape)) this.fail('BNN216', node, `reshapes [${x.shape.join(', ')}] to [${target.join(', ')}], which has a different number of elements`, 'check the export');
    if (target.length > 1 && target[0] !== 1) this.fail('BNN217', node, `reshapes the data to [${target.join(', ')}], which changes the batch dimension`, 'bnn-hw works on one image at a time: keep the batch dimension 1');
    const image = this.isImage(x);
    if (image) {
      if (target.length === 4 && target.every((d, i) => d === x.shape[i])) return next;
      if (isVectorShape(target)) {
        const [, c, h, w] = x.shape as [number, number, number, number];
        this.materialize(node, x);
        next.scale = 1;
        this.b.flatten(this.layerName(node), this.from(node));
        next.perm = c > 1 && h * w > 1 ? flattenPerm(c, h, w) : null;
        return next;
      }
      return this.fail('BNN217', node, `reshapes the image [${x.shape.join(', ')}] to [${target.join(', ')}]`, 'bnn-hw can flatten an image ([1, C*H*W]) but not otherwise rearrange it');
    }
    if (isVectorShape(target)) return next;
    if (target.length === 4 && x.perm === null && this.b.untouched && (target[1] === 1 || target[2]! * target[3]! === 1)) {
      // a vector input reshaped to an image before anything else: take the image as the input
      this.b.restart([target[2]!, target[3]!, target[1]!]);
      return next;
    }
    return this.fail('BNN217', node, `reshapes the vector [${x.shape.join(', ')}] to [${target.join(', ')}]`, 'bnn-hw layers cannot turn a vector back into an image');
  }

  // ---- the walk

  run(): void {
    const order = topoOrder(this.graph);
    for (const node of order) {
      try {
        this.step(node);
      } catch (e) {
        if (e instanceof DiagnosticError) throw e;
        // a node the handlers cannot make sense of (missing inputs or attributes, impossible sizes)
        unexpected(e, nodePtr(node), this.where(node));
      }
    }
  }

  /** A Relu is mapped only when the unsigned Quant right after it absorbs it (kbit.ts); anywhere else it is refused. */
  refusePendingRelu(hint = unsupportedHint(this.pendingRelu!)): never {
    return this.fail('BNN202', this.pendingRelu!, 'is not supported by bnn-hw', hint);
  }

  private step(node: OnnxNode): void {
    const ins = node.inputs.map((n) => this.get(n, node));
    const relu = this.pendingRelu;
    if (relu && node.opType !== 'Shape' && !RELU_ABSORBERS.includes(node.opType) && node.inputs.includes(relu.outputs[0]!)) this.refusePendingRelu();
    const need = node.opType === 'Constant' ? 0 : (MIN_INPUTS[node.opType] ?? (this.handlers.has(handlerKey(node)) || node.opType === 'Shape' ? 1 : 0));
    const given = ins.slice(0, need).filter((v) => v !== undefined).length;
    if (given < need) this.fail('BNN201', node, `has ${given} of the ${need} inputs it needs`, 'the graph is incomplete or damaged; re-export it');
    if (node.opType === 'Shape' && node.domain === '') {
      const v = ins[0];
      const dims = v?.kind === 'const' ? v.t.dims : v?.d ? v.d.shape : [];
      let s = [...dims];
      const start = this.attrInt(node, 'start', 0);
      const end = node.attrs.get('end')?.i;
      s = s.slice(start < 0 ? start + s.length : start, end === undefined ? undefined : end < 0 ? end + s.length : end);
      this.setConst(node.outputs[0]!, tensor([s.length], s, 'int'));
      return;
    }
    const deadIn = ins.findIndex((v) => v?.kind === 'dead');
    if (deadIn >= 0) {
      const dead = ins[deadIn] as { by: OnnxNode };
      this.fail('BNN205', node, `reads ${JSON.stringify(node.inputs[deadIn])}, a secondary output of ${this.where(dead.by)}`, 'bnn-hw maps only the main output of every node');
    }
    const dynIdx = ins.flatMap((v, i) => (v?.kind === 'dyn' ? [i] : []));
    if (node.opType === 'Constant' && node.domain === '') {
      this.setConst(node.outputs[0]!, constantNode(this, node));
      return;
    }
    const h = this.handlers.get(handlerKey(node));
    if (dynIdx.length === 0) {
      if (!h?.fold) {
        this.fail('BNN202', node, `is not supported on constants`, h ? `this node is expected on the data path, not on weights` : SUPPORTED_HINT);
      }
      const outs = h.fold(this, node, ins.map((v) => (v?.kind === 'const' ? v.t : undefined)));
      outs.forEach((t, i) => this.setConst(node.outputs[i] ?? '', t));
      return;
    }
    if (this.argmaxOutput !== null) this.fail('BNN220', node, `follows ${this.where(this.argmaxNode!)}`, 'TopK / ArgMax must be the last node');
    const dyns = dynIdx.map((i) => ({ ...(ins[i] as { d: Dyn }).d }));
    if (dynIdx.length > 1) {
      addTensors(this, node, dyns, dynIdx);
      return;
    }
    const xi = dynIdx[0]!;
    // a copy: a tensor read by several nodes (fan-out) keeps its pending scale for each of them
    const x = dyns[0]!;
    this.b.at(x.src!);
    if (!node.outputs[0]) this.fail('BNN201', node, 'has no output tensor', 'the graph is incomplete or damaged; re-export it');
    if (!h?.apply) {
      this.fail('BNN202', node, `is not supported by bnn-hw`, unsupportedHint(node));
    }
    if (x.softmaxed && !['TopK', 'ArgMax', 'Identity'].includes(node.opType)) {
      this.fail('BNN220', node, `follows the Softmax ${x.softmaxed}`, 'a Softmax is accepted only at the end of the graph (before an optional TopK / ArgMax)');
    }
    h.apply(this, node, x, ins, xi);
    if (this.values.get(node.outputs[0] ?? '')?.kind !== 'dyn' && this.argmaxOutput === null) {
      throw new Error(`internal: handler for ${node.opType} produced no data output`);
    }
  }

  /** After the walk: the graph output must be the data tensor (or the TopK / ArgMax labels). */
  finishOutput(): { output: 'argmax' | 'scores'; x: Dyn } {
    if (this.pendingRelu) this.refusePendingRelu();
    const outs = this.graph.outputs;
    const want = this.argmaxOutput ?? outs[0];
    if (outs.length !== 1) {
      fail('BNN205', '/graph/output', `the graph has ${outs.length} outputs (${outs.map((o) => JSON.stringify(o)).join(', ')}), expected one`, 'bnn-hw maps a network with one output: the scores or the class label');
    }
    const v = this.values.get(outs[0]!);
    if (outs[0] !== want || v?.kind !== 'dyn') {
      fail('BNN205', '/graph/output/0', `the graph output ${JSON.stringify(outs[0])} is not the end of the data path (${JSON.stringify(want)})`, 'bnn-hw maps a network from the input to the output: the output must be computed from the data');
    }
    const x = v.d;
    const last = this.b.layers[this.b.layers.length - 1];
    if (x.src !== (last ? String(last['name']) : INPUT)) {
      fail('BNN228', '/graph/output/0', `the graph output ${JSON.stringify(outs[0])} is not computed by the last data node: a branch of the graph after it ends in layer ${JSON.stringify(last?.['name'])}, which the output does not read`, 'remove the branches whose results the output does not use (every data node must lead to the output)');
    }
    if (this.argmaxOutput !== null) {
      if (this.opts.output === 'scores') fail('BNN206', '', `the graph ends in ${this.where(this.argmaxNode!)}, so its output is a class label, but --output scores was given`, 'drop --output scores, or export the graph without the TopK / ArgMax');
      return { output: 'argmax', x };
    }
    if (x.softmaxed && this.opts.output === 'scores') {
      fail('BNN206', '', `the graph ends in the Softmax ${x.softmaxed}, which bnn-hw does not compute, but --output scores was given`, 'drop --output scores: the argmax of the softmax is the argmax of the scores before it');
    }
    return { output: this.opts.output ?? 'argmax', x };
  }
}

// ---------------------------------------------------------------------------------------------

/** Inputs an op needs at least (other mapped ops: one; Constant: none); fewer means a damaged graph. */
const MIN_INPUTS: Record<string, number> = {
  Add: 2, Sub: 2, Mul: 2, Div: 2, Pow: 2, MatMul: 2, Gemm: 2, Gather: 2, Conv: 2, BatchNormalization: 5,
  MultiThreshold: 2, BipolarQuant: 2, Quant: 4,
};

export const handlerKey = (n: OnnxNode) => n.opType;

/** the ops that may read a Relu's output: QONNX Quant (kbit.ts decides) */
const RELU_ABSORBERS = ['Quant', 'IntQuant'];

export function isVectorShape(s: readonly number[]): boolean {
  return s.filter((d) => d !== 1).length <= 1 && (s.length < 2 || s[0] === 1 || s.length === 1);
}

/** ONNX flat index (c, h, w) -> bnn-hw flat index (h, w, c). */
export function flattenPerm(c: number, h: number, w: number): Int32Array {
  const p = new Int32Array(c * h * w);
  for (let k = 0; k < c; k++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) p[(k * h + y) * w + x] = (y * w + x) * c + k;
  return p;
}

function elemInputType(elemType: number, name: string): GraphInputType | null {
  const ints: Record<number, string> = { [DT.UINT8]: 'uint8', [DT.INT8]: 'int8', [DT.UINT16]: 'uint16', [DT.INT16]: 'int16', [DT.INT32]: 'int32' };
  const t = ints[elemType];
  if (t) return { json: t, why: `the graph input ${JSON.stringify(name)} is a ${dtypeName(elemType)} tensor` };
  if (elemType === DT.BOOL) return { json: 'uint1', why: `the graph input ${JSON.stringify(name)} is a BOOL tensor` };
  return null;
}

function topoOrder(g: OnnxGraph): OnnxNode[] {
  const producer = new Map<string, OnnxNode>();
  for (const n of g.nodes) for (const o of n.outputs) if (o) producer.set(o, n);
  const done = new Set<OnnxNode>();
  const order: OnnxNode[] = [];
  const visiting = new Set<OnnxNode>();
  const visit = (n: OnnxNode) => {
    if (done.has(n)) return;
    if (visiting.has(n)) fail('BNN201', `/graph/node/${n.index}`, `node ${n.index} ${JSON.stringify(n.name)} (${n.opType}) is part of a cycle`, 'an ONNX graph must be acyclic; re-export it');
    visiting.add(n);
    for (const i of n.inputs) {
      const p = producer.get(i);
      if (p && p !== n) visit(p);
    }
    visiting.delete(n);
    done.add(n);
    order.push(n);
  };
  for (const n of g.nodes) visit(n);
  return order;
}

function constantNode(cx: Converter, node: OnnxNode): Tensor {
  const a = node.attrs;
  if (a.get('value')?.t) return a.get('value')!.t!;
  if (a.get('value_float')?.f !== undefined) return tensor([], [a.get('value_float')!.f!], 'f32');
  if (a.get('value_floats')?.floats) return tensor([a.get('value_floats')!.floats!.length], a.get('value_floats')!.floats!, 'f32');
  if (a.get('value_int')?.i !== undefined) return tensor([], [a.get('value_int')!.i!], 'int');
  if (a.get('value_ints')?.ints) return tensor([a.get('value_ints')!.ints!.length], a.get('value_ints')!.ints!, 'int');
  return cx.fail('BNN222', node, 'has no tensor, float or int value', 'sparse and string constants are not supported');
}

function unsupportedHint(node: OnnxNode): string {
  const act: Record<string, string> = {
    Relu: 'a real-valued activation has no binary equivalent: quantise it (a Relu right before an unsigned QONNX Quant with zero point 0, as Brevitas QuantReLU exports it, is imported as one quant layer; QuantIdentity with bit_width=1 exports a BipolarQuant)',
    Sign: 'ONNX Sign gives 0 at 0, which is not a binary activation: bnn-hw uses sign(0) = +1 (QONNX BipolarQuant)',
    Tanh: 'a real-valued activation has no binary equivalent: quantise it to 1 bit (BipolarQuant)',
    HardTanh: 'a real-valued activation has no binary equivalent: quantise it to 1 bit (BipolarQuant)',
    Clip: 'a real-valued activation has no binary equivalent: quantise it to 1 bit (BipolarQuant)',
    Pad: 'give the padding to the Conv itself (its pads attribute)',
  };
  return act[node.opType] ?? SUPPORTED_HINT;
}

// ---------------------------------------------------------------------------------------------
// standard ONNX ops

const f32or = (t: Tensor) => (t.elem === 'f64' ? 'f64' : t.elem === 'int' || t.elem === 'bool' ? 'f32' : t.elem);

function binaryFold(f: (a: number, b: number) => number): OpHandler['fold'] {
  return (cx, node, ins) => {
    const [a, b] = [ins[0], ins[1]];
    if (!a || !b) return cx.fail('BNN201', node, 'needs two inputs', 'the node is incomplete');
    const r = elementwise(a, b, f);
    if (!r) return cx.fail('BNN216', node, `inputs of shapes [${a.dims.join(', ')}] and [${b.dims.join(', ')}] do not broadcast`, 'the graph is inconsistent');
    if (r.elem === 'int') for (let i = 0; i < r.data.length; i++) r.data[i] = Math.trunc(r.data[i]!);
    return [r];
  };
}

/** Elementwise arithmetic of the data tensor with a constant. */
function arith(op: 'Mul' | 'Add' | 'Sub' | 'Div'): OpHandler['apply'] {
  return (cx, node, x, ins, xi) => {
    const c = cx.constIn(node, ins, 1 - xi, 'the constant operand');
    cx.materialize(node, x);
    const p = cx.channelParam(node, x, c, `the ${op} operand`);
    const neg = (v: number | Float64Array) => (typeof v === 'number' ? -v : v.map((z) => -z));
    const name = cx.layerName(node);
    const from = cx.from(node);
    if (op === 'Mul') cx.b.affine(name, from, p, 0);
    else if (op === 'Add') cx.b.affine(name, from, 1, p);
    else if (op === 'Sub') {
      if (xi === 0) cx.b.affine(name, from, 1, neg(p));
      else cx.b.affine(name, from, -1, p);
    } else {
      if (xi !== 0) cx.fail('BNN215', node, 'divides a constant by the data', 'only division of the data by a constant is mapped');
      const vals = typeof p === 'number' ? [p] : Array.from(p);
      if (vals.some((v) => v === 0 || !Number.isFinite(v))) cx.fail('BNN221', node, `divides by ${numbersText(vals)}, which contains 0 or a non-finite value`, 'check the exported constants');
      cx.b.affine(name, from, typeof p === 'number' ? 1 / p : p.map((v) => 1 / v), 0);
    }
    cx.setDyn(node.outputs[0]!, { ...x, raw: false });
  };
}

/** Per-unit binary weights: W[k][j] = +-s_j with s_j > 0. Returns the bits in bnn-hw order and the scales. */
export function binaryColumns(cx: Converter, node: OnnxNode, what: string, get: (unit: number, k: number) => number, units: number, fanIn: number, bitIndex: (unit: number, k: number) => number, annotation?: string): { bits: Uint8Array; scales: Float64Array } {
  const bits = new Uint8Array(units * fanIn);
  const scales = new Float64Array(units);
  for (let j = 0; j < units; j++) {
    const s = Math.abs(get(j, 0));
    for (let k = 0; k < fanIn; k++) {
      const v = get(j, k);
      if (Math.abs(v) !== s || !(s > 0) || !Number.isFinite(s)) {
        const seen = new Set<number>();
        for (let q = 0; q < fanIn && seen.size < 6; q++) seen.add(get(j, q));
        cx.fail(
          'BNN204', node,
          `${what} are not binary: output ${j} has the values ${numbersText([...seen])}${annotation ? ` (annotated ${annotation})` : ''}, expected +s and -s only (s > 0)`,
          'bnn-hw maps 1-bit weights: quantise them with BipolarQuant (Brevitas weight_bit_width=1) or export binary weights',
        );
      }
      bits[bitIndex(j, k)] = v >= 0 ? 1 : 0;
    }
    scales[j] = s;
  }
  return { bits, scales };
}

/** dense / conv post-processing: the weight scales times the pending activation scale, then a bias. */
function scaleAndBias(cx: Converter, node: OnnxNode, scales: Float64Array, act: number, alpha: number, bias: Float64Array | null): { linearBias: Float64Array | null; post: { scale: Float64Array; bias: Float64Array | null } | null } {
  const total = scales.map((s) => s * act * alpha);
  if (total.every((s) => s === 1)) return { linearBias: bias, post: null };
  return { linearBias: null, post: { scale: total, bias } };
}

function emitPost(cx: Converter, node: OnnxNode, post: { scale: Float64Array; bias: Float64Array | null } | null): void {
  if (!post) return;
  cx.b.affine(cx.layerName(node, '_scale'), `the weight / input scales of ${cx.from(node)}`, post.scale, post.bias ?? 0);
}

function vectorBias(cx: Converter, node: OnnxNode, c: Tensor | undefined, n: number, factor: number): Float64Array | null {
  if (!c) return null;
  if (c.data.length === 1) return new Float64Array(n).fill(c.data[0]! * factor);
  if (c.data.length !== n || c.dims.filter((d) => d !== 1).length > 1) cx.fail('BNN216', node, `the bias has shape [${c.dims.join(', ')}], expected ${n} values (one per output)`, 'give one bias per output');
  return c.data.map((v) => v * factor);
}

const matmul: OpHandler = {
  fold: (cx, node, ins) => {
    const [a, b] = ins;
    if (!a || !b || a.dims.length !== 2 || b.dims.length !== 2 || a.dims[1] !== b.dims[0]) return cx.fail('BNN203', node, 'on constants is supported for 2-D matrices only', 'fold the constants before export');
    const [m, k] = a.dims as [number, number];
    const n = b.dims[1]!;
    const out = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let q = 0; q < k; q++) s += a.data[i * k + q]! * b.data[q * n + j]!;
      out[i * n + j] = s;
    }
    return [tensor([m, n], out, f32or(a))];
  },
  apply: (cx, node, x, ins, xi) => {
    if (xi !== 0) cx.fail('BNN215', node, 'multiplies a constant by the data (the data is the second operand)', 'the data must be the first operand: y = x W');
    const w = cx.constIn(node, ins, 1, 'the weights');
    denseFrom(cx, node, x, w, false, 1, null);
  },
};

const gemm: OpHandler = {
  apply: (cx, node, x, ins, xi) => {
    if (xi !== 0 || cx.attrInt(node, 'transA', 0) !== 0) cx.fail('BNN215', node, 'has the data as its second operand or transposes it (transA)', 'the data must be A with transA = 0');
    const w = cx.constIn(node, ins, 1, 'the weights B');
    const c = ins[2] ? cx.constIn(node, ins, 2, 'the bias C') : undefined;
    const alpha = cx.attrFloat(node, 'alpha', 1);
    const beta = cx.attrFloat(node, 'beta', 1);
    denseFrom(cx, node, x, w, cx.attrInt(node, 'transB', 0) === 1, alpha, c ? { t: c, beta } : null);
  },
};

function denseFrom(cx: Converter, node: OnnxNode, x: Dyn, w: Tensor, transB: boolean, alpha: number, c: { t: Tensor; beta: number } | null): void {
  if (cx.isImage(x)) cx.fail('BNN216', node, `multiplies the image-shaped data [${x.shape.join(', ')}]`, 'flatten the image (Flatten / Reshape to [1, C*H*W]) before a MatMul / Gemm');
  if (w.dims.length !== 2) cx.fail('BNN216', node, `has weights of shape [${w.dims.join(', ')}], expected a matrix`, 'bnn-hw maps x W with a 2-D W');
  const [r, q] = w.dims as [number, number];
  const [fanIn, units] = transB ? [q, r] : [r, q];
  const k = x.shape[x.shape.length - 1]!;
  if (k !== fanIn || prod(x.shape) !== k) cx.fail('BNN216', node, `multiplies data of shape [${x.shape.join(', ')}] by weights of shape [${w.dims.join(', ')}]${transB ? ' (transposed)' : ''}`, `expected data [1, ${fanIn}]`);
  const ann = cx.graph.annotations.get(node.inputs[1]!)?.get('finn_datatype');
  const { bits, scales } = binaryColumns(
    cx, node, 'the weights',
    (j, i) => (transB ? w.data[j * fanIn + i]! : w.data[i * units + j]!),
    units, fanIn, (j, i) => j * fanIn + cx.ourIndex(x, i), ann,
  );
  const bias = c ? vectorBias(cx, node, c.t, units, c.beta) : null;
  const { linearBias, post } = scaleAndBias(cx, node, scales, x.scale, alpha, bias);
  cx.b.dense(cx.layerName(node), cx.from(node), bits, units, linearBias);
  emitPost(cx, node, post);
  const shape = [...x.shape];
  shape[shape.length - 1] = units;
  cx.setDyn(node.outputs[0]!, { shape, perm: null, scale: 1, raw: false, softmaxed: null });
}

function convPads(cx: Converter, node: OnnxNode, h: number, w: number, kh: number, kw: number, sh: number, sw: number): { top: number; bottom: number; left: number; right: number } {
  const auto = cx.attrString(node, 'auto_pad', 'NOTSET');
  if (auto === 'VALID') return { top: 0, bottom: 0, left: 0, right: 0 };
  if (auto === 'SAME_UPPER' || auto === 'SAME_LOWER') {
    const same = (size: number, k: number, s: number): [number, number] => {
      const total = Math.max((Math.ceil(size / s) - 1) * s + k - size, 0);
      const small = Math.floor(total / 2);
      return auto === 'SAME_UPPER' ? [small, total - small] : [total - small, small];
    };
    const [top, bottom] = same(h, kh, sh);
    const [left, right] = same(w, kw, sw);
    return { top, bottom, left, right };
  }
  if (auto !== 'NOTSET') cx.fail('BNN203', node, `has auto_pad ${JSON.stringify(auto)}`, 'use NOTSET, VALID, SAME_UPPER or SAME_LOWER');
  const p = cx.attrInts(node, 'pads') ?? [0, 0, 0, 0];
  if (p.length !== 4) cx.fail('BNN203', node, `has pads ${numbersText(p)}, expected 4 values (2-D)`, 'bnn-hw maps 2-D convolutions and pools');
  return { top: p[0]!, left: p[1]!, bottom: p[2]!, right: p[3]! };
}

function check2d(cx: Converter, node: OnnxNode, x: Dyn, what: string): [number, number, number] {
  if (!cx.isImage(x)) cx.fail('BNN216', node, `${what} needs an image [1, C, H, W], found data of shape [${x.shape.join(', ')}]`, 'bnn-hw maps 2-D convolutions and pools on NCHW images');
  const [, c, h, w] = x.shape as [number, number, number, number];
  return [c, h, w];
}

const conv: OpHandler = {
  apply: (cx, node, x, ins, xi) => {
    if (xi !== 0) cx.fail('BNN215', node, 'has data-dependent weights', 'the weights must be constants');
    const [c, h, wd] = check2d(cx, node, x, 'the convolution');
    const w = cx.constIn(node, ins, 1, 'the weights');
    if (w.dims.length !== 4) cx.fail('BNN216', node, `has weights of shape [${w.dims.join(', ')}], expected [F, C, kh, kw]`, 'bnn-hw maps 2-D convolutions');
    const [f, cw, kh, kw] = w.dims as [number, number, number, number];
    const group = cx.attrInt(node, 'group', 1);
    if (group !== 1 || cw !== c) cx.fail('BNN203', node, `is a grouped or depthwise convolution (group ${group}, ${cw} input channels per filter for ${c} channels)`, 'bnn-hw maps ordinary convolutions (group = 1)');
    const dil = cx.attrInts(node, 'dilations') ?? [1, 1];
    if (dil.some((d) => d !== 1)) cx.fail('BNN203', node, `has dilations ${numbersText(dil)}`, 'bnn-hw maps undilated convolutions');
    const ks = cx.attrInts(node, 'kernel_shape');
    if (ks && (ks[0] !== kh || ks[1] !== kw)) cx.fail('BNN201', node, `has kernel_shape ${numbersText(ks)} but weights [${w.dims.join(', ')}]`, 'the graph is inconsistent');
    const [sh, sw] = (cx.attrInts(node, 'strides') ?? [1, 1]) as [number, number];
    const pad = convPads(cx, node, h, wd, kh, kw, sh, sw);
    const ann = cx.graph.annotations.get(node.inputs[1]!)?.get('finn_datatype');
    const fan = c * kh * kw;
    // W[f][ci][ky][kx] -> bnn-hw [f][ky][kx][ci]
    const { bits, scales } = binaryColumns(
      cx, node, 'the weights', (j, k) => w.data[j * fan + k]!, f, fan,
      (j, k) => {
        const ci = Math.floor(k / (kh * kw));
        const ky = Math.floor((k % (kh * kw)) / kw);
        const kx = k % kw;
        return j * fan + (ky * kw + kx) * c + ci;
      },
      ann,
    );
    const bias = ins[2] ? vectorBias(cx, node, cx.constIn(node, ins, 2, 'the bias'), f, 1) : null;
    const { linearBias, post } = scaleAndBias(cx, node, scales, x.scale, 1, bias);
    cx.b.conv2d(cx.layerName(node), cx.from(node), bits, f, [kh, kw], [sh, sw], pad, 0, linearBias);
    emitPost(cx, node, post);
    const [oh, ow] = cx.b.shape as [number, number, number];
    cx.setDyn(node.outputs[0]!, { shape: [1, f, oh, ow], perm: null, scale: 1, raw: false, softmaxed: null });
  },
};

/** MaxPool / AveragePool (no padding) -> maxpool / avgpool; GlobalAveragePool -> globalavgpool. */
function poolHandler(kind: 'max' | 'avg'): OpHandler {
  return {
    apply: (cx, node, x) => {
      const [c, h, w] = check2d(cx, node, x, 'the pool');
      const k = cx.attrInts(node, 'kernel_shape');
      if (!k || k.length !== 2) return cx.fail('BNN203', node, `has kernel_shape ${k ? numbersText(k) : 'missing'}, expected two values`, `bnn-hw maps 2-D ${kind === 'max' ? 'max' : 'average'} pooling`);
      const s = cx.attrInts(node, 'strides') ?? [1, 1];
      const pad = convPads(cx, node, h, w, k[0]!, k[1]!, s[0]!, s[1]!);
      if (pad.top || pad.bottom || pad.left || pad.right) cx.fail('BNN203', node, `pads the pool ([${pad.top}, ${pad.left}, ${pad.bottom}, ${pad.right}])`, `bnn-hw maps ${kind === 'max' ? 'max' : 'average'} pooling without padding`);
      const dil = cx.attrInts(node, 'dilations') ?? [1, 1];
      if (dil.some((d) => d !== 1)) cx.fail('BNN203', node, `has dilations ${numbersText(dil)}`, 'bnn-hw maps undilated pooling');
      const oh = Math.floor((h - k[0]!) / s[0]!) + 1;
      const ow = Math.floor((w - k[1]!) / s[1]!) + 1;
      if (cx.attrInt(node, 'ceil_mode', 0) === 1 && (Math.ceil((h - k[0]!) / s[0]!) + 1 !== oh || Math.ceil((w - k[1]!) / s[1]!) + 1 !== ow)) {
        cx.fail('BNN203', node, 'uses ceil_mode with a window that does not fit evenly', 'bnn-hw maps floor-mode pooling');
      }
      // a pending positive scale commutes with the max and the mean: it stays pending
      if (kind === 'max') cx.b.maxpool(cx.layerName(node), cx.from(node), [k[0]!, k[1]!], [s[0]!, s[1]!]);
      else cx.b.avgpool(cx.layerName(node), cx.from(node), [k[0]!, k[1]!], [s[0]!, s[1]!]);
      cx.setDead(node);
      cx.setDyn(node.outputs[0]!, { ...x, shape: [1, c, oh, ow], raw: false });
    },
  };
}

const globalAvgpool: OpHandler = {
  apply: (cx, node, x) => {
    const [c] = check2d(cx, node, x, 'the global pool');
    cx.b.globalavgpool(cx.layerName(node), cx.from(node));
    // [1, C, 1, 1]: a vector in bnn-hw's layout (one value per channel, no permutation)
    cx.setDyn(node.outputs[0]!, { ...x, shape: [1, c, 1, 1], perm: null, raw: false });
  },
};

const batchnorm: OpHandler = {
  apply: (cx, node, x, ins, xi) => {
    if (xi !== 0) cx.fail('BNN215', node, 'has data-dependent parameters', 'the parameters must be constants');
    if (cx.attrInt(node, 'training_mode', 0) !== 0) cx.fail('BNN203', node, 'is in training mode', 'export the model in eval() mode');
    if (node.attrs.has('spatial') && cx.attrInt(node, 'spatial', 1) !== 1) cx.fail('BNN203', node, 'has spatial = 0', 'bnn-hw maps per-channel batch normalisation');
    if (node.outputs.slice(1).some((o) => o)) cx.setDead(node);
    cx.materialize(node, x);
    const c = x.shape[1] ?? 1;
    const names = ['scale', 'B', 'mean', 'var'] as const;
    const p = names.map((n, i) => {
      const t = cx.constIn(node, ins, i + 1, n);
      if (t.data.length !== c && t.data.length !== 1) cx.fail('BNN216', node, `parameter ${n} has ${t.data.length} values, expected ${c} (one per channel of [${x.shape.join(', ')}])`, 'the graph is inconsistent');
      return t;
    });
    const image = cx.isImage(x);
    const n = image ? cx.b.channels : cx.b.shape[0]!;
    const onePerCh = x.shape.length >= 2 && prod(x.shape.slice(2)) === 1;
    const ours = (t: Tensor) => {
      const out = new Float64Array(n);
      if (t.data.length === 1 || (!image && !onePerCh)) out.fill(t.data[0]!);
      else if (image) out.set(t.data);
      else for (let i = 0; i < n; i++) out[cx.ourIndex(x, i)] = t.data[i]!;
      return out;
    };
    const [gamma, beta, mean, variance] = p.map(ours) as [Float64Array, Float64Array, Float64Array, Float64Array];
    const eps = cx.attrFloat(node, 'epsilon', 1e-5);
    cx.b.batchnorm(cx.layerName(node), cx.from(node), { gamma, beta, mean, variance, epsilon: eps });
    cx.setDyn(node.outputs[0]!, { ...x, raw: false });
  },
};

function reshapeHandler(compute: (cx: Converter, node: OnnxNode, shape: number[], ins: (Value | undefined)[]) => number[]): OpHandler {
  return {
    fold: (cx, node, ins) => {
      const t = ins[0]!;
      const target = compute(cx, node, t.dims, ins.map((v) => (v ? { kind: 'const', t: v } : undefined)));
      return [{ ...t, dims: target }];
    },
    apply: (cx, node, x, ins, xi) => {
      if (xi !== 0) cx.fail('BNN215', node, 'takes its shape from the data', 'the target shape must be a constant');
      cx.setDyn(node.outputs[0]!, cx.reshape(node, x, compute(cx, node, x.shape, ins)));
    },
  };
}

const reshape = reshapeHandler((cx, node, shape, ins) => {
  const v = ins[1];
  const target = v?.kind === 'const' ? intsOf(v.t) : cx.attrInts(node, 'shape');
  if (!target) return cx.fail('BNN215', node, 'has no constant target shape', 'the target shape must be a constant (the Shape / Gather / Concat arithmetic of PyTorch exports is folded)');
  const r = reshapeTarget(shape, target, cx.attrInt(node, 'allowzero', 0) === 1);
  return typeof r === 'string' ? cx.fail('BNN216', node, r, 'check the export') : r;
});

const flatten = reshapeHandler((cx, node, shape) => {
  let axis = cx.attrInt(node, 'axis', 1);
  if (axis < 0) axis += shape.length;
  return [prod(shape.slice(0, axis)), prod(shape.slice(axis))];
});

function axesOf(cx: Converter, node: OnnxNode, ins: (Value | undefined)[]): number[] | undefined {
  const v = ins[1];
  if (v?.kind === 'const') return intsOf(v.t);
  if (v) return cx.fail('BNN215', node, 'takes its axes from the data', 'the axes must be constant');
  return cx.attrInts(node, 'axes');
}

const squeeze = reshapeHandler((cx, node, shape, ins) => {
  const axes = axesOf(cx, node, ins)?.map((a) => (a < 0 ? a + shape.length : a));
  return shape.filter((d, i) => (axes ? !axes.includes(i) : d !== 1));
});

const unsqueeze = reshapeHandler((cx, node, shape, ins) => {
  const axes = axesOf(cx, node, ins);
  if (!axes) return cx.fail('BNN201', node, 'has no axes', 'the graph is inconsistent');
  const r = shape.length + axes.length;
  const norm = axes.map((a) => (a < 0 ? a + r : a)).sort((a, b) => a - b);
  const out = [...shape];
  for (const a of norm) out.splice(a, 0, 1);
  return out;
});

const passThrough: OpHandler = {
  fold: (_cx, _node, ins) => [ins[0]!],
  apply: (cx, node, x) => {
    cx.setDead(node);
    cx.setDyn(node.outputs[0]!, x);
  },
};

const cast: OpHandler = {
  fold: (cx, node, ins) => {
    const to = cx.attrInt(node, 'to', DT.FLOAT);
    const t = ins[0]!;
    if (to === DT.FLOAT || to === DT.FLOAT16) return [map(t, (v) => v, 'f32')];
    if (to === DT.DOUBLE) return [{ ...t, elem: 'f64' }];
    if (to === DT.BOOL) return [map(t, (v) => (v !== 0 ? 1 : 0), 'bool')];
    return [map(t, Math.trunc, 'int')];
  },
  apply: (cx, node, x) => {
    const to = cx.attrInt(node, 'to', DT.FLOAT);
    if (to !== DT.FLOAT && to !== DT.DOUBLE && to !== DT.FLOAT16) cx.fail('BNN222', node, `casts the data to ${dtypeName(to)}`, 'only casts of the data to float are mapped');
    cx.setDyn(node.outputs[0]!, x);
  },
};

const neg: OpHandler = {
  fold: (_cx, _node, ins) => [map(ins[0]!, (v) => -v)],
  apply: (cx, node, x) => {
    cx.materialize(node, x);
    cx.b.affine(cx.layerName(node), cx.from(node), -1, 0);
    cx.setDyn(node.outputs[0]!, { ...x, raw: false });
  },
};

const topk: OpHandler = {
  apply: (cx, node, x, ins) => {
    const k = ins[1] ? cx.constIn(node, ins, 1, 'K') : null;
    const kv = k ? k.data[0] : cx.attrInt(node, 'k', 1);
    const axis = cx.attrInt(node, 'axis', -1);
    if (kv !== 1) cx.fail('BNN203', node, `selects the top ${kv} classes`, 'bnn-hw outputs one class (K = 1)');
    if (cx.attrInt(node, 'largest', 1) !== 1) cx.fail('BNN203', node, 'selects the smallest value (largest = 0)', 'bnn-hw outputs the argmax');
    lastAxisCheck(cx, node, x, axis);
    if (!node.outputs[1]) cx.fail('BNN203', node, 'has no indices output', 'the class label is the indices output of TopK');
    cx.values.set(node.outputs[0]!, { kind: 'dead', by: node });
    cx.argmaxNode = node;
    cx.setDyn(node.outputs[1]!, x);
    cx.argmaxOutput = node.outputs[1]!;
  },
};

const argmaxOp: OpHandler = {
  apply: (cx, node, x) => {
    if (cx.attrInt(node, 'select_last_index', 0) !== 0) cx.fail('BNN203', node, 'breaks ties by the last index', 'bnn-hw breaks ties by the lowest index (select_last_index = 0)');
    lastAxisCheck(cx, node, x, cx.attrInt(node, 'axis', 0));
    cx.argmaxNode = node;
    cx.setDyn(node.outputs[0]!, x);
    cx.argmaxOutput = node.outputs[0]!;
  },
};

function lastAxisCheck(cx: Converter, node: OnnxNode, x: Dyn, axis: number): void {
  const a = axis < 0 ? axis + x.shape.length : axis;
  if (cx.isImage(x) || x.shape[a] !== prod(x.shape)) cx.fail('BNN203', node, `works along axis ${axis} of the data [${x.shape.join(', ')}]`, 'bnn-hw takes the argmax over the class scores of a [1, N] vector');
}

const softmax: OpHandler = {
  apply: (cx, node, x) => {
    const axis = cx.attrInt(node, 'axis', cx.opsetVersion() >= 13 ? -1 : 1);
    lastAxisCheck(cx, node, x, axis);
    cx.b.notes.push(`${cx.from(node)} dropped: the argmax of a softmax is the argmax of the scores before it`);
    cx.setDyn(node.outputs[0]!, { ...x, softmaxed: cx.from(node) });
  },
};

function unaryFold(f: (x: number) => number): OpHandler {
  return { fold: (_cx, _node, ins) => [map(ins[0]!, f)] };
}

export const STANDARD_OPS: ReadonlyMap<string, OpHandler> = new Map<string, OpHandler>([
  ['Add', { fold: binaryFold((a, b) => a + b), apply: arith('Add') }],
  ['Sub', { fold: binaryFold((a, b) => a - b), apply: arith('Sub') }],
  ['Mul', { fold: binaryFold((a, b) => a * b), apply: arith('Mul') }],
  ['Div', { fold: binaryFold((a, b) => a / b), apply: arith('Div') }],
  ['Pow', { fold: binaryFold((a, b) => Math.pow(a, b)) }],
  ['Sqrt', unaryFold(Math.sqrt)],
  ['Reciprocal', unaryFold((v) => 1 / v)],
  ['Abs', unaryFold(Math.abs)],
  ['Neg', neg],
  ['MatMul', matmul],
  ['Gemm', gemm],
  ['Conv', conv],
  ['MaxPool', poolHandler('max')],
  ['AveragePool', poolHandler('avg')],
  ['GlobalAveragePool', globalAvgpool],
  ['BatchNormalization', batchnorm],
  ['Reshape', reshape],
  ['Flatten', flatten],
  ['Squeeze', squeeze],
  ['Unsqueeze', unsqueeze],
  ['Identity', passThrough],
  ['Dropout', passThrough],
  ['Cast', cast],
  ['TopK', topk],
  ['ArgMax', argmaxOp],
  ['Softmax', softmax],
  ['LogSoftmax', softmax],
  [
    'Transpose',
    {
      fold: (cx, node, ins) => {
        const t = ins[0]!;
        const perm = cx.attrInts(node, 'perm') ?? t.dims.map((_, i) => t.dims.length - 1 - i);
        return [transpose(t, perm)];
      },
    },
  ],
  [
    'Gather',
    {
      fold: (cx, node, ins) => {
        const r = gather(ins[0]!, ins[1]!, cx.attrInt(node, 'axis', 0));
        return [typeof r === 'string' ? cx.fail('BNN201', node, r, 'check the export') : r];
      },
    },
  ],
  [
    'Concat',
    {
      fold: (cx, node, ins) => {
        const r = concat(ins.filter((t): t is Tensor => t !== undefined), cx.attrInt(node, 'axis', 0));
        return [typeof r === 'string' ? cx.fail('BNN216', node, r, 'check the export') : r];
      },
    },
  ],
  [
    'Slice',
    {
      fold: (cx, node, ins) => {
        const t = ins[0]!;
        const v = (i: number, attr: string) => (ins[i] ? intsOf(ins[i]!) : cx.attrInts(node, attr));
        const starts = v(1, 'starts') ?? [];
        const ends = v(2, 'ends') ?? [];
        const axes = v(3, 'axes') ?? starts.map((_, i) => i);
        const steps = (ins[4] ? intsOf(ins[4]) : undefined) ?? starts.map(() => 1);
        const r = slice(t, starts, ends, axes, steps);
        return [typeof r === 'string' ? cx.fail('BNN201', node, r, 'check the export') : r];
      },
    },
  ],
  [
    'ConstantOfShape',
    {
      fold: (cx, node, ins) => {
        const dims = intsOf(ins[0]!);
        const v = node.attrs.get('value')?.t ?? tensor([1], [0], 'f32');
        return [tensor(dims, new Array<number>(prod(dims)).fill(v.data[0] ?? 0), v.elem)];
      },
    },
  ],
]);

export function parseTypeForGraph(text: string): { json: InputTypeJson; key: string } {
  const t = parseInputTypeOption(text);
  return { json: t.json, key: inputTypeKey(t.json) };
}
