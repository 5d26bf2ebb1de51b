/**
 * Resource estimators, one per block kind (the registry `ESTIMATORS`). Every estimator computes
 * structural *features* of its block from the Verilog parameters (bits of registers, LUT6 outputs of
 * the popcount compressor, LUTRAM cells, ROM bits left in logic, ...) and the estimate is
 *   LUT = sum_f c_lut[kind][f] * feature_f,   FF = sum_f c_ff[kind][f] * feature_f
 * with one constant per feature, fabric (Xilinx LUT6 / iCE40 LUT4) and kind. The constants come from
 * the calibration sweep (scripts/calibrate.mjs, docs/calibration.md) and live in constants.ts.
 * Block RAM / EBR counts are not fitted: they come from the memory_libmap model (memory.ts), which
 * must match synthesis exactly. Nested library instances (a compute block's output FIFO) are
 * estimated by their own estimator and added.
 *
 * To add a block kind (e.g. a new convolution block), add its features function to ESTIMATORS and
 * its constants to constants.ts; scripts/calibrate.mjs fits them from synthesis.
 */
import type { ArgmaxBlock, DwcBlock, FifoBlock, HwBlock, MvtuBlock, MvuIntBlock, PoolBlock, SwgBlock, ThreshInBlock } from '../blocks/types.js';
import { SWG_OBUF_DEPTH, POOL_OBUF_DEPTH, swgGeometry } from '../blocks/conv-sim.js';
import { rankMem, thresholdMem, threshInMem, weightMem } from '../blocks/memfiles.js';
import { clog2, gcd } from '../util/math.js';
import type { Fabric } from './devices.js';
import { liveColumns, mapMemory, parseMemImage, type MemMapping } from '../blocks/memory.js';
import { popcountPlan, popcountRegBits } from './popcount.js';
import { adderTreeRegs } from '../blocks/popcount-plan.js';
import { CONSTANTS, type KindConstants } from './constants.js';

export interface Resources {
  lut: number;
  ff: number;
  /** Xilinx block RAM in 18 Kbit units (a RAMB36 counts 2) */
  bram18: number;
  /** iCE40 4 Kbit block RAMs */
  ebr: number;
  dsp: number;
  /** LUTs used as distributed RAM (included in lut) */
  lutram: number;
}

export const ZERO: Resources = { lut: 0, ff: 0, bram18: 0, ebr: 0, dsp: 0, lutram: 0 };

export function addRes(a: Resources, b: Resources): Resources {
  return { lut: a.lut + b.lut, ff: a.ff + b.ff, bram18: a.bram18 + b.bram18, ebr: a.ebr + b.ebr, dsp: a.dsp + b.dsp, lutram: a.lutram + b.lutram };
}

/** Features of one block (before the constants), plus fixed resources and nested blocks. */
export interface Features {
  lut: Record<string, number>;
  ff: Record<string, number>;
  /** resources that are not fitted: block RAM, EBR, DSP, LUTRAM LUTs (added to lut as is) */
  fixed: Resources;
  nested: Features[];
  /** kind of the constants to use for nested entries */
  kind: string;
}

export interface EstimateOptions {
  fabric: Fabric;
  /**
   * Read ROM images (weights) to find constant columns; false assumes every weight column varies
   * (fast path for the folding search; thresholds are always read).
   */
  exactWeights?: boolean;
}

export type Estimator<B extends HwBlock> = (b: B, o: EstimateOptions) => Features;

const aw = (depth: number) => Math.max(1, clog2(depth));

/** LUTs of a ROM lowered to logic, before the calibration constant: one output function per live bit. */
export function romLogicLuts(fabric: Fabric, width: number, depth: number): number {
  if (width === 0 || depth <= 1) return 0;
  if (fabric === 'xilinx') {
    // LUT6 per bit for 64 words; 2 / 4 LUT6 (+ MUXF7 / MUXF8) for 128 / 256; wider muxes above
    const perBit = depth <= 64 ? 1 : depth <= 128 ? 2 : depth <= 256 ? 4 : Math.ceil(depth / 64) + 1.3 * (Math.ceil(depth / 256) - 1);
    return width * perBit;
  }
  // LUT4 per bit for 16 words, then a 4:1 mux tree of 16-word LUTs
  return width * (depth <= 16 ? 1 : Math.ceil(depth / 16) * (1 + 1 / 3));
}

