/**
 * bnn_swg unit co-simulation: seeded random images, shapes, kernels, strides, paddings, pad modes,
 * SIMD and ELEM_W (binary, int8 first layers, k-bit activation code streams with code pad values), with
 * random tvalid gaps and tready backpressure. Icarus (k-bit cases also Verilator) output is compared with an
 * independent window model ((ky, kx, c) order, padding per PAD_MODE), and the cycle of every input and
 * output handshake with the TypeScript cycle model SwgSim driven by the same patterns. Plus the
 * throughput contract: one output beat per cycle across frames when the output side is the
 * bottleneck.
 */
import { describe, expect, it } from 'vitest';
import { Prng } from '../helpers/prng.js';
import { describeDiff, makeTmpDir, packLanes, removeDir, expectStreamRun, runStreamTb, structureParamList, withDeps } from '../helpers/rtlsim.js';
import { requireTools } from '../helpers/tools.js';
import { driveBlock } from '../helpers/blockdrive.js';
import type { SwgParams } from '../../src/blocks/types.js';
import { SwgSim, swgGeometry } from '../../src/blocks/kinds/swg-sim.js';
import { libraryChecks } from '../helpers/lib-checks.js';

interface SwgCase {
  name: string;
  p: SwgParams;
  frames: number;
  validProb: number;
  readyProb: number;
  seed: number;
}

/** image[frame][y][x][c] */
function genImages(p: SwgParams, frames: number, prng: Prng): number[][][][] {
  return Array.from({ length: frames }, () =>
    Array.from({ length: p.H }, () =>
      Array.from({ length: p.W }, () => Array.from({ length: p.C }, () => Number(prng.bits(p.ELEM_W)))),
    ),
  );
}

function inputBeats(p: SwgParams, imgs: number[][][][]): number[][] {
  const beats: number[][] = [];
  for (const img of imgs)
    for (const row of img) for (const px of row) for (let g = 0; g < p.C / p.SIMD; g++) beats.push(px.slice(g * p.SIMD, (g + 1) * p.SIMD));
  return beats;
}

/** Independent model: windows in raster order of output pixels, taps in (ky, kx, channel group) order. */
function windows(p: SwgParams, imgs: number[][][][]): bigint[] {
  const oh = Math.floor((p.H + p.PAD_T + p.PAD_B - p.KH) / p.SH) + 1;
  const ow = Math.floor((p.W + p.PAD_L + p.PAD_R - p.KW) / p.SW) + 1;
  const dataW = p.SIMD * p.ELEM_W;
  const out: bigint[] = [];
  for (const img of imgs)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++)
        for (let ky = 0; ky < p.KH; ky++)
          for (let kx = 0; kx < p.KW; kx++)
            for (let c0 = 0; c0 < p.C; c0 += p.SIMD) {
              const y = oy * p.SH + ky - p.PAD_T;
              const x = ox * p.SW + kx - p.PAD_L;
              if (y >= 0 && y < p.H && x >= 0 && x < p.W) out.push(packLanes(img[y]![x]!.slice(c0, c0 + p.SIMD), p.ELEM_W));
              else if (p.PAD_MODE === 1) out.push(1n << BigInt(dataW));
              else out.push(packLanes(new Array<number>(p.SIMD).fill(p.PAD_ELEM), p.ELEM_W));
            }
  return out;
}

/** Raster index of the first output pixel whose window holds at least one image tap. */
function firstImageWindow(p: SwgParams): number {
  const { oh, ow } = swgGeometry(p);
  const hits = (o: number, s: number, pad: number, k: number, n: number) => o * s - pad + k - 1 >= 0 && o * s - pad < n;
  for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) if (hits(oy, p.SH, p.PAD_T, p.KH, p.H) && hits(ox, p.SW, p.PAD_L, p.KW, p.W)) return oy * ow + ox;
  return oh * ow;
}

function packModelBeat(p: SwgParams, b: number[]): bigint {
  let v = packLanes(b.slice(0, p.SIMD), p.ELEM_W);
  if (p.PAD_MODE === 1 && b[p.SIMD]) v |= 1n << BigInt(p.SIMD * p.ELEM_W);
  return v;
}

