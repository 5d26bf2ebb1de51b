/**
 * Bad k-bit activation layers (quant, multithreshold): each case pins the diagnostic (code, pointer,
 * message, hint) of the loader, the compile front end or the planner; the hardware commands map k-bit
 * activations around dense and conv layers and pools, and refuse a padded convolution whose pad code
 * the k-bit lanes cannot hold (BNN036, exit 1, nothing written) while `infer` (both engines) and
 * `inspect` run it.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Diagnostic, DiagnosticError } from '../../src/diagnostics/diagnostic.js';
import { d, diagnostics } from '../helpers/diagnostics.js';
import { loadModelText, loadModelValue } from '../../src/frontend/load.js';
import { compileFront, compileIr } from '../../src/passes/pipeline.js';
import { cli } from '../cli/helpers.js';
import { planDesign } from '../../src/flows/build.js';
import { estimate, generate, infer, inspect, plan, simulate } from '../../src/api/index.js';

type Json = Record<string, any>; // loose on purpose: the cases edit models freely

/** uint8[4] -> dense 3 -> quant 2-bit unsigned scale 0.5 -> dense 2. */
const mlp = (): Json => ({
  format: 'bnn-hw/model@1', name: 'tiny', input: { shape: [4], type: 'uint8' },
  layers: [
    { type: 'dense', name: 'fc0', units: 3, weights: [[1, -1, 1, -1], [1, 1, 1, 1], [-1, -1, -1, -1]] },
    { type: 'quant', name: 'q0', bits: 2, signed: false, scale: 0.5 },
    { type: 'dense', name: 'fc1', units: 2, weights: [[1, -1, 1], [1, 1, -1]] },
  ],
  output: 'argmax',
});
const mt = (): Json => edit(mlp, (m) => { m.layers[1] = { type: 'multithreshold', name: 'mt0', thresholds: [[-1, 0, 1]], outScale: 1, outBias: 0 }; });

/** int8[3, 3, 1] -> 1x1 conv 2 -> quant 3-bit signed scale 0.3 -> 3x3 conv, padding "same". */
const cnn = (): Json => ({
  format: 'bnn-hw/model@1', name: 'tinycnn', input: { shape: [3, 3, 1], type: 'int8' },
  layers: [
    { type: 'conv2d', name: 'conv0', filters: 2, kernel: [1, 1], weights: [[[[1]]], [[[-1]]]] },
    { type: 'quant', name: 'q0', bits: 3, signed: true, scale: 0.3 },
    { type: 'conv2d', name: 'conv1', filters: 1, kernel: [3, 3], padding: 'same', weights: [[[[1, 1], [1, 1], [1, 1]], [[1, 1], [1, 1], [1, 1]], [[1, 1], [1, 1], [1, 1]]]] },
  ],
  output: 'scores',
});

/** uint8[2, 2, 1] -> 1x1 conv 2 -> quant -> maxpool 2x2 -> flatten -> dense 2. */
const pooled = (): Json => ({
  format: 'bnn-hw/model@1', name: 'tinypool', input: { shape: [2, 2, 1], type: 'uint8' },
  layers: [
    { type: 'conv2d', name: 'conv0', filters: 2, kernel: [1, 1], weights: [[[[1]]], [[[-1]]]] },
    { type: 'quant', name: 'q0', bits: 2, signed: false, scale: 8 },
    { type: 'maxpool', name: 'pool0', pool: [2, 2] },
    { type: 'flatten', name: 'flat' },
    { type: 'dense', name: 'fc1', units: 2, weights: [[1, -1], [1, 1]] },
  ],
  output: 'argmax',
});
const cnnPad0 = (): Json => edit(cnn, (m) => { m.layers[2].padValue = 0; });
/** cnn with 3-bit unsigned codes at scale 1 padded with -1: code -1, outside the unsigned lanes */
const cnnPadNeg = (): Json => edit(cnn, (m) => { m.layers[1] = { type: 'quant', name: 'q0', bits: 3, signed: false, scale: 1 }; m.layers[2].padValue = -1; });
const PAD_LANE_HINT = 'pad with a value whose code lies in the activation\'s code range (padValue 0 for a quant), or use "valid" padding';

function edit(base: () => Json, fn: (m: Json) => void): Json {
  const m = base();
  fn(m);
  return m;
}
const value = (v: unknown) => loadModelValue(v);

