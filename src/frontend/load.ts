/**
 * load: model.json text -> validated, normalised Model (see ir/model.ts).
 * Order of checks: JSON syntax -> format tag -> layer types -> structure (zod) -> names -> shapes and
 * parameters layer by layer (weights decoded last, after their declared size is known to be sane).
 */
import { readInputText } from '../util/input-file.js';
import type { z } from 'zod';
import { type Diagnostic, DiagnosticError, describeValue, diag, fail, pointerJoin } from '../diagnostics/diagnostic.js';
import { FORMAT_TAG, LAYER_TYPES, ModelStructure, type RawLayer, type RawModel } from './schema.js';
import { parseJson } from './json.js';
import { decodeWeights } from './weights.js';
import { MAX_NAME_LENGTH, identifierProblem, layerUnit, modelNameProblem, rtlFile, suggestIdentifier, unitModule } from '../util/names.js';
import type { InputType, Layer, Model, Pad, Shape } from '../ir/model.js';
import { INPUT, inputRange, poolOutShape, prod } from '../ir/model.js';
import { padCodeOf } from '../ir/activation.js';
import { type CodeDomain, CodeDomains } from '../ir/graph.js';
import { checkAddShapes, checkAllRead, checkExact, resolveInputs } from './graph.js';

export const MAX_DIM = 65536;
export const MAX_ELEMENTS = 2 ** 26;

const INPUT_TYPES = '"uintK" (K = 1..32), "intK" (K = 2..32), "bipolar" or {"fixed": {"bits": K, "frac": F}}';
const SCHEMA_HINT = 'run `bnn-hw schema` for the complete model format';

/** Fields allowed in each object of the format, for "unknown field" diagnostics. */
const FIELDS: Record<string, string[]> = {
  model: ['format', 'name', 'description', 'input', 'layers', 'output', '$schema'],
  input: ['shape', 'type'],
  'input type': ['fixed'],
  'fixed-point type': ['bits', 'frac'],
  dense: ['units', 'weights', 'bias', 'name', 'inputs'],
  conv2d: ['filters', 'kernel', 'strides', 'padding', 'padValue', 'weights', 'bias', 'name', 'inputs'],
  batchnorm: ['gamma', 'beta', 'mean', 'variance', 'epsilon', 'name', 'inputs'],
  affine: ['scale', 'bias', 'name', 'inputs'],
  sign: ['name', 'inputs'],
  quant: ['bits', 'signed', 'narrow', 'scale', 'name', 'inputs'],
  multithreshold: ['thresholds', 'outScale', 'outBias', 'name', 'inputs'],
  maxpool: ['pool', 'strides', 'name', 'inputs'],
  flatten: ['name', 'inputs'],
  add: ['inputs', 'name'],
  globalavgpool: ['name', 'inputs'],
  avgpool: ['pool', 'strides', 'name', 'inputs'],
};

interface FieldDoc {
  /** what the field must be */
  expect: string;
  /** what each element must be (array fields) */
  element?: string;
  hint?: string;
}

const PAIR: FieldDoc = { expect: 'two positive integers [rows, columns]', element: 'a positive integer', hint: 'for example [2, 2]' };
const PER_CHANNEL: FieldDoc = { expect: 'an array of numbers, one per channel', element: 'a finite number', hint: 'one value per channel (the last axis of the layer input)' };
const SCALAR_OR_PER_CHANNEL: FieldDoc = { expect: 'a number or an array of numbers, one per channel', element: 'a finite number', hint: 'a single number applies to every channel' };

