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
  /** input bit planes (column b of level 0 holds plane b); 1 for the binary XNOR popcount */
  planes: number;
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
// counters, passed bits and weight-4 outputs of a column of x bits whose remainder flag is f
const ncnt = (x: number, f: number) => Math.floor(x / 6) + f;
const npass = (x: number, f: number) => (f ? 0 : x % 6);
const nhigh = (x: number, f: number) => Math.floor(x / 6) + (f && x % 6 >= 4 ? 1 : 0);

/**
 * Column heights after the first level: `planes` columns of `simd` product bits each (column b has
 * weight 2^b; the binary popcount is planes = 1). With the full-adder level (fa = 1) every column's
 * triples become a sum bit in the column and a carry bit in the next; the simd % 3 left-over bits pass.
 */
function start(simd: number, fa: number, cols: number, planes = 1): number[] {
  const h = new Array<number>(cols).fill(0);
  const g3 = Math.floor(simd / 3);
  for (let b = 0; b < planes && b < cols; b++) {
    if (fa) {
      h[b]! += g3 + (simd % 3);
      if (b + 1 < cols) h[b + 1]! += g3;
    } else h[b]! += simd;
  }
  return h;
}

function step(h: number[], f: (0 | 1)[]): number[] {
  const get = (c: number) => (c < 0 || c >= h.length ? 0 : h[c]!);
  const fl = (c: number) => (c < 0 || c >= h.length ? 0 : f[c]!);
  return h.map((_, c) => ncnt(get(c), fl(c)) + npass(get(c), fl(c)) + ncnt(get(c - 1), fl(c - 1)) + nhigh(get(c - 2), fl(c - 2)));
}

/**
 * The remainder flags of one level: the remainder rule, except (weighted plans) on a level whose
 * columns hold <= 3 bits: from the lowest column up, a column gets a counter (full or half adder)
 * exactly when its bits plus the carry from the column below would exceed 2, so that level is the
 * last one (without it, a carry ripples up one column per level).
 */
function flags(h: number[], rule: number, weighted: boolean): (0 | 1)[] {
  if (!weighted || Math.max(...h) > 3) return h.map((x) => k(x, rule));
  let carry = 0;
  return h.map((x) => {
    const f: 0 | 1 = x >= 2 && x + carry > 2 ? 1 : 0;
    carry = f;
    return f;
  });
}

/** Levels of counters from h0 until every column holds <= 2 bits: heights, flags and counter LUTs. */
function levels(h0: number[], rule: number, weighted: boolean): { heights: number[][]; partial: (0 | 1)[][]; luts: number } {
  const cols = h0.length;
  let h = h0;
  const heights = [h];
  const partial: (0 | 1)[][] = [];
  let luts = 0;
  while (Math.max(...h) > 2 && heights.length <= 64) {
    const f = flags(h, rule, weighted);
    h.forEach((x, c) => {
      luts += ncnt(x, f[c]!);
      if (c + 1 < cols) luts += ncnt(x, f[c]!);
      if (c + 2 < cols) luts += nhigh(x, f[c]!);
    });
    partial.push(f);
    h = step(h, f);
    heights.push(h);
  }
  return { heights, partial, luts };
}

/**
 * The compressor of one PE. Level FA (streamed weights): full adders on triples of XNOR bits. Levels
 * 1..levels: in every column, groups of 6 bits -> 6:3 counters, the remainder either passes or gets
 * one more counter (partial). Repeated until every column holds <= 2 bits; a carry-propagate adder
 * adds the two rows. Constant weights (NF = SF = 1) skip the FA level: counters take the XNORs.
 */
export function popcountPlan(simd: number, constantWeights: boolean): PopcountPlan {
  const fa: 0 | 1 = constantWeights ? 0 : 1;
  return columnPlan(simd, 1, clog2(simd + 1), fa);
}

/** Columns of the bit-plane compressor: bits of sum_b 2^b popcount(plane b), at most simd * (2^planes - 1). */
export const bitplaneCols = (simd: number, planes: number): number => clog2(simd * (2 ** planes - 1) + 1);

/**
 * The weighted compressor of one PE of bnn_mvu_int's bit-plane datapath (templates/lib/bnn_bitplane.v):
 * SIMD x planes XNOR bits (weight bit XNOR input bit b), bit b entering column b, compressed like the
 * binary popcount (full-adder level on triples of one column, then 6:3 counter levels over all
 * columns, carry-save, until every column holds <= 2 bits, then one carry-propagate adder).
 * planes = 1 is the binary plan's structure (popcountPlan).
 */
export function bitplanePlan(simd: number, planes: number, constantWeights: boolean): PopcountPlan {
  return columnPlan(simd, planes, bitplaneCols(simd, planes), constantWeights ? 0 : 1);
}

function columnPlan(simd: number, planes: number, cols: number, fa: 0 | 1): PopcountPlan {
  const h0 = start(simd, fa, cols, planes);
  const weighted = planes > 1;
  const rule: 0 | 1 = levels(h0, 1, weighted).luts < levels(h0, 0, weighted).luts ? 1 : 0;
  const { heights, partial, luts } = levels(h0, rule, weighted);
  const h = heights[heights.length - 1]!;
  const nLevels = heights.length - 1;
  const cpaBits = h.filter((x, c) => x >= 2 || c > 0).length;
  // a full adder's carry into a column >= cols is always 0 and is dropped (only when simd < 3)
  const faOuts = (b: number) => (b + 1 < cols ? 2 : 1);
  let faLuts = 0;
  if (fa) for (let b = 0; b < planes; b++) faLuts += faOuts(b) * Math.floor(simd / 3);
  return {
    simd, planes, fa, rule, levels: nLevels, total: fa + nLevels + 1,
    faLuts,
    counterLuts: luts,
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

/** The two datapaths of bnn_mvu_int (its DATAPATH parameter): 0 add/subtract tree, 1 bit-plane compressor. */
export type MvuIntDatapath = 'addsub' | 'bitplane';

/**
 * The structure parameters of a bnn_mvu_int instance: register levels of its add/subtract trees
 * (POP_REGS) and, for the bit-plane (XNOR-form) datapath, DATAPATH = 1 and the weighted compressor
 * plan of every PE (BP_*, passed on to its bnn_bitplane). The per-neuron constant XC depends on the
 * weights: mvu-int-datapath.ts, xnorOffsetParam.
 */
export function mvuIntStructureParams(simd: number, popStages: number, datapath: MvuIntDatapath = 'addsub', inW = 1, constantWeights = false): VerilogParam[] {
  const regs: VerilogParam = { name: 'POP_REGS', value: packFields(adderTreeRegs(simd, popStages), REG_BITS) };
  if (datapath === 'addsub') return [regs];
  const p = bitplanePlan(simd, inW, constantWeights);
  const cols = bitplaneCols(simd, inW);
  return [
    { name: 'DATAPATH', value: 1 },
    regs,
    { name: 'BP_COLS', value: cols },
    { name: 'BP_FA', value: p.fa },
    { name: 'BP_LEVELS', value: p.levels },
    { name: 'BP_H', value: packFields(p.heights.flat(), HEIGHT_BITS) },
    { name: 'BP_K', value: packFields(p.levels > 0 ? p.partial.flat() : new Array<number>(cols).fill(0), 1) },
    { name: 'BP_REGS', value: packFields(popcountRegs(p, popStages), REG_BITS) },
  ];
}
