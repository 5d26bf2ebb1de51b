/**
 * The files this process read as the user's inputs (the model, --input, --fold, the file to import,
 * the design folder of synth), by their real paths, so that an output never replaces one of them:
 * `import m.onnx -o m.onnx` or `generate out/model.json -o out` would otherwise destroy the input
 * they were made from (BNN141). The output checks consult this list when they run, and they run
 * again just before anything is written, after the inputs were read.
 */
import { realpathSync } from 'node:fs';
import { sep } from 'node:path';

const inputs = new Set<string>();

/** Note `path` (a file or folder) as an input of this command; a path that does not exist is ignored. */
export function noteInput(path: string): void {
  try {
    inputs.add(realpathSync(path));
  } catch {
    // not there (the reader reports that): nothing to protect
  }
}

/** The first input that the output `path` is, or holds when it is a folder; null when none. */
export function inputUnder(path: string): string | null {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return null;
  }
  const prefix = real.endsWith(sep) ? real : real + sep;
  for (const p of inputs) if (p === real || p.startsWith(prefix)) return p;
  return null;
}
