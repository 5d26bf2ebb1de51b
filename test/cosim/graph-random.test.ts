/**
 * Random residual graphs (src/examples/random-graphs.ts, mappable form: identity and two-branch
 * shortcuts, Bi-Real signs, avgpool shortcuts, sign streams into adds, global average pooling) with
 * random foldings through the whole hardware flow: `verify` with Icarus, Verilator and the TypeScript
 * cycle model under backpressure 0.3: zero mismatches against the graph integer engine, identical
 * handshakes on every stream, cycles per frame = plan. The first graphs of the seeded sequence that
 * the planner maps (BNN040 refusals are skipped and counted); more with BNN_SLOW=1. The long sweep:
 * `node scripts/sweep.mjs --graphs`.
 */
import { describe, expect, it } from 'vitest';
import { loadModelValue } from '../../src/frontend/load.js';
import { verify } from '../../src/flows/verify.js';
import { planGraphDesign } from '../../src/flows/graph-build.js';
import { DiagnosticError } from '../../src/diagnostics/diagnostic.js';
import type { Model } from '../../src/ir/model.js';
import { randomGraphFold, randomGraphJson } from '../../src/examples/random-graphs.js';
import { requireTools } from '../helpers/tools.js';

const has = requireTools('iverilog', 'vvp', 'verilator');
const COUNT = process.env['BNN_SLOW'] === '1' ? 24 : 5;

const has_ = (m: Model, t: string) => m.layers.some((l) => l.type === t);

/**
 * The first `n` seeds whose graph the planner maps, with their model and folding, then the first
 * mapped ones with an avgpool shortcut and with a global average pool if those are not yet among them.
 */
function mappedGraphs(n: number): { seed: number; model: Model; fold: { layers: { pe: number; simd: number }[] } }[] {
  const out: { seed: number; model: Model; fold: { layers: { pe: number; simd: number }[] } }[] = [];
  const wanted = (m: Model) => out.length < n || ['avgpool', 'globalavgpool'].some((t) => has_(m, t) && !out.some((g) => has_(g.model, t)));
  const done = () => out.length >= n && ['avgpool', 'globalavgpool'].every((t) => out.some((g) => has_(g.model, t)));
  for (let seed = 1; !done() && seed < 1000; seed++) {
    const model = loadModelValue(randomGraphJson(seed, { mappable: true }));
    if (!wanted(model)) continue;
    const fold = randomGraphFold(model, seed);
    try {
      planGraphDesign(model, { fold });
    } catch (e) {
      if (e instanceof DiagnosticError && e.diagnostics[0]!.code === 'BNN040') continue;
      throw e;
    }
    out.push({ seed, model, fold });
  }
  return out;
}

describe.skipIf(!has)('cosim: random residual graphs, Icarus = Verilator = TypeScript simulator with backpressure 0.3', () => {
  const graphs = mappedGraphs(COUNT);
  it('covers adds, avgpool shortcuts, sign operands and global pooling', () => {
    const kinds = new Set(graphs.flatMap((g) => g.model.layers.map((l) => l.type)));
    for (const k of ['add', 'sign', 'quant', 'avgpool', 'globalavgpool']) expect(kinds).toContain(k);
    // a sign stream into an add
    expect(graphs.some((g) => g.model.layers.some((l) => l.type === 'add' && l.inputs.some((t) => g.model.layers.find((x) => x.name === t)?.type === 'sign')))).toBe(true);
  });
  it.for(graphs)('seed $seed', { timeout: 1_200_000 }, async (g) => {
    const r = await verify(g.model, { fold: g.fold, simulators: ['icarus', 'verilator', 'ts'], vectors: 2, seed: g.seed, stall: 0.3, progress: () => {} });
    expect(r.mismatches, JSON.stringify(r.simulators)).toBe(0);
    expect(r.handshakeMismatch).toEqual([]);
    expect(r.timingMismatch).toEqual([]);
    expect(r.simulators['ts']!.handshakes!.first).toBeNull();
  });
});
