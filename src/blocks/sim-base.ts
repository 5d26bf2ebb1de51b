/**
 * Cycle models of the RTL library modules (templates/lib, docs/rtl-blocks.md). Each model exposes the
 * register-only outputs of its module (s_ready, m_valid, m_data) and a clock edge `step` taking the
 * inputs of that cycle. Values are computed at word level (a whole neuron's XNOR-popcount at once)
 * and delivered at exactly the cycle the RTL delivers them.
 */
import type { ArgmaxBlock, DwcBlock, FifoBlock, HwBlock, MvtuBlock, MvuIntBlock, ThreshInBlock } from './types.js';
import { blockThresholds } from './memfiles.js';
import { packBits, popcount32, rows as weightRows } from '../reference/integer.js';
import { argmaxLatency, mvuLatency, THRESH_IN_LATENCY } from './timing.js';
// conv-blocks.ts imports this file too; the classes are only used at run time, so the cycle is safe.
import { PoolSim, SwgSim } from './conv-sim.js';

export type Beat = number[];

export interface BlockSim {
  readonly name: string;
  sReady(): boolean;
  mValid(): boolean;
  mData(): Beat;
  /** clock edge: inputs seen during the cycle that ends */
  step(cycle: number, sValid: boolean, sData: Beat | null, mReady: boolean): void;
  /** true when a step this cycle would change nothing (for idle detection) */
  busy(): boolean;
  occupancy(): number;
}

/** bnn_fifo: count != DEPTH ready, count != 0 valid, oldest entry out; a write when full is refused. */
export class FifoSim implements BlockSim {
  // ring buffer; grows on demand (a FIFO used for sizing can be given a huge depth)
  private buf: (Beat | undefined)[];
  private head = 0;
  private n = 0;
  constructor(readonly name: string, readonly depth: number) {
    this.buf = new Array<Beat | undefined>(Math.max(1, Math.min(depth, 64)));
  }
  count(): number {
    return this.n;
  }
  sReady(): boolean {
    return this.n !== this.depth;
  }
  mValid(): boolean {
    return this.n !== 0;
  }
  mData(): Beat {
    return this.buf[this.head]!;
  }
  push(b: Beat): void {
    const cap = this.buf.length;
    if (this.n === cap) {
      const grown = new Array<Beat | undefined>(cap * 2);
      for (let i = 0; i < cap; i++) grown[i] = this.buf[(this.head + i) % cap];
      this.buf = grown;
      this.head = 0;
    }
    let t = this.head + this.n;
    if (t >= this.buf.length) t -= this.buf.length;
    this.buf[t] = b;
    this.n++;
  }
  pop(): void {
    this.buf[this.head] = undefined;
    this.head = this.head + 1 === this.buf.length ? 0 : this.head + 1;
    this.n--;
  }
  step(_c: number, sValid: boolean, sData: Beat | null, mReady: boolean): void {
    const wr = sValid && this.n !== this.depth;
    const rd = this.n !== 0 && mReady;
    if (rd) this.pop();
    if (wr) this.push(sData!);
  }
  busy(): boolean {
    return this.n !== 0;
  }
  occupancy(): number {
    return this.n;
  }
}

/**
 * The shared "issue / fixed latency / credit FIFO" template: a result whose completing step fired in
 * cycle t is written into the output FIFO at the edge ending cycle t + latency - 1.
 */
abstract class CreditSim implements BlockSim {
  protected reserved = 0;
  protected obuf: FifoSim;
  // results in the fixed-latency pipeline: at most one per cycle, so a ring of `latency` entries
  private readonly ifAt: Float64Array;
  private readonly ifBeat: (Beat | undefined)[];
  private ifHead = 0;
  private ifN = 0;
  constructor(readonly name: string, protected obufDepth: number, protected latency: number) {
    this.obuf = new FifoSim(name + '.obuf', obufDepth);
    this.ifAt = new Float64Array(Math.max(1, latency));
    this.ifBeat = new Array<Beat | undefined>(Math.max(1, latency));
  }
  protected creditOk(): boolean {
    return this.reserved < this.obufDepth;
  }
  abstract sReady(): boolean;
  mValid(): boolean {
    return this.obuf.mValid();
  }
  mData(): Beat {
    return this.obuf.mData();
  }
  /** decide and perform one step; returns the result beat when the step completes one, else null */
  protected abstract fire(cycle: number, sValid: boolean, sData: Beat | null): Beat | null;
  step(cycle: number, sValid: boolean, sData: Beat | null, mReady: boolean): void {
    const rd = this.obuf.mValid() && mReady;
    const result = this.fire(cycle, sValid, sData);
    if (rd) this.obuf.pop();
    const cap = this.ifAt.length;
    while (this.ifN !== 0 && this.ifAt[this.ifHead] === cycle) {
      this.obuf.push(this.ifBeat[this.ifHead]!);
      this.ifBeat[this.ifHead] = undefined;
      this.ifHead = this.ifHead + 1 === cap ? 0 : this.ifHead + 1;
      this.ifN--;
    }
    if (result) {
      if (this.latency - 1 === 0) this.obuf.push(result);
      else {
        let t = this.ifHead + this.ifN;
        if (t >= cap) t -= cap;
        this.ifAt[t] = cycle + this.latency - 1;
        this.ifBeat[t] = result;
        this.ifN++;
      }
      this.reserved++;
    }
    if (rd) this.reserved--;
  }
  busy(): boolean {
    return this.ifN > 0 || this.obuf.busy();
  }
  occupancy(): number {
    return this.obuf.count();
  }
}

