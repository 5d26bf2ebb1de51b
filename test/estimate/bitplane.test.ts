/**
 * The bit-plane compressor plan (src/blocks/popcount-plan.ts, bitplanePlan) and its RTL
 * (templates/lib/bnn_bitplane.v): an independent bit-level model of the counter semantics counts
 * every XNOR bit exactly once at its weight with the plan's heights; the levels stay within the
 * documented bound; the binary plan is the planes = 1 case; the RTL counts exactly with every plan.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTool } from '../../src/flows/tools.js';
import { lutDepth } from '../../src/flows/synth.js';
import { intdotDepthBound } from '../../src/estimate/popcount.js';
import { popStagesFor } from '../../src/passes/plan.js';
import { bitplaneCols, bitplanePlan, popcountPlan, type PopcountPlan } from '../../src/blocks/popcount-plan.js';
import { Prng } from '../helpers/prng.js';
import { libFile, makeTmpDir, removeDir, withStructure, paramList } from '../helpers/rtlsim.js';
import { requireTools } from '../helpers/tools.js';

/**
 * Runs a plan on concrete bits with the documented semantics (not the plan's own code): level 0 =
 * full adders on triples of one column (sum in c, carry in c+1) and the simd % 3 rest passed, or the
 * raw bits; then per column groups of 6 bits (and the remainder when flagged) are counted, the count's
 * bits going to columns c, c+1, c+2; the others pass. Returns the bits per column after every level
 * and the value of the two final rows.
 */
function runPlan(p: PopcountPlan, bits: number[][]): { heights: number[][]; value: number } {
  const cols = p.heights[0]!.length;
  let col: number[][] = Array.from({ length: cols }, () => []);
  for (let b = 0; b < p.planes; b++) {
    const x = bits[b]!;
    if (p.fa) {
      const g3 = Math.floor(x.length / 3);
      for (let i = 0; i < g3; i++) {
        const s = x[3 * i]! + x[3 * i + 1]! + x[3 * i + 2]!;
        col[b]!.push(s & 1);
        if (b + 1 < cols) col[b + 1]!.push(s >> 1);
        else expect(s >> 1).toBe(0);
      }
      for (let i = 3 * g3; i < x.length; i++) col[b]!.push(x[i]!);
    } else col[b]!.push(...x);
  }
  const heights = [col.map((c) => c.length)];
  for (let j = 0; j < p.levels; j++) {
    const next: number[][] = Array.from({ length: cols }, () => []);
    const put = (c: number, v: number) => (c < cols ? next[c]!.push(v) : expect(v).toBe(0));
    col.forEach((bitsC, c) => {
      const n6 = Math.floor(bitsC.length / 6);
      const groups = n6 + p.partial[j]![c]!;
      for (let g = 0; g < groups; g++) {
        const grp = bitsC.slice(6 * g, Math.min(6 * g + 6, bitsC.length));
        const s = grp.reduce((a, v) => a + v, 0);
        put(c, s & 1);
        put(c + 1, (s >> 1) & 1);
        if (grp.length >= 4) put(c + 2, s >> 2);
      }
      for (let i = 6 * groups; i < bitsC.length; i++) next[c]!.push(bitsC[i]!);
    });
    col = next;
    heights.push(col.map((c) => c.length));
  }
  let value = 0;
  col.forEach((bitsC, c) => {
    expect(bitsC.length).toBeLessThanOrEqual(2);
    for (const v of bitsC) value += v * 2 ** c;
  });
  return { heights, value };
}

const SIMDS = [1, 2, 3, 4, 5, 7, 8, 12, 16, 31, 32, 49, 64, 100, 128, 256];
const PLANES = [1, 2, 3, 4, 5, 8, 12, 16];

describe('bitplanePlan', () => {
  it('counts every XNOR bit once at its weight (random bits), with the plan\'s column heights', () => {
    const rng = new Prng(77);
    for (const simd of SIMDS)
      for (const planes of PLANES)
        for (const constant of [false, true]) {
          const p = bitplanePlan(simd, planes, constant);
          for (let t = 0; t < 6; t++) {
            const density = [0, 1, 0.5, 0.9, 0.1, 0.5][t]!;
            const bits = Array.from({ length: planes }, () => Array.from({ length: simd }, (): number => (rng.bool(density) ? 1 : 0)));
            const want = bits.reduce((a, x, b) => a + x.reduce((s, v) => s + v, 0) * 2 ** b, 0);
            const r = runPlan(p, bits);
            expect(r.heights, `SIMD ${simd} planes ${planes}`).toEqual(p.heights);
            expect(r.value, `SIMD ${simd} planes ${planes}`).toBe(want);
          }
          expect(p.heights[0]!.length).toBe(bitplaneCols(simd, planes));
        }
  });

  it('needs at most clog2(tallest level-0 column) + 1 counter levels (no carry ripple at the end)', () => {
    for (let simd = 1; simd <= 1024; simd = simd < 16 ? simd + 1 : 2 * simd + 1)
      for (let planes = 1; planes <= 16; planes++)
        for (const constant of [false, true]) {
          const p = bitplanePlan(simd, planes, constant);
          const h0 = Math.max(2, ...p.heights[0]!);
          expect(p.levels, `SIMD ${simd} planes ${planes}`).toBeLessThanOrEqual(Math.ceil(Math.log2(h0)) + 1);
        }
  });

  it('with one plane is the binary popcount plan', () => {
    for (const simd of SIMDS)
      for (const constant of [false, true]) {
        const { planes: _a, ...b } = bitplanePlan(simd, 1, constant);
        const { planes: _b, ...q } = popcountPlan(simd, constant);
        expect(b).toEqual(q);
      }
  });
});