function dutText(p: SwgParams): string {
  const params =
    Object.entries(p)
      .map(([k, v]) => `.${k}(${v})`)
      .join(', ') + structureParamList('bnn_swg', p as unknown as Record<string, number>);
  return `
    bnn_swg #(${params}) dut (
        .clk(clk), .rst_n(rst_n),
        .s_axis_tdata(s_tdata), .s_axis_tvalid(s_tvalid), .s_axis_tready(s_tready),
        .m_axis_tdata(m_tdata), .m_axis_tvalid(m_tvalid), .m_axis_tready(m_tready));`;
}

async function runCase(c: SwgCase, simulator: 'icarus' | 'verilator' = 'icarus') {
  const prng = new Prng(c.seed);
  const p = c.p;
  const geo = swgGeometry(p);
  const imgs = genImages(p, c.frames, prng);
  const inB = inputBeats(p, imgs);
  const expected = windows(p, imgs);
  const dir = await makeTmpDir(`swg-${simulator}`);
  const maxCycles = Math.ceil(((inB.length + expected.length) * 4) / Math.min(c.validProb, c.readyProb)) + 400;
  // input rows below the last window arrive after the last output beat: keep running
  const tailCycles = Math.ceil((4 * geo.inBeats) / c.validProb) + 20;
  const drive = { seed: c.seed ^ 0x5eed, validProb: c.validProb, readyProb: c.readyProb, maxCycles: maxCycles + tailCycles, tailCycles };
  const res = await runStreamTb({
    dir,
    inW: p.SIMD * p.ELEM_W,
    outW: geo.outW,
    inBeats: inB.map((b) => packLanes(b, p.ELEM_W)),
    expected,
    dut: dutText(p),
    libModules: withDeps('bnn_swg'),
    ...drive,
    latencyParam: 'dut.LATENCY',
    simulator,
  });
  const sim = new SwgSim('swg', p);
  const ts = driveBlock(sim, inB, expected.length, drive);
  return { res, ts, expected, dir, geo, inB };
}

/** Random legal parameter sets. */
function randomCase(i: number): SwgCase {
  const prng = new Prng(9000 + i);
  const KH = prng.int(1, 4);
  const KW = prng.pick([1, 2, 3, 3, 4]);
  const SH = prng.int(1, 3);
  const SW = prng.int(1, 3);
  const PAD_T = prng.int(0, KH - 1);
  const PAD_B = prng.int(0, KH - 1);
  const PAD_L = prng.int(0, KW - 1);
  const PAD_R = prng.int(0, KW - 1);
  const H = prng.int(Math.max(1, KH - PAD_T - PAD_B), 7);
  const W = prng.int(Math.max(1, KW - PAD_L - PAD_R), 8);
  const ELEM_W = prng.pick([1, 1, 8, 3]);
  const SIMD = prng.pick([1, 2, 3, 4]);
  const C = SIMD * prng.pick([1, 1, 2, 3]);
  const PAD_MODE = prng.pick([0, 1] as const);
  const PAD_ELEM = ELEM_W === 1 ? prng.int(0, 1) : ELEM_W === 8 ? prng.pick([-128, -1, 0, 77]) : prng.int(-4, 3);
  const p: SwgParams = { ELEM_W, SIMD, C, H, W, KH, KW, SH, SW, PAD_T, PAD_B, PAD_L, PAD_R, PAD_MODE, PAD_ELEM };
  const beats = H * W * (C / SIMD);
  return {
    name: `#${i} ${H}x${W}x${C} k${KH}x${KW} s${SH}${SW} p${PAD_T}${PAD_B}${PAD_L}${PAD_R} simd${SIMD} e${ELEM_W} mode${PAD_MODE}`,
    p,
    frames: beats > 120 ? 2 : 3,
    validProb: prng.pick([0.3, 0.6, 0.9, 1]),
    readyProb: prng.pick([0.3, 0.6, 0.9, 1]),
    seed: 100 + i,
  };
}

