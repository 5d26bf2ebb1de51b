/**
 * The packed package as a user installs it: `npm pack`, installed from the tarball into a scratch folder
 * (offline from the npm cache; when the cache lacks the dependencies, the tarball is unpacked into
 * node_modules/bnn-hw and its dependencies are linked from this repository's node_modules, one
 * link per dependency, so that nothing is ever written into the repository's own tree), then
 * used from a plain Node ESM script and from TypeScript through the package's declarations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'dist', 'cli', 'main.js');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
let scratch = '';
let installedBy = '';

const SCRIPT = `
import { readFileSync } from 'node:fs';
import { DiagnosticError, estimate, generate, infer, loadModel, plan, simulate } from 'bnn-hw';
const dir = new URL('./node_modules/bnn-hw/examples/', import.meta.url);
const model = loadModel(new URL('tfc.json', dir).pathname);
const fold = new URL('folds/tfc-finn.json', dir).pathname;
const inputs = JSON.parse(readFileSync(new URL('tfc-inputs.json', dir), 'utf8')).inputs;
let refused = null;
try {
  loadModel({ format: 'bnn-hw/model@1' });
} catch (e) {
  refused = e instanceof DiagnosticError ? e.diagnostics.map((d) => d.code) : String(e);
}
const generated = await generate(model, { fold, outDir: 'design' });
const result = {
  infer: infer(model, inputs),
  inferFloat: infer(model, inputs, { engine: 'float' }),
  plan: plan(model, { fold }),
  simulate: simulate(model, { fold, inputs }),
  estimate: estimate(model, { fold, device: 'xc7z020' }),
  generated: { layers: generated.layers.length, files: generated.files },
  refused,
};
process.stdout.write(JSON.stringify(result));
`;

const CONSUMER_TS = `
import { DiagnosticError, plan, simulate, type PlanReport, type SimulateReport } from 'bnn-hw';
const p: PlanReport = plan('model.json', { targetFps: 1000, clockMhz: 100 });
const cycles: number = p.cyclesPerFrame;
const s: SimulateReport = simulate('model.json', { vectors: 2, stall: 0.1 });
const codes: string[] = new DiagnosticError([]).diagnostics.map((d) => d.code);
export { cycles, s, codes };
`;

function run(cmd: string, args: string[], cwd: string) {
  return spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 300_000 });
}

beforeAll(() => {
  execFileSync('npx', ['tsc', '-p', '.'], { cwd: ROOT, stdio: 'pipe' });
  scratch = mkdtempSync(join(tmpdir(), 'bnn-hw-pack-'));
  const packed = run('npm', ['pack', '--ignore-scripts', '--pack-destination', scratch], ROOT);
  const tgz = readdirSync(scratch).find((f) => f.endsWith('.tgz'));
  if (packed.status !== 0 || !tgz) throw new Error(`npm pack failed: ${packed.stderr}`);
  const project = join(scratch, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
  const installed = run('npm', ['install', join(scratch, tgz), '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], project);
  if (installed.status === 0) installedBy = 'npm install --offline';
  else {
    // the cache lacks the dependencies: unpack the tarball as npm would and link each dependency
    rmSync(join(project, 'node_modules'), { recursive: true, force: true });
    const target = join(project, 'node_modules', 'bnn-hw');
    mkdirSync(target, { recursive: true });
    execFileSync('tar', ['-xzf', join(scratch, tgz), '-C', target, '--strip-components=1']);
    for (const dep of Object.keys(pkg.dependencies)) symlinkSync(join(ROOT, 'node_modules', dep), join(project, 'node_modules', dep), 'dir');
    installedBy = 'tarball unpacked, dependencies linked';
  }
}, 600_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('ships the API, its declarations and what generate needs', () => {
    const root = join(scratch, 'project', 'node_modules', 'bnn-hw');
    for (const f of ['dist/api/index.js', 'dist/api/index.d.ts', 'dist/cli/main.js', 'templates/lib', 'examples/tfc.json', 'package.json']) {
      expect(existsSync(join(root, f)), `${f} (${installedBy})`).toBe(true);
    }
    expect(existsSync(join(root, 'src'))).toBe(false);
    expect(existsSync(join(root, 'test'))).toBe(false);
  });

  it('works from a plain Node ESM script: the same data as the CLI', () => {
    const project = join(scratch, 'project');
    writeFileSync(join(project, 'use.mjs'), SCRIPT);
    const r = run(process.execPath, ['use.mjs'], project);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const got = JSON.parse(r.stdout) as Record<string, { outputs?: unknown[]; mismatches?: number; plan?: unknown; cyclesPerFrame?: number; latencyCycles?: number; total?: { lut: number }; device?: { fits: boolean } }> & { refused: unknown; generated: { layers: number; files: string[] } };
    const ex = join(ROOT, 'examples');
    const fold = join(ex, 'folds', 'tfc-finn.json');
    const cli = (...args: string[]) => JSON.parse(run(process.execPath, [MAIN, ...args, '--json'], project).stdout) as unknown;
    expect(got.infer).toEqual(cli('infer', join(ex, 'tfc.json'), '--input', join(ex, 'tfc-inputs.json')));
    expect(got.inferFloat).toEqual(got.infer);
    expect(got.simulate).toEqual(cli('simulate', join(ex, 'tfc.json'), '--fold', fold, '--input', join(ex, 'tfc-inputs.json')));
    expect(got.simulate!.outputs).toEqual(got.infer!.outputs);
    expect(got.simulate!.mismatches).toBe(0);
    expect(got.simulate!.plan).toEqual({ cyclesPerFrame: got.plan!.cyclesPerFrame, latencyCycles: got.plan!.latencyCycles });
    expect(got.estimate).toEqual(cli('estimate', join(ex, 'tfc.json'), '--fold', fold, '--device', 'xc7z020'));
    expect(got.estimate!.device!.fits).toBe(true);
    expect(got.refused).toEqual(['BNN010', 'BNN010', 'BNN010', 'BNN010']); // name, input, layers, output missing
    expect(got.generated.files.filter((f) => f.startsWith('rtl/')).length).toBeGreaterThan(got.generated.layers);
    for (const f of got.generated.files) expect(existsSync(join(project, 'design', f)), f).toBe(true);
  });

  it('type-checks a TypeScript consumer against the declarations', () => {
    const project = join(scratch, 'project');
    writeFileSync(join(project, 'consumer.ts'), CONSUMER_TS);
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const args = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--skipLibCheck', '--types', 'node', '--typeRoots', join(ROOT, 'node_modules', '@types'), 'consumer.ts'];
    const ok = run(process.execPath, [tsc, ...args], project);
    expect(ok.stdout + ok.stderr).toBe('');
    // and a wrong use is caught: the declarations carry the option and result types
    writeFileSync(join(project, 'consumer.ts'), CONSUMER_TS.replace("{ vectors: 2, stall: 0.1 }", "{ vectors: 'two' }"));
    expect(run(process.execPath, [tsc, ...args], project).stdout).toMatch(/consumer\.ts.*error TS2322/);
  });
});
