/**
 * bnn_mvu_int unit co-simulation: integer inputs (signed / unsigned), binary weights, signed
 * thresholds, multi-threshold k-bit codes (NTHR sorted thresholds per neuron, OUT_MIN + count) or scores; seeded stimuli, tvalid gaps and backpressure; compared against an
 * independent sum-of-(w ? x : -x) model; exact latency / throughput checks without stalls.
 */
import { describe, expect, it } from 'vitest';
import { Prng } from '../helpers/prng.js';
import {
  clog2,
  describeDiff,
  fromUnsigned,
  hexFile,
  makeTmpDir,
  packLanes,
  removeDir,
  runStreamTb,
  toUnsigned,
  structureParamList,
  withDeps,
} from '../helpers/rtlsim.js';
import { requireTools } from '../helpers/tools.js';
import { xnorOffsetParam } from '../../src/blocks/mvu-int-datapath.js';
import { libraryChecks } from '../helpers/lib-checks.js';

interface Cfg {
  name: string;
  MW: number;
  MH: number;
  PE: number;
  SIMD: number;
  IN_W: number;
  SIGNED: 0 | 1;
  POP: number;
  SCORES: 0 | 1;
  ACC_W: number;
  TW: number;
  OBUF: number;
  vectors: number;
  validProb: number;
  readyProb: number;
  seed: number;
  /** levels: NTHR thresholds per neuron, OUT_BITS-bit codes from OUT_MIN */
  lv?: { NTHR: number; OUT_BITS: number; OUT_MIN: number };
  /** 0 add/subtract (default), 1 bit-plane */
  DATAPATH?: 0 | 1;
  /** rows of constant weights: neuron j % 3 == 0 all +1, j % 3 == 1 all -1 (the XNOR form's extreme constants) */
  extremeRows?: boolean;
}

interface Data {
  weights: number[][];
  thresholds: number[];
  inputs: number[][];
}

function elemRange(c: Cfg): [number, number] {
  return c.SIGNED ? [-(2 ** (c.IN_W - 1)), 2 ** (c.IN_W - 1) - 1] : [0, 2 ** c.IN_W - 1];
}

function wrap(v: number, w: number): number {
  return Number(fromUnsigned(toUnsigned(v, w), w, true));
}

function dot(c: Cfg, w: number[], x: number[]): number {
  let s = 0;
  for (let i = 0; i < c.MW; i++) s += w[i] ? x[i]! : -x[i]!;
  return wrap(s, c.ACC_W);
}

function genData(c: Cfg, prng: Prng): Data {
  const [lo, hi] = elemRange(c);
  const elem = () => (prng.bool(0.1) ? prng.pick([lo, hi, 0]) : prng.int(lo, hi));
  const weights = Array.from({ length: c.MH }, (_, j) => Array.from({ length: c.MW }, () => (c.extremeRows && j % 3 < 2 ? 1 - (j % 3) : prng.int(0, 1))));
  const inputs = Array.from({ length: c.vectors }, () => Array.from({ length: c.MW }, elem));
  const tlo = -(2 ** (c.TW - 1));
  const thi = 2 ** (c.TW - 1) - 1;
  // thresholds near realised sums, so outputs are mixed and equality cases occur
  const one = (w: number[]) => {
    const x = prng.pick(inputs);
    const t = dot(c, w, x) + prng.int(-2, 2) * (prng.bool(0.3) ? 0 : 1);
    return Math.max(tlo, Math.min(thi, t));
  };
  // levels: NTHR sorted thresholds per neuron (repeats allowed), neuron n's at n*NTHR ..
  const thresholds = c.lv ? weights.flatMap((w) => Array.from({ length: c.lv!.NTHR }, () => one(w)).sort((a, b) => a - b)) : weights.map(one);
  return { weights, thresholds, inputs };
}

