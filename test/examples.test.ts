import { graphFront } from '../src/passes/graph-front.js';
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModelFile } from '../src/frontend/load.js';
import { codesFromValues, readInputs } from '../src/frontend/inputs.js';
import { compileFront } from '../src/passes/pipeline.js';
import { firstGraphLayer } from '../src/ir/graph.js';
import { runInference } from '../src/api/infer.js';
import { inspectText, layerStats } from '../src/api/inspect.js';
import { foldOptionsOf, plan } from '../src/api/plan.js';
import { CNV_WEIGHT_BITS, EXAMPLE_INPUTS, EXAMPLES, LFC_MAX_BYTES, writeExamples } from '../src/examples/builtin.js';
import type { Conv2dLayer, Layer, Model } from '../src/ir/model.js';
import { randomInputs } from './helpers/random-models.js';

const DIR = fileURLToPath(new URL('../examples', import.meta.url));
const modelFiles = readdirSync(DIR).filter((f) => f.endsWith('.json') && !f.endsWith('-inputs.json')).sort();
const models = new Map<string, Model>();
const model = (file: string): Model => {
  let m = models.get(file);
  if (!m) models.set(file, (m = loadModelFile(join(DIR, file))));
  return m;
};
const types = (m: Model) => m.layers.map((l) => l.type).join(' ');
const linears = (m: Model) => m.layers.filter((l) => l.type === 'dense' || l.type === 'conv2d');
const matrix = (l: Layer) => (l.type === 'dense' ? `${l.fanIn}x${l.units}` : l.type === 'conv2d' ? `${l.kernel[0] * l.kernel[1] * l.inShape[2]!}x${l.filters}` : '');

