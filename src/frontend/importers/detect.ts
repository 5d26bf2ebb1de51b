/**
 * `bnn-hw import`: detect the format of a trained model file and convert it to bnn-hw/model@1.
 *   HDF5 signature -> Keras / Larq H5 (keras.ts)
 *   anything protobuf-decodable as an ONNX ModelProto -> QONNX / FINN-ONNX / plain ONNX (onnx-convert.ts
 *   with the dialect ops of qonnx.ts and finn.ts); the dialect is named after the ops and annotations.
 */
import { readInputFile } from '../../util/input-file.js';
import { basename, extname } from 'node:path';
import { DiagnosticError, fail } from '../../diagnostics/diagnostic.js';
import { suggestIdentifier } from '../../util/names.js';
import type { ModelBuilder } from './builder.js';
import { FORMAT_NAMES, type ImportOptions, type ImportResult, type InputTypeJson, type SourceFormat, divisorProblem, inputTypeKey, offsetProblem, parseInputTypeOption, scalingFail, unexpected, withFile, withFileAsync } from './common.js';
import { inputRange } from '../../ir/model.js';
import { Converter, type GraphInputType, type OpHandler, STANDARD_OPS } from './onnx-convert.js';
import { type OnnxGraph, decodeOnnx } from './onnx.js';
import { QONNX_OPS } from './qonnx.js';
import { FINN_OPS, finnInputType } from './finn.js';
import { KerasConverter, type KerasModel, readKerasH5 } from './keras.js';
import { isHdf5 } from './hdf5.js';

export type FileKind = 'onnx' | 'hdf5';

const SUPPORTED = 'bnn-hw imports QONNX / FINN-ONNX / ONNX (.onnx) and Keras / Larq HDF5 (.h5) files';