/** Field documentation by context ('model', 'input', 'input type', 'fixed-point type' or a layer type) and name. */
function fieldDoc(ctx: string, field: string): FieldDoc {
  if (ctx === 'quant' || ctx === 'multithreshold') {
    const activation: Record<string, FieldDoc> = {
      bits: { expect: 'an integer from 2 to 8', hint: 'the width of the activation codes; 1-bit activations are "sign" layers' },
      signed: { expect: 'true or false', hint: 'signed codes run from -2^(bits-1), unsigned ones from 0' },
      narrow: { expect: 'true or false', hint: 'narrow drops the lowest signed (or the highest unsigned) code, as QONNX narrow_range' },
      scale: { expect: 'a positive number', hint: 'the step between codes: value = scale * code, for example 0.25' },
      thresholds: { expect: 'an array of rows, each a non-empty array of at most 255 numbers', element: 'an array of 1 to 255 finite numbers', hint: 'one row per channel, or a single row for all channels: [[-1.5, 0, 1.5]]' },
      outScale: { expect: 'a positive number', hint: 'value = outScale * count + outBias, for example 1' },
      outBias: { expect: 'a finite number', hint: 'value = outScale * count + outBias, for example 0' },
    };
    if (activation[field]) return activation[field];
  }
  const docs: Record<string, FieldDoc> = {
    format: { expect: `the string "${FORMAT_TAG}"`, hint: `set "format": "${FORMAT_TAG}"` },
    name: { expect: `a plain identifier (a string such as "${ctx === 'model' ? 'tfc' : 'fc0'}")`, hint: `letters, digits and _, starting with a letter, at most ${MAX_NAME_LENGTH} characters` },
    description: { expect: 'a string', hint: 'free text' },
    $schema: { expect: 'a string (the URL or path of the JSON Schema)', hint: 'the schema is printed by `bnn-hw schema`' },
    input: { expect: 'an object {"shape": [...], "type": ...}', hint: 'for example {"shape": [784], "type": "uint8"}' },
    layers: { expect: 'a non-empty array of layers', hint: 'for example [{"type": "dense", "units": 10, "weights": [...]}]' },
    output: { expect: '"argmax" or "scores"', hint: '"argmax" outputs the class index, "scores" the values of the last layer' },
    shape: { expect: 'an array of 1 or 3 positive integers ([N] or [H, W, C])', element: 'a positive integer', hint: 'use [N] for vectors and [H, W, C] for images' },
    type: { expect: INPUT_TYPES, hint: 'for 8-bit pixels use "uint8"' },
    fixed: { expect: 'an object {"bits": K, "frac": F}', hint: 'for example {"fixed": {"bits": 8, "frac": 7}}' },
    bits: { expect: 'an integer from 2 to 32', hint: 'the total width of the fixed-point number, sign included' },
    frac: { expect: 'an integer from 0 to 32', hint: 'the number of fraction bits: values are multiples of 2^-frac' },
    units: { expect: 'a positive integer', hint: 'the number of outputs of the dense layer, for example 64' },
    filters: { expect: 'a positive integer', hint: 'the number of output channels, for example 64' },
    kernel: { ...PAIR, expect: 'two positive integers [height, width]', hint: 'for example [3, 3]' },
    strides: PAIR,
    pool: { ...PAIR, expect: 'two positive integers [height, width]' },
    padding: { expect: '"valid", "same" or four non-negative integers [top, bottom, left, right]', element: 'a non-negative integer', hint: '"same" keeps the image size at stride 1' },
    padValue: { expect: '-1, 1 or 0', hint: 'the value of the border: -1 or +1 (binary), or 0 for true zero padding' },
    weights: { expect: 'nested arrays of numbers or {"shape": [...], "packed": "<base64>"}', hint: 'the weights of the layer, binarised by sign' },
    bias: ctx === 'affine' ? SCALAR_OR_PER_CHANNEL : { expect: 'an array of numbers, one per output', element: 'a finite number', hint: 'one value per unit (dense) or filter (conv2d)' },
    gamma: PER_CHANNEL,
    beta: PER_CHANNEL,
    mean: PER_CHANNEL,
    variance: { ...PER_CHANNEL, element: 'a finite number >= 0' },
    epsilon: { expect: 'a positive number', hint: 'typical values are 1e-5 or 1e-3' },
    scale: SCALAR_OR_PER_CHANNEL,
    inputs: { expect: ctx === 'add' ? 'two layer names' : 'an array of one layer name', element: 'a layer name (or "input")', hint: 'the layers it reads, for example ["conv1", "input"]; without "inputs" a layer reads the layer before it' },
  };
  return docs[field] ?? { expect: 'a valid value', hint: SCHEMA_HINT };
}

