/**
 * bnn_add unit co-simulation: lanes of unsigned and signed codes and sign lanes (A_BIPOLAR / B_BIPOLAR:
 * bit x is the code 2x - 1), SHIFT 0, 1, 3, PE 1, 2, 4, random
 * tvalid gaps on both inputs (independently) and tready backpressure on the output. The sums are
 * computed here with BigInt (a + b * 2^SHIFT), the output width found here by trying widths against
 * the extreme sums; Icarus and Verilator outputs must equal them, and every handshake cycle of every
 * port must equal the cycle model AddSim's. Plus the rate: one pair per cycle without stalls.
 */
import { describe, expect, it } from 'vitest';
import { Prng } from '../helpers/prng.js';
import { makeTmpDir, packLanes, removeDir } from '../helpers/rtlsim.js';
import { drivePorts, runPortTb, type PortDrive, expectPortRun } from '../helpers/porttb.js';
import { requireTools } from '../helpers/tools.js';
import type { AddParams } from '../../src/blocks/port-types.js';
import { AddSim, addOutWidth } from '../../src/blocks/kinds/add-sim.js';
import { libraryChecks } from '../helpers/lib-checks.js';

interface AddCase {
  name: string;
  p: AddParams;
  beats: number;
  validProb: [number, number];
  readyProb: number;
  seed: number;
}

const lo = (w: number, s: number): bigint => (s ? -(1n << BigInt(w - 1)) : 0n);
const hi = (w: number, s: number): bigint => (s ? (1n << BigInt(w - 1)) - 1n : (1n << BigInt(w)) - 1n);
/** the code a lane value stands for: a sign lane's bit x is 2x - 1 */
const code = (v: number, bipolar: number | undefined): bigint => (bipolar ? 2n * BigInt(v) - 1n : BigInt(v));

/** the fewest bits (two's complement when a sum can be negative) holding both extreme sums */
function outWidth(p: AddParams): number {
  const k = 1n << BigInt(p.SHIFT);
  const min = (p.A_BIPOLAR ? -1n : lo(p.A_W, p.A_SIGNED)) + (p.B_BIPOLAR ? -1n : lo(p.B_W, p.B_SIGNED)) * k;
  const max = (p.A_BIPOLAR ? 1n : hi(p.A_W, p.A_SIGNED)) + (p.B_BIPOLAR ? 1n : hi(p.B_W, p.B_SIGNED)) * k;
  for (let w = 1; ; w++) {
    const fits = min < 0n ? min >= -(1n << BigInt(w - 1)) && max < 1n << BigInt(w - 1) : max < 1n << BigInt(w);
    if (fits) return w;
  }
}

/** codes uniform over the range, every fourth beat only the extremes */
function lanes(prng: Prng, n: number, w: number, s: number, beats: number): number[][] {
  const [l, h] = [Number(lo(w, s)), Number(hi(w, s))];
  return Array.from({ length: beats }, (_, i) => Array.from({ length: n }, () => (i % 4 === 3 ? prng.pick([l, h]) : prng.int(l, h))));
}

function drive(c: AddCase, nOut: number): PortDrive {
  const slow = Math.min(...c.validProb, c.readyProb);
  return { seed: c.seed ^ 0xadd, validProb: c.validProb, readyProb: [c.readyProb], maxCycles: Math.ceil((nOut * 4) / slow) + 200 };
}

async function runCase(c: AddCase, simulator: 'icarus' | 'verilator') {
  const p = c.p;
  const prng = new Prng(c.seed);
  const a = lanes(prng, p.PE, p.A_W, p.A_SIGNED, c.beats);
  const b = lanes(prng, p.PE, p.B_W, p.B_SIGNED, c.beats);
  const ow = outWidth(p);
  const expected = a.map((x, i) => packLanes(x.map((v, k) => code(v, p.A_BIPOLAR) + code(b[i]![k]!, p.B_BIPOLAR) * (1n << BigInt(p.SHIFT))), ow));
  const d = drive(c, c.beats);
  const dir = await makeTmpDir(`add-${simulator}`);
  const res = await runPortTb({
    ...d,
    dir,
    inputs: [
      { width: p.PE * p.A_W, beats: a.map((x) => packLanes(x, p.A_W)) },
      { width: p.PE * p.B_W, beats: b.map((x) => packLanes(x, p.B_W)) },
    ],
    outputs: [{ width: p.PE * ow, expected }],
    dut: `
    bnn_add #(.PE(${p.PE}), .A_W(${p.A_W}), .A_SIGNED(${p.A_SIGNED}), .B_W(${p.B_W}), .B_SIGNED(${p.B_SIGNED}), .A_BIPOLAR(${p.A_BIPOLAR ?? 0}), .B_BIPOLAR(${p.B_BIPOLAR ?? 0}), .SHIFT(${p.SHIFT}), .OUT_W(${outWidth(p)})) dut (
        .clk(clk), .rst_n(rst_n),
        .a_axis_tdata(s0_tdata), .a_axis_tvalid(s0_tvalid), .a_axis_tready(s0_tready),
        .b_axis_tdata(s1_tdata), .b_axis_tvalid(s1_tvalid), .b_axis_tready(s1_tready),
        .m_axis_tdata(m0_tdata), .m_axis_tvalid(m0_tvalid), .m_axis_tready(m0_tready));`,
    libModules: ['bnn_add', 'bnn_fifo', 'bnn_obuf'],
    simulator,
    latencyParam: 'dut.LATENCY',
  });
  const ts = drivePorts(new AddSim('add', p), [a, b], [c.beats], d, (_o, beat) => packLanes(beat, ow));
  return { res, ts, expected, dir };
}