function model(c: Cfg, d: Data): bigint[] {
  const NF = c.MH / c.PE;
  const out: bigint[] = [];
  for (const x of d.inputs) {
    for (let nf = 0; nf < NF; nf++) {
      const lanes: bigint[] = [];
      for (let k = 0; k < c.PE; k++) {
        const n = nf * c.PE + k;
        const acc = dot(c, d.weights[n]!, x);
        if (c.lv) {
          const t = d.thresholds.slice(n * c.lv.NTHR, (n + 1) * c.lv.NTHR);
          lanes.push(BigInt(c.lv.OUT_MIN + t.filter((v) => acc >= v).length));
        } else lanes.push(c.SCORES ? BigInt(acc) : acc >= d.thresholds[n]! ? 1n : 0n);
      }
      out.push(packLanes(lanes, c.SCORES ? c.ACC_W : c.lv ? c.lv.OUT_BITS : 1));
    }
  }
  return out;
}

async function run(c: Cfg) {
  const prng = new Prng(c.seed);
  const d = genData(c, prng);
  const expected = model(c, d);
  const SF = c.MW / c.SIMD;
  const NF = c.MH / c.PE;
  const inBeats: bigint[] = [];
  for (const x of d.inputs)
    for (let sf = 0; sf < SF; sf++) inBeats.push(packLanes(x.slice(sf * c.SIMD, (sf + 1) * c.SIMD), c.IN_W));
  const files: Record<string, string> = {};
  for (let k = 0; k < c.PE; k++) {
    const words: bigint[] = [];
    for (let nf = 0; nf < NF; nf++)
      for (let sf = 0; sf < SF; sf++)
        words.push(packLanes(d.weights[nf * c.PE + k]!.slice(sf * c.SIMD, (sf + 1) * c.SIMD), 1));
    files[`w${k}.hex`] = hexFile(words, c.SIMD);
  }
  const tw: bigint[] = [];
  const nt = c.lv ? c.lv.NTHR : 1;
  for (let nf = 0; nf < NF; nf++) tw.push(packLanes(d.thresholds.slice(nf * c.PE * nt, (nf + 1) * c.PE * nt), c.TW));
  files['t.hex'] = hexFile(tw, c.PE * nt * c.TW);
  const waw = Math.max(1, clog2(NF * SF));
  const nfw = Math.max(1, clog2(NF));
  const dut = `
    wire w_en;
    wire [${waw - 1}:0] w_addr;
    wire [${c.PE * c.SIMD - 1}:0] w_data;
    wire t_en;
    wire [${nfw - 1}:0] t_addr;
    wire [${c.PE * nt * c.TW - 1}:0] t_data;
${Array.from(
  { length: c.PE },
  (_, k) => `    bnn_rom #(.WIDTH(${c.SIMD}), .DEPTH(${NF * SF}), .FILE("w${k}.hex")) u_w${k} (
        .clk(clk), .en(w_en), .addr(w_addr), .q(w_data[${k * c.SIMD} +: ${c.SIMD}]));`,
).join('\n')}
    bnn_rom #(.WIDTH(${c.PE * nt * c.TW}), .DEPTH(${NF}), .FILE("t.hex")) u_t (
        .clk(clk), .en(t_en), .addr(t_addr), .q(t_data));
    bnn_mvu_int #(
        .MW(${c.MW}), .MH(${c.MH}), .PE(${c.PE}), .SIMD(${c.SIMD}), .IN_W(${c.IN_W}),
        .IN_SIGNED(${c.SIGNED}), .POP_STAGES(${c.POP}), .SCORES(${c.SCORES}), .ACC_W(${c.ACC_W}),
        .TW(${c.TW}), .OBUF_DEPTH(${c.OBUF}), .DATAPATH(${c.DATAPATH ?? 0})${c.lv ? `, .NTHR(${c.lv.NTHR}), .OUT_BITS(${c.lv.OUT_BITS}), .OUT_MIN(${c.lv.OUT_MIN})` : ''}
        ${structureParamList('bnn_mvu_int', { MW: c.MW, MH: c.MH, PE: c.PE, SIMD: c.SIMD, IN_W: c.IN_W, POP_STAGES: c.POP, DATAPATH: c.DATAPATH ?? 0 })}${c.DATAPATH ? `, .XC(${xnorOffsetParam(d.weights.flat(), c.MW, c.MH, c.IN_W, c.SIGNED === 1, c.ACC_W).value})` : ''}
    ) dut (
        .clk(clk), .rst_n(rst_n),
        .s_axis_tdata(s_tdata), .s_axis_tvalid(s_tvalid), .s_axis_tready(s_tready),
        .m_axis_tdata(m_tdata), .m_axis_tvalid(m_tvalid), .m_axis_tready(m_tready),
        .w_en(w_en), .w_addr(w_addr), .w_data(w_data),
        .t_en(t_en), .t_addr(t_addr), .t_data(t_data));`;
  const dir = await makeTmpDir('mvu-int');
  const steps = c.vectors * NF * SF;
  const res = await runStreamTb({
    dir,
    inW: c.SIMD * c.IN_W,
    outW: c.SCORES ? c.PE * c.ACC_W : c.PE * (c.lv ? c.lv.OUT_BITS : 1),
    inBeats,
    expected,
    dut,
    files,
    libModules: withDeps('bnn_mvu_int', 'bnn_rom'),
    seed: c.seed ^ 0xabc,
    validProb: c.validProb,
    readyProb: c.readyProb,
    maxCycles: Math.ceil((steps * 8) / Math.min(c.validProb, c.readyProb)) + 200,
    latencyParam: 'dut.LATENCY',
  });
  return { res, expected, dir };
}

