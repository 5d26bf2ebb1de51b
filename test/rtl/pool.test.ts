/**
 * bnn_pool unit co-simulation: seeded random binary images and k-bit code images (ELEM_W 2..8, unsigned
 * and signed), window / stride shapes (kernel equal to, larger than and smaller than the stride: rows /
 * columns between windows skipped), PE and AND / OR (min / max) channel masks, and the window-sum mode
 * (SUM = 1: exact sums of bits and of k-bit unsigned / signed codes), with random tvalid gaps and tready
 * backpressure. Icarus (and, for a few cases, Verilator) output is compared with an independent max-pool /
 * window-sum model (sum lanes as wide as this file finds they must be), and every handshake cycle with
 * the TypeScript cycle model PoolSim driven by the same patterns. Plus the rate: one input beat per cycle
 * without stalls.
 */
import { describe, expect, it } from 'vitest';
import { Prng } from '../helpers/prng.js';
import { describeDiff, makeTmpDir, packLanes, removeDir, expectStreamRun, runStreamTb, structureParamList, withDeps } from '../helpers/rtlsim.js';
import { requireTools } from '../helpers/tools.js';
import { driveBlock } from '../helpers/blockdrive.js';
import type { PoolParams } from '../../src/blocks/types.js';
import { PoolSim, poolGeometry, poolOutWidth } from '../../src/blocks/kinds/pool-sim.js';
import { windowSumBlock } from '../../src/blocks/window-sum.js';
import { pool as poolKind } from '../../src/blocks/kinds/pool.js';
import { libraryChecks } from '../helpers/lib-checks.js';

interface PoolCase {
  name: string;
  p: PoolParams;
  frames: number;
  validProb: number;
  readyProb: number;
  seed: number;
}

/** The code range of an element: bits 0/1, unsigned [0, 2^k - 1] or signed [-2^(k-1), 2^(k-1) - 1]. */
const elemRange = (p: PoolParams): [number, number] => (p.SIGNED ? [-(2 ** (p.ELEM_W - 1)), 2 ** (p.ELEM_W - 1) - 1] : [0, 2 ** p.ELEM_W - 1]);

/**
 * Output lane bits: ELEM_W for max / min; with SUM the fewest bits (two's complement when the codes are
 * signed) holding KH*KW times either end of the code range, found by trying widths.
 */
function outLaneW(p: PoolParams): number {
  if (!p.SUM) return p.ELEM_W;
  const [lo, hi] = elemRange(p).map((v) => BigInt(v) * BigInt(p.KH * p.KW));
  for (let w = 1; ; w++) {
    const fits = p.SIGNED ? lo! >= -(1n << BigInt(w - 1)) && hi! < 1n << BigInt(w - 1) : hi! < 1n << BigInt(w);
    if (fits) return w;
  }
}

/**
 * image[frame][y][x][c]: bits biased so that both OR and AND results vary; codes uniform over the
 * range, or (every third frame) over its two lowest / highest codes so that the extremes and ties occur
 */
function genImages(p: PoolParams, frames: number, prng: Prng): number[][][][] {
  const [lo, hi] = elemRange(p);
  const code = (f: number, c: number): number => {
    if (p.ELEM_W === 1) return prng.bool(p.SUM ? 0.5 : p.AND_MASK[c] ? 0.8 : 0.2) ? 1 : 0;
    if (f % 3 === 1) return prng.pick([lo, lo + 1, hi - 1, hi]);
    return prng.int(lo, hi);
  };
  return Array.from({ length: frames }, (_, f) =>
    Array.from({ length: p.H }, () => Array.from({ length: p.W }, () => Array.from({ length: p.C }, (_, c) => code(f, c)))),
  );
}

function inputBeats(p: PoolParams, imgs: number[][][][]): number[][] {
  const beats: number[][] = [];
  for (const img of imgs)
    for (const row of img) for (const px of row) for (let g = 0; g < p.C / p.PE; g++) beats.push(px.slice(g * p.PE, (g + 1) * p.PE));
  return beats;
}

