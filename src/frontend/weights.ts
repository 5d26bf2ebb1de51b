/**
 * Decoding of weight tensors: nested arrays of real (latent) weights, binarised w >= 0 -> 1 (+1),
 * w < 0 -> 0 (-1), or the packed form { shape, packed: base64 } (row-major, LSB first, 1 = +1).
 * Shapes are checked against the expected shape before anything proportional to the declared size is
 * allocated.
 */
import { describeValue, fail, pointerJoin } from '../diagnostics/diagnostic.js';

/** Weight bits of a whole model (all layers together): the format's limit (docs/model-format.md, Limits). */
export const MAX_WEIGHT_BITS = 2 ** 28;

const shapeText = (s: readonly number[]) => `[${s.join(', ')}]`;

/**
 * `axes` names the axes of the expected shape for messages, e.g. ['units', 'fan-in'] (default
 * 'axis 0', 'axis 1', ...). `before` is the weight bits of the model's earlier layers: the limit
 * MAX_WEIGHT_BITS is on the whole model.
 */
export function decodeWeights(raw: unknown, expected: readonly number[], ptr: string, what: string, axes?: readonly string[], before = 0): Uint8Array {
  const total = expected.reduce((a, b) => a * b, 1);
  const names = expected.map((_, d) => axes?.[d] ?? `axis ${d}`);
  const shapeDesc = `${shapeText(expected)} (${names.join(', ')})`;
  if (total > MAX_WEIGHT_BITS) {
    fail('BNN060', ptr, `${what}: weights of shape ${shapeDesc} hold ${total} bits, expected at most ${MAX_WEIGHT_BITS} (2^28) in the whole model`, 'check the units / filters / kernel sizes');
  }
  if (before + total > MAX_WEIGHT_BITS) {
    fail(
      'BNN060', ptr,
      `${what}: weights of shape ${shapeDesc} hold ${total} bits, which with the ${before} of the layers before it make ${before + total}, expected at most ${MAX_WEIGHT_BITS} (2^28) in the whole model`,
      'the limit is on all weight bits of the model together; make the layers smaller',
    );
  }
  if (Array.isArray(raw)) return decodeNested(raw, expected, total, ptr, what, names, shapeDesc);
  if (raw !== null && typeof raw === 'object' && 'packed' in raw) return decodePacked(raw as Record<string, unknown>, expected, total, ptr, what, shapeDesc);
  return fail(
    'BNN021', ptr,
    `${what}: weights must be nested arrays of numbers or {"shape": [...], "packed": "<base64>"}, found ${describeKind(raw)}`,
    raw !== null && typeof raw === 'object' ? `the packed form needs a "packed" field; expected shape ${shapeDesc}` : `expected shape ${shapeDesc}`,
  );
}

function describeKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `${describeValue(v)} (a ${typeof v})`;
}

/**
 * Nested arrays: the whole structure is checked first (shape, types, finiteness), and only then is
 * the bit array allocated, so a huge declared size with a small array costs nothing.
 */
function decodeNested(raw: unknown[], expected: readonly number[], total: number, ptr: string, what: string, names: string[], shapeDesc: string): Uint8Array {
  const last = expected.length - 1;
  const hint = `weights have shape ${shapeDesc}`;
  const check = (node: unknown, depth: number, p: () => string): void => {
    const want = expected[depth]!;
    if (!Array.isArray(node)) {
      fail('BNN021', p(), `${what}: expected an array of ${want} entries along ${names[depth]} (axis ${depth}), found ${describeKind(node)}: the weights have too few axes`, hint);
    }
    if (node.length !== want) {
      const flat = depth === 0 && node.length === total && expected.length > 1 && node.every((x) => typeof x === 'number');
      fail(
        'BNN021', p(),
        `${what}: expected ${want} entries along ${names[depth]} (axis ${depth}), found ${node.length}`,
        flat ? `the weights are a flat list of ${total} numbers; nest them as ${shapeDesc}` : hint,
      );
    }
    if (depth === last) {
      for (let i = 0; i < node.length; i++) {
        const v = node[i];
        if (typeof v !== 'number') {
          const deeper = Array.isArray(v) ? ': the weights have too many axes' : '';
          fail('BNN021', pointerJoin(p(), i), `${what}: expected a number (one weight), found ${describeKind(v)}${deeper}`, hint);
        }
        if (!Number.isFinite(v)) fail('BNN020', pointerJoin(p(), i), `${what}: expected a finite weight, found ${v}`, 'replace NaN / Infinity by a real weight (only its sign matters)');
      }
      return;
    }
    for (let i = 0; i < node.length; i++) check(node[i], depth + 1, () => pointerJoin(p(), i));
  };
  check(raw, 0, () => ptr);
  const out = new Uint8Array(total);
  let pos = 0;
  const fill = (node: unknown[], depth: number): void => {
    if (depth === last) for (const v of node as number[]) out[pos++] = v >= 0 ? 1 : 0;
    else for (const x of node) fill(x as unknown[], depth + 1);
  };
  fill(raw, 0);
  return out;
}

const BASE64_CHAR = /[A-Za-z0-9+/=]/;

