/**
 * Damaged and hostile input files through the command line (dist/ is built once): every case ends in
 * exit 0 or a coded diagnostic (exit 1, usage exit 2), never an internal error (exit 70), a stack trace
 * or a library's dump on stderr.
 *   - JSON nested 100 000 deep (model, --input, --fold), duplicate keys;
 *   - .npy files of unsupported dtypes or with bad headers;
 *   - Keras .h5 and ONNX files truncated at many offsets and with flipped / overwritten bytes (a seeded
 *     fuzz: all cases run in one child process so that anything a library prints is seen);
 *   - --input-divisor / --input-offset out of range.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type KLayer, writeKerasH5 } from '../helpers/keras-h5.js';
import { finnConv, finnMlp, qonnxCnn, qonnxMlp } from '../helpers/import-graphs.js';
import { Prng } from '../helpers/prng.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIST = join(ROOT, 'dist');
const MAIN = join(DIST, 'cli', 'main.js');
let dir = '';

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, BNN_DEBUG: '' }, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const file = (name: string, content: string | Uint8Array): string => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

/** A coded diagnostic on stderr, exit 1, nothing else. */
function expectDiagnostic(r: ReturnType<typeof cli>, code: string): void {
  expect(r.stderr).toMatch(new RegExp(`^error\\[${code}\\]: `));
  expect(r.stderr).not.toMatch(/HDF5-DIAG|internal error|^ {4}at /m);
  expect(r.status).toBe(1);
}

const MODEL = {
  format: 'bnn-hw/model@1', name: 'tiny', input: { shape: [4], type: 'uint8' },
  layers: [{ type: 'dense', name: 'fc0', units: 2, weights: [[1, -1, 1, -1], [1, 1, 1, 1]] }], output: 'argmax',
};

beforeAll(() => {
  execFileSync('npx', ['tsc', '-p', '.'], { cwd: ROOT, stdio: 'pipe' });
  dir = mkdtempSync(join(tmpdir(), 'bnn-hw-input-files-'));
  writeFileSync(join(dir, 'model.json'), JSON.stringify(MODEL));
}, 180_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('JSON', () => {
  const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);

  it('100 000 nested arrays in a model, an input file or a folding file: BNN003, exit 1', () => {
    const m = file('deep.json', deep(100_000));
    const r = cli('inspect', m);
    expectDiagnostic(r, 'BNN003');
    expect(r.stderr.split('\n')[0]).toBe('error[BNN003]: model file is nested too deeply: expected at most 1000 levels of arrays and objects, found an array at level 1001 (line 1, column 1001)');
    expectDiagnostic(cli('infer', 'model.json', '--input', file('deep-in.json', `{"inputs": ${deep(100_000)}}`)), 'BNN003');
    expectDiagnostic(cli('estimate', 'model.json', '--fold', file('deep-fold.json', `{"layers": ${deep(100_000)}}`)), 'BNN003');
    expectDiagnostic(cli('estimate', 'model.json', '--model', 'finn', '--fold', file('deep-finn.json', `{"MVAU_0": {"PE": 1, "SIMD": 1, "x": ${deep(5000)}}}`)), 'BNN003');
  });

  it('a duplicate key: BNN004 with the pointer', () => {
    const m = file('dup.json', JSON.stringify(MODEL).replace('"name":"tiny",', '"name":"tiny","name":"other",'));
    const r = cli('inspect', m);
    expectDiagnostic(r, 'BNN004');
    expect(r.stderr).toContain(`at ${m} /name`);
  });
});