/** Independent model: out(oy, ox, c) = max / min (OR / AND on bits), or with SUM the sum, over the KH x KW window at (oy*SH, ox*SW). */
function pooled(p: PoolParams, imgs: number[][][][]): bigint[] {
  const { oh, ow } = poolGeometry(p);
  const out: bigint[] = [];
  for (const img of imgs)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++)
        for (let c0 = 0; c0 < p.C; c0 += p.PE) {
          const lanes: number[] = [];
          for (let c = c0; c < c0 + p.PE; c++) {
            let max = -Infinity;
            let min = Infinity;
            let sum = 0;
            for (let ky = 0; ky < p.KH; ky++)
              for (let kx = 0; kx < p.KW; kx++) {
                const b = img[oy * p.SH + ky]![ox * p.SW + kx]![c]!;
                max = Math.max(max, b);
                min = Math.min(min, b);
                sum += b;
              }
            lanes.push(p.SUM ? sum : p.AND_MASK[c] ? min : max);
          }
          out.push(packLanes(lanes, outLaneW(p)));
        }
  return out;
}

function dutText(p: PoolParams): string {
  const mask = packLanes([...p.AND_MASK], 1);
  return `
    bnn_pool #(.C(${p.C}), .PE(${p.PE}), .ELEM_W(${p.ELEM_W}), .SIGNED(${p.SIGNED}), .H(${p.H}), .W(${p.W}), .KH(${p.KH}), .KW(${p.KW}), .SH(${p.SH}), .SW(${p.SW}),
               .AND_MASK(${p.C}'h${mask.toString(16)})${p.SUM ? `, .SUM(1), .OUT_W(${outLaneW(p)})` : ''}${structureParamList('bnn_pool', { C: p.C, PE: p.PE, H: p.H, W: p.W, KH: p.KH, KW: p.KW, SH: p.SH, SW: p.SW })}) dut (
        .clk(clk), .rst_n(rst_n),
        .s_axis_tdata(s_tdata), .s_axis_tvalid(s_tvalid), .s_axis_tready(s_tready),
        .m_axis_tdata(m_tdata), .m_axis_tvalid(m_tvalid), .m_axis_tready(m_tready));`;
}

async function runCase(c: PoolCase, simulator: 'icarus' | 'verilator' = 'icarus') {
  const prng = new Prng(c.seed);
  const p = c.p;
  const imgs = genImages(p, c.frames, prng);
  const inB = inputBeats(p, imgs);
  const expected = pooled(p, imgs);
  const dir = await makeTmpDir(`pool-${simulator}`);
  const maxCycles = Math.ceil(((inB.length + expected.length) * 4) / Math.min(c.validProb, c.readyProb)) + 400;
  // trailing rows / columns not covered by a window arrive after the last output beat: keep running
  const tailCycles = Math.ceil((4 * p.H * p.W * poolGeometry(p).cp) / c.validProb) + 20;
  const drive = { seed: c.seed ^ 0x5eed, validProb: c.validProb, readyProb: c.readyProb, maxCycles: maxCycles + tailCycles, tailCycles };
  const res = await runStreamTb({
    dir,
    inW: p.PE * p.ELEM_W,
    outW: p.PE * outLaneW(p),
    inBeats: inB.map((b) => packLanes(b, p.ELEM_W)),
    expected,
    dut: dutText(p),
    libModules: withDeps('bnn_pool'),
    ...drive,
    latencyParam: 'dut.LATENCY',
    simulator,
  });
  const ts = driveBlock(new PoolSim('pool', p), inB, expected.length, drive);
  return { res, ts, expected, dir, inB };
}

function randomCase(i: number): PoolCase {
  const prng = new Prng(7000 + i);
  const SH = prng.int(1, 3);
  const SW = prng.int(1, 3);
  const KH = SH + prng.pick([0, 0, 1, 2]);
  const KW = SW + prng.pick([0, 0, 1, 2]);
  const H = prng.int(KH, KH + 6);
  const W = prng.int(KW, KW + 6);
  const PE = prng.pick([1, 2, 3, 4]);
  const C = PE * prng.pick([1, 2, 3]);
  const AND_MASK = Array.from({ length: C }, () => (prng.bool(0.4) ? 1 : 0));
  return {
    name: `#${i} ${H}x${W}x${C} k${KH}x${KW} s${SH}${SW} pe${PE} and=${AND_MASK.join('')}`,
    p: { C, PE, ELEM_W: 1, SIGNED: 0, H, W, KH, KW, SH, SW, AND_MASK },
    frames: 3,
    validProb: prng.pick([0.3, 0.6, 0.9, 1]),
    readyProb: prng.pick([0.3, 0.6, 0.9, 1]),
    seed: 500 + i,
  };
}