const P = (PE: number, A_W: number, A_SIGNED: 0 | 1, B_W: number, B_SIGNED: 0 | 1, SHIFT: number): AddParams => ({ PE, A_W, A_SIGNED, B_W, B_SIGNED, SHIFT });
/** a sign operand (1-bit lanes, bit x = 2x - 1) */
const SIGN = { w: 1, s: 0 as const };
const PB = (PE: number, a: { w: number; s: 0 | 1 } | 'sign', b: { w: number; s: 0 | 1 } | 'sign', SHIFT: number): AddParams => {
  const [A, B] = [a === 'sign' ? SIGN : a, b === 'sign' ? SIGN : b];
  return { ...P(PE, A.w, A.s, B.w, B.s, SHIFT), ...(a === 'sign' ? { A_BIPOLAR: 1 as const } : {}), ...(b === 'sign' ? { B_BIPOLAR: 1 as const } : {}) };
};

const CASES: AddCase[] = [
  { name: 'PE 1, 2-bit unsigned + 2-bit unsigned, SHIFT 0', p: P(1, 2, 0, 2, 0, 0), beats: 50, validProb: [0.7, 0.5], readyProb: 0.6, seed: 1 },
  { name: 'PE 2, 4-bit signed + 2-bit unsigned << 1', p: P(2, 4, 1, 2, 0, 1), beats: 50, validProb: [0.4, 0.9], readyProb: 0.8, seed: 2 },
  { name: 'PE 4, 3-bit unsigned + 4-bit signed << 3', p: P(4, 3, 0, 4, 1, 3), beats: 50, validProb: [0.9, 0.3], readyProb: 0.5, seed: 3 },
  { name: 'PE 2, 8-bit signed + 8-bit signed << 3', p: P(2, 8, 1, 8, 1, 3), beats: 50, validProb: [0.6, 0.6], readyProb: 0.3, seed: 4 },
  { name: 'PE 4, 1-bit unsigned + 6-bit unsigned << 1', p: P(4, 1, 0, 6, 0, 1), beats: 50, validProb: [1, 0.7], readyProb: 0.9, seed: 5 },
  { name: 'PE 1, 12-bit signed + 3-bit signed, SHIFT 0', p: P(1, 12, 1, 3, 1, 0), beats: 40, validProb: [0.8, 0.8], readyProb: 1, seed: 6 },
  // sign streams (+-1): a sign added to a code stream exactly
  { name: 'PE 4, 3-bit signed + sign b, SHIFT 0', p: PB(4, { w: 3, s: 1 }, 'sign', 0), beats: 50, validProb: [0.7, 0.6], readyProb: 0.5, seed: 7 },
  { name: 'PE 2, sign a + (2-bit unsigned b << 1)', p: PB(2, 'sign', { w: 2, s: 0 }, 1), beats: 50, validProb: [0.5, 0.9], readyProb: 0.7, seed: 8 },
  { name: 'PE 3, sign a + (sign b << 3)', p: PB(3, 'sign', 'sign', 3), beats: 50, validProb: [0.9, 0.4], readyProb: 0.6, seed: 9 },
  { name: 'PE 1, 8-bit unsigned + sign b, SHIFT 0', p: PB(1, { w: 8, s: 0 }, 'sign', 0), beats: 40, validProb: [0.6, 0.6], readyProb: 0.4, seed: 10 },
];

const has = requireTools('iverilog', 'vvp');
const hasVerilator = requireTools('verilator');

for (const [sim, ok, cases] of [
  ['icarus', has, CASES],
  ['verilator', hasVerilator, [CASES[2]!, CASES[3]!, CASES[6]!, CASES[8]!]],
] as const) {
  describe.skipIf(!ok)(`bnn_add co-simulation (${sim}) against the sums and AddSim`, () => {
    for (const c of cases) {
      it(`sums and handshake cycles: ${c.name} (v${c.validProb.join('/')} r${c.readyProb})`, async () => {
        const run = await runCase(c, sim);
        expectPortRun(run, 2);
        await removeDir(run.dir);
      }, 600_000);
    }
  });
}

