/**
 * What bnn_mvtu and bnn_mvu_int share (kinds/mvtu.ts, kinds/mvu_int.ts): the control (bnn_mvu_ctl:
 * issue, credits, input buffer, output FIFO) with its latency, the weight and threshold ROMs and their
 * wrapper wiring, the cycle model (one class, XNOR-popcount or add/subtract datapath), the manifest and
 * FINN fields, and the estimator features of the control and ROMs.
 */
import type { MvtuBlock, MvuIntBlock } from '../types.js';
import { type Beat, CreditSim } from '../sim-base.js';
import { blockThresholds, thresholdMem, weightMem, weightRom } from '../memfiles.js';
import { packBits, popcount32, rows as weightRows } from '../../reference/integer.js';
import { clog2 } from '../../util/math.js';
import { blockInstance } from '../../util/names.js';
import { addRamFeatures, addRomFeatures, aw, fifoFeatures, romUse, type EstimateOptions, type Features, type RamFf, type RamLut, type RomFf, type RomLut } from '../features.js';
import type { BlockCounts, Instance, LayerFields, Memory, Param, RomPath, WrapperParts } from '../kind.js';
import { mvuLatency } from '../timing.js';
import { codeBits, levelParams } from '../levels.js';

type Mvu = MvtuBlock | MvuIntBlock;

/** Output positions per frame (1 for dense): the layer's cycles are positions x NF x SF. */
const positions = (b: Mvu): number => (b.stage.conv ? b.stage.outShape[0]! * b.stage.outShape[1]! : 1);
export const mvuCycles = (b: Mvu): number => positions(b) * b.nf * b.sf;
/** every step takes one input beat; SF steps make one output beat */
export const mvuSteps = (b: Mvu, n: BlockCounts): number => n.outBeats * b.sf;
/** The descriptors' latency and obufDepth (bnn_mvtu / bnn_mvu_int LATENCY and OBUF_DEPTH). */
export const mvuLatencyOf = (b: Mvu): number => mvuLatency(b.popStages);
export const mvuObufDepth = (b: Mvu): number => b.obufDepth;
export const mvuOutWidth = (b: Mvu): number => (b.scores ? b.pe * b.accW : b.pe * codeBits(b.levels));
/** thresholds per neuron (1 for a sign, n for a k-bit activation) */
export const mvuNthr = (b: Mvu): number => (b.levels ? b.levels.n : 1);

export const mvuLayer = (b: Mvu): LayerFields => ({ pe: b.pe, simd: b.simd, mw: b.stage.mw, mh: b.stage.mh, sf: b.sf, nf: b.nf, cycles: mvuCycles(b), popStages: b.popStages, scores: b.scores });

/** Parameters common to both MVUs, in the order of the generated instance (ownFirst: kind-specific ones after SIMD). */
export function mvuParams(b: Mvu, own: Param[], tail: Param[]): Param[] {
  return [
    { name: 'MW', value: b.stage.mw }, { name: 'MH', value: b.stage.mh }, { name: 'PE', value: b.pe }, { name: 'SIMD', value: b.simd },
    ...own,
    { name: 'POP_STAGES', value: b.popStages }, { name: 'SCORES', value: b.scores ? 1 : 0 }, { name: 'ACC_W', value: b.accW },
    { name: 'TW', value: b.tw }, ...levelParams(b.levels), { name: 'OBUF_DEPTH', value: mvuObufDepth(b) },
    ...tail,
  ];
}

const q = (s: string) => `"${s}"`;

export function romInstance(inst: string, comment: string, width: number, depth: number, file: string, en: string, addr: string, q_: string): Instance {
  return {
    comment, module: 'bnn_rom', inst,
    params: [{ name: 'WIDTH', value: width }, { name: 'DEPTH', value: depth }, { name: 'FILE', value: q(file) }],
    ports: [{ port: 'clk', signal: 'clk' }, { port: 'en', signal: en }, { port: 'addr', signal: addr }, { port: 'q', signal: q_ }],
  };
}

