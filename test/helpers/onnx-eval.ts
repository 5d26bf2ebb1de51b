/**
 * An independent evaluator of ONNX graphs for the importer tests: decodes the file with onnx-proto and
 * runs every node as its specification says, on NCHW tensors, rounding every float result to float32
 * as an ONNX runtime computing in float32 would (BatchNormalization in the order of the spec:
 * (x - mean) / sqrt(var + eps) * scale + B). It shares no code with src/frontend/importers.
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

export interface T {
  dims: number[];
  data: Float64Array;
  int: boolean;
}

const fr = Math.fround;
const size = (d: number[]) => d.reduce((a, b) => a * b, 1);
type L = number | { toString(): string };
const n = (v: L | null | undefined) => (v === null || v === undefined ? 0 : typeof v === 'number' ? v : Number(v.toString()));

function readTensor(t: InstanceType<typeof onnx.TensorProto>): T {
  const dims = t.dims.map((d) => n(d as L));
  const cnt = size(dims);
  const raw = t.rawData && t.rawData.length ? Buffer.from(t.rawData) : null;
  const out = new Float64Array(cnt);
  if (t.dataType === 1) {
    for (let i = 0; i < cnt; i++) out[i] = raw ? raw.readFloatLE(4 * i) : t.floatData[i]!;
    return { dims, data: out, int: false };
  }
  if (t.dataType === 7) {
    for (let i = 0; i < cnt; i++) out[i] = raw ? Number(raw.readBigInt64LE(8 * i)) : n(t.int64Data[i] as L);
    return { dims, data: out, int: true };
  }
  if (t.dataType === 2) {
    for (let i = 0; i < cnt; i++) out[i] = raw ? raw[i]! : t.int32Data[i]!;
    return { dims, data: out, int: true };
  }
  throw new Error(`evaluator: tensor type ${t.dataType}`);
}

function bshape(a: number[], b: number[]): number[] {
  const r = Math.max(a.length, b.length);
  return Array.from({ length: r }, (_, i) => {
    const x = a[i - (r - a.length)] ?? 1;
    const y = b[i - (r - b.length)] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error(`evaluator: [${a}] and [${b}] do not broadcast`);
    return Math.max(x, y);
  });
}

/** value of `t` at the multi-index `idx` of the broadcast shape `to` */
function at(t: T, to: number[], flat: number): number {
  let off = 0;
  let stride = 1;
  let rem = flat;
  const coords: number[] = new Array(to.length);
  for (let d = to.length - 1; d >= 0; d--) {
    coords[d] = rem % to[d]!;
    rem = Math.floor(rem / to[d]!);
  }
  for (let d = t.dims.length - 1; d >= 0; d--) {
    const c = coords[d + to.length - t.dims.length]!;
    off += (t.dims[d] === 1 ? 0 : c) * stride;
    stride *= t.dims[d]!;
  }
  return t.data[off]!;
}

function binop(a: T, b: T, f: (x: number, y: number) => number): T {
  const dims = bshape(a.dims, b.dims);
  const int = a.int && b.int;
  const data = new Float64Array(size(dims));
  if (b.data.length === 1 && a.data.length === data.length) {
    // fast path: tensor op scalar
    const y = b.data[0]!;
    for (let i = 0; i < data.length; i++) {
      const v = f(a.data[i]!, y);
      data[i] = int ? Math.trunc(v) : fr(v);
    }
    return { dims, data, int };
  }
  for (let i = 0; i < data.length; i++) {
    const v = f(at(a, dims, i), at(b, dims, i));
    data[i] = int ? Math.trunc(v) : fr(v);
  }
  return { dims, data, int };
}

