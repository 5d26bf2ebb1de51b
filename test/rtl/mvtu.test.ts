/**
 * bnn_mvtu unit co-simulation: seeded random weights / thresholds / inputs, random tvalid gaps and
 * tready backpressure, compared against an independent XNOR-popcount model; plus exact
 * latency / throughput checks without stalls.
 */
import { describe, expect, it } from 'vitest';
import { Prng } from '../helpers/prng.js';
import {
  clog2,
  describeDiff,
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
import { libraryChecks } from '../helpers/lib-checks.js';

interface MvtuCfg {
  name: string;
  MW: number;
  MH: number;
  PE: number;
  SIMD: number;
  POP: number;
  SCORES: 0 | 1;
  ACC_W: number;
  TW?: number;
  OBUF: number;
  vectors: number;
  validProb: number;
  readyProb: number;
  seed: number;
}

interface MvtuData {
  weights: number[][]; // [neuron][input] bits
  thresholds: number[];
  inputs: number[][]; // [vector][input] bits
}

function genData(c: MvtuCfg, prng: Prng): MvtuData {
  const weights = Array.from({ length: c.MH }, () => Array.from({ length: c.MW }, () => prng.int(0, 1)));
  const thresholds = Array.from({ length: c.MH }, () =>
    prng.bool(0.3) ? prng.int(0, c.MW + 1) : Math.max(0, Math.min(c.MW + 1, Math.round(c.MW / 2) + prng.int(-3, 3))),
  );
  const inputs = Array.from({ length: c.vectors }, () => Array.from({ length: c.MW }, () => prng.int(0, 1)));
  return { weights, thresholds, inputs };
}

/** Independent functional model: NF beats per vector, lane k of beat nf = neuron nf*PE+k. */
function model(c: MvtuCfg, d: MvtuData): bigint[] {
  const NF = c.MH / c.PE;
  const out: bigint[] = [];
  for (const x of d.inputs) {
    for (let nf = 0; nf < NF; nf++) {
      const lanes: bigint[] = [];
      for (let k = 0; k < c.PE; k++) {
        const n = nf * c.PE + k;
        let p = 0;
        for (let i = 0; i < c.MW; i++) if (x[i] === d.weights[n]![i]) p++;
        lanes.push(c.SCORES ? BigInt(2 * p - c.MW) : p >= d.thresholds[n]! ? 1n : 0n);
      }
      out.push(packLanes(lanes, c.SCORES ? c.ACC_W : 1));
    }
  }
  return out;
}

function inputBeats(c: MvtuCfg, d: MvtuData): bigint[] {
  const SF = c.MW / c.SIMD;
  const beats: bigint[] = [];
  for (const x of d.inputs)
    for (let sf = 0; sf < SF; sf++) beats.push(packLanes(x.slice(sf * c.SIMD, (sf + 1) * c.SIMD), 1));
  return beats;
}

function tw(c: MvtuCfg): number {
  return c.TW ?? clog2(c.MW + 2);
}

/** DUT + external ROMs, one weight ROM per PE (as the generated wrapper does). */
function dutText(c: MvtuCfg): string {
  const SF = c.MW / c.SIMD;
  const NF = c.MH / c.PE;
  const TW = tw(c);
  const waw = Math.max(1, clog2(NF * SF));
  const nfw = Math.max(1, clog2(NF));
  return `
    wire w_en;
    wire [${waw - 1}:0] w_addr;
    wire [${c.PE * c.SIMD - 1}:0] w_data;
    wire t_en;
    wire [${nfw - 1}:0] t_addr;
    wire [${c.PE * TW - 1}:0] t_data;
${Array.from(
  { length: c.PE },
  (_, k) => `    bnn_rom #(.WIDTH(${c.SIMD}), .DEPTH(${NF * SF}), .FILE("w${k}.hex")) u_w${k} (
        .clk(clk), .en(w_en), .addr(w_addr), .q(w_data[${k * c.SIMD} +: ${c.SIMD}]));`,
).join('\n')}
    bnn_rom #(.WIDTH(${c.PE * TW}), .DEPTH(${NF}), .FILE("t.hex")) u_t (
        .clk(clk), .en(t_en), .addr(t_addr), .q(t_data));
    bnn_mvtu #(
        .MW(${c.MW}), .MH(${c.MH}), .PE(${c.PE}), .SIMD(${c.SIMD}), .POP_STAGES(${c.POP}),
        .SCORES(${c.SCORES}), .ACC_W(${c.ACC_W}), .TW(${TW}), .OBUF_DEPTH(${c.OBUF})
        ${structureParamList('bnn_mvtu', { MW: c.MW, MH: c.MH, PE: c.PE, SIMD: c.SIMD, POP_STAGES: c.POP })}
    ) dut (
        .clk(clk), .rst_n(rst_n),
        .s_axis_tdata(s_tdata), .s_axis_tvalid(s_tvalid), .s_axis_tready(s_tready),
        .m_axis_tdata(m_tdata), .m_axis_tvalid(m_tvalid), .m_axis_tready(m_tready),
        .w_en(w_en), .w_addr(w_addr), .w_data(w_data),
        .t_en(t_en), .t_addr(t_addr), .t_data(t_data));`;
}