const FIXED: SwgCase[] = [
  {
    name: 'binary 3x3 same padding, mask mode, SIMD 4 of C 8',
    p: { ELEM_W: 1, SIMD: 4, C: 8, H: 6, W: 5, KH: 3, KW: 3, SH: 1, SW: 1, PAD_T: 1, PAD_B: 1, PAD_L: 1, PAD_R: 1, PAD_MODE: 1, PAD_ELEM: 0 },
    frames: 3,
    validProb: 0.7,
    readyProb: 0.5,
    seed: 1,
  },
  {
    name: 'first layer int8, pad -128, stride 2, 5x3 kernel, non-square',
    p: { ELEM_W: 8, SIMD: 3, C: 3, H: 9, W: 6, KH: 5, KW: 3, SH: 2, SW: 2, PAD_T: 2, PAD_B: 1, PAD_L: 0, PAD_R: 2, PAD_MODE: 0, PAD_ELEM: -128 },
    frames: 2,
    validProb: 0.8,
    readyProb: 0.6,
    seed: 2,
  },
  {
    name: 'binary pad -1 (bit 0), stride 3, 1x1 kernel',
    p: { ELEM_W: 1, SIMD: 2, C: 2, H: 7, W: 7, KH: 1, KW: 1, SH: 3, SW: 3, PAD_T: 0, PAD_B: 0, PAD_L: 0, PAD_R: 0, PAD_MODE: 0, PAD_ELEM: 0 },
    frames: 3,
    validProb: 0.5,
    readyProb: 0.9,
    seed: 3,
  },
  {
    name: 'binary pad +1 (bit 1), valid 2x2 stride 2, SIMD 1',
    p: { ELEM_W: 1, SIMD: 1, C: 3, H: 4, W: 6, KH: 2, KW: 2, SH: 2, SW: 2, PAD_T: 0, PAD_B: 1, PAD_L: 1, PAD_R: 0, PAD_MODE: 0, PAD_ELEM: 1 },
    frames: 3,
    validProb: 0.6,
    readyProb: 0.4,
    seed: 4,
  },
  {
    name: 'kernel taller than the image (H 1, KH 3, pads 2/2)',
    p: { ELEM_W: 1, SIMD: 1, C: 1, H: 1, W: 3, KH: 3, KW: 2, SH: 1, SW: 1, PAD_T: 2, PAD_B: 2, PAD_L: 1, PAD_R: 1, PAD_MODE: 1, PAD_ELEM: 0 },
    frames: 4,
    validProb: 0.6,
    readyProb: 0.6,
    seed: 5,
  },
];

const RANDOM = Array.from({ length: 18 }, (_, i) => randomCase(i));

/** Padding at least as large as the kernel: windows made only of padding (top, bottom, left, right). */
const BIG_PAD: SwgCase[] = [
  {
    name: 'top padding 4 > kernel 2, stride 1: two windows rows of padding only',
    p: { ELEM_W: 1, SIMD: 2, C: 4, H: 3, W: 4, KH: 2, KW: 2, SH: 1, SW: 1, PAD_T: 4, PAD_B: 0, PAD_L: 0, PAD_R: 0, PAD_MODE: 1, PAD_ELEM: 0 },
    frames: 3,
    validProb: 0.7,
    readyProb: 0.6,
    seed: 11,
  },
  {
    name: 'bottom padding 5 > kernel 3, stride 2, int8 pad -128',
    p: { ELEM_W: 8, SIMD: 1, C: 2, H: 4, W: 3, KH: 3, KW: 1, SH: 2, SW: 1, PAD_T: 0, PAD_B: 5, PAD_L: 0, PAD_R: 0, PAD_MODE: 0, PAD_ELEM: -128 },
    frames: 3,
    validProb: 0.5,
    readyProb: 0.8,
    seed: 12,
  },
  {
    name: 'left 3 / right 4 padding, 1x2 kernel, stride 2, pad +1',
    p: { ELEM_W: 1, SIMD: 1, C: 1, H: 2, W: 3, KH: 1, KW: 2, SH: 1, SW: 2, PAD_T: 0, PAD_B: 0, PAD_L: 3, PAD_R: 4, PAD_MODE: 0, PAD_ELEM: 1 },
    frames: 4,
    validProb: 0.6,
    readyProb: 0.5,
    seed: 13,
  },
  {
    name: '1x1 kernel, padding 2 on every side, mask mode (a ring of padding-only windows)',
    p: { ELEM_W: 1, SIMD: 3, C: 3, H: 2, W: 2, KH: 1, KW: 1, SH: 1, SW: 1, PAD_T: 2, PAD_B: 2, PAD_L: 2, PAD_R: 2, PAD_MODE: 1, PAD_ELEM: 0 },
    frames: 3,
    validProb: 0.8,
    readyProb: 0.4,
    seed: 14,
  },
  {
    name: 'one-row image, 2x2 kernel, padding 3 / 6 rows, stride 3, int3',
    p: { ELEM_W: 3, SIMD: 2, C: 2, H: 1, W: 5, KH: 2, KW: 2, SH: 3, SW: 1, PAD_T: 3, PAD_B: 6, PAD_L: 2, PAD_R: 2, PAD_MODE: 0, PAD_ELEM: -3 },
    frames: 3,
    validProb: 0.9,
    readyProb: 0.7,
    seed: 15,
  },
  {
    name: 'top padding 5 beyond the 2-row line buffer (1x1 kernel), bottom 4, right 3',
    p: { ELEM_W: 1, SIMD: 1, C: 2, H: 3, W: 2, KH: 1, KW: 1, SH: 1, SW: 1, PAD_T: 5, PAD_B: 4, PAD_L: 0, PAD_R: 3, PAD_MODE: 0, PAD_ELEM: 1 },
    frames: 3,
    validProb: 0.6,
    readyProb: 0.7,
    seed: 16,
  },
  {
    name: 'stride 5 larger than the 2x2 kernel, padding 6 on every side, mask mode',
    p: { ELEM_W: 1, SIMD: 1, C: 1, H: 4, W: 3, KH: 2, KW: 2, SH: 5, SW: 5, PAD_T: 6, PAD_B: 6, PAD_L: 6, PAD_R: 6, PAD_MODE: 1, PAD_ELEM: 0 },
    frames: 3,
    validProb: 0.5,
    readyProb: 0.5,
    seed: 17,
  },
];

