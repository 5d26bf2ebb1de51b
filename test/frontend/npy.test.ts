/**
 * .npy inputs: the bytes are built here as numpy.save writes them (magic, version, header length, the
 * dict literal padded to 64 bytes with a final line break, the data), for every supported dtype in both
 * byte orders and both memory orders; everything else is refused with the dtype or field named.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Diagnostic, DiagnosticError } from '../../src/diagnostics/diagnostic.js';
import { readNpyArray } from '../../src/frontend/npy.js';
import { readInputs } from '../../src/frontend/inputs.js';
import { loadModelValue } from '../../src/frontend/load.js';

interface NpyOptions {
  version?: [number, number];
  fortran?: string;
  /** the shape as written in the header, e.g. '(2, 3)' */
  shape?: string;
  /** replaces the whole dict literal */
  dict?: string;
  /** appended after the dict, before the padding */
  after?: string;
}

/** A .npy file as numpy.save writes it. */
function npy(descr: string, shape: number[], data: Uint8Array, o: NpyOptions = {}): Buffer {
  const [major, minor] = o.version ?? [1, 0];
  const shapeText = o.shape ?? (shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`);
  const dict = o.dict ?? `{'descr': '${descr}', 'fortran_order': ${o.fortran ?? 'False'}, 'shape': ${shapeText}, }`;
  const lenBytes = major === 1 ? 2 : 4;
  let header = dict + (o.after ?? '');
  const unpadded = 6 + 2 + lenBytes + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const head = Buffer.alloc(8 + lenBytes);
  Buffer.from('\x93NUMPY', 'latin1').copy(head);
  head[6] = major;
  head[7] = minor;
  if (lenBytes === 2) head.writeUInt16LE(header.length, 8);
  else head.writeUInt32LE(header.length, 8);
  return Buffer.concat([head, Buffer.from(header, major === 3 ? 'utf8' : 'latin1'), data]);
}

type Kind = 'b' | 'i' | 'u' | 'f';
/** Element bytes of `values` in the given dtype, written with DataView (independent of the reader). */
function encode(kind: Kind, size: number, little: boolean, values: (number | bigint)[]): Uint8Array {
  const buf = new Uint8Array(values.length * size);
  const v = new DataView(buf.buffer);
  values.forEach((x, i) => {
    const o = i * size;
    const key = `${kind}${size}`;
    if (key === 'b1' || key === 'u1') v.setUint8(o, Number(x));
    else if (key === 'i1') v.setInt8(o, Number(x));
    else if (key === 'i2') v.setInt16(o, Number(x), little);
    else if (key === 'u2') v.setUint16(o, Number(x), little);
    else if (key === 'i4') v.setInt32(o, Number(x), little);
    else if (key === 'u4') v.setUint32(o, Number(x), little);
    else if (key === 'i8') v.setBigInt64(o, BigInt(x), little);
    else if (key === 'u8') v.setBigUint64(o, BigInt(x), little);
    else if (key === 'f2') v.setUint16(o, Number(x), little); // raw half-precision bits
    else if (key === 'f4') v.setFloat32(o, Number(x), little);
    else v.setFloat64(o, Number(x), little);
  });
  return buf;
}

function diagnostic(run: () => unknown): Diagnostic {
  try {
    run();
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics[0]!;
    throw e;
  }
  throw new Error('expected a diagnostic, but the file was accepted');
}

const values = (b: Buffer) => Array.from(readNpyArray(b).values);

/** Values each dtype must read exactly, including its extremes. */
const SAMPLES: Record<string, (number | bigint)[]> = {
  b1: [0, 1, 1, 0],
  i1: [-128, -1, 0, 127],
  u1: [0, 1, 200, 255],
  i2: [-32768, -2, 300, 32767],
  u2: [0, 1, 40000, 65535],
  i4: [-(2 ** 31), -5, 70000, 2 ** 31 - 1],
  u4: [0, 3, 2 ** 31, 2 ** 32 - 1],
  i8: [-(2 ** 53), -7, 2 ** 40, 2 ** 53],
  u8: [0, 9, 2 ** 52 + 1, 2 ** 53],
  f4: [-1.5, 0, 0.25, 3.4028234663852886e38],
  f8: [-1e300, 0.1, 5e-324, 1.7976931348623157e308],
};
/** half-precision bit patterns and their values: 1, -2, 0.5, 65504 (largest), 2^-24 (smallest subnormal), -0 */
const HALF_BITS = [0x3c00, 0xc000, 0x3800, 0x7bff, 0x0001, 0x8000];
const HALF_VALUES = [1, -2, 0.5, 65504, 2 ** -24, -0];

describe('.npy dtypes', () => {
  for (const [key, want] of Object.entries(SAMPLES)) {
    const kind = key[0] as Kind;
    const size = Number(key.slice(1));
    const orders = size === 1 ? ['|', '<', '>'] : ['<', '>', '='];
    for (const order of orders) {
      it(`${order}${key} reads exactly`, () => {
        const little = order !== '>';
        const got = values(npy(`${order}${key}`, [want.length], encode(kind, size, little, want)));
        expect(got).toEqual(want.map(Number));
      });
    }
  }

  it('float16 in both byte orders, subnormals and -0 included', () => {
    expect(values(npy('<f2', [6], encode('f', 2, true, HALF_BITS)))).toEqual(HALF_VALUES);
    expect(values(npy('>f2', [6], encode('f', 2, false, HALF_BITS)))).toEqual(HALF_VALUES);
  });

  it('int64 / uint64 beyond 2^53 stay exact (bigint), never rounded', () => {
    const big = [2n ** 53n + 1n, -(2n ** 53n) - 1n, 2n ** 63n - 1n];
    expect(values(npy('<i8', [3], encode('i', 8, true, big)))).toEqual(big);
    expect(values(npy('>u8', [2], encode('u', 8, false, [2n ** 64n - 1n, 2n ** 53n + 2n])))).toEqual([2n ** 64n - 1n, 2n ** 53n + 2n]);
  });

  it('Fortran order is read into C order', () => {
    // a = [[1, 2, 3], [4, 5, 6]] in Fortran order: column by column
    const f = npy('<i4', [2, 3], encode('i', 4, true, [1, 4, 2, 5, 3, 6]), { fortran: 'True' });
    expect(readNpyArray(f)).toEqual({ descr: '<i4', shape: [2, 3], values: [1, 2, 3, 4, 5, 6] });
    // [2, 2, 2]: element (i, j, k) at i + 2j + 4k in the file
    const c = Array.from({ length: 8 }, (_, n) => n);
    const fortranData = Array.from({ length: 8 }, (_, p) => c[((p & 1) << 2) | (p & 2) | (p >> 2)]!);
    expect(values(npy('>f8', [2, 2, 2], encode('f', 8, false, fortranData), { fortran: 'True' }))).toEqual(c);
  });

  it('format versions 1.0, 2.0 and 3.0', () => {
    for (const version of [[1, 0], [2, 0], [3, 0]] as [number, number][]) {
      expect(values(npy('<f4', [2], encode('f', 4, true, [1, 2]), { version }))).toEqual([1, 2]);
    }
  });

  it('header spellings numpy accepts: double quotes, any key order, no trailing comma, (N,) and ()', () => {
    const data = encode('u', 1, true, [5, 6]);
    expect(values(npy('', [], data, { dict: '{"shape": (2,), "descr": "|u1", "fortran_order": False}' }))).toEqual([5, 6]);
    expect(readNpyArray(npy('<f8', [], encode('f', 8, true, [2.5]), { shape: '()' }))).toEqual({ descr: '<f8', shape: [], values: [2.5] });
    expect(readNpyArray(npy('|u1', [0, 3], new Uint8Array(0))).shape).toEqual([0, 3]);
  });

  const DTYPE_HINT = 'convert the array first, e.g. a.astype(np.float32) or a.astype(np.uint8), then numpy.save it';
  const OK = 'bool, int8, int16, int32, int64, uint8, uint16, uint32, uint64, float16, float32 or float64';
  it.each<[string, string]>([
    ['<c8', 'complex64'],
    ['>c16', 'complex128'],
    ['<U1', 'Unicode strings of 1 character'],
    ['|S3', 'byte strings of 3 bytes'],
    ['|O', 'Python objects'],
    ['<M8[ns]', 'datetime64'],
    ['<m8[s]', 'timedelta64'],
    ['|V4', 'raw bytes (void)'],
    ['<f16', 'long double (float128)'],
    ['<i3', 'a 3-byte integer'],
    ['|b2', 'a 2-byte bool'],
    ['float32', 'not a numpy dtype string'],
  ])('refuses dtype %s (%s)', (descr, words) => {
    expect(diagnostic(() => readNpyArray(npy(descr, [2], new Uint8Array(16))))).toEqual({
      code: 'BNN076', pointer: '/descr', message: `.npy dtype ${JSON.stringify(descr)} (${words}) is not supported: expected ${OK}`, hint: DTYPE_HINT,
    });
  });

  it('refuses multi-byte types without a byte order and structured dtypes', () => {
    expect(diagnostic(() => readNpyArray(npy('|f4', [1], new Uint8Array(4))))).toMatchObject({ code: 'BNN076', message: `.npy dtype "|f4" gives no byte order ('|') for a 4-byte type: expected '<' (little endian) or '>' (big endian)` });
    const rec = npy('', [1], new Uint8Array(8), { dict: "{'descr': [('x', '<f4'), ('y', '<f4')], 'fortran_order': False, 'shape': (1,), }" });
    expect(diagnostic(() => readNpyArray(rec))).toMatchObject({ code: 'BNN076', message: '.npy dtype is a structured dtype (a list of named fields): not supported' });
  });
});

describe('.npy header and data', () => {
  const HINT = 'write the array with numpy.save (or use a JSON file {"inputs": [[...], ...]})';
  const f4 = (n: number) => encode('f', 4, true, Array(n).fill(1));

  it('a negative dimension: BNN075 naming the shape', () => {
    expect(diagnostic(() => readNpyArray(npy('<f4', [], f4(4), { shape: '(-1, 4)' })))).toEqual({
      code: 'BNN075', pointer: '/shape/0', message: ".npy 'shape' is (-1, 4): expected non-negative integers, found -1 at position 0", hint: HINT,
    });
  });

  it('trailing junk after the dict', () => {
    expect(diagnostic(() => readNpyArray(npy('<f4', [1], f4(1), { after: ' junk' })))).toEqual({
      code: 'BNN075', pointer: '', message: 'the .npy header has " junk" after its dict: expected only spaces and a final line break', hint: HINT,
    });
  });

  it.each<[string, NpyOptions, string, string]>([
    ['a shape that is a number, not a tuple', { shape: '(4)' }, '/shape', ".npy 'shape' is (4): expected a tuple of non-negative integers such as (10, 784) or (784,)"],
    ['a shape that is a list', { shape: '[4]' }, '', 'the .npy header is not a valid dict literal: expected a string, True, False or a tuple at offset 50 of the header, found "[4], }"'],
    ['a shape of strings', { shape: "('4',)" }, '/shape/0', ".npy 'shape' is ('4',): expected non-negative integers, found '4' at position 0"],
    ['a fractional dimension', { shape: '(2.5,)' }, '/shape/0', ".npy 'shape' is (2.5,): expected non-negative integers, found 2.5 at position 0"],
    ['fortran_order not a bool', { fortran: "'no'" }, '/fortran_order', `.npy 'fortran_order' is "no": expected True or False`],
    ['a missing field', { dict: "{'descr': '<f4', 'shape': (4,), }" }, '/fortran_order', `the .npy header has no "fortran_order": expected exactly 'descr', 'fortran_order' and 'shape'`],
    ['an extra field', { dict: "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), 'x': True}" }, '/x', `the .npy header has the field "x": expected exactly 'descr', 'fortran_order' and 'shape'`],
    ['a field twice', { dict: "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (4,)}" }, '', 'the .npy header gives "descr" twice'],
    ['no dict', { dict: "'descr': '<f4'" }, '', `the .npy header is not a valid dict literal: expected '{' at offset 0 of the header, found "'descr': '<f"`],
    ['an unclosed dict', { dict: "{'descr': '<f4', 'fortran_order': False, 'shape': (4,)" }, '', `the .npy header is not a valid dict literal: expected ',' or '}' at offset 117 of the header, found the end of the header`],
  ])('%s', (_name, o, pointer, message) => {
    expect(diagnostic(() => readNpyArray(npy('<f4', [4], f4(4), o)))).toEqual({ code: 'BNN075', pointer, message, hint: HINT });
  });

  it('magic, version and header length', () => {
    const good = npy('<f4', [4], f4(4));
    const bad = (b: Buffer) => diagnostic(() => readNpyArray(b));
    expect(bad(Buffer.from('{"inputs": [[1]]}'))).toEqual({ code: 'BNN074', pointer: '', message: 'not a .npy file: expected it to start with "\\x93NUMPY", found "{\\"inpu"', hint: HINT });
    expect(bad(Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 0, 0, 0, 0, 0])).hint).toBe('this is a zip archive (numpy.savez writes .npz): save one array with numpy.save');
    expect(bad(good.subarray(0, 4)).message).toBe('not a .npy file: expected it to start with "\\x93NUMPY", found only 4 bytes');
    const v4 = Buffer.from(good);
    v4[6] = 4;
    expect(bad(v4)).toMatchObject({ code: 'BNN074', message: '.npy format version 4.0 is not supported: expected 1.0, 2.0 or 3.0' });
    const v11 = Buffer.from(good);
    v11[7] = 1;
    expect(bad(v11).message).toBe('.npy format version 1.1 is not supported: expected 1.0, 2.0 or 3.0');
    const long = Buffer.from(good);
    long.writeUInt16LE(5000, 8);
    expect(bad(long)).toEqual({ code: 'BNN074', pointer: '', message: `the .npy header length 5000 runs past the end of the file (${good.length} bytes)`, hint: 'the file is truncated' });
  });

  it('data of the wrong length, truncated or with bytes after it; a bool byte that is not 0 or 1', () => {
    const good = npy('<f4', [2, 4], f4(8));
    expect(diagnostic(() => readNpyArray(good.subarray(0, good.length - 1)))).toEqual({
      code: 'BNN077', pointer: '', message: 'the .npy data is 31 bytes: expected 32 (shape (2, 4) of <f4: 8 values of 4 bytes)', hint: 'the file is truncated',
    });
    expect(diagnostic(() => readNpyArray(Buffer.concat([good, Buffer.from([0])]))).hint).toBe('the file has bytes after its data, or its header does not describe it');
    expect(diagnostic(() => readNpyArray(npy('<f4', [], f4(8), { shape: '(99999999999, 99999999999)' }))).code).toBe('BNN077');
    expect(diagnostic(() => readNpyArray(npy('|b1', [3], Uint8Array.from([0, 1, 2]))))).toMatchObject({ code: 'BNN077', message: '.npy bool element 2 is the byte 2: expected 0 or 1' });
  });

  it('every truncation of a valid file is a diagnostic', () => {
    const good = npy('>i2', [3, 5], encode('i', 2, false, Array.from({ length: 15 }, (_, i) => i - 7)));
    for (let n = 0; n < good.length; n++) expect(diagnostic(() => readNpyArray(good.subarray(0, n))).code).toMatch(/^BNN07[4-7]$/);
  });
});

describe('.npy inputs (readInputs)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bnn-hw-npy-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, bytes: Buffer) => {
    const p = join(dir, name);
    writeFileSync(p, bytes);
    return p;
  };
  const model = (type: unknown, shape: number[]) =>
    loadModelValue({
      format: 'bnn-hw/model@1', name: 'm', input: { shape, type },
      layers: [{ type: 'flatten' }, { type: 'dense', units: 2, weights: [Array(shape.reduce((a, b) => a * b, 1)).fill(1), Array(shape.reduce((a, b) => a * b, 1)).fill(-1)] }],
      output: 'argmax',
    });
  const vec = model('uint8', [4]);

  it('reads every supported dtype as the same inputs', () => {
    const want = [[0, 1, 2, 3], [255, 254, 0, 7]];
    const flat = want.flat();
    for (const [descr, kind, size, little] of [['|u1', 'u', 1, true], ['<i2', 'i', 2, true], ['>u4', 'u', 4, false], ['<i8', 'i', 8, true], ['>u8', 'u', 8, false], ['<f4', 'f', 4, true], ['>f8', 'f', 8, false]] as const) {
      expect(readInputs(file(`ok-${kind}${size}.npy`, npy(descr, [2, 4], encode(kind, size, little, flat))), vec)).toEqual(want);
    }
    const bits = readInputs(file('bool.npy', npy('|b1', [1, 4], Uint8Array.from([1, 0, 0, 1]))), model('uint1', [4]));
    expect(bits).toEqual([[1, 0, 0, 1]]);
  });

  it('a .npy file is recognised by its magic whatever its name', () => {
    const bytes = npy('<u2', [1, 4], encode('u', 2, true, [1, 2, 3, 4]));
    expect(readInputs(file('inputs.NPY', bytes), vec)).toEqual([[1, 2, 3, 4]]);
    expect(readInputs(file('inputs.json', bytes), vec)).toEqual([[1, 2, 3, 4]]);
    expect(readInputs(file('inputs', bytes), vec)).toEqual([[1, 2, 3, 4]]);
  });

  it('NCHW image arrays (FINN) are transposed to HWC, in C or Fortran order', () => {
    const img = model('uint8', [2, 2, 3]);
    // N=1, C=3, H=2, W=2: value = 10 c + 2 y + x
    const nchw: number[] = [];
    for (let c = 0; c < 3; c++) for (let y = 0; y < 2; y++) for (let x = 0; x < 2; x++) nchw.push(10 * c + 2 * y + x);
    const hwc: number[] = [];
    for (let y = 0; y < 2; y++) for (let x = 0; x < 2; x++) for (let c = 0; c < 3; c++) hwc.push(10 * c + 2 * y + x);
    expect(readInputs(file('nchw.npy', npy('<f4', [1, 3, 2, 2], encode('f', 4, true, nchw))), img, 'nchw')).toEqual([hwc]);
    // the same array in Fortran order: element (0, c, y, x) at c + 3y + 6x
    const fort = Array.from({ length: 12 }, (_, p) => nchw[(p % 3) * 4 + (Math.floor(p / 3) % 2) * 2 + Math.floor(p / 6)]!);
    expect(readInputs(file('nchw-f.npy', npy('<f4', [1, 3, 2, 2], encode('f', 4, true, fort), { fortran: 'True' })), img, 'nchw')).toEqual([hwc]);
  });

  it('an int64 beyond 2^53 is reported exactly, not rounded', () => {
    const p = file('big.npy', npy('<i8', [1, 4], encode('i', 8, true, [1n, 2n ** 53n + 1n, 3n, 4n])));
    expect(diagnostic(() => readInputs(p, vec))).toEqual({
      code: 'BNN071', pointer: '/0/1', message: 'input element 1 must be in [0, 255] for input type uint8, found 9007199254740993', hint: 'uint8 inputs are integers in [0, 255]', file: p,
    });
  });

  it('complex64, strings and a negative shape are refused with the file named (they were read as numbers)', () => {
    const c64 = file('c64.npy', npy('<c8', [1, 4], encode('f', 4, true, [1, 0, 2, 0, 3, 0, 4, 0])));
    expect(diagnostic(() => readInputs(c64, vec))).toMatchObject({ code: 'BNN076', file: c64, message: expect.stringContaining('(complex64) is not supported') });
    const str = file('u1.npy', npy('<U1', [1, 4], Buffer.from('1\0\0\x002\0\0\x003\0\0\x004\0\0\0', 'latin1')));
    expect(diagnostic(() => readInputs(str, vec))).toMatchObject({ code: 'BNN076', file: str });
    const neg = file('neg.npy', npy('<f4', [], new Uint8Array(16), { shape: '(-1, 4)' }));
    expect(diagnostic(() => readInputs(neg, vec))).toMatchObject({ code: 'BNN075', file: neg, pointer: '/shape/0' });
    const junk = file('junk.npy', npy('<f4', [1, 4], f4s(4), { after: "'x'" }));
    expect(diagnostic(() => readInputs(junk, vec))).toMatchObject({ code: 'BNN075', file: junk });
  });
});

function f4s(n: number): Uint8Array {
  return encode('f', 4, true, Array(n).fill(0));
}