/** What kind of file this is, or a diagnostic saying what it is not. */
export function detectKind(bytes: Uint8Array, path: string): FileKind {
  if (isHdf5(bytes)) return 'hdf5';
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 4096)).toString('latin1');
  if (bytes.length === 0) fail('BNN200', '', `'${path}' is empty`, SUPPORTED);
  if (/^\s*[{[]/.test(head)) {
    if (head.includes('bnn-hw/model@')) fail('BNN200', '', `'${path}' is already a bnn-hw model`, 'use it directly: bnn-hw inspect / infer / generate / verify');
    if (head.includes('"class_name"')) fail('BNN200', '', `'${path}' is a Keras architecture in JSON (model.to_json()), which holds no weights`, 'save the whole model with model.save("model.h5")');
    fail('BNN200', '', `'${path}' is a JSON file, not a trained model`, SUPPORTED);
  }
  if (head.startsWith('PK\u0003\u0004')) fail('BNN200', '', `'${path}' is a zip archive (a Keras 3 .keras file or a PyTorch checkpoint)`, 'save Keras models as HDF5 (model.save("model.h5")) and PyTorch / Brevitas models as ONNX (brevitas export_qonnx)');
  if (head.slice(4, 8) === 'TFL3') fail('BNN200', '', `'${path}' is a TensorFlow Lite flatbuffer`, 'import the Keras / Larq model it came from (.h5) instead');
  return 'onnx';
}

export function onnxDialect(g: OnnxGraph): SourceFormat {
  const domains = new Set(g.nodes.map((n) => n.domain));
  if (g.nodes.some((n) => ['BipolarQuant', 'Quant', 'IntQuant', 'Trunc'].includes(n.opType)) || domains.has('onnx.brevitas') || [...domains].some((d) => d.startsWith('qonnx'))) return 'qonnx';
  if (g.nodes.some((n) => n.opType === 'MultiThreshold') || [...domains].some((d) => d.startsWith('finn')) || [...g.annotations.values()].some((a) => a.has('finn_datatype'))) return 'finn-onnx';
  return 'onnx';
}

export const ONNX_OPS: ReadonlyMap<string, OpHandler> = new Map([...STANDARD_OPS, ...QONNX_OPS, ...FINN_OPS]);

/** The model's input type and the layer that applies the declared scaling. */
export function resolveInput(graphType: GraphInputType | null, o: ImportOptions): { json: InputTypeJson; prefix: { layer: Record<string, unknown>; from: string }[]; text: string } {
  const scaling = o.inputDivisor !== undefined || o.inputOffset !== undefined;
  if (graphType) {
    if (scaling) {
      fail('BNN206', '', `--input-divisor / --input-offset given, but ${graphType.why}: the model already takes those integers, so the options would scale them a second time`, 'drop --input-divisor / --input-offset');
    }
    if (o.inputType !== undefined) {
      const t = parseInputTypeOption(o.inputType);
      if (inputTypeKey(t.json) !== inputTypeKey(graphType.json)) {
        fail('BNN206', '', `--input-type ${o.inputType} contradicts the graph: ${graphType.why}`, `drop --input-type, or give --input-type ${inputTypeKey(graphType.json)}`);
      }
    }
    return { json: graphType.json, prefix: [], text: graphType.why };
  }
  if (o.inputType === undefined) {
    fail('BNN206', '', 'the model takes real-valued (float) inputs: declare their integer encoding with --input-type', 'for pixels scaled to [0, 1] use --input-type uint8 --input-divisor 255 (the model then takes raw 0..255 pixels); see `bnn-hw import --help`');
  }
  const t = parseInputTypeOption(o.inputType!);
  const d = o.inputDivisor ?? 1;
  const off = o.inputOffset ?? 0;
  const dp = divisorProblem(d);
  if (dp) scalingFail(`--input-divisor: ${dp}`, 'for example --input-divisor 255 (pixels scaled to [0, 1])');
  const op = offsetProblem(off);
  if (op) scalingFail(`--input-offset: ${op}`, 'for example --input-offset -1');
  // the input layer computes v / d + offset for every input value v: it must stay finite
  const range = inputRange(t.type);
  const vmax = Math.max(Math.abs(range.min), Math.abs(range.max)) * range.scale;
  if (!Number.isFinite(vmax * (1 / d) + Math.abs(off))) {
    scalingFail(`--input-divisor ${d}${off ? ` --input-offset ${off}` : ''}: the input ${vmax} of --input-type ${inputTypeKey(t.json)} becomes ${vmax * (1 / d) + Math.abs(off)}: expected every scaled input to be a finite number`, 'use a larger --input-divisor or a smaller --input-offset');
  }
  const prefix = d === 1 && off === 0 ? [] : [{ layer: { type: 'affine', name: 'input_scale', scale: 1 / d, bias: off }, from: `--input-divisor ${d}${off ? ` --input-offset ${off}` : ''} (the declared input encoding)` }];
  const text = `${inputTypeKey(t.json)} codes v; the graph's input is ${d === 1 ? 'v' : `v / ${d}`}${off ? ` + ${off}` : ''}`;
  return { json: t.json, prefix, text };
}

function finish(b: ModelBuilder, format: SourceFormat, file: string, o: ImportOptions, graphType: GraphInputType | null, output: 'argmax' | 'scores', producer: string): ImportResult {
  const input = resolveInput(graphType, o);
  const name = o.name ?? suggestIdentifier(basename(file, extname(file)).replace(/[^A-Za-z0-9_]+/g, '_'));
  const description = `Imported by bnn-hw from ${basename(file)} (${FORMAT_NAMES[format]}${producer ? `, written by ${producer}` : ''}). Input: ${input.text}.`;
  const model = b.finish({ name, description, inputType: input.json, output, prefix: input.prefix });
  return { model, format, provenance: [...b.provenance], notes: [...b.notes] };
}

export function importOnnxBytes(bytes: Uint8Array, file: string, o: ImportOptions): ImportResult {
  try {
    return convertOnnx(bytes, file, o);
  } catch (e) {
    if (e instanceof DiagnosticError) throw e;
    return unexpected(e, '/graph', 'the ONNX graph');
  }
}

function convertOnnx(bytes: Uint8Array, file: string, o: ImportOptions): ImportResult {
  const graph = decodeOnnx(bytes);
  const format = onnxDialect(graph);
  const cx = new Converter(graph, ONNX_OPS, o);
  const input = graph.inputs[0]!;
  const ann = graph.annotations.get(input.name)?.get('finn_datatype');
  if (ann !== undefined) {
    const t = finnInputType(ann);
    if (t === undefined) fail('BNN222', '/graph/quantization_annotation', `the graph input ${JSON.stringify(input.name)} is annotated finn_datatype ${JSON.stringify(ann)}, which bnn-hw does not map`, 'supported: UINTk, INTk, BIPOLAR, BINARY, FIXED<w,i> and FLOAT32');
    if (t !== null) cx.graphInputType = { json: t, why: `the graph input ${JSON.stringify(input.name)} is annotated finn_datatype ${ann}` };
  }
  cx.run();
  const { output, x } = cx.finishOutput();
  if (x.scale !== 1) cx.b.affine('output_scale', 'the scale of the last activation', x.scale, 0);
  return finish(cx.b, format, file, o, cx.graphInputType, output, graph.producer);
}

export async function importKerasFile(path: string, o: ImportOptions): Promise<ImportResult> {
  const m = await readKerasH5(path);
  try {
    return convertKeras(m, path, o);
  } catch (e) {
    if (e instanceof DiagnosticError) throw e;
    return unexpected(e, '/model_config', 'the Keras model');
  }
}

function convertKeras(m: KerasModel, path: string, o: ImportOptions): ImportResult {
  const cx = new KerasConverter(m, o);
  cx.convert();
  if (cx.softmax && o.output === 'scores') fail('BNN206', cx.m.layers[cx.softmax.index]!.ptr, `the model ends in the softmax of ${cx.from(cx.softmax)}, which bnn-hw does not compute, but --output scores was given`, 'drop --output scores: the argmax of the softmax is the argmax of the scores before it');
  const producer = `Keras ${m.kerasVersion}${m.backend !== '?' ? ` (${m.backend})` : ''}`;
  return finish(cx.b, 'keras-h5', path, o, null, o.output ?? 'argmax', producer);
}

/** Import any supported file. Diagnostics carry the file name. */
export async function importFile(path: string, o: ImportOptions = {}): Promise<ImportResult> {
  const bytes = readInputFile(path, 'import');
  const kind = withFile(path, () => detectKind(bytes, path));
  if (kind === 'hdf5') return withFileAsync(path, () => importKerasFile(path, o));
  return withFile(path, () => importOnnxBytes(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path, o));
}
