/**
 * ONNX files (QONNX and FINN-ONNX are ONNX with extra domains): protobuf decoding with the onnx-proto
 * definitions into a small graph structure, tensors as Float64Array, and constant folding of the ops
 * that exporters put on weights and shapes (Shape / Gather / Unsqueeze / Concat arithmetic, Transpose,
 * BipolarQuant of weights, ...). Float32 tensors stay float32: every folded result is rounded with
 * Math.fround, as the graph itself would compute it.
 */
import onnxProto from 'onnx-proto';
import { fail } from '../../diagnostics/diagnostic.js';

const { onnx } = onnxProto;
export { onnx };

/** Element kind of a tensor: the float widths matter for folding, integers are exact numbers. */
export type Elem = 'f32' | 'f64' | 'int' | 'bool';

export interface Tensor {
  dims: number[];
  data: Float64Array;
  elem: Elem;
}

export interface OnnxAttr {
  name: string;
  f?: number;
  i?: number;
  s?: string;
  t?: Tensor;
  floats?: number[];
  ints?: number[];
  strings?: string[];
}

export interface OnnxNode {
  /** position in graph.node */
  index: number;
  name: string;
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attrs: Map<string, OnnxAttr>;
}

export interface GraphInput {
  name: string;
  /** null for a symbolic or missing dimension */
  dims: (number | null)[] | null;
  dimNames: (string | null)[];
  elemType: number;
}

export interface OnnxGraph {
  producer: string;
  opsets: Map<string, number>;
  nodes: OnnxNode[];
  initializers: Map<string, Tensor>;
  /** graph inputs that are not initializers */
  inputs: GraphInput[];
  outputs: string[];
  /** tensor name -> key -> value (FINN's finn_datatype, tensor_layout) */
  annotations: Map<string, Map<string, string>>;
}

export const DT = { FLOAT: 1, UINT8: 2, INT8: 3, UINT16: 4, INT16: 5, INT32: 6, INT64: 7, STRING: 8, BOOL: 9, FLOAT16: 10, DOUBLE: 11, UINT32: 12, UINT64: 13 } as const;
const DT_NAMES: Record<number, string> = Object.fromEntries(Object.entries(DT).map(([k, v]) => [v, k]));
export const dtypeName = (t: number) => DT_NAMES[t] ?? `type ${t}`;

export const prod = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

type LongLike = number | { toString(): string } | null | undefined;
/** Bytes per element of the tensor types bnn-hw reads. */
const ELEM_BYTES: Record<number, number> = { [DT.FLOAT]: 4, [DT.DOUBLE]: 8, [DT.FLOAT16]: 2, [DT.INT64]: 8, [DT.UINT64]: 8, [DT.INT32]: 4, [DT.UINT32]: 4, [DT.INT16]: 2, [DT.UINT16]: 2, [DT.INT8]: 1, [DT.UINT8]: 1, [DT.BOOL]: 1 };

const num = (v: LongLike): number => (v === null || v === undefined ? 0 : typeof v === 'number' ? v : Number(v.toString()));

