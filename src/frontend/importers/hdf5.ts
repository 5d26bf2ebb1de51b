/**
 * Reading an HDF5 file with h5wasm (the HDF5 C library compiled to WebAssembly), safely for damaged
 * files. The library runs in a worker thread:
 *   - its output (HDF5-DIAG error stacks, the WebAssembly runtime's "Aborted(...)") goes nowhere (the
 *     worker silences console and file descriptors 1 and 2 before loading it); HDF5 errors throw (h5wasm's throwing error handler) and become BNN212 diagnostics saying
 *     what was being read and HDF5's innermost reason;
 *   - a damaged file can send the library into an endless loop: the worker is stopped when reading
 *     takes longer than HDF5_BUDGET_MS plus 1 s per MB of file (counted once the library is loaded),
 *     also BNN212;
 *   - a WebAssembly abort leaves the library unusable, but only in that worker, which is then replaced;
 *     a worker whose last file ended normally or with an HDF5 error reads the next file (unreferenced
 *     while idle, so it never keeps the process alive).
 * The worker returns the raw attribute values and datasets a Keras file holds; keras.ts interprets them.
 */
import { Worker } from 'node:worker_threads';
import { existsSync, statSync } from 'node:fs';
import { checkInputFile } from '../../util/input-file.js';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DiagnosticError, diag, fail } from '../../diagnostics/diagnostic.js';

/** The fixed part of the time the library may take to read one file (plus 1 s per MB), once loaded. */
export const HDF5_BUDGET_MS = 5000;
/** The time the library may take to load (independent of the file). */
const LOAD_LIMIT_MS = 60_000;

/** The most values one dataset may hold (the model format's own limit on weight bits). */
export const MAX_DATASET_VALUES = 2 ** 28;

export interface RawDataset {
  name: string;
  /** absent when the group lists a weight it does not hold */
  shape?: number[];
  /** absent when the shape is implausible (not read) */
  value?: unknown;
  dtype?: string;
}

export interface RawH5 {
  modelConfig: unknown;
  /** the root has a layer_names attribute (a weights-only file) */
  layerNames: boolean;
  kerasVersion: unknown;
  backend: unknown;
  /** the groups under model_weights with the datasets their weight_names attribute lists */
  groups: { name: string; weights: RawDataset[] }[];
}

export const DAMAGED = 'the file is damaged or truncated: save the model again with model.save("model.h5")';

const HDF5_MAGIC = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

/** HDF5 files start with the signature at 0, 512, 1024, 2048, ... */
export function isHdf5(bytes: Uint8Array): boolean {
  for (let off = 0; off + 8 <= bytes.length && off <= 1 << 20; off = off === 0 ? 512 : off * 2) {
    if (Buffer.from(bytes.buffer, bytes.byteOffset + off, 8).equals(HDF5_MAGIC)) return true;
  }
  return false;
}

/**
 * The reason an h5wasm call failed, in words: the innermost entry of HDF5's error stack
 * ("#005: <source path> line 612 in H5F__super_read(): file signature not found") without the
 * library's source paths, or the message of the JavaScript / WebAssembly error.
 */
