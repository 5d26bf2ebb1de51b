/**
 * bnn_gap unit co-simulation: per-channel code sums over H*W = 1, 4, 9 pixels, C/PE = 1, 3 beats per
 * pixel, PE 1, 2, 4, unsigned and signed codes, several frames back to back, random tvalid gaps and
 * tready backpressure. The sums and the output width are computed here with BigInt; Icarus and
 * Verilator outputs must equal them, and every handshake cycle must equal the cycle model GapSim's.
 * Plus the rate: one input beat per cycle across frame boundaries, each frame's sums one cycle after
 * their last beat.
 */
import { describe, expect, it } from 'vitest';
import { Prng } from '../helpers/prng.js';
import { makeTmpDir, packLanes, removeDir } from '../helpers/rtlsim.js';
import { drivePorts, runPortTb, type PortDrive, expectPortRun } from '../helpers/porttb.js';
import { requireTools } from '../helpers/tools.js';
import type { GapParams } from '../../src/blocks/port-types.js';
import { GapSim, gapOutWidth } from '../../src/blocks/kinds/gap-sim.js';
import { asPortSim } from '../../src/blocks/sim-base.js';
import { libraryChecks } from '../helpers/lib-checks.js';

interface GapCase {
  name: string;
  p: GapParams;
  frames: number;
  validProb: number;
  readyProb: number;
  seed: number;
}

const lo = (p: GapParams): number => (p.IN_SIGNED ? -(2 ** (p.IN_W - 1)) : 0);
const hi = (p: GapParams): number => (p.IN_SIGNED ? 2 ** (p.IN_W - 1) - 1 : 2 ** p.IN_W - 1);

/** the fewest bits holding HW times the extreme codes (two's complement for signed codes) */
function outWidth(p: GapParams): number {
  const min = BigInt(lo(p)) * BigInt(p.HW);
  const max = BigInt(hi(p)) * BigInt(p.HW);
  for (let w = 1; ; w++) {
    const fits = p.IN_SIGNED ? min >= -(1n << BigInt(w - 1)) && max < 1n << BigInt(w - 1) : max < 1n << BigInt(w);
    if (fits) return w;
  }
}

/** image[frame][pixel][channel]: uniform codes, or (every other frame) only the extremes */
function images(p: GapParams, frames: number, prng: Prng): number[][][] {
  return Array.from({ length: frames }, (_, f) =>
    Array.from({ length: p.HW }, () => Array.from({ length: p.C }, () => (f % 2 === 1 ? prng.pick([lo(p), hi(p)]) : prng.int(lo(p), hi(p))))),
  );
}

const beatsOf = (p: GapParams, imgs: number[][][]): number[][] =>
  imgs.flatMap((img) => img.flatMap((px) => Array.from({ length: p.C / p.PE }, (_, g) => px.slice(g * p.PE, (g + 1) * p.PE))));

/** per frame, per channel group: the PE channel sums, packed */
function sums(p: GapParams, imgs: number[][][], ow: number): bigint[] {
  const out: bigint[] = [];
  for (const img of imgs)
    for (let g = 0; g < p.C / p.PE; g++) {
      const lanes: bigint[] = [];
      for (let k = 0; k < p.PE; k++) lanes.push(img.reduce((s, px) => s + BigInt(px[g * p.PE + k]!), 0n));
      out.push(packLanes(lanes, ow));
    }
  return out;
}

async function runCase(c: GapCase, simulator: 'icarus' | 'verilator') {
  const p = c.p;
  const imgs = images(p, c.frames, new Prng(c.seed));
  const inB = beatsOf(p, imgs);
  const ow = outWidth(p);
  const expected = sums(p, imgs, ow);
  const d: PortDrive = { seed: c.seed ^ 0x6a9, validProb: [c.validProb], readyProb: [c.readyProb], maxCycles: Math.ceil(((inB.length + expected.length) * 4) / Math.min(c.validProb, c.readyProb)) + 200 };
  const dir = await makeTmpDir(`gap-${simulator}`);
  const res = await runPortTb({
    ...d,
    dir,
    inputs: [{ width: p.PE * p.IN_W, beats: inB.map((b) => packLanes(b, p.IN_W)) }],
    outputs: [{ width: p.PE * ow, expected }],
    dut: `
    bnn_gap #(.PE(${p.PE}), .C(${p.C}), .HW(${p.HW}), .IN_W(${p.IN_W}), .IN_SIGNED(${p.IN_SIGNED}), .OUT_W(${gapOutWidth(p)})) dut (
        .clk(clk), .rst_n(rst_n),
        .s_axis_tdata(s0_tdata), .s_axis_tvalid(s0_tvalid), .s_axis_tready(s0_tready),
        .m_axis_tdata(m0_tdata), .m_axis_tvalid(m0_tvalid), .m_axis_tready(m0_tready));`,
    libModules: ['bnn_gap', 'bnn_fifo', 'bnn_obuf'],
    simulator,
    latencyParam: 'dut.LATENCY',
  });
  const ts = drivePorts(asPortSim(new GapSim('gap', p)), [inB], [expected.length], d, (_o, b) => packLanes(b, ow));
  return { res, ts, expected, dir, inB };
}

const P = (PE: number, C: number, HW: number, IN_W: number, IN_SIGNED: 0 | 1): GapParams => ({ PE, C, HW, IN_W, IN_SIGNED });

