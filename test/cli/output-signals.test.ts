/**
 * Interrupted writes, modes and leftovers. SIGINT / SIGTERM while `generate` writes its folder (the
 * test hook BNN_HW_TEST_WRITE_DELAY_MS slows the write so that the signal lands inside it) must
 * remove the temporary folder, keep the previous output as it was and exit 130 / 143; `verify`
 * without -o removes its temporary design. New folders and files get the user's umask. Temporary
 * siblings left by killed runs are tidied on the next run; a folder renamed aside is put back.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAIN, ROOT, cli, cliAsync, deadPid, makeTree, snapshot, temporaries, type Tree } from './helpers.js';

let tree: Tree | null = null;
const fresh = (): Tree => (tree = makeTree());

beforeAll(() => {
  execFileSync('npx', ['tsc', '-p', '.'], { cwd: ROOT, stdio: 'pipe' });
});

afterEach(() => {
  if (tree) rmSync(tree.root, { recursive: true, force: true });
  tree = null;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Wait until `find()` is true (or fail after `ms`). */
async function until(find: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!find()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Every path under `dir` (recursively) whose last part matches `re`. */
function find(dir: string, re: RegExp): string[] {
  if (!existsSync(dir)) return [];
  return Object.keys(snapshot(dir)).filter((p) => re.test(p.split('/').pop()!));
}

describe('signals during the write', () => {
  it.each([['SIGINT', 130], ['SIGTERM', 143]] as const)('%s: the temporary folder is removed, the previous output kept, exit %i', async (sig, code) => {
    const t = fresh();
    expect(cli(t.cwd, ['generate', t.model, '-o', 'out'], t.env).status).toBe(0);
    const before = snapshot(t.root);
    const child = cliAsync(t.cwd, ['generate', t.model, '-o', 'out'], { ...t.env, BNN_HW_TEST_WRITE_DELAY_MS: '150' });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((r) => child.on('exit', (c, s) => r([c, s])));
    await until(() => readdirSync(t.cwd).some((n) => n.startsWith('.out.tmp-')), 60_000, 'the temporary folder');
    await sleep(300); // a few files into the write
    child.kill(sig);
    const [status, signal] = await exited;
    expect(signal).toBe(null);
    expect(status).toBe(code);
    expect(stderr).toContain(`error[BNN143]: interrupted by ${sig}`);
    expect(temporaries(t.root)).toEqual([]);
    expect(snapshot(t.root)).toEqual(before);
  });

  it('verify without -o: SIGTERM removes its temporary design folder', async () => {
    const t = fresh();
    const tmp = join(t.root, 'tmp');
    mkdirSync(tmp);
    const child = cliAsync(t.cwd, ['verify', t.model, '--simulator', 'ts', '--vectors', '2'], { ...t.env, TMPDIR: tmp, BNN_HW_TEST_WRITE_DELAY_MS: '150' });
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    await until(() => find(tmp, /\.tmp-\d+$/).length > 0, 60_000, 'the temporary design folder');
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(readdirSync(tmp)).toEqual([]);
  });
});

describe('modes', () => {
  it('new folders and files get the umask (027: rwxr-x--- and rw-r-----), not 0700', () => {
    const t = fresh();
    const run = (...args: string[]) =>
      spawnSync('sh', ['-c', 'umask 027 && exec "$0" "$@"', process.execPath, MAIN, ...args], { cwd: t.cwd, encoding: 'utf8', env: { ...process.env, ...t.env } });
    for (const args of [['generate', t.model, '-o', 'a/b/out'], ['verify', t.model, '--simulator', 'ts', '--vectors', '2', '-o', 'v'], ['schema', '-o', 's.json']]) {
      const r = run(...args);
      expect(r.status, r.stderr).toBe(0);
    }
    const mode = (p: string) => (statSync(join(t.cwd, p)).mode & 0o777).toString(8);
    for (const d of ['a', 'a/b', 'a/b/out', 'a/b/out/rtl', 'v', 'v/tb']) expect(mode(d), d).toBe('750');
    for (const f of ['a/b/out/manifest.json', 'v/manifest.json', 's.json']) expect(mode(f), f).toBe('640');
  });
});

describe('leftovers of killed runs', () => {
  it('stale temporary siblings of dead processes are removed; those of live ones are kept', () => {
    const t = fresh();
    const dead = deadPid();
    expect(cli(t.cwd, ['generate', t.model, '-o', 'out'], t.env).status).toBe(0); // so the .old- one is garbage
    for (const n of [`.out.tmp-${dead}`, `.out.old-${dead}`, `.out.tmp-${process.pid}`]) {
      mkdirSync(join(t.cwd, n, 'rtl'), { recursive: true });
      writeFileSync(join(t.cwd, n, 'rtl', 'x.v'), 'module x; endmodule\n');
    }
    writeFileSync(join(t.cwd, `.s.json.tmp-${dead}`), '{"half": ');
    expect(cli(t.cwd, ['generate', t.model, '-o', 'out'], t.env).status).toBe(0);
    expect(cli(t.cwd, ['schema', '-o', 's.json'], t.env).status).toBe(0);
    expect(readdirSync(t.cwd).filter((n) => n.startsWith('.')).sort()).toEqual([`.out.tmp-${process.pid}`]);
  });

  it('a folder a killed run had renamed aside is put back before anything else happens', () => {
    const t = fresh();
    const aside = join(t.cwd, `.mine.old-${deadPid()}`);
    mkdirSync(aside);
    writeFileSync(join(aside, 'thesis.tex'), 'chapter 1\n');
    const r = cli(t.cwd, ['generate', t.model, '-o', 'mine'], t.env);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('error[BNN140]');
    expect(existsSync(join(t.cwd, 'mine', 'thesis.tex'))).toBe(true);
    expect(existsSync(aside)).toBe(false);
  });
});