const BITS_HINT = 'the width of the activation codes; 1-bit activations are "sign" layers';
const SCALE_HINT = 'the step between codes: value = scale * code, for example 0.25';
const ROWS_HINT = 'one row per channel, or a single row for all channels: [[-1.5, 0, 1.5]]';

type Case = [name: string, run: () => unknown, want: Diagnostic];

const CASES: Case[] = [
  ['quant bits 1', () => value(edit(mlp, (m) => { m.layers[1].bits = 1; })),
    d('BNN014', '/layers/1/bits', '\'bits\' in quant layer "q0" must be an integer from 2 to 8, found 1', BITS_HINT)],
  ['quant bits 9', () => value(edit(mlp, (m) => { m.layers[1].bits = 9; })),
    d('BNN014', '/layers/1/bits', '\'bits\' in quant layer "q0" must be an integer from 2 to 8, found 9', BITS_HINT)],
  ['quant bits 2.5', () => value(edit(mlp, (m) => { m.layers[1].bits = 2.5; })),
    d('BNN011', '/layers/1/bits', '\'bits\' in quant layer "q0" must be an integer from 2 to 8, found 2.5', BITS_HINT)],
  ['quant scale 0', () => value(edit(mlp, (m) => { m.layers[1].scale = 0; })),
    d('BNN014', '/layers/1/scale', '\'scale\' in quant layer "q0" must be a positive number, found 0', SCALE_HINT)],
  ['quant scale negative', () => value(edit(mlp, (m) => { m.layers[1].scale = -0.5; })),
    d('BNN014', '/layers/1/scale', '\'scale\' in quant layer "q0" must be a positive number, found -0.5', SCALE_HINT)],
  ['quant scale Infinity (API)', () => value(edit(mlp, (m) => { m.layers[1].scale = Infinity; })),
    d('BNN011', '/layers/1/scale', '\'scale\' in quant layer "q0" must be a positive number, found Infinity', SCALE_HINT)],
  ['quant scale beyond float64 (file)', () => loadModelText(JSON.stringify(mlp()).replace('"scale":0.5', '"scale":1e999')),
    d('BNN020', '/layers/1/scale', 'model file: expected a finite number, found a number too large for float64 (it reads as Infinity)', 'every number must be a finite float64 (magnitude below 1.8e308)')],
  ['quant without signed', () => value(edit(mlp, (m) => { delete m.layers[1].signed; })),
    d('BNN010', '/layers/1/signed', 'missing required field \'signed\' in quant layer "q0", expected true or false', 'signed codes run from -2^(bits-1), unsigned ones from 0')],
  ['multithreshold row not sorted', () => value(edit(mt, (m) => { m.layers[1].thresholds = [[-1, 1, 0]]; })),
    d('BNN026', '/layers/1/thresholds/0/2', 'multithreshold layer "mt0": thresholds of row 0 must be non-decreasing, found 1 then 0 at positions 1 and 2', 'sort each row in ascending order: the code is the number of thresholds x reaches')],
  ['multithreshold threshold NaN (file)', () => loadModelText(JSON.stringify(mt()).replace('[[-1,0,1]]', '[[-1,NaN,1]]')),
    d('BNN020', '/layers/1/thresholds/0/1', 'model file: expected a finite number, found NaN', 'NaN and Infinity are not JSON numbers (Python writes them unless json.dump(..., allow_nan=False)); replace them by finite values')],
  ['multithreshold threshold NaN (API)', () => value(edit(mt, (m) => { m.layers[1].thresholds = [[0, NaN]]; })),
    d('BNN011', '/layers/1/thresholds/0/1', 'element [0][1] of \'thresholds\' in multithreshold layer "mt0" must be a finite number, found NaN', ROWS_HINT)],
  ['multithreshold 2 rows for 3 channels', () => value(edit(mt, (m) => { m.layers[1].thresholds = [[0], [1]]; })),
    d('BNN031', '/layers/1/thresholds', 'multithreshold layer "mt0": \'thresholds\' has 2 rows, expected 1 (for every channel) or 3 (one per channel of its input [3])', 'give one row for all channels or exactly 3 rows')],
  ['multithreshold rows of different lengths', () => value(edit(mt, (m) => { m.layers[1].thresholds = [[0, 1], [1], [2, 3]]; })),
    d('BNN031', '/layers/1/thresholds/1', 'multithreshold layer "mt0": row 1 of \'thresholds\' has 1 value, expected 2 like row 0', 'every row holds the same number of thresholds (codes 0..n)')],
  ['multithreshold empty row', () => value(edit(mt, (m) => { m.layers[1].thresholds = [[]]; })),
    d('BNN014', '/layers/1/thresholds/0', 'element 0 of \'thresholds\' in multithreshold layer "mt0" must be an array of 1 to 255 finite numbers, found []', ROWS_HINT)],
  ['multithreshold outScale 0', () => value(edit(mt, (m) => { m.layers[1].outScale = 0; })),
    d('BNN014', '/layers/1/outScale', '\'outScale\' in multithreshold layer "mt0" must be a positive number, found 0', 'value = outScale * count + outBias, for example 1')],
  ['multithreshold outScale negative', () => value(edit(mt, (m) => { m.layers[1].outScale = -2; })),
    d('BNN014', '/layers/1/outScale', '\'outScale\' in multithreshold layer "mt0" must be a positive number, found -2', 'value = outScale * count + outBias, for example 1')],
  ['multithreshold outBias Infinity (API)', () => value(edit(mt, (m) => { m.layers[1].outBias = -Infinity; })),
    d('BNN011', '/layers/1/outBias', '\'outBias\' in multithreshold layer "mt0" must be a finite number, found -Infinity', 'value = outScale * count + outBias, for example 0')],
  ['conv over codes padded with the default -1 (scale 0.3)', () => value(cnn()),
    d('BNN027', '/layers/2/padding', 'conv2d layer "conv1": its input holds codes c with values 0.3 * c, and the pad value -1 (the default) is no such value (c would be -3.3333333333333335): expected a pad value that is 0.3 * c for an integer c', 'set "padValue" to 0, or use "valid" padding')],
  ['conv over multithreshold codes (2c - 1) padded with 0', () => value(edit(cnn, (m) => { m.layers[1] = { type: 'multithreshold', name: 'mt0', thresholds: [[0.5]], outScale: 2, outBias: -1 }; m.layers[2].padValue = 0; })),
    d('BNN027', '/layers/2/padValue', 'conv2d layer "conv1": its input holds codes c with values 2 * c - 1, and the pad value 0 is no such value (c would be 0.5): expected a pad value that is 2 * c - 1 for an integer c', 'set "padValue" to -1 or 1, or use "valid" padding')],
  ['a padded convolution after unsigned codes, pad code -1 (plan)', () => plan(cnnPadNeg()),
    d('BNN036', '/layers/2', 'conv2d layer "conv1" pads with code -1, which its input stream cannot carry: the activation before it sends 3-bit unsigned codes [0, 7]', PAD_LANE_HINT)],
  ['integer engine: a multithreshold with a row per pixel after flattening an image', () => compileIr(value({
    format: 'bnn-hw/model@1', name: 'f', input: { shape: [2, 2, 1], type: 'int8' },
    layers: [
      { type: 'conv2d', name: 'conv0', filters: 1, kernel: [1, 1], weights: [[[[1]]]] }, { type: 'flatten', name: 'flat' },
      { type: 'multithreshold', name: 'mt0', thresholds: [[0], [1], [2], [3]], outScale: 1, outBias: 0 },
      { type: 'dense', name: 'fc', units: 1, weights: [[1, 1, 1, 1]] },
    ],
    output: 'scores',
  }), { multiBit: true }),
    d('BNN040', '/layers/2', 'multithreshold layer "mt0" after flattening an image has 4 threshold rows, one per pixel, which is not mappable here: expected one row, or the multithreshold before the flatten', 'apply the multithreshold before the flatten (one row per channel)')],
];