interface RomUse {
  map: MemMapping;
  live: number;
  /** distinct live columns: a ROM in logic keeps one LUT function (and q register) per distinct column */
  distinct: number;
  depth: number;
}

/** Number of distinct non-constant columns of a ROM image (opt_merge shares identical ROM bit functions). */
function distinctColumns(words: readonly bigint[], width: number): number {
  const cols = new Set<string>();
  for (let i = 0; i < width; i++) {
    let c = '';
    for (const w of words) c += (w >> BigInt(i)) & 1n ? '1' : '0';
    if (c.includes('0') && c.includes('1')) cols.add(c);
  }
  return cols.size;
}

function romUse(fabric: Fabric, width: number, depth: number, image: (() => string) | null): RomUse {
  let live = width;
  // without the image: at most 2^depth - 2 different non-constant columns
  let distinct = depth < 20 ? Math.min(width, 2 ** depth - 2) : width;
  if (depth <= 1) live = distinct = 0; // one word: a constant
  else if (image) {
    const words = parseMemImage(image());
    live = liveColumns(words, width);
    const map = mapMemory(fabric, { width: live, depth, kind: 'rom' });
    distinct = map.option === null ? distinctColumns(words, width) : live;
    return { map, live, distinct, depth };
  }
  return { map: mapMemory(fabric, { width: live, depth, kind: 'rom' }), live, distinct, depth };
}

/** Features of a ROM (bnn_rom): logic LUTs or block RAM, output register bits when in logic. */
function romFeatures(fabric: Fabric, r: RomUse, prefix: string, f: Features): void {
  if (r.live === 0) return;
  if (r.map.option === null && r.depth <= 4) {
    // at most 2 address bits: each live bit is a function of the address that synthesis folds into
    // the LUTs consuming it (XNOR / compare); the data register mostly moves to the address side
    f.lut[`${prefix}_small`] = (f.lut[`${prefix}_small`] ?? 0) + r.distinct;
    f.ff[`${prefix}_small_q`] = (f.ff[`${prefix}_small_q`] ?? 0) + r.distinct;
  } else if (r.map.option === null) {
    f.lut[`${prefix}_logic`] = (f.lut[`${prefix}_logic`] ?? 0) + romLogicLuts(fabric, r.distinct, r.depth);
    f.ff[`${prefix}_q`] = (f.ff[`${prefix}_q`] ?? 0) + r.distinct;
  } else {
    f.fixed = { ...f.fixed, bram18: f.fixed.bram18 + r.map.bram18, ebr: f.fixed.ebr + r.map.ebr };
    // read mux over the address slices, per live bit: LUT6 4:1 levels (ceil((slices - 1) / 3) LUTs)
    // on Xilinx, 2:1 LUT4s (slices - 1) on iCE40
    const perBit = fabric === 'xilinx' ? Math.ceil((r.map.slices - 1) / 3) : r.map.slices - 1;
    f.lut[`${prefix}_mux`] = (f.lut[`${prefix}_mux`] ?? 0) + r.live * perBit;
    f.ff[`${prefix}_mux`] = (f.ff[`${prefix}_mux`] ?? 0) + (r.map.slices > 1 ? clog2(r.map.slices) : 0);
  }
}

