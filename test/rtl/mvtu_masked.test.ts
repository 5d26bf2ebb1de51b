/**
 * bnn_mvtu with MASKED = 1 (true zero padding): seeded random weights, signed thresholds, input
 * beats with random padding marks, random tvalid gaps / tready backpressure; Icarus output against
 * an independent signed dot-product model and every output handshake cycle against MvuSim (masked).
 *
 * Plus complete convolution layers bnn_swg (PAD_MODE 1) -> [bnn_fifo] -> bnn_mvtu (MASKED 1):
 * values against a direct convolution model, handshake cycles against the chained TypeScript models
 * (SwgSim -> [FifoSim] -> MvuSim), and the rate without stalls: OH*OW*NF*SF cycles per frame.
 */
import { describe, expect, it } from 'vitest';
import { Prng } from '../helpers/prng.js';
import { clog2, describeDiff, hexFile, makeTmpDir, packLanes, removeDir, runStreamTb, toUnsigned, structureParamList, withDeps } from '../helpers/rtlsim.js';
import { requireTools } from '../helpers/tools.js';
import { driveChain } from '../helpers/blockdrive.js';
import { type Beat, type BlockSim, FifoSim } from '../../src/blocks/sim-base.js';
import { MvuSim } from '../../src/blocks/kinds/mvu-common.js';
import type { SwgParams } from '../../src/blocks/types.js';
import { SwgSim, swgGeometry } from '../../src/blocks/kinds/swg-sim.js';
import type { MvtuBlock } from '../../src/blocks/types.js';
import type { IrLinear } from '../../src/ir/types.js';

interface MvCfg {
  MW: number;
  MH: number;
  PE: number;
  SIMD: number;
  POP: number;
  SCORES: 0 | 1;
  ACC_W: number;
  OBUF: number;
}

interface MvData {
  weights: number[][]; // [neuron][input]
  thresholds: number[]; // signed, on d
}

const twOf = (c: MvCfg): number => clog2(c.MW + 2) + 1;

function genWeights(c: MvCfg, prng: Prng): MvData {
  const weights = Array.from({ length: c.MH }, () => Array.from({ length: c.MW }, () => prng.int(0, 1)));
  const thresholds = Array.from({ length: c.MH }, () => (prng.bool(0.3) ? prng.int(-c.MW - 1, c.MW + 1) : prng.int(-4, 4)));
  return { weights, thresholds };
}

/** Independent model of one vector: x bits, pad flag per beat (SF beats). */
function mvModel(c: MvCfg, d: MvData, x: number[], pads: number[]): bigint[] {
  const out: bigint[] = [];
  for (let nf = 0; nf < c.MH / c.PE; nf++) {
    const lanes: bigint[] = [];
    for (let k = 0; k < c.PE; k++) {
      const n = nf * c.PE + k;
      let dot = 0;
      for (let i = 0; i < c.MW; i++) if (!pads[Math.floor(i / c.SIMD)]) dot += x[i] === d.weights[n]![i] ? 1 : -1;
      lanes.push(c.SCORES ? BigInt(dot) : dot >= d.thresholds[n]! ? 1n : 0n);
    }
    out.push(packLanes(lanes, c.SCORES ? c.ACC_W : 1));
  }
  return out;
}

function romText(c: MvCfg): string {
  const SF = c.MW / c.SIMD;
  const NF = c.MH / c.PE;
  const TW = twOf(c);
  const waw = Math.max(1, clog2(NF * SF));
  const nfw = Math.max(1, clog2(NF));
  return `
    wire w_en;
    wire [${waw - 1}:0] w_addr;
    wire [${c.PE * c.SIMD - 1}:0] w_data;
    wire t_en;
    wire [${nfw - 1}:0] t_addr;
    wire [${c.PE * TW - 1}:0] t_data;
    bnn_rom #(.WIDTH(${c.PE * c.SIMD}), .DEPTH(${NF * SF}), .FILE("w.hex")) u_w (
        .clk(clk), .en(w_en), .addr(w_addr), .q(w_data));
    bnn_rom #(.WIDTH(${c.PE * TW}), .DEPTH(${NF}), .FILE("t.hex")) u_t (
        .clk(clk), .en(t_en), .addr(t_addr), .q(t_data));`;
}

