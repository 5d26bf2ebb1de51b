/**
 * Input vectors: JSON {"inputs": [[...], ...]} (each input flattened HWC) or a .npy array (by its
 * extension or its magic; numeric dtypes, see npy.ts; N x input shape; `layout: 'nchw'` transposes N x C x H x W arrays such as FINN's
 * to HWC).
 * Values are the inputs' real values; they are checked against the input type and turned into the
 * integer codes the hardware sees (fixed point: value * 2^frac; bipolar: -1/+1).
 */
import { readInputFile } from '../util/input-file.js';
import { DiagnosticError, describeValue, fail } from '../diagnostics/diagnostic.js';
import type { InputType, Model, Shape } from '../ir/model.js';
import { inputRange, inputTypeText, prod } from '../ir/model.js';
import { parseJson } from './json.js';
import { hasNpyMagic, readNpyArray } from './npy.js';

export type Layout = 'hwc' | 'nchw';

/** Real value -> integer code, or a reason why the value is not a valid input. */
export function toCode(v: number, t: InputType): number | string {
  const r = inputRange(t);
  if (typeof v !== 'number') return `must be a number`;
  if (!Number.isFinite(v)) return 'must be a finite number';
  if (t.kind === 'bipolar') return v === 1 || v === -1 ? v : 'must be -1 or +1';
  const code = v / r.scale;
  if (!Number.isInteger(code)) return t.kind === 'fixed' ? `must be a multiple of 2^-${t.frac} = ${r.scale}` : 'must be an integer';
  if (code < r.min || code > r.max) return `must be in [${r.min * r.scale}, ${r.max * r.scale}]`;
  return code;
}

/** What the values of an input type are, for hints. */
function typeHint(t: InputType): string {
  const r = inputRange(t);
  const range = `[${r.min * r.scale}, ${r.max * r.scale}]`;
  switch (t.kind) {
    case 'bipolar':
      return 'bipolar inputs are -1 or +1';
    case 'fixed':
      return `${inputTypeText(t)} inputs are multiples of ${r.scale} in ${range} (real values, not the integer codes)`;
    default:
      return `${inputTypeText(t)} inputs are integers in ${range}`;
  }
}

function checkLength(values: ArrayLike<unknown>, model: Model, ptr: string): void {
  const n = prod(model.input.shape);
  if (values.length !== n) {
    fail('BNN070', ptr, `input has ${values.length} values, expected ${n} (input shape [${model.input.shape.join(', ')}])`, 'each input is the flattened HWC tensor');
  }
}

/** 64-bit integers from a .npy file arrive as bigint when beyond 2^53: out of every input range, and shown exactly. */
export function codesFromValues(values: ArrayLike<number | bigint>, model: Model, ptr: string): number[] {
  checkLength(values, model, ptr);
  const n = values.length;
  const codes = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    const c = toCode(typeof v === 'bigint' ? Number(v) : v, model.input.type);
    if (typeof c === 'string') {
      fail('BNN071', `${ptr}/${i}`, `input element ${i} ${c} for input type ${inputTypeText(model.input.type)}, found ${describeValue(values[i])}`, typeHint(model.input.type));
    }
    codes[i] = c;
  }
  return codes;
}

function nchwToHwc<T>(data: ArrayLike<T>, offset: number, shape: Shape): T[] {
  const [c, h, w] = shape as [number, number, number];
  const out = new Array<T>(c * h * w);
  for (let ci = 0; ci < c; ci++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[(y * w + x) * c + ci] = data[offset + (ci * h + y) * w + x]!;
  return out;
}

/** Read real-valued inputs (flattened HWC) from a JSON or .npy file; returns their integer codes. */
export function readInputs(path: string, model: Model, layout: Layout = 'hwc'): number[][] {
  const buf = readInputFile(path, path.toLowerCase().endsWith('.npy') ? 'npy' : 'inputs');
  try {
    return path.toLowerCase().endsWith('.npy') || hasNpyMagic(buf) ? readNpy(buf, model, layout) : readJson(buf, model, layout);
  } catch (e) {
    if (e instanceof DiagnosticError) for (const d of e.diagnostics) d.file ??= path;
    throw e;
  }
}

function readJson(buf: Buffer, model: Model, layout: Layout): number[][] {
  return inputsFromJson(parseJson(buf.toString('utf8'), 'input file'), model, layout);
}

/** The integer codes of the inputs an {"inputs": [[...], ...]} value holds (the parsed JSON input file, or the API's inputs). */
export function inputsFromJson(value: unknown, model: Model, layout: Layout = 'hwc'): number[][] {
  const v = value as { inputs?: unknown };
  const shape = `{"inputs": [[...], ...]}`;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail('BNN072', '', `input file must be ${shape}, found ${describeValue(v)}`, 'each input is an array of real values (flattened HWC)');
  if (!Array.isArray(v.inputs)) {
    const keys = Object.keys(v).filter((k) => k !== 'inputs');
    const hint = v.inputs === undefined && keys.length > 0 ? `the file has ${keys.map((k) => JSON.stringify(k)).join(', ')} but no "inputs"` : 'each input is an array of real values (flattened HWC)';
    fail('BNN072', '/inputs', `input file must be ${shape}: expected "inputs" to be an array, found ${describeValue(v.inputs)}`, hint);
  }
  const inputs = v.inputs as unknown[];
  if (inputs.length === 0) fail('BNN072', '/inputs', 'expected at least one input, found an empty "inputs" array', 'add an input vector');
  return inputs.map((x, i) => {
    if (!Array.isArray(x)) fail('BNN072', `/inputs/${i}`, `input ${i} must be an array of numbers, found ${describeValue(x)}`, 'each input is an array of real values (flattened HWC)');
    const vals = x as number[];
    checkLength(vals, model, `/inputs/${i}`);
    const hwc = layout === 'nchw' && model.input.shape.length === 3 ? nchwToHwc(vals, 0, [model.input.shape[2]!, model.input.shape[0]!, model.input.shape[1]!]) : vals;
    return codesFromValues(hwc, model, `/inputs/${i}`);
  });
}

function readNpy(buf: Buffer, model: Model, layout: Layout): number[][] {
  const arr = readNpyArray(buf);
  const per = prod(model.input.shape);
  const total = arr.values.length;
  if (arr.shape.length === 0 || total % per !== 0 || total === 0) {
    fail('BNN070', '', `.npy shape [${arr.shape.join(', ')}] does not hold whole inputs of ${per} values`, `expected [N, ${model.input.shape.join(', ')}]`);
  }
  const n = total / per;
  const data = Array.from(arr.values);
  const out: number[][] = [];
  for (let i = 0; i < n; i++) {
    const s = model.input.shape;
    const vals = layout === 'nchw' && s.length === 3 ? nchwToHwc(data, i * per, [s[2]!, s[0]!, s[1]!]) : data.slice(i * per, (i + 1) * per);
    out.push(codesFromValues(vals, model, `/${i}`));
  }
  return out;
}