const RANDOM_CFGS: Cfg[] = [
  { name: 'PE1 SIMD1 u8 NF2 SF3 pop0 obuf1', MW: 3, MH: 2, PE: 1, SIMD: 1, IN_W: 8, SIGNED: 0, POP: 0, SCORES: 0, ACC_W: 11, TW: 11, OBUF: 1, vectors: 16, validProb: 0.6, readyProb: 0.5, seed: 31 },
  { name: 'PE2 SIMD3 s4 NF3 SF2 pop1 obuf2 TW8', MW: 6, MH: 6, PE: 2, SIMD: 3, IN_W: 4, SIGNED: 1, POP: 1, SCORES: 0, ACC_W: 8, TW: 6, OBUF: 2, vectors: 16, validProb: 0.7, readyProb: 0.5, seed: 32 },
  { name: 'PE4 SIMD49 u8 NF2 SF2 pop2 obuf4', MW: 98, MH: 8, PE: 4, SIMD: 49, IN_W: 8, SIGNED: 0, POP: 2, SCORES: 0, ACC_W: 16, TW: 16, OBUF: 4, vectors: 10, validProb: 0.8, readyProb: 0.6, seed: 33 },
  { name: 'scores NF=SF=1 PE3 SIMD5 s6 pop3 obuf1', MW: 5, MH: 3, PE: 3, SIMD: 5, IN_W: 6, SIGNED: 1, POP: 3, SCORES: 1, ACC_W: 10, TW: 10, OBUF: 1, vectors: 24, validProb: 0.9, readyProb: 0.6, seed: 34 },
  { name: 'scores wrap ACC_W6 PE2 SIMD4 u5 NF2 SF2 pop1', MW: 8, MH: 4, PE: 2, SIMD: 4, IN_W: 5, SIGNED: 0, POP: 1, SCORES: 1, ACC_W: 6, TW: 6, OBUF: 5, vectors: 20, validProb: 0.7, readyProb: 0.7, seed: 35 },
  { name: 'NF=SF=1 PE4 SIMD7 s1 pop2 obuf2 TW3', MW: 7, MH: 4, PE: 4, SIMD: 7, IN_W: 1, SIGNED: 1, POP: 2, SCORES: 0, ACC_W: 5, TW: 3, OBUF: 2, vectors: 20, validProb: 0.8, readyProb: 0.5, seed: 36 },
  { name: 'PE1 SIMD2 u3 NF5 SF3 pop0 obuf3 TW12', MW: 6, MH: 5, PE: 1, SIMD: 2, IN_W: 3, SIGNED: 0, POP: 0, SCORES: 0, ACC_W: 7, TW: 12, OBUF: 3, vectors: 12, validProb: 0.5, readyProb: 0.8, seed: 37 },
  { name: 'levels 2-bit signed (NTHR 3, OUT_MIN -2) PE2 SIMD3 s2 NF3 SF2 pop1', MW: 6, MH: 6, PE: 2, SIMD: 3, IN_W: 2, SIGNED: 1, POP: 1, SCORES: 0, ACC_W: 5, TW: 5, OBUF: 2, vectors: 16, validProb: 0.7, readyProb: 0.5, seed: 38, lv: { NTHR: 3, OUT_BITS: 2, OUT_MIN: -2 } },
  { name: 'levels 3-bit unsigned (NTHR 7) PE4 SIMD4 u3 NF1 SF2 pop0', MW: 8, MH: 4, PE: 4, SIMD: 4, IN_W: 3, SIGNED: 0, POP: 0, SCORES: 0, ACC_W: 8, TW: 8, OBUF: 1, vectors: 16, validProb: 0.8, readyProb: 0.6, seed: 39, lv: { NTHR: 7, OUT_BITS: 3, OUT_MIN: 0 } },
  { name: 'levels 4-bit narrow signed (NTHR 14, OUT_MIN -7) PE1 SIMD5 s4 NF3 SF1 pop0', MW: 5, MH: 3, PE: 1, SIMD: 5, IN_W: 4, SIGNED: 1, POP: 0, SCORES: 0, ACC_W: 8, TW: 8, OBUF: 2, vectors: 16, validProb: 0.6, readyProb: 0.7, seed: 40, lv: { NTHR: 14, OUT_BITS: 4, OUT_MIN: -7 } },
];