describe('examples', () => {
  it('holds every generated example, and only generated models', () => {
    expect(modelFiles).toEqual(EXAMPLES.map((e) => `${e.name}.json`).sort());
    const present = readdirSync(DIR);
    for (const e of EXAMPLES) for (const f of [`${e.name}.json`, `${e.name}-inputs.json`, `${e.name}.md`]) expect(present).toContain(f);
  });

  describe.each(modelFiles)('%s', (file) => {
    const name = file.replace(/\.json$/, '');

    it('loads and maps onto hardware (a residual graph: through the graph planner; the chain front end refuses it with BNN040)', () => {
      const m = model(file);
      expect(m.name).toBe(name);
      const graph = firstGraphLayer(m);
      if (graph) {
        expect(() => compileFront(m)).toThrow(expect.objectContaining({ diagnostics: [expect.objectContaining({ code: 'BNN040', pointer: graph.ptr })] }));
        expect(() => graphFront(m)).not.toThrow();
      } else expect(() => compileFront(m)).not.toThrow();
    });

    it('float and integer engines agree on the inputs file and on 20 seeded random inputs', () => {
      const m = model(file);
      const fromFile = readInputs(join(DIR, `${name}-inputs.json`), m);
      expect(fromFile).toHaveLength(EXAMPLE_INPUTS);
      const random = randomInputs(m, 4242, 20).map((v, i) => codesFromValues(v, m, `/random/${i}`));
      const inputs = [...fromFile, ...random];
      const float = runInference(m, inputs, 'float');
      const integer = runInference(m, inputs, 'integer');
      expect(integer).toEqual(float);
      for (const o of integer) expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]).toContain(o);
    });

    it('documents itself with the real inspect table', () => {
      const md = readFileSync(join(DIR, `${name}.md`), 'utf8');
      expect(md).toContain(`$ bnn-hw inspect examples/${file}\n${inspectText(model(file))}`);
      expect(md).toContain('npm run build && npm run examples');
      expect(md).toMatch(/not trained/);
    });
  });

  it.each([
    ['tfc', 64],
    ['sfc', 256],
    ['lfc', 1024],
  ])('%s is FINN\'s MLP with hidden width %i', (name, width) => {
    const m = model(`${name}.json`);
    expect(m.input.shape).toEqual([784]);
    expect(m.input.type).toEqual({ kind: 'uint', bits: 8 });
    expect(m.output).toBe('argmax');
    // input batchnorm + sign, 3 x (dense, batchnorm, sign), dense: no batchnorm after the last layer
    expect(types(m)).toBe('batchnorm sign ' + 'dense batchnorm sign '.repeat(3) + 'dense');
    expect(linears(m).map(matrix)).toEqual([`784x${width}`, `${width}x${width}`, `${width}x${width}`, `${width}x10`]);
    // per-pixel thresholds near 128; realistic statistics with some negative gammas in the hidden layers
    const bn = m.layers[0]!;
    if (bn.type !== 'batchnorm') throw new Error('expected batchnorm');
    const thr = Array.from(bn.mean, (mu, i) => mu - (bn.beta[i]! * Math.sqrt(bn.variance[i]! + bn.epsilon)) / bn.gamma[i]!).sort((a, b) => a - b);
    expect(thr[Math.floor(thr.length / 2)]!).toBeCloseTo(128, -1);
    expect(thr[Math.floor(thr.length * 0.05)]!).toBeGreaterThan(100);
    expect(thr[Math.floor(thr.length * 0.95)]!).toBeLessThan(156);
    for (const l of m.layers.slice(2)) if (l.type === 'batchnorm') expect(l.gamma.some((g) => g < 0)).toBe(true);
  });

  it.each([
    ['tfc_w1a2', 64],
    ['lfc_w1a2', 1024],
  ])('%s is BNN-PYNQ\'s W1A2 MLP with hidden width %i: 2-bit signed hidden codes, realistic statistics', (name, width) => {
    const m = model(`${name}.json`);
    expect(m.input).toEqual({ shape: [784], type: { kind: 'uint', bits: 8 } });
    expect(types(m)).toBe('batchnorm sign ' + 'dense batchnorm quant '.repeat(3) + 'dense');
    expect(linears(m).map(matrix)).toEqual([`784x${width}`, `${width}x${width}`, `${width}x${width}`, `${width}x10`]);
    for (const l of m.layers) if (l.type === 'quant') expect([l.bits, l.signed, l.narrow, l.scale]).toEqual([2, true, true, 1]);
    const bns = m.layers.slice(2).filter((l) => l.type === 'batchnorm');
    for (const l of bns) if (l.type === 'batchnorm') expect(l.gamma.some((g) => g < 0)).toBe(true);
    // the folded thresholds: most neurons reach every code (-1..1) somewhere inside the reachable range
    const ir = compileFront(m).ir;
    for (const s of ir.stages) {
      if (s.op !== 'linear' || !s.levels) continue;
      const { n, thr } = s.levels;
      let spread = 0;
      for (let j = 0; j < s.mh; j++) {
        const t = Array.from(thr.subarray(j * n, (j + 1) * n));
        if (t.every((v) => v > -s.dMax && v <= s.dMax) && new Set(t).size === n) spread++;
      }
      expect(spread / s.mh, s.name).toBeGreaterThan(0.5);
    }
  });

  it('sfc and lfc use the packed weight form, lfc stays well below 2 MB', () => {
    for (const name of ['sfc', 'lfc']) {
      const raw = JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as { layers: { weights?: unknown }[] };
      for (const l of raw.layers) if (l.weights !== undefined) expect(l.weights).toHaveProperty('packed');
    }
    expect(statSync(join(DIR, 'lfc.json')).size).toBeLessThan(LFC_MAX_BYTES);
    expect(layerStats(model('lfc.json')).total.weightBits).toBe(784 * 1024 + 2 * 1024 * 1024 + 1024 * 10);
  });

  it("cnv is FINN's CNV: map sizes, matrix sizes and weight bits", () => {
    const m = model('cnv.json');
    expect(m.input.shape).toEqual([32, 32, 3]);
    expect(m.input.type).toEqual({ kind: 'fixed', bits: 8, frac: 7 });
    const maps = [32, ...m.layers.filter((l) => l.type === 'conv2d' || l.type === 'maxpool').map((l) => l.outShape[0])];
    expect(maps.join('-')).toBe('32-30-28-14-12-10-5-3-1');
    expect(linears(m).map(matrix)).toEqual(['27x64', '576x64', '576x128', '1152x128', '1152x256', '2304x256', '256x512', '512x512', '512x10']);
    expect(layerStats(m).total.weightBits).toBe(CNV_WEIGHT_BITS);
    expect(CNV_WEIGHT_BITS).toBe(1_542_848);
    // FINN order: the pool comes after the sign; no batchnorm after the last layer; raw input into conv0
    for (const [i, l] of m.layers.entries()) if (l.type === 'maxpool') expect(m.layers[i - 1]!.type).toBe('sign');
    expect(m.layers[0]!.type).toBe('conv2d');
    expect(m.layers[m.layers.length - 1]!.type).toBe('dense');
    for (const l of m.layers) if (l.type === 'conv2d') expect(l.pad).toEqual({ top: 0, bottom: 0, left: 0, right: 0 });
  });

  it('binarynet_small has padding -1/+1/0, a stride-2 conv, pool before batchnorm and a last batchnorm', () => {
    const m = model('binarynet_small.json');
    expect(m.layers[0]!.type).toBe('conv2d');
    expect(['uint', 'fixed']).toContain(m.input.type.kind);
    const convs = m.layers.filter((l): l is Conv2dLayer => l.type === 'conv2d');
    expect(convs.map((c) => c.padValue).sort()).toEqual([-1, 0, 1]);
    for (const c of convs) expect(c.outShape[0]).toBe(Math.ceil(c.inShape[0]! / c.strides[0]));
    expect(convs.some((c) => c.strides[0] === 2)).toBe(true);
    const pool = m.layers.findIndex((l) => l.type === 'maxpool');
    expect(m.layers[pool - 1]!.type).toBe('conv2d');
    const bn = m.layers[pool + 1]!;
    expect(bn.type).toBe('batchnorm');
    if (bn.type === 'batchnorm') expect(bn.gamma.some((g) => g < 0)).toBe(true);
    expect(m.layers[m.layers.length - 1]!.type).toBe('batchnorm');
    expect(layerStats(m).total.macs).toBeLessThan(500_000);
  });

  it('residual_mlp is a graph: shortcuts with fan-out, exact code adds at scale 1', () => {
    const m = model('residual_mlp.json');
    const adds = m.layers.filter((l) => l.type === 'add');
    expect(adds.map((l) => l.inputs)).toEqual([['act0', 'stem_act'], ['act1', 'res0'], ['act2', 'res1']]);
    // every block input is read twice: by its dense layer and by the add
    for (const x of ['stem_act', 'res0', 'res1']) expect(m.layers.filter((l) => l.inputs.includes(x))).toHaveLength(2);
    for (const l of m.layers) if (l.type === 'quant') expect([l.bits, l.signed, l.narrow, l.scale]).toEqual([2, true, true, 1]);
    expect(firstGraphLayer(m)?.name).toBe('res0');
  });

  it('birealnet_small is a Bi-Real-style CNN: an integer stem, five residual blocks, an avgpool shortcut, global average pooling', () => {
    const m = model('birealnet_small.json');
    const at = (name: string) => m.layers.find((l) => l.name === name)!;
    expect(m.input).toEqual({ shape: [32, 32, 3], type: { kind: 'uint', bits: 8 } });
    expect(at('stem')).toMatchObject({ type: 'conv2d', inputs: ['input'], padValue: 0, outShape: [16, 16, 16] });
    const adds = m.layers.filter((l) => l.type === 'add');
    expect(adds.map((l) => l.inputs)).toEqual([['b0_act', 'stem_act'], ['b1_act', 'b0_add'], ['b2_act', 'b2_pool'], ['b3_act', 'b2_add'], ['b4_act', 'b3_add']]);
    // every block: sign -> binary 3x3 conv -> batchnorm -> 2-bit quant -> add; the block input also feeds the add (or the avgpool)
    for (let k = 0; k < 5; k++) {
      const seq = ['sign', 'conv', 'bn', 'act'].map((s) => at(`b${k}_${s}`));
      expect(seq.map((l) => l.type)).toEqual(['sign', 'conv2d', 'batchnorm', 'quant']);
      const conv = seq[1] as Conv2dLayer;
      expect([conv.kernel, conv.padValue, conv.inShape[2]]).toEqual([[3, 3], -1, 16]);
      const x = seq[0]!.inputs[0]!;
      expect(m.layers.filter((l) => l.inputs.includes(x)).map((l) => l.name)).toEqual([`b${k}_sign`, k === 2 ? 'b2_pool' : `b${k}_add`]);
    }
    expect(at('b2_conv')).toMatchObject({ strides: [2, 2], outShape: [8, 8, 16] });
    expect(at('b2_pool')).toMatchObject({ type: 'avgpool', pool: [2, 2], strides: [2, 2], inputs: ['b1_add'], outShape: [8, 8, 16] });
    expect(m.layers.slice(-2).map((l) => [l.type, l.outShape])).toEqual([['globalavgpool', [16]], ['dense', [10]]]);
    for (const l of m.layers) if (l.type === 'quant') expect([l.bits, l.signed, l.narrow, l.scale]).toEqual([2, true, true, 1]);
    // realistic batch-norm statistics include negative and zero gains
    const gains = m.layers.flatMap((l) => (l.type === 'batchnorm' ? Array.from(l.gamma) : []));
    expect(gains.some((g) => g < 0)).toBe(true);
    expect(gains.some((g) => g === 0)).toBe(true);
    expect(firstGraphLayer(m)?.name).toBe('b0_add');
  });

  it.each(['residual_mlp', 'birealnet_small'])('%s.md shows the hardware of the plan: cycles, latency, every bypass FIFO with its depth, 0 mismatches', (name) => {
    const md = readFileSync(join(DIR, `${name}.md`), 'utf8');
    const hw = md.split('\n## Hardware\n')[1] ?? '';
    const fold = join(DIR, '..', 'bench', 'foldings', `${name}.json`);
    const r = plan(join(DIR, `${name}.json`), foldOptionsOf({ fold }));
    expect(hw).toContain(`$ bnn-hw generate examples/${name}.json --fold bench/foldings/${name}.json`);
    expect(hw).toContain(`cycles per frame ${r.cyclesPerFrame}, latency ${r.latencyCycles} cycles`);
    expect(r.graph!.bypass.length).toBeGreaterThan(0);
    for (const b of r.graph!.bypass) expect(hw).toContain(`bypass FIFO ${b.name} -> ${b.add}: depth ${b.depth} (${b.origin})`);
    expect(hw).toContain(`$ bnn-hw estimate examples/${name}.json --fold bench/foldings/${name}.json`);
    expect(hw).toContain(`$ bnn-hw verify examples/${name}.json --fold bench/foldings/${name}.json --simulator verilator,ts --stall 0.3 --vectors 3`);
    for (const sim of ['verilator', 'ts']) expect(hw).toMatch(new RegExp(`^${sim} +3 +0 +${r.cyclesPerFrame} +${r.cyclesPerFrame} +${r.latencyCycles} +${r.latencyCycles} +3 frames, 0 mismatches`, 'm'));
    expect(hw).toMatch(/^PASS$/m);
    expect(hw).not.toMatch(/\/(work|tmp|home)\//);
  });

  it('regenerating gives byte-identical files', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'bnn-hw-examples-'));
    try {
      writeExamples(tmp);
      const made = readdirSync(tmp).sort();
      expect(made).toHaveLength(3 * EXAMPLES.length);
      for (const f of made) {
        // a page's Hardware section (scripts/example-hardware.mjs, kept by npm run examples) is not the generator's
        const committed = readFileSync(join(DIR, f), 'utf8');
        const generated = f.endsWith('.md') ? committed.split('\n## Hardware\n')[0]! : committed;
        const same = readFileSync(join(tmp, f)).equals(Buffer.from(generated));
        expect(same, `${f} differs from the committed file; run npm run build && npm run examples`).toBe(true);
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