/** Edit distance (for "did you mean" hints). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
      prev = cur;
    }
  }
  return d[b.length]!;
}

function closest(word: string, options: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const o of options) {
    const dd = distance(word, o);
    if (dd < bestD) {
      bestD = dd;
      best = o;
    }
  }
  return best !== null && bestD <= Math.max(1, Math.floor(word.length / 3)) ? best : null;
}

const quoteList = (xs: readonly string[]) => xs.map((x) => `'${x}'`).join(', ');

export function loadModelFile(path: string): Model {
  const text = readInputText(path, 'model');
  try {
    return loadModelText(text);
  } catch (e) {
    if (e instanceof DiagnosticError) for (const d of e.diagnostics) d.file ??= path;
    throw e;
  }
}

export function loadModelText(text: string): Model {
  return loadModelValue(parseJson(text, 'model file'));
}

function typeName(v: unknown): string {
  return Array.isArray(v) ? 'an array' : describeValue(v);
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v = raw;
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

/** How a layer is called in messages before its name is validated: its type and name (or default name). */
function layerWhat(raw: Record<string, unknown>, i: number): string {
  const l = (raw['layers'] as Record<string, unknown>[])[i] ?? {};
  const type = String(l['type']);
  const name = typeof l['name'] === 'string' && l['name'] !== '' ? l['name'] : `l${i}_${type}`;
  return `${type} layer ${JSON.stringify(name)}`;
}

/** The object an issue path points into: its description, its context key (for FIELDS / fieldDoc) and the rest of the path. */
function locate(raw: Record<string, unknown>, path: readonly PropertyKey[]): { where: string; ctx: string; rest: PropertyKey[] } {
  if (path[0] === 'layers' && typeof path[1] === 'number') {
    const type = String(((raw['layers'] as Record<string, unknown>[])[path[1]] ?? {})['type']);
    return { where: layerWhat(raw, path[1]), ctx: type, rest: path.slice(2) };
  }
  if (path[0] === 'input' && path.length > 1) {
    if (path[1] === 'type' && path[2] === 'fixed' && path.length > 3) return { where: 'the fixed-point input type', ctx: 'fixed-point type', rest: path.slice(3) };
    if (path[1] === 'type' && path.length > 2) return { where: 'the input type', ctx: 'input type', rest: path.slice(2) };
    return { where: 'the input', ctx: 'input', rest: path.slice(1) };
  }
  return { where: 'the model', ctx: 'model', rest: [...path] };
}

function containerOf(raw: Record<string, unknown>, path: readonly PropertyKey[]): { where: string; ctx: string } {
  if (path.length === 0) return { where: 'the model', ctx: 'model' };
  if (path[0] === 'layers' && typeof path[1] === 'number' && path.length === 2) {
    const type = String(((raw['layers'] as Record<string, unknown>[])[path[1]] ?? {})['type']);
    return { where: layerWhat(raw, path[1]), ctx: type };
  }
  if (path[0] === 'input' && path.length === 1) return { where: 'the input', ctx: 'input' };
  if (path[0] === 'input' && path[1] === 'type' && path.length === 2) return { where: 'the input type', ctx: 'input type' };
  if (path[0] === 'input' && path[1] === 'type' && path[2] === 'fixed') return { where: 'the fixed-point input type', ctx: 'fixed-point type' };
  return { where: pointerJoin('', ...(path as (string | number)[])), ctx: '' };
}

function nameDiagnostic(name: string, ptr: string, what: string): Diagnostic | null {
  const problem = identifierProblem(name);
  if (!problem) return null;
  return diag('BNN050', ptr, `${what} ${JSON.stringify(name)} is not allowed: expected a plain identifier, but ${problem}`, `names must be plain ASCII identifiers (a letter, then letters, digits and _; at most ${MAX_NAME_LENGTH} characters; not a Verilog keyword; not starting with bnn_), for example "${suggestIdentifier(name)}"`);
}