const FIXED: PoolCase[] = [
  { name: '2x2/2 on 8x8x8 PE 4, OR', p: { C: 8, PE: 4, ELEM_W: 1, SIGNED: 0, H: 8, W: 8, KH: 2, KW: 2, SH: 2, SW: 2, AND_MASK: new Array(8).fill(0) }, frames: 3, validProb: 0.7, readyProb: 0.5, seed: 1 },
  { name: '3x3/2 on 7x9x4 PE 2, mixed AND/OR', p: { C: 4, PE: 2, ELEM_W: 1, SIGNED: 0, H: 7, W: 9, KH: 3, KW: 3, SH: 2, SW: 2, AND_MASK: [1, 0, 0, 1] }, frames: 3, validProb: 0.6, readyProb: 0.6, seed: 2 },
  { name: '3x3/3 on 10x8x3 PE 1, dropped rows / columns, AND', p: { C: 3, PE: 1, ELEM_W: 1, SIGNED: 0, H: 10, W: 8, KH: 3, KW: 3, SH: 3, SW: 3, AND_MASK: [1, 1, 1] }, frames: 2, validProb: 0.8, readyProb: 0.4, seed: 3 },
  { name: 'global 4x5 pool, C 6 PE 6', p: { C: 6, PE: 6, ELEM_W: 1, SIGNED: 0, H: 4, W: 5, KH: 4, KW: 5, SH: 4, SW: 5, AND_MASK: [0, 1, 0, 1, 1, 0] }, frames: 4, validProb: 0.5, readyProb: 0.7, seed: 4 },
  { name: '1x2/1x1 on 3x4x2', p: { C: 2, PE: 1, ELEM_W: 1, SIGNED: 0, H: 3, W: 4, KH: 1, KW: 2, SH: 1, SW: 1, AND_MASK: [0, 1] }, frames: 3, validProb: 0.9, readyProb: 0.9, seed: 5 },
];

const RANDOM = Array.from({ length: 12 }, (_, i) => randomCase(i));

/** Strides larger than the window: rows and columns no window covers are read and dropped. */
const SKIP: PoolCase[] = [
  { name: '2x2/3 on 8x8x4 PE 2, OR', p: { C: 4, PE: 2, ELEM_W: 1, SIGNED: 0, H: 8, W: 8, KH: 2, KW: 2, SH: 3, SW: 3, AND_MASK: [0, 0, 0, 0] }, frames: 3, validProb: 0.7, readyProb: 0.5, seed: 21 },
  { name: '1x1/2x3 on 5x7x3 PE 3, mixed (subsampling)', p: { C: 3, PE: 3, ELEM_W: 1, SIGNED: 0, H: 5, W: 7, KH: 1, KW: 1, SH: 2, SW: 3, AND_MASK: [1, 0, 1] }, frames: 3, validProb: 0.6, readyProb: 0.8, seed: 22 },
  { name: '3x2/5x4 on 11x10x2 PE 1, AND', p: { C: 2, PE: 1, ELEM_W: 1, SIGNED: 0, H: 11, W: 10, KH: 3, KW: 2, SH: 5, SW: 4, AND_MASK: [1, 1] }, frames: 2, validProb: 0.5, readyProb: 0.6, seed: 23 },
  { name: '2x2/9x9 on 4x5x2: one window, stride beyond the image', p: { C: 2, PE: 2, ELEM_W: 1, SIGNED: 0, H: 4, W: 5, KH: 2, KW: 2, SH: 9, SW: 9, AND_MASK: [0, 1] }, frames: 4, validProb: 0.9, readyProb: 0.3, seed: 24 },
];

