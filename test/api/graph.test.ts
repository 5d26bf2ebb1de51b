import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
/**
 * The API on residual graphs (issue 13): plan returns the graph's nodes and sized bypass FIFOs,
 * simulate checks the graph engine against the graph integer engine, estimate prices the segments,
 * the port blocks and the bypass FIFOs; generate writes the graph design (its manifest lists the graph).
 */
import { describe, expect, it } from 'vitest';
import { plan, simulate, estimate } from '../../src/api/index.js';
import { generateRun } from '../../src/api/generate.js';
import { loadModelFile } from '../../src/frontend/load.js';
import { planGraphDesign } from '../../src/flows/graph-build.js';

const file = 'examples/residual_mlp.json';
const fold = { layers: { stem: { pe: 8, simd: 49 }, fc0: { pe: 4, simd: 8 }, fc1: { pe: 2, simd: 16 }, fc2: { pe: 4, simd: 4 }, classifier: { pe: 2, simd: 8 } } };

describe('api on residual_mlp', () => {
  it('plan: the segments\' layers, the graph nodes and the bypass FIFOs of planGraphDesign', () => {
    const r = plan(file, { fold });
    const d = planGraphDesign(loadModelFile(file), { fold });
    expect(r.layers.map((l) => l.name)).toEqual(['in_sign', 'stem', 'fc0', 'fc1', 'fc2', 'classifier', 'argmax']);
    expect(r.graph!.nodes.filter((n) => n.kind === 'add').map((n) => n.name)).toEqual(['res0', 'res1', 'res2']);
    expect(r.graph!.bypass.map((b) => b.depth)).toEqual(d.plan.bypass.map((b) => b.depth));
    expect(r.cyclesPerFrame).toBe(256);
    expect(r.latencyCycles).toBe(d.timing.latencyCycles);
  });

  it('simulate: 0 mismatches with backpressure', () => {
    const r = simulate(file, { fold, vectors: 4, stall: 0.3 });
    expect(r.mismatches).toBe(0);
    expect(r.layers.map((l) => l.name)).toContain('res1_bypass');
  });

  it('estimate: every node priced, the total their sum, each bypass FIFO as a fifo of its depth x width', () => {
    const r = estimate(file, { fold });
    const names = r.layers.map((l) => l.name);
    for (const n of ['stem_act_dup', 'res0_bypass', 'res0', 'res0_b_cvt', 'fc0', 'argmax']) expect(names).toContain(n);
    expect(r.total.lut).toBe(r.layers.reduce((a, l) => a + l.lut, 0));
    const byp = r.layers.filter((l) => l.name.endsWith('_bypass'));
    expect(byp.every((l) => l.blocks[0]!.kind === 'fifo' && l.lut + l.bram18 > 0)).toBe(true);
  });

  it('generate writes a graph design: the manifest lists the graph and its sized bypass FIFOs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bnn-hw-graph-api-'));
    try {
      const { report } = await generateRun(file, { outDir: join(dir, 'design') });
      const manifest = JSON.parse(readFileSync(join(dir, 'design', 'manifest.json'), 'utf8')) as { graph: { bypass: { depth: number; origin: string }[] } };
      expect(report.cyclesPerFrame).toBeGreaterThan(0);
      expect(manifest.graph.bypass.length).toBeGreaterThan(0);
      for (const b of manifest.graph.bypass) expect(b.origin).toMatch(/peak \d+ words/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
