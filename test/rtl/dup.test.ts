/**
 * bnn_dup unit co-simulation: N = 2, 3, 4 branches, seeded random words, random tvalid gaps on the
 * input and independent random tready backpressure per branch. Every branch must receive every input
 * word in order (the expected lists are the input itself), and every handshake cycle of every port in
 * Icarus and Verilator must equal the cycle model DupSim's under the same drive. Plus the rate (one
 * word per cycle when all branches are ready) and the bound on how far a ready branch runs ahead of a
 * slow one (2 words).
 */
import { describe, expect, it } from 'vitest';
import { Prng } from '../helpers/prng.js';
import { describeDiff, makeTmpDir, removeDir } from '../helpers/rtlsim.js';
import { drivePorts, runPortTb, type PortDrive } from '../helpers/porttb.js';
import { requireTools } from '../helpers/tools.js';
import { DupSim } from '../../src/blocks/kinds/dup-sim.js';
import { libraryChecks } from '../helpers/lib-checks.js';

interface DupCase {
  name: string;
  width: number;
  n: number;
  beats: number;
  validProb: number;
  readyProb: number[];
  seed: number;
}

function words(c: DupCase): bigint[] {
  const prng = new Prng(c.seed);
  return Array.from({ length: c.beats }, () => BigInt(prng.int(0, 2 ** Math.min(c.width, 30) - 1)) << BigInt(Math.max(0, c.width - 30)));
}

function drive(c: DupCase): PortDrive {
  const slow = Math.min(c.validProb, ...c.readyProb);
  return { seed: c.seed ^ 0xd0b, validProb: [c.validProb], readyProb: c.readyProb, maxCycles: Math.ceil((c.beats * 4) / slow) + 200 };
}

async function runCase(c: DupCase, simulator: 'icarus' | 'verilator') {
  const inB = words(c);
  const d = drive(c);
  const dir = await makeTmpDir(`dup-${simulator}`);
  const dut = `
    bnn_dup #(.WIDTH(${c.width}), .N(${c.n})) dut (
        .clk(clk), .rst_n(rst_n),
        .s_axis_tdata(s0_tdata), .s_axis_tvalid(s0_tvalid), .s_axis_tready(s0_tready),
        .m_axis_tdata({${Array.from({ length: c.n }, (_, k) => `m${c.n - 1 - k}_tdata`).join(', ')}}),
        .m_axis_tvalid({${Array.from({ length: c.n }, (_, k) => `m${c.n - 1 - k}_tvalid`).join(', ')}}),
        .m_axis_tready({${Array.from({ length: c.n }, (_, k) => `m${c.n - 1 - k}_tready`).join(', ')}}));`;
  const res = await runPortTb({
    ...d,
    dir,
    inputs: [{ width: c.width, beats: inB }],
    outputs: Array.from({ length: c.n }, () => ({ width: c.width, expected: inB })),
    dut,
    libModules: ['bnn_dup'],
    simulator,
    latencyParam: 'dut.LATENCY',
  });
  const ts = drivePorts(new DupSim('dup', c.n), [inB.map((b) => [Number(b)])], new Array<number>(c.n).fill(inB.length), d, (_o, b) => BigInt(b[0]!));
  return { res, ts, inB, dir };
}

/** words taken by each branch up to and including cycle t */
const takenBy = (cycles: number[], t: number): number => cycles.filter((x) => x <= t).length;

const CASES: DupCase[] = [
  { name: 'N 2, 8 bits, both stalling', width: 8, n: 2, beats: 60, validProb: 0.7, readyProb: [0.5, 0.8], seed: 1 },
  { name: 'N 3, 5 bits, one slow branch', width: 5, n: 3, beats: 60, validProb: 0.9, readyProb: [1, 0.2, 0.7], seed: 2 },
  { name: 'N 2, 1 bit, sparse input', width: 1, n: 2, beats: 50, validProb: 0.3, readyProb: [0.6, 0.6], seed: 3 },
  { name: 'N 4, 40 bits', width: 40, n: 4, beats: 60, validProb: 0.8, readyProb: [0.9, 0.4, 1, 0.6], seed: 4 },
  { name: 'N 3, 12 bits, all ready', width: 12, n: 3, beats: 40, validProb: 1, readyProb: [1, 1, 1], seed: 5 },
];

