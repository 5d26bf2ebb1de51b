/**
 * bnn_dwc unit co-simulation: random bit streams through the width converter with random gaps and
 * backpressure (bit order check against an independent repacking model), and a no-stall run that
 * checks "no bubbles": every output word leaves exactly one cycle after its last bit arrived and
 * the faster side never waits.
 */
import { describe, expect, it } from 'vitest';
import { Prng } from '../helpers/prng.js';
import { describeDiff, makeTmpDir, removeDir, runStreamTb } from '../helpers/rtlsim.js';
import { requireTools } from '../helpers/tools.js';
import { libraryChecks } from '../helpers/lib-checks.js';

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Repack a bit list (bit 0 first) into words of w bits, first bit in bit 0. */
function words(bits: number[], w: number): bigint[] {
  const out: bigint[] = [];
  for (let i = 0; i < bits.length; i += w) {
    let v = 0n;
    for (let j = 0; j < w; j++) if (bits[i + j]) v |= 1n << BigInt(j);
    out.push(v);
  }
  return out;
}

async function run(inW: number, outW: number, frames: number, validProb: number, readyProb: number, seed: number) {
  const prng = new Prng(seed);
  const lcm = (inW * outW) / gcd(inW, outW);
  const nbits = lcm * frames;
  const bits = Array.from({ length: nbits }, () => prng.int(0, 1));
  const inBeats = words(bits, inW);
  const expected = words(bits, outW);
  const dir = await makeTmpDir('dwc');
  const res = await runStreamTb({
    dir,
    inW,
    outW,
    inBeats,
    expected,
    dut: `
    bnn_dwc #(.IN_W(${inW}), .OUT_W(${outW})) dut (
        .clk(clk), .rst_n(rst_n),
        .s_axis_tdata(s_tdata), .s_axis_tvalid(s_tvalid), .s_axis_tready(s_tready),
        .m_axis_tdata(m_tdata), .m_axis_tvalid(m_tvalid), .m_axis_tready(m_tready));`,
    libModules: ['bnn_dwc'],
    seed: seed + 99,
    validProb,
    readyProb,
    maxCycles: Math.ceil(((inBeats.length + expected.length) * 6) / Math.min(validProb, readyProb)) + 200,
    latencyParam: 'dut.LATENCY',
  });
  return { res, expected, inBeats, dir };
}

const RATIOS: [number, number][] = [
  [1, 8],
  [16, 8],
  [8, 16],
  [49, 16],
  [16, 49],
  [3, 32],
  [32, 3],
  [8, 8],
  [5, 1],
  [12, 18],
];

const has = requireTools('iverilog', 'vvp');

describe.skipIf(!has)('bnn_dwc co-simulation (Icarus)', () => {
  RATIOS.forEach(([inW, outW], idx) => {
    it(`keeps bit order under random gaps/backpressure: ${inW} -> ${outW}`, async () => {
      const frames = Math.max(2, Math.ceil(600 / ((inW * outW) / gcd(inW, outW))));
      const { res, expected, dir } = await run(inW, outW, frames, 0.6, 0.55, 300 + idx);
      expect(res.timeout, `timeout, dir ${dir}`).toBe(false);
      expect(describeDiff(res.beats, expected), `dir ${dir}`).toBe('');
      expect(res.tbMismatches).toBe(0);
      await removeDir(dir);
    });

    it(`has no bubbles without stalls: ${inW} -> ${outW}`, async () => {
      const frames = Math.max(3, Math.ceil(400 / ((inW * outW) / gcd(inW, outW))));
      const { res, expected, inBeats, dir } = await run(inW, outW, frames, 1, 1, 400 + idx);
      expect(describeDiff(res.beats, expected), `dir ${dir}`).toBe('');
      expect(res.latency).toBe(1);
      // word j is complete with input beat b_j; it leaves in cycle firstIn + 1 + max(j, b_j)
      const want = expected.map((_, j) => res.firstIn + 1 + Math.max(j, Math.floor(((j + 1) * outW - 1) / inW)));
      expect(res.outCycles).toEqual(want);
      expect(res.inCount).toBe(inBeats.length);
      await removeDir(dir);
    });
  });
});

libraryChecks('bnn_dwc', {
  lint: [
    {},
    { IN_W: 1, OUT_W: 8 },
    { IN_W: 16, OUT_W: 8 },
    { IN_W: 8, OUT_W: 16 },
    { IN_W: 49, OUT_W: 16 },
    { IN_W: 16, OUT_W: 49 },
    { IN_W: 3, OUT_W: 32 },
    { IN_W: 32, OUT_W: 3 },
  ],
  paramErrors: [
    { bad: { IN_W: 0, OUT_W: 8 }, good: { IN_W: 1, OUT_W: 8 }, error: 'bnn_param_error_dwc_IN_W_below_1' },
  ],
  synth: [
    { params: { IN_W: 16, OUT_W: 49 } },
    { params: { IN_W: 32, OUT_W: 3 } },
  ],
});
