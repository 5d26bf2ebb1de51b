/**
 * `bnn-hw import`, `infer --dataset` and `verify --dataset` as users run them: the CLI is compiled once
 * into .dist-import-test/ (its own folder, so it cannot race the other CLI test's build of dist/) and
 * spawned. The done criterion's `verify --simulator all` on the unfolded design takes about a minute
 * (Verilator's build), so these runs use Icarus on a folded design.
 */
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FASHION_DIR } from '../../src/frontend/datasets.js';
import { requireTools } from '../helpers/tools.js';
import { GraphBuilder, f } from '../helpers/onnx-build.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUT = join(ROOT, '.dist-import-test');
const MAIN = join(OUT, 'cli', 'main.js');
const SHARED = join(ROOT, '..', 'shared', 'models');
let dir = '';

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, BNN_DEBUG: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  rmSync(OUT, { recursive: true, force: true });
  // emit only (the type check is `npm run lint:ts`): faster, and independent of work in progress elsewhere
  spawnSync('npx', ['tsc', '-p', '.', '--outDir', OUT, '--sourceMap', 'false', '--noCheck'], { cwd: ROOT, stdio: 'pipe' });
  if (!existsSync(MAIN)) throw new Error('tsc did not emit the CLI');
  dir = mkdtempSync(join(tmpdir(), 'bnn-hw-import-cli-'));
}, 120_000);

