/**
 * Every example the planner maps, with a folding from bench/foldings: TS simulator = Icarus on every
 * stream (cycle and data) with input gaps and backpressure, outputs = reference, timing = plan.
 * LFC and LFC-W1A2 take minutes in Icarus: they run with BNN_SLOW=1 (`npm run test:slow`; LFC-W1A2 in
 * Verilator and TS: test/cosim/mlp-examples.test.ts). CNV needs hours in
 * Icarus; it is checked under Verilator and the TS simulator in test/cosim/cnn.test.ts. CNV-W1A2 (2-bit
 * activations) runs below with FINN's W1A2 folding in Verilator and the TS simulator, and in Icarus too
 * with BNN_SLOW=1.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModelFile } from '../../src/frontend/load.js';
import { verify } from '../../src/flows/verify.js';
import { planDesign } from '../../src/flows/build.js';
import { requireTools } from '../helpers/tools.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const has = requireTools('iverilog', 'vvp');
const hasVerilator = requireTools('verilator');
const SLOW = new Set(['lfc', 'lfc_w1a2', 'cnv']);
/** examples with a test of their own below or in cnn.test.ts */
const OWN = new Set(['cnv', 'cnv_w1a2']);
/** residual graphs: their own tests below (every simulator, --stall 0.3, as issue 13 asks) */
const GRAPHS = new Set(['residual_mlp', 'birealnet_small']);
const slow = process.env['BNN_SLOW'] === '1';
const examples = readdirSync(join(ROOT, 'examples'))
  .filter((f) => f.endsWith('.json') && !f.endsWith('-inputs.json'))
  .map((f) => f.replace(/\.json$/, ''))
  .filter((name) => !OWN.has(name) && !GRAPHS.has(name) && (slow || !SLOW.has(name)))
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

describe.skipIf(!hasVerilator || (slow && !has))(`cosim: cnv_w1a2 with FINN's W1A2 folding, TypeScript simulator = Verilator${slow ? ' = Icarus' : ''} with backpressure`, () => {
  it('zero mismatches, identical handshakes, timing = plan (FINN W1A2 per-layer cycles)', async () => {
    const fold = join(ROOT, 'examples/folds/cnv-w1a2-finn.json');
    const simulators = slow ? (['verilator', 'icarus', 'ts'] as const) : (['verilator', 'ts'] as const);
    const model = loadModelFile(join(ROOT, 'examples', 'cnv_w1a2.json'));
    // both pools take the max / min of 2-bit signed codes
    const pools = planDesign(model, { fold, sizeFifos: false }).plan.blocks.flatMap((b) => (b.kind === 'pool' ? [[b.params.ELEM_W, b.params.SIGNED]] : []));
    expect(pools).toEqual([[2, 1], [2, 1]]);
    const r = await verify(model, { fold, simulators: [...simulators], vectors: 2, seed: 5, stall: 0.1, progress: () => {} });
    expect(r.plan.cyclesPerFrame).toBe(115200);
    expect(r.mismatches, JSON.stringify(r.simulators)).toBe(0);
    expect(r.handshakeMismatch).toEqual([]);
    expect(r.simulators['ts']!.handshakes!.first).toBeNull();
    expect(r.timingMismatch).toEqual([]);
  }, 3_600_000);
});

describe.skipIf(!has || !hasVerilator)('cosim: residual_mlp (a residual graph), Icarus = Verilator = TypeScript simulator with backpressure 0.3', () => {
  it('zero mismatches, identical handshakes on every stream, cycles per frame = plan (the slowest node)', async () => {
    const fold = join(ROOT, 'bench/foldings/residual_mlp.json');
    const model = loadModelFile(join(ROOT, 'examples', 'residual_mlp.json'));
    const r = await verify(model, { fold, simulators: ['icarus', 'verilator', 'ts'], vectors: 4, seed: 11, stall: 0.3, progress: () => {} });
    // the slowest node: fc0..fc2 at PE 4 SIMD 16 take (64 / 4) * (64 / 16) = 64 cycles, as the input stage (784 / 49 = 16) and stem (64 / 16 * 784 / 49 = 64) do
    expect(r.plan.cyclesPerFrame).toBe(64);
    expect(r.mismatches, JSON.stringify(r.simulators)).toBe(0);
    expect(r.handshakeMismatch).toEqual([]);
    expect(r.timingMismatch).toEqual([]);
    for (const s of ['verilator', 'ts']) {
      expect(r.simulators[s]!.handshakes!.first).toBeNull();
      expect(r.simulators[s]!.handshakes!.handshakes).toBeGreaterThan(1000);
      expect(r.simulators[s]!.stalled!.frames).toBe(4);
    }
  }, 1_200_000);
});

describe.skipIf(!hasVerilator || (slow && !has))(`cosim: birealnet_small (residual CNN: avgpool shortcut, global average pooling), ${slow ? 'Icarus = ' : ''}Verilator = TypeScript simulator with backpressure 0.3`, () => {
  it('zero mismatches, identical handshakes on every stream, cycles per frame = plan', async () => {
    const fold = join(ROOT, 'bench/foldings/birealnet_small.json');
    const model = loadModelFile(join(ROOT, 'examples', 'birealnet_small.json'));
    // Icarus takes minutes on this design (about 2.5 min for 2 vectors on a 2-core machine): BNN_SLOW=1
    const simulators = slow ? (['icarus', 'verilator', 'ts'] as const) : (['verilator', 'ts'] as const);
    const r = await verify(model, { fold, simulators: [...simulators], vectors: 3, seed: 13, stall: 0.3, progress: () => {} });
    // the slowest nodes: the 3x3 convs at 256 (b0, b1) or 64 (b2..b4) positions x 144 / 16 x 16 / PE
    expect(r.plan.cyclesPerFrame).toBe(2304);
    expect(r.mismatches, JSON.stringify(r.simulators)).toBe(0);
    expect(r.handshakeMismatch).toEqual([]);
    expect(r.timingMismatch).toEqual([]);
    expect(r.simulators['ts']!.handshakes!.first).toBeNull();
    expect(r.simulators['ts']!.handshakes!.handshakes).toBeGreaterThan(10000);
    expect(r.simulators['ts']!.stalled!.frames).toBe(3);
  }, 3_600_000);
});