describe('.npy inputs', () => {
  const npy = (descr: string, shape: string, data: Uint8Array, extra = '') => {
    let h = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }${extra}`;
    h += ' '.repeat((64 - ((10 + h.length + 1) % 64)) % 64) + '\n';
    const head = Buffer.from('\x93NUMPY\x01\x00\x00\x00', 'latin1');
    head.writeUInt16LE(h.length, 8);
    return Buffer.concat([head, Buffer.from(h, 'latin1'), data]);
  };

  it('complex64, strings, a negative shape and a header with junk: exit 1 with the dtype or field named', () => {
    const c = cli('infer', 'model.json', '--input', file('c.npy', npy('<c8', '(1, 4)', new Uint8Array(32))));
    expectDiagnostic(c, 'BNN076');
    expect(c.stderr).toContain('"<c8" (complex64) is not supported');
    expectDiagnostic(cli('infer', 'model.json', '--input', file('u.npy', npy('<U1', '(1, 4)', new Uint8Array(16)))), 'BNN076');
    const neg = cli('infer', 'model.json', '--input', file('neg.npy', npy('<f4', '(-1, 4)', new Uint8Array(16))));
    expectDiagnostic(neg, 'BNN075');
    expect(neg.stdout).toBe('');
    expectDiagnostic(cli('infer', 'model.json', '--input', file('junk.npy', npy('<f4', '(1, 4)', new Uint8Array(16), 'junk'))), 'BNN075');
  });

  it('a valid big-endian int16 array is read', () => {
    const data = Buffer.alloc(8);
    [1, 2, 3, 4].forEach((v, i) => data.writeInt16BE(v, 2 * i));
    const r = cli('infer', 'model.json', '--input', file('ok.npy', npy('>i2', '(1, 4)', data)), '--json');
    expect(r.status).toBe(0);
  });
});

describe('import: damaged files', () => {
  const r = new Prng(20240610);
  const lat = (shape: number[]) => ({ shape, data: Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => 2 * r.float() - 1) });
  const bn = (name: string, c: number): KLayer => ({
    cls: 'BatchNormalization', name, cfg: { axis: -1, epsilon: 0.001 },
    weights: { gamma: lat([c]), beta: lat([c]), moving_mean: lat([c]), moving_variance: { shape: [c], data: Array(c).fill(1) } },
  });
  const dense: KLayer[] = [
    { cls: 'Flatten', name: 'flatten', cfg: {} },
    { cls: 'QuantDense', name: 'qd0', cfg: { units: 7, use_bias: true, input_quantizer: 'ste_sign', kernel_quantizer: 'ste_sign' }, weights: { kernel: lat([36, 7]), bias: lat([7]) } },
    bn('bn0', 7),
    { cls: 'QuantDense', name: 'qd1', cfg: { units: 4, use_bias: false, input_quantizer: 'ste_sign', kernel_quantizer: 'ste_sign' }, weights: { kernel: lat([7, 4]) } },
  ];
  const cnn: KLayer[] = [
    { cls: 'QuantConv2D', name: 'qc0', cfg: { filters: 4, kernel_size: [3, 3], strides: [1, 1], padding: 'same', pad_values: 1.0, use_bias: false, input_quantizer: null, kernel_quantizer: 'ste_sign' }, weights: { kernel: lat([3, 3, 1, 4]) } },
    { cls: 'MaxPooling2D', name: 'pool0', cfg: { pool_size: [2, 2], strides: null, padding: 'valid' } },
    bn('bn1', 4),
    { cls: 'Flatten', name: 'flat', cfg: {} },
    { cls: 'QuantDense', name: 'qd2', cfg: { units: 3, use_bias: false, input_quantizer: 'ste_sign', kernel_quantizer: 'ste_sign' }, weights: { kernel: lat([80, 3]) } },
    { cls: 'Activation', name: 'sm', cfg: { activation: 'softmax' } },
  ];

  /** Truncations at every 1/40 of the file and in the first 64 bytes, bit flips, overwritten runs. */
  function damaged(bytes: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (let k = 0; k < 40; k++) out.push(bytes.slice(0, Math.floor((bytes.length * k) / 40)));
    for (const n of [1, 7, 8, 9, 12, 16, 24, 32, 48, 64]) out.push(bytes.slice(0, n));
    for (let k = 0; k < 60; k++) {
      const b = bytes.slice();
      for (let j = r.int(1, 6); j > 0; j--) b[r.int(0, b.length - 1)]! ^= 1 << r.int(0, 7);
      out.push(b);
    }
    for (let k = 0; k < 30; k++) {
      const b = bytes.slice();
      const at = r.int(0, b.length - 1);
      const fill = r.int(0, 2);
      for (let j = at; j < Math.min(b.length, at + r.int(1, 64)); j++) b[j] = fill === 0 ? 0 : fill === 1 ? 0xff : r.int(0, 255);
      out.push(b);
    }
    return out;
  }

  it('Keras .h5 and ONNX files truncated and corrupted (seeded fuzz): a model or a diagnostic, nothing on stderr', async () => {
    const h5a = join(dir, 'dense.h5');
    const h5b = join(dir, 'cnn.h5');
    await writeKerasH5(h5a, dense, { inputShape: [6, 6] });
    await writeKerasH5(h5b, cnn, { inputShape: [8, 10, 1], functional: true, keras3: true });
    const bases: [string, Uint8Array, Record<string, unknown>][] = [
      ['h5', readFileSync(h5a), { inputType: 'uint8', inputDivisor: 255 }],
      ['h5', readFileSync(h5b), { inputType: 'uint8', inputDivisor: 255 }],
      ['onnx', qonnxMlp({ seed: 1, input: [1, 4, 4], hidden: [8], classes: 3 }), { inputType: 'uint8', inputDivisor: 255 }],
      ['onnx', qonnxCnn({ seed: 2 }), { inputType: 'uint8', inputDivisor: 255 }],
      ['onnx', finnMlp({ seed: 3, input: [1, 4, 4], hidden: 8, classes: 3 }), {}],
      ['onnx', finnConv(4), {}],
    ];
    const cases: { path: string; opts: Record<string, unknown> }[] = [];
    bases.forEach(([ext, bytes, opts], b) => {
      damaged(Uint8Array.from(bytes)).forEach((d, k) => cases.push({ path: file(`fz-${b}-${k}.${ext}`, d), opts }));
    });
    const runner = `
      const { importFile } = await import(${JSON.stringify(pathToFileURL(join(DIST, 'frontend/importers/detect.js')).href)});
      const { DiagnosticError } = await import(${JSON.stringify(pathToFileURL(join(DIST, 'diagnostics/diagnostic.js')).href)});
      const cases = JSON.parse(process.argv[1]);
      const out = [];
      for (const c of cases) {
        try {
          await importFile(c.path, c.opts);
          out.push({ path: c.path, result: 'ok' });
        } catch (e) {
          out.push({ path: c.path, result: e instanceof DiagnosticError ? e.diagnostics[0].code : 'internal: ' + (e && e.stack) });
        }
      }
      process.stdout.write(JSON.stringify(out));
    `;
    const res = spawnSync(process.execPath, ['--input-type=module', '-e', runner, JSON.stringify(cases)], { encoding: 'utf8', maxBuffer: 1 << 26, timeout: 240_000 });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    const results = JSON.parse(res.stdout) as { path: string; result: string }[];
    expect(results).toHaveLength(cases.length);
    const internal = results.filter((x) => !/^(ok|BNN\d{3})$/.test(x.result));
    expect(internal).toEqual([]);
    // the fuzz reaches the HDF5 library, the protobuf decoder and the converters
    const codes = new Set(results.map((x) => x.result));
    for (const c of ['ok', 'BNN212', 'BNN200', 'BNN201']) expect(codes).toContain(c);
  }, 300_000);

  it('the HDF5 signature followed by garbage, and a truncated .h5, through the CLI: BNN212, exit 1, no HDF5-DIAG', async () => {
    const junk = new Uint8Array(4096);
    junk.set([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
    for (let i = 8; i < junk.length; i++) junk[i] = (i * 7919) % 251;
    const g = cli('import', file('garbage.h5', junk), '-o', 'out.json', '--input-type', 'uint8');
    expectDiagnostic(g, 'BNN212');
    expect(g.stderr.split('\n')[0]).toBe('error[BNN212]: the HDF5 library cannot read the file (opening it): bad superblock version number');
    expect(g.stdout).toBe('');
    const whole = join(dir, 'whole.h5');
    await writeKerasH5(whole, dense, { inputShape: [6, 6] });
    const bytes = readFileSync(whole);
    const t = cli('import', file('truncated.h5', bytes.subarray(0, bytes.length >> 1)), '-o', 'out.json', '--input-type', 'uint8');
    expectDiagnostic(t, 'BNN212');
    expect(t.stderr.split('\n')[0]).toMatch(/^error\[BNN212\]: the HDF5 library cannot read the file \(opening it\): truncated file: eof = \d+/);
    expect(cli('import', whole, '-o', 'out.json', '--input-type', 'uint8', '--input-divisor', '255').status).toBe(0);
  });

  it('a truncated and a corrupted .onnx through the CLI: exit 1', () => {
    const bytes = qonnxMlp({ seed: 5, input: [1, 4, 4], hidden: [8], classes: 3 });
    expectDiagnostic(cli('import', file('t.onnx', bytes.slice(0, bytes.length - 100)), '-o', 'out.json', '--input-type', 'uint8'), 'BNN200');
  });
});

describe('import: numeric options', () => {
  it.each([
    ['--input-divisor', '1e-320', "error: option '--input-divisor <d>' argument '1e-320' is invalid. --input-divisor: expected a number between 5.6e-309 and 4.5e307 (its reciprocal 1 / d, the scale of the input layer, must be a finite, normal float64), found 1e-320 (1 / d = Infinity)"],
    ['--input-divisor', '0', "error: option '--input-divisor <d>' argument '0' is invalid. --input-divisor: expected a finite number > 0, found 0"],
    ['--input-divisor', '1e308', "error: option '--input-divisor <d>' argument '1e308' is invalid. --input-divisor: expected a number between 5.6e-309 and 4.5e307 (its reciprocal 1 / d, the scale of the input layer, must be a finite, normal float64), found 1e+308 (1 / d = 1e-308)"],
    ['--input-divisor', 'abc', `error: option '--input-divisor <d>' argument 'abc' is invalid. --input-divisor: expected a number, found "abc"`],
    ['--input-offset', 'Infinity', "error: option '--input-offset <b>' argument 'Infinity' is invalid. --input-offset: expected a finite number, found Infinity"],
  ])('%s %s: usage error, exit 2, naming the option', (option, value, message) => {
    const onnx = file('m.onnx', qonnxMlp({ seed: 1, input: [1, 2, 2], hidden: [3], classes: 2 }));
    const r = cli('import', onnx, '-o', 'out.json', '--input-type', 'uint8', option, value);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(message);
  });

  it('a divisor that makes the declared inputs overflow: BNN207, exit 2', () => {
    const onnx = file('m2.onnx', qonnxMlp({ seed: 1, input: [1, 2, 2], hidden: [3], classes: 2 }));
    const r = cli('import', onnx, '-o', 'out.json', '--input-type', 'uint32', '--input-divisor', '1e-300');
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('error[BNN207]: --input-divisor 1e-300: the input 4294967295 of --input-type uint32 becomes Infinity: expected every scaled input to be a finite number');
  });
});