function skipCase(i: number): PoolCase {
  const prng = new Prng(7100 + i);
  const KH = prng.int(1, 3);
  const KW = prng.int(1, 3);
  const SH = KH + prng.pick([0, 1, 2, 3]);
  const SW = KW + prng.pick([0, 1, 2, 3]);
  const H = prng.int(KH, KH + 9);
  const W = prng.int(KW, KW + 9);
  const PE = prng.pick([1, 2, 3]);
  const C = PE * prng.pick([1, 2]);
  const AND_MASK = Array.from({ length: C }, () => (prng.bool(0.4) ? 1 : 0));
  return {
    name: `skip #${i} ${H}x${W}x${C} k${KH}x${KW} s${SH}${SW} pe${PE} and=${AND_MASK.join('')}`,
    p: { C, PE, ELEM_W: 1, SIGNED: 0, H, W, KH, KW, SH, SW, AND_MASK },
    frames: 3,
    validProb: prng.pick([0.3, 0.6, 1]),
    readyProb: prng.pick([0.3, 0.6, 1]),
    seed: 800 + i,
  };
}

const SKIP_RANDOM = Array.from({ length: 10 }, (_, i) => skipCase(i));

/** k-bit code lanes: max / min per channel, unsigned and signed (two's complement) codes. */
const KBIT: PoolCase[] = [
  { name: '2-bit unsigned 2x2/2 on 8x8x4 PE 2, mixed max / min', p: { C: 4, PE: 2, ELEM_W: 2, SIGNED: 0, H: 8, W: 8, KH: 2, KW: 2, SH: 2, SW: 2, AND_MASK: [0, 1, 1, 0] }, frames: 3, validProb: 0.7, readyProb: 0.5, seed: 31 },
  { name: '2-bit signed 3x3/2 on 7x9x4 PE 4, mixed', p: { C: 4, PE: 4, ELEM_W: 2, SIGNED: 1, H: 7, W: 9, KH: 3, KW: 3, SH: 2, SW: 2, AND_MASK: [1, 0, 0, 1] }, frames: 3, validProb: 0.6, readyProb: 0.6, seed: 32 },
  { name: '3-bit signed 3x3/3 on 10x8x3 PE 1, dropped rows / columns, min', p: { C: 3, PE: 1, ELEM_W: 3, SIGNED: 1, H: 10, W: 8, KH: 3, KW: 3, SH: 3, SW: 3, AND_MASK: [1, 1, 1] }, frames: 3, validProb: 0.8, readyProb: 0.4, seed: 33 },
  { name: '8-bit unsigned global 4x5 pool, C 6 PE 3', p: { C: 6, PE: 3, ELEM_W: 8, SIGNED: 0, H: 4, W: 5, KH: 4, KW: 5, SH: 4, SW: 5, AND_MASK: [0, 1, 0, 1, 1, 0] }, frames: 4, validProb: 0.5, readyProb: 0.7, seed: 34 },
  { name: '4-bit signed 2x2/3 on 8x7x2 PE 1, stride beyond the kernel', p: { C: 2, PE: 1, ELEM_W: 4, SIGNED: 1, H: 8, W: 7, KH: 2, KW: 2, SH: 3, SW: 3, AND_MASK: [0, 1] }, frames: 3, validProb: 0.9, readyProb: 0.3, seed: 35 },
];

function kbitCase(i: number): PoolCase {
  const prng = new Prng(7200 + i);
  const base = prng.bool(0.5) ? randomCase(i + 40) : skipCase(i + 40);
  const ELEM_W = prng.pick([2, 3, 4, 8]);
  const SIGNED = prng.bool(0.5) ? 1 : 0;
  return { ...base, name: `${ELEM_W}-bit ${SIGNED ? 'signed' : 'unsigned'} ${base.name}`, p: { ...base.p, ELEM_W, SIGNED }, seed: 900 + i };
}

const KBIT_RANDOM = Array.from({ length: 10 }, (_, i) => kbitCase(i));

