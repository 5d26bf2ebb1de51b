/**
 * bnn_thresh_in unit co-simulation: per-element {dir, T} thresholds from the internal ROM, signed and
 * unsigned inputs, random gaps / backpressure, compared against an independent compare model;
 * exact latency / throughput check without stalls.
 */
import { describe, expect, it } from 'vitest';
import { Prng } from '../helpers/prng.js';
import { describeDiff, hexFile, makeTmpDir, packLanes, removeDir, runStreamTb, toUnsigned, withDeps } from '../helpers/rtlsim.js';
import { requireTools } from '../helpers/tools.js';
import { libraryChecks } from '../helpers/lib-checks.js';

interface Cfg {
  name: string;
  PE: number;
  IN_W: number;
  SIGNED: 0 | 1;
  TDEPTH: number;
  TW: number;
  OBUF: number;
  frames: number;
  validProb: number;
  readyProb: number;
  seed: number;
}

function range(w: number, signed: boolean): [number, number] {
  return signed ? [-(2 ** (w - 1)), 2 ** (w - 1) - 1] : [0, 2 ** w - 1];
}

async function run(c: Cfg) {
  const prng = new Prng(c.seed);
  const [xlo, xhi] = range(c.IN_W, c.SIGNED === 1);
  const [tlo, thi] = range(c.TW, c.SIGNED === 1);
  // thresholds[a][k] = {dir, T}
  const th = Array.from({ length: c.TDEPTH }, () =>
    Array.from({ length: c.PE }, () => ({ dir: prng.int(0, 1), t: prng.int(tlo, thi) })),
  );
  const beats: number[][] = [];
  for (let f = 0; f < c.frames; f++)
    for (let a = 0; a < c.TDEPTH; a++)
      beats.push(
        th[a]!.map(({ t }) => {
          // often exactly at / next to the threshold, otherwise uniform
          if (prng.bool(0.5)) return Math.max(xlo, Math.min(xhi, t + prng.int(-1, 1)));
          return prng.int(xlo, xhi);
        }),
      );
  // independent model
  const expected = beats.map((x, b) => {
    const a = b % c.TDEPTH;
    const bits = x.map((v, k) => {
      const { dir, t } = th[a]![k]!;
      return (dir ? v <= t : v >= t) ? 1 : 0;
    });
    return packLanes(bits, 1);
  });
  const tfile = hexFile(
    th.map((lanes) => packLanes(lanes.map(({ dir, t }) => (BigInt(dir) << BigInt(c.TW)) | toUnsigned(t, c.TW)), c.TW + 1)),
    c.PE * (c.TW + 1),
  );
  const dir = await makeTmpDir('thresh-in');
  const res = await runStreamTb({
    dir,
    inW: c.PE * c.IN_W,
    outW: c.PE,
    inBeats: beats.map((x) => packLanes(x, c.IN_W)),
    expected,
    dut: `
    bnn_thresh_in #(
        .PE(${c.PE}), .IN_W(${c.IN_W}), .IN_SIGNED(${c.SIGNED}), .TDEPTH(${c.TDEPTH}), .TW(${c.TW}),
        .OBUF_DEPTH(${c.OBUF}), .TFILE("t.hex")
    ) dut (
        .clk(clk), .rst_n(rst_n),
        .s_axis_tdata(s_tdata), .s_axis_tvalid(s_tvalid), .s_axis_tready(s_tready),
        .m_axis_tdata(m_tdata), .m_axis_tvalid(m_tvalid), .m_axis_tready(m_tready));`,
    files: { 't.hex': tfile },
    libModules: withDeps('bnn_thresh_in', 'bnn_rom'),
    seed: c.seed * 7 + 1,
    validProb: c.validProb,
    readyProb: c.readyProb,
    maxCycles: Math.ceil((beats.length * 8) / Math.min(c.validProb, c.readyProb)) + 200,
    latencyParam: 'dut.LATENCY',
  });
  return { res, expected, dir };
}