const has = requireTools('iverilog', 'vvp');
const hasVerilator = requireTools('verilator');

for (const [sim, ok, cases] of [
  ['icarus', has, CASES],
  ['verilator', hasVerilator, [CASES[1]!, CASES[3]!]],
] as const) {
  describe.skipIf(!ok)(`bnn_dup co-simulation (${sim}) against DupSim`, () => {
    for (const c of cases) {
      it(`every branch gets every word, handshakes equal the model: ${c.name}`, async () => {
        const { res, ts, inB, dir } = await runCase(c, sim);
        expect(res.timeout, `timeout, dir ${dir}`).toBe(false);
        expect(res.latency).toBe(1);
        expect(res.tbMismatches).toBe(0);
        for (let o = 0; o < c.n; o++) {
          expect(describeDiff(res.outs[o]!.beats, inB), `branch ${o}, dir ${dir}`).toBe('');
          expect(ts.outs[o]!.beats).toEqual(inB);
          expect(ts.outs[o]!.cycles, `branch ${o}`).toEqual(res.outs[o]!.cycles);
        }
        expect(ts.ins).toEqual(res.ins);
        // no branch is ever more than 2 words ahead of another
        const last = res.outs[0]!.cycles.at(-1)!;
        for (let t = 0; t <= last; t++) {
          const n = res.outs.map((x) => takenBy(x.cycles, t));
          expect(Math.max(...n) - Math.min(...n), `cycle ${t}`).toBeLessThanOrEqual(2);
        }
        await removeDir(dir);
      }, 600_000);
    }
  });
}

describe('DupSim (cycle model, equal to the RTL above)', () => {
  it('takes one word per cycle and delivers it on every branch one cycle later when all are ready', () => {
    for (const n of [2, 3]) {
      const inB = Array.from({ length: 30 }, (_, i) => [i]);
      const r = drivePorts(new DupSim('dup', n), [inB], new Array<number>(n).fill(30), { seed: 1, validProb: [1], readyProb: new Array<number>(n).fill(1), maxCycles: 100 }, (_o, b) => BigInt(b[0]!));
      const first = r.ins[0]![0]!;
      expect(r.ins[0]).toEqual(inB.map((_, i) => first + i));
      for (const o of r.outs) expect(o.cycles).toEqual(inB.map((_, i) => first + i + 1));
    }
  });

  it('a branch that is always ready keeps taking words while its sibling stalls, up to 2 words ahead', () => {
    const inB = Array.from({ length: 40 }, (_, i) => [i]);
    const r = drivePorts(new DupSim('dup', 2), [inB], [40, 40], { seed: 7, validProb: [1], readyProb: [1, 0.25], maxCycles: 1000 }, (_o, b) => BigInt(b[0]!));
    expect(r.timeout).toBe(false);
    // the fast branch takes a word in every cycle in which it is at most 1 word ahead of the slow one
    for (let t = r.outs[0]!.cycles[0]!; t < r.outs[0]!.cycles.at(-1)!; t++) {
      const ahead = takenBy(r.outs[0]!.cycles, t - 1) - takenBy(r.outs[1]!.cycles, t - 1);
      expect(ahead).toBeLessThanOrEqual(2);
    }
    expect(Math.max(...r.outs[0]!.cycles.map((t) => takenBy(r.outs[0]!.cycles, t) - takenBy(r.outs[1]!.cycles, t)))).toBe(2);
  });
});

libraryChecks('bnn_dup', {
  lint: [
    {},
    { WIDTH: 1, N: 3 },
    { WIDTH: 33, N: 5 },
  ],
  paramErrors: [
    { bad: { WIDTH: 4, N: 1 }, good: { WIDTH: 4, N: 2 }, error: 'bnn_param_error_dup_N_below_2' },
  ],
  synth: [
    { params: { WIDTH: 7, N: 3 } },
  ],
  portSample: { kind: 'dup', name: 'd', width: 5, n: 3 },
});