const zeros = (n: number): number[] => new Array<number>(n).fill(0);
/** Window sums (SUM = 1): bits, unsigned and signed codes; Bi-Real Net's 2x2 / 2 downsampling shortcut first. */
const SUM: PoolCase[] = [
  { name: 'sum 4-bit signed 2x2/2 on 8x8x8 PE 4 (Bi-Real shortcut)', p: { C: 8, PE: 4, ELEM_W: 4, SIGNED: 1, H: 8, W: 8, KH: 2, KW: 2, SH: 2, SW: 2, AND_MASK: zeros(8), SUM: 1 }, frames: 3, validProb: 0.7, readyProb: 0.5, seed: 41 },
  { name: 'sum 2-bit unsigned 3x3/2 on 7x9x4 PE 2', p: { C: 4, PE: 2, ELEM_W: 2, SIGNED: 0, H: 7, W: 9, KH: 3, KW: 3, SH: 2, SW: 2, AND_MASK: zeros(4), SUM: 1 }, frames: 3, validProb: 0.6, readyProb: 0.6, seed: 42 },
  { name: 'sum of bits 3x3/3 on 10x8x3 PE 1, dropped rows / columns', p: { C: 3, PE: 1, ELEM_W: 1, SIGNED: 0, H: 10, W: 8, KH: 3, KW: 3, SH: 3, SW: 3, AND_MASK: zeros(3), SUM: 1 }, frames: 3, validProb: 0.8, readyProb: 0.4, seed: 43 },
  { name: 'sum 8-bit signed global 4x5, C 6 PE 3', p: { C: 6, PE: 3, ELEM_W: 8, SIGNED: 1, H: 4, W: 5, KH: 4, KW: 5, SH: 4, SW: 5, AND_MASK: zeros(6), SUM: 1 }, frames: 4, validProb: 0.5, readyProb: 0.7, seed: 44 },
  { name: 'sum 3-bit signed 1x2/1x3 on 4x7x2 PE 2, stride beyond the kernel', p: { C: 2, PE: 2, ELEM_W: 3, SIGNED: 1, H: 4, W: 7, KH: 1, KW: 2, SH: 1, SW: 3, AND_MASK: zeros(2), SUM: 1 }, frames: 3, validProb: 0.9, readyProb: 0.3, seed: 45 },
  { name: 'sum 5-bit unsigned 1x1/1 on 3x3x2 PE 1 (identity lanes)', p: { C: 2, PE: 1, ELEM_W: 5, SIGNED: 0, H: 3, W: 3, KH: 1, KW: 1, SH: 1, SW: 1, AND_MASK: zeros(2), SUM: 1 }, frames: 3, validProb: 0.7, readyProb: 0.7, seed: 46 },
];

function sumCase(i: number): PoolCase {
  const prng = new Prng(7300 + i);
  const base = prng.bool(0.5) ? randomCase(i + 60) : skipCase(i + 60);
  const ELEM_W = prng.pick([1, 2, 3, 4, 8]);
  const SIGNED = ELEM_W > 1 && prng.bool(0.5) ? 1 : 0;
  return { ...base, name: `sum ${ELEM_W}-bit ${SIGNED ? 'signed' : 'unsigned'} ${base.name.replace(/ and=\d*/, '')}`, p: { ...base.p, ELEM_W, SIGNED, AND_MASK: zeros(base.p.C), SUM: 1 }, seed: 1000 + i };
}

const SUM_RANDOM = Array.from({ length: 10 }, (_, i) => sumCase(i));

const has = requireTools('iverilog', 'vvp');

describe.skipIf(!has)('bnn_pool co-simulation (Icarus) against the max-pool model and PoolSim', () => {
  for (const c of [...FIXED, ...RANDOM, ...SKIP, ...SKIP_RANDOM, ...KBIT, ...KBIT_RANDOM, ...SUM, ...SUM_RANDOM]) {
    it(`pooled values and handshake cycles: ${c.name} (v${c.validProb} r${c.readyProb})`, async () => {
      const { res, ts, expected, dir, inB } = await runCase(c);
      expect(res.timeout, `timeout, dir ${dir}`).toBe(false);
      expect(res.latency).toBe(1);
      expect(describeDiff(res.beats, expected), `dir ${dir}`).toBe('');
      expect(res.tbMismatches).toBe(0);
      expect(res.inCount).toBe(inB.length);
      expect(ts.timeout).toBe(false);
      expect(describeDiff(ts.beats.map((b) => packLanes(b, outLaneW(c.p))), expected)).toBe('');
      expect(ts.firstIn).toBe(res.firstIn);
      expect(ts.outCycles).toEqual(res.outCycles);
      await removeDir(dir);
    });
  }

  it.each([
    ['kernel larger than the stride', FIXED[1]!],
    ['stride larger than the kernel', SKIP[2]!],
    ['2-bit signed codes', KBIT[1]!],
    ['window sum of 2-bit codes', SUM[1]!],
  ] as const)('accepts one input beat per cycle and emits each pooled beat one cycle after its last input, %s', async (_what, base) => {
    const c: PoolCase = { ...base, validProb: 1, readyProb: 1, seed: 9 };
    const { res, ts, expected, dir, inB } = await runCase(c);
    expect(describeDiff(res.beats, expected), `dir ${dir}`).toBe('');
    expect(ts.outCycles).toEqual(res.outCycles);
    // input beats back to back: beat i in cycle firstIn + i
    expect(ts.inCycles).toEqual(inB.map((_, i) => res.firstIn + i));
    // output beat (oy, ox, g) leaves one cycle after input beat ((oy*SH+KH-1)*W + ox*SW+KW-1)*CP + g
    const p = c.p;
    const { oh, ow, cp } = poolGeometry(p);
    const want: number[] = [];
    for (let f = 0; f < c.frames; f++)
      for (let oy = 0; oy < oh; oy++)
        for (let ox = 0; ox < ow; ox++)
          for (let g = 0; g < cp; g++)
            want.push(res.firstIn + f * p.H * p.W * cp + ((oy * p.SH + p.KH - 1) * p.W + ox * p.SW + p.KW - 1) * cp + g + 1);
    expect(res.outCycles).toEqual(want);
    await removeDir(dir);
  });
});

