/**
 * Whole generated designs: `verilator --lint-only -Wall` clean, and Yosys
 * `hierarchy -check; proc; synth; check -assert` clean with no latches. Generation is deterministic.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModelFile, loadModelValue } from '../../src/frontend/load.js';
import { buildDesign } from '../../src/flows/build.js';
import { writeTreeAtomic } from '../../src/util/fs.js';
import { runTool } from '../../src/flows/tools.js';
import { cnnJson, mlpJson } from '../../src/examples/seeded-models.js';
import type { Model } from '../../src/ir/model.js';
import { requireTools } from '../helpers/tools.js';

const has = requireTools('verilator', 'yosys');

function designs(): { label: string; model: Model; fold?: string; targetFps?: number }[] {
  return [
    { label: 'tfc, FINN folding', model: loadModelFile('examples/tfc.json'), fold: 'examples/folds/tfc-finn.json' },
    { label: 'sfc, balanced', model: loadModelFile('examples/sfc.json'), fold: 'examples/folds/sfc-balanced.json' },
    {
      label: 'fixed-point raw input, trailing batchnorm (rank tables)',
      model: loadModelValue(mlpJson({ name: 'rank_net', seed: 5, inputs: 12, widths: [9], classes: 5, inputType: { fixed: { bits: 8, frac: 7 } }, lastBn: true })),
      targetFps: 2e6,
    },
    { label: 'binarynet_small (conv, pad -1/+1/0, pool before batchnorm)', model: loadModelFile('examples/binarynet_small.json'), targetFps: 5e4 },
    {
      label: 'int4 input, scores output',
      model: loadModelValue(mlpJson({ name: 'score_net', seed: 9, inputs: 10, widths: [6, 4], classes: 3, inputType: 'int4', output: 'scores' })),
    },
    {
      label: 'padding beyond the kernel (int8 -1, binary 0), a 1x1 pool with stride 2, a pool stride beyond the image',
      model: loadModelValue(cnnJson({ name: 'corner_net', seed: 4, input: [5, 4, 1], inputType: 'int8', convs: [
        { filters: 4, kernel: 2, stride: [3, 1], padding: [3, 2, 1, 3], padValue: -1, pool: { size: 1, stride: 2, where: 'after' } },
        { filters: 3, kernel: 2, padding: [2, 3, 2, 0], padValue: 0, pool: { size: 2, stride: 7, where: 'before' } },
      ], dense: [], classes: 3 })),
      targetFps: 1e5,
    },
  ];
}

describe.skipIf(!has)('generated designs', () => {
  for (const d of designs()) {
    it(`${d.label}: lint clean, synthesises without latches`, async () => {
      const built = buildDesign(d.model, { ...(d.fold ? { fold: d.fold } : {}), ...(d.targetFps ? { targetFps: d.targetFps } : {}) });
      const dir = mkdtempSync(join(tmpdir(), 'bnn-hw-design-'));
      writeTreeAtomic(dir, built.files);
      const sources = readFileSync(join(dir, 'flows/sources.f'), 'utf8').trim().split('\n');
      const top = built.plan.top;
      const lint = await runTool('verilator', ['--lint-only', '-Wall', '--top-module', top, ...sources], { cwd: dir });
      expect(lint.stderr + lint.stdout).toBe('');
      expect(lint.code).toBe(0);
      const script = `read_verilog ${sources.join(' ')}; hierarchy -check -top ${top}; proc; synth -top ${top}; check -assert; select -assert-none t:$dlatch t:$_DLATCH_*`;
      const y = await runTool('yosys', ['-q', '-p', script], { cwd: dir });
      expect(y.code, y.stderr + y.stdout.slice(-3000)).toBe(0);
    }, 300_000);
  }

  it('is deterministic: two generations give identical files', () => {
    const m = loadModelFile('examples/tfc.json');
    const a = buildDesign(m, { fold: 'examples/folds/tfc-finn.json' }).files;
    const b = buildDesign(m, { fold: 'examples/folds/tfc-finn.json' }).files;
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [k, v] of a) expect(b.get(k), k).toStrictEqual(v);
  });
});
