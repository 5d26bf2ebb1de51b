/**
 * A strict reader of NumPy .npy files (format versions 1.0, 2.0 and 3.0, as numpy.save writes them):
 *
 *   "\x93NUMPY" major minor  header-length (2 bytes LE in 1.0, 4 in 2.0 / 3.0)
 *   header: a Python dict literal {'descr': ..., 'fortran_order': ..., 'shape': (...), } padded with
 *           spaces and ended by '\n' (ASCII; UTF-8 in 3.0)
 *   data:   prod(shape) elements of the dtype, in C order (or Fortran order when fortran_order is True)
 *
 * Only numeric dtypes are read: bool (|b1), int8..int64, uint8..uint64, float16/32/64, little or big
 * endian. Anything else (complex, strings, objects, datetimes, records) is refused with its name, as are
 * a malformed header, a shape that is not a tuple of non-negative integers and data of the wrong length.
 * 64-bit integers beyond 2^53 stay exact (as bigint) so that they are reported, not rounded.
 *
 *   BNN074 not a .npy file: magic, version, header length
 *   BNN075 the header dict: syntax, fields, shape, fortran_order
 *   BNN076 a dtype bnn-hw does not read
 *   BNN077 the data: its length, or a bool byte that is not 0 or 1
 */
import { endianness } from 'node:os';
import { fail } from '../diagnostics/diagnostic.js';

export interface NpyArray {
  /** the dtype as the header gives it, e.g. '<f4' */
  descr: string;
  shape: number[];
  /** the elements in C (row-major) order; 64-bit integers beyond 2^53 as bigint */
  values: ArrayLike<number | bigint>;
}

const MAGIC = Buffer.from('\x93NUMPY', 'latin1');
const SAVE_HINT = 'write the array with numpy.save (or use a JSON file {"inputs": [[...], ...]})';
const DTYPES_OK = 'bool, int8, int16, int32, int64, uint8, uint16, uint32, uint64, float16, float32 or float64';

interface Dtype {
  kind: 'b' | 'i' | 'u' | 'f';
  size: number;
  little: boolean;
}

/** What a dtype string the reader refuses stands for, for messages. */
function dtypeWords(descr: string): string {
  const m = /^[<>|=]?([a-zA-Z])(\d*)(\[\w+\])?$/.exec(descr);
  if (!m) return 'not a numpy dtype string';
  const [, k, n] = m;
  const size = Number(n);
  switch (k) {
    case 'c':
      return size ? `complex${size * 8}` : 'complex';
    case 'U':
      return `Unicode strings${size ? ` of ${size} character${size === 1 ? '' : 's'}` : ''}`;
    case 'S':
    case 'a':
      return `byte strings${size ? ` of ${size} byte${size === 1 ? '' : 's'}` : ''}`;
    case 'O':
      return 'Python objects';
    case 'M':
      return 'datetime64';
    case 'm':
      return 'timedelta64';
    case 'V':
      return 'raw bytes (void)';
    case 'f':
      return size > 8 ? `long double (float${size * 8})` : `a ${size}-byte float`;
    case 'b':
      return `a ${size}-byte bool`;
    case 'i':
    case 'u':
      return `a ${size}-byte integer`;
    default:
      return 'not a numeric dtype';
  }
}

function parseDtype(descr: string): Dtype {
  const m = /^([<>|=])([biuf])(\d+)$/.exec(descr);
  const kind = m?.[2] as Dtype['kind'] | undefined;
  const size = Number(m?.[3]);
  const sizes: Record<Dtype['kind'], number[]> = { b: [1], i: [1, 2, 4, 8], u: [1, 2, 4, 8], f: [2, 4, 8] };
  if (!m || !kind || !sizes[kind].includes(size)) {
    return fail('BNN076', '/descr', `.npy dtype ${JSON.stringify(descr)} (${dtypeWords(descr)}) is not supported: expected ${DTYPES_OK}`, 'convert the array first, e.g. a.astype(np.float32) or a.astype(np.uint8), then numpy.save it');
  }
  const order = m[1]!;
  if (order === '|' && size > 1) {
    fail('BNN076', '/descr', `.npy dtype ${JSON.stringify(descr)} gives no byte order ('|') for a ${size}-byte type: expected '<' (little endian) or '>' (big endian)`, 'numpy.save writes the byte order of multi-byte types; write the file with numpy.save');
  }
  const little = order === '<' || order === '|' || (order === '=' && endianness() === 'LE');
  return { kind, size, little };
}

/** a header value: a string, True / False, a tuple (its elements' text) or a parenthesised expression */
type HeaderValue = { str: string } | { bool: boolean } | { tuple: string[] } | { expr: string };

