/**
 * Folder outputs (`generate -o`, `verify -o`, the default rtl-out/<name>). The target is replaced
 * only when it does not exist, is an empty folder or is a design bnn-hw wrote (its manifest.json);
 * --force also allows any other folder, but never the root, the working folder or one of its
 * parents, the home folder or one of its parents, and never something that is not a folder (a
 * file, a device, a symbolic link). The new tree is written into a temporary sibling that then
 * replaces the target by two renames. Rules: docs/output-folders.md.
 */
import { lstatSync, mkdirSync, readFileSync, readdirSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fsFail, isFsError, mapFsErrors } from './fs-errors.js';
import { onInterrupt } from './interrupt.js';
import { inputUnder } from './inputs-read.js';
import { cleanStale, describeKind, lstatOrNull, mkdirs, protectedFolder, refuse, tempSibling } from './output-paths.js';

export interface OutputDirOptions {
  /** also replace a non-empty folder bnn-hw did not write */
  force?: boolean;
  /** how to recognise a folder of this kind that bnn-hw wrote (default: a design, isBnnHwFolder), and its name in messages */
  own?: { test: (dir: string) => boolean; what: string };
}

/** The manifest every design carries (src/flows/design.ts): its format tag and generator mark the folder as bnn-hw's. */
export function isBnnHwFolder(dir: string): boolean {
  try {
    const file = join(dir, 'manifest.json');
    const st = lstatSync(file);
    if (!st.isFile() || st.size > 64 << 20) return false;
    const m = JSON.parse(readFileSync(file, 'utf8')) as { format?: unknown; generator?: unknown } | null;
    return typeof m?.format === 'string' && m.format.startsWith('bnn-hw/manifest@') && typeof m.generator === 'string' && m.generator.startsWith('bnn-hw');
  } catch {
    return false;
  }
}

/**
 * Check that the folder `path` may be (re)placed by a new output; returns the absolute path and
 * whether something is there now. Throws BNN140 (a foreign folder, without --force), BNN141 (never
 * replaced) or BNN142 (a filesystem error). Also tidies the temporary siblings of killed runs.
 */
export function checkOutputDir(path: string, o: OutputDirOptions = {}): { dir: string; exists: boolean } {
  const dir = resolve(path);
  const never = (what: string) =>
    refuse('BNN141', dir, `cannot write the output folder '${dir}': it is ${what}`, 'choose a new or empty folder, e.g. -o rtl-out/<name>; --force does not apply to this path');
  const why = protectedFolder(dir);
  if (why) never(why);
  cleanStale(dir);
  const st = mapFsErrors(dir, () => lstatOrNull(dir), 'write the output folder');
  if (!st) return { dir, exists: false };
  if (!st.isDirectory()) never(describeKind(dir, st));
  const input = inputUnder(dir);
  if (input) never(input === realpathSync(dir) ? `'${input}', an input of this command` : `the folder that holds '${input}', an input of this command, which replacing the folder would delete`);
  const names = mapFsErrors(dir, () => readdirSync(dir), 'read the output folder');
  const own = o.own ?? { test: isBnnHwFolder, what: 'no design written by bnn-hw (no bnn-hw manifest.json)' };
  if (names.length === 0 || own.test(dir) || o.force) return { dir, exists: true };
  const shown = names.sort().slice(0, 3).map((n) => `'${n}'`).join(', ') + (names.length > 3 ? ', ...' : '');
  return refuse(
    'BNN140',
    dir,
    `the output folder '${dir}' already exists and holds ${names.length} ${names.length === 1 ? 'entry' : 'entries'} (${shown}) but ${own.what}`,
    'choose a new or empty folder, or pass --force to replace this folder and everything in it',
  );
}

/** The writer as steps: a `yield` after every file lets the async driver handle signals in between. */
function* writeSteps(path: string, files: ReadonlyMap<string, string | Uint8Array>, o: OutputDirOptions): Generator<void, string> {
  const { dir } = checkOutputDir(path, o);
  const tmp = tempSibling(dir, 'tmp');
  mapFsErrors(dir, () => {
    mkdirs(dirname(dir));
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp); // mode 0777 minus the umask, as for every folder and file below
  }, 'write the output folder');
  const done = onInterrupt(() => rmSync(tmp, { recursive: true, force: true }));
  try {
    for (const [rel, text] of [...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const p = join(tmp, rel);
      mkdirs(dirname(p));
      writeFileSync(p, text);
      yield;
    }
    // the target may have changed while the files were written: check again, then swap
    const { exists } = checkOutputDir(dir, o);
    if (!exists) renameSync(tmp, dir);
    else {
      const old = tempSibling(dir, 'old');
      renameSync(dir, old);
      try {
        renameSync(tmp, dir);
      } catch (e) {
        renameSync(old, dir);
        throw e;
      }
      try {
        rmSync(old, { recursive: true, force: true });
      } catch {
        // the new output is in place; the next run removes what is left of the old one
      }
    }
    return dir;
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (isFsError(e)) fsFail(e, dir, 'write the output folder');
    throw e;
  } finally {
    done();
  }
}

/** Test hook: milliseconds to wait after each file, so that a test can interrupt a write. */
const delayMs = (): number => Number(process.env['BNN_HW_TEST_WRITE_DELAY_MS'] ?? 0) || 0;

/**
 * Write a whole folder atomically (see the module comment); returns the absolute path. SIGINT,
 * SIGTERM or SIGHUP while the files are written remove the temporary folder and end the process.
 */
export async function writeOutputDir(path: string, files: ReadonlyMap<string, string | Uint8Array>, o: OutputDirOptions = {}): Promise<string> {
  const steps = writeSteps(path, files, o);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    const ms = delayMs();
    await new Promise((done) => (ms > 0 ? setTimeout(done, ms) : setImmediate(done)));
  }
}

/** The same without yielding (scripts, library use): signals are not caught. */
export function writeOutputDirSync(path: string, files: ReadonlyMap<string, string | Uint8Array>, o: OutputDirOptions = {}): string {
  const steps = writeSteps(path, files, o);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}
