/**
 * Scratch trees for the output-safety tests: a project folder with a model, a foreign folder, a
 * file, links and a home folder; a snapshot of a tree (names, kinds, modes, contents, link targets)
 * to prove that a refused command changed nothing; and the CLI spawned as users run it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mlpJson } from '../../src/examples/seeded-models.js';
import { GraphBuilder } from '../helpers/onnx-build.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const MAIN = join(ROOT, 'dist', 'cli', 'main.js');

export interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function cli(cwd: string, args: string[], env: Record<string, string> = {}): Run {
  // a hang (Node's recursive mkdir under /proc loops forever) must fail the test, not stall the run
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, BNN_DEBUG: '', ...env }, timeout: 60_000, killSignal: 'SIGKILL' });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

export function cliAsync(cwd: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [MAIN, ...args], { cwd, env: { ...process.env, BNN_DEBUG: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A scratch tree: <root>/proj/cwd is the working folder; <root>/home the home folder (HOME). */
export interface Tree {
  root: string;
  cwd: string;
  home: string;
  model: string;
  onnx: string;
  env: Record<string, string>;
}

export function makeTree(): Tree {
  const root = mkdtempSync(join(tmpdir(), 'bnn-hw-out-'));
  const proj = join(root, 'proj');
  const cwd = join(proj, 'cwd');
  const home = join(root, 'home');
  for (const d of [cwd, home, join(proj, 'full'), join(cwd, 'full'), join(cwd, 'empty')]) mkdirSync(d, { recursive: true });
  const model = join(proj, 'tiny.json');
  writeFileSync(model, JSON.stringify(mlpJson({ name: 'tiny', seed: 1, inputs: 8, widths: [6], classes: 3, inputType: 'uint4', binarizeInput: true })));
  const g = new GraphBuilder(9, 'pytorch 1.7', { 'onnx.brevitas': 1 }, false);
  let x = g.input('0', ['N', 4]);
  g.input('W', [3, 4]);
  const w = g.init('W', [3, 4], [1, -1, 1, 1, -1, -1, 1, -1, 1, 1, -1, 1]);
  x = g.node('BipolarQuant', [x, g.init('s', [], [1])], {}, { domain: 'onnx.brevitas' });
  x = g.node('Gemm', [x, w], { transB: 1 });
  g.output(x, [1, 3]);
  const onnx = join(proj, 'tiny.onnx');
  writeFileSync(onnx, g.encode());
  writeFileSync(join(proj, 'notes.txt'), 'project notes\n');
  writeFileSync(join(proj, 'full', 'a.txt'), 'keep me\n');
  writeFileSync(join(cwd, 'full', 'a.txt'), 'keep me too\n');
  writeFileSync(join(cwd, 'file.txt'), 'a file\n');
  writeFileSync(join(home, '.profile'), '# home\n');
  symlinkSync('full', join(cwd, 'link-dir'));
  symlinkSync('nowhere', join(cwd, 'dangling'));
  symlinkSync('loop', join(cwd, 'loop'));
  return { root, cwd, home, model, onnx, env: { HOME: home } };
}

/** Every entry under `dir` (links not followed): kind, mode and content hash or link target. */
export function snapshot(dir: string, skip: (rel: string) => boolean = () => false): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    const p = join(dir, rel);
    const st = lstatSync(p);
    const mode = (st.mode & 0o7777).toString(8);
    if (st.isSymbolicLink()) out[rel] = `link ${readlinkSync(p)}`;
    else if (st.isDirectory()) {
      out[rel] = `dir ${mode}`;
      for (const n of readdirSync(p).sort()) if (!skip(join(rel, n))) walk(join(rel, n));
    } else out[rel] = `file ${mode} ${createHash('sha256').update(readFileSync(p)).digest('hex').slice(0, 16)}`;
  };
  walk('.');
  return out;
}

/** Names of temporary siblings the writers use (.<name>.tmp-<pid> and the like), anywhere under `dir`. */
export function temporaries(dir: string): string[] {
  return Object.keys(snapshot(dir)).filter((p) => /(^|\/)\.[^/]*\.(tmp|old)-/.test(p) || /\.tmp-\d+$/.test(p));
}

/** A process id that no process has now. */
export function deadPid(): number {
  for (let p = 4_000_000; ; p--) {
    try {
      process.kill(p, 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ESRCH') return p;
    }
  }
}