/** Features of a RAM with asynchronous / registered-address read (FIFO storage, input buffers). */
function ramFeatures(fabric: Fabric, width: number, depth: number, prefix: string, f: Features, kind: 'ram' | 'ram1' = 'ram'): void {
  const m = mapMemory(fabric, { width, depth, kind });
  if (m.option === null) {
    f.ff[`${prefix}_store`] = (f.ff[`${prefix}_store`] ?? 0) + width * depth;
    f.lut[`${prefix}_ffmux`] = (f.lut[`${prefix}_ffmux`] ?? 0) + width * (depth - 1) + depth;
  } else {
    f.fixed = { ...f.fixed, bram18: f.fixed.bram18 + m.bram18, ebr: f.fixed.ebr + m.ebr, lutram: f.fixed.lutram + m.lutram, lut: f.fixed.lut + m.lutram };
    if (m.option.kind === 'distributed') {
      if (m.slices > 1) {
        // several LUTRAM address slices: the asynchronous read mux is exact, ceil((slices - 1) / 3)
        // LUT6 (4:1 mux levels) per data bit; per slice a write enable and the slice-select logic
        const rmux = width * Math.ceil((m.slices - 1) / 3);
        f.fixed = { ...f.fixed, lut: f.fixed.lut + rmux };
        f.lut[`${prefix}_slices`] = (f.lut[`${prefix}_slices`] ?? 0) + m.slices;
      }
    } else f.lut[`${prefix}_mux`] = (f.lut[`${prefix}_mux`] ?? 0) + width * (m.slices - 1) + (m.slices > 1 ? m.slices : 0);
    if (m.option.kind === 'block') {
      // block RAM reads synchronously: the asynchronous read of the RTL is emulated with the read
      // address taken from the pointer's next value and a transparency bypass (write-data register
      // + address-match flag, one 2:1 mux per data bit)
      f.lut[`${prefix}_bypass`] = (f.lut[`${prefix}_bypass`] ?? 0) + width;
      f.ff[`${prefix}_bypass`] = (f.ff[`${prefix}_bypass`] ?? 0) + width + 1;
    }
  }
}

const empty = (kind: string): Features => ({ kind, lut: { one: 1 }, ff: { one: 1 }, fixed: { ...ZERO }, nested: [] });

/** bnn_fifo: pointers and count, storage (LUTRAM / BRAM / flip-flops). */
export const fifoFeatures = (width: number, depth: number, fabric: Fabric): Features => {
  const f = empty('fifo');
  const a = aw(depth);
  f.lut['aw'] = a;
  // count / pointers of 3+ bits: +-1 and wrap compare become carry chains (CARRY4 / SB_CARRY with
  // inverters) instead of single LUTs
  if (clog2(depth + 1) >= 3) f.lut['alu'] = 1;
  f.ff['ctl'] = 2 * a + clog2(depth + 1);
  ramFeatures(fabric, width, depth, 'mem', f);
  return f;
};

const fifo: Estimator<FifoBlock> = (b, o) => fifoFeatures(b.width, b.depth, o.fabric);

/** bnn_dwc: CAP-bit buffer, variable-position write (IN_W bits into CU-IU+1 positions), fixed shift out. */
const dwc: Estimator<DwcBlock> = (b) => {
  const f = empty('dwc');
  const g = gcd(b.inW, b.outW);
  const cap = b.inW + b.outW + Math.min(b.inW, b.outW) - g;
  const cu = cap / g;
  const positions = cu - b.inW / g + 1;
  const nw = clog2(cu + 1);
  const psw = positions > 1 ? clog2(positions) : 1;
  // down-converter (IN_W > OUT_W): a write only lands in an empty or nearly empty buffer, so each
  // bit selects among few input bits; the insert mux is folded into the per-bit functions (dbit*)
  const down = b.inW > b.outW;
  f.lut['cap'] = cap;
  if (!down) f.lut['insert'] = b.inW * positions;
  f.lut['cnt'] = nw;
  // next state of buffer bit j: a function of sreg[j], valid, ready, the NW count bits, the input
  // bits the (full, 2^PSW-position) shifter can move to j and sreg[j + OUT_W] (shift source).
  // Up to the LUT size it is one LUT; ABC builds wider ones as Shannon trees (LUT + MUXF7/F8 on
  // Xilinx: 2 LUTs for one extra input, 4 for two); beyond that it factors through shared decodes.
  for (let j = 0; j < cap; j++) {
    // positions p < 2^PSW with p*G <= j < p*G + IN_W
    const data = Math.max(0, Math.min(2 ** psw - 1, Math.floor(j / g)) - Math.max(0, Math.floor((j - b.inW) / g) + 1) + 1);
    const support = 3 + nw + data + (j + b.outW < cap ? 1 : 0);
    // down-converter bits: Shannon trees up to 8 inputs (dbit), shared-decode factoring above (dbit_wide)
    const key = down ? (support <= 8 ? 'dbit' : 'dbit_wide') : support <= 6 ? 'bit_lut' : support === 7 ? 'bit_s7' : support === 8 ? 'bit_s8' : 'bit_wide';
    f.lut[key] = (f.lut[key] ?? 0) + 1;
  }
  f.ff['cap'] = cap;
  f.ff['cnt'] = clog2(cu + 1);
  return f;
};