/** Parse the header dict literal; every problem is BNN075 naming what was expected. */
function parseHeader(text: string): Record<string, HeaderValue> {
  let i = 0;
  const bad = (expected: string): never => {
    const found = text.slice(i).trim() === '' ? 'the end of the header' : JSON.stringify(text.slice(i, i + 12).trimEnd());
    return fail('BNN075', '', `the .npy header is not a valid dict literal: expected ${expected} at offset ${i} of the header, found ${found}`, SAVE_HINT);
  };
  const ws = () => {
    while (text[i] === ' ') i++;
  };
  const str = (): string => {
    const q = text[i];
    if (q !== "'" && q !== '"') bad('a quoted string');
    const end = text.indexOf(q!, i + 1);
    if (end < 0) bad('a closing quote');
    const s = text.slice(i + 1, end);
    if (s.includes('\\') || s.includes('\n')) bad('a plain string');
    i = end + 1;
    return s;
  };
  const value = (key: string): HeaderValue => {
    if (text[i] === "'" || text[i] === '"') return { str: str() };
    if (text.startsWith('True', i)) {
      i += 4;
      return { bool: true };
    }
    if (text.startsWith('False', i)) {
      i += 5;
      return { bool: false };
    }
    if (text[i] === '(') {
      i++;
      const items: string[] = [];
      let comma = false;
      for (;;) {
        ws();
        if (text[i] === ')') break;
        const m = /^[^,)\s]+/.exec(text.slice(i));
        if (!m) bad("a tuple element or ')'");
        items.push(m![0]);
        i += m![0].length;
        ws();
        comma = text[i] === ',';
        if (comma) i++;
        else if (text[i] !== ')') bad("',' or ')' in the tuple");
      }
      i++;
      // (3) is the number 3, not a tuple: a one-element tuple is written (3,)
      if (items.length === 1 && !comma) return { expr: `(${items[0]})` };
      return { tuple: items };
    }
    if (text[i] === '[' && key === 'descr') fail('BNN076', '/descr', '.npy dtype is a structured dtype (a list of named fields): not supported', `save a plain numeric array (${DTYPES_OK})`);
    return bad('a string, True, False or a tuple');
  };
  ws();
  if (text[i] !== '{') bad("'{'");
  i++;
  const out: Record<string, HeaderValue> = {};
  for (;;) {
    ws();
    if (text[i] === '}') break;
    const key = str();
    if (Object.hasOwn(out, key)) fail('BNN075', '', `the .npy header gives ${JSON.stringify(key)} twice`, SAVE_HINT);
    ws();
    if (text[i] !== ':') bad(`':' after ${JSON.stringify(key)}`);
    i++;
    ws();
    out[key] = value(key);
    ws();
    if (text[i] === ',') i++;
    else if (text[i] !== '}') bad("',' or '}'");
  }
  i++;
  if (!/^ *\n$/.test(text.slice(i))) {
    fail('BNN075', '', `the .npy header has ${JSON.stringify(text.slice(i, i + 20).trimEnd())} after its dict: expected only spaces and a final line break`, SAVE_HINT);
  }
  const keys = Object.keys(out);
  const want = ['descr', 'fortran_order', 'shape'];
  const extra = keys.filter((k) => !want.includes(k));
  if (extra.length > 0) fail('BNN075', `/${extra[0]}`, `the .npy header has the field ${JSON.stringify(extra[0])}: expected exactly 'descr', 'fortran_order' and 'shape'`, SAVE_HINT);
  const missing = want.filter((k) => !keys.includes(k));
  if (missing.length > 0) fail('BNN075', `/${missing[0]}`, `the .npy header has no ${JSON.stringify(missing[0])}: expected exactly 'descr', 'fortran_order' and 'shape'`, SAVE_HINT);
  return out;
}

const shown = (v: HeaderValue): string =>
  'str' in v ? JSON.stringify(v.str) : 'bool' in v ? (v.bool ? 'True' : 'False') : 'expr' in v ? v.expr : `(${v.tuple.join(', ')}${v.tuple.length === 1 ? ',' : ''})`;

