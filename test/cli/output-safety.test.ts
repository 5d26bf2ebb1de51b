/**
 * Every command that writes (synth's work folder included), pointed at outputs it must not replace: a non-empty folder, a file,
 * `.`, `..`, an empty path, symbolic links (to a folder, dangling, a loop), a path under a file,
 * /proc and /sys, a name too long. Each must exit 1 with a BNN14x diagnostic naming the path and
 * change nothing in the scratch tree (names, kinds, modes, contents), temporary files included.
 * Then what must work: reruns over bnn-hw's own folders, --force over a foreign folder (and where
 * --force is still refused), replacing a regular file, writing through a character device.
 */
import { beforeAll, afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT, cli, makeTree, snapshot, temporaries, type Tree } from './helpers.js';

interface Writer {
  cmd: string;
  kind: 'folder' | 'file';
  args: (t: Tree, out: string) => string[];
  /** the file that marks a folder output as this command's (default manifest.json) */
  marker?: string;
}

/** A generated design beside the working folder, for synth (made before the tree is snapshotted). */
function design(t: Tree): string {
  const d = join(t.root, 'design');
  if (!existsSync(d)) {
    const r = cli(t.cwd, ['generate', t.model, '-o', d], t.env);
    if (r.status !== 0) throw new Error(r.stderr);
  }
  return d;
}

const WRITERS: Writer[] = [
  { cmd: 'generate', kind: 'folder', args: (t, o) => ['generate', t.model, '-o', o] },
  { cmd: 'verify', kind: 'folder', args: (t, o) => ['verify', t.model, '--simulator', 'ts', '--vectors', '2', '-o', o] },
  { cmd: 'import', kind: 'file', args: (t, o) => ['import', t.onnx, '--input-type', 'int8', '--model-output', 'scores', '-o', o] },
  { cmd: 'schema', kind: 'file', args: (_t, o) => ['schema', '-o', o] },
  { cmd: 'estimate', kind: 'file', args: (t, o) => ['estimate', t.model, '--pareto', o] },
  { cmd: 'simulate', kind: 'file', args: (t, o) => ['simulate', t.model, '--vectors', '2', '--vcd', o] },
  { cmd: 'synth', kind: 'folder', args: (t, o) => ['synth', design(t), '--arch', 'generic', '-o', o], marker: 'synth.ys' },
];

/** Outputs no writer may touch (relative to the working folder <root>/proj/cwd). */
const REFUSED = ['full', '.', '..', '', 'link-dir', 'dangling', 'file.txt/sub', 'loop/x', 'loop', 'n'.repeat(300), '/proc/bnn-hw-test/out', '/sys/bnn-hw-test'];
const REFUSED_FOLDER = ['file.txt', 'link-dir/'];
const REFUSED_FILE = ['missing/out.x', 'empty'];

let tree: Tree | null = null;
const fresh = (): Tree => (tree = makeTree());

beforeAll(() => {
  execFileSync('npx', ['tsc', '-p', '.'], { cwd: ROOT, stdio: 'pipe' });
});

afterEach(() => {
  if (tree) rmSync(tree.root, { recursive: true, force: true });
  tree = null;
});

function expectRefused(t: Tree, args: string[], target: string, codes = /^error\[BNN14[0-2]\]/m): void {
  const before = snapshot(t.root);
  const r = cli(t.cwd, args, t.env);
  expect(r.status, r.stderr).toBe(1);
  expect(r.stderr).toMatch(codes);
  expect(r.stderr).not.toMatch(/^ {4}at /m);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.stderr).toContain(resolve(t.cwd, target).replace(/\/$/, ''));
  expect(snapshot(t.root)).toEqual(before);
  expect(temporaries(t.root)).toEqual([]);
}

describe.each(WRITERS)('$cmd: outputs it must not replace', (w) => {
  const targets = [...REFUSED, ...(w.kind === 'folder' ? REFUSED_FOLDER : REFUSED_FILE)];
  it.each(targets.map((x) => [x]))('-> %j: exit 1, a diagnostic, nothing changed', (target) => {
    const t = fresh();
    expectRefused(t, w.args(t, target), target);
  });
});