export class ThreshInSim extends CreditSim {
  private taddr = 0;
  constructor(private b: ThreshInBlock) {
    super(b.name, b.obufDepth, THRESH_IN_LATENCY);
  }
  sReady(): boolean {
    return this.creditOk();
  }
  protected fire(_c: number, sValid: boolean, sData: Beat | null) {
    if (!(sValid && this.creditOk())) return null;
    const { stage, pe } = this.b;
    const out = new Array<number>(pe);
    const period = stage.period;
    let e = (this.taddr * pe) % period;
    for (let k = 0; k < pe; k++, e = e + 1 === period ? 0 : e + 1) {
      const x = sData![k]!;
      out[k] = (stage.dir[e]! > 0 ? x >= stage.thr[e]! : x <= stage.thr[e]!) ? 1 : 0;
    }
    this.taddr = this.taddr === this.b.tdepth - 1 ? 0 : this.taddr + 1;
    return out;
  }
}

/** bnn_mvtu and bnn_mvu_int: identical control, XNOR-popcount or add/subtract datapath. */
export class MvuSim extends CreditSim {
  private nf = 0;
  private sf = 0;
  private vec: number[];
  private packed: Uint32Array | null = null;
  private thr: number[] | null;
  private rows: Uint32Array[] | null = null;
  /** MASKED mvtu: padding flag of each of the SF beats of the current vector */
  private mask: number[] | null;
  private valid: Uint32Array | null = null;
  private nValid = 0;
  constructor(private b: MvtuBlock | MvuIntBlock, private timingOnly = false) {
    super(b.name, b.obufDepth, mvuLatency(b.popStages));
    this.vec = new Array<number>(b.stage.mw).fill(0);
    this.mask = b.kind === 'mvtu' && b.masked ? new Array<number>(b.sf).fill(0) : null;
    // MASKED: the thresholds are on d itself (d = 2*p_valid - N_valid), exactly the IR's
    this.thr = b.scores ? null : this.mask ? Array.from(b.stage.thr!) : blockThresholds(b);
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
      out[k] = scores ? acc : acc >= this.thr![j]! ? 1 : 0;
    }
    return out;
  }
}

export class ArgmaxSim extends CreditSim {
  private nf = 0;
  private best = 0;
  private bestVal = 0;
  constructor(private b: ArgmaxBlock, private timingOnly = false) {
    super(b.name, b.obufDepth, argmaxLatency(b.rank !== null));
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

/** bnn_dwc: bit queue; ready when cnt <= CAP - IN_W, valid when cnt >= OUT_W. */
export class DwcSim implements BlockSim {
  // the bit queue as a ring of CAP bits (cnt never exceeds CAP)
  private readonly ring: Uint8Array;
  private head = 0;
  private cnt = 0;
  private cap: number;
  private out: Beat | null = null;
  constructor(private b: DwcBlock) {
    const g = gcd(b.inW, b.outW);
    this.cap = b.inW + b.outW + Math.min(b.inW, b.outW) - g;
    this.ring = new Uint8Array(this.cap);
  }
  get name(): string {
    return this.b.name;
  }
  sReady(): boolean {
    return this.cnt <= this.cap - this.b.inW;
  }
  mValid(): boolean {
    return this.cnt >= this.b.outW;
  }
  mData(): Beat {
    if (!this.out) {
      const w = this.b.outW;
      const o = new Array<number>(w);
      for (let i = 0, j = this.head; i < w; i++, j = j + 1 === this.cap ? 0 : j + 1) o[i] = this.ring[j]!;
      this.out = o;
    }
    return this.out;
  }
  step(_c: number, sValid: boolean, sData: Beat | null, mReady: boolean): void {
    const { inW, outW } = this.b;
    const wr = sValid && this.cnt <= this.cap - inW;
    const rd = this.cnt >= outW && mReady;
    if (rd) {
      this.head = (this.head + outW) % this.cap;
      this.cnt -= outW;
      this.out = null;
    }
    if (wr) {
      let t = (this.head + this.cnt) % this.cap;
      for (let i = 0; i < inW; i++, t = t + 1 === this.cap ? 0 : t + 1) this.ring[t] = sData?.[i] ? 1 : 0;
      this.cnt += inW;
      this.out = null;
    }
  }
  busy(): boolean {
    return this.cnt > 0;
  }
  occupancy(): number {
    return this.cnt;
  }
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

export function blockSim(b: HwBlock, timingOnly: boolean): BlockSim {
  switch (b.kind) {
    case 'fifo':
      return new FifoSim(b.name, (b as FifoBlock).depth);
    case 'thresh_in':
      return new ThreshInSim(b);
    case 'mvtu':
    case 'mvu_int':
      return new MvuSim(b, timingOnly);
    case 'argmax':
      return new ArgmaxSim(b, timingOnly);
    case 'dwc':
      return new DwcSim(b);
    case 'swg':
      return new SwgSim(b.name, b.params);
    case 'pool':
      return new PoolSim(b.name, b.params);
  }
}