function issueToDiagnostic(iss: z.core.$ZodIssue, raw: Record<string, unknown>): Diagnostic[] {
  const path = iss.path as (string | number)[];
  const ptr = pointerJoin('', ...path);
  if (iss.code === 'unrecognized_keys') {
    const { where, ctx } = containerOf(raw, path);
    const allowed = FIELDS[ctx] ?? [];
    return iss.keys.map((key) => {
      const near = closest(key, allowed);
      let hint = near ? `did you mean '${near}'?` : 'remove it, or check its spelling';
      if (/^activation$/i.test(key) && (ctx === 'dense' || ctx === 'conv2d')) hint = 'activations are layers of their own: add {"type": "sign"} after this layer';
      return diag('BNN012', pointerJoin(ptr, key), `unknown field '${key}' in ${where}, expected one of ${quoteList(allowed)}`, hint);
    });
  }
  const { where, ctx, rest } = locate(raw, path);
  const value = valueAt(raw, path);
  const field = String(rest[0] ?? path[path.length - 1] ?? 'model');
  const doc = fieldDoc(ctx, field);
  if (field === 'name' && rest.length === 1 && typeof value === 'string') {
    const d = nameDiagnostic(value, ptr, ctx === 'model' ? 'model name' : 'layer name');
    if (d) return [d];
  }
  if (value === undefined) {
    return [diag('BNN010', ptr, `missing required field '${field}' in ${where}, expected ${doc.expect}`, doc.hint ?? SCHEMA_HINT)];
  }
  const code = iss.code === 'invalid_type' ? 'BNN011' : 'BNN014';
  const numericString = typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value));
  const hint = numericString ? 'write numbers without quotes' : (doc.hint ?? SCHEMA_HINT);
  if (rest.length >= 3 && rest.slice(1).every((k) => typeof k === 'number')) {
    // an element of a nested array (multithreshold thresholds)
    return [diag(code, ptr, `element ${rest.slice(1).map((k) => `[${String(k)}]`).join('')} of '${field}' in ${where} must be a finite number, found ${describeValue(value)}`, hint)];
  }
  if (rest.length >= 2 && typeof rest[1] === 'number') {
    const expect = doc.element ?? 'a valid value';
    return [diag(code, ptr, `element ${rest[1]} of '${field}' in ${where} must be ${expect}, found ${describeValue(value)}`, hint)];
  }
  return [diag(code, ptr, `'${field}' in ${where} must be ${doc.expect}, found ${describeValue(value)}`, hint)];
}

function zodToDiagnostics(issues: z.core.$ZodIssue[], raw: Record<string, unknown>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  // a misspelt field is reported once, as unknown with a "did you mean", not also as missing
  const misspelt = new Set<string>();
  for (const iss of issues) {
    if (iss.code !== 'unrecognized_keys') continue;
    const allowed = FIELDS[containerOf(raw, iss.path as (string | number)[]).ctx] ?? [];
    for (const k of iss.keys) {
      const near = closest(k, allowed);
      if (near) misspelt.add(pointerJoin('', ...(iss.path as (string | number)[]), near));
    }
  }
  for (const iss of issues) {
    for (const d of issueToDiagnostic(iss, raw)) {
      const key = `${d.code} ${d.pointer}`;
      if (d.code === 'BNN010' && misspelt.has(d.pointer)) continue;
      if (!seen.has(key)) out.push(d);
      seen.add(key);
    }
  }
  return out;
}

export function loadModelValue(value: unknown): Model {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail('BNN002', '', `the model must be a JSON object, found ${typeName(value)}`, `start from {"format": "${FORMAT_TAG}", ...}`);
  }
  const raw = value as Record<string, unknown>;
  if (raw['format'] !== FORMAT_TAG) {
    const found = raw['format'] === undefined ? 'no "format" field' : `"format": ${describeValue(raw['format'])}`;
    const other = typeof raw['format'] === 'string' && raw['format'].startsWith('bnn-hw/model@');
    fail('BNN002', '/format', `not a bnn-hw model: expected "format": "${FORMAT_TAG}", found ${found}`, other ? `this version of bnn-hw reads ${FORMAT_TAG} only` : `set "format": "${FORMAT_TAG}"`);
  }
  if (Array.isArray(raw['layers'])) {
    (raw['layers'] as unknown[]).forEach((l, i) => {
      if (l === null || typeof l !== 'object' || Array.isArray(l)) {
        fail('BNN011', `/layers/${i}`, `layer ${i} must be an object with a "type", found ${describeValue(l)}`, `for example {"type": "sign"}; types: ${LAYER_TYPES.join(', ')}`);
      }
      const t = (l as Record<string, unknown>)['type'];
      if (t === undefined) fail('BNN010', `/layers/${i}/type`, `missing required field 'type' in layer ${i}, expected one of ${LAYER_TYPES.join(', ')}`, `for example {"type": "sign"}`);
      if (!LAYER_TYPES.includes(t as never)) {
        const near = typeof t === 'string' ? closest(t, LAYER_TYPES) : null;
        const activation = typeof t === 'string' && /^(h?tanh|relu\d*|sigmoid|hardtanh|activation|binary_?act\w*|sign_?act\w*|quant\w*)$/i.test(t);
        const hint = near ? `did you mean "${near}"?` : activation ? 'activations are "sign", "quant" (k-bit) or "multithreshold" layers' : `a layer type is one of ${LAYER_TYPES.join(', ')}`;
        fail('BNN013', `/layers/${i}/type`, `unknown layer type ${describeValue(t)}, expected one of ${LAYER_TYPES.join(', ')}`, hint);
      }
    });
  }
  const parsed = ModelStructure.safeParse(raw);
  if (!parsed.success) throw new DiagnosticError(zodToDiagnostics(parsed.error.issues, raw));
  return normalise(parsed.data);
}