describe.each(WRITERS.filter((w) => w.kind === 'folder'))('$cmd --force', (w) => {
  it.each(['.', '..', '', 'HOME', 'file.txt', 'link-dir', 'dangling'].map((x) => [x]))('is still refused for %j (BNN141)', (target) => {
    const t = fresh();
    const out = target === 'HOME' ? t.home : target;
    expectRefused(t, [...w.args(t, out), '--force'], out, /^error\[BNN141\]/m);
  });

  it('replaces a foreign folder and nothing else', () => {
    const t = fresh();
    const args = [...w.args(t, 'full'), '--force'];
    const before = snapshot(t.root, (p) => p.startsWith('proj/cwd/full'));
    const r = cli(t.cwd, args, t.env);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(t.cwd, 'full', w.marker ?? 'manifest.json'))).toBe(true);
    expect(existsSync(join(t.cwd, 'full', 'a.txt'))).toBe(false);
    expect(snapshot(t.root, (p) => p.startsWith('proj/cwd/full'))).toEqual(before);
    expect(temporaries(t.root)).toEqual([]);
  });

  it('without --force refuses it with BNN140 and says how to proceed', () => {
    const t = fresh();
    const r = cli(t.cwd, w.args(t, 'full'), t.env);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`error[BNN140]: the output folder '${join(t.cwd, 'full')}' already exists`);
    expect(r.stderr).toContain('--force');
  });
});

describe('folders bnn-hw wrote', () => {
  it('are replaced on a rerun, also after synth / verify wrote build files into them', () => {
    const t = fresh();
    expect(cli(t.cwd, ['generate', t.model, '-o', 'out'], t.env).status).toBe(0);
    mkdirSync(join(t.cwd, 'out', 'build', 'synth-xilinx'), { recursive: true });
    writeFileSync(join(t.cwd, 'out', 'build', 'synth-xilinx', 'report.json'), '{}\n');
    const r = cli(t.cwd, ['generate', t.model, '-o', 'out'], t.env);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(t.cwd, 'out', 'build'))).toBe(false);
    const v = cli(t.cwd, ['verify', t.model, '--simulator', 'ts', '--vectors', '2', '-o', 'out'], t.env);
    expect(v.status, v.stderr).toBe(0);
    expect(cli(t.cwd, ['generate', t.model, '-o', 'out'], t.env).status).toBe(0);
    expect(temporaries(t.root)).toEqual([]);
  });

  it('an empty folder and the default rtl-out/<name> are fine', () => {
    const t = fresh();
    expect(cli(t.cwd, ['generate', t.model, '-o', 'empty'], t.env).status).toBe(0);
    expect(existsSync(join(t.cwd, 'empty', 'manifest.json'))).toBe(true);
    expect(cli(t.cwd, ['generate', t.model], t.env).status).toBe(0);
    expect(existsSync(join(t.cwd, 'rtl-out', 'tiny', 'manifest.json'))).toBe(true);
  });

  it('a manifest.json that is not bnn-hw\'s does not make a folder bnn-hw\'s', () => {
    const t = fresh();
    writeFileSync(join(t.cwd, 'full', 'manifest.json'), '{"name": "my web app", "version": 2}\n');
    expectRefused(t, ['generate', t.model, '-o', 'full'], 'full', /^error\[BNN140\]/m);
  });
});

describe.each(WRITERS.filter((w) => w.kind === 'file'))('$cmd: file outputs', (w) => {
  it('replace a regular file (through a link: its target), nothing else', () => {
    const t = fresh();
    symlinkSync('file.txt', join(t.cwd, 'link-file'));
    const skip = (p: string) => p === 'proj/cwd/file.txt';
    const before = snapshot(t.root, skip);
    for (const out of ['file.txt', 'link-file']) {
      const r = cli(t.cwd, w.args(t, out), t.env);
      expect(r.status, r.stderr).toBe(0);
      expect(readFileSync(join(t.cwd, 'file.txt'), 'utf8')).not.toBe('a file\n');
      expect(snapshot(t.root, skip)).toEqual(before);
      expect(temporaries(t.root)).toEqual([]);
    }
  });
});

describe('character devices', () => {
  it.each(WRITERS.map((w) => [w.cmd, w] as const))('%s -o /dev/null: written through by file outputs, refused by folder outputs; never replaced', (_cmd, w) => {
    const t = fresh();
    const r = cli(t.cwd, w.args(t, '/dev/null'), t.env);
    if (w.kind === 'folder') {
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("error[BNN141]: cannot write the output folder '/dev/null': it is a character device");
    } else expect(r.status, r.stderr).toBe(0);
    expect(lstatSync('/dev/null').isCharacterDevice()).toBe(true);
  });
});

describe('the safety net at the CLI catch site', () => {
  it('an unmapped filesystem error is a diagnostic with exit 1, not an internal error (70)', () => {
    const t = fresh();
    mkdirSync(join(t.cwd, 'design', 'manifest.json'), { recursive: true });
    const r = cli(t.cwd, ['synth', 'design'], t.env);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error\[BNN\d+\]/m);
    expect(r.stderr).not.toMatch(/internal error/);
  });
});
