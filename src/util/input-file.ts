/**
 * The one reader of the user's input files (model, --input, --fold, the file to import, dataset
 * files, the files of a design folder). A device, FIFO, socket or folder is refused before it is
 * opened (`/dev/zero` never ends, a FIFO blocks until someone writes), and at most a documented
 * number of bytes is read per kind of file, so that an endless or huge file cannot hang the command
 * or exhaust its memory. The limits are listed in docs/input-files.md.
 *
 * Order: stat (follows symbolic links), refuse a non-regular file or one larger than the limit,
 * open without blocking (O_NONBLOCK: a FIFO swapped in after the stat cannot block the open), check
 * the opened file again (fstat), then read until the end of the file or one byte past the limit (a
 * file that grows, or claims size 0 as /proc files do, is still capped).
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { DiagnosticError, diag, type DiagCode } from '../diagnostics/diagnostic.js';
import { noteInput } from './inputs-read.js';

const MiB = 2 ** 20;

export type InputFileKind = 'model' | 'inputs' | 'npy' | 'folding' | 'import' | 'dataset' | 'design';

interface KindInfo {
  /** the code of every problem reading this kind of file */
  code: DiagCode;
  /** 'model file' in "cannot read model file 'x'" ('' for the file to import: "cannot read 'x'") */
  noun: string;
  /** 'model files' in "the limit of 256 MiB for model files" */
  plural: string;
  maxBytes: number;
  /** what to do about a file over the limit */
  tooLarge: string;
}

/** Per kind of input file: the diagnostic code and the most bytes read. */
export const INPUT_FILES: Readonly<Record<InputFileKind, Readonly<KindInfo>>> = {
  // 2^28 weight bits (the model limit) packed are 43 MiB of base64; nested arrays take 2 bytes a weight or more
  model: { code: 'BNN002', noun: 'model file', plural: 'model files', maxBytes: 256 * MiB, tooLarge: 'store large weight tensors packed ({"shape", "packed"}, docs/model-format.md), or check that this is the right file' },
  inputs: { code: 'BNN072', noun: 'input file', plural: 'JSON input files', maxBytes: 256 * MiB, tooLarge: 'split the inputs over several files, or give them as a .npy file' },
  // one input of 2^26 float64 values is 512 MiB
  npy: { code: 'BNN072', noun: 'input file', plural: '.npy input files', maxBytes: 1024 * MiB, tooLarge: 'split the inputs over several files' },
  folding: { code: 'BNN080', noun: 'folding file', plural: 'folding files', maxBytes: 16 * MiB, tooLarge: 'check that this is the right file: a folding file holds a PE and SIMD per layer' },
  // ONNX / HDF5: 2^28 weights (the model limit) stored as float32 are 1 GiB
  import: { code: 'BNN200', noun: '', plural: 'files to import', maxBytes: 1536 * MiB, tooLarge: 'check that this is the right file: a model within bnn-hw\'s limits (2^28 weight bits) is smaller' },
  // Fashion-MNIST's largest file (train images, uncompressed) is 45 MiB
  dataset: { code: 'BNN210', noun: 'dataset file', plural: 'dataset files', maxBytes: 256 * MiB, tooLarge: 'reinstall the dataset package' },
  // a generated design folder's manifest, source list and estimate
  design: { code: 'BNN225', noun: 'file of the design folder', plural: 'the files of a design folder', maxBytes: 64 * MiB, tooLarge: 'regenerate the design with bnn-hw generate' },
};

const sizeText = (n: number): string => (n >= MiB && n % MiB === 0 ? `${n / MiB} MiB` : `${n} bytes`);

/** What a non-regular file is, in words; null for a regular file. */
export function notRegular(st: Stats): string | null {
  if (st.isFile()) return null;
  if (st.isDirectory()) return 'a folder';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** The checks and diagnostics of one read: the kind's code, its noun in messages ("model file 'm.json'"), the limit. */
function problems(path: string, kind: InputFileKind, maxBytes: number) {
  const k = { ...INPUT_FILES[kind], maxBytes };
  const named = `${k.noun ? `${k.noun} ` : ''}'${path}'`;
  const refuse = (message: string, hint: string): never => {
    throw new DiagnosticError({ ...diag(k.code, '', message, hint), file: path });
  };
  const cannot = (e: unknown): never => refuse(`cannot read ${named} (${(e as NodeJS.ErrnoException).code ?? 'error'})`, 'check the path');
  return {
    k,
    /** a file-system call; its error becomes the kind's "cannot read" diagnostic */
    io: <T>(f: () => T): T => {
      try {
        return f();
      } catch (e) {
        return cannot(e);
      }
    },
    check: (st: Stats): void => {
      const t = notRegular(st);
      if (t === 'a folder') refuse(`cannot read ${named}: it is a folder`, 'give the path of a file');
      if (t) refuse(`cannot read ${named}: it is ${t}, not a regular file`, 'give a regular file: bnn-hw does not read devices, FIFOs or sockets (they may never end)');
      if (st.size > k.maxBytes) refuse(`${named} has ${st.size} bytes, more than the limit of ${sizeText(k.maxBytes)} for ${k.plural}`, k.tooLarge);
    },
    tooLong: (): never => refuse(`${named} holds more than the limit of ${sizeText(k.maxBytes)} for ${k.plural}`, k.tooLarge),
  };
}

/**
 * The bytes of the input file `path` of the given kind; a coded diagnostic (the kind's code, naming
 * the file) when it cannot be read, is not a regular file or is over the kind's limit. The file is
 * noted as an input of the command (src/util/inputs-read.ts), so no output replaces it. `maxBytes`
 * (default: the kind's limit) is for tests.
 */
export function readInputFile(path: string, kind: InputFileKind, maxBytes = INPUT_FILES[kind].maxBytes): Buffer {
  const p = problems(path, kind, maxBytes);
  p.check(p.io(() => statSync(path)));
  const fd = p.io(() => openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)));
  try {
    const fst = p.io(() => fstatSync(fd));
    p.check(fst);
    const max = p.k.maxBytes;
    const chunks: Buffer[] = [];
    let total = 0;
    // one byte more than the file claims, to see its end in the same read
    let want = Math.min(fst.size, max) + 1;
    for (;;) {
      const buf = Buffer.allocUnsafe(want);
      const n = p.io(() => readSync(fd, buf, 0, want, null));
      if (n === 0) break;
      chunks.push(n === want ? buf : buf.subarray(0, n));
      total += n;
      if (total > max) return p.tooLong();
      want = Math.min(Math.max(64 * 1024, total), max + 1 - total);
    }
    noteInput(path);
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

/** The same as UTF-8 text. */
export function readInputText(path: string, kind: InputFileKind): string {
  return readInputFile(path, kind).toString('utf8');
}

/** Check without reading: `path` is a regular file within the kind's limit (for a library that opens the file itself). */
export function checkInputFile(path: string, kind: InputFileKind): void {
  const p = problems(path, kind, INPUT_FILES[kind].maxBytes);
  p.check(p.io(() => statSync(path)));
}