/** The bit-plane datapath (DATAPATH = 1): every add/subtract case again, and k = 2..8 signed / unsigned. */
const BITPLANE_CFGS: Cfg[] = [
  ...RANDOM_CFGS.map((c) => ({ ...c, name: `bit-plane ${c.name}`, DATAPATH: 1 as const, seed: c.seed + 100 })),
  { name: 'bit-plane PE3 SIMD32 s2 NF2 SF2 pop1', MW: 64, MH: 6, PE: 3, SIMD: 32, IN_W: 2, SIGNED: 1, POP: 1, SCORES: 1, ACC_W: 9, TW: 9, OBUF: 2, vectors: 8, validProb: 0.7, readyProb: 0.6, seed: 151, DATAPATH: 1 },
  { name: 'bit-plane PE2 SIMD32 u2 NF1 SF1 pop1 (constant weights)', MW: 32, MH: 2, PE: 2, SIMD: 32, IN_W: 2, SIGNED: 0, POP: 1, SCORES: 1, ACC_W: 8, TW: 8, OBUF: 2, vectors: 12, validProb: 0.8, readyProb: 0.6, seed: 152, DATAPATH: 1 },
  { name: 'bit-plane PE4 SIMD12 s3 NF2 SF2 pop0', MW: 24, MH: 8, PE: 4, SIMD: 12, IN_W: 3, SIGNED: 1, POP: 0, SCORES: 0, ACC_W: 8, TW: 8, OBUF: 2, vectors: 10, validProb: 0.7, readyProb: 0.5, seed: 153, DATAPATH: 1 },
  { name: 'bit-plane PE2 SIMD20 u4 NF3 SF2 pop2', MW: 40, MH: 6, PE: 2, SIMD: 20, IN_W: 4, SIGNED: 0, POP: 2, SCORES: 1, ACC_W: 11, TW: 11, OBUF: 3, vectors: 8, validProb: 0.8, readyProb: 0.5, seed: 154, DATAPATH: 1 },
  { name: 'bit-plane PE1 SIMD16 s5 NF2 SF3 pop1', MW: 48, MH: 2, PE: 1, SIMD: 16, IN_W: 5, SIGNED: 1, POP: 1, SCORES: 0, ACC_W: 11, TW: 11, OBUF: 2, vectors: 8, validProb: 0.6, readyProb: 0.7, seed: 155, DATAPATH: 1 },
  { name: 'bit-plane PE2 SIMD9 u6 NF2 SF2 pop3', MW: 18, MH: 4, PE: 2, SIMD: 9, IN_W: 6, SIGNED: 0, POP: 3, SCORES: 1, ACC_W: 12, TW: 12, OBUF: 4, vectors: 10, validProb: 0.8, readyProb: 0.6, seed: 156, DATAPATH: 1 },
  { name: 'bit-plane PE2 SIMD10 s7 NF2 SF1 pop1', MW: 10, MH: 4, PE: 2, SIMD: 10, IN_W: 7, SIGNED: 1, POP: 1, SCORES: 1, ACC_W: 11, TW: 11, OBUF: 2, vectors: 12, validProb: 0.7, readyProb: 0.6, seed: 157, DATAPATH: 1 },
  { name: 'bit-plane PE3 SIMD64 s8 NF1 SF2 pop2', MW: 128, MH: 3, PE: 3, SIMD: 64, IN_W: 8, SIGNED: 1, POP: 2, SCORES: 1, ACC_W: 16, TW: 16, OBUF: 2, vectors: 6, validProb: 0.8, readyProb: 0.6, seed: 158, DATAPATH: 1 },
  { name: 'bit-plane PE2 SIMD8 u8 wrap ACC_W9 NF2 SF2 pop1', MW: 16, MH: 4, PE: 2, SIMD: 8, IN_W: 8, SIGNED: 0, POP: 1, SCORES: 1, ACC_W: 9, TW: 9, OBUF: 2, vectors: 10, validProb: 0.7, readyProb: 0.7, seed: 159, DATAPATH: 1 },
  // the per-neuron constant of the XNOR form: rows all +1 / all -1 / mixed, on every PE and fold
  { name: 'bit-plane constant rows scores PE3 SIMD8 u4 NF3 SF3 pop1', MW: 24, MH: 9, PE: 3, SIMD: 8, IN_W: 4, SIGNED: 0, POP: 1, SCORES: 1, ACC_W: 10, TW: 10, OBUF: 2, vectors: 8, validProb: 0.7, readyProb: 0.6, seed: 160, DATAPATH: 1, extremeRows: true },
  { name: 'bit-plane constant rows scores PE2 SIMD6 s3 NF3 SF2 pop0', MW: 12, MH: 6, PE: 2, SIMD: 6, IN_W: 3, SIGNED: 1, POP: 0, SCORES: 1, ACC_W: 7, TW: 7, OBUF: 2, vectors: 10, validProb: 0.8, readyProb: 0.6, seed: 161, DATAPATH: 1, extremeRows: true },
  { name: 'bit-plane constant rows thresholds PE1 SIMD4 s2 NF5 SF2 pop1', MW: 8, MH: 5, PE: 1, SIMD: 4, IN_W: 2, SIGNED: 1, POP: 1, SCORES: 0, ACC_W: 6, TW: 6, OBUF: 2, vectors: 12, validProb: 0.7, readyProb: 0.7, seed: 162, DATAPATH: 1, extremeRows: true },
  { name: 'bit-plane constant rows levels PE3 SIMD5 u2 NF2 SF2 pop2', MW: 10, MH: 6, PE: 3, SIMD: 5, IN_W: 2, SIGNED: 0, POP: 2, SCORES: 0, ACC_W: 7, TW: 7, OBUF: 2, vectors: 12, validProb: 0.8, readyProb: 0.6, seed: 163, DATAPATH: 1, extremeRows: true, lv: { NTHR: 3, OUT_BITS: 2, OUT_MIN: 0 } },
  { name: 'bit-plane constant rows scores wrap ACC_W5 PE2 SIMD4 u4 NF2 SF2 pop1', MW: 8, MH: 4, PE: 2, SIMD: 4, IN_W: 4, SIGNED: 0, POP: 1, SCORES: 1, ACC_W: 5, TW: 5, OBUF: 2, vectors: 12, validProb: 0.7, readyProb: 0.7, seed: 164, DATAPATH: 1, extremeRows: true },
];

