/**
 * load: model.json text -> validated, normalised Model (see ir/model.ts).
 * Order of checks: JSON syntax -> format tag -> layer types -> structure (zod) -> names -> shapes and
 * parameters layer by layer (weights decoded last, after their declared size is known to be sane).
 */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { type Diagnostic, DiagnosticError, diag, fail, pointerJoin } from '../diagnostics/diagnostic.js';
import { FORMAT_TAG, LAYER_TYPES, ModelStructure, type RawLayer, type RawModel } from './schema.js';
import { parseJson } from './json.js';
import { decodeWeights } from './weights.js';
import { identifierProblem, suggestIdentifier } from '../util/names.js';
import type { InputType, Layer, Model, Pad, Shape } from '../ir/model.js';
import { inputRange, prod } from '../ir/model.js';

export const MAX_DIM = 65536;
export const MAX_ELEMENTS = 2 ** 26;

const FIELDS: Record<string, string> = {
  dense: 'units, weights, bias, name',
  conv2d: 'filters, kernel, strides, padding, padValue, weights, bias, name',
  batchnorm: 'gamma, beta, mean, variance, epsilon, name',
  affine: 'scale, bias, name',
  sign: 'name',
  maxpool: 'pool, strides, name',
  flatten: 'name',
};

export function loadModelFile(path: string): Model {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail('BNN002', '', `cannot read model file '${path}'${code ? ` (${code})` : ''}`, 'check the path');
  }
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
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function zodToDiagnostics(issues: z.core.$ZodIssue[], raw: Record<string, unknown>): Diagnostic[] {
  return issues.map((iss) => {
    const ptr = pointerJoin('', ...(iss.path as (string | number)[]));
    const last = iss.path[iss.path.length - 1];
    const layer = iss.path[0] === 'layers' && typeof iss.path[1] === 'number' ? ((raw['layers'] as Record<string, unknown>[])[iss.path[1]] ?? {}) : null;
    const where = layer ? `${String(layer['type'])} layer` : 'model';
    if (iss.code === 'unrecognized_keys') {
      const key = iss.keys[0]!;
      const allowed = layer ? FIELDS[String(layer['type'])] : 'format, name, description, input, layers, output';
      return diag('BNN012', pointerJoin(ptr, key), `unknown field '${key}' in ${where}`, `allowed fields: ${allowed}`);
    }
    if (iss.code === 'invalid_type') {
      let v: unknown = raw;
      for (const k of iss.path) v = v === undefined || v === null ? undefined : (v as Record<string | number, unknown>)[k as string | number];
      if (v === undefined) return diag('BNN010', ptr, `missing required field '${String(last)}' in ${where}`);
      return diag('BNN011', ptr, `'${String(last)}' in ${where} must be of type ${iss.expected}, found ${typeName(v)}`);
    }
    return diag('BNN014', ptr, `invalid value for '${String(last ?? 'model')}' in ${where}: ${iss.message}`);
  });
}

export function loadModelValue(value: unknown): Model {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail('BNN002', '', `the model must be a JSON object, found ${typeName(value)}`, `start from {"format": "${FORMAT_TAG}", ...}`);
  }
  const raw = value as Record<string, unknown>;
  if (raw['format'] !== FORMAT_TAG) {
    const found = raw['format'] === undefined ? 'no "format" field' : `format ${JSON.stringify(raw['format'])}`;
    fail('BNN002', '/format', `not a bnn-hw model: ${found}`, `set "format": "${FORMAT_TAG}"`);
  }
  if (Array.isArray(raw['layers'])) {
    (raw['layers'] as unknown[]).forEach((l, i) => {
      const t = l !== null && typeof l === 'object' ? (l as Record<string, unknown>)['type'] : undefined;
      if (t === undefined) fail('BNN010', `/layers/${i}`, `layer ${i} has no 'type'`, `one of: ${LAYER_TYPES.join(', ')}`);
      if (!LAYER_TYPES.includes(t as never)) {
        fail('BNN013', `/layers/${i}/type`, `unknown layer type ${JSON.stringify(t)}`, `one of: ${LAYER_TYPES.join(', ')}`);
      }
    });
  }
  const parsed = ModelStructure.safeParse(raw);
  if (!parsed.success) throw new DiagnosticError(zodToDiagnostics(parsed.error.issues, raw));
  return normalise(parsed.data);
}