const has = requireTools('iverilog', 'vvp');

describe.skipIf(!has)('bnn_bitplane with the compiler plan (Icarus)', () => {
  it('computes sum_b 2^b popcount(XNOR(v_b, u_b)) exactly, signed (NEG_MSB) and unsigned, streamed and constant weights', async () => {
    const dir = await makeTmpDir('bitplane');
    const cases = [1, 2, 3, 5, 8, 13, 32, 49, 64].flatMap((simd) => [1, 2, 3, 4, 8].flatMap((planes) => [0, 1].map((neg) => ({ simd, planes, neg, fa: (simd + planes + neg) % 3 === 0 ? 0 : 1 }))));
    const inst = cases.map((c, i) => {
      const p = withStructure('bnn_bitplane', { SIMD: c.simd, PLANES: c.planes, NEG_MSB: c.neg, FA: c.fa, STAGES: 0 });
      return `    reg [${c.simd * c.planes - 1}:0] u${i};
    reg [${c.simd - 1}:0] w${i};
    wire [${Number(p['COLS']) - 1}:0] a${i};
    bnn_bitplane #(${paramList(p)}) d${i} (.clk(1'b0), .u(u${i}), .w(w${i}), .a(a${i}));
    initial begin : t${i}
        integer n, e, b, j, v;
        for (n = 0; n < 30; n = n + 1) begin
            for (j = 0; j < ${c.simd}; j = j + 1) begin
                w${i}[j] = (n == 0) ? 1'b1 : (n == 1) ? 1'b0 : ($random & 1);
                for (b = 0; b < ${c.planes}; b = b + 1) u${i}[j*${c.planes} + b] = (n < 4) ? 1'b1 : ($random & 1);
            end
            #1 e = 0;
            for (j = 0; j < ${c.simd}; j = j + 1)
                for (b = 0; b < ${c.planes}; b = b + 1) begin
                    v = (${c.neg} && b == ${c.planes - 1}) ? !w${i}[j] : w${i}[j];
                    e = e + ((v == u${i}[j*${c.planes} + b]) ? (1 << b) : 0);
                end
            if (a${i} !== e) $display("BAD ${i} SIMD ${c.simd} planes ${c.planes} got %0d want %0d", a${i}, e);
            else ok = ok + 1;
        end
    end`;
    });
    await writeFile(path.join(dir, 'tb.v'), `\`timescale 1ns/1ps\nmodule tb;\n    integer ok = 0;\n${inst.join('\n')}\n    initial #100 $display("OK %0d", ok);\nendmodule\n`);
    const c = await runTool('iverilog', ['-g2005', '-o', 'tb.vvp', '-s', 'tb', 'tb.v', libFile('bnn_bitplane')], { cwd: dir, timeoutMs: 300_000 });
    expect(c.code, c.stderr + c.stdout).toBe(0);
    const r = await runTool('vvp', ['-n', 'tb.vvp'], { cwd: dir, timeoutMs: 300_000 });
    expect(r.stdout.split('\n').filter((l) => l.startsWith('BAD'))).toEqual([]);
    expect(r.stdout).toContain(`OK ${cases.length * 30}`);
    await removeDir(dir);
  });
});

const hasYosys = requireTools('yosys');

describe.skipIf(!hasYosys)('bnn_intdot bit-plane depth (synth_xilinx)', () => {
  // SIMD 64, 2-bit codes, PE 1, POP_STAGES 1: the 2A - S form measured one LUT level above the bound here
  it('the measured LUT depth between registers stays within intdotDepthBound', async () => {
    const dir = await makeTmpDir('bitplane-depth');
    const simd = 64, k = 2, pop = popStagesFor(simd), ow = k + 1 + Math.ceil(Math.log2(simd));
    const p = withStructure('bnn_intdot', { PE: 1, SIMD: simd, IN_W: k, IN_SIGNED: 0, POP_STAGES: pop, OW: ow, DATAPATH: 1 });
    await writeFile(path.join(dir, 'h.v'), `module h (input wire clk, input wire [${simd * k - 1}:0] x_in, input wire [${simd - 1}:0] w_in, output reg [${ow - 1}:0] s_out);
    reg [${simd * k - 1}:0] x_r;
    reg [${simd - 1}:0] w_r;
    wire [${ow - 1}:0] s;
    bnn_intdot #(${paramList(p)}) u (.clk(clk), .x(x_r), .w(w_r), .sum(s));
    always @(posedge clk) begin x_r <= x_in; w_r <= w_in; s_out <= s; end
endmodule
`);
    const libs = ['bnn_intdot', 'bnn_addtree', 'bnn_bitplane'].map((m) => libFile(m)).join(' ');
    const r = await runTool('yosys', ['-q', '-p', `read_verilog ${libs} h.v; synth_xilinx -noiopad -flatten -top h; write_json h.json`], { cwd: dir, timeoutMs: 1_200_000 });
    expect(r.code, r.stderr).toBe(0);
    const net = JSON.parse(await readFile(path.join(dir, 'h.json'), 'utf8')) as Parameters<typeof lutDepth>[0];
    const depth = lutDepth(net, Object.keys(net.modules).find((m) => m === 'h' || m.endsWith('h'))!, 'xilinx');
    expect(depth).toBeGreaterThan(0);
    expect(depth).toBeLessThanOrEqual(intdotDepthBound('bitplane', simd, k, pop, false));
    await removeDir(dir);
  }, 1_200_000);
});