function mvtuInst(c: MvCfg, sIn: string): string {
  return `
    bnn_mvtu #(
        .MW(${c.MW}), .MH(${c.MH}), .PE(${c.PE}), .SIMD(${c.SIMD}), .POP_STAGES(${c.POP}),
        .SCORES(${c.SCORES}), .ACC_W(${c.ACC_W}), .TW(${twOf(c)}), .OBUF_DEPTH(${c.OBUF}), .MASKED(1)
        ${structureParamList('bnn_mvtu', { MW: c.MW, MH: c.MH, PE: c.PE, SIMD: c.SIMD, POP_STAGES: c.POP })}
    ) dut (
        .clk(clk), .rst_n(rst_n),
        ${sIn},
        .m_axis_tdata(m_tdata), .m_axis_tvalid(m_tvalid), .m_axis_tready(m_tready),
        .w_en(w_en), .w_addr(w_addr), .w_data(w_data),
        .t_en(t_en), .t_addr(t_addr), .t_data(t_data));`;
}

function romFiles(c: MvCfg, d: MvData): Record<string, string> {
  const SF = c.MW / c.SIMD;
  const NF = c.MH / c.PE;
  const TW = twOf(c);
  const w: bigint[] = [];
  for (let nf = 0; nf < NF; nf++)
    for (let sf = 0; sf < SF; sf++) {
      const lanes: number[] = [];
      for (let k = 0; k < c.PE; k++) lanes.push(...d.weights[nf * c.PE + k]!.slice(sf * c.SIMD, (sf + 1) * c.SIMD));
      w.push(packLanes(lanes, 1));
    }
  const t: bigint[] = [];
  for (let nf = 0; nf < NF; nf++) t.push(packLanes(d.thresholds.slice(nf * c.PE, (nf + 1) * c.PE).map((v) => toUnsigned(v, TW)), TW));
  return { 'w.hex': hexFile(w, c.PE * c.SIMD), 't.hex': hexFile(t, c.PE * TW) };
}

function mvBlock(c: MvCfg, d: MvData): MvtuBlock {
  const stage = {
    mw: c.MW,
    mh: c.MH,
    weights: Uint8Array.from(d.weights.flat()),
    thr: Float64Array.from(d.thresholds),
  } as unknown as IrLinear;
  return {
    kind: 'mvtu',
    levels: null,
    name: 'mvtu',
    stage,
    pe: c.PE,
    simd: c.SIMD,
    sf: c.MW / c.SIMD,
    nf: c.MH / c.PE,
    popStages: c.POP,
    scores: c.SCORES === 1,
    masked: true,
    accW: c.ACC_W,
    tw: twOf(c),
    obufDepth: c.OBUF,
  };
}

const packOut = (c: MvCfg, b: Beat): bigint => packLanes(b, c.SCORES ? c.ACC_W : 1);

// ------------------------------------------------------------------ unit: bnn_mvtu MASKED = 1
interface UnitCase {
  name: string;
  c: MvCfg;
  vectors: number;
  padProb: number;
  validProb: number;
  readyProb: number;
  seed: number;
}

const UNIT: UnitCase[] = [
  { name: 'PE2 SIMD3 NF2 SF3 pop1', c: { MW: 9, MH: 4, PE: 2, SIMD: 3, POP: 1, SCORES: 0, ACC_W: 6, OBUF: 2 }, vectors: 16, padProb: 0.3, validProb: 0.7, readyProb: 0.5, seed: 31 },
  { name: 'PE1 SIMD1 NF3 SF4 pop0 obuf1', c: { MW: 4, MH: 3, PE: 1, SIMD: 1, POP: 0, SCORES: 0, ACC_W: 4, OBUF: 1 }, vectors: 14, padProb: 0.4, validProb: 0.6, readyProb: 0.5, seed: 32 },
  { name: 'PE4 SIMD49 NF2 SF2 pop2', c: { MW: 98, MH: 8, PE: 4, SIMD: 49, POP: 2, SCORES: 0, ACC_W: 9, OBUF: 4 }, vectors: 16, padProb: 0.3, validProb: 0.8, readyProb: 0.6, seed: 33 },
  { name: 'NF=SF=1 PE5 SIMD7 pop3', c: { MW: 7, MH: 5, PE: 5, SIMD: 7, POP: 3, SCORES: 0, ACC_W: 5, OBUF: 1 }, vectors: 24, padProb: 0.3, validProb: 0.9, readyProb: 0.7, seed: 34 },
  { name: 'scores PE3 SIMD8 NF2 SF4 pop1', c: { MW: 32, MH: 6, PE: 3, SIMD: 8, POP: 1, SCORES: 1, ACC_W: 8, OBUF: 8 }, vectors: 16, padProb: 0.35, validProb: 0.7, readyProb: 0.5, seed: 35 },
  { name: 'scores NF=SF=1 PE4 SIMD13 pop0 ACC_W5', c: { MW: 13, MH: 4, PE: 4, SIMD: 13, POP: 0, SCORES: 1, ACC_W: 5, OBUF: 3 }, vectors: 20, padProb: 0.3, validProb: 0.8, readyProb: 0.6, seed: 36 },
  { name: 'PE1 SIMD6 NF7 SF9 pop1', c: { MW: 54, MH: 7, PE: 1, SIMD: 6, POP: 1, SCORES: 0, ACC_W: 8, OBUF: 1 }, vectors: 6, padProb: 0.5, validProb: 0.6, readyProb: 0.6, seed: 37 },
];