function base64Problem(text: string): string | null {
  // fast path for the usual, valid text (one scan); the loop below only explains a problem
  if (text.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (!BASE64_CHAR.test(c)) return `expected only A-Z a-z 0-9 + / and = padding, found ${describeValue(c)} at offset ${i}`;
  }
  const eq = text.indexOf('=');
  if (eq >= 0 && (eq < text.length - 2 || /[^=]/.test(text.slice(eq)))) return `expected '=' padding only at the end, found it at offset ${eq}`;
  if (text.length % 4 !== 0) return `expected a length that is a multiple of 4, found ${text.length} characters`;
  return null;
}

function decodePacked(raw: Record<string, unknown>, expected: readonly number[], total: number, ptr: string, what: string, shapeDesc: string): Uint8Array {
  const shape = raw['shape'];
  const extra = Object.keys(raw).filter((k) => k !== 'shape' && k !== 'packed');
  if (extra.length > 0) {
    fail('BNN012', pointerJoin(ptr, extra[0]!), `${what}: unknown field '${extra[0]}' in packed weights, expected only 'shape' and 'packed'`, 'packed weights are {"shape": [...], "packed": "<base64>"}');
  }
  if (shape === undefined) fail('BNN010', pointerJoin(ptr, 'shape'), `${what}: missing field 'shape' in packed weights, expected ${shapeDesc}`, `write "shape": ${shapeText(expected)}`);
  if (!Array.isArray(shape) || shape.length === 0 || shape.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d <= 0)) {
    fail('BNN021', pointerJoin(ptr, 'shape'), `${what}: packed shape must be an array of positive integers, found ${describeValue(shape)}`, `expected ${shapeDesc}`);
  }
  if (shape.length !== expected.length || shape.some((d, i) => d !== expected[i])) {
    fail('BNN021', pointerJoin(ptr, 'shape'), `${what}: packed shape ${shapeText(shape as number[])} does not match the expected ${shapeDesc}`, 'the shape follows from the layer: [units, fan-in] for dense, [filters, kernel rows, kernel columns, input channels] for conv2d');
  }
  const text = raw['packed'];
  if (typeof text !== 'string') {
    fail('BNN022', pointerJoin(ptr, 'packed'), `${what}: "packed" must be a base64 string, found ${describeKind(text)}`, 'encode the bit bytes with standard base64');
  }
  const problem = base64Problem(text);
  if (problem) {
    fail('BNN022', pointerJoin(ptr, 'packed'), `${what}: "packed" is not valid base64: ${problem}`, 'use standard base64 (A-Z a-z 0-9 + /, padded with = to a multiple of 4 characters), not the URL-safe alphabet');
  }
  const need = Math.ceil(total / 8);
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== need) {
    const kind = bytes.length < need ? 'truncated' : 'too long';
    fail(
      'BNN022', pointerJoin(ptr, 'packed'),
      `${what}: packed weights are ${kind}: expected ${need} bytes for ${total} bits, found ${bytes.length}`,
      'the base64 must decode to ceil(prod(shape) / 8) bytes (bits row-major, least significant bit first)',
    );
  }
  const canonical = bytes.toString('base64');
  if (canonical !== text) {
    fail(
      'BNN025', pointerJoin(ptr, 'packed'),
      `${what}: "packed" has nonzero padding bits in its last base64 character ${describeValue(text.replace(/=+$/, '').slice(-1))}: expected ${describeValue(canonical.slice(-4))} at the end (the same ${need} bytes, unused bits 0)`,
      'encode the bytes with a standard base64 encoder (Python base64.b64encode, Node Buffer.toString("base64")): it leaves the unused bits 0',
    );
  }
  const used = total - (need - 1) * 8;
  const last = bytes[need - 1]!;
  if (used < 8 && last >> used !== 0) {
    fail(
      'BNN025', pointerJoin(ptr, 'packed'),
      `${what}: packed weights have nonzero padding bits: ${total} bits use only the low ${used} bit${used === 1 ? '' : 's'} of the last byte (byte ${need - 1}), expected its top ${8 - used} bit${used === 7 ? '' : 's'} to be 0, found 0x${last.toString(16).padStart(2, '0')}`,
      'set bits are probably weights packed for another shape or bit order: pack row-major, least significant bit first, and leave the unused bits of the last byte 0',
    );
  }
  const out = new Uint8Array(total);
  const whole = total >>> 3;
  for (let j = 0; j < whole; j++) {
    const v = bytes[j]!;
    const o = j << 3;
    out[o] = v & 1; out[o + 1] = (v >> 1) & 1; out[o + 2] = (v >> 2) & 1; out[o + 3] = (v >> 3) & 1;
    out[o + 4] = (v >> 4) & 1; out[o + 5] = (v >> 5) & 1; out[o + 6] = (v >> 6) & 1; out[o + 7] = (v >> 7) & 1;
  }
  for (let i = whole << 3; i < total; i++) out[i] = (bytes[i >> 3]! >> (i & 7)) & 1;
  return out;
}

/** Encode 0/1 bits into the packed form (used by examples and importers). */
export function encodePacked(bits: Uint8Array, shape: readonly number[]): { shape: number[]; packed: string } {
  const bytes = Buffer.alloc(Math.ceil(bits.length / 8));
  for (let i = 0; i < bits.length; i++) if (bits[i]) bytes[i >> 3]! |= 1 << (i & 7);
  return { shape: [...shape], packed: bytes.toString('base64') };
}