export function hdf5Reason(message: string): string {
  const entries = [...message.matchAll(/#\d+: .* in (\w+)\(\): (.*)$/gm)];
  const last = entries[entries.length - 1];
  if (last) return last[2]!.trim();
  const aborted = /Aborted\((.*)\)/.exec(message);
  if (aborted) return `the library aborted (${aborted[1]})`;
  const line = message.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? 'unknown error';
  return line.replace(/^error - /, '').replace(/[^\s]*\/[^\s]*\.(c|cc|cpp|js):?\d*/g, '').trim() || 'unknown error';
}

/** The URL of h5wasm's Node build, for the worker (which has no module resolution of its own). */
function h5wasmUrl(): string {
  if (typeof import.meta.resolve === 'function') return import.meta.resolve('h5wasm/node');
  for (let d = dirname(fileURLToPath(import.meta.url)); ; d = dirname(d)) {
    const f = join(d, 'node_modules', 'h5wasm', 'dist', 'node', 'hdf5_hl.js');
    if (existsSync(f)) return pathToFileURL(f).href;
    if (dirname(d) === d) return fail('BNN212', '', 'the HDF5 library (the npm package h5wasm) is not installed', 'run npm install in the bnn-hw folder');
  }
}

/**
 * The worker: plain JavaScript, so that it runs the same from the sources (tests) and from dist/. It
 * loads the library once, then reads one file per request message.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
// the library's output (bound to console and to file descriptors 1 and 2 when it loads) goes nowhere
const quiet = () => {};
for (const k of ['log', 'error', 'warn', 'info', 'debug']) console[k] = quiet;
process.stdout.write = process.stderr.write = () => true;
const fs = require('node:fs');
const writeSync = fs.writeSync;
fs.writeSync = (fd, data, ...rest) => (fd === 1 || fd === 2 ? (typeof rest[1] === 'number' ? rest[1] : typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength) : writeSync(fd, data, ...rest));
const { url, max } = workerData;
let what = '';
let ptr = '';
const step = (w, p, f) => { what = w; ptr = p; parentPort.postMessage({ at: [w, p] }); return f(); };
const text = (v) => typeof v === 'string' ? v : v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : Array.isArray(v) && v.length === 1 ? text(v[0]) : null;
const strings = (v) => v === null || v === undefined ? [] : typeof v === 'string' ? [v] : Array.isArray(v) ? v.map((x) => text(x) ?? String(x)) : [];
const value = (attrs, n) => (attrs[n] === undefined ? undefined : attrs[n].value);
function read(h5, path) {
  const f = step('opening it', '', () => new h5.File(path, 'r'));
  try {
    const attrs = step('reading its root attributes', '', () => f.attrs);
    const out = {
      modelConfig: step('reading the attribute model_config', '/model_config', () => value(attrs, 'model_config')),
      layerNames: attrs['layer_names'] !== undefined,
      kerasVersion: step('reading the attribute keras_version', '/keras_version', () => value(attrs, 'keras_version')),
      backend: step('reading the attribute backend', '/backend', () => value(attrs, 'backend')),
      groups: [],
    };
    const mw = step('reading the group model_weights', '/model_weights', () => f.get('model_weights'));
    if (mw && 'keys' in mw) {
      for (const lname of step('listing model_weights', '/model_weights', () => mw.keys())) {
        const at = '/model_weights/' + lname;
        const g = step('reading the group ' + at, at, () => mw.get(lname));
        if (!g || !('attrs' in g) || !('keys' in g)) continue;
        const names = step('reading the weight_names of ' + at, at, () => value(g.attrs, 'weight_names'));
        const weights = [];
        for (const wn of strings(names)) {
          const wp = at + '/' + wn;
          const ds = step('reading the dataset ' + wp, wp, () => g.get(wn));
          if (!ds || !('shape' in ds)) { weights.push({ name: wn }); continue; }
          const shape = step('reading the shape of ' + wp, wp, () => ds.shape || []);
          const n = shape.reduce((a, b) => a * b, 1);
          if (!shape.every((x) => Number.isSafeInteger(x) && x >= 0) || n > max) { weights.push({ name: wn, shape }); continue; }
          weights.push({ name: wn, shape, value: step('reading the values of ' + wp, wp, () => ds.value), dtype: String(ds.dtype) });
        }
        out.groups.push({ name: lname, weights });
      }
    }
    return out;
  } finally {
    try { f.close(); } catch {}
  }
}
(async () => {
  const h5 = (await import(url)).default;
  const lib = await h5.ready;
  lib.activate_throwing_error_handler();
  parentPort.on('message', ({ path }) => {
    try {
      parentPort.postMessage({ ok: read(h5, path) });
    } catch (e) {
      parentPort.postMessage({ error: { what, ptr, message: String(e && e.message !== undefined ? e.message : e) } });
    }
  });
  parentPort.postMessage({ ready: true });
})();
`;

interface Reader {
  worker: Worker;
  ready: Promise<void>;
}

/** A worker whose library is known to be sound (it finished its last file or failed with an HDF5 error). */
let idle: Reader | null = null;

function startReader(): Reader {
  const worker = new Worker(WORKER, { eval: true, workerData: { url: h5wasmUrl(), max: MAX_DATASET_VALUES } });
  const ready = new Promise<void>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`the HDF5 library did not load within ${LOAD_LIMIT_MS / 1000} s`)), LOAD_LIMIT_MS);
    const onMessage = (m: { ready?: true }) => {
      if (!m.ready) return;
      clearTimeout(timer);
      worker.off('message', onMessage);
      res();
    };
    worker.on('message', onMessage);
    worker.once('error', (e) => {
      clearTimeout(timer);
      rej(e);
    });
    worker.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`the HDF5 reader stopped (exit code ${code})`));
    });
  });
  ready.catch(() => {}); // reported by readHdf5
  return { worker, ready };
}

