/**
 * The TypeScript mirror of the bnn_mvtu popcount compressor (src/estimate/popcount.ts) agrees with
 * the RTL's own constant functions: levels, remainder rule, first level, register bits.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTool } from '../../src/flows/tools.js';
import { lutDepthBound, popcountPlan, regsAfter } from '../../src/estimate/popcount.js';
import { libFile, makeTmpDir, removeDir } from '../helpers/rtlsim.js';
import { requireTools } from '../helpers/tools.js';

const CASES = [
  { simd: 1, nf: 2, sf: 2 }, { simd: 2, nf: 2, sf: 2 }, { simd: 3, nf: 1, sf: 2 }, { simd: 7, nf: 1, sf: 1 }, { simd: 13, nf: 2, sf: 1 },
  { simd: 32, nf: 2, sf: 2 }, { simd: 49, nf: 4, sf: 16 }, { simd: 64, nf: 1, sf: 1 }, { simd: 64, nf: 2, sf: 2 }, { simd: 100, nf: 1, sf: 1 },
  { simd: 128, nf: 2, sf: 1 }, { simd: 256, nf: 1, sf: 4 }, { simd: 1024, nf: 2, sf: 2 },
];

const has = requireTools('iverilog', 'vvp');

describe.skipIf(!has)('popcount plan: TypeScript mirror vs. the RTL constant functions', () => {
  it('levels, rule and first level agree for SIMD 1 .. 1024', async () => {
    const dir = await makeTmpDir('popplan');
    const inst = CASES.map((c, i) => {
      const pe = 1;
      return `    bnn_mvtu #(.MW(${c.simd * c.sf}), .MH(${pe * c.nf}), .PE(${pe}), .SIMD(${c.simd}), .POP_STAGES(1), .TW(12)) d${i} (
        .clk(1'b0), .rst_n(1'b0), .s_axis_tdata({${c.simd}{1'b0}}), .s_axis_tvalid(1'b0), .s_axis_tready(), .m_axis_tdata(), .m_axis_tvalid(),
        .m_axis_tready(1'b0), .w_en(), .w_addr(), .w_data({${c.simd}{1'b0}}), .t_en(), .t_addr(), .t_data(12'd0));
    initial #1 $display("PLAN ${i} %0d %0d %0d %0d", d${i}.PC_FA, d${i}.PC_R, d${i}.PC_S, d${i}.PC_T);`;
    });
    await writeFile(path.join(dir, 'tb.v'), `\`timescale 1ns/1ps\nmodule tb;\n${inst.join('\n')}\nendmodule\n`);
    const c = await runTool('iverilog', ['-g2005', '-o', 'tb.vvp', '-s', 'tb', 'tb.v', libFile('bnn_mvtu'), libFile('bnn_fifo')], { cwd: dir, timeoutMs: 120_000 });
    expect(c.code, c.stderr).toBe(0);
    const r = await runTool('vvp', ['-n', 'tb.vvp'], { cwd: dir, timeoutMs: 120_000 });
    const got = new Map(r.stdout.split('\n').filter((l) => l.startsWith('PLAN')).map((l) => {
      const [, i, fa, rule, s, t] = l.split(' ').map(Number);
      return [i!, { fa, rule, levels: s, total: t }];
    }));
    CASES.forEach((cse, i) => {
      const p = popcountPlan(cse.simd, cse.nf === 1 && cse.sf === 1);
      expect(got.get(i), `SIMD ${cse.simd} NF ${cse.nf} SF ${cse.sf}`).toEqual({ fa: p.fa, rule: p.rule, levels: p.levels, total: p.total });
    });
    await removeDir(dir);
  });
});

describe('popcount plan properties', () => {
  it('register levels add up to POP_STAGES and the depth bound shrinks with more stages', () => {
    for (const simd of [32, 64, 256, 1024]) {
      const p = popcountPlan(simd, false);
      for (const pop of [0, 1, 2, 3]) {
        let sum = 0;
        for (let l = 1; l <= p.total; l++) sum += regsAfter(l, p.total, pop);
        expect(sum).toBe(pop);
      }
      expect(lutDepthBound(p, 2)).toBeLessThanOrEqual(lutDepthBound(p, 1));
      expect(lutDepthBound(p, 1)).toBeLessThan(lutDepthBound(p, 0));
    }
  });
  it('streamed weights: LUT6 outputs per product bit stay below 1.5 for SIMD >= 32', () => {
    for (const simd of [32, 49, 64, 128, 256, 512, 1024]) {
      const p = popcountPlan(simd, false);
      expect((p.faLuts + p.counterLuts + p.cpaBits) / simd, `SIMD ${simd}`).toBeLessThanOrEqual(1.5);
    }
  });
});
