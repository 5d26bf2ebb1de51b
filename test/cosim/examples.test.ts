/**
 * Every example the planner maps, with a folding from bench/foldings: TS simulator = Icarus on every
 * stream (cycle and data) with input gaps and backpressure, outputs = reference, timing = plan.
 * LFC and LFC-W1A2 take minutes in Icarus: they run with BNN_SLOW=1 (`npm run test:slow`; LFC-W1A2 in
 * Verilator and TS: test/cosim/mlp-examples.test.ts). CNV needs hours in
 * Icarus; it is checked under Verilator and the TS simulator in test/cosim/cnn.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModelFile } from '../../src/frontend/load.js';
import { verify } from '../../src/flows/verify.js';
import { requireTools } from '../helpers/tools.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const has = requireTools('iverilog', 'vvp');
const SLOW = new Set(['lfc', 'lfc_w1a2', 'cnv']);
const slow = process.env['BNN_SLOW'] === '1';
const examples = readdirSync(join(ROOT, 'examples'))
  .filter((f) => f.endsWith('.json') && !f.endsWith('-inputs.json'))
  .map((f) => f.replace(/\.json$/, ''))
  .filter((name) => name !== 'cnv' && (slow || !SLOW.has(name)))
  .sort();

describe.skipIf(!has)('cosim: examples, TypeScript simulator = Icarus with backpressure', () => {
  it.for(examples)('%s', async (name) => {
    const fold = join(ROOT, 'bench/foldings', `${name}.json`);
    expect(existsSync(fold), `bench/foldings/${name}.json`).toBe(true);
    const r = await verify(loadModelFile(join(ROOT, 'examples', `${name}.json`)), { fold, simulators: ['icarus', 'ts'], vectors: 3, seed: 7, stall: 0.2, progress: () => {} });
    expect(r.simulators['ts']!.handshakes!.first).toBeNull();
    expect(r.handshakeMismatch).toEqual([]);
    expect(r.simulators['ts']!.handshakes!.handshakes).toBeGreaterThan(100);
    expect(r.mismatches).toBe(0);
    expect(r.timingMismatch).toEqual([]);
    expect(r.simulators['ts']!.stalled!.frames).toBe(3);
  });
});