/** Shared by the two MVUs: control, input buffer, x register, ROMs, accumulator, compare, output FIFO. */
function mvuCommon(b: MvtuBlock | MvuIntBlock, xw: number, o: EstimateOptions, f: Features): void {
  const { pe, sf, nf } = b;
  const fab = o.fabric;
  f.lut['ctl'] = aw(sf) + aw(nf) + aw(nf * sf) + clog2(b.obufDepth + 1);
  f.ff['ctl'] = aw(sf) + aw(nf) + aw(nf * sf) + clog2(b.obufDepth + 1) + (3 + aw(nf)) * (1 + b.popStages) + 1;
  f.ff['x'] = xw;
  if (nf > 1) {
    f.lut['ibuf_sel'] = xw;
    // written and read at the same address (sf): single-port LUTRAM
    ramFeatures(fab, xw, sf, 'ibuf', f, 'ram1');
  }
  const exact = o.exactWeights ?? true;
  const w = romUse(fab, pe * b.simd, nf * sf, exact ? () => weightMem(b) : null);
  romFeatures(fab, w, 'wrom', f);
  if (!b.scores) romFeatures(fab, romUse(fab, pe * b.tw, nf, () => thresholdMem(b)), 'trom', f);
  const outW = b.scores ? pe * b.accW : pe;
  f.nested.push(fifoFeatures(outW, b.obufDepth, fab));
  f.ff['obuf_v'] = 1;
}

/** bnn_mvtu: XNOR-popcount compressor (popcount.ts counts its LUT6 outputs), accumulator, threshold compare. */
const mvtu: Estimator<MvtuBlock> = (b, o) => {
  const f = empty('mvtu');
  const constW = b.nf === 1 && b.sf === 1;
  const p = popcountPlan(b.simd, constW);
  const pw = clog2(b.stage.mw + 1);
  const accW = b.masked ? pw + 1 : pw;
  const cntW = clog2(b.simd + 1);
  f.lut[constW ? 'pop_const' : 'pop'] = b.pe * (p.faLuts + p.counterLuts);
  f.lut['cpa'] = b.pe * p.cpaBits;
  // compressor levels per lane: each level's partial counts are re-aligned / carried between levels
  f.lut['pop_lvl'] = b.pe * p.levels;
  // with SF = 1 every step is the first: the accumulator register just loads the count
  if (b.sf > 1) f.lut['acc'] = b.pe * accW;
  // NF = 1: one threshold word, a constant: compare against constants
  // scores: 2*acc - MW per lane; the low tz(MW) bits of the difference are wiring, the rest subtract
  let tz = 0;
  while (tz < 31 && ((b.stage.mw >> tz) & 1) === 0) tz++;
  f.lut[b.scores ? 'score' : b.nf === 1 ? 'cmp_const' : 'cmp'] = b.pe * (b.scores ? Math.max(0, b.accW - tz) : Math.max(accW, b.tw));
  f.ff['pop'] = b.pe * popcountRegBits(p, b.popStages, cntW);
  f.ff['acc'] = b.pe * accW;
  mvuCommon(b, b.simd + (b.masked ? 1 : 0), o, f);
  return f;
};

