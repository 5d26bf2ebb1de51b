/**
 * File writing that never leaves half-written results behind, for scripts and library use. The
 * rules (what may be replaced, temporary siblings, umask) are those of output-dir.ts and
 * output-file.ts; the CLI uses those modules directly.
 */
import { dirname } from 'node:path';
import { mapFsErrors } from './fs-errors.js';
import { type OutputDirOptions, writeOutputDirSync } from './output-dir.js';
import { writeFileOutput } from './output-file.js';
import { mkdirs } from './output-paths.js';

/** Write one file atomically, creating its folder if needed. */
export function writeFileAtomic(path: string, text: string | Uint8Array): void {
  mapFsErrors(path, () => mkdirs(dirname(path)));
  writeFileOutput(path, text);
}

/** Write a whole folder atomically; refuses to replace what bnn-hw did not write (see output-dir.ts). */
export function writeTreeAtomic(dir: string, files: ReadonlyMap<string, string | Uint8Array>, o: OutputDirOptions = {}): string {
  return writeOutputDirSync(dir, files, o);
}
