/**
 * The graph format (issue 13): what the loader accepts, the coded diagnostics of bad wiring (with the
 * JSON pointer of the offending `inputs` entry), `inspect` on a graph, and the hardware flows refusing
 * a graph with BNN040 before anything is written.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModelValue } from '../../src/frontend/load.js';
import { firstGraphLayer } from '../../src/ir/graph.js';
import { printModel } from '../../src/ir/print.js';
import { estimate, generate, inspect, plan, simulate } from '../../src/api/index.js';
import { inspectText } from '../../src/api/inspect.js';
import { diagnostics } from '../helpers/diagnostics.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'dist', 'cli', 'main.js');

const json = (layers: unknown[], shape = [2]) => ({ format: 'bnn-hw/model@1', name: 'g', input: { shape, type: 'int4' }, layers, output: 'scores' });
const fc = (name: string, extra: object = {}) => ({ type: 'dense', name, units: 2, weights: [[1, 1], [1, -1]], ...extra });
/** sign s -> fc -> sign t -> add(t, s) -> out: a shortcut around a dense block */
const residual = json([{ type: 'sign', name: 's' }, fc('fc'), { type: 'sign', name: 't' }, { type: 'add', name: 'r', inputs: ['t', 's'] }, fc('out')]);
const codeAt = (layers: unknown[], shape?: number[]) => diagnostics(() => loadModelValue(json(layers, shape))).map((x) => [x.code, x.pointer]);

describe('graph format', () => {
  it('inputs default to the layer before; naming them explicitly keeps a chain a chain', () => {
    const chain = loadModelValue(json([{ type: 'sign', name: 's', inputs: ['input'] }, fc('fc', { inputs: ['s'] })]));
    expect(chain.layers.map((l) => l.inputs)).toEqual([['input'], ['s']]);
    expect(firstGraphLayer(chain)).toBeNull();
    const g = loadModelValue(residual);
    expect(firstGraphLayer(g)?.name).toBe('r');
    expect(g.layers.map((l) => l.inputs)).toEqual([['input'], ['s'], ['fc'], ['t', 's'], ['r']]);
  });

  it('shapes through the graph: globalavgpool [H, W, C] -> [C], avgpool windows without padding', () => {
    const m = loadModelValue(json([{ type: 'sign', name: 's' }, { type: 'avgpool', name: 'a', pool: [2, 2], strides: [1, 2] }, { type: 'globalavgpool', name: 'gp' }, { type: 'dense', name: 'd', units: 1, weights: [[1, 1, 1]] }], [4, 5, 3]));
    expect(m.layers.map((l) => l.outShape)).toEqual([[4, 5, 3], [3, 2, 3], [3], [1]]);
  });

  it.each([
    ['an unknown input name', [{ type: 'sign', name: 's' }, fc('fc', { inputs: ['z'] })], 'BNN017', '/layers/1/inputs/0'],
    ['a later layer', [{ type: 'sign', name: 's', inputs: ['fc'] }, fc('fc')], 'BNN018', '/layers/0/inputs/0'],
    ['itself (a cycle)', [{ type: 'sign', name: 's' }, fc('fc', { inputs: ['fc'] })], 'BNN018', '/layers/1/inputs/0'],
    ['a layer nobody reads', [{ type: 'sign', name: 's' }, { type: 'sign', name: 'dead', inputs: ['input'] }, fc('fc', { inputs: ['s'] })], 'BNN019', '/layers/1'],
    ['an add of one input', [{ type: 'sign', name: 's' }, { type: 'add', name: 'r', inputs: ['s'] }], 'BNN029', '/layers/1/inputs'],
    ['a dense layer with two inputs', [{ type: 'sign', name: 's' }, fc('fc', { inputs: ['s', 'input'] })], 'BNN029', '/layers/1/inputs'],
    ['an add of two shapes', [{ type: 'sign', name: 's' }, { type: 'dense', name: 'fc', units: 3, weights: [[1, 1], [1, 1], [1, 1]] }, { type: 'add', inputs: ['s', 'fc'] }], 'BNN033', '/layers/2/inputs/1'],
    ['an add without inputs', [{ type: 'sign', name: 's' }, { type: 'add' }], 'BNN010', '/layers/1/inputs'],
    // "input" is a Verilog keyword: no layer can take the name that stands for the model input
    ['a layer named input', [{ type: 'sign', name: 'input' }, fc('fc', { inputs: ['input'] })], 'BNN050', '/layers/0/name'],
    ['globalavgpool on a vector', [{ type: 'globalavgpool' }], 'BNN030', '/layers/0'],
  ])('reading %s is refused', (_what, layers, code, pointer) => {
    expect(codeAt(layers)).toEqual([[code, pointer]]);
  });

  it('avgpool larger than its input is refused at its pool', () => {
    expect(codeAt([{ type: 'avgpool', pool: [3, 1] }], [2, 2, 1])).toEqual([['BNN030', '/layers/0/pool']]);
  });

  it('codes that would leave the exact float64 integers are refused (BNN060)', () => {
    // sign (scale 1) + quant at scale 2^-60: codes q + 2^60 s
    const big = (extra: unknown[]) => [{ type: 'sign', name: 's' }, { type: 'quant', name: 'q', inputs: ['input'], bits: 8, signed: true, scale: 2 ** -60 }, { type: 'add', name: 'r', inputs: ['s', 'q'] }, ...extra];
    expect(codeAt(big([]))).toEqual([['BNN060', '/layers/2']]);
    // at 2^-52 the add is exact (127 + 2^52 < 2^53), but a dense layer summing two such codes is not
    const ok = [{ type: 'sign', name: 's' }, { type: 'quant', name: 'q', inputs: ['input'], bits: 8, signed: true, scale: 2 ** -52 }, { type: 'add', name: 'r', inputs: ['s', 'q'] }];
    expect(() => loadModelValue(json(ok))).not.toThrow();
    expect(codeAt([...ok, fc('fc')])).toEqual([['BNN060', '/layers/3']]);
  });

  it('the dump and inspect show the inputs of a layer that does not read the layer before it', () => {
    const m = loadModelValue(residual);
    expect(printModel(m).split('\n')[4]).toBe('r = add (t, s) [2] -> [2]');
    const text = inspectText(m).split('\n');
    expect(text[1]).toMatch(/^layer +type +reads +input/);
    expect(text.find((l) => l.startsWith('r '))).toMatch(/^r +add +t, s +\[2\]/);
    expect(inspect(residual).layers.map((l) => l.inputs)).toEqual([undefined, undefined, undefined, ['t', 's'], undefined]);
    // binary operations count on the tensor each layer reads: "out" reads the add (codes -2..2), not a sign
    expect(inspect(residual).layers.map((l) => l.binaryOps)).toEqual([0, 8, 0, 0, 0]);
  });
});