/** Random parameter sets whose paddings reach past the kernel. */
function bigPadCase(i: number): SwgCase {
  const prng = new Prng(9500 + i);
  const KH = prng.int(1, 3);
  const KW = prng.int(1, 3);
  const SH = prng.int(1, 3);
  const SW = prng.int(1, 3);
  const PAD_T = prng.int(0, KH + 3);
  const PAD_B = prng.int(0, KH + 3);
  const PAD_L = prng.int(0, KW + 3);
  const PAD_R = prng.int(0, KW + 3);
  const H = prng.int(Math.max(1, KH - PAD_T - PAD_B), 5);
  const W = prng.int(Math.max(1, KW - PAD_L - PAD_R), 5);
  const ELEM_W = prng.pick([1, 1, 8]);
  const SIMD = prng.pick([1, 2]);
  const C = SIMD * prng.pick([1, 2]);
  const PAD_MODE = prng.pick([0, 1] as const);
  const PAD_ELEM = ELEM_W === 1 ? prng.int(0, 1) : prng.pick([-128, -1, 0, 77]);
  return {
    name: `big pad #${i} ${H}x${W}x${C} k${KH}x${KW} s${SH}${SW} p${PAD_T},${PAD_B},${PAD_L},${PAD_R} simd${SIMD} e${ELEM_W} mode${PAD_MODE}`,
    p: { ELEM_W, SIMD, C, H, W, KH, KW, SH, SW, PAD_T, PAD_B, PAD_L, PAD_R, PAD_MODE, PAD_ELEM },
    frames: 3,
    validProb: prng.pick([0.3, 0.6, 1]),
    readyProb: prng.pick([0.3, 0.6, 1]),
    seed: 300 + i,
  };
}

const BIG_PAD_RANDOM = Array.from({ length: 12 }, (_, i) => bigPadCase(i));