const hasVerilator = requireTools('verilator');

describe.skipIf(!hasVerilator)('bnn_pool co-simulation (Verilator) against the max-pool model and PoolSim', () => {
  for (const c of [FIXED[1]!, SKIP[2]!, KBIT[1]!, KBIT[3]!, SUM[0]!, SUM[3]!, SUM[4]!]) {
    it(`pooled values and handshake cycles: ${c.name} (v${c.validProb} r${c.readyProb})`, async () => {
      const run = await runCase(c, 'verilator');
      expectStreamRun(run, 1);
      await removeDir(run.dir);
    }, 600_000);
  }
});

// The cycle model is proven equal to the RTL above; this sweep uses it to cover many more shapes.
describe('PoolSim sweep (cycle model, proven equal to the RTL above)', () => {
  it('poolOutWidth is the fewest bits holding every window sum (and ELEM_W for max / min), for all lanes and windows', () => {
    for (let w = 1; w <= 12; w++)
      for (const signed of w > 1 ? [0, 1] : [0])
        for (let kh = 1; kh <= 5; kh++)
          for (let kw = 1; kw <= 5; kw++)
            for (const SUM of [0, 1] as const) {
              const p: PoolParams = { C: 1, PE: 1, ELEM_W: w, SIGNED: signed, H: 5, W: 5, KH: kh, KW: kw, SH: 1, SW: 1, AND_MASK: [0], SUM };
              expect(poolOutWidth(p), JSON.stringify(p)).toBe(outLaneW(p));
            }
  });

  it('windowSumBlock: bnn_pool with SUM, no AND lanes, the window-sum lane, a stride beyond the image as the image size', () => {
    const b = windowSumBlock('sc', [8, 6, 16], [2, 2], [2, 9], 4, { w: 3, signed: true });
    expect(b.stage).toBeUndefined();
    expect(b.params).toEqual({ C: 16, PE: 4, ELEM_W: 3, SIGNED: 1, H: 8, W: 6, KH: 2, KW: 2, SH: 2, SW: 6, AND_MASK: zeros(16), SUM: 1 });
    // [-4, 3] * 4 = [-16, 12]: 5-bit signed lanes
    expect(poolKind.outWidth(b)).toBe(4 * 5);
    expect(poolKind.params(b, () => '').map((x) => x.name)).toEqual(['C', 'PE', 'ELEM_W', 'SIGNED', 'H', 'W', 'KH', 'KW', 'SH', 'SW', 'AND_MASK', 'SUM', 'OUT_W', 'OW', 'OBUF_DEPTH']);
    expect(poolKind.print(b)).toBe('sc: pool C=16 PE=4 ELEM_W=3 SIGNED=1 H=8 W=6 KH=2 KW=2 SH=2 SW=6 AND_MASK=0000000000000000 SUM=1 OUT_W=5');
    expect(() => windowSumBlock('bad', [4, 4, 6], [2, 2], [2, 2], 4, { w: 2, signed: false })).toThrow(/PE 4 does not divide C 6/);
  });

  it('a max-pool keeps the instance parameters of before the sum mode', () => {
    const b = { kind: 'pool' as const, name: 'p', params: FIXED[1]!.p };
    expect(poolKind.params(b, () => '').map((x) => x.name)).toEqual(['C', 'PE', 'ELEM_W', 'SIGNED', 'H', 'W', 'KH', 'KW', 'SH', 'SW', 'AND_MASK', 'OW', 'OBUF_DEPTH']);
    expect(poolKind.outWidth(b)).toBe(FIXED[1]!.p.PE);
  });

  it.each([
    ['kernel >= stride', 4711, false],
    ['stride > kernel', 4712, true],
  ] as const)('300 random shapes (bits and k-bit codes) under random gaps / backpressure, %s: pooled values equal the model', (_what, seed, skip) => {
    const prng = new Prng(seed);
    for (let i = 0; i < 300; i++) {
      let SH = prng.int(1, 3);
      let SW = prng.int(1, 3);
      let KH = SH + prng.int(0, 2);
      let KW = SW + prng.int(0, 2);
      // swap the roles: the stride exceeds the kernel by 1 .. 3
      if (skip) [KH, KW, SH, SW] = [SH, SW, SH + prng.int(1, 3), SW + prng.int(1, 3)];
      const PE = prng.pick([1, 2, 3]);
      const C = PE * prng.int(1, 3);
      const ELEM_W = prng.pick([1, 1, 2, 3, 4]);
      const sum = prng.bool(0.3);
      const p: PoolParams = {
        C,
        PE,
        ELEM_W,
        SIGNED: ELEM_W > 1 && prng.bool(0.5) ? 1 : 0,
        H: prng.int(KH, KH + 7),
        W: prng.int(KW, KW + 7),
        KH,
        KW,
        SH,
        SW,
        AND_MASK: Array.from({ length: C }, () => (!sum && prng.bool(0.5) ? 1 : 0)),
        ...(sum ? { SUM: 1 as const } : {}),
      };
      const imgs = genImages(p, 2, prng);
      const inB = inputBeats(p, imgs);
      const expected = pooled(p, imgs);
      const vp = prng.pick([0.3, 0.7, 1]);
      const rp = prng.pick([0.3, 0.7, 1]);
      const r = driveBlock(new PoolSim('pool', p), inB, expected.length, {
        seed: i,
        validProb: vp,
        readyProb: rp,
        maxCycles: Math.ceil(((inB.length + expected.length) * 4) / Math.min(vp, rp)) + 400,
      });
      expect(r.timeout, JSON.stringify(p)).toBe(false);
      expect(describeDiff(r.beats.map((b) => packLanes(b, outLaneW(p))), expected), JSON.stringify(p)).toBe('');
      if (vp === 1 && rp === 1) expect(r.inCycles[r.inCycles.length - 1]! - r.firstIn).toBe(r.inCycles.length - 1);
    }
  });
});

