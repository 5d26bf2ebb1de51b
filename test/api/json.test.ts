/**
 * The API returns what the CLI's --json prints: each function against the command it backs, on the
 * examples (the CLI spawned from dist/ after building it, the API imported from the sources), and bad
 * input throws DiagnosticError holding the diagnostics --json prints.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DiagnosticError, estimate, generate, infer, inspect, loadModel, plan, simulate } from '../../src/api/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'dist', 'cli', 'main.js');
const TFC = join(ROOT, 'examples', 'tfc.json');
const FOLD = join(ROOT, 'examples', 'folds', 'tfc-finn.json');
const INPUTS = join(ROOT, 'examples', 'tfc-inputs.json');

function cliJson(cwd: string, ...args: string[]): { status: number | null; json: unknown } {
  const r = spawnSync(process.execPath, [MAIN, ...args, '--json'], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, json: JSON.parse(r.stdout) as unknown };
}

function thrown(f: () => unknown): DiagnosticError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DiagnosticError);
    return e as DiagnosticError;
  }
  throw new Error('expected a DiagnosticError');
}

let dir = '';
beforeAll(() => {
  execFileSync('npx', ['tsc', '-p', '.'], { cwd: ROOT, stdio: 'pipe' });
  dir = mkdtempSync(join(tmpdir(), 'bnn-hw-api-json-'));
  return () => rmSync(dir, { recursive: true, force: true });
});

describe('each API function returns what --json prints', () => {
  it('inspect', () => {
    const cnv = join(ROOT, 'examples', 'cnv.json');
    expect(inspect(cnv)).toEqual(cliJson(dir, 'inspect', cnv).json);
  });

  it('infer: a file, the vectors themselves, both engines', () => {
    const model = loadModel(TFC);
    const values = (JSON.parse(readFileSync(INPUTS, 'utf8')) as { inputs: number[][] }).inputs;
    const cli = cliJson(dir, 'infer', TFC, '--input', INPUTS);
    expect(cli.status).toBe(0);
    expect(infer(model, INPUTS)).toEqual(cli.json);
    expect(infer(model, values)).toEqual(cli.json);
    expect(infer(TFC, values, { engine: 'float' })).toEqual(cliJson(dir, 'infer', TFC, '--input', INPUTS, '--engine', 'float').json);
    expect((cli.json as { outputs: number[] }).outputs).toHaveLength(values.length);
  });

  it('generate and plan: the manifest, written and not', async () => {
    const cli = cliJson(dir, 'generate', TFC, '--fold', FOLD, '-o', 'cli-out');
    expect(cli.status).toBe(0);
    const api = await generate(TFC, { fold: FOLD, outDir: join(dir, 'api-out') });
    const { outputDir: cliDir, ...cliRest } = cli.json as { outputDir: string };
    const { outputDir, ...apiRest } = api;
    expect(cliDir).toBe(resolve(dir, 'cli-out'));
    expect(outputDir).toBe(join(dir, 'api-out'));
    expect(apiRest).toEqual(cliRest);
    expect(JSON.parse(readFileSync(join(outputDir, 'manifest.json'), 'utf8'))).toEqual(apiRest);
    const p = plan(TFC, { fold: FOLD });
    expect(p).toEqual({ layers: api.layers, cyclesPerFrame: api.cyclesPerFrame, latencyCycles: api.latencyCycles });
    // a folding given as its JSON value plans the same design as the file
    expect(plan(TFC, { fold: JSON.parse(readFileSync(FOLD, 'utf8')) as object })).toEqual(p);
  });

  it('simulate: seeded vectors with stalls, and given inputs', () => {
    const cli = cliJson(dir, 'simulate', TFC, '--fold', FOLD, '--vectors', '6', '--seed', '3', '--stall', '0.2');
    expect(cli.status).toBe(0);
    expect(simulate(TFC, { fold: FOLD, vectors: 6, seed: 3, stall: 0.2 })).toEqual(cli.json);
    const s = simulate(TFC, { fold: FOLD, inputs: INPUTS });
    expect(s).toEqual(cliJson(dir, 'simulate', TFC, '--fold', FOLD, '--input', INPUTS).json);
    expect(s.outputs).toEqual(infer(TFC, INPUTS).outputs);
    expect(s.mismatches).toBe(0);
    expect(s.plan).toEqual({ cyclesPerFrame: plan(TFC, { fold: FOLD }).cyclesPerFrame, latencyCycles: plan(TFC, { fold: FOLD }).latencyCycles });
  });

  it('estimate: with a device and FINN\'s formulas', () => {
    const cli = cliJson(dir, 'estimate', TFC, '--fold', FOLD, '--device', 'xc7z020', '--model', 'finn');
    expect(cli.status).toBe(0);
    const api = estimate(TFC, { fold: FOLD, device: 'xc7z020', finn: true });
    expect(api).toEqual(cli.json);
    expect(api.device?.name).toBe('xc7z020');
    expect(api.finnTotal?.lut).toBeGreaterThan(0);
    expect(estimate(TFC, { fold: FOLD, fabric: 'ice40' })).toEqual(cliJson(dir, 'estimate', TFC, '--fold', FOLD, '--fabric', 'ice40').json);
  });
});

describe('bad input throws DiagnosticError with the diagnostics --json prints', () => {
  it('a missing model file, a model that is not one, a bad folding, inputs of the wrong size', () => {
    const notModel = join(dir, 'not-model.json');
    writeFileSync(notModel, '{"format": "bnn-hw/model@1", "name": "x", "input": {"shape": [4], "type": "uint8"}, "layers": [{"type": "dense"}]}');
    const shortInputs = join(dir, 'short.json');
    writeFileSync(shortInputs, '{"inputs": [[1, 2, 3]]}');
    const cases: [() => unknown, string[]][] = [
      [() => loadModel(join(dir, 'missing.json')), ['inspect', join(dir, 'missing.json')]],
      [() => inspect(notModel), ['inspect', notModel]],
      [() => plan(TFC, { fold: join(dir, 'missing-fold.json') }), ['estimate', TFC, '--fold', join(dir, 'missing-fold.json')]],
      [() => infer(TFC, shortInputs), ['infer', TFC, '--input', shortInputs]],
      [() => estimate(TFC, { fabric: 'ice40', device: 'xc7z020' }), ['estimate', TFC, '--fabric', 'ice40', '--device', 'xc7z020']],
    ];
    for (const [f, args] of cases) {
      const e = thrown(f);
      const cli = cliJson(dir, ...args);
      expect(cli.status).toBe(e.exitCode);
      expect(cli.json).toEqual({ diagnostics: e.diagnostics });
    }
  });

  it('option values the CLI parser would refuse: BNN087', () => {
    for (const f of [
      () => infer(TFC, INPUTS, { engine: 'double' as never }),
      () => simulate(TFC, { vectors: 0 }),
      () => simulate(TFC, { stall: 1 }),
      () => plan(TFC, { clockMhz: -5 }),
      () => estimate(TFC, { fabric: 'ecp5' as never }),
    ]) {
      const e = thrown(f);
      expect(e.diagnostics.map((d) => d.code)).toEqual(['BNN087']);
      expect(e.exitCode).toBe(2);
    }
  });

  it('generate refuses a foreign output folder as the CLI does', async () => {
    const foreign = join(dir, 'foreign');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'keep.txt'), 'mine');
    const e = await generate(TFC, { outDir: foreign }).then(() => null, (x: unknown) => x);
    expect(e).toBeInstanceOf(DiagnosticError);
    expect(cliJson(dir, 'generate', TFC, '-o', foreign).json).toEqual({ diagnostics: (e as DiagnosticError).diagnostics });
    expect(readFileSync(join(foreign, 'keep.txt'), 'utf8')).toBe('mine');
  });
});