function checkName(name: string, ptr: string, what: string): void {
  const d = nameDiagnostic(name, ptr, what);
  if (d) throw new DiagnosticError(d);
}

function parseInputType(t: RawModel['input']['type']): InputType {
  if (typeof t === 'object') return { kind: 'fixed', bits: t.fixed.bits, frac: t.fixed.frac };
  if (t === 'bipolar') return { kind: 'bipolar' };
  const m = /^(u?int)(\d+)$/.exec(t)!;
  return { kind: m[1] === 'uint' ? 'uint' : 'int', bits: Number(m[2]) };
}

const shapeText = (s: Shape) => `[${s.join(', ')}]`;

/** `per`: what one value stands for, e.g. 'channel of its input [4, 4, 3]' or 'unit'. */
function perChannel(v: number[] | number, c: number, ptr: string, what: string, field: string, per: string): Float64Array {
  if (typeof v === 'number') return new Float64Array(c).fill(v);
  if (v.length !== c) {
    fail('BNN031', ptr, `${what}: '${field}' has ${v.length} value${v.length === 1 ? '' : 's'}, expected ${c} (one per ${per})`, `give exactly ${c} value${c === 1 ? '' : 's'}`);
  }
  return Float64Array.from(v);
}

function samePad(size: number, k: number, s: number): [number, number] {
  const total = Math.max((Math.ceil(size / s) - 1) * s + k - size, 0);
  const first = Math.floor(total / 2);
  return [first, total - first];
}

function normalise(m: RawModel): Model {
  checkName(m.name, '/name', 'model name');
  const reserved = modelNameProblem(m.name);
  if (reserved) fail('BNN015', '/name', `model name ${JSON.stringify(m.name)} is not allowed: expected a name other than bnn and not starting with bnn_ in any letter case, but ${reserved}`, `the prefix bnn_ belongs to the library modules (rtl/bnn_*.v); rename the model, for example "${suggestIdentifier(m.name)}"`);
  const input: Model['input'] = { shape: m.input.shape, type: parseInputType(m.input.type) };
  if (m.input.shape.length === 2) {
    fail('BNN030', '/input/shape', `input shape ${shapeText(m.input.shape)} has 2 axes, expected 1 ([N]) or 3 ([H, W, C])`, 'use [N] for vectors and [H, W, C] for images ([H, W, 1] for one channel)');
  }
  checkSize(m.input.shape, '/input/shape', 'input');
  const layers: Layer[] = [];
  const names = new Map<string, number>();
  /** lower-cased names: file names made from them must differ on case-insensitive file systems too */
  const folded = new Map<string, number>();
  const allNames = m.layers.map((rl, i) => rl.name ?? `l${i}_${rl.type}`);
  /** shape and code domain (null: real values) of every tensor so far */
  const shapes = new Map<string, Shape>([[INPUT, m.input.shape]]);
  const domains = new CodeDomains(input.type);
  /** weight bits of the layers so far (the limit is on the whole model) */
  let weightBits = 0;
  m.layers.forEach((rl, i) => {
    const ptr = `/layers/${i}`;
    const name = allNames[i]!;
    if (rl.name !== undefined) checkName(rl.name, `${ptr}/name`, 'layer name');
    const first = names.get(name);
    if (first !== undefined) {
      const how = m.layers[first]!.name === undefined ? ' (its default name)' : '';
      fail('BNN051', `${ptr}/name`, `layer name "${name}" is already used by layer ${first}${how} at /layers/${first}: expected unique layer names`, 'give every layer a unique name');
    }
    const twin = folded.get(name.toLowerCase());
    if (twin !== undefined) {
      const other = m.layers[twin]!.name ?? `l${twin}_${m.layers[twin]!.type}`;
      const how = m.layers[twin]!.name === undefined ? ' (its default name)' : '';
      const files = [other, name].map((n) => rtlFile(unitModule(m.name, layerUnit(n)))).join(' and ');
      fail('BNN016', `${ptr}/name`, `layer name "${name}" differs from "${other}" of layer ${twin}${how} at /layers/${twin} only in letter case: expected layer names that differ also when case is ignored`, `${files} would be the same file on case-insensitive file systems (Windows, macOS); rename one of the layers`);
    }
    names.set(name, i);
    folded.set(name.toLowerCase(), i);
    const inputs = resolveInputs(m.layers, allNames, i);
    const inShapes = inputs.map((n) => shapes.get(n)!);
    if (rl.type === 'add') checkAddShapes(name, ptr, inputs, inShapes);
    const bare = normaliseLayer(rl, name, ptr, inShapes[0]!, i === firstLinearIndex(m.layers) ? input.type : null, weightBits);
    const layer = { ...bare, inputs } as Layer;
    if (layer.type === 'dense' || layer.type === 'conv2d') weightBits += layer.weights.length;
    checkSize(layer.outShape, ptr, `output of ${rl.type} layer "${name}"`);
    const inDomain = domains.get(inputs[0]!);
    if (layer.type === 'conv2d' && inDomain) checkPadCode(layer, inDomain, rl.type === 'conv2d' && rl.padValue !== undefined);
    checkExact(layer, inDomain, domains.add(layer));
    layers.push(layer);
    shapes.set(name, layer.outShape);
  });
  checkAllRead(layers);
  return { name: m.name, ...(m.description !== undefined ? { description: m.description } : {}), input, layers, output: m.output };
}