describe('bad k-bit activation layers', () => {
  it('the valid bases load, and the padded convolution loads with padValue 0', () => {
    expect(() => value(mlp())).not.toThrow();
    expect(() => value(mt())).not.toThrow();
    expect(() => value(edit(cnn, (m) => { m.layers[2].padValue = 0; }))).not.toThrow();
    expect(() => compileIr(value(mt()), { multiBit: true })).not.toThrow();
  });

  it.each(CASES)('%s', (_name, run, want) => {
    expect(diagnostics(run)).toEqual([want]);
  });
});

describe('the command line on a k-bit model', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bnn-hw-kbit-'));
  const model = join(dir, 'q.json');
  writeFileSync(model, JSON.stringify(cnnPadNeg()));
  writeFileSync(join(dir, 'in.json'), JSON.stringify({ inputs: [[1, 2, 3, 4, 5, 6, 7, 8, -9], [9, 0, 0, 1, -5, 3, 2, 2, 0]] }));

  it.each([
    ['generate', ['generate', model, '-o', 'gen']],
    ['verify', ['verify', model, '-o', 'ver']],
    ['simulate', ['simulate', model, '--input', 'in.json']],
    ['estimate', ['estimate', model]],
  ])('%s refuses a pad code the k-bit lanes cannot hold with BNN036, exit 1, nothing written', (_n, args) => {
    const before = readdirSync(dir).sort();
    const r = cli(dir, args);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('error[BNN036]: conv2d layer "conv1" pads with code -1');
    expect(r.stderr).toContain('at /layers/2');
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it('infer runs it with both engines (same outputs) and inspect shows it', () => {
    const f = cli(dir, ['infer', model, '--input', 'in.json', '--engine', 'float', '--json']);
    const i = cli(dir, ['infer', model, '--input', 'in.json', '--engine', 'integer', '--json']);
    expect([f.status, i.status]).toEqual([0, 0]);
    expect(JSON.parse(i.stdout)).toEqual(JSON.parse(f.stdout));
    const s = cli(dir, ['inspect', model]);
    expect(s.status).toBe(0);
    expect(s.stdout).toMatch(/q0\s+quant\s+\[3, 3, 2\]\s+\[3, 3, 2\]/);
  });

  it('cleans up', () => rmSync(dir, { recursive: true, force: true }));
});

describe('the API on a k-bit model', () => {
  const code = (f: () => unknown) => diagnostics(f).map((x) => `${x.code} ${x.pointer}`);
  it('plan, simulate and estimate refuse a pad code the k-bit lanes cannot hold with BNN036', () => {
    for (const f of [() => plan(cnnPadNeg()), () => simulate(cnnPadNeg()), () => estimate(cnnPadNeg())]) expect(code(f)).toEqual(['BNN036 /layers/2']);
  });
  it('plan maps k-bit activations around convolutions and pools: 3-bit signed lanes padded with code 0, a pool on 2-bit unsigned lanes', () => {
    const blocks = (m: Json) => planDesign(value(m), { sizeFifos: false }).plan.blocks;
    const c = blocks(cnnPad0()).filter((b) => b.kind === 'swg')[1];
    expect(c?.kind === 'swg' && [c.params.ELEM_W, c.params.PAD_MODE, c.params.PAD_ELEM]).toEqual([3, 0, 0]);
    const p = blocks(pooled()).find((b) => b.kind === 'pool');
    expect(p?.kind === 'pool' && [p.params.ELEM_W, p.params.SIGNED]).toEqual([2, 0]);
  });
  it('plan maps k-bit activations between dense layers: 2-bit code lanes into an add / subtract unit', () => {
    const p = plan(mlp());
    expect(p.layers.map((l) => l.kind)).toEqual(['mvu_int', 'mvu_int', 'argmax']);
  });
  it('generate refuses it and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bnn-hw-kbit-api-'));
    const err = await generate(cnnPadNeg(), { outDir: join(dir, 'out') }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(DiagnosticError);
    expect((err as DiagnosticError).diagnostics.map((x) => x.code)).toEqual(['BNN036']);
    expect(readdirSync(dir)).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  });
  it('infer (both engines, equal) and inspect run it', () => {
    const inputs = [[0, 0, 0, 0], [255, 0, 3, 7], [1, 2, 3, 4]];
    // fc0 on [255, 0, 3, 7]: 255 - 0 + 3 - 7 = 251, 265, -265 -> codes 3 (clamped), 3, 0; fc1 [1,-1,1] -> 0, [1,1,-1] -> 6 -> class 1
    expect(infer(mlp(), [[255, 0, 3, 7]], { engine: 'float' }).outputs).toEqual([1]);
    expect(infer(mlp(), inputs, { engine: 'integer' })).toEqual(infer(mlp(), inputs, { engine: 'float' }));
    expect(inspect(mt()).layers.map((l) => l.type)).toEqual(['dense', 'multithreshold', 'dense']);
  });
});
