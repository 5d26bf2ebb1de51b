/**
 * Input files that never end, block or are huge (issue 10): `inspect /dev/zero` and `import
 * /dev/zero` ran until memory ran out, a FIFO blocked the open forever. Now a device, a FIFO or a
 * folder is refused before it is opened, and a file over the documented limit of its kind
 * (docs/input-files.md) before it is read: for inspect, import, infer --input and generate --fold,
 * exit 1 with the kind's code within seconds, and nothing is written. The sparse files take no
 * disk space; the reader looks only at their size.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { lstatSync, readdirSync, rmSync, truncateSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, makeTree, type Tree } from './helpers.js';
import { DiagnosticError } from '../../src/diagnostics/diagnostic.js';
import { readInputFile } from '../../src/util/input-file.js';

let t: Tree;
const MiB = 2 ** 20;

/** Names and kinds under `dir` without opening a file (a FIFO would block a read). */
function listing(dir: string, rel = '.'): string[] {
  const out: string[] = [];
  for (const n of readdirSync(join(dir, rel)).sort()) {
    const r = join(rel, n);
    const st = lstatSync(join(dir, r));
    out.push(`${r} ${st.isDirectory() ? 'dir' : st.isFIFO() ? 'fifo' : st.size}`);
    if (st.isDirectory()) out.push(...listing(dir, r));
  }
  return out;
}

beforeAll(() => {
  t = makeTree();
  copyFileSync(t.model, join(t.cwd, 'tiny.json'));
  execFileSync('mkfifo', [join(t.cwd, 'fifo')]);
  mkdirSync(join(t.cwd, 'folder'));
  // one byte over each documented limit (docs/input-files.md)
  const sparse = (name: string, bytes: number) => {
    writeFileSync(join(t.cwd, name), '');
    truncateSync(join(t.cwd, name), bytes);
  };
  sparse('big-model.json', 256 * MiB + 1);
  sparse('big.onnx', 1536 * MiB + 1);
  sparse('big-in.json', 256 * MiB + 1);
  sparse('big-in.npy', 1024 * MiB + 1);
  sparse('big-fold.json', 16 * MiB + 1);
});

afterAll(() => {
  if (t) rmSync(t.root, { recursive: true, force: true });
});

const COMMANDS = {
  inspect: { code: 'BNN002', noun: 'model file', args: (f: string) => ['inspect', f], big: 'big-model.json' },
  import: { code: 'BNN200', noun: '', args: (f: string) => ['import', f, '-o', 'out.json'], big: 'big.onnx' },
  'infer --input': { code: 'BNN072', noun: 'input file', args: (f: string) => ['infer', 'tiny.json', '--input', f], big: 'big-in.json' },
  'generate --fold': { code: 'BNN080', noun: 'folding file', args: (f: string) => ['generate', 'tiny.json', '--fold', f, '-o', 'out'], big: 'big-fold.json' },
} as const;

function refused(args: string[], code: string): string {
  const before = listing(t.cwd);
  const t0 = Date.now();
  const r = cli(t.cwd, args, t.env);
  const seconds = (Date.now() - t0) / 1000;
  expect(r.signal, `${args.join(' ')} hung`).toBeNull();
  expect(r.stderr).toMatch(new RegExp(`^error\\[${code}\\]: `));
  expect(r.stderr).not.toMatch(/internal error|^ {4}at /m);
  expect(r.status).toBe(1);
  expect(r.stdout).toBe('');
  expect(seconds).toBeLessThan(10);
  expect(listing(t.cwd)).toEqual(before);
  return r.stderr.split('\n')[0]!;
}

describe.each(Object.entries(COMMANDS))('%s', (_, c) => {
  const named = (f: string) => `${c.noun ? `${c.noun} ` : ''}'${f}'`;

  it('/dev/zero: refused as a character device, not read', () => {
    expect(refused(c.args('/dev/zero'), c.code)).toBe(`error[${c.code}]: cannot read ${named('/dev/zero')}: it is a character device, not a regular file`);
  });

  it('a FIFO nobody writes to: refused without opening it', () => {
    expect(refused(c.args('fifo'), c.code)).toBe(`error[${c.code}]: cannot read ${named('fifo')}: it is a FIFO (named pipe), not a regular file`);
  });

  it('a folder: refused', () => {
    expect(refused(c.args('folder'), c.code)).toBe(`error[${c.code}]: cannot read ${named('folder')}: it is a folder`);
  });

  it('a file one byte over the limit of its kind: refused before it is read', () => {
    expect(refused(c.args(c.big), c.code)).toMatch(new RegExp(`^error\\[${c.code}\\]: ${named(c.big)} has \\d+ bytes, more than the limit of \\d+ MiB for `));
  });
});

it('a .npy input over its limit (1 GiB): BNN072', () => {
  expect(refused(['infer', 'tiny.json', '--input', 'big-in.npy'], 'BNN072')).toBe(`error[BNN072]: input file 'big-in.npy' has ${1024 * MiB + 1} bytes, more than the limit of 1024 MiB for .npy input files`);
});

describe('the reader', () => {
  it('a file that claims size 0 (/proc) is read to its end, and stopped one byte past the limit', () => {
    const maps = readInputFile('/proc/self/maps', 'folding');
    expect(maps.length).toBeGreaterThan(100);
    let err: unknown = null;
    try {
      readInputFile('/proc/self/maps', 'folding', 100);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DiagnosticError);
    expect((err as DiagnosticError).diagnostics[0]).toMatchObject({ code: 'BNN080', message: "folding file '/proc/self/maps' holds more than the limit of 100 bytes for folding files" });
  });
});
