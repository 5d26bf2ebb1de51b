/**
 * The simulator's VCD against Icarus's: the same stimulus (data and seeded stall pattern files) runs
 * in the generated RTL under Icarus (+vcd_streams: the stream signals of tb, tb.dut and every layer
 * wrapper) and in the TypeScript simulator (--vcd); both files are parsed with vcd-stream and every
 * signal the simulator writes is compared at every clock edge (tdata where tvalid is 1).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mlpJson } from '../../src/examples/seeded-models.js';
import { loadModelValue, loadModelFile } from '../../src/frontend/load.js';
import { buildDesign } from '../../src/flows/build.js';
import { expectedOutputs, seededCodes } from '../../src/flows/verify.js';
import { inputBeats, outputBeats, readPatterns } from '../../src/flows/stimulus.js';
import { stallPatterns } from '../../src/sim/patterns.js';
import { buildSim, runSim, writeRunData, type RtlRun } from '../../src/flows/rtlsim.js';
import { writeTreeAtomic } from '../../src/util/fs.js';
import { simulate } from '../../src/sim/engine.js';
import { edgeTime, VcdWriter } from '../../src/sim/vcd.js';
import type { Model } from '../../src/ir/model.js';
import { readVcd, sample } from '../helpers/vcd.js';
import { requireTools } from '../helpers/tools.js';

const has = requireTools('iverilog', 'vvp');

async function compare(model: Model, fold: { fold?: string }, frames: number, stall: number, seed: number) {
  const dir = mkdtempSync(join(tmpdir(), 'bnn-hw-vcd-'));
  try {
    const built = buildDesign(model, fold);
    const { plan } = built;
    writeTreeAtomic(dir, built.files);
    const codes = seededCodes(model, frames, seed);
    const exp = expectedOutputs(model, plan, codes);
    const run: RtlRun = {
      inBeats: codes.flatMap((c) => inputBeats(plan, c)),
      outBeats: codes.flatMap((_, i) => outputBeats(plan, typeof exp.outputs[i] === 'number' ? (exp.outputs[i] as number) : null, exp.scores[i]!)),
      inLaneW: plan.input.laneW, outLaneW: plan.output.laneW, patterns: stallPatterns(stall, seed), dataDir: 'tb/data/vcd', timeoutCycles: 1_000_000,
    };
    writeRunData(dir, run);
    const cmd = await buildSim('icarus', dir, run.inBeats.length, run.outBeats.length);
    const rtl = await runSim('icarus', dir, cmd, run, { vcd: 'icarus.vcd', vcdStreams: true });
    expect(rtl.mismatches).toBe(0);
    const w = new VcdWriter(join(dir, 'ts.vcd'), plan);
    const ts = simulate(plan, run.inBeats, run.outBeats.length, { patterns: readPatterns(join(dir, run.dataDir)), onCycle: (c, v, r, d) => w.cycle(c, v, r, d) });
    w.close();
    expect(ts.cycles).toBe(rtl.cycles);
    const [a, b] = await Promise.all([readVcd(join(dir, 'icarus.vcd')), readVcd(join(dir, 'ts.vcd'))]);
    expect(b.timescale).toBe(a.timescale);
    const edges = Array.from({ length: ts.cycles }, (_, c) => edgeTime(c));
    let compared = 0;
    const names = [...b.signals.keys()];
    for (const name of names) {
      const sb = b.signals.get(name)!;
      const sa = a.signals.get(name);
      expect(sa, `Icarus dump lacks ${name}`).toBeDefined();
      expect(sb.width, name).toBe(sa!.width);
      const va = sample(sa!, edges);
      const vb = sample(sb, edges);
      if (name.endsWith('_tdata')) {
        const valid = sample(b.signals.get(name.replace(/_tdata$/, '_tvalid'))!, edges);
        const diffs = edges.map((_, c) => c).filter((c) => valid[c] === '1' && va[c] !== vb[c]);
        expect(diffs.slice(0, 3).map((c) => `${name} cycle ${c}: icarus ${va[c]} ts ${vb[c]}`)).toEqual([]);
      } else {
        const diffs = edges.map((_, c) => c).filter((c) => va[c] !== vb[c]);
        expect(diffs.slice(0, 3).map((c) => `${name} cycle ${c}: icarus ${va[c]} ts ${vb[c]}`)).toEqual([]);
      }
      compared++;
    }
    // clk, rst_n, the 3 ports of the testbench and the design, and 3 signals per stream at least
    expect(compared).toBeGreaterThan(8 + 3 * plan.blocks.length);
    return { signals: compared, cycles: ts.cycles };
  } finally {
    if (process.env['BNN_KEEP_TMP'] !== '1') rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(!has)('VCD: TypeScript simulator vs Icarus, cycle by cycle', () => {
  it('a small MLP with input binarisation and backpressure', async () => {
    const m = loadModelValue(mlpJson({ name: 'vcd_mlp', seed: 11, inputs: 12, widths: [8, 6], classes: 4, inputType: 'uint4', binarizeInput: true, output: 'argmax' }));
    const r = await compare(m, {}, 4, 0.3, 7);
    expect(r.cycles).toBeGreaterThan(100);
  });

  it('a small MLP with integer inputs, a width converter and integer scores out', async () => {
    const m = loadModelValue(mlpJson({ name: 'vcd_scores', seed: 12, inputs: 8, widths: [6], classes: 3, inputType: 'int3', output: 'scores' }));
    const dir = mkdtempSync(join(tmpdir(), 'bnn-hw-fold-'));
    const fold = join(dir, 'fold.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(fold, JSON.stringify({ layers: [{ pe: 3, simd: 4 }, { pe: 3, simd: 2 }] }));
    try {
      await compare(m, { fold }, 5, 0.25, 3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.runIf(existsSync(join(__dirname, '../../examples/tfc.json')))('TFC with a FINN-like folding', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bnn-hw-fold-'));
    const fold = join(dir, 'fold.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(fold, JSON.stringify({ layers: [{ pe: 16, simd: 49 }, { pe: 8, simd: 8 }, { pe: 8, simd: 8 }, { pe: 10, simd: 8 }] }));
    try {
      await compare(loadModelFile(join(__dirname, '../../examples/tfc.json')), { fold }, 3, 0.2, 5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
