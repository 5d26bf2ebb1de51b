/**
 * The graph blocks composed as a residual block's skeleton, co-simulated as one design: x -> bnn_dup
 * -> branch 0 through a bypass bnn_fifo (depth D) into bnn_add's a, branch 1 through a slow path (a
 * bnn_fifo of depth 1, which passes one word every two cycles) into b; out = x + (x << SHIFT) per
 * lane, then bnn_gap sums it over a frame. Icarus and Verilator outputs must equal the sums computed
 * here, and every handshake cycle of the graph's input and output must equal the cycle models
 * (DupSim, FifoSim, AddSim, GapSim) stepped by the graph cycle engine (src/sim/dag-engine.ts,
 * driven through test/helpers/dagdrive.ts).
 */
import { describe, expect, it } from 'vitest';
import { Prng } from '../helpers/prng.js';
import { makeTmpDir, packLanes, removeDir } from '../helpers/rtlsim.js';
import { runPortTb, type PortDrive, expectPortRun } from '../helpers/porttb.js';
import { driveDag } from '../helpers/dagdrive.js';
import { requireTools } from '../helpers/tools.js';
import { asPortSim, FifoSim } from '../../src/blocks/sim-base.js';
import { DupSim } from '../../src/blocks/kinds/dup-sim.js';
import { AddSim, addOutWidth } from '../../src/blocks/kinds/add-sim.js';
import { GapSim, gapOutWidth } from '../../src/blocks/kinds/gap-sim.js';
import type { AddParams, GapParams } from '../../src/blocks/port-types.js';

interface ResCase {
  name: string;
  pe: number;
  w: number;
  signed: 0 | 1;
  shift: number;
  c: number;
  hw: number;
  depth: number;
  frames: number;
  validProb: number;
  readyProb: number;
  seed: number;
}