const RATE_CFGS: Cfg[] = [
  { name: 'rate NF2 SF3 pop1', MW: 9, MH: 4, PE: 2, SIMD: 3, IN_W: 4, SIGNED: 1, POP: 1, SCORES: 0, ACC_W: 8, TW: 8, OBUF: 1, vectors: 8, validProb: 1, readyProb: 1, seed: 41 },
  { name: 'rate NF=SF=1 pop3 scores', MW: 4, MH: 2, PE: 2, SIMD: 4, IN_W: 8, SIGNED: 0, POP: 3, SCORES: 1, ACC_W: 12, TW: 12, OBUF: 1, vectors: 12, validProb: 1, readyProb: 1, seed: 42 },
];

const has = requireTools('iverilog', 'vvp');

describe.skipIf(!has)('bnn_mvu_int co-simulation (Icarus)', () => {
  for (const c of RANDOM_CFGS) {
    it(`matches the integer dot-product model: ${c.name}`, async () => {
      const { res, expected, dir } = await run(c);
      expect(res.timeout, `timeout, dir ${dir}`).toBe(false);
      expect(res.latency).toBe(3 + c.POP);
      expect(new Set(expected).size).toBeGreaterThan(1); // the stimulus is not trivial
      expect(describeDiff(res.beats, expected), `dir ${dir}`).toBe('');
      expect(res.tbMismatches).toBe(0);
      await removeDir(dir);
    });
  }

  for (const c of BITPLANE_CFGS) {
    it(`the bit-plane datapath matches the integer dot-product model: ${c.name}`, async () => {
      const { res, expected, dir } = await run(c);
      expect(res.timeout, `timeout, dir ${dir}`).toBe(false);
      expect(res.latency).toBe(3 + c.POP);
      expect(new Set(expected).size).toBeGreaterThan(1);
      expect(describeDiff(res.beats, expected), `dir ${dir}`).toBe('');
      expect(res.tbMismatches).toBe(0);
      await removeDir(dir);
    });
  }

  for (const c of [...RATE_CFGS, ...RATE_CFGS.map((r) => ({ ...r, name: `bit-plane ${r.name}`, DATAPATH: 1 as const }))]) {
    it(`runs at one step per cycle with LATENCY = 3 + POP_STAGES: ${c.name}`, async () => {
      const SF = c.MW / c.SIMD;
      const lat = 3 + c.POP;
      const { res, expected, dir } = await run({ ...c, OBUF: Math.floor(lat / SF) + 1 });
      expect(describeDiff(res.beats, expected), `dir ${dir}`).toBe('');
      expect(res.latency).toBe(lat);
      expect(res.outCycles).toEqual(expected.map((_, j) => res.firstIn + j * SF + SF - 1 + lat));
      await removeDir(dir);
    });
  }
});

