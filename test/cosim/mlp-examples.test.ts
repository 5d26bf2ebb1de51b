/**
 * The MLP examples through the generated RTL: TFC and SFC at three foldings each, an unstalled
 * timing run (cycles per frame and latency must equal the plan) and a run with seeded input gaps and
 * output backpressure (zero mismatches, every frame once, in order). Icarus and Verilator for the
 * folded designs; the wide ones (SFC at SIMD 98 x PE 64) in Verilator, since Icarus needs many
 * minutes to elaborate their compressor trees. A small fully unrolled MLP (constant weights) runs
 * in both. Fully unrolled TFC (50,000 XNOR bits in its first layer; about 10 minutes and 4 GB to
 * build in Verilator) runs with BNN_SLOW=1 (`npm run test:slow`). The W1A2 variants (2-bit signed
 * hidden activations, issue 12) run at FINN's foldings: TFC-W1A2 in both, LFC-W1A2 in Verilator and the
 * TypeScript cycle model (Icarus needs many minutes for its 1024-wide add / subtract layers).
 */
import { describe, expect, it } from 'vitest';
import { loadModelFile } from '../../src/frontend/load.js';
import { verify } from '../../src/flows/verify.js';
import { requireTools } from '../helpers/tools.js';
import { loadModelValue } from '../../src/frontend/load.js';
import { mlpJson } from '../../src/examples/seeded-models.js';
import { makeTmpDir, removeDir } from '../helpers/rtlsim.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const has = requireTools('iverilog', 'vvp', 'verilator');

type Sim = 'icarus' | 'verilator';
const BOTH: Sim[] = ['icarus', 'verilator'];
const slow = process.env['BNN_SLOW'] === '1';
const cases: { model: string; fold: string; vectors: number; stall: number; sims: Sim[] }[] = [
  { model: 'tfc', fold: 'tfc-finn', vectors: 12, stall: 0.2, sims: BOTH },
  { model: 'tfc', fold: 'tfc-ones', vectors: 3, stall: 0.25, sims: BOTH },
  { model: 'tfc_w1a2', fold: 'tfc-finn', vectors: 8, stall: 0.2, sims: BOTH },
  { model: 'sfc', fold: 'sfc-balanced', vectors: 8, stall: 0.2, sims: BOTH },
  { model: 'sfc', fold: 'sfc-fast', vectors: 8, stall: 0.3, sims: ['verilator'] },
  { model: 'sfc', fold: 'sfc-ones', vectors: 2, stall: 0.2, sims: BOTH },
  ...(slow ? [{ model: 'tfc', fold: 'tfc-parallel', vectors: 12, stall: 0.3, sims: ['verilator'] as Sim[] }] : []),
];

describe.skipIf(!has)('MLP examples in Icarus and Verilator', () => {
  for (const c of cases) {
    it(`${c.model} with ${c.fold}: zero mismatches with backpressure, timing equal to the plan`, async () => {
      const model = loadModelFile(`examples/${c.model}.json`);
      const r = await verify(model, { fold: `examples/folds/${c.fold}.json`, simulators: c.sims, vectors: c.vectors, seed: 7, stall: c.stall, progress: () => {} });
      for (const [sim, s] of Object.entries(r.simulators)) {
        expect.soft(s.mismatches, `${sim} mismatches`).toBe(0);
        expect.soft(s.stalled?.frames, `${sim} frames out of the stalled run`).toBe(c.vectors);
        expect.soft(s.cyclesPerFrame, `${sim} cycles per frame`).toBe(r.plan.cyclesPerFrame);
        expect.soft(s.latencyCycles, `${sim} latency`).toBe(r.plan.latencyCycles);
      }
      expect(r.mismatches).toBe(0);
      expect(r.timingMismatch).toEqual([]);
    }, 900_000);
  }

  it('a small fully unrolled MLP (PE = MH, SIMD = MW: constant weights): zero mismatches, timing = plan', async () => {
    const model = loadModelValue(mlpJson({ name: 'unrolled', seed: 31, inputs: 96, widths: [48, 24], classes: 10, inputType: 'uint8', binarizeInput: true, packed: true, output: 'argmax' }));
    const dir = await makeTmpDir('unrolled');
    const fold = join(dir, 'fold.json');
    writeFileSync(fold, JSON.stringify({ layers: [{ pe: 48, simd: 96 }, { pe: 24, simd: 48 }, { pe: 10, simd: 24 }] }));
    const r = await verify(model, { fold, simulators: BOTH, vectors: 10, seed: 5, stall: 0.3, progress: () => {} });
    expect(r.plan.cyclesPerFrame).toBe(1);
    for (const sim of BOTH) expect.soft(r.simulators[sim]!.stalled?.frames, sim).toBe(10);
    expect(r.mismatches).toBe(0);
    expect(r.timingMismatch).toEqual([]);
    await removeDir(dir);
  }, 900_000);

  it('lfc_w1a2 with FINN folding under Verilator and the TypeScript model: zero mismatches, identical handshakes, timing = plan', async () => {
    const model = loadModelFile('examples/lfc_w1a2.json');
    const r = await verify(model, { fold: 'examples/folds/lfc-finn.json', simulators: ['verilator', 'ts'], vectors: 3, seed: 3, stall: 0.1, progress: () => {} });
    expect(r.plan.cyclesPerFrame).toBe(512);
    expect(r.simulators['verilator']!.mismatches).toBe(0);
    expect(r.mismatches).toBe(0);
    expect(r.handshakeMismatch).toEqual([]);
    expect(r.timingMismatch).toEqual([]);
  }, 1_200_000);

  it('lfc with FINN folding under Verilator', async () => {
    const model = loadModelFile('examples/lfc.json');
    const r = await verify(model, { fold: 'examples/folds/lfc-finn.json', simulators: ['verilator'], vectors: 4, seed: 3, stall: 0.1, progress: () => {} });
    expect(r.plan.cyclesPerFrame).toBe(512);
    expect(r.simulators['verilator']!.mismatches).toBe(0);
    expect(r.timingMismatch).toEqual([]);
  }, 900_000);
});
