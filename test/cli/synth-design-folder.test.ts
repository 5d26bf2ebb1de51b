/**
 * `bnn-hw synth DIR` on a damaged or foreign design folder: a manifest.json that is not JSON, lacks
 * fields, comes from another format version, or carries names and paths that would be Yosys script
 * syntax (`;` starts a new command), a sources.f naming files outside the design, a damaged
 * estimate.json. Each must exit 1 with a coded diagnostic naming the file, before Yosys runs: no
 * stack trace, nothing written (no build/ folder), and no file appears where the injected commands
 * would have written it.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, makeTree, snapshot, type Tree } from './helpers.js';

let t: Tree;
let pristine = '';
beforeAll(() => {
  t = makeTree();
  pristine = join(t.root, 'pristine');
  const r = cli(t.cwd, ['generate', t.model, '-o', pristine], t.env);
  if (r.status !== 0) throw new Error(r.stderr);
  return () => rmSync(t.root, { recursive: true, force: true });
});

let n = 0;
const made: string[] = [];
afterEach(() => made.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A copy of the design with `damage` applied to it. */
function damaged(damage: (dir: string) => void): string {
  const dir = join(t.root, `design${n++}`);
  cpSync(pristine, dir, { recursive: true });
  made.push(dir);
  damage(dir);
  return dir;
}

const editManifest = (edit: (m: Record<string, unknown> & { layers: Record<string, unknown>[] }) => void) => (dir: string) => {
  const p = join(dir, 'manifest.json');
  const m = JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown> & { layers: Record<string, unknown>[] };
  edit(m);
  writeFileSync(p, JSON.stringify(m));
};

const PWNED = () => join(t.root, 'pwned');

const CASES: { what: string; damage: (dir: string) => void; code: string; file: string; message: RegExp }[] = [
  { what: 'manifest.json is not JSON', damage: (d) => writeFileSync(join(d, 'manifest.json'), '{not json'), code: 'BNN001', file: 'manifest.json', message: /manifest.json is not valid JSON/ },
  { what: 'manifest.json is an empty object', damage: (d) => writeFileSync(join(d, 'manifest.json'), '{}'), code: 'BNN225', file: 'manifest.json', message: /with no "format": expected "bnn-hw\/manifest@1"/ },
  { what: 'manifest.json of an older format', damage: editManifest((m) => (m['format'] = 'bnn-hw/manifest@0')), code: 'BNN225', file: 'manifest.json', message: /the format "bnn-hw\/manifest@0"/ },
  { what: 'layers is not an array', damage: editManifest((m) => (m['layers'] = 'x' as never)), code: 'BNN225', file: 'manifest.json', message: /at '\/layers': expected an array, found "x"/ },
  { what: 'a layer without its blocks (older bnn-hw)', damage: editManifest((m) => delete m.layers[1]!['blocks']), code: 'BNN225', file: 'manifest.json', message: /at '\/layers\/1\/blocks': expected an array, found nothing/ },
  { what: 'a negative stream width', damage: editManifest((m) => ((m['input'] as Record<string, unknown>)['tdataWidth'] = -3)), code: 'BNN225', file: 'manifest.json', message: /'\/input\/tdataWidth': expected a number >= 1, found -3/ },
  {
    what: 'a top module name that is a Yosys command', code: 'BNN225', file: 'manifest.json', message: /at '\/top': expected a plain Verilog identifier/,
    damage: editManifest((m) => (m['top'] = `tiny_top; tee -o ${PWNED()} stat; #`)),
  },
  {
    what: 'an instance name with a space', code: 'BNN225', file: 'manifest.json', message: /'\/layers\/1\/blocks\/0\/inst'/,
    damage: editManifest((m) => ((m.layers[1]!['blocks'] as Record<string, unknown>[])[0]!['inst'] = 'u a')),
  },
  {
    what: 'a source line that is a Yosys command', code: 'BNN225', file: 'flows/sources.f', message: /names "rtl\/x.v; tee -o .*": expected a file of the design that manifest.json lists/,
    damage: (d) => writeFileSync(join(d, 'flows', 'sources.f'), `${readFileSync(join(d, 'flows', 'sources.f'), 'utf8')}rtl/x.v; tee -o ${PWNED()} stat\n`),
  },
  {
    what: 'a source outside the design', code: 'BNN225', file: 'flows/sources.f', message: /names "\/etc\/passwd"/,
    damage: (d) => writeFileSync(join(d, 'flows', 'sources.f'), `/etc/passwd\n${readFileSync(join(d, 'flows', 'sources.f'), 'utf8')}`),
  },
  { what: 'estimate.json is truncated', damage: (d) => writeFileSync(join(d, 'flows', 'estimate.json'), '{"xilinx": {'), code: 'BNN001', file: 'flows/estimate.json', message: /estimate.json is not valid JSON/ },
  { what: 'estimate.json has the wrong shape', damage: (d) => writeFileSync(join(d, 'flows', 'estimate.json'), '{"xilinx": {"layers": 3}}'), code: 'BNN225', file: 'flows/estimate.json', message: /at '\/xilinx\/layers': expected an array, found 3/ },
  {
    what: 'manifest.json is a folder', code: 'BNN225', file: 'manifest.json', message: /manifest.json of the design '.*' is not a regular file/,
    damage: (d) => {
      rmSync(join(d, 'manifest.json'));
      mkdirSync(join(d, 'manifest.json'));
    },
  },
];

describe('synth on a damaged or foreign design folder', () => {
  it.each(CASES.map((c, i) => [c.code, c.what, i] as const))('%s: %s', (code, _what, i) => {
    const c = CASES[i]!;
    const dir = damaged(c.damage);
    const before = snapshot(t.root);
    const r = cli(t.cwd, ['synth', dir, '--arch', 'generic'], t.env);
    expect(r.stderr).toMatch(new RegExp(`^error\\[${code}\\]: `));
    expect(r.stderr).toMatch(c.message);
    expect(r.stderr).toContain(`at ${join(dir, c.file)}`);
    expect(r.stderr).toMatch(/\n {2}hint: \S/);
    expect(r.stderr).not.toMatch(/^ {4}at |internal error/m);
    expect(r.status).toBe(1);
    expect(snapshot(t.root)).toEqual(before);
    expect(existsSync(PWNED())).toBe(false);
  });

  it('the pristine design still synthesises (the checks accept what generate writes)', () => {
    const r = cli(t.cwd, ['synth', pristine, '--arch', 'generic', '--json'], t.env);
    expect(r.status, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { layers: unknown[] }).layers.length).toBeGreaterThan(0);
  });
});