// ------------------------------------------------------------------ chain: bnn_swg -> bnn_mvtu
interface ChainCase {
  name: string;
  swg: SwgParams;
  mv: Omit<MvCfg, 'MW' | 'SIMD'>;
  midFifo: number;
  frames: number;
}

const CHAINS: ChainCase[] = [
  {
    name: '3x3 same, C 4, SIMD 4, 16 filters PE 8 (NF 2, SF 9)',
    swg: { ELEM_W: 1, SIMD: 4, C: 4, H: 6, W: 7, KH: 3, KW: 3, SH: 1, SW: 1, PAD_T: 1, PAD_B: 1, PAD_L: 1, PAD_R: 1, PAD_MODE: 1, PAD_ELEM: 0 },
    mv: { MH: 16, PE: 8, POP: 1, SCORES: 0, ACC_W: 7, OBUF: 1 },
    midFifo: 0,
    frames: 3,
  },
  {
    name: '3x3 same, C 8, SIMD 8, 8 filters PE 8 (NF 1, SF 9): the SWG must deliver one beat per cycle',
    swg: { ELEM_W: 1, SIMD: 8, C: 8, H: 8, W: 8, KH: 3, KW: 3, SH: 1, SW: 1, PAD_T: 1, PAD_B: 1, PAD_L: 1, PAD_R: 1, PAD_MODE: 1, PAD_ELEM: 0 },
    mv: { MH: 8, PE: 8, POP: 2, SCORES: 0, ACC_W: 8, OBUF: 1 },
    midFifo: 2,
    frames: 3,
  },
  {
    name: '4x3 stride 2x1, pads 2/1/0/2, C 6 SIMD 3, scores, 6 filters PE 2 (NF 3, SF 24)',
    swg: { ELEM_W: 1, SIMD: 3, C: 6, H: 7, W: 5, KH: 4, KW: 3, SH: 2, SW: 1, PAD_T: 2, PAD_B: 1, PAD_L: 0, PAD_R: 2, PAD_MODE: 1, PAD_ELEM: 0 },
    mv: { MH: 6, PE: 2, POP: 1, SCORES: 1, ACC_W: 8, OBUF: 1 },
    midFifo: 0,
    frames: 3,
  },
  {
    name: '2x2 stride 2 valid, C 2 SIMD 2, 4 filters PE 4 (NF 1, SF 4)',
    swg: { ELEM_W: 1, SIMD: 2, C: 2, H: 8, W: 8, KH: 2, KW: 2, SH: 2, SW: 2, PAD_T: 0, PAD_B: 0, PAD_L: 0, PAD_R: 0, PAD_MODE: 1, PAD_ELEM: 0 },
    mv: { MH: 4, PE: 4, POP: 0, SCORES: 0, ACC_W: 5, OBUF: 2 },
    midFifo: 0,
    frames: 4,
  },
];

function chainMvCfg(ch: ChainCase): MvCfg {
  const s = ch.swg;
  return { ...ch.mv, MW: s.KH * s.KW * s.C, SIMD: s.SIMD };
}

/** Direct convolution with true zero padding: windows in (ky, kx, c) order. */
function convModel(ch: ChainCase, c: MvCfg, d: MvData, imgs: number[][][][]): bigint[] {
  const s = ch.swg;
  const g = swgGeometry(s);
  const out: bigint[] = [];
  for (const img of imgs)
    for (let oy = 0; oy < g.oh; oy++)
      for (let ox = 0; ox < g.ow; ox++) {
        const x: number[] = [];
        const pads: number[] = [];
        for (let ky = 0; ky < s.KH; ky++)
          for (let kx = 0; kx < s.KW; kx++) {
            const y = oy * s.SH + ky - s.PAD_T;
            const xx = ox * s.SW + kx - s.PAD_L;
            const inside = y >= 0 && y < s.H && xx >= 0 && xx < s.W;
            for (let ch0 = 0; ch0 < s.C; ch0 += s.SIMD) {
              pads.push(inside ? 0 : 1);
              for (let k = 0; k < s.SIMD; k++) x.push(inside ? img[y]![xx]![ch0 + k]! : 0);
            }
          }
        out.push(...mvModel(c, d, x, pads));
      }
  return out;
}

