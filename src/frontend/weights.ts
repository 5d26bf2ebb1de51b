/**
 * Decoding of weight tensors: nested arrays of real (latent) weights, binarised w >= 0 -> 1 (+1),
 * w < 0 -> 0 (-1), or the packed form { shape, packed: base64 } (row-major, LSB first, 1 = +1).
 * Shapes are checked against the expected shape before anything proportional to the declared size is
 * allocated.
 */
import { fail, pointerJoin } from '../diagnostics/diagnostic.js';

export const MAX_WEIGHT_BITS = 2 ** 28;

const shapeText = (s: readonly number[]) => `[${s.join(', ')}]`;

export function decodeWeights(raw: unknown, expected: readonly number[], ptr: string, what: string): Uint8Array {
  const total = expected.reduce((a, b) => a * b, 1);
  if (total > MAX_WEIGHT_BITS) {
    fail('BNN060', ptr, `${what}: ${total} weights exceed the limit of ${MAX_WEIGHT_BITS}`, 'check units/filters/kernel sizes');
  }
  if (Array.isArray(raw)) return decodeNested(raw, expected, total, ptr, what);
  if (raw !== null && typeof raw === 'object' && 'packed' in raw) return decodePacked(raw as Record<string, unknown>, expected, total, ptr, what);
  return fail('BNN021', ptr, `${what}: weights must be nested arrays of numbers or {"shape", "packed"}, found ${describe(raw)}`, `expected shape ${shapeText(expected)}`);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : typeof v;
}

function decodeNested(raw: unknown[], expected: readonly number[], total: number, ptr: string, what: string): Uint8Array {
  const out = new Uint8Array(total);
  let pos = 0;
  const walk = (node: unknown, depth: number, p: () => string): void => {
    const want = expected[depth]!;
    if (!Array.isArray(node)) {
      fail('BNN021', p(), `${what}: expected an array of ${want} at depth ${depth}, found ${describe(node)}`, `weights have shape ${shapeText(expected)}`);
    }
    if (node.length !== want) {
      fail('BNN021', p(), `${what}: expected ${want} entries at depth ${depth}, found ${node.length}`, `weights have shape ${shapeText(expected)}`);
    }
    if (depth === expected.length - 1) {
      for (let i = 0; i < node.length; i++) {
        const v = node[i];
        if (typeof v !== 'number') {
          fail('BNN021', pointerJoin(p(), i), `${what}: expected a number, found ${describe(v)}`, `weights have shape ${shapeText(expected)}`);
        }
        if (!Number.isFinite(v)) fail('BNN020', pointerJoin(p(), i), `${what}: weight is not a finite number`, 'replace NaN/Infinity by a real weight');
        out[pos++] = v >= 0 ? 1 : 0;
      }
      return;
    }
    for (let i = 0; i < node.length; i++) walk(node[i], depth + 1, () => pointerJoin(p(), i));
  };
  walk(raw, 0, () => ptr);
  return out;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decodePacked(raw: Record<string, unknown>, expected: readonly number[], total: number, ptr: string, what: string): Uint8Array {
  const shape = raw['shape'];
  const extra = Object.keys(raw).filter((k) => k !== 'shape' && k !== 'packed');
  if (extra.length > 0) fail('BNN012', pointerJoin(ptr, extra[0]!), `${what}: unknown field '${extra[0]}' in packed weights`, 'packed weights take only "shape" and "packed"');
  if (!Array.isArray(shape) || shape.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d <= 0)) {
    fail('BNN021', pointerJoin(ptr, 'shape'), `${what}: packed shape must be an array of positive integers`, `expected ${shapeText(expected)}`);
  }
  if (shape.length !== expected.length || shape.some((d, i) => d !== expected[i])) {
    fail('BNN021', pointerJoin(ptr, 'shape'), `${what}: packed shape ${shapeText(shape as number[])} does not match the expected ${shapeText(expected)}`);
  }
  const text = raw['packed'];
  if (typeof text !== 'string' || text.length % 4 !== 0 || !BASE64.test(text)) {
    fail('BNN022', pointerJoin(ptr, 'packed'), `${what}: "packed" is not valid base64`, 'encode the bit bytes with standard base64 (A-Z a-z 0-9 + /, padded with =)');
  }
  const need = Math.ceil(total / 8);
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== need) {
    const kind = bytes.length < need ? 'truncated' : 'too long';
    fail('BNN022', pointerJoin(ptr, 'packed'), `${what}: packed weights are ${kind}: ${bytes.length} bytes for ${total} bits (need ${need})`);
  }
  const out = new Uint8Array(total);
  for (let i = 0; i < total; i++) out[i] = (bytes[i >> 3]! >> (i & 7)) & 1;
  return out;
}

/** Encode 0/1 bits into the packed form (used by examples and importers). */
export function encodePacked(bits: Uint8Array, shape: readonly number[]): { shape: number[]; packed: string } {
  const bytes = Buffer.alloc(Math.ceil(bits.length / 8));
  for (let i = 0; i < bits.length; i++) if (bits[i]) bytes[i >> 3]! |= 1 << (i & 7);
  return { shape: [...shape], packed: bytes.toString('base64') };
}