function half(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** The most elements a tensor of an imported file may have (the model format's limit on weight bits). */
export const MAX_TENSOR_ELEMENTS = 2 ** 28;

/** Dimensions read from a file: non-negative integers whose product stays within MAX_TENSOR_ELEMENTS. */
export function checkDims(dims: number[], what: string, where: string): void {
  const bad = dims.findIndex((d) => !Number.isSafeInteger(d) || d < 0);
  if (bad >= 0) fail('BNN213', where, `${what} has the dimension ${dims[bad]} at axis ${bad} (shape [${dims.join(', ')}]), expected a non-negative integer`, 'the file is damaged; re-export it');
  if (prod(dims) > MAX_TENSOR_ELEMENTS) {
    fail('BNN213', where, `${what} of shape [${dims.join(', ')}] has ${prod(dims)} elements, expected at most ${MAX_TENSOR_ELEMENTS}`, 'the file is damaged, or the network is far larger than bnn-hw can compile');
  }
}

export function tensorFromProto(t: InstanceType<typeof onnx.TensorProto>, where: string): Tensor {
  const dims = t.dims.map((d) => num(d as LongLike));
  if (t.dataLocation === 1 || (t.externalData && t.externalData.length > 0)) {
    fail('BNN201', where, `tensor "${t.name}" keeps its data in an external file`, 'save the ONNX model with the weights inside the file (onnx.save_model(..., save_as_external_data=False))');
  }
  checkDims(dims, `tensor ${JSON.stringify(t.name)}`, where);
  const n = prod(dims);
  const raw = t.rawData && t.rawData.length > 0 ? Buffer.from(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength) : null;
  let elem: Elem = 'int';
  const need = (bytes: number) => {
    if (raw && raw.length !== n * bytes) fail('BNN201', where, `tensor "${t.name}" of shape [${dims.join(', ')}] (${dtypeName(t.dataType)}) has ${raw.length} bytes of data, expected ${n * bytes}`, 'the file is damaged');
  };
  // nothing proportional to the declared shape is allocated before the data is known to be there
  const size = ELEM_BYTES[t.dataType];
  if (size !== undefined) {
    if (raw) need(size);
    else {
      const list = t.dataType === DT.FLOAT ? t.floatData : t.dataType === DT.DOUBLE ? t.doubleData : t.dataType === DT.INT64 ? t.int64Data : t.dataType === DT.UINT64 || t.dataType === DT.UINT32 ? t.uint64Data : t.int32Data;
      if ((list?.length ?? 0) !== n) fail('BNN201', where, `tensor "${t.name}" of shape [${dims.join(', ')}] holds ${list?.length ?? 0} values, expected ${n}`, 'the file is damaged');
    }
  }
  const out = new Float64Array(size === undefined ? 0 : n);
  const fromList = (list: LongLike[]) => {
    if (list.length !== n) fail('BNN201', where, `tensor "${t.name}" of shape [${dims.join(', ')}] holds ${list.length} values, expected ${n}`, 'the file is damaged');
    for (let i = 0; i < n; i++) out[i] = num(list[i]);
  };
  switch (t.dataType) {
    case DT.FLOAT:
      elem = 'f32';
      if (raw) {
        need(4);
        for (let i = 0; i < n; i++) out[i] = raw.readFloatLE(i * 4);
      } else fromList(t.floatData);
      break;
    case DT.DOUBLE:
      elem = 'f64';
      if (raw) {
        need(8);
        for (let i = 0; i < n; i++) out[i] = raw.readDoubleLE(i * 8);
      } else fromList(t.doubleData);
      break;
    case DT.FLOAT16:
      elem = 'f32';
      if (raw) {
        need(2);
        for (let i = 0; i < n; i++) out[i] = half(raw.readUInt16LE(i * 2));
      } else {
        fromList(t.int32Data);
        for (let i = 0; i < n; i++) out[i] = half(out[i]!);
      }
      break;
    case DT.INT64:
    case DT.UINT64:
      if (raw) {
        need(8);
        for (let i = 0; i < n; i++) out[i] = Number(t.dataType === DT.INT64 ? raw.readBigInt64LE(i * 8) : raw.readBigUInt64LE(i * 8));
      } else fromList(t.dataType === DT.INT64 ? t.int64Data : t.uint64Data);
      break;
    case DT.INT32:
    case DT.UINT32:
    case DT.INT16:
    case DT.UINT16:
    case DT.INT8:
    case DT.UINT8:
    case DT.BOOL: {
      if (t.dataType === DT.BOOL) elem = 'bool';
      if (raw) {
        const size = { [DT.INT32]: 4, [DT.UINT32]: 4, [DT.INT16]: 2, [DT.UINT16]: 2, [DT.INT8]: 1, [DT.UINT8]: 1, [DT.BOOL]: 1 }[t.dataType]!;
        need(size);
        for (let i = 0; i < n; i++) {
          const o = i * size;
          out[i] =
            t.dataType === DT.INT32 ? raw.readInt32LE(o) : t.dataType === DT.UINT32 ? raw.readUInt32LE(o) : t.dataType === DT.INT16 ? raw.readInt16LE(o)
              : t.dataType === DT.UINT16 ? raw.readUInt16LE(o) : t.dataType === DT.INT8 ? raw.readInt8(o) : raw.readUInt8(o);
        }
      } else fromList(t.dataType === DT.UINT32 ? t.uint64Data : t.int32Data);
      break;
    }
    default:
      fail('BNN222', where, `tensor "${t.name}" has element type ${dtypeName(t.dataType)}, which bnn-hw does not read`, 'weights and parameters must be float, double or integer tensors');
  }
  return { dims, data: out, elem };
}

function attrFromProto(a: InstanceType<typeof onnx.AttributeProto>, where: string): OnnxAttr {
  const r: OnnxAttr = { name: a.name };
  const T = onnx.AttributeProto.AttributeType;
  const type = a.type || (a.t ? T.TENSOR : a.ints.length ? T.INTS : a.floats.length ? T.FLOATS : a.strings.length ? T.STRINGS : a.s.length ? T.STRING : a.i ? T.INT : T.FLOAT);
  switch (type) {
    case T.FLOAT:
      r.f = a.f;
      break;
    case T.INT:
      r.i = num(a.i as LongLike);
      break;
    case T.STRING:
      r.s = Buffer.from(a.s).toString('utf8');
      break;
    case T.TENSOR:
      if (a.t) r.t = tensorFromProto(a.t as InstanceType<typeof onnx.TensorProto>, where);
      break;
    case T.FLOATS:
      r.floats = [...a.floats];
      break;
    case T.INTS:
      r.ints = a.ints.map((x) => num(x as LongLike));
      break;
    case T.STRINGS:
      r.strings = a.strings.map((s) => Buffer.from(s).toString('utf8'));
      break;
    default:
      // graphs and other attribute kinds are kept as present but empty: the node handler refuses them
      break;
  }
  return r;
}

/** Decode an ONNX file. Throws BNN200 when the bytes are not an ONNX model. */
export function decodeOnnx(bytes: Uint8Array): OnnxGraph {
  let m: InstanceType<typeof onnx.ModelProto>;
  try {
    m = onnx.ModelProto.decode(bytes);
  } catch (e) {
    return fail('BNN200', '', `not a readable ONNX file: ${(e as Error).message}`, 'export the model with torch.onnx.export / brevitas export_qonnx, or check that the file is complete');
  }
  const g = m.graph as InstanceType<typeof onnx.GraphProto> | null;
  if (!g || (g.node.length === 0 && g.input.length === 0)) fail('BNN200', '/graph', 'not an ONNX model: the file has no graph', 'export the model with torch.onnx.export / brevitas export_qonnx');
  const opsets = new Map<string, number>();
  for (const o of m.opsetImport) opsets.set(o.domain ?? '', num(o.version as LongLike));
  const initializers = new Map<string, Tensor>();
  (g.initializer as InstanceType<typeof onnx.TensorProto>[]).forEach((t, i) => initializers.set(t.name, tensorFromProto(t, `/graph/initializer/${i}`)));
  const nodes: OnnxNode[] = (g.node as InstanceType<typeof onnx.NodeProto>[]).map((n, index) => ({
    index,
    name: n.name ?? '',
    opType: n.opType ?? '',
    domain: n.domain ?? '',
    inputs: [...n.input],
    outputs: [...n.output],
    attrs: new Map((n.attribute as InstanceType<typeof onnx.AttributeProto>[]).map((a) => [a.name, attrFromProto(a as InstanceType<typeof onnx.AttributeProto>, `/graph/node/${index}/attribute/${a.name}`)])),
  }));
  const inputs: GraphInput[] = (g.input as InstanceType<typeof onnx.ValueInfoProto>[])
    .filter((v) => !initializers.has(v.name))
    .map((v) => {
      const tt = v.type?.tensorType;
      const dimList = tt?.shape?.dim ?? null;
      return {
        name: v.name,
        dims: dimList ? dimList.map((d) => (d.dimValue !== null && d.dimValue !== undefined && num(d.dimValue as LongLike) > 0 ? num(d.dimValue as LongLike) : null)) : null,
        dimNames: dimList ? dimList.map((d) => d.dimParam || null) : [],
        elemType: tt?.elemType ?? 0,
      };
    });
  const annotations = new Map<string, Map<string, string>>();
  for (const a of (g.quantizationAnnotation ?? []) as InstanceType<typeof onnx.TensorAnnotation>[]) {
    const kv = annotations.get(a.tensorName) ?? new Map<string, string>();
    for (const p of (a.quantParameterTensorNames ?? []) as InstanceType<typeof onnx.StringStringEntryProto>[]) kv.set(p.key, p.value);
    annotations.set(a.tensorName, kv);
  }
  return { producer: [m.producerName, m.producerVersion].filter(Boolean).join(' '), opsets, nodes, initializers, inputs, outputs: (g.output as InstanceType<typeof onnx.ValueInfoProto>[]).map((o) => o.name), annotations };
}

// ---------------------------------------------------------------------------------------------
// tensors

export function tensor(dims: number[], data: ArrayLike<number>, elem: Elem): Tensor {
  const d = Float64Array.from(data);
  if (elem === 'f32') for (let i = 0; i < d.length; i++) d[i] = Math.fround(d[i]!);
  return { dims: [...dims], data: d, elem };
}

export const scalarOf = (t: Tensor): number | null => (t.data.length === 1 ? t.data[0]! : null);

/** Strides of a row-major shape. */
export function strides(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length).fill(1);
  for (let i = dims.length - 2; i >= 0; i--) s[i] = s[i + 1]! * dims[i + 1]!;
  return s;
}

/** numpy broadcasting of two shapes; null when they do not broadcast. */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] | null {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** Index of `t` for each element of a tensor of shape `to` it broadcasts to. */
export function broadcastIndex(from: readonly number[], to: readonly number[]): Int32Array {
  const n = prod(to);
  const idx = new Int32Array(n);
  const st = strides(from);
  const off = to.length - from.length;
  const tst = strides(to);
  for (let i = 0; i < n; i++) {
    let r = i;
    let j = 0;
    for (let d = 0; d < to.length; d++) {
      const c = Math.floor(r / tst[d]!);
      r -= c * tst[d]!;
      const fd = d - off;
      if (fd >= 0 && from[fd]! !== 1) j += c * st[fd]!;
    }
    idx[i] = j;
  }
  return idx;
}

const wider = (a: Elem, b: Elem): Elem => (a === 'f64' || b === 'f64' ? 'f64' : a === 'f32' || b === 'f32' ? 'f32' : a === 'bool' && b === 'bool' ? 'bool' : 'int');

export function elementwise(a: Tensor, b: Tensor, f: (x: number, y: number) => number, elem?: Elem): Tensor | null {
  const shape = broadcastShape(a.dims, b.dims);
  if (!shape) return null;
  const ia = broadcastIndex(a.dims, shape);
  const ib = broadcastIndex(b.dims, shape);
  const e = elem ?? wider(a.elem, b.elem);
  const out = new Float64Array(prod(shape));
  for (let i = 0; i < out.length; i++) out[i] = f(a.data[ia[i]!]!, b.data[ib[i]!]!);
  return tensor(shape, out, e);
}

export function map(a: Tensor, f: (x: number) => number, elem: Elem = a.elem): Tensor {
  return tensor(a.dims, Array.from(a.data, f), elem);
}

export function transpose(t: Tensor, perm: number[]): Tensor {
  const dims = perm.map((p) => t.dims[p]!);
  const sIn = strides(t.dims);
  const sOut = strides(dims);
  const out = new Float64Array(t.data.length);
  for (let i = 0; i < out.length; i++) {
    let r = i;
    let j = 0;
    for (let d = 0; d < dims.length; d++) {
      const c = Math.floor(r / sOut[d]!);
      r -= c * sOut[d]!;
      j += c * sIn[perm[d]!]!;
    }
    out[i] = t.data[j]!;
  }
  return { dims, data: out, elem: t.elem };
}

/** Resolve an ONNX Reshape target (0 copies the input dimension unless allowzero, -1 is inferred). */
export function reshapeTarget(from: readonly number[], target: readonly number[], allowzero: boolean): number[] | string {
  const out = target.map((d, i) => (d === 0 && !allowzero ? from[i] ?? NaN : d));
  if (out.some((d) => Number.isNaN(d))) return 'a 0 in the target shape has no input dimension to copy';
  const minus = out.filter((d) => d === -1).length;
  if (minus > 1) return 'more than one -1 in the target shape';
  const total = prod(from);
  const known = prod(out.filter((d) => d !== -1));
  if (minus === 1) {
    if (known === 0 || total % known !== 0) return `cannot infer the -1 dimension: ${total} elements do not split into [${target.join(', ')}]`;
    return out.map((d) => (d === -1 ? total / known : d));
  }
  if (known !== total) return `[${from.join(', ')}] (${total} elements) cannot be reshaped to [${out.join(', ')}] (${known} elements)`;
  return out;
}

export function concat(ts: Tensor[], axis: number): Tensor | string {
  const r = ts[0]!.dims.length;
  const ax = axis < 0 ? axis + r : axis;
  for (const t of ts) if (t.dims.length !== r || t.dims.some((d, i) => i !== ax && d !== ts[0]!.dims[i])) return 'the inputs have different shapes';
  const dims = [...ts[0]!.dims];
  dims[ax] = ts.reduce((a, t) => a + t.dims[ax]!, 0);
  const outer = prod(dims.slice(0, ax));
  const data: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (const t of ts) {
      const chunk = prod(t.dims.slice(ax));
      for (let i = 0; i < chunk; i++) data.push(t.data[o * chunk + i]!);
    }
  }
  return tensor(dims, data, ts.reduce<Elem>((e, t) => wider(e, t.elem), ts[0]!.elem));
}