const has = requireTools('iverilog', 'vvp');

describe.skipIf(!has)('bnn_mvtu MASKED = 1 co-simulation (Icarus) against a signed dot-product model and MvuSim', () => {
  for (const u of UNIT) {
    it(`values and output handshake cycles: ${u.name}`, async () => {
      const { c } = u;
      const prng = new Prng(u.seed);
      const d = genWeights(c, prng);
      const SF = c.MW / c.SIMD;
      const inBeats: Beat[] = [];
      const expected: bigint[] = [];
      for (let v = 0; v < u.vectors; v++) {
        const x = Array.from({ length: c.MW }, () => prng.int(0, 1));
        const pads = Array.from({ length: SF }, () => (prng.bool(u.padProb) ? 1 : 0));
        if (v === 1) pads.fill(1); // a vector made of padding only: d = 0
        for (let sf = 0; sf < SF; sf++) inBeats.push([...x.slice(sf * c.SIMD, (sf + 1) * c.SIMD), pads[sf]!]);
        expected.push(...mvModel(c, d, x, pads));
      }
      expect(new Set(expected).size).toBeGreaterThan(1);
      const dir = await makeTmpDir('mvtu-masked');
      const maxCycles = Math.ceil((u.vectors * (c.MH / c.PE) * SF * 8) / Math.min(u.validProb, u.readyProb)) + 200;
      const drive = { seed: u.seed ^ 0x5eed, validProb: u.validProb, readyProb: u.readyProb, maxCycles };
      const res = await runStreamTb({
        dir,
        inW: c.SIMD + 1,
        outW: c.SCORES ? c.PE * c.ACC_W : c.PE,
        inBeats: inBeats.map((b) => packLanes(b, 1)),
        expected,
        dut: romText(c) + mvtuInst(c, '.s_axis_tdata(s_tdata), .s_axis_tvalid(s_tvalid), .s_axis_tready(s_tready)'),
        files: romFiles(c, d),
        libModules: withDeps('bnn_mvtu', 'bnn_rom'),
        ...drive,
        latencyParam: 'dut.LATENCY',
      });
      expect(res.timeout, `timeout, dir ${dir}`).toBe(false);
      expect(res.latency).toBe(3 + c.POP);
      expect(describeDiff(res.beats, expected), `dir ${dir}`).toBe('');
      expect(res.tbMismatches).toBe(0);
      const ts = driveChain([new MvuSim(mvBlock(c, d))], inBeats, expected.length, drive);
      expect(describeDiff(ts.beats.map((b) => packOut(c, b)), expected)).toBe('');
      expect(ts.firstIn).toBe(res.firstIn);
      expect(ts.outCycles).toEqual(res.outCycles);
      await removeDir(dir);
    });
  }
});