/** bnn_mvu_int: +-x products summed by bnn_addtree (sum of node widths), accumulator, compare. */
const mvuInt: Estimator<MvuIntBlock> = (b, o) => {
  const f = empty('mvu_int');
  const prw = b.inW + 1;
  const sumw = Math.min(prw + clog2(b.simd), b.accW);
  // adder tree: node widths min(prw + level, sumw)
  let n = b.simd;
  let tree = 0;
  const treeRegs = adderTreeRegs(b.simd, b.popStages);
  let regs = treeRegs[0]! * prw;
  for (let l = 1; l < treeRegs.length; l++) {
    const pairs = Math.floor(n / 2);
    tree += pairs * Math.min(prw + l, sumw);
    n = Math.ceil(n / 2);
    regs += treeRegs[l]! * n * Math.min(prw + l, sumw);
  }
  f.lut['neg'] = b.pe * b.simd * prw;
  f.lut['tree'] = b.pe * tree;
  if (b.sf > 1) f.lut['acc'] = b.pe * b.accW;
  if (!b.scores) f.lut[b.nf === 1 ? 'cmp_const' : 'cmp'] = b.pe * Math.max(b.accW, b.tw);
  f.ff['tree'] = b.pe * regs;
  f.ff['acc'] = b.pe * b.accW;
  mvuCommon(b, b.simd * b.inW, o, f);
  return f;
};

/** bnn_thresh_in: per-lane signed compare against a threshold ROM. */
const threshIn: Estimator<ThreshInBlock> = (b, o) => {
  const f = empty('thresh_in');
  const cw = Math.max(b.inW, b.tw) + 1;
  f.lut['ctl'] = aw(b.tdepth) + clog2(b.obufDepth + 1);
  // one threshold word: compare against constants (folds into the lane logic)
  f.lut[b.tdepth === 1 ? 'cmp_const' : 'cmp'] = b.pe * cw;
  f.ff['ctl'] = aw(b.tdepth) + clog2(b.obufDepth + 1) + 1;
  f.ff['x'] = b.pe * b.inW;
  romFeatures(o.fabric, romUse(o.fabric, b.pe * (b.tw + 1), b.tdepth, () => threshInMem(b)), 'trom', f);
  f.nested.push(fifoFeatures(b.pe, b.obufDepth, o.fabric));
  return f;
};

/** bnn_argmax: lane compare tree, running maximum, optional rank ROMs. */
const argmax: Estimator<ArgmaxBlock> = (b, o) => {
  const f = empty('argmax');
  const kw = (b.rank ? b.rank.rankW : b.scoreW) + 1;
  const xw = b.classes > 1 ? clog2(b.classes) : 1;
  const lnw = Math.min(b.pe > 1 ? clog2(b.pe) : 1, xw);
  f.lut['tree'] = (b.pe - 1) * (kw + lnw);
  f.lut['run'] = kw + xw + aw(b.nf);
  // class index = base + lane: with PE a power of two the lane fills the zero low bits of base
  // (wiring); otherwise an XW-bit adder, and base advances by a non-power-of-two step
  if (b.nf > 1 && (b.pe & (b.pe - 1)) !== 0) f.lut['cand_add'] = 2 * xw;
  f.ff['in'] = b.pe * (b.rank ? b.rank.rankW : b.scoreW);
  f.ff['run'] = kw + xw + 2 * aw(b.nf);
  if (b.rank) {
    const depth = b.nf * b.rank.nvals;
    for (let k = 0; k < b.pe; k++) romFeatures(o.fabric, romUse(o.fabric, b.rank.rankW, depth, () => rankMem(b, k)), 'rrom', f);
  }
  f.nested.push(fifoFeatures(b.idxW, b.obufDepth, o.fabric));
  return f;
};