function romFiles(c: MvtuCfg, d: MvtuData): Record<string, string> {
  const SF = c.MW / c.SIMD;
  const NF = c.MH / c.PE;
  const TW = tw(c);
  const files: Record<string, string> = {};
  for (let k = 0; k < c.PE; k++) {
    const words: bigint[] = [];
    for (let nf = 0; nf < NF; nf++)
      for (let sf = 0; sf < SF; sf++)
        words.push(packLanes(d.weights[nf * c.PE + k]!.slice(sf * c.SIMD, (sf + 1) * c.SIMD), 1));
    files[`w${k}.hex`] = hexFile(words, c.SIMD);
  }
  const tw_: bigint[] = [];
  for (let nf = 0; nf < NF; nf++)
    tw_.push(packLanes(d.thresholds.slice(nf * c.PE, (nf + 1) * c.PE).map((t) => toUnsigned(t, TW)), TW));
  files['t.hex'] = hexFile(tw_, c.PE * TW);
  return files;
}

async function runMvtu(c: MvtuCfg) {
  const prng = new Prng(c.seed);
  const d = genData(c, prng);
  const expected = model(c, d);
  const inBeats = inputBeats(c, d);
  const dir = await makeTmpDir('mvtu');
  const NF = c.MH / c.PE;
  const SF = c.MW / c.SIMD;
  const steps = c.vectors * NF * SF;
  const res = await runStreamTb({
    dir,
    inW: c.SIMD,
    outW: c.SCORES ? c.PE * c.ACC_W : c.PE,
    inBeats,
    expected,
    dut: dutText(c),
    files: romFiles(c, d),
    libModules: withDeps('bnn_mvtu', 'bnn_rom'),
    seed: c.seed ^ 0x5eed,
    validProb: c.validProb,
    readyProb: c.readyProb,
    maxCycles: Math.ceil((steps * 8) / Math.min(c.validProb, c.readyProb)) + 200,
    latencyParam: 'dut.LATENCY',
  });
  return { res, expected, dir };
}

const RANDOM_CFGS: MvtuCfg[] = [
  { name: 'PE1 SIMD1 NF3 SF4 pop0 obuf1', MW: 4, MH: 3, PE: 1, SIMD: 1, POP: 0, SCORES: 0, ACC_W: 4, OBUF: 1, vectors: 12, validProb: 0.6, readyProb: 0.5, seed: 11 },
  { name: 'PE2 SIMD3 NF2 SF3 pop1 obuf2', MW: 9, MH: 4, PE: 2, SIMD: 3, POP: 1, SCORES: 0, ACC_W: 6, OBUF: 2, vectors: 16, validProb: 0.7, readyProb: 0.4, seed: 12 },
  { name: 'PE4 SIMD49 NF2 SF2 pop2 obuf4 TW9', MW: 98, MH: 8, PE: 4, SIMD: 49, POP: 2, SCORES: 0, ACC_W: 9, TW: 9, OBUF: 4, vectors: 16, validProb: 0.8, readyProb: 0.6, seed: 13 },
  { name: 'NF=SF=1 PE5 SIMD7 pop3 obuf1', MW: 7, MH: 5, PE: 5, SIMD: 7, POP: 3, SCORES: 0, ACC_W: 5, OBUF: 1, vectors: 24, validProb: 0.9, readyProb: 0.7, seed: 14 },
  { name: 'NF=SF=1 PE3 SIMD1 pop2 obuf2 TW2', MW: 1, MH: 3, PE: 3, SIMD: 1, POP: 2, SCORES: 0, ACC_W: 3, OBUF: 2, vectors: 24, validProb: 0.5, readyProb: 0.5, seed: 25 },
  { name: 'scores PE3 SIMD16 NF2 SF2 pop1 obuf8', MW: 32, MH: 6, PE: 3, SIMD: 16, POP: 1, SCORES: 1, ACC_W: 8, OBUF: 8, vectors: 16, validProb: 0.7, readyProb: 0.5, seed: 16 },
  { name: 'scores NF=SF=1 PE10 SIMD13 pop0 obuf3 ACC_W5', MW: 13, MH: 10, PE: 10, SIMD: 13, POP: 0, SCORES: 1, ACC_W: 5, OBUF: 3, vectors: 20, validProb: 0.8, readyProb: 0.6, seed: 17 },
  { name: 'PE8 SIMD64 NF4 SF4 pop3 obuf16', MW: 256, MH: 32, PE: 8, SIMD: 64, POP: 3, SCORES: 0, ACC_W: 10, OBUF: 16, vectors: 6, validProb: 0.9, readyProb: 0.8, seed: 18 },
  { name: 'PE1 SIMD6 NF7 SF1 pop1 obuf1', MW: 6, MH: 7, PE: 1, SIMD: 6, POP: 1, SCORES: 0, ACC_W: 4, OBUF: 1, vectors: 10, validProb: 0.6, readyProb: 0.6, seed: 19 },
];