async function runCase(rc: ResCase, simulator: 'icarus' | 'verilator') {
  const ap: AddParams = { PE: rc.pe, A_W: rc.w, A_SIGNED: rc.signed, B_W: rc.w, B_SIGNED: rc.signed, SHIFT: rc.shift };
  const aw = addOutWidth(ap);
  const gp: GapParams = { PE: rc.pe, C: rc.c, HW: rc.hw, IN_W: aw, IN_SIGNED: rc.signed };
  const gw = gapOutWidth(gp);
  const prng = new Prng(rc.seed);
  const [lo, hi] = rc.signed ? [-(2 ** (rc.w - 1)), 2 ** (rc.w - 1) - 1] : [0, 2 ** rc.w - 1];
  const cf = rc.c / rc.pe;
  // frames of hw pixels x cf beats of pe codes
  const beats = Array.from({ length: rc.frames * rc.hw * cf }, () => Array.from({ length: rc.pe }, () => prng.int(lo, hi)));
  const expected: bigint[] = [];
  for (let f = 0; f < rc.frames; f++)
    for (let g = 0; g < cf; g++) {
      const lanes = Array.from({ length: rc.pe }, (_, k) => {
        let s = 0n;
        for (let px = 0; px < rc.hw; px++) s += BigInt(beats[(f * rc.hw + px) * cf + g]![k]!) * (1n + (1n << BigInt(rc.shift)));
        return s;
      });
      expected.push(packLanes(lanes, gw));
    }
  const d: PortDrive = { seed: rc.seed ^ 0x7e5, validProb: [rc.validProb], readyProb: [rc.readyProb], maxCycles: Math.ceil((beats.length * 6) / Math.min(rc.validProb, rc.readyProb)) + 300 };
  const W = rc.pe * rc.w;
  const dir = await makeTmpDir(`residual-${simulator}`);
  const res = await runPortTb({
    ...d,
    dir,
    inputs: [{ width: W, beats: beats.map((b) => packLanes(b, rc.w)) }],
    outputs: [{ width: rc.pe * gw, expected }],
    dut: `
    wire [${2 * W - 1}:0] br_d; wire [1:0] br_v, br_r;
    wire [${W - 1}:0] a_d, b_d; wire a_v, a_r, b_v, b_r;
    wire [${rc.pe * aw - 1}:0] s_d; wire s_v, s_r;
    /* verilator lint_off UNUSEDSIGNAL */
    wire [7:0] c0, c1;
    /* verilator lint_on UNUSEDSIGNAL */
    bnn_dup #(.WIDTH(${W}), .N(2)) u_dup (.clk(clk), .rst_n(rst_n),
        .s_axis_tdata(s0_tdata), .s_axis_tvalid(s0_tvalid), .s_axis_tready(s0_tready),
        .m_axis_tdata(br_d), .m_axis_tvalid(br_v), .m_axis_tready(br_r));
    bnn_fifo #(.WIDTH(${W}), .DEPTH(${rc.depth})) u_bypass (.clk(clk), .rst_n(rst_n),
        .s_axis_tdata(br_d[${W - 1}:0]), .s_axis_tvalid(br_v[0]), .s_axis_tready(br_r[0]),
        .m_axis_tdata(a_d), .m_axis_tvalid(a_v), .m_axis_tready(a_r), .count(c0[${Math.ceil(Math.log2(rc.depth + 1)) - 1}:0]));
    bnn_fifo #(.WIDTH(${W}), .DEPTH(1)) u_slow (.clk(clk), .rst_n(rst_n),
        .s_axis_tdata(br_d[${2 * W - 1}:${W}]), .s_axis_tvalid(br_v[1]), .s_axis_tready(br_r[1]),
        .m_axis_tdata(b_d), .m_axis_tvalid(b_v), .m_axis_tready(b_r), .count(c1[0:0]));
    bnn_add #(.PE(${rc.pe}), .A_W(${rc.w}), .A_SIGNED(${rc.signed}), .B_W(${rc.w}), .B_SIGNED(${rc.signed}), .SHIFT(${rc.shift}), .OUT_W(${aw})) u_add (.clk(clk), .rst_n(rst_n),
        .a_axis_tdata(a_d), .a_axis_tvalid(a_v), .a_axis_tready(a_r),
        .b_axis_tdata(b_d), .b_axis_tvalid(b_v), .b_axis_tready(b_r),
        .m_axis_tdata(s_d), .m_axis_tvalid(s_v), .m_axis_tready(s_r));
    bnn_gap #(.PE(${rc.pe}), .C(${rc.c}), .HW(${rc.hw}), .IN_W(${aw}), .IN_SIGNED(${rc.signed}), .OUT_W(${gw})) u_gap (.clk(clk), .rst_n(rst_n),
        .s_axis_tdata(s_d), .s_axis_tvalid(s_v), .s_axis_tready(s_r),
        .m_axis_tdata(m0_tdata), .m_axis_tvalid(m0_tvalid), .m_axis_tready(m0_tready));`,
    libModules: ['bnn_dup', 'bnn_add', 'bnn_gap', 'bnn_fifo', 'bnn_obuf'],
    simulator,
  });
  const nodes = [new DupSim('dup', 2), asPortSim(new FifoSim('bypass', rc.depth)), asPortSim(new FifoSim('slow', 1)), new AddSim('add', ap), asPortSim(new GapSim('gap', gp))];
  const edges = [
    { from: [0, 0], to: [1, 0] },
    { from: [0, 1], to: [2, 0] },
    { from: [1, 0], to: [3, 0] },
    { from: [2, 0], to: [3, 1] },
    { from: [3, 0], to: [4, 0] },
  ] as { from: [number, number]; to: [number, number] }[];
  const ts = driveDag(nodes, edges, [0, 0], [4, 0], beats, expected.length, d, (b) => packLanes(b, gw));
  return { res, ts, expected, dir };
}

const CASES: ResCase[] = [
  { name: 'PE 2, 3-bit signed, SHIFT 1, C 4, 3x3 pixels, bypass 2', pe: 2, w: 3, signed: 1, shift: 1, c: 4, hw: 9, depth: 2, frames: 3, validProb: 0.8, readyProb: 0.5, seed: 1 },
  { name: 'PE 1, 2-bit unsigned, SHIFT 0, C 3, 2x2 pixels, bypass 5', pe: 1, w: 2, signed: 0, shift: 0, c: 3, hw: 4, depth: 5, frames: 4, validProb: 0.6, readyProb: 0.9, seed: 2 },
  { name: 'PE 4, 4-bit unsigned, SHIFT 3, C 4, 4 pixels, bypass 1', pe: 4, w: 4, signed: 0, shift: 3, c: 4, hw: 4, depth: 1, frames: 4, validProb: 1, readyProb: 1, seed: 3 },
];

const has = requireTools('iverilog', 'vvp');
const hasVerilator = requireTools('verilator');

for (const [sim, ok, cases] of [
  ['icarus', has, CASES],
  ['verilator', hasVerilator, [CASES[0]!]],
] as const) {
  describe.skipIf(!ok)(`dup -> fifos -> add -> gap composed (${sim}) against the sums and the composed cycle models`, () => {
    for (const c of cases) {
      it(`${c.name} (v${c.validProb} r${c.readyProb})`, async () => {
        const run = await runCase(c, sim);
        expectPortRun(run);
        await removeDir(run.dir);
      }, 600_000);
    }
  });
}