/** Weight ROM and threshold ROM (or the constant 0 for a scores layer) with their wires. */
export function mvuWrapper(b: Mvu, rom: RomPath): WrapperParts {
  const parts: WrapperParts = { wires: [], assigns: [], instances: [], ports: [] };
  const { wires, assigns, instances } = parts;
  const depthW = b.nf * b.sf;
  wires.push({ name: 'w_en', msb: 0 }, { name: 'w_addr', msb: aw(depthW) - 1 }, { name: 'w_data', msb: b.pe * b.simd - 1 });
  const tWord = b.pe * mvuNthr(b) * b.tw;
  wires.push({ name: 't_en', msb: 0 }, { name: 't_addr', msb: aw(b.nf) - 1 }, { name: 't_data', msb: tWord - 1 });
  parts.ports.push(...['w_en', 'w_addr', 'w_data', 't_en', 't_addr', 't_data'].map((s) => ({ port: s, signal: s })));
  instances.push(romInstance(blockInstance('weights'), `weights: ${depthW} words of PE*SIMD = ${b.pe * b.simd} bits`, b.pe * b.simd, depthW, rom('weights'), 'w_en', 'w_addr', 'w_data'));
  if (b.scores) assigns.push({ lhs: 't_data', rhs: `{${tWord}{1'b0}}` });
  else instances.push(romInstance(blockInstance('thresholds'), `thresholds: ${b.nf} words of PE*${b.levels ? 'NTHR*' : ''}TW = ${tWord} bits`, tWord, b.nf, rom('thresholds'), 't_en', 't_addr', 't_data'));
  if (b.scores) wires.push({ name: 'unused_t', msb: 0 }), assigns.push({ lhs: 'unused_t', rhs: `t_en | (|t_addr)` });
  return parts;
}

export const mvuMemories = (b: Mvu): Memory[] => [
  { rom: 'weights', image: () => weightMem(b) },
  ...(b.scores ? [] : [{ rom: 'thresholds' as const, image: () => thresholdMem(b) }]),
];

export const mvuPrint = (b: Mvu, own: string): string =>
  `${b.name}: ${b.kind} MW=${b.stage.mw} MH=${b.stage.mh} PE=${b.pe} SIMD=${b.simd} SF=${b.sf} NF=${b.nf} POP_STAGES=${b.popStages}` +
  `${own} ${b.scores ? `SCORES ACC_W=${b.accW}` : `TW=${b.tw}`}${b.levels ? ` NTHR=${b.levels.n} OUT_BITS=${b.levels.w} OUT_MIN=${b.levels.min}` : ''} OBUF=${b.obufDepth}`;

export const mvuComment = (b: Mvu, datapath: string, cycles: number | null): string =>
  `layer "${b.name}" (${b.stage.kind}, ${datapath}): MW=${b.stage.mw} MH=${b.stage.mh} PE=${b.pe} SIMD=${b.simd}, ${cycles} cycles/frame${b.scores ? ', integer scores out' : ''}`;

/** Feature names of the shared control and ROMs. */
export type MvuLut = 'ctl' | 'ibuf_sel' | RamLut<'ibuf'> | RomLut<'wrom' | 'trom'> | 'acc' | 'cmp' | 'cmp_const' | 'lvl_enc';
export type MvuFf = 'ctl' | 'x' | RamFf<'ibuf'> | RomFf<'wrom' | 'trom'> | 'obuf_v' | 'acc';

/** Shared by the two MVUs: control, input buffer, x register, ROMs, accumulator, compare, output FIFO. */
export function mvuCommon(b: MvtuBlock | MvuIntBlock, xw: number, o: EstimateOptions, f: Features<MvuLut, MvuFf>): void {
  const { pe, sf, nf } = b;
  const fab = o.fabric;
  f.lut['ctl'] = aw(sf) + aw(nf) + aw(nf * sf) + clog2(b.obufDepth + 1);
  f.ff['ctl'] = aw(sf) + aw(nf) + aw(nf * sf) + clog2(b.obufDepth + 1) + (3 + aw(nf)) * (1 + b.popStages) + 1;
  f.ff['x'] = xw;
  if (nf > 1) {
    f.lut['ibuf_sel'] = xw;
    // written and read at the same address (sf): single-port LUTRAM
    addRamFeatures(fab, xw, sf, 'ibuf', f, 'ram1');
  }
  const exact = o.exactWeights ?? true;
  const w = romUse(fab, pe * b.simd, nf * sf, exact ? () => weightRom(b) : null);
  addRomFeatures(fab, w, 'wrom', f);
  if (!b.scores) addRomFeatures(fab, romUse(fab, pe * mvuNthr(b) * b.tw, nf, () => thresholdMem(b)), 'trom', f);
  // levels: the thermometer-to-binary encoder (bnn_levels), about one 2-input term per threshold and code bit
  if (b.levels) f.lut['lvl_enc'] = pe * b.levels.n;
  const outW = mvuOutWidth(b);
  f.nested.push(fifoFeatures(outW, b.obufDepth, fab));
  f.ff['obuf_v'] = 1;
}