/** A convolution over codes pads with the code of its pad value: that code must exist. */
function checkPadCode(l: Extract<Bare, { type: 'conv2d' }>, d: { scale: number; offset: number }, explicit: boolean): void {
  const { top, bottom, left, right } = l.pad;
  if (top + bottom + left + right === 0 || padCodeOf(l.padValue, d.scale, d.offset) !== null) return;
  const ok = ([-1, 0, 1] as const).filter((v) => padCodeOf(v, d.scale, d.offset) !== null);
  const code = (l.padValue - d.offset) / d.scale;
  const form = `${d.scale} * c${d.offset === 0 ? '' : d.offset < 0 ? ` - ${-d.offset}` : ` + ${d.offset}`}`;
  fail(
    'BNN027', `${l.ptr}/${explicit ? 'padValue' : 'padding'}`,
    `conv2d layer "${l.name}": its input holds codes c with values ${form}, and the pad value ${l.padValue}${explicit ? '' : ' (the default)'} is no such value (c would be ${code}): expected a pad value that is ${form} for an integer c`,
    ok.length > 0 ? `set "padValue" to ${ok.join(' or ')}, or use "valid" padding` : 'use "valid" padding, or change the scale / offset of the activation before this layer',
  );
}

function firstLinearIndex(layers: RawLayer[]): number {
  return layers.findIndex((l) => l.type === 'dense' || l.type === 'conv2d');
}

function checkSize(shape: Shape, ptr: string, what: string): void {
  if (shape.some((d) => d > MAX_DIM) || prod(shape) > MAX_ELEMENTS) {
    fail('BNN060', ptr, `${what} shape ${shapeText(shape)} is too large: expected at most ${MAX_DIM} per axis and ${MAX_ELEMENTS} elements in all`, 'check the sizes; a binarised network of this size cannot be compiled');
  }
}

/** Units / filters beyond the axis limit are refused before anything is sized by them. */
function checkCount(n: number, ptr: string, what: string, field: string): void {
  if (n > MAX_DIM) fail('BNN060', ptr, `${what}: '${field}' is ${n}, expected at most ${MAX_DIM}`, 'check the layer size');
}

/** Raw inputs reach the first linear layer unbinarised: its accumulator must stay exact in float64. */
function checkExactRange(fanIn: number, raw: InputType | null, ptr: string, what: string): void {
  if (raw === null) return;
  const r = inputRange(raw);
  const maxCode = Math.max(-r.min, r.max);
  if (fanIn * maxCode >= 2 ** 53) {
    fail('BNN060', ptr, `${what}: fan-in ${fanIn} x input magnitude ${maxCode} is ${fanIn * maxCode}, expected below 2^53 (exact in float64)`, 'use a narrower input type');
  }
}

/** A layer before its `inputs` are attached. */
type Bare = Layer extends infer L ? (L extends Layer ? Omit<L, 'inputs'> : never) : never;