function half(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

const SAFE = 2n ** 53n;

/** Read one element of a supported dtype at byte offset o. */
function reader(dt: Dtype, view: DataView): (o: number) => number | bigint {
  const le = dt.little;
  switch (`${dt.kind}${dt.size}`) {
    case 'b1':
    case 'u1':
      return (o) => view.getUint8(o);
    case 'i1':
      return (o) => view.getInt8(o);
    case 'i2':
      return (o) => view.getInt16(o, le);
    case 'u2':
      return (o) => view.getUint16(o, le);
    case 'i4':
      return (o) => view.getInt32(o, le);
    case 'u4':
      return (o) => view.getUint32(o, le);
    case 'i8':
    case 'u8':
      return (o) => {
        const v = dt.kind === 'i' ? view.getBigInt64(o, le) : view.getBigUint64(o, le);
        return v > SAFE || v < -SAFE ? v : Number(v);
      };
    case 'f2':
      return (o) => half(view.getUint16(o, le));
    case 'f4':
      return (o) => view.getFloat32(o, le);
    default:
      return (o) => view.getFloat64(o, le);
  }
}

/** The file starts with the .npy magic. */
export const hasNpyMagic = (buf: Uint8Array): boolean => buf.length >= 6 && Buffer.from(buf.buffer, buf.byteOffset, 6).equals(MAGIC);

/** Parse a .npy file; throws a diagnostic (BNN074..BNN077) for anything it does not read exactly. */
export function readNpyArray(buf: Uint8Array): NpyArray {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < 10 || !b.subarray(0, 6).equals(MAGIC)) {
    const zip = b.subarray(0, 4).equals(Buffer.from('PK\u0003\u0004', 'latin1'));
    return fail('BNN074', '', `not a .npy file: expected it to start with "\\x93NUMPY", found ${b.length < 6 ? `only ${b.length} bytes` : JSON.stringify(b.subarray(0, 6).toString('latin1'))}`, zip ? 'this is a zip archive (numpy.savez writes .npz): save one array with numpy.save' : SAVE_HINT);
  }
  const major = b[6]!;
  const minor = b[7]!;
  if (![1, 2, 3].includes(major) || minor !== 0) fail('BNN074', '', `.npy format version ${major}.${minor} is not supported: expected 1.0, 2.0 or 3.0`, SAVE_HINT);
  const lenBytes = major === 1 ? 2 : 4;
  if (b.length < 8 + lenBytes) fail('BNN074', '', `the .npy file ends inside its header length (${b.length} bytes)`, 'the file is truncated');
  const headerLen = major === 1 ? b.readUInt16LE(8) : b.readUInt32LE(8);
  const start = 8 + lenBytes;
  if (start + headerLen > b.length) fail('BNN074', '', `the .npy header length ${headerLen} runs past the end of the file (${b.length} bytes)`, 'the file is truncated');
  const text = b.subarray(start, start + headerLen).toString(major === 3 ? 'utf8' : 'latin1');
  const h = parseHeader(text);
  const descr = h['descr']!;
  if (!('str' in descr)) return fail('BNN076', '/descr', `.npy 'descr' is ${shown(descr)}: expected a dtype string such as '<f4'`, SAVE_HINT);
  const dt = parseDtype(descr.str);
  const fo = h['fortran_order']!;
  if (!('bool' in fo)) return fail('BNN075', '/fortran_order', `.npy 'fortran_order' is ${shown(fo)}: expected True or False`, SAVE_HINT);
  const sh = h['shape']!;
  if (!('tuple' in sh)) return fail('BNN075', '/shape', `.npy 'shape' is ${shown(sh)}: expected a tuple of non-negative integers such as (10, 784) or (784,)`, SAVE_HINT);
  const bad = sh.tuple.findIndex((d) => !/^\d+$/.test(d));
  if (bad >= 0) fail('BNN075', `/shape/${bad}`, `.npy 'shape' is ${shown(sh)}: expected non-negative integers, found ${sh.tuple[bad]} at position ${bad}`, SAVE_HINT);
  const shape = sh.tuple.map(Number);
  const count = shape.reduce((a, d) => a * d, 1);
  const dataStart = start + headerLen;
  const have = b.length - dataStart;
  if (count * dt.size !== have) {
    fail('BNN077', '', `the .npy data is ${have} bytes: expected ${count * dt.size} (shape ${shown(sh)} of ${descr.str}: ${count} values of ${dt.size} byte${dt.size === 1 ? '' : 's'})`, have < count * dt.size ? 'the file is truncated' : 'the file has bytes after its data, or its header does not describe it');
  }
  const view = new DataView(b.buffer, b.byteOffset + dataStart, have);
  const read = reader(dt, view);
  const values = new Array<number | bigint>(count);
  // element k of the file; C order directly, or Fortran order (first axis fastest) mapped to C order
  const cStrides = shape.map((_, a) => shape.slice(a + 1).reduce((x, d) => x * d, 1));
  const idx = shape.map(() => 0);
  let c = 0;
  for (let k = 0; k < count; k++) {
    const v = read(k * dt.size);
    if (dt.kind === 'b' && v !== 0 && v !== 1) fail('BNN077', '', `.npy bool element ${k} is the byte ${v}: expected 0 or 1`, 'the file is damaged, or its dtype is not bool');
    if (!fo.bool) values[k] = v;
    else {
      values[c] = v;
      // advance the Fortran index: axis 0 fastest
      for (let a = 0; a < shape.length; a++) {
        idx[a]!++;
        c += cStrides[a]!;
        if (idx[a]! < shape[a]!) break;
        c -= idx[a]! * cStrides[a]!;
        idx[a] = 0;
      }
    }
  }
  return { descr: descr.str, shape, values };
}
