/**
 * The MLP examples through the generated RTL: TFC and SFC at three foldings each, Icarus and
 * Verilator, an unstalled timing run (cycles per frame and latency must equal the plan) and a run
 * with seeded input gaps and output backpressure (zero mismatches, every frame once, in order).
 */
import { describe, expect, it } from 'vitest';
import { loadModelFile } from '../../src/frontend/load.js';
import { verify } from '../../src/flows/verify.js';
import { requireTools } from '../helpers/tools.js';

const has = requireTools('iverilog', 'vvp', 'verilator');

const cases: { model: string; fold: string; vectors: number; stall: number }[] = [
  { model: 'tfc', fold: 'tfc-finn', vectors: 12, stall: 0.2 },
  { model: 'tfc', fold: 'tfc-ones', vectors: 3, stall: 0.25 },
  { model: 'tfc', fold: 'tfc-parallel', vectors: 12, stall: 0.3 },
  { model: 'sfc', fold: 'sfc-balanced', vectors: 8, stall: 0.2 },
  { model: 'sfc', fold: 'sfc-fast', vectors: 8, stall: 0.3 },
  { model: 'sfc', fold: 'sfc-ones', vectors: 2, stall: 0.2 },
];

describe.skipIf(!has)('MLP examples in Icarus and Verilator', () => {
  for (const c of cases) {
    it(`${c.model} with ${c.fold}: zero mismatches with backpressure, timing equal to the plan`, async () => {
      const model = loadModelFile(`examples/${c.model}.json`);
      const r = await verify(model, { fold: `examples/folds/${c.fold}.json`, simulators: ['icarus', 'verilator'], vectors: c.vectors, seed: 7, stall: c.stall, progress: () => {} });
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

  it('lfc with FINN folding under Verilator', async () => {
    const model = loadModelFile('examples/lfc.json');
    const r = await verify(model, { fold: 'examples/folds/lfc-finn.json', simulators: ['verilator'], vectors: 4, seed: 3, stall: 0.1, progress: () => {} });
    expect(r.plan.cyclesPerFrame).toBe(512);
    expect(r.simulators['verilator']!.mismatches).toBe(0);
    expect(r.timingMismatch).toEqual([]);
  }, 900_000);
});