/** bnn_swg: line buffer (RAM), position counters, output FIFO. */
const swg: Estimator<SwgBlock> = (b, o) => {
  const f = empty('swg');
  const p = b.params;
  const g = swgGeometry(p);
  const inW = p.SIMD * p.ELEM_W;
  f.lut['ctl'] = aw(g.cg) + aw(p.W) + aw(p.H) + aw(p.KH) + aw(p.KW) + aw(g.ow) + aw(g.oh) + 2 * aw(g.depth);
  f.lut['out'] = g.outW;
  f.ff['ctl'] = aw(g.cg) + aw(p.W) + aw(p.H) + aw(p.KH) + aw(p.KW) + aw(g.ow) + aw(g.oh) + 2 * aw(g.depth);
  f.ff['out'] = g.outW;
  const m = mapMemory(o.fabric, { width: inW, depth: g.depth, kind: 'ram' });
  if (m.option === null) {
    f.ff['mem_store'] = inW * g.depth;
    f.lut['mem_ffmux'] = inW * (g.depth - 1) + g.depth;
  } else {
    f.fixed = { ...f.fixed, bram18: m.bram18, ebr: m.ebr, lutram: m.lutram, lut: m.lutram };
    f.lut['mem_mux'] = inW * (m.slices - 1);
  }
  f.nested.push(fifoFeatures(g.outW, SWG_OBUF_DEPTH, o.fabric));
  return f;
};

/** bnn_pool: horizontal and vertical history memories, AND / OR lanes, counters, output FIFO. */
const pool: Estimator<PoolBlock> = (b, o) => {
  const f = empty('pool');
  const p = b.params;
  const cp = p.C / p.PE;
  const ow = Math.floor((p.W - p.KW) / p.SW) + 1;
  f.lut['ctl'] = aw(cp) + aw(p.W) + aw(p.H) + 2 * aw(ow * cp);
  f.lut['ops'] = p.PE * (p.KW - 1 + p.KH - 1);
  f.ff['ctl'] = aw(cp) + aw(p.W) + aw(p.H) + 2 * aw(ow * cp);
  if (p.KW > 1) ramFeatures(o.fabric, (p.KW - 1) * p.PE, cp, 'hist', f);
  if (p.KH > 1) ramFeatures(o.fabric, (p.KH - 1) * p.PE, ow * cp, 'vhist', f);
  f.nested.push(fifoFeatures(p.PE, POOL_OBUF_DEPTH, o.fabric));
  return f;
};

export const ESTIMATORS: { [K in HwBlock['kind']]: Estimator<Extract<HwBlock, { kind: K }>> } = {
  fifo,
  dwc,
  mvtu,
  mvu_int: mvuInt,
  thresh_in: threshIn,
  argmax,
  swg,
  pool,
};

export function blockFeatures(b: HwBlock, o: EstimateOptions): Features {
  return (ESTIMATORS[b.kind] as Estimator<HwBlock>)(b, o);
}

const dot = (feat: Record<string, number>, c: Record<string, number> | undefined): number => {
  let s = 0;
  for (const [k, v] of Object.entries(feat)) s += v * (c?.[k] ?? 0);
  return s;
};

/** Apply the constants of a fabric to features (recursively for nested blocks). */
export function resourcesOf(f: Features, fabric: Fabric, consts: Record<string, KindConstants> = CONSTANTS[fabric]): Resources {
  const c = consts[f.kind];
  let r: Resources = { ...f.fixed, lut: f.fixed.lut + dot(f.lut, c?.lut), ff: dot(f.ff, c?.ff) };
  for (const n of f.nested) r = addRes(r, resourcesOf(n, fabric, consts));
  return r;
}

export function estimateBlock(b: HwBlock, o: EstimateOptions): Resources {
  return roundRes(resourcesOf(blockFeatures(b, o), o.fabric));
}

export function roundRes(r: Resources): Resources {
  return { lut: Math.round(r.lut), ff: Math.round(r.ff), bram18: r.bram18, ebr: r.ebr, dsp: r.dsp, lutram: Math.round(r.lutram) };
}