afterAll(() => {
  rmSync(OUT, { recursive: true, force: true });
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('bnn-hw import / infer --dataset', () => {
  it('imports the QONNX TFC and reports every layer with its source node', () => {
    const r = cli('import', join(SHARED, 'qonnx-TFC_1W1A.onnx'), '--input-type', 'uint8', '--input-divisor', '255', '-o', 'tfc.json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('QONNX (Brevitas)');
    expect(r.stdout).toMatch(/^input_scale +affine +\[28, 28, 1\] +--input-divisor 255/m);
    expect(r.stdout).toMatch(/^MatMul_16 +dense +\[64\] +node 10 "MatMul_16" \(MatMul\)$/m);
    expect(r.stdout).toContain('input [28, 28, 1] uint8, output argmax\nwrote tfc.json\n');
    expect(existsSync(join(dir, 'tfc.json'))).toBe(true);
  });

  it('infer --dataset mnist: accuracy and a 10 x 10 confusion matrix', () => {
    const r = cli('infer', 'tfc.json', '--dataset', 'mnist', '--limit', '500', '--json');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as { dataset: string; images: number; correct: number; accuracy: number; confusion: number[][] };
    expect(j.dataset).toBe('mnist');
    expect(j.images).toBe(500);
    expect(j.confusion).toHaveLength(10);
    expect(j.confusion.flat().reduce((a, b) => a + b, 0)).toBe(500);
    expect(j.confusion.reduce((s, row, i) => s + row[i]!, 0)).toBe(j.correct);
    expect(j.accuracy).toBeGreaterThan(0.85);
    const t = cli('infer', 'tfc.json', '--dataset', 'mnist', '--limit', '100');
    expect(t.stdout).toMatch(/^accuracy \d+\.\d\d % \(\d+ \/ 100 correct\)$/m);
    expect(t.stdout).toContain('confusion matrix (rows: true class, columns: predicted class):');
  });

  it('usage and input errors: exit 2 for --input with --dataset, exit 1 with a diagnostic for a float graph without --input-type', () => {
    const both = cli('infer', 'tfc.json', '--dataset', 'mnist', '--input', 'x.json');
    expect(both.status).toBe(2);
    expect(both.stderr).toContain('error[BNN073]: give either --input or --dataset, not both');
    const noType = cli('import', join(SHARED, 'qonnx-TFC_1W1A.onnx'), '-o', 'x.json');
    expect(noType.status).toBe(1);
    expect(noType.stderr).toMatch(/^error\[BNN206\]: the model takes real-valued \(float\) inputs/);
    expect(noType.stderr).toContain('hint: for pixels scaled to [0, 1] use --input-type uint8 --input-divisor 255');
    expect(noType.stderr).not.toMatch(/^ {4}at /m);
    expect(existsSync(join(dir, 'x.json'))).toBe(false);
  });

  it('names an unsupported node and its position', () => {
    const g = new GraphBuilder(13, 't', { 'onnx.brevitas': 1 });
    let x = g.input('x', [1, 6]);
    x = g.node('BipolarQuant', [x, g.init('s', [], [1])], {}, { domain: 'onnx.brevitas' });
    x = g.node('MatMul', [x, g.init('w', [6, 4], Array.from({ length: 24 }, (_, i) => (i % 3 ? 1 : -1)))]);
    x = g.node('BatchNormalization', [x, g.init('g', [4], [1, 1, 1, 1]), g.init('b', [4], [0, 0, 0, 0]), g.init('m', [4], [0, 0, 0, 0]), g.init('v', [4], [1, 1, 1, 1])], { epsilon: f(1e-5) });
    x = g.node('Relu', [x], {}, { name: 'relu1' });
    x = g.node('MatMul', [x, g.init('w2', [4, 2], [1, -1, 1, 1, -1, 1, 1, 1])]);
    g.output(x, [1, 2]);
    const file = join(dir, 'relu.onnx');
    writeFileSync(file, g.encode());
    const r = cli('import', file, '--input-type', 'int8', '-o', 'relu.json');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('error[BNN202]: node 3 of 5 "relu1" (Relu): is not supported by bnn-hw');
    expect(r.stderr).toContain(`at ${file} /graph/node/3`);
    expect(r.stderr).toContain('hint: a real-valued activation has no binary equivalent');
  });
});

const fashion = existsSync(join(process.env['BNN_FASHION_MNIST_DIR'] || FASHION_DIR, 't10k-images-idx3-ubyte.gz'));
if (!fashion) {
  if (process.env['CI'] === 'true') test('Fashion-MNIST (Debian dataset-fashion-mnist) is installed', () => expect(fashion).toBe(true));
  else test.skip('Fashion-MNIST tests -- SKIPPED: apt-get install dataset-fashion-mnist', () => {});
}
describe.skipIf(!fashion)('infer --dataset fashion-mnist', () => {
  it('reads the IDX test split: 10,000 images of 10 classes', () => {
    const r = cli('infer', 'tfc.json', '--dataset', 'fashion-mnist', '--json');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as { images: number; split: string; classes: string[]; confusion: number[][] };
    expect(j.images).toBe(10000);
    expect(j.split).toBe('test');
    expect(j.classes[9]).toBe('Ankle boot');
    // the test split has 1,000 images of every class
    expect(j.confusion.map((row) => row.reduce((a, b) => a + b, 0))).toEqual(new Array(10).fill(1000));
  });
});

const hasIcarus = requireTools('iverilog', 'vvp');
describe.skipIf(!hasIcarus)('bnn-hw verify with the imported TFC', () => {
  it('--input finn-tfc-input.npy --layout nchw: PASS with labels 7, 2, 1, 0', () => {
    const r = cli('verify', 'tfc.json', '--input', join(SHARED, 'finn-tfc-input.npy'), '--layout', 'nchw', '--simulator', 'icarus', '--target-fps', '1000000');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('labels 7, 2, 1, 0 (reference and hardware agree)\nPASS\n');
  });

  it('--dataset mnist: the images run through the hardware and the accuracy is reported', () => {
    const r = cli('verify', 'tfc.json', '--dataset', 'mnist', '--limit', '10', '--simulator', 'icarus', '--target-fps', '1000000', '--json');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as { vectors: number; mismatches: number; dataset: { name: string; images: number; correct: number } };
    expect(j.vectors).toBe(10);
    expect(j.mismatches).toBe(0);
    expect(j.dataset.name).toBe('mnist');
    expect(j.dataset.images).toBe(10);
  });
});