const RANDOM_CFGS: Cfg[] = [
  { name: 'PE1 u8 TDEPTH1 obuf1', PE: 1, IN_W: 8, SIGNED: 0, TDEPTH: 1, TW: 8, OBUF: 1, frames: 60, validProb: 0.6, readyProb: 0.5, seed: 51 },
  { name: 'PE3 s6 TDEPTH5 TW4 obuf2', PE: 3, IN_W: 6, SIGNED: 1, TDEPTH: 5, TW: 4, OBUF: 2, frames: 12, validProb: 0.7, readyProb: 0.5, seed: 52 },
  { name: 'PE4 u8 TDEPTH2 TW9 obuf4', PE: 4, IN_W: 8, SIGNED: 0, TDEPTH: 2, TW: 9, OBUF: 4, frames: 30, validProb: 0.8, readyProb: 0.7, seed: 53 },
  { name: 'PE16 s3 TDEPTH49 TW3 obuf7', PE: 16, IN_W: 3, SIGNED: 1, TDEPTH: 49, TW: 3, OBUF: 7, frames: 2, validProb: 0.9, readyProb: 0.6, seed: 54 },
  { name: 'PE2 s10 TDEPTH3 TW12 obuf3', PE: 2, IN_W: 10, SIGNED: 1, TDEPTH: 3, TW: 12, OBUF: 3, frames: 20, validProb: 0.5, readyProb: 0.9, seed: 55 },
];

const has = requireTools('iverilog', 'vvp');

describe.skipIf(!has)('bnn_thresh_in co-simulation (Icarus)', () => {
  for (const c of RANDOM_CFGS) {
    it(`matches the threshold model: ${c.name}`, async () => {
      const { res, expected, dir } = await run(c);
      expect(res.timeout, `timeout, dir ${dir}`).toBe(false);
      expect(new Set(expected).size).toBeGreaterThan(1);
      expect(describeDiff(res.beats, expected), `dir ${dir}`).toBe('');
      expect(res.tbMismatches).toBe(0);
      expect(res.latency).toBe(2);
      await removeDir(dir);
    });
  }

  it('runs at one beat per cycle with LATENCY = 2 and OBUF_DEPTH = 3', async () => {
    const c: Cfg = { name: 'rate', PE: 3, IN_W: 5, SIGNED: 0, TDEPTH: 4, TW: 5, OBUF: 3, frames: 10, validProb: 1, readyProb: 1, seed: 56 };
    const { res, expected, dir } = await run(c);
    expect(describeDiff(res.beats, expected), `dir ${dir}`).toBe('');
    expect(res.outCycles).toEqual(expected.map((_, j) => res.firstIn + j + 2));
    await removeDir(dir);
  });
});

libraryChecks('bnn_thresh_in', {
  lint: [
    {},
    { PE: 1, IN_W: 8, TDEPTH: 1, TW: 8, OBUF_DEPTH: 1 },
    { PE: 3, IN_W: 6, IN_SIGNED: 1, TDEPTH: 5, TW: 4, OBUF_DEPTH: 2 },
    { PE: 4, IN_W: 8, TDEPTH: 2, TW: 9, OBUF_DEPTH: 4, TFILE: 't.hex' },
    { PE: 2, IN_W: 8, TDEPTH: 3, TW: 10, NTHR: 3, OUT_BITS: 2, OBUF_DEPTH: 3 },
    { PE: 3, IN_W: 4, IN_SIGNED: 1, TDEPTH: 1, TW: 6, NTHR: 255, OUT_BITS: 8, OUT_MIN: -128, OBUF_DEPTH: 3 },
  ],
  paramErrors: [
    { bad: { PE: 2, TDEPTH: 0 }, good: { PE: 2, TDEPTH: 1 }, error: 'bnn_param_error_thresh_in_TDEPTH_below_1' },
    { bad: { PE: 2, IN_W: 8, TW: 9, NTHR: 3, OUT_BITS: 2 }, good: { PE: 2, IN_W: 8, TW: 10, NTHR: 3, OUT_BITS: 2 }, error: 'bnn_param_error_thresh_in_levels_need_TW_IN_W_plus_2' },
  ],
  synth: [
    { params: { PE: 3, IN_W: 6, IN_SIGNED: 1, TDEPTH: 3, TW: 5, OBUF_DEPTH: 3, TFILE: 't.hex' }, files: { 't.hex': '00000\n3ffff\n01234\n' } },
  ],
});
