/**
 * Build ONNX files in tests with the same protobuf definitions the importer parses with (onnx-proto):
 * QONNX / FINN-ONNX graphs with initializers, attributes, custom domains and FINN annotations.
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

export const FLOAT = 1;
export const UINT8 = 2;
export const INT64 = 7;

/** Marks a float attribute (plain numbers that are integers become INT attributes). */
export class F {
  constructor(readonly v: number) {}
}
export const f = (v: number) => new F(v);

export type AttrValue = number | F | string | number[] | F[] | { tensor: { dims: number[]; data: number[]; type?: number } };

export interface SpecNode {
  op: string;
  inputs: string[];
  outputs: string[];
  attrs: Record<string, AttrValue>;
  domain: string;
  name: string;
}

export interface SpecInit {
  name: string;
  dims: number[];
  data: number[];
  type: number;
}

function tensorProto(name: string, dims: number[], data: number[], type: number, raw: boolean): InstanceType<typeof onnx.TensorProto> {
  const t = onnx.TensorProto.create({ name, dims, dataType: type });
  if (type === FLOAT) {
    if (raw) {
      const b = Buffer.alloc(4 * data.length);
      data.forEach((v, i) => b.writeFloatLE(v, i * 4));
      t.rawData = new Uint8Array(b);
    } else t.floatData = data;
  } else if (type === INT64) {
    if (raw) {
      const b = Buffer.alloc(8 * data.length);
      data.forEach((v, i) => b.writeBigInt64LE(BigInt(v), i * 8));
      t.rawData = new Uint8Array(b);
    } else t.int64Data = data;
  } else if (type === UINT8) {
    t.rawData = new Uint8Array(data);
  } else throw new Error(`test builder: type ${type}`);
  return t;
}

function attrProto(name: string, v: AttrValue): InstanceType<typeof onnx.AttributeProto> {
  const T = onnx.AttributeProto.AttributeType;
  if (v instanceof F) return onnx.AttributeProto.create({ name, type: T.FLOAT, f: v.v });
  if (typeof v === 'number') return Number.isInteger(v) ? onnx.AttributeProto.create({ name, type: T.INT, i: v }) : onnx.AttributeProto.create({ name, type: T.FLOAT, f: v });
  if (typeof v === 'string') return onnx.AttributeProto.create({ name, type: T.STRING, s: new Uint8Array(Buffer.from(v)) });
  if (Array.isArray(v)) {
    if (v.some((x) => x instanceof F)) return onnx.AttributeProto.create({ name, type: T.FLOATS, floats: v.map((x) => (x instanceof F ? x.v : x)) });
    return onnx.AttributeProto.create({ name, type: T.INTS, ints: v as number[] });
  }
  return onnx.AttributeProto.create({ name, type: T.TENSOR, t: tensorProto('', v.tensor.dims, v.tensor.data, v.tensor.type ?? FLOAT, true) });
}

export class GraphBuilder {
  readonly nodes: SpecNode[] = [];
  readonly inits: SpecInit[] = [];
  readonly inputs: { name: string; dims: (number | string)[]; type: number }[] = [];
  readonly outputs: { name: string; dims: number[] }[] = [];
  readonly annotations: { tensor: string; key: string; value: string }[] = [];
  private n = 0;

  constructor(
    readonly opset = 13,
    readonly producer = 'bnn-hw tests',
    readonly customDomains: Record<string, number> = {},
    /** store float initializers as raw bytes (true) or in float_data */
    readonly raw = true,
  ) {}

  input(name: string, dims: (number | string)[], type = FLOAT): string {
    this.inputs.push({ name, dims, type });
    return name;
  }

  init(name: string, dims: number[], data: ArrayLike<number>, type = FLOAT): string {
    const vals = Array.from(data, (v) => (type === FLOAT ? Math.fround(v) : v));
    if (vals.length !== dims.reduce((a, b) => a * b, 1)) throw new Error(`init ${name}: ${vals.length} values for [${dims}]`);
    this.inits.push({ name, dims, data: vals, type });
    return name;
  }

  /** a fresh tensor name */
  t(prefix = 't'): string {
    return `${prefix}${this.n++}`;
  }

  node(op: string, inputs: string[], attrs: Record<string, AttrValue> = {}, o: { domain?: string; name?: string; outputs?: string[] | number } = {}): string {
    const outputs = Array.isArray(o.outputs) ? o.outputs : Array.from({ length: o.outputs ?? 1 }, () => this.t(op.toLowerCase()));
    this.nodes.push({ op, inputs, outputs, attrs, domain: o.domain ?? '', name: o.name ?? `${op}_${this.nodes.length}` });
    return outputs[0]!;
  }

  output(name: string, dims: number[]): void {
    this.outputs.push({ name, dims });
  }

  annotate(tensor: string, key: string, value: string): void {
    this.annotations.push({ tensor, key, value });
  }

  encode(): Uint8Array {
    const vi = (name: string, dims: (number | string)[], type: number) =>
      onnx.ValueInfoProto.create({
        name,
        type: onnx.TypeProto.create({
          tensorType: onnx.TypeProto.Tensor.create({ elemType: type, shape: onnx.TensorShapeProto.create({ dim: dims.map((d) => (typeof d === 'number' ? onnx.TensorShapeProto.Dimension.create({ dimValue: d }) : onnx.TensorShapeProto.Dimension.create({ dimParam: d }))) }) }),
        }),
      });
    const byTensor = new Map<string, { key: string; value: string }[]>();
    for (const a of this.annotations) byTensor.set(a.tensor, [...(byTensor.get(a.tensor) ?? []), { key: a.key, value: a.value }]);
    const graph = onnx.GraphProto.create({
      name: 'test',
      node: this.nodes.map((n) =>
        onnx.NodeProto.create({ opType: n.op, input: n.inputs, output: n.outputs, name: n.name, domain: n.domain, attribute: Object.entries(n.attrs).map(([k, v]) => attrProto(k, v)) }),
      ),
      initializer: this.inits.map((i) => tensorProto(i.name, i.dims, i.data, i.type, this.raw)),
      input: this.inputs.map((i) => vi(i.name, i.dims, i.type)),
      output: this.outputs.map((o) => vi(o.name, o.dims, FLOAT)),
      quantizationAnnotation: [...byTensor.entries()].map(([tensorName, kv]) =>
        onnx.TensorAnnotation.create({ tensorName, quantParameterTensorNames: kv.map((p) => onnx.StringStringEntryProto.create(p)) }),
      ),
    });
    const model = onnx.ModelProto.create({
      irVersion: 7,
      producerName: this.producer,
      opsetImport: [onnx.OperatorSetIdProto.create({ domain: '', version: this.opset }), ...Object.entries(this.customDomains).map(([domain, version]) => onnx.OperatorSetIdProto.create({ domain, version }))],
      graph,
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