const attrs = (nd: InstanceType<typeof onnx.NodeProto>) => {
  const m = new Map<string, InstanceType<typeof onnx.AttributeProto>>();
  for (const a of nd.attribute as InstanceType<typeof onnx.AttributeProto>[]) m.set(a.name, a);
  return {
    i: (k: string, d: number) => (m.has(k) ? n(m.get(k)!.i as L) : d),
    f: (k: string, d: number) => (m.has(k) ? m.get(k)!.f : d),
    ints: (k: string) => (m.has(k) ? m.get(k)!.ints.map((x) => n(x as L)) : undefined),
    s: (k: string, d: string) => (m.has(k) ? Buffer.from(m.get(k)!.s).toString() : d),
    t: (k: string) => (m.has(k) && m.get(k)!.t ? readTensor(m.get(k)!.t as InstanceType<typeof onnx.TensorProto>) : undefined),
  };
};

function roundHalfEven(v: number): number {
  const fl = Math.floor(v);
  const d = v - fl;
  return d > 0.5 ? fl + 1 : d < 0.5 ? fl : fl % 2 === 0 ? fl : fl + 1;
}

export class OnnxEvaluator {
  readonly model: InstanceType<typeof onnx.ModelProto>;
  private readonly inits = new Map<string, T>();
  private readonly cache = new Map<number, T[]>();
  readonly inputName: string;

  constructor(bytes: Uint8Array) {
    this.model = onnx.ModelProto.decode(bytes);
    const g = this.model.graph as InstanceType<typeof onnx.GraphProto>;
    for (const t of g.initializer as InstanceType<typeof onnx.TensorProto>[]) this.inits.set(t.name, readTensor(t));
    this.inputName = (g.input as InstanceType<typeof onnx.ValueInfoProto>[]).find((i) => !this.inits.has(i.name))!.name;
  }

  /** Run the graph on one input tensor (NCHW values); returns the first graph output. */
  run(input: T): T {
    const g = this.model.graph as InstanceType<typeof onnx.GraphProto>;
    const nodes = g.node as InstanceType<typeof onnx.NodeProto>[];
    const v = new Map<string, T>(this.inits);
    v.set(this.inputName, input);
    // nodes that do not depend on the input (weight quantisation, transposes) are computed once
    const dynamic = new Set<string>([this.inputName]);
    nodes.forEach((nd, k) => {
      const dyn = nd.opType !== 'Shape' && nd.input.some((x) => dynamic.has(x));
      if (dyn) for (const o of nd.output) dynamic.add(o);
      const cached = dyn ? undefined : this.cache.get(k);
      const ins = nd.input.map((x) => (x === '' ? undefined : v.get(x)));
      nd.input.forEach((x, i) => {
        if (x !== '' && !ins[i]) throw new Error(`evaluator: ${nd.opType} reads unknown ${x}`);
      });
      const outs = cached ?? this.op(nd, ins as (T | undefined)[]);
      if (!dyn) this.cache.set(k, outs);
      outs.forEach((t, i) => {
        if (nd.output[i]) v.set(nd.output[i]!, t);
      });
    });
    return v.get((g.output as InstanceType<typeof onnx.ValueInfoProto>[])[0]!.name)!;
  }