// No gaps, no backpressure, OBUF_DEPTH = floor(LATENCY/SF) + 1: exactly one step per cycle.
const RATE_CFGS: MvtuCfg[] = [
  { name: 'rate NF3 SF4 pop1', MW: 12, MH: 6, PE: 2, SIMD: 3, POP: 1, SCORES: 0, ACC_W: 5, OBUF: 2, vectors: 6, validProb: 1, readyProb: 1, seed: 21 },
  { name: 'rate NF=SF=1 pop2', MW: 5, MH: 4, PE: 4, SIMD: 5, POP: 2, SCORES: 0, ACC_W: 4, OBUF: 6, vectors: 12, validProb: 1, readyProb: 1, seed: 22 },
  { name: 'rate NF2 SF1 pop0', MW: 8, MH: 4, PE: 2, SIMD: 8, POP: 0, SCORES: 0, ACC_W: 5, OBUF: 4, vectors: 10, validProb: 1, readyProb: 1, seed: 23 },
  { name: 'rate NF1 SF3 pop3 scores', MW: 24, MH: 3, PE: 3, SIMD: 8, POP: 3, SCORES: 1, ACC_W: 7, OBUF: 3, vectors: 8, validProb: 1, readyProb: 1, seed: 24 },
];

const has = requireTools('iverilog', 'vvp');

describe.skipIf(!has)('bnn_mvtu co-simulation (Icarus)', () => {
  for (const c of RANDOM_CFGS) {
    it(`matches the XNOR-popcount model: ${c.name}`, async () => {
      const { res, expected, dir } = await runMvtu(c);
      expect(res.timeout, `timeout, dir ${dir}`).toBe(false);
      expect(res.latency).toBe(3 + c.POP);
      expect(new Set(expected).size).toBeGreaterThan(1); // the stimulus is not trivial
      expect(describeDiff(res.beats, expected), `dir ${dir}`).toBe('');
      expect(res.tbMismatches).toBe(0);
      expect(res.inCount).toBe(c.vectors * (c.MW / c.SIMD));
      await removeDir(dir);
    });
  }

  for (const c of RATE_CFGS) {
    it(`runs at one step per cycle with LATENCY = 3 + POP_STAGES: ${c.name}`, async () => {
      const SF = c.MW / c.SIMD;
      const lat = 3 + c.POP;
      const tight = { ...c, OBUF: Math.floor(lat / SF) + 1 };
      const { res, expected, dir } = await runMvtu(tight);
      expect(describeDiff(res.beats, expected), `dir ${dir}`).toBe('');
      expect(res.latency).toBe(lat);
      // output beat j completes with the step fired in cycle firstIn + j*SF + SF-1
      const want = expected.map((_, j) => res.firstIn + j * SF + SF - 1 + lat);
      expect(res.outCycles).toEqual(want);
      await removeDir(dir);
    });
  }

  it('loses throughput with one output FIFO entry less than floor(LATENCY/SF)+1', async () => {
    const c = RATE_CFGS[1]!; // SF = 1, LATENCY = 5 -> needs 6 entries
    const { res, expected, dir } = await runMvtu({ ...c, OBUF: 3 });
    expect(describeDiff(res.beats, expected), `dir ${dir}`).toBe('');
    const last = res.outCycles[res.outCycles.length - 1]!;
    const ideal = res.firstIn + (expected.length - 1) + 3 + c.POP;
    expect(last).toBeGreaterThan(ideal);
    await removeDir(dir);
  });
});