export function gather(data: Tensor, indices: Tensor, axis: number): Tensor | string {
  const r = data.dims.length;
  const ax = axis < 0 ? axis + r : axis;
  if (ax < 0 || ax >= r) return `axis ${axis} is outside the data's ${r} axes`;
  const n = data.dims[ax]!;
  const outer = prod(data.dims.slice(0, ax));
  const inner = prod(data.dims.slice(ax + 1));
  const out: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (const raw of indices.data) {
      const k = raw < 0 ? raw + n : raw;
      if (k < 0 || k >= n) return `index ${raw} is outside [${-n}, ${n - 1}]`;
      for (let i = 0; i < inner; i++) out.push(data.data[(o * n + k) * inner + i]!);
    }
  }
  return tensor([...data.dims.slice(0, ax), ...indices.dims, ...data.dims.slice(ax + 1)], out, data.elem);
}

export function slice(t: Tensor, starts: number[], ends: number[], axes: number[], steps: number[]): Tensor | string {
  const r = t.dims.length;
  const lo = t.dims.map(() => 0);
  const hi = [...t.dims];
  const st = t.dims.map(() => 1);
  for (let k = 0; k < starts.length; k++) {
    const ax = (axes[k] ?? k) < 0 ? axes[k]! + r : axes[k] ?? k;
    if (ax < 0 || ax >= r) return `axis ${axes[k]} is outside the ${r} axes`;
    const d = t.dims[ax]!;
    const step = steps[k] ?? 1;
    if (step === 0) return 'a step of 0';
    const clamp = (v: number, min: number, max: number) => Math.min(Math.max(v, min), max);
    let s = starts[k]!;
    let e = ends[k]!;
    s = s < 0 ? s + d : s;
    e = e < 0 ? e + d : e;
    if (step > 0) {
      s = clamp(s, 0, d);
      e = clamp(e, 0, d);
    } else {
      s = clamp(s, -1, d - 1);
      e = clamp(e, -1, d - 1);
    }
    lo[ax] = s;
    hi[ax] = e;
    st[ax] = step;
  }
  const dims = t.dims.map((_, a) => Math.max(0, Math.ceil((hi[a]! - lo[a]!) / st[a]!)));
  const sIn = strides(t.dims);
  const sOut = strides(dims);
  const out = new Float64Array(prod(dims));
  for (let i = 0; i < out.length; i++) {
    let rem = i;
    let j = 0;
    for (let a = 0; a < r; a++) {
      const c = Math.floor(rem / sOut[a]!);
      rem -= c * sOut[a]!;
      j += (lo[a]! + c * st[a]!) * sIn[a]!;
    }
    out[i] = t.data[j]!;
  }
  return { dims, data: out, elem: t.elem };
}

/** ints of a 1-D (or scalar) integer tensor */
export const intsOf = (t: Tensor): number[] => Array.from(t.data);
