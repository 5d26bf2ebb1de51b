/** Resource-aware folding (src/estimate/search.ts) and the estimate / Pareto CLI. */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModelFile } from '../../src/frontend/load.js';
import { compileFront } from '../../src/passes/pipeline.js';
import { plan } from '../../src/passes/plan.js';
import { foldForTarget, layerCycles } from '../../src/passes/folding.js';
import { linearStages } from '../../src/ir/types.js';
import { findDevice } from '../../src/estimate/devices.js';
import { estimatePlan } from '../../src/estimate/estimate.js';
import { foldForResources, maxFpsFolding, paretoSweep } from '../../src/estimate/search.js';
import { chooseFolding } from '../../src/flows/build.js';
import { DiagnosticError } from '../../src/diagnostics/diagnostic.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ir = compileFront(loadModelFile(`${ROOT}/examples/tfc.json`)).ir;
const sfc = compileFront(loadModelFile(`${ROOT}/examples/sfc.json`)).ir;

describe('resource-aware folding', () => {
  it('meets the rate, fits the device and never costs more LUTs than the PE x SIMD heuristic', () => {
    for (const target of [64, 256, 1024, 4096]) {
      const r = foldForResources(sfc, target, findDevice('xc7z020'), 'xilinx')!;
      linearStages(sfc).forEach((l, i) => expect(layerCycles(l, r.folding.layers[i]!)).toBeLessThanOrEqual(target));
      expect(r.verdict!.fits).toBe(true);
      const heuristic = estimatePlan(plan(sfc, foldForTarget(sfc, target)), { fabric: 'xilinx' });
      expect(r.estimate.total.lut, `target ${target}`).toBeLessThanOrEqual(heuristic.total.lut);
    }
  });

  it('names the binding resource and layer when nothing fits', () => {
    try {
      foldForResources(sfc, 16, findDevice('ice40up5k'), 'ice40');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DiagnosticError);
      const d = (e as DiagnosticError).diagnostics[0]!;
      expect(d.code).toBe('BNN085');
      expect(d.message).toMatch(/fits ice40up5k: the least-LUT choice needs \d+ (lut|ff|ebr) of \d+ .* layer "/);
    }
  });

  it('--max-fps finds the fastest folding that fits; the next faster rate does not', () => {
    const dev = findDevice('ice40hx8k');
    const r = maxFpsFolding(ir, dev);
    expect(r.verdict!.fits).toBe(true);
    const faster = foldForResources(ir, r.cyclesPerFrame - 1, dev, 'ice40', false);
    expect(faster === null || faster.cyclesPerFrame >= r.cyclesPerFrame).toBe(true);
  });

  it('chooseFolding keeps the old behaviour without --device and uses the search with it', () => {
    const plain = chooseFolding(ir, { targetFps: 100000, clockMhz: 100 });
    expect(plain).toEqual(foldForTarget(ir, 1000));
    const aware = chooseFolding(ir, { targetFps: 100000, clockMhz: 100, device: 'xc7z020' });
    expect(aware.layers.length).toBe(4);
  });

  it('Pareto sweep: the front is monotone (more LUTs buy more frames per second)', () => {
    const pts = paretoSweep(ir, 'xilinx', 100, findDevice('xc7z020'), 16);
    const front = pts.filter((p) => p.pareto).sort((a, b) => a.lut - b.lut);
    expect(front.length).toBeGreaterThan(2);
    for (let i = 1; i < front.length; i++) expect(front[i]!.fps).toBeGreaterThan(front[i - 1]!.fps);
  });
});

describe('bnn-hw estimate (CLI)', () => {
  const MAIN = join(ROOT, 'dist', 'cli', 'main.js');
  const cli = (...a: string[]) => spawnSync(process.execPath, [MAIN, ...a], { cwd: ROOT, encoding: 'utf8' });
  const fold = join(ROOT, '..', 'shared', 'foldings', 'finn-tfc-w1a1_folding_config.json');

  it('--json prints layers, total and the device verdict', () => {
    const r = cli('estimate', 'examples/tfc.json', '--fold', fold, '--device', 'xc7z020', '--json');
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { layers: Record<string, unknown>[]; total: Record<string, number>; device: { name: string; fits: boolean } };
    for (const l of j.layers) for (const k of ['name', 'lut', 'ff', 'bram18', 'dsp']) expect(l).toHaveProperty(k);
    expect(j.total.lut).toBe(j.layers.reduce((a, l) => a + (l['lut'] as number), 0));
    expect(j.device).toMatchObject({ name: 'xc7z020', fits: true });
  });

  it('--model finn adds FINN\'s MVAU numbers', () => {
    const r = cli('estimate', 'examples/tfc.json', '--fold', fold, '--model', 'finn', '--json');
    const j = JSON.parse(r.stdout) as { layers: { name: string; finn?: { lut: number; bram18: number } }[] };
    expect(j.layers.filter((l) => l.finn).map((l) => l.finn)).toEqual([
      { lut: 5632, bram18: 22 }, { lut: 775, bram18: 2 }, { lut: 775, bram18: 2 }, { lut: 974, bram18: 0 },
    ]);
  });

  it('--pareto writes an SVG chart; unknown devices are diagnosed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bnn-hw-pareto-'));
    const r = cli('estimate', 'examples/tfc.json', '--pareto', join(dir, 'p.svg'), '--device', 'xc7z020');
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'p.svg'), 'utf8')).toMatch(/^<svg[\s\S]*<circle[\s\S]*<\/svg>/);
    const bad = cli('estimate', 'examples/tfc.json', '--device', 'xc9999');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('BNN086');
  });
});
