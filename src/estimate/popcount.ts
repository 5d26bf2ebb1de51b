/**
 * The XNOR-popcount compressor of bnn_mvtu (templates/lib/bnn_mvtu.v, region "[popcount]"),
 * re-computed in TypeScript: column heights per level, the remainder rule the RTL picks, counter
 * LUT6 count and the number of LUT levels. Used by the MVTU estimator and the LUT-depth report; a
 * test compares it with the RTL's own constant functions through synthesis.
 */
import { clog2 } from '../util/math.js';

export interface PopcountPlan {
  simd: number;
  /** 1 when the weights are streamed (full-adder level on the XNOR pairs), 0 when constant */
  fa: 0 | 1;
  /** remainder rule chosen by the RTL (0 or 1) */
  rule: 0 | 1;
  /** counter levels after the first level */
  levels: number;
  /** compressor levels before the accumulator: fa + levels + 1 (carry-propagate adder) */
  total: number;
  /** LUT6 outputs: full-adder level, counter levels, carry-propagate adder bits */
  faLuts: number;
  counterLuts: number;
  cpaBits: number;
  /** bits after every level (index 0 = first level output), for register counts */
  bitsPerLevel: number[];
}

const k = (x: number, rule: number): number => (rule === 0 ? (x % 6 >= 3 ? 1 : 0) : x % 6 === 5 || (x < 6 && x >= 3) ? 1 : 0);
const ncnt = (x: number, rule: number) => Math.floor(x / 6) + k(x, rule);
const npass = (x: number, rule: number) => (k(x, rule) ? 0 : x % 6);
const nhigh = (x: number, rule: number) => Math.floor(x / 6) + (k(x, rule) && x % 6 >= 4 ? 1 : 0);

function start(simd: number, fa: number, cols: number): number[] {
  const h = new Array<number>(cols).fill(0);
  if (fa) {
    h[0] = Math.floor(simd / 3) + (simd % 3);
    if (cols > 1) h[1] = Math.floor(simd / 3);
  } else h[0] = simd;
  return h;
}

function step(h: number[], rule: number): number[] {
  const get = (c: number) => (c < 0 || c >= h.length ? 0 : h[c]!);
  return h.map((_, c) => ncnt(get(c), rule) + npass(get(c), rule) + ncnt(get(c - 1), rule) + nhigh(get(c - 2), rule));
}

function cost(simd: number, fa: number, rule: number): number {
  const cols = clog2(simd + 1);
  let h = start(simd, fa, cols);
  let total = 0;
  let n = 0;
  while (Math.max(...h) > 2 && n < 64) {
    h.forEach((x, c) => {
      total += ncnt(x, rule);
      if (c + 1 < cols) total += ncnt(x, rule);
      if (c + 2 < cols) total += nhigh(x, rule);
    });
    h = step(h, rule);
    n++;
  }
  return total;
}

export function popcountPlan(simd: number, constantWeights: boolean): PopcountPlan {
  const fa: 0 | 1 = constantWeights ? 0 : 1;
  const cols = clog2(simd + 1);
  const rule: 0 | 1 = cost(simd, fa, 1) < cost(simd, fa, 0) ? 1 : 0;
  let h = start(simd, fa, cols);
  const bitsPerLevel = [h.reduce((a, b) => a + b, 0)];
  let levels = 0;
  while (Math.max(...h) > 2) {
    h = step(h, rule);
    bitsPerLevel.push(h.reduce((a, b) => a + b, 0));
    levels++;
  }
  const cpaBits = h.filter((x, c) => x >= 2 || c > 0).length;
  return {
    simd, fa, rule, levels, total: fa + levels + 1,
    faLuts: fa ? 2 * Math.floor(simd / 3) : 0,
    counterLuts: cost(simd, fa, rule),
    cpaBits: Math.max(1, cpaBits),
    bitsPerLevel,
  };
}

/** Register levels the RTL places after compressor level l (1..total), the bnn_addtree rule. */
export function regsAfter(l: number, total: number, popStages: number): number {
  if (l <= 0) return 0;
  if (l === total) return popStages - Math.floor(((total - 1) * (popStages + 1)) / (total + 1));
  return Math.floor((l * (popStages + 1)) / (total + 1)) - Math.floor(((l - 1) * (popStages + 1)) / (total + 1));
}

/** Pipeline flip-flops inside the compressor of one PE (registers after each level). */
export function popcountRegBits(p: PopcountPlan, popStages: number, cntW: number): number {
  let bits = 0;
  for (let j = 0; j <= p.levels; j++) bits += regsAfter(p.fa + j, p.total, popStages) * p.bitsPerLevel[j]!;
  bits += regsAfter(p.total, p.total, popStages) * cntW;
  return bits;
}

/**
 * Documented bound on LUT levels between registers in the MVTU datapath: the compressor levels and
 * the accumulator adder (each counted as one LUT level; adders add a carry chain) split by the
 * POP_STAGES registers. The measured depth is reported by `bnn-hw synth --lut-depth`.
 */
export function lutDepthBound(p: PopcountPlan, popStages: number): number {
  const levels = p.total + 1; // + accumulator
  let worst = 0;
  let run = 0;
  for (let l = 1; l <= levels; l++) {
    run++;
    const r = l <= p.total ? regsAfter(l, p.total, popStages) : 0;
    if (r > 0) {
      worst = Math.max(worst, run);
      run = 0;
    }
  }
  return Math.max(worst, run);
}