libraryChecks('bnn_mvu_int', {
  lint: [
    {},
    { MW: 3, MH: 2, PE: 1, SIMD: 1, IN_W: 8, POP_STAGES: 0, ACC_W: 11, TW: 11, OBUF_DEPTH: 1 },
    { MW: 6, MH: 6, PE: 2, SIMD: 3, IN_W: 4, IN_SIGNED: 1, POP_STAGES: 1, ACC_W: 8, TW: 6 },
    { MW: 98, MH: 8, PE: 4, SIMD: 49, IN_W: 8, POP_STAGES: 2, ACC_W: 16, TW: 16, OBUF_DEPTH: 4 },
    { MW: 5, MH: 3, PE: 3, SIMD: 5, IN_W: 6, IN_SIGNED: 1, POP_STAGES: 3, SCORES: 1, ACC_W: 10 },
    { MW: 6, MH: 6, PE: 2, SIMD: 3, IN_W: 2, IN_SIGNED: 1, POP_STAGES: 1, ACC_W: 5, TW: 5, NTHR: 3, OUT_BITS: 2, OUT_MIN: -2 },
    { MW: 98, MH: 8, PE: 4, SIMD: 49, IN_W: 8, POP_STAGES: 2, ACC_W: 16, TW: 16, NTHR: 255, OUT_BITS: 8, OBUF_DEPTH: 4 },
    { MW: 6, MH: 6, PE: 2, SIMD: 3, IN_W: 4, IN_SIGNED: 1, POP_STAGES: 1, ACC_W: 8, TW: 6, DATAPATH: 1 },
    { MW: 98, MH: 8, PE: 4, SIMD: 49, IN_W: 2, POP_STAGES: 2, ACC_W: 9, TW: 9, OBUF_DEPTH: 4, DATAPATH: 1 },
    { MW: 64, MH: 4, PE: 4, SIMD: 64, IN_W: 8, IN_SIGNED: 1, POP_STAGES: 1, SCORES: 1, ACC_W: 16, DATAPATH: 1 },
    { MW: 3, MH: 2, PE: 1, SIMD: 1, IN_W: 3, POP_STAGES: 0, ACC_W: 5, TW: 5, OBUF_DEPTH: 1, DATAPATH: 1 },
    { MW: 6, MH: 6, PE: 2, SIMD: 3, IN_W: 2, IN_SIGNED: 1, POP_STAGES: 1, ACC_W: 5, TW: 5, NTHR: 3, OUT_BITS: 2, OUT_MIN: -2, DATAPATH: 1 },
  ],
  paramErrors: [
    { bad: { MW: 10, MH: 4, PE: 2, SIMD: 4 }, good: { MW: 12, MH: 4, PE: 2, SIMD: 4 }, error: 'bnn_param_error_mvu_int_SIMD_does_not_divide_MW' },
    { bad: { MW: 8, MH: 3, PE: 2, SIMD: 4 }, good: { MW: 8, MH: 4, PE: 2, SIMD: 4 }, error: 'bnn_param_error_mvu_int_PE_does_not_divide_MH' },
    { bad: { NTHR: 1, OUT_BITS: 2 }, good: { NTHR: 3, OUT_BITS: 2 }, error: 'bnn_param_error_mvu_int_NTHR_1_needs_OUT_BITS_1_OUT_MIN_0' },
    // the bit-plane plan: the defaults describe SIMD 4 PLANES 2, the module checks the plan against its parameters
    { bad: { MW: 64, MH: 4, PE: 2, SIMD: 32, IN_W: 2, DATAPATH: 1, BP_COLS: 7, BP_LEVELS: 0 }, good: { MW: 64, MH: 4, PE: 2, SIMD: 32, IN_W: 2, DATAPATH: 1 }, error: 'bnn_param_error_bitplane_', raw: true },
  ],
  synth: [
    { params: { MW: 9, MH: 4, PE: 2, SIMD: 3, IN_W: 8, IN_SIGNED: 1, POP_STAGES: 1, ACC_W: 14, TW: 14, OBUF_DEPTH: 2 }, coneControl: 'w_en' },
  ],
});