describe('the hardware flows on a graph the planner does not map: BNN040 naming the layer, nothing written', () => {
  let dir = '';
  beforeAll(() => {
    execFileSync('npx', ['tsc', '-p', '.'], { cwd: ROOT, stdio: 'pipe' });
    dir = mkdtempSync(join(tmpdir(), 'bnn-hw-graph-'));
    writeFileSync(join(dir, 'res.json'), JSON.stringify(residual));
    writeFileSync(join(dir, 'reads.json'), JSON.stringify(json([{ type: 'sign', name: 's' }, fc('fc', { inputs: ['input'] }), { type: 'add', inputs: ['s', 'fc'] }])));
    return () => rmSync(dir, { recursive: true, force: true });
  });

  it('API: plan, simulate, estimate and generate name the run the graph planner does not map', async () => {
    const at = (f: () => unknown) => diagnostics(f).map((x) => [x.code, x.pointer]);
    // the graph planner (docs/graphs.md): the sign "s" alone between the input and its fan-out has no linear layer
    for (const f of [() => plan(residual), () => simulate(residual, { inputs: [[1, 2]] }), () => estimate(residual)]) expect(at(f)).toEqual([['BNN040', '/layers/0']]);
    const out = join(dir, 'api-out');
    await expect(generate(residual, { outDir: out })).rejects.toMatchObject({ diagnostics: [{ code: 'BNN040', pointer: '/layers/0' }] });
    expect(existsSync(out)).toBe(false);
  });

  it('CLI: infer runs the residual example with both engines, as its page documents', () => {
    const model = join(ROOT, 'examples', 'residual_mlp.json');
    const inputs = join(ROOT, 'examples', 'residual_mlp-inputs.json');
    const md = readFileSync(join(ROOT, 'examples', 'residual_mlp.md'), 'utf8');
    for (const engine of ['integer', 'float']) {
      const r = spawnSync(process.execPath, [MAIN, 'infer', model, '--input', inputs, '--engine', engine], { cwd: dir, encoding: 'utf8' });
      expect(r.status).toBe(0);
      expect(r.stdout.trimEnd().split('\n')).toHaveLength(8);
      expect(md).toContain(r.stdout);
    }
  });

  it('CLI: generate and verify exit 1 with BNN040 and write nothing; a layer reading the model input at a fan-out is named too', () => {
    for (const args of [['generate', join(dir, 'res.json'), '-o', join(dir, 'out')], ['verify', join(dir, 'res.json'), '-o', join(dir, 'out')]]) {
      const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: dir, encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/^error\[BNN040\]: sign layer "s" starts a run of layers between junctions without a dense or conv2d layer/);
      expect(r.stderr).toContain('at /layers/0');
      expect(existsSync(join(dir, 'out'))).toBe(false);
    }
    const r = spawnSync(process.execPath, [MAIN, 'generate', join(dir, 'reads.json'), '-o', join(dir, 'out')], { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toMatch(/^error\[BNN040\]: [a-z]+ layer "[a-z]+" reads the model input at a junction/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});
