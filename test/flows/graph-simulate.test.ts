/**
 * The graph flows (issue 13): planGraphDesign sizes the bypass FIFOs and times the design, and
 * simulate runs the planned graph's cycle models with every output checked against the graph integer
 * engine: the examples and seeded random residual graphs, with and without backpressure.
 */
import { describe, expect, it } from 'vitest';
import { loadModelFile, loadModelValue } from '../../src/frontend/load.js';
import { planGraphDesign } from '../../src/flows/graph-build.js';
import { simulateGraphModel } from '../../src/flows/graph-simulate.js';
import { inferGraphInteger } from '../../src/reference/graph-integer.js';
import { seededCodes } from '../../src/flows/expected.js';
import { DiagnosticError } from '../../src/diagnostics/diagnostic.js';
import { randomGraphJson } from '../helpers/random-graphs.js';
import { Prng } from '../../src/util/prng.js';
import { graphFront } from '../../src/passes/graph-front.js';
import { divisors, simdChoices } from '../../src/passes/folding.js';
import type { Model } from '../../src/ir/model.js';

const mlp = loadModelFile('examples/residual_mlp.json');
const mlpFold = { layers: { stem: { pe: 8, simd: 49 }, fc0: { pe: 4, simd: 8 }, fc1: { pe: 2, simd: 16 }, fc2: { pe: 4, simd: 4 }, classifier: { pe: 2, simd: 8 } } };

describe('residual_mlp', () => {
  it('runs at its slowest node; every bypass FIFO is sized and says where its depth comes from', () => {
    const { plan, timing } = planGraphDesign(mlp, { fold: mlpFold });
    // stem: 784 / 49 x 64 / 8 = 128 cycles; fc2: 64 / 4 x 64 / 4 = 256 cycles, the slowest
    expect(plan.cyclesPerFrame).toBe(256);
    expect(timing.cyclesPerFrame).toBe(256);
    expect(plan.bypass.map((b) => b.add)).toEqual(['res0', 'res1', 'res2']);
    for (const b of plan.bypass) {
      expect(b.depth).toBe(b.exact + 1);
      expect(b.origin).toMatch(/^peak \d+ words .* while fc\d works on them, \+ 1 slack$/);
    }
  });

  it('simulate: 0 mismatches against the graph integer engine, also with backpressure', () => {
    for (const stall of [0, 0.3]) {
      const r = simulateGraphModel(mlp, { fold: mlpFold, vectors: 6, seed: 3, stall });
      expect(r.mismatches).toBe(0);
      expect(r.outputs).toEqual(seededCodes(mlp, 6, 3).map((c) => inferGraphInteger(mlp, c)));
      if (stall === 0) expect(r.cyclesPerFrame).toBe(256);
    }
  });

  it('the graph flows refuse what they do not do yet with a coded diagnostic', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof DiagnosticError ? e.diagnostics[0]!.code : String(e);
      }
      return 'none';
    };
    expect(code(() => planGraphDesign(mlp, { maxFps: true, device: 'xc7z020' }))).toBe('BNN043');
    expect(code(() => simulateGraphModel(mlp, { fold: mlpFold, vectors: 1, seed: 1, stall: 0, vcd: 'x.vcd' }))).toBe('BNN045');
  });
});

/** A random folding: per linear layer a PE dividing its neurons and a SIMD its fan-in accepts. */
function randomFold(m: Model, seed: number) {
  const rng = new Prng(seed);
  const pick = (xs: number[]) => xs[rng.int(0, xs.length - 1)]!;
  const ir = graphFront(m).ir;
  return { layers: ir.stages.flatMap((s) => (s.op === 'linear' ? [{ pe: pick(divisors(s.mh)), simd: pick(simdChoices(s)) }] : [])) };
}

describe('random residual graphs', () => {
  it('plan and simulate with 0 mismatches against the graph integer engine (refused forms are BNN040)', () => {
    const seen = { mapped: 0, refused: 0, adds: 0, gaps: 0 };
    for (let seed = 1; seed <= 150; seed++) {
      const m = loadModelValue(randomGraphJson(seed, { mappable: true }));
      let fold;
      try {
        fold = randomFold(m, seed);
        planGraphDesign(m, { fold });
      } catch (e) {
        if (e instanceof DiagnosticError && e.diagnostics[0]!.code === 'BNN040') {
          seen.refused++;
          continue;
        }
        throw e;
      }
      seen.mapped++;
      if (m.layers.some((l) => l.type === 'add')) seen.adds++;
      if (m.layers.some((l) => l.type === 'globalavgpool')) seen.gaps++;
      const r = simulateGraphModel(m, { fold, vectors: 3, seed, stall: seed % 2 ? 0.3 : 0 });
      expect(r.mismatches, `seed ${seed}`).toBe(0);
    }
    console.log(seen);
    expect(seen.adds).toBeGreaterThan(10);
  });
});