/** Output-bound configurations for the no-stall rate check. */
const RATE: { name: string; p: SwgParams; frames: number }[] = [
  {
    name: 'binary 3x3 valid 8x8x4 SIMD 2',
    p: { ELEM_W: 1, SIMD: 2, C: 4, H: 8, W: 8, KH: 3, KW: 3, SH: 1, SW: 1, PAD_T: 0, PAD_B: 0, PAD_L: 0, PAD_R: 0, PAD_MODE: 0, PAD_ELEM: 0 },
    frames: 4,
  },
  {
    name: 'binary 3x3 same 8x10x2 mask mode',
    p: { ELEM_W: 1, SIMD: 2, C: 2, H: 8, W: 10, KH: 3, KW: 3, SH: 1, SW: 1, PAD_T: 1, PAD_B: 1, PAD_L: 1, PAD_R: 1, PAD_MODE: 1, PAD_ELEM: 0 },
    frames: 4,
  },
  {
    name: 'int8 5x5 stride 2 pad 2 12x12x1',
    p: { ELEM_W: 8, SIMD: 1, C: 1, H: 12, W: 12, KH: 5, KW: 5, SH: 2, SW: 2, PAD_T: 2, PAD_B: 2, PAD_L: 2, PAD_R: 2, PAD_MODE: 0, PAD_ELEM: -128 },
    frames: 3,
  },
  {
    name: 'binary 3x3 stride 2 valid 9x9x8 SIMD 8',
    p: { ELEM_W: 1, SIMD: 8, C: 8, H: 9, W: 9, KH: 3, KW: 3, SH: 2, SW: 2, PAD_T: 0, PAD_B: 0, PAD_L: 0, PAD_R: 0, PAD_MODE: 0, PAD_ELEM: 1 },
    frames: 4,
  },
  {
    name: 'binary 2x2 padding 3 on every side 5x5x2 (padding-only windows around the image)',
    p: { ELEM_W: 1, SIMD: 2, C: 2, H: 5, W: 5, KH: 2, KW: 2, SH: 1, SW: 1, PAD_T: 3, PAD_B: 3, PAD_L: 3, PAD_R: 3, PAD_MODE: 1, PAD_ELEM: 0 },
    frames: 4,
  },
];

/**
 * k-bit activation code streams (hidden layers of W1Ak networks): lanes of k-bit codes, padding taps
 * PAD_MODE 0 with PAD_ELEM = the pad value's code in the stream encoding (an unsigned code, or a negative
 * code sent as its two's complement bits)
 */
const KBIT: SwgCase[] = [
  {
    name: '2-bit codes 3x3 same, pad code 0, SIMD 4 of C 8',
    p: { ELEM_W: 2, SIMD: 4, C: 8, H: 6, W: 5, KH: 3, KW: 3, SH: 1, SW: 1, PAD_T: 1, PAD_B: 1, PAD_L: 1, PAD_R: 1, PAD_MODE: 0, PAD_ELEM: 0 },
    frames: 3,
    validProb: 0.7,
    readyProb: 0.5,
    seed: 41,
  },
  {
    name: '2-bit codes 3x3 same, pad code 3 (top code), SIMD 2',
    p: { ELEM_W: 2, SIMD: 2, C: 2, H: 5, W: 7, KH: 3, KW: 3, SH: 1, SW: 1, PAD_T: 1, PAD_B: 1, PAD_L: 1, PAD_R: 1, PAD_MODE: 0, PAD_ELEM: 3 },
    frames: 3,
    validProb: 0.6,
    readyProb: 0.8,
    seed: 42,
  },
  {
    name: '2-bit signed codes, pad code -2, 2x2 stride 2, padding on two sides',
    p: { ELEM_W: 2, SIMD: 3, C: 6, H: 7, W: 6, KH: 2, KW: 2, SH: 2, SW: 2, PAD_T: 1, PAD_B: 0, PAD_L: 0, PAD_R: 1, PAD_MODE: 0, PAD_ELEM: -2 },
    frames: 3,
    validProb: 0.8,
    readyProb: 0.4,
    seed: 43,
  },
  {
    name: '4-bit codes 3x3 valid, SIMD 1 (no padding taps)',
    p: { ELEM_W: 4, SIMD: 1, C: 3, H: 6, W: 6, KH: 3, KW: 3, SH: 1, SW: 1, PAD_T: 0, PAD_B: 0, PAD_L: 0, PAD_R: 0, PAD_MODE: 0, PAD_ELEM: 0 },
    frames: 2,
    validProb: 0.5,
    readyProb: 0.9,
    seed: 44,
  },
];

const has = requireTools('iverilog', 'vvp');

