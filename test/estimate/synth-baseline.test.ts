/**
 * Synthesis-results baseline: Yosys synth_xilinx per-layer cell counts of TFC (FINN's folding) and a
 * small design, compared with test/baselines/synth-*.json under per-key tolerances, so that an RTL
 * change that costs area shows up here. The baseline notes the Yosys version it was taken with; with
 * another version the comparison is skipped (counts move between Yosys releases). Also runs the
 * iCE40 flow with nextpnr-ice40 and icepack on the small design.
 * Refresh after an intended change: BNN_UPDATE_BASELINE=1 npx vitest run test/estimate/synth-baseline.test.ts
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { loadModelFile, loadModelValue } from '../../src/frontend/load.js';
import { buildDesign } from '../../src/flows/build.js';
import { writeTreeAtomic } from '../../src/util/fs.js';
import { mlpJson } from '../../src/examples/seeded-models.js';
import { runSynth, yosysVersion, type SynthReport } from '../../src/flows/synth.js';
import { makeTmpDir, removeDir } from '../helpers/rtlsim.js';
import { requireTools } from '../helpers/tools.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BASE = join(ROOT, 'test', 'baselines');
const UPDATE = process.env['BNN_UPDATE_BASELINE'] === '1';

/** relative tolerance per key (plus 4 cells absolute slack for tiny counts); block RAM exact */
const TOL: Record<string, number> = { lut: 0.02, ff: 0.01, carry: 0.05, bram18: 0, ebr: 0 };

interface Baseline {
  yosys: string;
  design: string;
  arch: string;
  layers: Record<string, Record<string, number>>;
  total: Record<string, number>;
}

function toBaseline(r: SynthReport): Baseline {
  const pick = (c: { lut: number; ff: number; carry: number; bram18: number; ebr: number }) => ({ lut: c.lut, ff: c.ff, carry: c.carry, bram18: c.bram18, ebr: c.ebr });
  return { yosys: r.yosys, design: r.design, arch: r.arch, layers: Object.fromEntries(r.layers.map((l) => [l.name, pick(l.measured)])), total: pick(r.total) };
}

function compare(got: Baseline, want: Baseline): string[] {
  const bad: string[] = [];
  const check = (where: string, g: Record<string, number>, w: Record<string, number>) => {
    for (const [k, tol] of Object.entries(TOL)) {
      const a = g[k] ?? 0;
      const b = w[k] ?? 0;
      if (Math.abs(a - b) > tol * b + (tol > 0 ? 4 : 0)) bad.push(`${where} ${k}: ${a} (baseline ${b}, tolerance ${tol * 100}%)`);
    }
  };
  for (const [name, w] of Object.entries(want.layers)) check(name, got.layers[name] ?? {}, w);
  check('total', got.total, want.total);
  return bad;
}

const has = requireTools('yosys');

const small = () =>
  loadModelValue(mlpJson({ name: 'mlp_small', seed: 4242, inputs: 64, widths: [32], classes: 10, inputType: 'bipolar', packed: true, output: 'argmax' }));

async function baselineCase(name: string, model: ReturnType<typeof small>, fold: object | string, arch: 'xilinx' | 'ice40') {
  const dir = await makeTmpDir(`baseline-${name}`);
  let foldFile = fold as string;
  if (typeof fold !== 'string') {
    foldFile = join(dir, 'fold.json');
    writeFileSync(foldFile, JSON.stringify(fold));
  }
  const built = buildDesign(model, { fold: foldFile });
  writeTreeAtomic(join(dir, 'design'), built.files);
  const r = await runSynth(join(dir, 'design'), { arch });
  const file = join(BASE, `synth-${name}-${arch}.json`);
  const got = toBaseline(r);
  if (UPDATE) writeFileSync(file, JSON.stringify(got, null, 2) + '\n');
  if (!existsSync(file)) throw new Error(`no baseline ${file}: take one with BNN_UPDATE_BASELINE=1 and review it before committing`);
  const want = JSON.parse(readFileSync(file, 'utf8')) as Baseline;
  await removeDir(dir);
  return { got, want, report: r };
}