libraryChecks('bnn_mvtu', {
  lint: [
    {},
    { MW: 4, MH: 3, PE: 1, SIMD: 1, POP_STAGES: 0, OBUF_DEPTH: 1 },
    { MW: 9, MH: 4, PE: 2, SIMD: 3, POP_STAGES: 1, OBUF_DEPTH: 2 },
    { MW: 98, MH: 8, PE: 4, SIMD: 49, POP_STAGES: 2, TW: 9, OBUF_DEPTH: 4 },
    { MW: 7, MH: 5, PE: 5, SIMD: 7, POP_STAGES: 3, TW: 3, OBUF_DEPTH: 1 },
    { MW: 32, MH: 6, PE: 3, SIMD: 16, SCORES: 1, ACC_W: 8, POP_STAGES: 1, OBUF_DEPTH: 8 },
    { MW: 13, MH: 10, PE: 10, SIMD: 13, SCORES: 1, ACC_W: 5, POP_STAGES: 0, OBUF_DEPTH: 3 },
    { MW: 36, MH: 16, PE: 8, SIMD: 4, POP_STAGES: 1, TW: 7, OBUF_DEPTH: 1, MASKED: 1 },
    { MW: 7, MH: 5, PE: 5, SIMD: 7, POP_STAGES: 0, TW: 2, OBUF_DEPTH: 1, MASKED: 1 },
    { MW: 1, MH: 2, PE: 1, SIMD: 1, POP_STAGES: 2, TW: 3, OBUF_DEPTH: 2, MASKED: 1 },
    { MW: 54, MH: 6, PE: 3, SIMD: 18, SCORES: 1, ACC_W: 8, POP_STAGES: 1, OBUF_DEPTH: 2, MASKED: 1 },
    { MW: 9, MH: 4, PE: 2, SIMD: 3, POP_STAGES: 1, TW: 4, NTHR: 3, OUT_BITS: 2, OBUF_DEPTH: 2 },
    { MW: 36, MH: 16, PE: 8, SIMD: 4, POP_STAGES: 1, TW: 7, NTHR: 7, OUT_BITS: 3, OUT_MIN: -4, OBUF_DEPTH: 1, MASKED: 1 },
  ],
  paramErrors: [
    { bad: { MW: 9, MH: 4, PE: 2, SIMD: 4 }, good: { MW: 12, MH: 4, PE: 2, SIMD: 4 }, error: 'bnn_param_error_mvtu_SIMD_does_not_divide_MW' },
    { bad: { MW: 8, MH: 5, PE: 2, SIMD: 4 }, good: { MW: 8, MH: 6, PE: 2, SIMD: 4 }, error: 'bnn_param_error_mvtu_PE_does_not_divide_MH' },
    { bad: { MW: 16, MH: 4, PE: 2, SIMD: 8, SCORES: 1, ACC_W: 5 }, good: { MW: 16, MH: 4, PE: 2, SIMD: 8, SCORES: 1, ACC_W: 6 }, error: 'bnn_param_error_mvtu_ACC_W_below_clog2_MW_plus_1_plus_1' },
    // no structure parameters: the defaults describe SIMD 4, not 64
    { bad: { MW: 128, MH: 4, PE: 2, SIMD: 64, POP_FA: 1, POP_LEVELS: 0 }, good: { MW: 128, MH: 4, PE: 2, SIMD: 64 }, error: 'bnn_param_error_popcount_', raw: true },
    { bad: { NTHR: 256, OUT_BITS: 8 }, good: { NTHR: 255, OUT_BITS: 8 }, error: 'bnn_param_error_mvtu_NTHR_not_1_to_255' },
  ],
  synth: [
    { params: { MW: 24, MH: 6, PE: 3, SIMD: 12, POP_STAGES: 2, TW: 5, OBUF_DEPTH: 3 }, coneControl: 'w_en' },
    { params: { MW: 13, MH: 4, PE: 4, SIMD: 13, POP_STAGES: 0, SCORES: 1, ACC_W: 6, OBUF_DEPTH: 1 }, coneControl: 'w_en' },
    { params: { MW: 36, MH: 8, PE: 4, SIMD: 9, POP_STAGES: 1, TW: 7, OBUF_DEPTH: 1, MASKED: 1 }, coneControl: 'w_en' },
    { params: { MW: 12, MH: 3, PE: 3, SIMD: 12, POP_STAGES: 0, SCORES: 1, ACC_W: 6, OBUF_DEPTH: 2, MASKED: 1 }, coneControl: 'w_en' },
  ],
});
