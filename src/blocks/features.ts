/**
 * Structural features of blocks for the resource estimate: every block kind's `features` (its
 * descriptor in kinds/) counts *features* of its block from the Verilog parameters (bits of registers,
 * LUT6 outputs of the popcount compressor, LUTRAM cells, ROM bits left in logic, ...), and the
 * estimate (estimate/resources.ts) is
 *   LUT = sum_f c_lut[kind][f] * feature_f,   FF = sum_f c_ff[kind][f] * feature_f
 * with one constant per feature, fabric (Xilinx LUT6 / iCE40 LUT4) and kind. The constants come from
 * the calibration sweep (scripts/calibrate.mjs, docs/calibration.md) and live in estimate/constants.ts.
 * Block RAM / EBR counts are not fitted: they come from the memory_libmap model (memory.ts), which
 * must match synthesis exactly. Nested library instances (a compute block's output FIFO) are
 * counted by their own features and added.
 *
 * This file holds the helpers the kinds share: ROM and RAM features and the FIFO's features. Feature
 * names are typed per kind (each descriptor's L / F unions), so a misspelt constant does not compile.
 */
import { clog2 } from '../util/math.js';
import { mapMemory, type Fabric, type MemMapping } from './memory.js';
import { BitMatrix } from '../util/bits.js';

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
export interface Features<L extends string = string, F extends string = string> {
  lut: Partial<Record<L | 'one', number>>;
  ff: Partial<Record<F | 'one', number>>;
  /** resources that are not fitted: block RAM, EBR, DSP, LUTRAM LUTs (added to lut as is) */
  fixed: Resources;
  nested: Features[];
  /** kind of the constants to use (nested entries: the kind of the nested block) */
  kind: string;
}

/** Feature names the ROM helper writes for a ROM with prefix P. */
export type RomLut<P extends string> = `${P}_small` | `${P}_logic` | `${P}_mux`;
export type RomFf<P extends string> = `${P}_small_q` | `${P}_q` | `${P}_mux`;
/** Feature names the RAM helper writes for a RAM with prefix P. */
export type RamLut<P extends string> = `${P}_ffmux` | `${P}_slices` | `${P}_mux` | `${P}_bypass`;
export type RamFf<P extends string> = `${P}_store` | `${P}_bypass`;

export interface EstimateOptions {
  fabric: Fabric;
  /**
   * Read ROM images (weights) to find constant columns; false assumes every weight column varies
   * (fast path for the folding search; thresholds are always read).
   */
  exactWeights?: boolean;
}

/** Address bits of a memory of `depth` words (at least 1). */
export const aw = (depth: number): number => Math.max(1, clog2(depth));

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

export interface RomUse {
  map: MemMapping;
  live: number;
  /** distinct live columns: a ROM in logic keeps one LUT function (and q register) per distinct column */
  distinct: number;
  depth: number;
}

/**
 * How a ROM of `width` x `depth` maps. `image` gives its contents (a bit matrix, or $readmemh text for
 * the small ROMs) so that constant columns are left out and identical columns shared as synthesis
 * does; null assumes every column varies.
 */
export function romUse(fabric: Fabric, width: number, depth: number, image: (() => BitMatrix | string) | null): RomUse {
  let live = width;
  // without the image: at most 2^depth - 2 different non-constant columns
  let distinct = depth < 20 ? Math.min(width, 2 ** depth - 2) : width;
  if (depth <= 1) live = distinct = 0; // one word: a constant
  else if (image) {
    const img = image();
    const bits = typeof img === 'string' ? BitMatrix.fromHex(img, width) : img;
    live = bits.varyingColumns();
    const map = mapMemory(fabric, { width: live, depth, kind: 'rom' });
    distinct = map.option === null ? bits.distinctVaryingColumns() : live;
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

/** A prefix P for which `${P}${S}` is one of the names L (a ROM / RAM of the kind's feature names). */
type PrefixOf<L extends string, S extends string> = L extends `${infer P}${S}` ? P : never;

/** romFeatures with the prefix checked against the kind's feature names. */
export const addRomFeatures: <L extends string, F extends string>(fabric: Fabric, r: RomUse, prefix: PrefixOf<L, '_logic'>, f: Features<L, F>) => void = romFeatures;
/** ramFeatures with the prefix checked against the kind's feature names. */
export const addRamFeatures: <L extends string, F extends string>(fabric: Fabric, width: number, depth: number, prefix: PrefixOf<L, '_ffmux'>, f: Features<L, F>, kind?: 'ram' | 'ram1') => void = ramFeatures;

/** The features every block starts with: one constant term per kind ('one'). */
export const empty = <L extends string = string, F extends string = string>(kind: string): Features<L, F> => ({ kind, lut: { one: 1 }, ff: { one: 1 }, fixed: { ...ZERO }, nested: [] }) as Features<L, F>;

export type FifoLut = 'aw' | 'alu' | 'raddr' | RamLut<'mem'>;
export type FifoFf = 'ctl' | RamFf<'mem'>;

/** bnn_fifo: pointers and count, storage (LUTRAM / BRAM / flip-flops). */
export const fifoFeatures = (width: number, depth: number, fabric: Fabric): Features<FifoLut, FifoFf> => {
  const f = empty<FifoLut, FifoFf>('fifo');
  const a = aw(depth);
  f.lut['aw'] = a;
  // count / pointers of 3+ bits: +-1 and wrap compare become carry chains (CARRY4 / SB_CARRY with
  // inverters) instead of single LUTs
  if (clog2(depth + 1) >= 3) f.lut['alu'] = 1;
  f.ff['ctl'] = 2 * a + clog2(depth + 1);
  ramFeatures(fabric, width, depth, 'mem', f);
  // storage in block RAM (synchronous read): the read port is addressed with the read pointer's next
  // value (advance and wrap muxed per address bit, MUXF7 / MUXF8 on Xilinx) instead of the pointer
  if (mapMemory(fabric, { width, depth, kind: 'ram' }).option?.kind === 'block') f.lut['raddr'] = a;
  return f;
};