function normaliseLayer(rl: RawLayer, name: string, ptr: string, inShape: Shape, firstRaw: InputType | null, weightBits: number): Bare {
  const what = `${rl.type} layer "${name}"`;
  const c = inShape[inShape.length - 1]!;
  const need3d = () => {
    if (inShape.length !== 3) fail('BNN030', ptr, `${what} needs an [H, W, C] input, found ${shapeText(inShape)}`, 'conv2d and maxpool work on images: give the input shape as [H, W, C]');
  };
  const inDesc = `channel of its input ${shapeText(inShape)}`;
  switch (rl.type) {
    case 'dense': {
      if (inShape.length !== 1) fail('BNN030', ptr, `${what} needs a 1-D input, found ${shapeText(inShape)}`, 'add a flatten layer before it');
      checkCount(rl.units, `${ptr}/units`, what, 'units');
      const fanIn = inShape[0]!;
      checkExactRange(fanIn, firstRaw, ptr, what);
      const weights = decodeWeights(rl.weights, [rl.units, fanIn], `${ptr}/weights`, what, ['units', 'fan-in'], weightBits);
      const bias = rl.bias === undefined ? null : perChannel(rl.bias, rl.units, `${ptr}/bias`, what, 'bias', 'unit');
      return { type: 'dense', name, ptr, inShape, outShape: [rl.units], units: rl.units, fanIn, weights, bias };
    }
    case 'conv2d': {
      need3d();
      checkCount(rl.filters, `${ptr}/filters`, what, 'filters');
      const [h, w] = inShape as [number, number, number];
      const [kh, kw] = rl.kernel;
      const [sh, sw] = rl.strides ?? [1, 1];
      let pad: Pad;
      if (rl.padding === undefined || rl.padding === 'valid') pad = { top: 0, bottom: 0, left: 0, right: 0 };
      else if (rl.padding === 'same') {
        const [top, bottom] = samePad(h, kh, sh);
        const [left, right] = samePad(w, kw, sw);
        pad = { top, bottom, left, right };
      } else pad = { top: rl.padding[0], bottom: rl.padding[1], left: rl.padding[2], right: rl.padding[3] };
      // padding at least as large as the kernel is allowed: such windows hold only padding values
      const padMax = Math.max(pad.top, pad.bottom, pad.left, pad.right);
      if (padMax > MAX_DIM) {
        fail('BNN060', `${ptr}/padding`, `${what}: padding [${pad.top}, ${pad.bottom}, ${pad.left}, ${pad.right}] (top, bottom, left, right) is too large: expected at most ${MAX_DIM} on each side, found ${padMax}`, 'check the padding; a border wider than the largest image axis only adds windows of padding');
      }
      const oh = Math.floor((h + pad.top + pad.bottom - kh) / sh) + 1;
      const ow = Math.floor((w + pad.left + pad.right - kw) / sw) + 1;
      if (h + pad.top + pad.bottom < kh || w + pad.left + pad.right < kw) {
        fail('BNN030', `${ptr}/kernel`, `${what}: kernel [${kh}, ${kw}] does not fit its padded input (${h + pad.top + pad.bottom} x ${w + pad.left + pad.right} from ${shapeText(inShape)}): expected at most [${h + pad.top + pad.bottom}, ${w + pad.left + pad.right}]`, 'use a smaller kernel, or pad the input');
      }
      checkExactRange(kh * kw * c, firstRaw, ptr, what);
      const weights = decodeWeights(rl.weights, [rl.filters, kh, kw, c], `${ptr}/weights`, what, ['filters', 'kernel rows', 'kernel columns', 'input channels'], weightBits);
      const bias = rl.bias === undefined ? null : perChannel(rl.bias, rl.filters, `${ptr}/bias`, what, 'bias', 'filter');
      return {
        type: 'conv2d', name, ptr, inShape, outShape: [oh, ow, rl.filters], filters: rl.filters, kernel: [kh, kw], strides: [sh, sw],
        pad, padValue: rl.padValue ?? -1, weights, bias,
      };
    }
    case 'batchnorm': {
      if (!(rl.epsilon > 0)) fail('BNN024', `${ptr}/epsilon`, `${what}: epsilon must be > 0, found ${rl.epsilon}`, 'typical values are 1e-5 or 1e-3');
      const variance = perChannel(rl.variance, c, `${ptr}/variance`, what, 'variance', inDesc);
      const bad = variance.findIndex((v) => v < 0);
      if (bad >= 0) fail('BNN023', `${ptr}/variance/${bad}`, `${what}: variance of channel ${bad} must be >= 0, found ${variance[bad]}`, 'a variance is a mean of squares and cannot be negative; check that the running variance (not the standard deviation or its log) was exported');
      return {
        type: 'batchnorm', name, ptr, inShape, outShape: inShape, epsilon: rl.epsilon, variance,
        gamma: perChannel(rl.gamma, c, `${ptr}/gamma`, what, 'gamma', inDesc),
        beta: perChannel(rl.beta, c, `${ptr}/beta`, what, 'beta', inDesc),
        mean: perChannel(rl.mean, c, `${ptr}/mean`, what, 'mean', inDesc),
      };
    }
    case 'affine':
      return {
        type: 'affine', name, ptr, inShape, outShape: inShape,
        scale: perChannel(rl.scale, c, `${ptr}/scale`, what, 'scale', inDesc),
        bias: perChannel(rl.bias, c, `${ptr}/bias`, what, 'bias', inDesc),
      };
    case 'sign':
      return { type: 'sign', name, ptr, inShape, outShape: inShape };
    case 'quant':
      return { type: 'quant', name, ptr, inShape, outShape: inShape, bits: rl.bits, signed: rl.signed, narrow: rl.narrow ?? false, scale: rl.scale };
    case 'multithreshold':
      return multithreshold(rl, name, ptr, inShape, what, c);
    case 'maxpool': {
      need3d();
      const [h, w] = inShape as [number, number, number];
      const [ph, pw] = rl.pool;
      const [sh, sw] = rl.strides ?? rl.pool;
      if (ph > h || pw > w) fail('BNN030', `${ptr}/pool`, `${what}: pool [${ph}, ${pw}] does not fit its input ${shapeText(inShape)}: expected at most [${h}, ${w}]`, 'use a smaller pool, or pool earlier in the network');
      return { type: 'maxpool', name, ptr, inShape, outShape: poolOutShape(inShape, [ph, pw], [sh, sw]), pool: [ph, pw], strides: [sh, sw] };
    }
    case 'flatten':
      return { type: 'flatten', name, ptr, inShape, outShape: [prod(inShape)] };
    case 'add':
      return { type: 'add', name, ptr, inShape, outShape: inShape };
    case 'globalavgpool':
      need3d();
      return { type: 'globalavgpool', name, ptr, inShape, outShape: [c] };
    case 'avgpool': {
      need3d();
      const [h, w] = inShape as [number, number, number];
      const [ph, pw] = rl.pool;
      const [sh, sw] = rl.strides ?? rl.pool;
      if (ph > h || pw > w) fail('BNN030', `${ptr}/pool`, `${what}: pool [${ph}, ${pw}] does not fit its input ${shapeText(inShape)}: expected at most [${h}, ${w}]`, 'use a smaller pool, or pool earlier in the network');
      return { type: 'avgpool', name, ptr, inShape, outShape: poolOutShape(inShape, [ph, pw], [sh, sw]), pool: [ph, pw], strides: [sh, sw] };
    }
  }
}