const CASES: GapCase[] = [
  { name: 'PE 1, C 3, 3x3 pixels, 2-bit unsigned', p: P(1, 3, 9, 2, 0), frames: 3, validProb: 0.7, readyProb: 0.5, seed: 1 },
  { name: 'PE 2, C 2, 2x2 pixels, 4-bit signed', p: P(2, 2, 4, 4, 1), frames: 4, validProb: 0.5, readyProb: 0.8, seed: 2 },
  { name: 'PE 4, C 12, 1 pixel, 3-bit signed', p: P(4, 12, 1, 3, 1), frames: 4, validProb: 0.9, readyProb: 0.4, seed: 3 },
  { name: 'PE 2, C 6, 3x3 pixels, 8-bit signed', p: P(2, 6, 9, 8, 1), frames: 3, validProb: 0.6, readyProb: 0.3, seed: 4 },
  { name: 'PE 4, C 4, 2x2 pixels, 1-bit unsigned', p: P(4, 4, 4, 1, 0), frames: 4, validProb: 1, readyProb: 0.6, seed: 5 },
  { name: 'PE 1, C 1, 1 pixel, 5-bit unsigned', p: P(1, 1, 1, 5, 0), frames: 6, validProb: 0.8, readyProb: 0.8, seed: 6 },
  { name: 'PE 2, C 6, 5x5 pixels, 3-bit unsigned', p: P(2, 6, 25, 3, 0), frames: 2, validProb: 0.9, readyProb: 0.2, seed: 7 },
];

const has = requireTools('iverilog', 'vvp');
const hasVerilator = requireTools('verilator');

for (const [sim, ok, cases] of [
  ['icarus', has, CASES],
  ['verilator', hasVerilator, [CASES[0]!, CASES[3]!]],
] as const) {
  describe.skipIf(!ok)(`bnn_gap co-simulation (${sim}) against the sums and GapSim`, () => {
    for (const c of cases) {
      it(`sums and handshake cycles: ${c.name} (v${c.validProb} r${c.readyProb})`, async () => {
        const run = await runCase(c, sim);
        expectPortRun(run, 1);
        await removeDir(run.dir);
      }, 600_000);
    }
  });
}

describe('bnn_gap output width and rate (cycle model, equal to the RTL above)', () => {
  it('gapOutWidth is the fewest bits holding every sum', () => {
    for (let w = 1; w <= 12; w++) for (const s of [0, 1] as const) for (const hw of [1, 2, 3, 4, 9, 49, 64, 1000]) expect(gapOutWidth(P(1, 1, hw, w, s)), `${w} ${s} ${hw}`).toBe(outWidth(P(1, 1, hw, w, s)));
  });

  it.each([
    ['PE 2, C 6, 3x3', P(2, 6, 9, 3, 1)],
    ['PE 1, C 3, 1 pixel', P(1, 3, 1, 2, 0)],
  ] as const)('takes one beat per cycle across frames and emits the sums one cycle after their last beat, %s', (_w, p) => {
    const frames = 3;
    const imgs = images(p, frames, new Prng(5));
    const inB = beatsOf(p, imgs);
    const cf = p.C / p.PE;
    const r = drivePorts(asPortSim(new GapSim('gap', p)), [inB], [frames * cf], { seed: 1, validProb: [1], readyProb: [1], maxCycles: 500 }, (_o, b) => packLanes(b, outWidth(p)));
    expect(r.outs[0]!.beats).toEqual(sums(p, imgs, outWidth(p)));
    const first = r.ins[0]![0]!;
    expect(r.ins[0]).toEqual(inB.map((_, i) => first + i));
    const want: number[] = [];
    for (let f = 0; f < frames; f++) for (let g = 0; g < cf; g++) want.push(first + f * p.HW * cf + (p.HW - 1) * cf + g + 1);
    expect(r.outs[0]!.cycles).toEqual(want);
  });
});

libraryChecks('bnn_gap', {
  lint: [
    {},
    { PE: 2, C: 6, HW: 9, IN_W: 3, IN_SIGNED: 1, OUT_W: 7 },
    { PE: 4, C: 4, HW: 1, IN_W: 2, OUT_W: 2, OBUF_DEPTH: 1 },
    { PE: 1, C: 3, HW: 1, IN_W: 1, OUT_W: 1 },
    { PE: 1, C: 1, HW: 16777216, IN_W: 16, IN_SIGNED: 1, OUT_W: 40 },
  ],
  paramErrors: [
    // OUT_W comes from the compiler (gapOutWidth): the module checks that every sum fits
    { bad: { HW: 10, IN_W: 3, OUT_W: 6 }, good: { HW: 10, IN_W: 3, OUT_W: 7 }, error: 'bnn_param_error_gap_OUT_W_too_narrow_for_the_sum' },
    { bad: { HW: 4, IN_W: 4, IN_SIGNED: 1, OUT_W: 5 }, good: { HW: 4, IN_W: 4, IN_SIGNED: 1, OUT_W: 6 }, error: 'bnn_param_error_gap_OUT_W_too_narrow_for_the_sum' },
    { bad: { C: 6, PE: 4 }, good: { C: 8, PE: 4 }, error: 'bnn_param_error_gap_PE_does_not_divide_C' },
  ],
  synth: [
    { params: { PE: 2, C: 6, HW: 9, IN_W: 3, IN_SIGNED: 1, OUT_W: 7 } },
  ],
  portSample: { kind: 'gap', name: 'g', params: { PE: 2, C: 6, HW: 9, IN_W: 3, IN_SIGNED: 1 } },
});