describe.skipIf(!has)('convolution layer bnn_swg -> bnn_mvtu (MASKED) co-simulation and rate', () => {
  for (const ch of CHAINS) {
    for (const mode of ['stalls', 'rate'] as const) {
      it(`${mode === 'rate' ? 'OH*OW*NF*SF cycles per frame' : 'values and handshake cycles under gaps / backpressure'}: ${ch.name}${ch.midFifo ? `, FIFO ${ch.midFifo} between` : ''}`, async () => {
        const s = ch.swg;
        const c = chainMvCfg(ch);
        const geo = swgGeometry(s);
        const prng = new Prng(4242 + s.H * 31 + s.C);
        const d = genWeights(c, prng);
        const imgs = Array.from({ length: ch.frames }, () =>
          Array.from({ length: s.H }, () => Array.from({ length: s.W }, () => Array.from({ length: s.C }, () => prng.int(0, 1)))),
        );
        const inBeats: Beat[] = [];
        for (const img of imgs) for (const row of img) for (const px of row) for (let g = 0; g < geo.cg; g++) inBeats.push(px.slice(g * s.SIMD, (g + 1) * s.SIMD));
        const expected = convModel(ch, c, d, imgs);
        const swgParams = Object.entries(s).map(([k, v]) => `.${k}(${v})`).join(', ') + structureParamList('bnn_swg', s as unknown as Record<string, number>);
        const fifo = ch.midFifo
          ? `
    wire [${s.SIMD}:0] f_tdata;
    wire f_tvalid, f_tready;
    wire [${clog2(ch.midFifo + 1) - 1}:0] f_count;
    bnn_fifo #(.WIDTH(${s.SIMD + 1}), .DEPTH(${ch.midFifo})) u_mid (
        .clk(clk), .rst_n(rst_n),
        .s_axis_tdata(w_tdata), .s_axis_tvalid(w_tvalid), .s_axis_tready(w_tready),
        .m_axis_tdata(f_tdata), .m_axis_tvalid(f_tvalid), .m_axis_tready(f_tready), .count(f_count));`
          : '';
        const mvIn = ch.midFifo
          ? '.s_axis_tdata(f_tdata), .s_axis_tvalid(f_tvalid), .s_axis_tready(f_tready)'
          : '.s_axis_tdata(w_tdata), .s_axis_tvalid(w_tvalid), .s_axis_tready(w_tready)';
        const dut = `
    wire [${s.SIMD}:0] w_tdata;
    wire w_tvalid, w_tready;
    bnn_swg #(${swgParams}) u_swg (
        .clk(clk), .rst_n(rst_n),
        .s_axis_tdata(s_tdata), .s_axis_tvalid(s_tvalid), .s_axis_tready(s_tready),
        .m_axis_tdata(w_tdata), .m_axis_tvalid(w_tvalid), .m_axis_tready(w_tready));${fifo}
${romText(c)}
${mvtuInst(c, mvIn)}`;
        const validProb = mode === 'rate' ? 1 : 0.6;
        const readyProb = mode === 'rate' ? 1 : 0.5;
        const NF = c.MH / c.PE;
        const SF = c.MW / c.SIMD;
        const maxCycles = Math.ceil((ch.frames * (geo.oh * geo.ow * NF * SF + geo.inBeats) * 4) / Math.min(validProb, readyProb)) + 400;
        const drive = { seed: 99 + s.H, validProb, readyProb, maxCycles };
        const dir = await makeTmpDir('conv-chain');
        const res = await runStreamTb({
          dir,
          inW: s.SIMD,
          outW: c.SCORES ? c.PE * c.ACC_W : c.PE,
          inBeats: inBeats.map((b) => packLanes(b, 1)),
          expected,
          dut,
          files: romFiles(c, d),
          libModules: withDeps('bnn_swg', 'bnn_mvtu', 'bnn_rom'),
          ...drive,
        });
        expect(res.timeout, `timeout, dir ${dir}`).toBe(false);
        expect(describeDiff(res.beats, expected), `dir ${dir}`).toBe('');
        expect(res.tbMismatches).toBe(0);
        // the same chain of TypeScript models, driven the same way
        const chain: BlockSim[] = [new SwgSim('swg', s)];
        if (ch.midFifo) chain.push(new FifoSim('mid', ch.midFifo));
        chain.push(new MvuSim(mvBlock(c, d)));
        const ts = driveChain(chain, inBeats, expected.length, drive);
        expect(describeDiff(ts.beats.map((b) => packOut(c, b)), expected)).toBe('');
        expect(ts.firstIn).toBe(res.firstIn);
        expect(ts.outCycles).toEqual(res.outCycles);
        if (mode === 'rate') {
          const perFrame = geo.oh * geo.ow * NF * SF;
          const beatsPerFrame = geo.oh * geo.ow * NF;
          const starts = Array.from({ length: ch.frames }, (_, f) => res.outCycles[f * beatsPerFrame]!);
          // after the first output pixel the MVU never waits: one output beat every SF cycles
          const late = res.outCycles.filter((cy, j) => j > NF && cy !== res.outCycles[j - 1]! + SF).length;
          expect(late).toBe(0);
          for (let f = 1; f < ch.frames; f++) expect(starts[f]! - starts[f - 1]!).toBe(perFrame);
          console.log(
            `[conv rate] ${ch.name}: OH*OW*NF*SF = ${geo.oh}*${geo.ow}*${NF}*${SF} = ${perFrame}; measured frame starts ` +
              `${starts.join(', ')} (differences ${starts.slice(1).map((x, f) => x - starts[f]!).join(', ')}), ` +
              `last output cycle ${res.outCycles[res.outCycles.length - 1]}`,
          );
        }
        await removeDir(dir);
      });
    }
  }
});
