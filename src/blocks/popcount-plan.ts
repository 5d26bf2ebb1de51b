/**
 * The structure of the MVU datapaths that the RTL and the TypeScript side both need, computed once
 * here and handed to the RTL as parameters (templates/lib/bnn_popcount.v, bnn_addtree.v; the RTL
 * only checks the values at elaboration):
 * - the XNOR-popcount column compressor of bnn_mvtu: column heights after every level and which
 *   columns get a partial counter (the remainder rule, chosen by LUT cost);
 * - the register spreading rule: which level of the compressor / adder tree gets how many of the
 *   POP_STAGES pipeline registers.
 * The estimator (src/estimate) reads the same plan for its LUT / FF features.
 */
import { clog2 } from '../util/math.js';

export interface PopcountPlan {
  simd: number;
  /** 1 when the weights are streamed (full-adder level on the XNOR pairs), 0 when constant */
  fa: 0 | 1;
  /** remainder rule chosen by LUT cost (0 or 1) */
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
  /** column heights after every level: heights[j][c], j = 0..levels, c = 0..clog2(simd+1)-1 */
  heights: number[][];
  /** partial[j][c] = 1: the remainder (height % 6 bits) of column c of level j gets one more counter */
  partial: (0 | 1)[][];
}

const k = (x: number, rule: number): 0 | 1 => (rule === 0 ? (x % 6 >= 3 ? 1 : 0) : x % 6 === 5 || (x < 6 && x >= 3) ? 1 : 0);
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

/**
 * The compressor of one PE. Level FA (streamed weights): full adders on triples of XNOR bits. Levels
 * 1..levels: in every column, groups of 6 bits -> 6:3 counters, the remainder either passes or gets
 * one more counter (partial). Repeated until every column holds <= 2 bits; a carry-propagate adder
 * adds the two rows. Constant weights (NF = SF = 1) skip the FA level: counters take the XNORs.
 */
export function popcountPlan(simd: number, constantWeights: boolean): PopcountPlan {
  const fa: 0 | 1 = constantWeights ? 0 : 1;
  const cols = clog2(simd + 1);
  const rule: 0 | 1 = cost(simd, fa, 1) < cost(simd, fa, 0) ? 1 : 0;
  let h = start(simd, fa, cols);
  const heights = [h];
  const partial: (0 | 1)[][] = [];
  while (Math.max(...h) > 2) {
    partial.push(h.map((x) => k(x, rule)));
    h = step(h, rule);
    heights.push(h);
  }
  const levels = heights.length - 1;
  const cpaBits = h.filter((x, c) => x >= 2 || c > 0).length;
  return {
    simd, fa, rule, levels, total: fa + levels + 1,
    faLuts: fa ? 2 * Math.floor(simd / 3) : 0,
    counterLuts: cost(simd, fa, rule),
    cpaBits: Math.max(1, cpaBits),
    bitsPerLevel: heights.map((x) => x.reduce((a, b) => a + b, 0)),
    heights, partial,
  };
}

/**
 * The register spreading rule: `stages` register levels cut a chain of `levels` logic levels plus
 * the accumulator adder after it into stages+1 nearly equal segments. Returns the register levels
 * after logic level l, l = 0..levels (index 0: on the inputs, used only when levels = 0).
 */
export function spreadRegisters(levels: number, stages: number): number[] {
  if (levels === 0) return [stages];
  const cut = (l: number) => Math.floor((l * (stages + 1)) / (levels + 1));
  return Array.from({ length: levels + 1 }, (_, l) => (l === 0 ? 0 : l === levels ? stages - cut(levels - 1) : cut(l) - cut(l - 1)));
}

/** Register levels after compressor level j (j = 0..levels) and, last, after the carry-propagate adder. */
export function popcountRegs(p: PopcountPlan, popStages: number): number[] {
  const r = spreadRegisters(p.total, popStages);
  return [...Array.from({ length: p.levels + 1 }, (_, j) => (p.fa + j === 0 ? 0 : r[p.fa + j]!)), r[p.total]!];
}

/** Levels of bnn_addtree's balanced tree over n leaves and its register levels after each (0..L). */
/** Pipeline flip-flops inside the compressor of one PE (registers after each level). */
export function popcountRegBits(p: PopcountPlan, popStages: number, cntW: number): number {
  const r = popcountRegs(p, popStages);
  let bits = 0;
  for (let j = 0; j <= p.levels; j++) bits += r[j]! * p.bitsPerLevel[j]!;
  return bits + r[p.levels + 1]! * cntW;
}

export function adderTreeRegs(n: number, stages: number): number[] {
  return spreadRegisters(clog2(n), stages);
}

/** Field widths of the packed Verilog vectors (bnn_popcount / bnn_addtree). */
export const HEIGHT_BITS = 16;
export const REG_BITS = 8;

/** A Verilog sized hex literal of fields (field 0 in the low bits). */
export function packFields(values: readonly number[], bits: number): string {
  let v = 0n;
  values.forEach((x, i) => {
    v |= BigInt(x) << BigInt(i * bits);
  });
  return `${values.length * bits}'h${v.toString(16)}`;
}

export interface VerilogParam {
  name: string;
  value: string | number;
}

/** The structure parameters of a bnn_mvtu instance (POP_*), passed on to its bnn_popcount. */
export function mvtuStructureParams(simd: number, nf: number, sf: number, popStages: number): VerilogParam[] {
  const p = popcountPlan(simd, nf === 1 && sf === 1);
  const cols = clog2(simd + 1);
  return [
    { name: 'POP_FA', value: p.fa },
    { name: 'POP_LEVELS', value: p.levels },
    { name: 'POP_H', value: packFields(p.heights.flat(), HEIGHT_BITS) },
    { name: 'POP_K', value: packFields(p.levels > 0 ? p.partial.flat() : new Array<number>(cols).fill(0), 1) },
    { name: 'POP_REGS', value: packFields(popcountRegs(p, popStages), REG_BITS) },
  ];
}

/** The structure parameter of a bnn_mvu_int instance (register levels of its adder trees). */
export function mvuIntStructureParams(simd: number, popStages: number): VerilogParam[] {
  return [{ name: 'POP_REGS', value: packFields(adderTreeRegs(simd, popStages), REG_BITS) }];
}
