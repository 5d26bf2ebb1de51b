/**
 * The popcount compressor plan is computed once (src/blocks/popcount-plan.ts) and passed to the RTL
 * (templates/lib/bnn_popcount.v): the RTL accepts every plan the compiler makes and counts right with
 * it; a plan that does not describe the module fails elaboration; the register spreading rule.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTool } from '../../src/flows/tools.js';
import { packFields, popcountPlan, popcountRegs, spreadRegisters, HEIGHT_BITS, REG_BITS } from '../../src/blocks/popcount-plan.js';
import { lutDepthBound } from '../../src/estimate/popcount.js';
import { libFile, makeTmpDir, removeDir } from '../helpers/rtlsim.js';
import { requireTools } from '../helpers/tools.js';

const SIMDS = [1, 2, 3, 4, 5, 6, 7, 8, 11, 13, 16, 17, 25, 32, 49, 63, 64, 100, 128, 256, 1024];

function popParams(simd: number, constant: boolean, stages: number, tweak?: (h: number[][], k: number[][], r: number[]) => void): string {
  const p = popcountPlan(simd, constant);
  const h = p.heights.map((x) => [...x]);
  const k = p.levels > 0 ? p.partial.map((x) => [...x] as number[]) : [new Array<number>(h[0]!.length).fill(0)];
  const r = popcountRegs(p, stages);
  tweak?.(h, k, r);
  return `.SIMD(${simd}), .FA(${p.fa}), .LEVELS(${p.levels}), .STAGES(${stages}), .H(${packFields(h.flat(), HEIGHT_BITS)}), .K(${packFields(k.flat(), 1)}), .REGS(${packFields(r, REG_BITS)})`;
}

const has = requireTools('iverilog', 'vvp');

describe.skipIf(!has)('bnn_popcount with the compiler plan (Icarus)', () => {
  it('counts ~(x ^ w) exactly for SIMD 1 .. 1024, streamed and constant weights, random vectors', async () => {
    const dir = await makeTmpDir('popplan');
    const cases = SIMDS.flatMap((simd) => [{ simd, constant: false }, { simd, constant: true }]);
    const inst = cases.map((c, i) => `    reg [${c.simd - 1}:0] x${i}, w${i};
    wire [${Math.ceil(Math.log2(c.simd + 1)) - 1}:0] c${i};
    bnn_popcount #(${popParams(c.simd, c.constant, 0)}) d${i} (.clk(1'b0), .x(x${i}), .w(w${i}), .cnt(c${i}));
    initial begin : t${i}
        integer n, b, e;
        for (n = 0; n < 40; n = n + 1) begin
            for (b = 0; b < ${c.simd}; b = b + 1) begin
                x${i}[b] = ($random & 1); w${i}[b] = (n < 2) ? x${i}[b] ^ n[0] : ($random & 1);
            end
            #1 e = 0;
            for (b = 0; b < ${c.simd}; b = b + 1) e = e + (x${i}[b] == w${i}[b]);
            if (c${i} !== e) $display("BAD ${i} SIMD ${c.simd} got %0d want %0d", c${i}, e);
            else ok = ok + 1;
        end
    end`);
    await writeFile(path.join(dir, 'tb.v'), `\`timescale 1ns/1ps\nmodule tb;\n    integer ok = 0;\n${inst.join('\n')}\n    initial #100 $display("OK %0d", ok);\nendmodule\n`);
    const c = await runTool('iverilog', ['-g2005', '-o', 'tb.vvp', '-s', 'tb', 'tb.v', libFile('bnn_popcount')], { cwd: dir, timeoutMs: 120_000 });
    expect(c.code, c.stderr + c.stdout).toBe(0);
    const r = await runTool('vvp', ['-n', 'tb.vvp'], { cwd: dir, timeoutMs: 120_000 });
    expect(r.stdout.split('\n').filter((l) => l.startsWith('BAD'))).toEqual([]);
    expect(r.stdout).toContain(`OK ${cases.length * 40}`);
    await removeDir(dir);
  });
});

const BAD: { name: string; error: string; params: string }[] = [
  { name: 'a column height off by one', error: 'bnn_param_error_popcount_H_is_not_the_counter_step_of_K', params: popParams(49, false, 1, (h) => { h[2]![1]! += 1; }) },
  { name: 'a partial-counter flag flipped', error: 'bnn_param_error_popcount_H_is_not_the_counter_step_of_K', params: popParams(64, false, 1, (_h, k) => { k[1]![3] = k[1]![3] ? 0 : 1; }) },
  { name: 'registers not adding up to STAGES', error: 'bnn_param_error_popcount_REGS_do_not_add_up_to_STAGES', params: popParams(32, false, 2, (_h, _k, r) => { r[0]! += 1; }) },
  { name: 'the plan of another SIMD', error: 'bnn_param_error_popcount_H_level_0_does_not_match_SIMD_and_FA', params: popParams(33, false, 0).replace('.SIMD(33)', '.SIMD(32)') },
];

const tools = { iverilog: requireTools('iverilog'), verilator: requireTools('verilator'), yosys: requireTools('yosys') };

describe('a plan that does not describe bnn_popcount fails elaboration with a readable name', () => {
  for (const b of BAD) {
    for (const tool of ['iverilog', 'verilator', 'yosys'] as const) {
      it.skipIf(!tools[tool])(`${tool}: ${b.name}`, async () => {
        const dir = await makeTmpDir('popbad');
        const text = `module top(input wire [63:0] x, output wire [6:0] c);\n    bnn_popcount #(${b.params}) d (.clk(1'b0), .x(x[SIMD_-1:0]), .w(x[SIMD_-1:0]), .cnt(c[CW-1:0]));\nendmodule\n`;
        const simd = Number(/\.SIMD\((\d+)\)/.exec(b.params)![1]);
        const cw = Math.ceil(Math.log2(simd + 1));
        await writeFile(path.join(dir, 'top.v'), text.replace(/SIMD_/g, String(simd)).replace(/CW/g, String(cw)));
        const files = ['top.v', libFile('bnn_popcount')];
        const r =
          tool === 'iverilog'
            ? await runTool('iverilog', ['-g2005', '-o', 'top.vvp', '-s', 'top', ...files], { cwd: dir, timeoutMs: 60_000 })
            : tool === 'verilator'
              ? await runTool('verilator', ['--lint-only', '-Wno-fatal', '--top-module', 'top', ...files], { cwd: dir, timeoutMs: 60_000 })
              : await runTool('yosys', ['-q', '-p', `read_verilog ${files.join(' ')}; hierarchy -check -top top`], { cwd: dir, timeoutMs: 60_000 });
        expect(r.code).not.toBe(0);
        expect(r.stdout + r.stderr).toContain(b.error);
        await removeDir(dir);
      });
    }
  }
});

describe('register spreading and plan properties', () => {
  it('spreadRegisters places exactly `stages` registers, none before the first level', () => {
    for (const levels of [0, 1, 2, 5, 9])
      for (const stages of [0, 1, 2, 3, 7]) {
        const r = spreadRegisters(levels, stages);
        expect(r).toHaveLength(levels + 1);
        expect(r.reduce((a, b) => a + b, 0)).toBe(stages);
        if (levels > 0) expect(r[0]).toBe(0);
        expect(Math.min(...r)).toBeGreaterThanOrEqual(0);
      }
  });
  it('register levels add up to POP_STAGES and the depth bound shrinks with more stages', () => {
    for (const simd of [32, 64, 256, 1024]) {
      const p = popcountPlan(simd, false);
      for (const pop of [0, 1, 2, 3]) expect(popcountRegs(p, pop).reduce((a, b) => a + b, 0)).toBe(pop);
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