/** bnn_mvtu and bnn_mvu_int: identical control, XNOR-popcount or add/subtract datapath. */
export class MvuSim extends CreditSim {
  private nf = 0;
  private sf = 0;
  private vec: number[];
  private packed: Uint32Array | null = null;
  private thr: number[] | null;
  /** thresholds per neuron (levels: n, code = min + count) */
  private nthr: number;
  private rows: Uint32Array[] | null = null;
  /** MASKED mvtu: padding flag of each of the SF beats of the current vector */
  private mask: number[] | null;
  private valid: Uint32Array | null = null;
  private nValid = 0;
  constructor(private b: MvtuBlock | MvuIntBlock, private timingOnly = false) {
    super(b.name, mvuObufDepth(b), mvuLatencyOf(b));
    this.vec = new Array<number>(b.stage.mw).fill(0);
    this.mask = b.kind === 'mvtu' && b.masked ? new Array<number>(b.sf).fill(0) : null;
    // MASKED: the thresholds are on d itself (d = 2*p_valid - N_valid), exactly the IR's
    this.thr = b.scores ? null : blockThresholds(b);
    this.nthr = mvuNthr(b);
    if (b.kind === 'mvtu' && !timingOnly) {
      this.rows = weightRows(b.stage);
      this.packed = new Uint32Array(Math.ceil(b.stage.mw / 32));
    }
  }
  sReady(): boolean {
    return this.nf === 0 && (this.sf !== this.b.sf - 1 || this.creditOk());
  }
  protected fire(_c: number, sValid: boolean, sData: Beat | null) {
    const { sf: SF, nf: NF, simd, pe } = this.b;
    const last = this.sf === SF - 1;
    if (!((this.nf !== 0 || sValid) && (!last || this.creditOk()))) return null;
    if (this.nf === 0 && !this.timingOnly) {
      const base = this.sf * simd;
      if (this.rows) {
        // binary: pack the beat straight into the vector's words
        const x = this.packed!;
        for (let i = 0; i < simd; i++) {
          const p = base + i;
          if (sData![i]) x[p >>> 5]! |= 1 << (p & 31);
          else x[p >>> 5]! &= ~(1 << (p & 31));
        }
      } else {
        // integer lanes are IN_W-bit fields: a signed layer reads them as two's complement (the sliding
        // window's padding element arrives as its raw field, e.g. 255 for -1 in 8 bits)
        const b = this.b;
        const w = b.kind === 'mvu_int' ? b.inW : 32;
        const signed = b.kind === 'mvu_int' && b.signed;
        for (let i = 0; i < simd; i++) {
          const f = ((sData![i]! % 2 ** w) + 2 ** w) % 2 ** w;
          this.vec[base + i] = signed && f >= 2 ** (w - 1) ? f - 2 ** w : f;
        }
      }
      if (this.mask) this.mask[this.sf] = sData![simd]! ? 1 : 0;
    }
    let result: Beat | null = null;
    if (last) {
      result = this.timingOnly ? [] : this.compute(this.nf * pe);
      this.nf = this.nf === NF - 1 ? 0 : this.nf + 1;
      this.sf = 0;
    } else this.sf++;
    return result;
  }
  private compute(first: number): Beat {
    const { pe, scores } = this.b;
    const { mw, weights } = this.b.stage;
    const out = new Array<number>(pe);
    if (first === 0 && this.mask) {
      const simd = this.b.simd;
      const v = Array.from({ length: mw }, (_, i) => (this.mask![Math.floor(i / simd)] ? 0 : 1));
      this.valid = packBits(v, 0, mw);
      this.nValid = v.reduce<number>((a, x) => a + x, 0);
    }
    for (let k = 0; k < pe; k++) {
      const j = first + k;
      let acc = 0;
      if (this.rows && !this.valid) {
        // XNOR-popcount as mw - Hamming distance (bits past mw are 0 in both words)
        const x = this.packed!;
        const w = this.rows[j]!;
        let hd = 0;
        for (let q = 0; q < x.length; q++) hd += popcount32(x[q]! ^ w[q]!);
        acc = mw - hd;
        if (scores) acc = 2 * acc - mw;
      } else if (this.rows) {
        const x = this.packed!;
        const w = this.rows[j]!;
        for (let q = 0; q < x.length; q++) {
          const m = q === x.length - 1 && (mw & 31) !== 0 ? (1 << (mw & 31)) - 1 : -1;
          acc += popcount32(~(x[q]! ^ w[q]!) & m & (this.valid ? this.valid[q]! : -1));
        }
        if (this.valid) acc = 2 * acc - this.nValid;
        else if (scores) acc = 2 * acc - mw;
      } else {
        for (let i = 0; i < mw; i++) acc += weights[j * mw + i] ? this.vec[i]! : -this.vec[i]!;
      }
      if (scores) out[k] = acc;
      else if (this.b.levels) {
        const n = this.nthr;
        let c = this.b.levels.min;
        for (let l = j * n; l < (j + 1) * n; l++) if (acc >= this.thr![l]!) c++;
        out[k] = c;
      } else out[k] = acc >= this.thr![j]! ? 1 : 0;
    }
    return out;
  }
}