function checkName(name: string, ptr: string, what: string): void {
  const problem = identifierProblem(name);
  if (problem) fail('BNN050', ptr, `${what} ${JSON.stringify(name)} is not allowed: ${problem}`, `use a plain identifier such as "${suggestIdentifier(name)}"`);
}

function parseInputType(t: RawModel['input']['type']): InputType {
  if (typeof t === 'object') return { kind: 'fixed', bits: t.fixed.bits, frac: t.fixed.frac };
  if (t === 'bipolar') return { kind: 'bipolar' };
  const m = /^(u?int)(\d+)$/.exec(t)!;
  return { kind: m[1] === 'uint' ? 'uint' : 'int', bits: Number(m[2]) };
}

const shapeText = (s: Shape) => `[${s.join(', ')}]`;

function perChannel(v: number[] | number, c: number, ptr: string, what: string, field: string): Float64Array {
  if (typeof v === 'number') return new Float64Array(c).fill(v);
  if (v.length !== c) {
    fail('BNN031', ptr, `${what}: '${field}' has ${v.length} values but the input has ${c} channels`, 'one value per channel (the last axis)');
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
  const input: Model['input'] = { shape: m.input.shape, type: parseInputType(m.input.type) };
  if (input.type.kind === 'fixed' && input.type.frac > 52) fail('BNN014', '/input/type/fixed/frac', 'fixed-point frac must be at most 52');
  if (m.input.shape.length === 2) {
    fail('BNN030', '/input/shape', `input shape ${shapeText(m.input.shape)} has two axes`, 'use [N] for vectors or [H, W, C] for images');
  }
  checkSize(m.input.shape, '/input/shape', 'input');
  const layers: Layer[] = [];
  const names = new Set<string>();
  let shape: Shape = m.input.shape;
  m.layers.forEach((rl, i) => {
    const ptr = `/layers/${i}`;
    const name = rl.name ?? `l${i}_${rl.type}`;
    if (rl.name !== undefined) checkName(rl.name, `${ptr}/name`, 'layer name');
    if (names.has(name)) fail('BNN051', `${ptr}/name`, `layer name "${name}" is used twice`, 'layer names must be unique');
    names.add(name);
    const layer = normaliseLayer(rl, name, ptr, shape, i === firstLinearIndex(m.layers) ? input.type : null);
    checkSize(layer.outShape, ptr, `output of ${rl.type} layer "${name}"`);
    layers.push(layer);
    shape = layer.outShape;
  });
  return { name: m.name, ...(m.description !== undefined ? { description: m.description } : {}), input, layers, output: m.output };
}

function firstLinearIndex(layers: RawLayer[]): number {
  return layers.findIndex((l) => l.type === 'dense' || l.type === 'conv2d');
}

function checkSize(shape: Shape, ptr: string, what: string): void {
  if (shape.some((d) => d > MAX_DIM) || prod(shape) > MAX_ELEMENTS) {
    fail('BNN060', ptr, `${what} shape ${shapeText(shape)} is too large (limit ${MAX_DIM} per axis, ${MAX_ELEMENTS} elements)`);
  }
}

/** Raw inputs reach the first linear layer unbinarised: its accumulator must stay exact in float64. */
function checkExactRange(fanIn: number, raw: InputType | null, ptr: string, what: string): void {
  if (raw === null) return;
  const r = inputRange(raw);
  const maxCode = Math.max(-r.min, r.max);
  if (fanIn * maxCode >= 2 ** 53) {
    fail('BNN060', ptr, `${what}: fan-in ${fanIn} x input magnitude ${maxCode} exceeds exact float64 range`, 'use a narrower input type');
  }
}

function normaliseLayer(rl: RawLayer, name: string, ptr: string, inShape: Shape, firstRaw: InputType | null): Layer {
  const what = `${rl.type} layer "${name}"`;
  const c = inShape[inShape.length - 1]!;
  const need3d = () => {
    if (inShape.length !== 3) fail('BNN030', ptr, `${what} needs an [H, W, C] input, found ${shapeText(inShape)}`, 'conv2d and maxpool work on images');
  };
  switch (rl.type) {
    case 'dense': {
      if (inShape.length !== 1) fail('BNN030', ptr, `${what} needs a 1-D input, found ${shapeText(inShape)}`, 'add a flatten layer before it');
      const fanIn = inShape[0]!;
      checkExactRange(fanIn, firstRaw, ptr, what);
      const weights = decodeWeights(rl.weights, [rl.units, fanIn], `${ptr}/weights`, what);
      const bias = rl.bias === undefined ? null : perChannel(rl.bias, rl.units, `${ptr}/bias`, what, 'bias');
      return { type: 'dense', name, ptr, inShape, outShape: [rl.units], units: rl.units, fanIn, weights, bias };
    }
    case 'conv2d': {
      need3d();
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
      if (pad.top >= kh || pad.bottom >= kh || pad.left >= kw || pad.right >= kw) {
        fail('BNN030', `${ptr}/padding`, `${what}: padding must be smaller than the kernel`, 'a window made only of padding has no inputs');
      }
      const oh = Math.floor((h + pad.top + pad.bottom - kh) / sh) + 1;
      const ow = Math.floor((w + pad.left + pad.right - kw) / sw) + 1;
      if (h + pad.top + pad.bottom < kh || w + pad.left + pad.right < kw) {
        fail('BNN030', `${ptr}/kernel`, `${what}: kernel [${kh}, ${kw}] is larger than the padded input ${shapeText(inShape)}`);
      }
      checkExactRange(kh * kw * c, firstRaw, ptr, what);
      const weights = decodeWeights(rl.weights, [rl.filters, kh, kw, c], `${ptr}/weights`, what);
      const bias = rl.bias === undefined ? null : perChannel(rl.bias, rl.filters, `${ptr}/bias`, what, 'bias');
      return {
        type: 'conv2d', name, ptr, inShape, outShape: [oh, ow, rl.filters], filters: rl.filters, kernel: [kh, kw], strides: [sh, sw],
        pad, padValue: rl.padValue ?? -1, weights, bias,
      };
    }
    case 'batchnorm': {
      if (!(rl.epsilon > 0)) fail('BNN024', `${ptr}/epsilon`, `${what}: epsilon must be > 0, found ${rl.epsilon}`, 'typical values are 1e-5 or 1e-3');
      const variance = perChannel(rl.variance, c, `${ptr}/variance`, what, 'variance');
      const bad = variance.findIndex((v) => v < 0);
      if (bad >= 0) fail('BNN023', `${ptr}/variance/${bad}`, `${what}: variance ${variance[bad]} of channel ${bad} is negative`, 'a variance is a mean of squares and cannot be negative');
      return {
        type: 'batchnorm', name, ptr, inShape, outShape: inShape, epsilon: rl.epsilon, variance,
        gamma: perChannel(rl.gamma, c, `${ptr}/gamma`, what, 'gamma'),
        beta: perChannel(rl.beta, c, `${ptr}/beta`, what, 'beta'),
        mean: perChannel(rl.mean, c, `${ptr}/mean`, what, 'mean'),
      };
    }
    case 'affine':
      return {
        type: 'affine', name, ptr, inShape, outShape: inShape,
        scale: perChannel(rl.scale, c, `${ptr}/scale`, what, 'scale'),
        bias: perChannel(rl.bias, c, `${ptr}/bias`, what, 'bias'),
      };
    case 'sign':
      return { type: 'sign', name, ptr, inShape, outShape: inShape };
    case 'maxpool': {
      need3d();
      const [h, w, ch] = inShape as [number, number, number];
      const [ph, pw] = rl.pool;
      const [sh, sw] = rl.strides ?? rl.pool;
      if (ph > h || pw > w) fail('BNN030', `${ptr}/pool`, `${what}: pool [${ph}, ${pw}] is larger than the input ${shapeText(inShape)}`);
      const outShape = [Math.floor((h - ph) / sh) + 1, Math.floor((w - pw) / sw) + 1, ch];
      return { type: 'maxpool', name, ptr, inShape, outShape, pool: [ph, pw], strides: [sh, sw] };
    }
    case 'flatten':
      return { type: 'flatten', name, ptr, inShape, outShape: [prod(inShape)] };
  }
}