function multithreshold(rl: Extract<RawLayer, { type: 'multithreshold' }>, name: string, ptr: string, inShape: Shape, what: string, c: number): Bare {
  const rows = rl.thresholds.length;
  if (rows !== 1 && rows !== c) {
    fail('BNN031', `${ptr}/thresholds`, `${what}: 'thresholds' has ${rows} rows, expected 1 (for every channel) or ${c} (one per channel of its input ${shapeText(inShape)})`, `give one row for all channels or exactly ${c} rows`);
  }
  const n = rl.thresholds[0]!.length;
  const t = new Float64Array(rows * n);
  rl.thresholds.forEach((row, r) => {
    if (row.length !== n) fail('BNN031', `${ptr}/thresholds/${r}`, `${what}: row ${r} of 'thresholds' has ${row.length} value${row.length === 1 ? '' : 's'}, expected ${n} like row 0`, 'every row holds the same number of thresholds (codes 0..n)');
    row.forEach((v, k) => {
      if (k > 0 && v < row[k - 1]!) {
        fail('BNN026', `${ptr}/thresholds/${r}/${k}`, `${what}: thresholds of row ${r} must be non-decreasing, found ${row[k - 1]} then ${v} at positions ${k - 1} and ${k}`, 'sort each row in ascending order: the code is the number of thresholds x reaches');
      }
      t[r * n + k] = v;
    });
  });
  return { type: 'multithreshold', name, ptr, inShape, outShape: inShape, thresholds: t, rows, n, outScale: rl.outScale, outBias: rl.outBias };
}