describe.skipIf(!has)('synthesis baseline (yosys)', () => {
  it('TFC with FINN\'s folding, synth_xilinx: per-layer LUT / FF / carry within tolerance, BRAM exact', async () => {
    const fold = join(ROOT, '..', 'shared', 'foldings', 'finn-tfc-w1a1_folding_config.json');
    const { got, want, report } = await baselineCase('tfc-finn', loadModelFile(join(ROOT, 'examples', 'tfc.json')), fold, 'xilinx');
    if (want.yosys !== (await yosysVersion())) return console.warn(`[baseline] ${want.yosys} baseline, skipped with another Yosys`);
    expect(compare(got, want)).toEqual([]);
    // the estimate is within the calibration targets for this example (design total)
    expect(Math.abs(report.lutErrorPct ?? 100)).toBeLessThanOrEqual(25);
  });

  it('small MLP, synth_xilinx and synth_ice40 within tolerance', async () => {
    for (const arch of ['xilinx', 'ice40'] as const) {
      const { got, want } = await baselineCase('small', small(), { layers: [{ pe: 4, simd: 16 }, { pe: 2, simd: 8 }] }, arch);
      if (want.yosys !== (await yosysVersion())) continue;
      expect(compare(got, want), arch).toEqual([]);
    }
  });
});

const MAIN = join(ROOT, 'dist', 'cli', 'main.js');
const cli = (...a: string[]) => spawnSync(process.execPath, [MAIN, ...a], { cwd: ROOT, encoding: 'utf8' });

describe.skipIf(!requireTools('yosys', 'nextpnr-ice40', 'icepack'))('bnn-hw synth (CLI)', () => {
  it('--arch ice40 --pnr --json: cells per layer next to the estimate, nextpnr Fmax and utilisation, an icepack bitstream', async () => {
    const dir = await makeTmpDir('pnr');
    writeFileSync(join(dir, 'model.json'), JSON.stringify(mlpJson({ name: 'mlp_small', seed: 4242, inputs: 64, widths: [32], classes: 10, inputType: 'bipolar', packed: true, output: 'argmax' })));
    writeFileSync(join(dir, 'f.json'), JSON.stringify({ layers: [{ pe: 1, simd: 8 }, { pe: 1, simd: 4 }] }));
    const g = cli('generate', join(dir, 'model.json'), '--fold', join(dir, 'f.json'), '-o', join(dir, 'design'));
    expect(g.status, g.stderr).toBe(0);
    const r = cli('synth', join(dir, 'design'), '--arch', 'ice40', '--pnr', '--device', 'ice40up5k', '--clock-mhz', '30', '--json');
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as SynthReport;
    expect(j.arch).toBe('ice40');
    expect(j.layers.map((l) => l.name)).toEqual(['fc0', 'fc1', 'argmax']);
    for (const l of j.layers as (SynthReport['layers'][number] & { lut: number; ff: number; bram18: number })[]) {
      expect(l.measured.lut).toBeGreaterThan(0);
      expect([l.lut, l.ff, l.bram18]).toEqual([l.measured.lut, l.measured.ff, l.measured.bram18]);
      expect(l.estimate?.lut).toBeGreaterThan(0);
      expect(typeof l.lutErrorPct).toBe('number');
    }
    expect(j.total.lut).toBe(j.layers.reduce((a, l) => a + l.measured.lut, 0));
    expect(j.pnr!.fmaxMhz).toBeGreaterThan(10);
    expect(j.pnr!.utilisation['ICESTORM_LC']!.used).toBeGreaterThan(100);
    expect(existsSync(j.pnr!.bitstream)).toBe(true);
    // the text report names the columns and the nextpnr line
    const t = cli('synth', join(dir, 'design'), '--arch', 'ice40');
    expect(t.status, t.stderr).toBe(0);
    expect(t.stdout).toMatch(/layer\s+LUT\s+est\s+err/);
    await removeDir(dir);
  });

  it('refuses a folder that is not a generated design, with a diagnostic and exit code 1', async () => {
    const dir = await makeTmpDir('notdesign');
    const r = cli('synth', dir, '--arch', 'xilinx');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error\[BNN13\d\]/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    await removeDir(dir);
  });
});