/** Read the attributes and weight datasets of an HDF5 file (Keras layout); BNN212 when the library cannot. */
export async function readHdf5(path: string): Promise<RawH5> {
  const abs = resolve(path);
  // the library opens the file itself: a regular file within the import limit, checked first
  checkInputFile(path, 'import');
  let size: number;
  try {
    size = statSync(abs).size;
  } catch (e) {
    return fail('BNN200', '', `cannot read '${path}' (${(e as NodeJS.ErrnoException).code ?? 'error'})`, 'check the path');
  }
  const bnn212 = (ptr: string, message: string) => new DiagnosticError(diag('BNN212', ptr, message, DAMAGED));
  const reader = idle ?? startReader();
  idle = null;
  const { worker } = reader;
  worker.ref();
  try {
    await reader.ready;
  } catch (e) {
    void worker.terminate();
    throw bnn212('', `the HDF5 library failed to start: ${hdf5Reason(e instanceof Error ? e.message : String(e))}`);
  }
  const budget = HDF5_BUDGET_MS + Math.ceil(size / 1e6) * 1000;
  return new Promise<RawH5>((res, rej) => {
    let at: [string, string] = ['opening it', ''];
    const finish = (reusable: boolean, f: () => void) => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (reusable) {
        worker.unref();
        idle = reader;
      } else void worker.terminate();
      f();
    };
    const timer = setTimeout(() => finish(false, () => rej(bnn212(at[1], `the HDF5 library did not finish reading the file (${at[0]}) within ${budget / 1000} s: its structure is probably damaged (it can make the library loop)`))), budget);
    const onMessage = (m: { at?: [string, string]; ok?: RawH5; error?: { what: string; ptr: string; message: string } }) => {
      if (m.at) at = m.at;
      else if (m.ok) finish(true, () => res(m.ok!));
      else if (m.error) {
        const { what, ptr, message } = m.error;
        // after an HDF5 error the library is sound; after a WebAssembly abort or trap it is not
        finish(message.includes('HDF5-DIAG'), () => rej(bnn212(ptr, `the HDF5 library cannot read the file (${what}): ${hdf5Reason(message)}`)));
      }
    };
    const onError = (e: Error) => finish(false, () => rej(bnn212(at[1], `the HDF5 library failed (${at[0]}): ${hdf5Reason(e.message)}`)));
    const onExit = (code: number) => finish(false, () => rej(bnn212(at[1], `the HDF5 reader stopped (exit code ${code}) while ${at[0]}`)));
    worker.on('message', onMessage);
    worker.once('error', onError);
    worker.once('exit', onExit);
    worker.postMessage({ path: abs });
  });
}
