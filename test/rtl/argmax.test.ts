/**
 * bnn_argmax unit co-simulation: seeded score frames with many ties, padding lanes, optional rank
 * tables in external ROMs; random gaps / backpressure; compared against an independent
 * first-maximum model; exact latency / throughput check without stalls.
 */
import { describe, expect, it } from 'vitest';
import { Prng } from '../helpers/prng.js';
import { clog2, describeDiff, hexFile, makeTmpDir, packLanes, removeDir, runStreamTb, withDeps } from '../helpers/rtlsim.js';
import { requireTools } from '../helpers/tools.js';
import { libraryChecks } from '../helpers/lib-checks.js';

interface Rank {
  RANK_W: number;
  NVALS: number;
  SCORE_MIN: number;
  SHIFT: number;
}

interface Cfg {
  name: string;
  PE: number;
  NF: number;
  CLASSES: number;
  SCORE_W: number;
  IDX_W?: number;
  rank?: Rank;
  OBUF: number;
  frames: number;
  validProb: number;
  readyProb: number;
  seed: number;
}

async function run(c: Cfg) {
  const prng = new Prng(c.seed);
  const lanes = c.PE * c.NF;
  const idxW = c.IDX_W ?? Math.max(1, clog2(c.CLASSES));
  const r = c.rank;
  // score generator: rank mode uses the legal values SCORE_MIN + (v << SHIFT)
  const score = (): number => {
    if (r) return r.SCORE_MIN + (prng.int(0, r.NVALS - 1) << r.SHIFT);
    const hi = 2 ** (c.SCORE_W - 1) - 1;
    // narrow range most of the time so that ties are frequent
    return prng.bool(0.7) ? prng.int(-2, 2) : prng.int(-hi - 1, hi);
  };
  // rank tables: rankTab[class][value index], random (not monotonic) with frequent ties
  const rankTab = r
    ? Array.from({ length: lanes }, () =>
        Array.from({ length: r.NVALS }, () => {
          const max = 2 ** r.RANK_W - 1;
          return prng.bool(0.5) ? prng.int(0, Math.min(2, max)) : prng.int(0, max);
        }),
      )
    : [];
  const frames = Array.from({ length: c.frames }, () => Array.from({ length: lanes }, score));
  const key = (cls: number, s: number): number => (r ? rankTab[cls]![(s - r.SCORE_MIN) >> r.SHIFT]! : s);
  const expected = frames.map((f) => {
    let best = 0;
    for (let cls = 1; cls < c.CLASSES; cls++) if (key(cls, f[cls]!) > key(best, f[best]!)) best = cls;
    return BigInt(best);
  });
  const inBeats: bigint[] = [];
  for (const f of frames)
    for (let nf = 0; nf < c.NF; nf++) inBeats.push(packLanes(f.slice(nf * c.PE, (nf + 1) * c.PE), c.SCORE_W));

  const files: Record<string, string> = {};
  let roms = '';
  const raw = r ? Math.max(1, clog2(c.NF * r.NVALS)) : 1;
  if (r) {
    for (let k = 0; k < c.PE; k++) {
      const words: bigint[] = [];
      for (let nf = 0; nf < c.NF; nf++) for (let v = 0; v < r.NVALS; v++) words.push(BigInt(rankTab[nf * c.PE + k]![v]!));
      files[`r${k}.hex`] = hexFile(words, r.RANK_W);
      roms += `    bnn_rom #(.WIDTH(${r.RANK_W}), .DEPTH(${c.NF * r.NVALS}), .FILE("r${k}.hex")) u_r${k} (
        .clk(clk), .en(r_en), .addr(r_addr[${k * raw} +: ${raw}]), .q(r_data[${k * r.RANK_W} +: ${r.RANK_W}]));\n`;
    }
  }
  const rankW = r?.RANK_W ?? 4;
  const dut = `
    wire r_en;
    wire [${c.PE * raw - 1}:0] r_addr;
    wire [${c.PE * rankW - 1}:0] r_data;
${r ? roms : `    assign r_data = {${c.PE * rankW}{1'b0}};`}
    bnn_argmax #(
        .PE(${c.PE}), .SCORE_W(${c.SCORE_W}), .NF(${c.NF}), .CLASSES(${c.CLASSES}), .IDX_W(${idxW}),
        .RANK(${r ? 1 : 0}), .RANK_W(${rankW}), .NVALS(${r?.NVALS ?? 1}), .SCORE_MIN(${r?.SCORE_MIN ?? 0}),
        .SHIFT(${r?.SHIFT ?? 0}), .OBUF_DEPTH(${c.OBUF})
    ) dut (
        .clk(clk), .rst_n(rst_n),
        .s_axis_tdata(s_tdata), .s_axis_tvalid(s_tvalid), .s_axis_tready(s_tready),
        .m_axis_tdata(m_tdata), .m_axis_tvalid(m_tvalid), .m_axis_tready(m_tready),
        .r_en(r_en), .r_addr(r_addr), .r_data(r_data));`;
  const dir = await makeTmpDir('argmax');
  const res = await runStreamTb({
    dir,
    inW: c.PE * c.SCORE_W,
    outW: idxW,
    inBeats,
    expected,
    dut,
    files,
    libModules: withDeps('bnn_argmax', 'bnn_rom'),
    seed: c.seed + 5,
    validProb: c.validProb,
    readyProb: c.readyProb,
    maxCycles: Math.ceil((inBeats.length * 8) / Math.min(c.validProb, c.readyProb)) + 200,
    latencyParam: 'dut.LATENCY',
  });
  return { res, expected, dir };
}

const RANDOM_CFGS: Cfg[] = [
  { name: 'PE1 NF10 obuf1', PE: 1, NF: 10, CLASSES: 10, SCORE_W: 4, OBUF: 1, frames: 30, validProb: 0.6, readyProb: 0.4, seed: 61 },
  { name: 'PE10 NF1 obuf2', PE: 10, NF: 1, CLASSES: 10, SCORE_W: 8, OBUF: 2, frames: 60, validProb: 0.7, readyProb: 0.5, seed: 62 },
  { name: 'PE4 NF3 CLASSES10 (padding) obuf3', PE: 4, NF: 3, CLASSES: 10, SCORE_W: 5, OBUF: 3, frames: 40, validProb: 0.8, readyProb: 0.5, seed: 63 },
  { name: 'PE9 NF1 CLASSES5 IDX_W4 (padding)', PE: 9, NF: 1, CLASSES: 5, SCORE_W: 3, IDX_W: 4, OBUF: 2, frames: 60, validProb: 0.8, readyProb: 0.6, seed: 64 },
  { name: 'PE3 NF6 CLASSES16 obuf1', PE: 3, NF: 6, CLASSES: 16, SCORE_W: 7, OBUF: 1, frames: 30, validProb: 0.7, readyProb: 0.7, seed: 65 },
  { name: 'rank PE3 NF4 binary scores SHIFT1', PE: 3, NF: 4, CLASSES: 12, SCORE_W: 5, rank: { RANK_W: 3, NVALS: 16, SCORE_MIN: -15, SHIFT: 1 }, OBUF: 2, frames: 40, validProb: 0.7, readyProb: 0.5, seed: 66 },
  { name: 'rank PE5 NF1 SHIFT0', PE: 5, NF: 1, CLASSES: 5, SCORE_W: 4, rank: { RANK_W: 2, NVALS: 8, SCORE_MIN: -3, SHIFT: 0 }, OBUF: 4, frames: 60, validProb: 0.8, readyProb: 0.6, seed: 67 },
  { name: 'rank PE2 NF5 CLASSES9 (padding)', PE: 2, NF: 5, CLASSES: 9, SCORE_W: 6, rank: { RANK_W: 4, NVALS: 13, SCORE_MIN: -12, SHIFT: 1 }, OBUF: 1, frames: 30, validProb: 0.6, readyProb: 0.6, seed: 68 },
];

const has = requireTools('iverilog', 'vvp');

describe.skipIf(!has)('bnn_argmax co-simulation (Icarus)', () => {
  for (const c of RANDOM_CFGS) {
    it(`matches the first-maximum model: ${c.name}`, async () => {
      const { res, expected, dir } = await run(c);
      expect(res.timeout, `timeout, dir ${dir}`).toBe(false);
      expect(new Set(expected).size).toBeGreaterThan(1);
      expect(describeDiff(res.beats, expected), `dir ${dir}`).toBe('');
      expect(res.tbMismatches).toBe(0);
      expect(res.latency).toBe(c.rank ? 3 : 2);
      await removeDir(dir);
    });
  }

  const rateCfgs: Cfg[] = [
    { name: 'NF1 scores', PE: 4, NF: 1, CLASSES: 4, SCORE_W: 6, OBUF: 3, frames: 20, validProb: 1, readyProb: 1, seed: 71 },
    { name: 'NF3 rank', PE: 2, NF: 3, CLASSES: 6, SCORE_W: 5, rank: { RANK_W: 3, NVALS: 9, SCORE_MIN: -8, SHIFT: 1 }, OBUF: 2, frames: 20, validProb: 1, readyProb: 1, seed: 72 },
  ];
  for (const c of rateCfgs) {
    it(`runs at one beat per cycle with LATENCY = 2 + RANK: ${c.name}`, async () => {
      const lat = c.rank ? 3 : 2;
      const { res, expected, dir } = await run({ ...c, OBUF: Math.floor(lat / c.NF) + 1 });
      expect(describeDiff(res.beats, expected), `dir ${dir}`).toBe('');
      expect(res.outCycles).toEqual(expected.map((_, f) => res.firstIn + f * c.NF + c.NF - 1 + lat));
      await removeDir(dir);
    });
  }
});

libraryChecks('bnn_argmax', {
  lint: [
    {},
    { PE: 1, NF: 10, CLASSES: 10, IDX_W: 4, OBUF_DEPTH: 1 },
    { PE: 10, NF: 1, CLASSES: 10, IDX_W: 4 },
    { PE: 4, NF: 3, CLASSES: 10, IDX_W: 4, SCORE_W: 5 },
    { PE: 9, NF: 1, CLASSES: 5, IDX_W: 3, SCORE_W: 3 },
    { PE: 3, NF: 4, CLASSES: 12, IDX_W: 4, RANK: 1, RANK_W: 5, NVALS: 17, SCORE_MIN: -16, SHIFT: 1, SCORE_W: 6 },
    { PE: 1, NF: 1, CLASSES: 1, IDX_W: 1, RANK: 1, NVALS: 1 },
  ],
  paramErrors: [
    { bad: { PE: 2, NF: 5, CLASSES: 11, IDX_W: 4 }, good: { PE: 2, NF: 5, CLASSES: 10, IDX_W: 4 }, error: 'bnn_param_error_argmax_CLASSES_not_in_the_last_beat' },
    { bad: { PE: 4, NF: 5, CLASSES: 20, IDX_W: 4 }, good: { PE: 4, NF: 5, CLASSES: 20, IDX_W: 5 }, error: 'bnn_param_error_argmax_IDX_W_below_clog2_CLASSES' },
  ],
  synth: [
    { params: { PE: 4, NF: 3, CLASSES: 10, SCORE_W: 6, IDX_W: 4, OBUF_DEPTH: 2 } },
    { params: { PE: 2, NF: 5, CLASSES: 10, SCORE_W: 6, IDX_W: 4, RANK: 1, RANK_W: 4, NVALS: 16, SCORE_MIN: -15, SHIFT: 1 } },
  ],
});
