/**
 * argmax: the label select after the last layer (templates/lib/bnn_argmax.v): the index of the
 * largest of CLASSES integer scores arriving PE per beat, ties to the lowest index; with rank tables
 * (one ROM per lane) when a trailing bias / batchnorm / affine reorders the scores.
 */
import type { ArgmaxBlock } from '../types.js';
import { clog2 } from '../../util/math.js';
import { blockInstance, type RomName } from '../../util/names.js';
import { type Beat, CreditSim } from '../sim-base.js';
import { rankMem } from '../memfiles.js';
import { addRomFeatures, aw, empty, fifoFeatures, romUse, type RomFf, type RomLut } from '../features.js';
import type { BlockKind, WrapperParts } from '../kind.js';
import { argmaxLatency } from '../timing.js';
import { romInstance } from './mvu-common.js';

export type ArgmaxLut = 'tree' | 'run' | 'cand_add' | 'key' | RomLut<'rrom'>;
export type ArgmaxFf = 'in' | 'run' | RomFf<'rrom'>;

/** The rank ROM of one lane. */
const latency = (b: ArgmaxBlock): number => argmaxLatency(b.rank !== null);
const obufDepth = (b: ArgmaxBlock): number => b.obufDepth;

export const rankRom = (lane: number): RomName => `rank${lane}`;

export const argmax: BlockKind<ArgmaxBlock, ArgmaxLut, ArgmaxFf> = {
  kind: 'argmax',
  role: 'compute',
  unit: 'argmax',
  keepHierarchy: false,
  search: 'previous',
  params: (b) => {
    const r = b.rank;
    return [
      { name: 'PE', value: b.pe }, { name: 'NF', value: b.nf }, { name: 'SCORE_W', value: b.scoreW }, { name: 'CLASSES', value: b.classes },
      { name: 'IDX_W', value: b.idxW }, { name: 'RANK', value: r ? 1 : 0 }, { name: 'RANK_W', value: r ? r.rankW : 1 },
      { name: 'NVALS', value: r ? r.nvals : 1 }, { name: 'SHIFT', value: r ? r.shift : 0 }, { name: 'SCORE_MIN', value: r ? r.scoreMin : 0 },
      { name: 'OBUF_DEPTH', value: obufDepth(b) },
    ];
  },
  inWidth: (b) => b.pe * b.scoreW,
  outWidth: (b) => b.idxW,
  wrapper: (b, rom) => {
    const parts: WrapperParts = { wires: [], assigns: [], instances: [], ports: [] };
    const { wires, assigns, instances } = parts;
    const r = b.rank;
    const depth = r ? b.nf * r.nvals : 1;
    const a = aw(depth);
    const rw = r ? r.rankW : 1;
    wires.push({ name: 'r_en', msb: 0 }, { name: 'r_addr', msb: b.pe * a - 1 }, { name: 'r_data', msb: b.pe * rw - 1 });
    parts.ports.push(...['r_en', 'r_addr', 'r_data'].map((s) => ({ port: s, signal: s })));
    if (r) {
      for (let k = 0; k < b.pe; k++) {
        instances.push(romInstance(blockInstance(rankRom(k)), `rank table of lane ${k}: ${depth} words`, rw, depth, rom(rankRom(k)), 'r_en', `r_addr[${(k + 1) * a - 1}:${k * a}]`, `r_data[${(k + 1) * rw - 1}:${k * rw}]`));
      }
    } else {
      assigns.push({ lhs: 'r_data', rhs: `{${b.pe * rw}{1'b0}}` });
      wires.push({ name: 'unused_r', msb: 0 });
      assigns.push({ lhs: 'unused_r', rhs: `r_en | (|r_addr)` });
    }
    return parts;
  },
  memories: (b) => (b.rank ? Array.from({ length: b.pe }, (_, k) => ({ rom: rankRom(k), image: () => rankMem(b, k) })) : []),
  comment: (b) => `argmax over ${b.classes} classes (${b.pe} per beat, ${b.nf} beats), ties to the lowest index${b.rank ? ', exact rank tables for the trailing affine' : ''}`,
  print: (b) => `${b.name}: argmax PE=${b.pe} NF=${b.nf} CLASSES=${b.classes} SCORE_W=${b.scoreW}${b.rank ? ` RANK_W=${b.rank.rankW} NVALS=${b.rank.nvals}` : ''} OBUF=${b.obufDepth}`,
  cycles: (b) => b.nf,
  steps: (_b, n) => n.inBeats,
  layer: (b) => ({ pe: b.pe, simd: b.pe, mw: b.classes, mh: 1, cycles: b.nf, rankTables: b.rank !== null }),
  latency,
  obufDepth,
  sim: (b, timingOnly) => new ArgmaxSim(b, timingOnly),
  /** lane compare tree, running maximum, keys per beat, optional rank ROMs. */
  features: (b, o) => {
    const f = empty<ArgmaxLut, ArgmaxFf>('argmax');
    const kw = (b.rank ? b.rank.rankW : b.scoreW) + 1;
    const xw = b.classes > 1 ? clog2(b.classes) : 1;
    const lnw = Math.min(b.pe > 1 ? clog2(b.pe) : 1, xw);
    f.lut['tree'] = (b.pe - 1) * (kw + lnw);
    f.lut['run'] = kw + xw + aw(b.nf);
    // the keys entering per beat (PE x KW bits): sign extension, the lane compares' carry chains and the
    // selects grow with the score width on every lane, PE 1 included (10-12-bit scores behind k-bit layers)
    f.lut['key'] = b.pe * kw;
    // class index = base + lane: with PE a power of two the lane fills the zero low bits of base
    // (wiring); otherwise an XW-bit adder, and base advances by a non-power-of-two step
    if (b.nf > 1 && (b.pe & (b.pe - 1)) !== 0) f.lut['cand_add'] = 2 * xw;
    f.ff['in'] = b.pe * (b.rank ? b.rank.rankW : b.scoreW);
    f.ff['run'] = kw + xw + 2 * aw(b.nf);
    if (b.rank) {
      const depth = b.nf * b.rank.nvals;
      for (let k = 0; k < b.pe; k++) addRomFeatures(o.fabric, romUse(o.fabric, b.rank.rankW, depth, () => rankMem(b, k)), 'rrom', f);
    }
    f.nested.push(fifoFeatures(b.idxW, b.obufDepth, o.fabric));
    return f;
  },
  finn: null,
};

export class ArgmaxSim extends CreditSim {
  private nf = 0;
  private best = 0;
  private bestVal = 0;
  constructor(private b: ArgmaxBlock, private timingOnly = false) {
    super(b.name, obufDepth(b), latency(b));
  }
  sReady(): boolean {
    return this.nf !== this.b.nf - 1 || this.creditOk();
  }
  protected fire(_c: number, sValid: boolean, sData: Beat | null) {
    const last = this.nf === this.b.nf - 1;
    if (!(sValid && (!last || this.creditOk()))) return null;
    if (!this.timingOnly) {
      const { pe, classes, rank } = this.b;
      for (let k = 0; k < pe; k++) {
        const cls = this.nf * pe + k;
        if (cls >= classes) continue;
        const s = sData![k]!;
        const v = rank ? rank.lanes[k]![this.nf * rank.nvals + ((s - rank.scoreMin) >> rank.shift)]! : s;
        if (cls === 0 || v > this.bestVal) {
          this.best = cls;
          this.bestVal = v;
        }
      }
    }
    let result: Beat | null = null;
    if (last) {
      result = [this.best];
      this.nf = 0;
    } else this.nf++;
    return result;
  }
}