describe.skipIf(!has)('bnn_swg co-simulation (Icarus) against the window model and SwgSim', () => {
  for (const c of [...FIXED, ...RANDOM, ...BIG_PAD, ...BIG_PAD_RANDOM, ...KBIT]) {
    it(`windows and handshake cycles: ${c.name} (v${c.validProb} r${c.readyProb})`, async () => {
      const { res, ts, expected, dir, inB } = await runCase(c);
      expect(res.timeout, `timeout, dir ${dir}`).toBe(false);
      expect(res.latency).toBe(2);
      expect(describeDiff(res.beats, expected), `dir ${dir}`).toBe('');
      expect(res.tbMismatches).toBe(0);
      expect(res.inCount).toBe(inB.length);
      // the cycle model: same values, same handshake cycles
      expect(ts.timeout).toBe(false);
      expect(describeDiff(ts.beats.map((b) => packModelBeat(c.p, b)), expected)).toBe('');
      expect(ts.firstIn).toBe(res.firstIn);
      expect(ts.outCycles).toEqual(res.outCycles);
      await removeDir(dir);
    });
  }

  for (const c of RATE) {
    it(`one output beat per cycle across frames without stalls: ${c.name}`, async () => {
      const run = await runCase({ ...c, validProb: 1, readyProb: 1, seed: 77 });
      const { res, ts, expected, dir, geo } = run;
      expect(describeDiff(res.beats, expected), `dir ${dir}`).toBe('');
      expect(ts.outCycles).toEqual(res.outCycles);
      const first = res.outCycles[0]!;
      // the first tap waits for the first input beat: fire one cycle later, + LATENCY
      expect(first).toBe(res.firstIn + 1 + 2);
      // after the first window (which waits for its rows to arrive) no bubble at all, frame
      // boundaries included: the output side runs at one beat per cycle
      const win = c.p.KH * c.p.KW * geo.cg;
      const gaps = res.outCycles.filter((cy, j) => j > win && cy !== res.outCycles[j - 1]! + 1).length;
      expect(gaps).toBe(0);
      // frame f+1 starts exactly outBeats cycles after frame f
      const frameStarts = Array.from({ length: c.frames }, (_, f) => res.outCycles[f * geo.outBeats]!);
      for (let f = 1; f < c.frames; f++) expect(frameStarts[f]! - frameStarts[f - 1]!).toBe(f === 1 ? frameStarts[1]! - frameStarts[0]! : geo.outBeats);
      const last = res.outCycles[res.outCycles.length - 1]!;
      console.log(
        `[swg rate] ${c.name}: ${c.frames} frames x ${geo.outBeats} beats, output cycles ${first}..${last} ` +
          `(${last - first + 1} cycles for ${res.outCycles.length} beats; frame starts ${frameStarts.join(', ')}; ` +
          `buffer ${geo.rows} rows = ${geo.depth} words)`,
      );
      await removeDir(dir);
    });
  }
});

const hasVerilator = requireTools('verilator');

describe.skipIf(!hasVerilator)('bnn_swg co-simulation (Verilator) of k-bit code streams against the window model and SwgSim', () => {
  for (const c of [KBIT[0]!, KBIT[2]!]) {
    it(`windows and handshake cycles: ${c.name} (v${c.validProb} r${c.readyProb})`, async () => {
      const run = await runCase(c, 'verilator');
      expectStreamRun(run, 2);
      await removeDir(run.dir);
    }, 600_000);
  }
});