describe('bnn_add output width and rate (cycle model, equal to the RTL above)', () => {
  it('addOutWidth is the fewest bits holding every sum, for all widths, signs and shifts', () => {
    for (let aw = 1; aw <= 9; aw++)
      for (let bw = 1; bw <= 9; bw++)
        for (const [as, bs] of [[0, 0], [0, 1], [1, 0], [1, 1]] as const)
          for (let sh = 0; sh <= 4; sh++) expect(addOutWidth(P(1, aw, as, bw, bs, sh)), `${aw} ${as} ${bw} ${bs} ${sh}`).toBe(outWidth(P(1, aw, as, bw, bs, sh)));
    // sign operands on either side, against codes of every width and sign, and against each other
    for (let w = 1; w <= 9; w++)
      for (const s of w > 1 ? ([0, 1] as const) : ([0] as const))
        for (let sh = 0; sh <= 4; sh++)
          for (const p of [PB(1, 'sign', { w, s }, sh), PB(1, { w, s }, 'sign', sh), PB(1, 'sign', 'sign', sh)]) expect(addOutWidth(p), JSON.stringify(p)).toBe(outWidth(p));
  });

  it('refuses a sign operand with lanes wider than 1 bit or signed', () => {
    expect(() => new AddSim('add', { ...P(1, 2, 0, 2, 0, 0), A_BIPOLAR: 1 })).toThrow(/A_BIPOLAR needs 1-bit unsigned lanes/);
    expect(() => new AddSim('add', { ...P(1, 2, 0, 1, 1, 0), B_BIPOLAR: 1 })).toThrow(/B_BIPOLAR needs 1-bit unsigned lanes/);
  });

  it('takes one pair per cycle and emits its sum two cycles after both words were accepted', () => {
    const p = P(2, 3, 1, 3, 0, 1);
    const prng = new Prng(3);
    const a = lanes(prng, 2, 3, 1, 30);
    const b = lanes(prng, 2, 3, 0, 30);
    const r = drivePorts(new AddSim('add', p), [a, b], [30], { seed: 1, validProb: [1, 1], readyProb: [1], maxCycles: 200 }, (_o, x) => packLanes(x, addOutWidth(p)));
    const first = r.ins[0]![0]!;
    expect(r.ins[0]).toEqual(a.map((_, i) => first + i));
    expect(r.ins[1]).toEqual(r.ins[0]);
    expect(r.outs[0]!.cycles).toEqual(a.map((_, i) => first + i + 2));
  });
});

libraryChecks('bnn_add', {
  lint: [
    {},
    { PE: 2, A_W: 2, B_W: 3, B_SIGNED: 1, SHIFT: 3, OUT_W: 6 },
    { PE: 4, A_W: 8, A_SIGNED: 1, B_W: 1, SHIFT: 1, OUT_W: 9, OBUF_DEPTH: 1 },
    { PE: 1, A_W: 32, A_SIGNED: 1, B_W: 32, B_SIGNED: 1, SHIFT: 16, OUT_W: 49 },
    // sign operands (+-1)
    { PE: 4, A_W: 3, A_SIGNED: 1, B_W: 1, B_BIPOLAR: 1, OUT_W: 4 },
    { PE: 2, A_W: 1, A_BIPOLAR: 1, B_W: 1, B_BIPOLAR: 1, SHIFT: 3, OUT_W: 5 },
  ],
  paramErrors: [
    // OUT_W comes from the compiler (addOutWidth): the module checks that every sum fits
    { bad: { A_W: 4, B_W: 4, SHIFT: 2, OUT_W: 6 }, good: { A_W: 4, B_W: 4, SHIFT: 2, OUT_W: 7 }, error: 'bnn_param_error_add_OUT_W_too_narrow_for_the_sum' },
    { bad: { A_W: 4, A_SIGNED: 1, B_W: 4, OUT_W: 5 }, good: { A_W: 4, A_SIGNED: 1, B_W: 4, OUT_W: 6 }, error: 'bnn_param_error_add_OUT_W_too_narrow_for_the_sum' },
    { bad: { SHIFT: 17, OUT_W: 22 }, good: { SHIFT: 16, OUT_W: 21 }, error: 'bnn_param_error_add_SHIFT_not_0_to_16' },
    // a sign operand's -1 makes the sums signed: u4 + sign needs 6 bits, not the 5 of u4 + u1
    { bad: { A_W: 4, B_W: 1, B_BIPOLAR: 1, OUT_W: 5 }, good: { A_W: 4, B_W: 1, B_BIPOLAR: 1, OUT_W: 6 }, error: 'bnn_param_error_add_OUT_W_too_narrow_for_the_sum' },
    { bad: { A_W: 2, A_BIPOLAR: 1, OUT_W: 6 }, good: { A_W: 1, A_BIPOLAR: 1, OUT_W: 6 }, error: 'bnn_param_error_add_BIPOLAR_needs_1_bit_unsigned_lanes' },
    { bad: { B_W: 1, B_BIPOLAR: 2, OUT_W: 6 }, good: { B_W: 1, B_BIPOLAR: 1, OUT_W: 6 }, error: 'bnn_param_error_add_BIPOLAR_not_0_or_1' },
  ],
  synth: [
    { params: { PE: 2, A_W: 4, A_SIGNED: 1, B_W: 3, SHIFT: 2, OUT_W: 7 } },
  ],
  portSample: { kind: 'add', name: 'a', params: { PE: 3, A_W: 2, A_SIGNED: 0, B_W: 4, B_SIGNED: 1, SHIFT: 3 } },
});