  private op(nd: InstanceType<typeof onnx.NodeProto>, ins: (T | undefined)[]): T[] {
    const a = attrs(nd);
    const x = ins[0]!;
    switch (nd.opType) {
      case 'Constant':
        return [a.t('value')!];
      case 'Identity':
      case 'Dropout':
        return [x];
      case 'Cast':
        return [{ ...x, data: x.data.map((z) => (a.i('to', 1) === 7 ? Math.trunc(z) : fr(z))), int: a.i('to', 1) === 7 }];
      case 'Shape':
        return [{ dims: [x.dims.length], data: Float64Array.from(x.dims), int: true }];
      case 'Gather': {
        const axis = a.i('axis', 0);
        if (axis !== 0 || x.dims.length !== 1) throw new Error('evaluator: Gather on 1-D data only');
        const idx = ins[1]!;
        return [{ dims: idx.dims, data: idx.data.map((k) => x.data[k < 0 ? k + x.dims[0]! : k]!), int: x.int }];
      }
      case 'Unsqueeze': {
        const axes = ins[1] ? Array.from(ins[1].data) : a.ints('axes')!;
        const dims = [...x.dims];
        for (const ax of [...axes].map((q) => (q < 0 ? q + x.dims.length + axes.length : q)).sort((p, q) => p - q)) dims.splice(ax, 0, 1);
        return [{ ...x, dims }];
      }
      case 'Squeeze': {
        const axes = ins[1] ? Array.from(ins[1].data) : a.ints('axes');
        return [{ ...x, dims: x.dims.filter((d, i) => (axes ? !axes.map((q) => (q < 0 ? q + x.dims.length : q)).includes(i) : d !== 1)) }];
      }
      case 'Concat': {
        if (ins.some((t) => t!.dims.length !== 1)) throw new Error('evaluator: Concat of 1-D tensors only');
        const data = ins.flatMap((t) => Array.from(t!.data));
        return [{ dims: [data.length], data: Float64Array.from(data), int: ins.every((t) => t!.int) }];
      }
      case 'Slice': {
        if (x.dims.length !== 1) throw new Error('evaluator: Slice of 1-D tensors only');
        const len = x.dims[0]!;
        const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + len : v, 0), len);
        const s = clamp(ins[1]!.data[0]!);
        const e = clamp(ins[2]!.data[0]!);
        const data = x.data.slice(s, Math.max(s, e));
        return [{ dims: [data.length], data, int: x.int }];
      }
      case 'ConstantOfShape': {
        const v = a.t('value') ?? { dims: [1], data: Float64Array.of(0), int: false };
        const dims = Array.from(x.data);
        return [{ dims, data: new Float64Array(size(dims)).fill(v.data[0]!), int: v.int }];
      }
      case 'Reshape': {
        const target = Array.from(ins[1]!.data).map((d, i) => (d === 0 ? x.dims[i]! : d));
        const known = target.filter((d) => d !== -1).reduce((p, q) => p * q, 1);
        return [{ ...x, dims: target.map((d) => (d === -1 ? size(x.dims) / known : d)) }];
      }
      case 'Flatten': {
        const axis = a.i('axis', 1);
        return [{ ...x, dims: [size(x.dims.slice(0, axis)), size(x.dims.slice(axis))] }];
      }
      case 'Transpose': {
        const perm = a.ints('perm') ?? x.dims.map((_, i) => x.dims.length - 1 - i);
        if (x.dims.length !== 2 || perm[0] !== 1) throw new Error('evaluator: Transpose of matrices only');
        const [r, c] = x.dims as [number, number];
        const data = new Float64Array(r * c);
        for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) data[j * r + i] = x.data[i * c + j]!;
        return [{ dims: [c, r], data, int: x.int }];
      }
      case 'Add':
        return [binop(x, ins[1]!, (p, q) => p + q)];
      case 'Sub':
        return [binop(x, ins[1]!, (p, q) => p - q)];
      case 'Mul':
        return [binop(x, ins[1]!, (p, q) => p * q)];
      case 'Div':
        return [binop(x, ins[1]!, (p, q) => p / q)];
      case 'Pow':
        return [binop(x, ins[1]!, (p, q) => Math.pow(p, q))];
      case 'Neg':
        return [{ ...x, data: x.data.map((z) => -z) }];
      case 'Relu': // ONNX: y = max(0, x)
        return [{ ...x, data: x.data.map((z) => (z > 0 ? z : 0)) }];
      case 'Sqrt':
        return [{ ...x, data: x.data.map((z) => fr(Math.sqrt(z))) }];
      case 'Reciprocal':
        return [{ ...x, data: x.data.map((z) => fr(1 / z)) }];
      case 'MatMul':
        return [this.matmul(x, ins[1]!, false, 1, undefined, 1)];
      case 'Gemm':
        if (a.i('transA', 0)) throw new Error('evaluator: transA');
        return [this.matmul(x, ins[1]!, a.i('transB', 0) === 1, a.f('alpha', 1), ins[2], a.f('beta', 1))];
      case 'Conv':
        return [this.conv(x, ins[1]!, ins[2], a)];
      case 'MaxPool':
        return [this.maxpool(x, a)];
      case 'AveragePool': // no padding: the mean of each window, summed in float32
        return [this.avgpool(x, a.ints('kernel_shape')!, a.ints('strides') ?? [1, 1])];
      case 'GlobalAveragePool':
        return [this.avgpool(x, [x.dims[2]!, x.dims[3]!], [1, 1])];
      case 'BatchNormalization': {
        const [, sc, b, mean, vr] = ins as T[];
        const eps = fr(a.f('epsilon', 1e-5));
        const c = x.dims[1]!;
        const inner = size(x.dims.slice(2));
        const data = x.data.map((z, i) => {
          const ch = Math.floor(i / inner) % c;
          const k = (t: T) => t.data[t.data.length === 1 ? 0 : ch]!;
          return fr(fr(fr(fr(z - k(mean)) / fr(Math.sqrt(fr(k(vr) + eps)))) * k(sc)) + k(b));
        });
        return [{ dims: x.dims, data, int: false }];
      }
      case 'BipolarQuant':
        return [binop(x, ins[1]!, (p, s) => (p >= 0 ? s : -s))];
      case 'Quant':
      case 'IntQuant': {
        const [, s, z, bw] = ins as T[];
        const bits = bw.data[0]!;
        const signed = a.i('signed', 1) === 1;
        const narrow = a.i('narrow', 0) === 1;
        const lo = signed ? -(2 ** (bits - 1)) + (narrow ? 1 : 0) : 0;
        const hi = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1 - (narrow ? 1 : 0);
        return [binop(binop(x, s, (p, q) => p / q), z, (p, q) => Math.min(Math.max(roundHalfEven(p + q), lo), hi) - q)].map((t) => binop(t, s, (p, q) => p * q));
      }
      case 'MultiThreshold': {
        const thr = ins[1]!;
        const [rows, k] = thr.dims as [number, number];
        const c = x.dims[1] ?? 1;
        const inner = size(x.dims.slice(2));
        const os = a.f('out_scale', 1);
        const ob = a.f('out_bias', 0);
        const data = x.data.map((z, i) => {
          const ch = rows === 1 ? 0 : Math.floor(i / inner) % c;
          let cnt = 0;
          for (let j = 0; j < k; j++) if (z >= thr.data[ch * k + j]!) cnt++;
          return fr(os * cnt + ob);
        });
        return [{ dims: x.dims, data, int: false }];
      }
      case 'TopK':
      case 'ArgMax': {
        let best = 0;
        for (let i = 1; i < x.data.length; i++) if (x.data[i]! > x.data[best]!) best = i;
        const idx: T = { dims: [1, 1], data: Float64Array.of(best), int: true };
        return nd.opType === 'TopK' ? [{ dims: [1, 1], data: Float64Array.of(x.data[best]!), int: false }, idx] : [idx];
      }
      case 'Softmax':
      case 'LogSoftmax': {
        const m = Math.max(...x.data);
        const e = x.data.map((z) => fr(Math.exp(z - m)));
        const s = e.reduce((p, q) => fr(p + q), 0);
        return [{ dims: x.dims, data: e.map((z) => fr(nd.opType === 'Softmax' ? z / s : Math.log(z / s))), int: false }];
      }
      default:
        throw new Error(`evaluator: op ${nd.opType}`);
    }
  }

  private matmul(x: T, w: T, transB: boolean, alpha: number, c: T | undefined, beta: number): T {
    const [m, k] = x.dims.length === 2 ? (x.dims as [number, number]) : [1, x.dims[x.dims.length - 1]!];
    const nOut = transB ? w.dims[0]! : w.dims[1]!;
    const data = new Float64Array(m * nOut);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < nOut; j++) {
        let acc = 0;
        for (let q = 0; q < k; q++) acc = fr(acc + fr(x.data[i * k + q]! * (transB ? w.data[j * k + q]! : w.data[q * nOut + j]!)));
        let y = fr(alpha * acc);
        if (c) y = fr(y + fr(beta * c.data[c.data.length === 1 ? 0 : j]!));
        data[i * nOut + j] = y;
      }
    }
    return { dims: [m, nOut], data, int: false };
  }

  private conv(x: T, w: T, b: T | undefined, a: ReturnType<typeof attrs>): T {
    const [, c, h, wd] = x.dims as [number, number, number, number];
    const [f, , kh, kw] = w.dims as [number, number, number, number];
    const [sh, sw] = a.ints('strides') ?? [1, 1];
    const [pt, pl, pb, pr] = a.ints('pads') ?? [0, 0, 0, 0];
    const oh = Math.floor((h + pt! + pb! - kh) / sh!) + 1;
    const ow = Math.floor((wd + pl! + pr! - kw) / sw!) + 1;
    const data = new Float64Array(f * oh * ow);
    for (let o = 0; o < f; o++) {
      for (let y = 0; y < oh; y++) {
        for (let xx = 0; xx < ow; xx++) {
          let acc = 0;
          for (let ci = 0; ci < c; ci++) {
            for (let ky = 0; ky < kh; ky++) {
              for (let kx = 0; kx < kw; kx++) {
                const iy = y * sh! + ky - pt!;
                const ix = xx * sw! + kx - pl!;
                const v = iy >= 0 && iy < h && ix >= 0 && ix < wd ? x.data[(ci * h + iy) * wd + ix]! : 0;
                acc = fr(acc + fr(v * w.data[((o * c + ci) * kh + ky) * kw + kx]!));
              }
            }
          }
          data[(o * oh + y) * ow + xx] = b ? fr(acc + b.data[o]!) : acc;
        }
      }
    }
    return { dims: [1, f, oh, ow], data, int: false };
  }

  private avgpool(x: T, [kh, kw]: number[], [sh, sw]: number[]): T {
    const [, c, h, w] = x.dims as [number, number, number, number];
    const oh = Math.floor((h - kh!) / sh!) + 1;
    const ow = Math.floor((w - kw!) / sw!) + 1;
    const data = new Float64Array(c * oh * ow);
    for (let ci = 0; ci < c; ci++) for (let y = 0; y < oh; y++) for (let xx = 0; xx < ow; xx++) {
      let s = 0;
      for (let ky = 0; ky < kh!; ky++) for (let kx = 0; kx < kw!; kx++) s = fr(s + x.data[(ci * h + y * sh! + ky) * w + xx * sw! + kx]!);
      data[(ci * oh + y) * ow + xx] = fr(s / (kh! * kw!));
    }
    return { dims: [1, c, oh, ow], data, int: false };
  }

  private maxpool(x: T, a: ReturnType<typeof attrs>): T {
    const [, c, h, w] = x.dims as [number, number, number, number];
    const [kh, kw] = a.ints('kernel_shape')!;
    const [sh, sw] = a.ints('strides') ?? [1, 1];
    const oh = Math.floor((h - kh!) / sh!) + 1;
    const ow = Math.floor((w - kw!) / sw!) + 1;
    const data = new Float64Array(c * oh * ow);
    for (let ci = 0; ci < c; ci++) for (let y = 0; y < oh; y++) for (let xx = 0; xx < ow; xx++) {
      let m = -Infinity;
      for (let ky = 0; ky < kh!; ky++) for (let kx = 0; kx < kw!; kx++) m = Math.max(m, x.data[(ci * h + y * sh! + ky) * w + xx * sw! + kx]!);
      data[(ci * oh + y) * ow + xx] = m;
    }
    return { dims: [1, c, oh, ow], data, int: false };
  }
}

/** NCHW tensor from HWC values (bnn-hw's layout). */
export function nchwFromHwc(hwc: ArrayLike<number>, shape: readonly number[]): T {
  if (shape.length === 1) return { dims: [1, shape[0]!], data: Float64Array.from(hwc), int: false };
  const [h, w, c] = shape as [number, number, number];
  const data = new Float64Array(h * w * c);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let ci = 0; ci < c; ci++) data[(ci * h + y) * w + x] = hwc[(y * w + x) * c + ci]!;
  return { dims: [1, c, h, w], data, int: false };
}