// The cycle model is proven equal to the RTL above; these sweeps use it to cover many more shapes
// quickly (no simulator): values against the window model under random gaps / backpressure (the
// model also checks that its ahead register stays inside the RTL's register range), and the rate
// on every output-bound shape.
describe('SwgSim sweeps (cycle model, proven equal to the RTL above)', () => {
  /** bigPad: paddings up to kernel + 3 (windows made only of padding) instead of kernel - 1 */
  function sweepCase(prng: Prng, bigPad = false): SwgParams {
    const KH = prng.int(1, 5);
    const KW = prng.int(1, 5);
    const SH = prng.int(1, 3);
    const SW = prng.int(1, 3);
    const extra = bigPad ? 4 : 0;
    const PAD_T = prng.int(0, KH - 1 + extra);
    const PAD_B = prng.int(0, KH - 1 + extra);
    const PAD_L = prng.int(0, KW - 1 + extra);
    const PAD_R = prng.int(0, KW - 1 + extra);
    const H = prng.int(Math.max(1, KH - PAD_T - PAD_B), 11);
    const W = prng.int(Math.max(1, KW - PAD_L - PAD_R), 11);
    const SIMD = prng.pick([1, 2]);
    const C = SIMD * prng.int(1, 3);
    const ELEM_W = prng.pick([1, 8]);
    const PAD_MODE = prng.pick([0, 1] as const);
    return { ELEM_W, SIMD, C, H, W, KH, KW, SH, SW, PAD_T, PAD_B, PAD_L, PAD_R, PAD_MODE, PAD_ELEM: ELEM_W === 8 ? -128 : 1 };
  }

  it.each([
    ['paddings below the kernel', 2024, false],
    ['paddings up to kernel + 3 (padding-only windows)', 2025, true],
  ] as const)('400 random shapes under random gaps / backpressure, %s: windows equal the model', (_what, seed, bigPad) => {
    const prng = new Prng(seed);
    for (let i = 0; i < 400; i++) {
      const p = sweepCase(prng, bigPad);
      const imgs = genImages(p, 2, prng);
      const inB = inputBeats(p, imgs);
      const expected = windows(p, imgs);
      const vp = prng.pick([0.3, 0.7, 1]);
      const rp = prng.pick([0.3, 0.7, 1]);
      const r = driveBlock(new SwgSim('swg', p), inB, expected.length, {
        seed: i,
        validProb: vp,
        readyProb: rp,
        maxCycles: Math.ceil(((inB.length + expected.length) * 4) / Math.min(vp, rp)) + 400,
      });
      expect(r.timeout, JSON.stringify(p)).toBe(false);
      expect(describeDiff(r.beats.map((b) => packModelBeat(p, b)), expected), JSON.stringify(p)).toBe('');
    }
  });

  it.each([
    ['paddings below the kernel', 77, false],
    ['paddings up to kernel + 3', 78, true],
  ] as const)('no bubble after the first window on every output-bound shape (300 random shapes, 3 frames each), %s', (_what, seed, bigPad) => {
    const prng = new Prng(seed);
    let checked = 0;
    while (checked < 300) {
      const p = { ...sweepCase(prng, bigPad), ELEM_W: 1, PAD_MODE: 0 as const };
      const g = swgGeometry(p);
      // output bound per output row and per frame
      if (p.KH * p.KW * g.ow <= p.SH * p.W || g.outBeats < g.inBeats) continue;
      checked++;
      const inB = Array.from({ length: 3 * g.inBeats }, () => new Array<number>(p.SIMD).fill(0));
      const r = driveBlock(new SwgSim('swg', p), inB, 3 * g.outBeats, { seed: 1, validProb: 1, readyProb: 1, maxCycles: 20 * g.outBeats + 1000 });
      // start-up: windows made only of padding leave as soon as the frame's input starts, the first
      // window with an image tap waits for its rows; after it, no bubble (frame boundaries included)
      const win = p.KH * p.KW * g.cg * (firstImageWindow(p) + 1);
      const gaps = r.outCycles.filter((cy, j) => j > win && cy !== r.outCycles[j - 1]! + 1).length;
      expect(gaps, JSON.stringify(p)).toBe(0);
      expect(r.outCycles[0]).toBe(r.firstIn + 3);
    }
  });
});

