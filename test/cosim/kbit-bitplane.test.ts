/**
 * Random MLPs on k-bit integer inputs (k = 2..8, signed and unsigned) whose first layer runs on the
 * bit-plane datapath (bnn_mvu_int DATAPATH = 1, asked for in the folding file), with random foldings
 * (several SIMD / PE / SF / NF), through Icarus and Verilator with backpressure, against the TS
 * model and the references; and the compiler's choice rule (bit-plane for k <= 4).
 */
import { describe, expect, it } from 'vitest';
import { loadModelValue } from '../../src/frontend/load.js';
import { verify } from '../../src/flows/verify.js';
import { compileIr } from '../../src/passes/pipeline.js';
import { linearStages } from '../../src/ir/types.js';
import { divisors, readFolding } from '../../src/passes/folding.js';
import { plan } from '../../src/passes/plan.js';
import { mlpJson, type InputTypeJson } from '../../src/examples/seeded-models.js';
import { Prng } from '../../src/util/prng.js';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireTools } from '../helpers/tools.js';

const has = requireTools('iverilog', 'vvp', 'verilator');

const CASES: { k: number; signed: boolean }[] = [2, 3, 4, 5, 6, 7, 8].flatMap((k) => [{ k, signed: false }, { k, signed: true }]);

function model(k: number, signed: boolean, seed: number) {
  const rng = new Prng(seed * 7919);
  const inputType = `${signed ? 'int' : 'uint'}${k}` as InputTypeJson;
  const json = mlpJson({
    name: `kbit${seed}`, seed, inputs: rng.pick([12, 24, 36, 48, 64]), widths: Array.from({ length: rng.int(0, 1) }, () => rng.int(4, 16)), classes: rng.int(2, 10),
    inputType, binarizeInput: false, lastBn: rng.bool(), output: rng.bool(0.6) ? 'argmax' : 'scores', bias: rng.bool(0.3),
  });
  return { rng, model: loadModelValue(json) };
}

describe.skipIf(!has)('bit-plane datapath of k-bit first layers through the RTL', () => {
  CASES.forEach(({ k, signed }, i) => {
    it(`${signed ? 'int' : 'uint'}${k} inputs, random folding`, async () => {
      const seed = 300 + i;
      const { rng, model: m } = model(k, signed, seed);
      const lin = linearStages(compileIr(m));
      const layers = lin.map((l, j) => ({ pe: rng.pick(divisors(l.mh)), simd: rng.pick(divisors(l.mw).filter((d) => d > 1 || l.mw === 1)), ...(j === 0 ? { datapath: 'bitplane' } : {}) }));
      const dir = mkdtempSync(join(tmpdir(), 'bnn-hw-kbit-'));
      writeFileSync(join(dir, 'fold.json'), JSON.stringify({ layers }));
      const ir = compileIr(m);
      const first = plan(ir, readFolding(join(dir, 'fold.json'), ir)).blocks.find((b) => b.kind === 'mvu_int');
      expect(first && first.kind === 'mvu_int' && first.datapath).toBe('bitplane');
      const r = await verify(m, { fold: join(dir, 'fold.json'), simulators: ['icarus', 'verilator'], vectors: 12, seed, stall: 0.3, progress: () => {} });
      expect(r.mismatches, JSON.stringify(r.simulators)).toBe(0);
      expect(r.timingMismatch, JSON.stringify({ plan: r.plan, sims: r.simulators })).toEqual([]);
    }, 600_000);
  });

  // the XNOR form's per-neuron constant C_j: rows of all +1 and all -1 weights next to mixed ones,
  // on several PEs and folds (NF > 1) and steps (SF > 1), as a score layer and before a hidden layer
  for (const c of [
    { type: 'int3', widths: [] as number[], output: 'scores' as const, pe: 2, simd: 8 },
    { type: 'uint4', widths: [6], output: 'argmax' as const, pe: 3, simd: 6 },
    { type: 'int2', widths: [], output: 'scores' as const, pe: 1, simd: 12 },
  ]) {
    it(`${c.type} first layer (${c.output}) with all +1 and all -1 weight rows, PE ${c.pe} SIMD ${c.simd}`, async () => {
      const json = mlpJson({ name: `xnorc${c.type}`, seed: 5, inputs: 24, widths: c.widths, classes: 6, inputType: c.type as InputTypeJson, binarizeInput: false, lastBn: false, output: c.output, bias: false });
      const w = (json['layers'] as { type: string; weights?: number[][] }[]).find((l) => l.type === 'dense')!.weights!;
      w[0] = w[0]!.map((x) => Math.abs(x) + 0.01);
      w[1] = w[1]!.map((x) => -Math.abs(x) - 0.01);
      w[3] = w[3]!.map((x) => -Math.abs(x) - 0.02);
      const m = loadModelValue(json);
      const lin = linearStages(compileIr(m));
      const layers = lin.map((l, j) => (j === 0 ? { pe: c.pe, simd: c.simd, datapath: 'bitplane' } : { pe: 1, simd: l.mw }));
      const dir = mkdtempSync(join(tmpdir(), 'bnn-hw-xnorc-'));
      writeFileSync(join(dir, 'fold.json'), JSON.stringify({ layers }));
      const r = await verify(m, { fold: join(dir, 'fold.json'), simulators: ['icarus', 'verilator'], vectors: 16, seed: 9, stall: 0.3, progress: () => {} });
      expect(r.mismatches, JSON.stringify(r.simulators)).toBe(0);
      expect(r.timingMismatch).toEqual([]);
    }, 600_000);
  }

  it('the choice rule: bit-plane for codes of at most 4 bits at every SIMD; add/subtract above', () => {
    for (const k of [2, 3, 4, 5, 8])
      for (const simd of [1, 4, 12, 16, 24]) {
        const { model: m } = model(k, false, 1);
        const ir = compileIr(m);
        const lin = linearStages(ir);
        if (lin[0]!.mw % simd !== 0) continue;
        const p = plan(ir, { layers: lin.map((l, j) => ({ pe: 1, simd: j === 0 ? simd : 1 })), inputPe: null });
        const b = p.blocks.find((x) => x.kind === 'mvu_int');
        const want = k <= 4 ? 'bitplane' : 'addsub';
        expect(b && b.kind === 'mvu_int' && b.datapath, `k = ${k}, SIMD ${simd}`).toBe(want);
      }
  });
});
