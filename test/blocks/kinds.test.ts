/**
 * The descriptors' latency and obufDepth (src/blocks/kinds) against the library modules: every block of
 * representative plans (TFC and CNV with their FINN foldings, a small CNN with every kind of block and
 * rank tables, an MLP with integer inputs) is elaborated in Icarus with exactly the parameters its
 * descriptor passes, and the module's LATENCY and OBUF_DEPTH must be the descriptor's. The instance
 * carries OBUF_DEPTH = obufDepth(b) (none for a block without an output buffer) and the cycle model is
 * built with the same two numbers.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kindOf } from '../../src/blocks/registry.js';
import type { HwBlock } from '../../src/blocks/types.js';
import { CreditSim } from '../../src/blocks/sim-base.js';
import { loadModelValue } from '../../src/frontend/load.js';
import { planDesign } from '../../src/flows/build.js';
import { runTool } from '../../src/flows/tools.js';
import { cnnJson, mlpJson } from '../../src/examples/seeded-models.js';
import { libFile, withDeps } from '../helpers/rtlsim.js';
import { requireTools } from '../helpers/tools.js';

const ROOT = resolve(import.meta.dirname, '../..');

function planOf(json: unknown, fold?: string | { pe: number; simd: number }[]): HwBlock[] {
  const dir = mkdtempSync(join(tmpdir(), 'bnn-hw-kinds-'));
  try {
    let f: string | undefined;
    if (typeof fold === 'string') f = join(ROOT, fold);
    else if (fold) writeFileSync((f = join(dir, 'fold.json')), JSON.stringify({ layers: fold }));
    return planDesign(loadModelValue(json), { fold: f, sizeFifos: false }).plan.blocks;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const example = (name: string): unknown => JSON.parse(readFileSync(join(ROOT, 'examples', `${name}.json`), 'utf8')) as unknown;

const PLANS: [string, () => HwBlock[]][] = [
  ['tfc (tfc-finn folding)', () => planOf(example('tfc'), 'examples/folds/tfc-finn.json')],
  ['cnv (cnv-finn folding)', () => planOf(example('cnv'), 'examples/folds/cnv-finn.json')],
  [
    'small CNN: binarised input, width converter, window with padding, pool, rank tables',
    () =>
      planOf(
        cnnJson({ name: 'kinds', seed: 3, input: [4, 4, 2], binarizeInput: true, convs: [{ filters: 4, kernel: 2, padding: 'same', pool: { size: 2, where: 'after' } }], dense: [3], classes: 3, lastBn: true }),
        [{ pe: 2, simd: 1 }, { pe: 1, simd: 2 }, { pe: 3, simd: 3 }],
      ),
  ],
  ['MLP with int4 inputs (mvu_int)', () => planOf(mlpJson({ name: 'kinds', seed: 4, inputs: 6, widths: [4], classes: 3, inputType: 'int4' }))],
];

/** LATENCY and OBUF_DEPTH (-1: not printed) of every block, elaborated in Icarus with its descriptor's parameters. */
async function elaborated(blocks: HwBlock[]): Promise<{ latency: number; obuf: number }[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bnn-hw-kinds-'));
  try {
    const lines: string[] = ['`timescale 1ns/1ps', 'module top;'];
    const shows: string[] = [];
    blocks.forEach((b, i) => {
      const k = kindOf(b);
      const rom = (r: string) => `b${i}_${r}.mem`;
      for (const m of k.memories(b)) writeFileSync(join(dir, rom(m.rom)), m.image());
      const params = k.params(b, rom).map((p) => `.${p.name}(${p.value})`).join(', ');
      lines.push(`    bnn_${b.kind} #(${params}) u${i} ();`);
      shows.push(`        $display("B %0d %0d %0d", ${i}, u${i}.LATENCY, ${k.obufDepth(b) === null ? -1 : `u${i}.OBUF_DEPTH`});`);
    });
    lines.push('    initial begin', ...shows, '        $finish;', '    end', 'endmodule', '');
    writeFileSync(join(dir, 'top.v'), lines.join('\n'));
    const libs = withDeps(...new Set(blocks.map((b) => `bnn_${b.kind}`)), 'bnn_rom').map(libFile);
    const c = await runTool('iverilog', ['-g2005', '-o', 'top.vvp', '-s', 'top', 'top.v', ...libs], { cwd: dir, timeoutMs: 300_000 });
    expect(c.code, c.stdout + c.stderr).toBe(0);
    const r = await runTool('vvp', ['-n', 'top.vvp'], { cwd: dir, timeoutMs: 300_000 });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const out: { latency: number; obuf: number }[] = [];
    for (const line of r.stdout.split('\n')) {
      const f = line.trim().split(/\s+/);
      if (f[0] === 'B') out[Number(f[1])] = { latency: Number(f[2]), obuf: Number(f[3]) };
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const has = requireTools('iverilog', 'vvp');

describe('descriptor latency / obufDepth', () => {
  for (const [name, blocks] of PLANS) {
    it(`instance parameters and cycle models use them: ${name}`, () => {
      for (const b of blocks()) {
        const k = kindOf(b);
        const ob = k.params(b, () => 'x.mem').filter((p) => p.name === 'OBUF_DEPTH');
        expect(ob.map((p) => p.value), b.name).toEqual(k.obufDepth(b) === null ? [] : [k.obufDepth(b)]);
        const sim = k.sim(b, true) as unknown as { latency?: number; obufDepth?: number; depth?: number };
        if (k.obufDepth(b) !== null) expect(sim.obufDepth, b.name).toBe(k.obufDepth(b));
        if (sim instanceof CreditSim) expect(sim.latency, b.name).toBe(k.latency(b));
      }
    });

    it.skipIf(!has)(`equal the modules' LATENCY / OBUF_DEPTH: ${name}`, async () => {
      const bs = blocks();
      const got = await elaborated(bs);
      expect(got.length).toBe(bs.length);
      bs.forEach((b, i) => {
        const k = kindOf(b);
        expect({ block: b.name, ...got[i] }).toEqual({ block: b.name, latency: k.latency(b), obuf: k.obufDepth(b) ?? -1 });
      });
    }, 600_000);
  }

  it('every kind occurs in the plans above', () => {
    const kinds = new Set(PLANS.flatMap(([, p]) => p().map((b) => b.kind)));
    expect([...kinds].sort()).toEqual(['argmax', 'dwc', 'fifo', 'mvtu', 'mvu_int', 'pool', 'swg', 'thresh_in']);
  });
});