libraryChecks('bnn_swg', {
  lint: [
    {},
    { ELEM_W: 1, SIMD: 4, C: 8, H: 6, W: 5, KH: 3, KW: 3, PAD_T: 1, PAD_B: 1, PAD_L: 1, PAD_R: 1, PAD_MODE: 1 },
    { ELEM_W: 8, SIMD: 3, C: 3, H: 9, W: 6, KH: 5, KW: 3, SH: 2, SW: 2, PAD_T: 2, PAD_B: 1, PAD_R: 2, PAD_ELEM: -128 },
    { ELEM_W: 1, SIMD: 2, C: 2, H: 7, W: 7, KH: 1, KW: 1, SH: 3, SW: 3 },
    { ELEM_W: 1, SIMD: 1, C: 1, H: 1, W: 3, KH: 3, KW: 2, PAD_T: 2, PAD_B: 2, PAD_L: 1, PAD_R: 1, PAD_MODE: 1 },
    { ELEM_W: 1, SIMD: 64, C: 64, H: 32, W: 32, KH: 3, KW: 3, PAD_T: 1, PAD_B: 1, PAD_L: 1, PAD_R: 1, PAD_MODE: 1 },
    { ELEM_W: 3, SIMD: 2, C: 6, H: 5, W: 2, KH: 2, KW: 4, SH: 2, SW: 3, PAD_T: 1, PAD_B: 1, PAD_L: 3, PAD_R: 2, PAD_ELEM: -3 },
    // padding beyond the kernel: windows made only of padding (the bottom clamp of the low mark)
    { ELEM_W: 1, SIMD: 1, C: 2, H: 3, W: 2, KH: 1, KW: 1, PAD_T: 5, PAD_B: 4, PAD_R: 3, PAD_ELEM: 1 },
    { ELEM_W: 8, SIMD: 1, C: 1, H: 4, W: 3, KH: 2, KW: 2, SH: 5, SW: 5, PAD_T: 6, PAD_B: 6, PAD_L: 6, PAD_R: 6, PAD_MODE: 1 },
  ],
  paramErrors: [
    { bad: { SIMD: 3, C: 4 }, good: { SIMD: 2, C: 4 }, error: 'bnn_param_error_swg_SIMD_does_not_divide_C' },
    { bad: { H: 2, W: 4, KH: 3, KW: 3 }, good: { H: 2, W: 4, KH: 3, KW: 3, PAD_B: 1 }, error: 'bnn_param_error_swg_kernel_larger_than_the_padded_image' },
    { bad: { ELEM_W: 33, SIMD: 1, C: 1 }, good: { ELEM_W: 32, SIMD: 1, C: 1 }, error: 'bnn_param_error_swg_ELEM_W_not_in_1_to_32' },
    { bad: { PAD_MODE: 2 }, good: { PAD_MODE: 1 }, error: 'bnn_param_error_swg_PAD_MODE_not_0_or_1' },
    // geometry passed by the compiler: the module checks it against its own parameters
    { bad: { OH: 3, OW: 2, ROWS: 6, FD: 3, OFF: 3, FROWS: 3 }, good: { OH: 2, OW: 2, ROWS: 6, FD: 3, OFF: 3, FROWS: 3 }, error: 'bnn_param_error_swg_OH_is_not_the_window_count' },
    { bad: { SW: 2, OH: 2, OW: 2, ROWS: 6, FD: 3, OFF: 3, FROWS: 3 }, good: { SW: 2, OH: 2, OW: 1, ROWS: 6, FD: 3, OFF: 3, FROWS: 3 }, error: 'bnn_param_error_swg_OW_is_not_the_window_count' },
    { bad: { OH: 2, OW: 2, ROWS: 3, FD: 3, OFF: 3, FROWS: 0 }, good: { OH: 2, OW: 2, ROWS: 4, FD: 3, OFF: 3, FROWS: 3 }, error: 'bnn_param_error_swg_ROWS_below_KH_plus_SH_or_FD_plus_1' },
    { bad: { OH: 2, OW: 2, ROWS: 6, FD: 2, OFF: 3, FROWS: 3 }, good: { OH: 2, OW: 2, ROWS: 6, FD: 3, OFF: 3, FROWS: 3 }, error: 'bnn_param_error_swg_FD_is_not_H_minus_the_last_low_mark' },
    { bad: { OH: 2, OW: 2, ROWS: 6, FD: 3, OFF: 2, FROWS: 3 }, good: { OH: 2, OW: 2, ROWS: 6, FD: 3, OFF: 4, FROWS: 3 }, error: 'bnn_param_error_swg_OFF_below_FD_PAD_T_or_SH' },
    { bad: { OH: 2, OW: 2, ROWS: 6, FD: 3, OFF: 3, FROWS: 2 }, good: { OH: 2, OW: 2, ROWS: 6, FD: 3, OFF: 3, FROWS: 3 }, error: 'bnn_param_error_swg_FROWS_is_not_the_frame_row_step_mod_ROWS' },
  ],
  synth: [
    { params: { ELEM_W: 1, SIMD: 4, C: 8, H: 6, W: 5, KH: 3, KW: 3, SH: 1, SW: 1, PAD_T: 1, PAD_B: 1, PAD_L: 1, PAD_R: 1, PAD_MODE: 1 } },
    { params: { ELEM_W: 8, SIMD: 3, C: 3, H: 9, W: 6, KH: 5, KW: 3, SH: 2, SW: 2, PAD_T: 2, PAD_B: 1, PAD_L: 0, PAD_R: 2, PAD_MODE: 0, PAD_ELEM: -128 } },
  ],
});
