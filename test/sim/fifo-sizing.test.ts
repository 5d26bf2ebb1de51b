/**
 * Pass size-fifos: depths from simulated peak occupancy + margin, the planned rate kept, never worse
 * than the planner's depths, and the sized designs still correct under random stalls.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModelFile } from '../../src/frontend/load.js';
import { compileFront } from '../../src/passes/pipeline.js';
import { plan as planOf } from '../../src/passes/plan.js';
import { readFolding } from '../../src/passes/folding.js';
import { defaultFolding } from '../../src/passes/folding.js';
import type { FifoBlock } from '../../src/blocks/types.js';
import { FIFO_MARGIN, paced, sizeFifos } from '../../src/sim/fifo-sizing.js';
import { simulate } from '../../src/sim/engine.js';
import { FifoSim } from '../../src/blocks/sim-base.js';
import { blockSim } from '../../src/blocks/registry.js';
import { stallPatterns } from '../../src/sim/patterns.js';
import { buildDesign } from '../../src/flows/build.js';
import { randomPlans } from '../helpers/plans.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function checkSizing(p: ReturnType<typeof planOf>) {
  const s = sizeFifos(p);
  // the planned rate (or, BNN112, the rate the planner's depths reach) and no regression against them
  expect(s.notes.filter((n) => n.code !== 'BNN112')).toEqual([]);
  expect(s.cyclesPerFrame).toBe(s.notes.length ? s.plannedCyclesPerFrame : p.cyclesPerFrame);
  expect(s.cyclesPerFrame).toBeLessThanOrEqual(s.plannedCyclesPerFrame!);
  expect(s.latencyCycles).toBeLessThanOrEqual(s.plannedLatencyCycles);
  for (const f of s.fifos) {
    // peak + margin, capped at the planner's depth
    expect(f.depth).toBe(Math.max(1, Math.min(f.peak + FIFO_MARGIN, f.planned)));
  }
  // only FIFO depths change
  expect(s.plan.blocks.map((b) => (b.kind === 'fifo' ? { ...b, depth: 0 } : b))).toEqual(p.blocks.map((b) => (b.kind === 'fifo' ? { ...b, depth: 0 } : b)));
  return s;
}

describe('size-fifos', () => {
  it.each([
    ['tfc', 'bench/foldings/tfc.json'],
    ['sfc', 'bench/foldings/sfc.json'],
    ['lfc', 'bench/foldings/lfc.json'],
    ['tfc', null],
  ])('%s with folding %s', (name, fold) => {
    const { ir } = compileFront(loadModelFile(join(ROOT, 'examples', `${name}.json`)));
    const p = planOf(ir, fold ? readFolding(join(ROOT, fold), ir) : defaultFolding(ir));
    const s = checkSizing(p);
    // never deeper than the planner's and at least one FIFO shallower
    expect(s.fifos.some((f) => f.depth < f.planned)).toBe(true);
  });

  it('TFC with FINN\'s folding: the depths, stated', () => {
    const { ir } = compileFront(loadModelFile(join(ROOT, 'examples/tfc.json')));
    const s = sizeFifos(planOf(ir, readFolding(join(ROOT, 'bench/foldings/tfc.json'), ir)));
    expect(s.fifos.map((f) => `${f.name} peak ${f.peak} depth ${f.depth} planned ${f.planned}`)).toEqual([
      'fc0_fifo peak 1 depth 3 planned 18',
      'fc1_fifo peak 6 depth 8 planned 10',
      'fc2_fifo peak 7 depth 9 planned 10',
      'fc3_fifo peak 1 depth 3 planned 10',
    ]);
  });

  const cases = randomPlans(40, 500);
  it.each(cases.map((c) => [c.model.name, c] as const))('random %s: planned rate kept; correct under stalls', (_n, c) => {
    const s = checkSizing(c.plan);
    // with the sized FIFOs at the planned rate every output comes when it comes with unbounded FIFOs
    const frames = 6;
    const beat = new Array<number>(c.plan.input.lanes).fill(0);
    const src = { length: c.plan.input.beats * frames, at: () => beat };
    const rate = paced(c.plan.input.beats, s.interval);
    const deep = simulate(c.plan, src, c.plan.output.beats * frames, { ...rate, timingOnly: true, sims: c.plan.blocks.map((b) => (b.kind === 'fifo' ? new FifoSim(b.name, 1e9) : blockSim(b, true))) });
    const sized = simulate(s.plan, src, c.plan.output.beats * frames, { ...rate, timingOnly: true });
    expect(sized.outCycles).toEqual(deep.outCycles);
    // and with random gaps and backpressure the design still finishes (no deadlock)
    const st = simulate(s.plan, src, c.plan.output.beats * frames, { patterns: stallPatterns(0.4, c.seed), timingOnly: true });
    expect(st.outCount).toBe(c.plan.output.beats * frames);
  });

  it('the generated RTL uses the sized depths (and --no-size-fifos the planner\'s)', () => {
    const m = loadModelFile(join(ROOT, 'examples/tfc.json'));
    const fold = join(ROOT, 'bench/foldings/tfc.json');
    const sized = buildDesign(m, { fold });
    const planned = buildDesign(m, { fold, sizeFifos: false });
    const depths = (b: typeof sized) => b.plan.blocks.filter((x): x is FifoBlock => x.kind === 'fifo').map((x) => x.depth);
    expect(depths(sized)).toEqual([3, 8, 9, 3]);
    expect(depths(planned)).toEqual([18, 10, 10, 10]);
    expect(sized.files.get('rtl/tfc_layer_fc1.v')).toMatch(/\.DEPTH\(8\)/);
    expect(planned.files.get('rtl/tfc_layer_fc1.v')).toMatch(/\.DEPTH\(10\)/);
    expect(sized.timing).toEqual({ cyclesPerFrame: planned.timing.cyclesPerFrame, latencyCycles: planned.timing.latencyCycles });
    expect(sized.fifoSizing!.fifos.map((f) => f.depth)).toEqual([3, 8, 9, 3]);
  });
});