libraryChecks('bnn_pool', {
  lint: [
    {},
    { C: 8, PE: 4, H: 8, W: 8, KH: 2, KW: 2, SH: 2, SW: 2 },
    { C: 4, PE: 2, H: 7, W: 9, KH: 3, KW: 3, SH: 2, SW: 2, AND_MASK: "4'h9" },
    { C: 3, PE: 1, H: 10, W: 8, KH: 3, KW: 3, SH: 3, SW: 3, AND_MASK: "3'h7" },
    { C: 6, PE: 6, H: 4, W: 5, KH: 4, KW: 5, SH: 4, SW: 5, AND_MASK: "6'h1a" },
    { C: 2, PE: 1, H: 3, W: 4, KH: 1, KW: 2, SH: 1, SW: 1, AND_MASK: "2'h2" },
    { C: 64, PE: 16, H: 16, W: 16, KH: 3, KW: 3, SH: 2, SW: 2 },
    // strides larger than the window
    { C: 4, PE: 2, H: 8, W: 8, KH: 2, KW: 2, SH: 3, SW: 3, AND_MASK: "4'h5" },
    { C: 3, PE: 3, H: 5, W: 7, KH: 1, KW: 1, SH: 2, SW: 3 },
    // k-bit code lanes (max / min), unsigned and signed
    { C: 4, PE: 2, ELEM_W: 2, H: 7, W: 9, KH: 3, KW: 3, SH: 2, SW: 2, AND_MASK: "4'h9" },
    { C: 6, PE: 3, ELEM_W: 8, SIGNED: 1, H: 4, W: 5, KH: 4, KW: 5, SH: 4, SW: 5, AND_MASK: "6'h1a" },
    { C: 2, PE: 1, ELEM_W: 3, SIGNED: 1, H: 3, W: 4, KH: 1, KW: 1, SH: 1, SW: 1 },
    // window sums (SUM = 1)
    { C: 8, PE: 4, ELEM_W: 4, SIGNED: 1, H: 8, W: 8, KH: 2, KW: 2, SH: 2, SW: 2, SUM: 1, OUT_W: 6 },
    { C: 3, PE: 1, ELEM_W: 1, H: 10, W: 8, KH: 3, KW: 3, SH: 3, SW: 3, SUM: 1, OUT_W: 4 },
    { C: 2, PE: 2, ELEM_W: 5, H: 3, W: 3, KH: 1, KW: 1, SH: 1, SW: 1, SUM: 1, OUT_W: 5 },
    { C: 6, PE: 3, ELEM_W: 32, SIGNED: 1, H: 4, W: 5, KH: 4, KW: 5, SH: 4, SW: 5, SUM: 1, OUT_W: 37 },
  ],
  paramErrors: [
    { bad: { C: 6, PE: 4, AND_MASK: "6'h0" }, good: { C: 8, PE: 4, AND_MASK: "8'h0" }, error: 'bnn_param_error_pool_PE_does_not_divide_C' },
    { bad: { H: 4, W: 2, KH: 2, KW: 3 }, good: { H: 4, W: 3, KH: 2, KW: 3 }, error: 'bnn_param_error_pool_window_larger_than_the_image' },
    { bad: { SH: 0 }, good: { SH: 1 }, error: 'bnn_param_error_pool_SH_or_SW_below_1' },
    { bad: { ELEM_W: 33 }, good: { ELEM_W: 32 }, error: 'bnn_param_error_pool_ELEM_W_not_1_to_32' },
    { bad: { ELEM_W: 1, SIGNED: 1 }, good: { ELEM_W: 2, SIGNED: 1 }, error: 'bnn_param_error_pool_SIGNED_needs_ELEM_W_at_least_2' },
    { bad: { W: 5, OW: 1 }, good: { W: 5, OW: 2 }, error: 'bnn_param_error_pool_OW_is_not_the_window_count' },
    // the window sum: OUT_W comes from the compiler (poolOutWidth), the module checks that every sum fits
    { bad: { ELEM_W: 4, SIGNED: 1, SUM: 1, OUT_W: 5 }, good: { ELEM_W: 4, SIGNED: 1, SUM: 1, OUT_W: 6 }, error: 'bnn_param_error_pool_OUT_W_too_narrow_for_the_sum' },
    { bad: { ELEM_W: 3, SUM: 1, OUT_W: 4 }, good: { ELEM_W: 3, SUM: 1, OUT_W: 5 }, error: 'bnn_param_error_pool_OUT_W_too_narrow_for_the_sum' },
    { bad: { ELEM_W: 2, OUT_W: 4 }, good: { ELEM_W: 2, OUT_W: 2 }, error: 'bnn_param_error_pool_OUT_W_differs_from_ELEM_W_without_SUM' },
    { bad: { ELEM_W: 2, SUM: 1, OUT_W: 4, AND_MASK: "2'h1" }, good: { ELEM_W: 2, SUM: 1, OUT_W: 4, AND_MASK: "2'h0" }, error: 'bnn_param_error_pool_AND_MASK_set_with_SUM' },
    { bad: { SUM: 2 }, good: { SUM: 0 }, error: 'bnn_param_error_pool_SUM_not_0_or_1' },
  ],
  synth: [
    { params: { C: 8, PE: 4, H: 8, W: 8, KH: 2, KW: 2, SH: 2, SW: 2, AND_MASK: 0x5a } },
    { params: { C: 4, PE: 2, H: 7, W: 9, KH: 3, KW: 3, SH: 2, SW: 2, AND_MASK: 9 } },
    { params: { C: 4, PE: 2, ELEM_W: 2, SIGNED: 1, H: 7, W: 9, KH: 3, KW: 3, SH: 2, SW: 2, AND_MASK: 9 } },
  ],
});
