/**
 * TS simulator vs Icarus on a seeded sweep of random networks (MLPs and, where the planner maps
 * them, CNNs) x random foldings x seeded input-gap / backpressure patterns: through `verify` with
 * simulators icarus and ts, which compares every handshake (cycle and data) on every stream, top
 * level and inside the layer wrappers, checks the outputs against the reference and the timing
 * against the plan.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verify } from '../../src/flows/verify.js';
import { Prng } from '../helpers/prng.js';
import { requireTools } from '../helpers/tools.js';
import { randomPlans } from '../helpers/plans.js';

const has = requireTools('iverilog', 'vvp');
const COUNT = Number(process.env['BNN_COSIM_COUNT'] ?? 48);
const STALLS = [0.15, 0.3, 0.5];

describe.skipIf(!has)('cosim: TypeScript simulator = Icarus, handshake by handshake', () => {
  const cases = randomPlans(COUNT, 1000);
  it.each(cases.map((c, k) => [c.model.name, STALLS[k % STALLS.length]!, c] as const))('%s, stall %f', async (_name, stall, c) => {
    const dir = mkdtempSync(join(tmpdir(), 'bnn-hw-cosim-'));
    try {
      const fold = join(dir, 'fold.json');
      writeFileSync(fold, JSON.stringify({ layers: c.plan.folding.layers }));
      const rng = new Prng(c.seed);
      const r = await verify(c.model, { fold, simulators: ['icarus', 'ts'], vectors: rng.int(2, 4), seed: c.seed, stall, progress: () => {} });
      const ts = r.simulators['ts']!;
      expect(ts.handshakes!.first).toBeNull();
      expect(r.handshakeMismatch).toEqual([]);
      expect(ts.handshakes!.handshakes).toBeGreaterThan(0);
      expect(ts.handshakes!.streams).toBe(c.plan.blocks.length + 1);
      expect(r.simulators['icarus']!.mismatches).toBe(0);
      expect(ts.mismatches).toBe(0);
      expect(r.timingMismatch).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
