/**
 * Cycle models of the RTL library modules (templates/lib, docs/rtl-blocks.md). Each model exposes the
 * register-only outputs of its module (s_ready, m_valid, m_data) and a clock edge `step` taking the
 * inputs of that cycle. Values are computed at word level (a whole neuron's XNOR-popcount at once)
 * and delivered at exactly the cycle the RTL delivers them.
 */
import type { ArgmaxBlock, DwcBlock, FifoBlock, HwBlock, MvtuBlock, MvuIntBlock, ThreshInBlock } from '../blocks/types.js';
import { blockThresholds } from '../emit/memfiles.js';
import { packBits, popcount32 } from '../reference/integer.js';
import { argmaxLatency, mvuLatency, THRESH_IN_LATENCY } from '../blocks/timing.js';
// conv-blocks.ts imports this file too; the classes are only used at run time, so the cycle is safe.
import { PoolSim, SwgSim } from './conv-blocks.js';

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
  private q: Beat[] = [];
  private head = 0;
  constructor(readonly name: string, readonly depth: number) {}
  count(): number {
    return this.q.length - this.head;
  }
  sReady(): boolean {
    return this.count() !== this.depth;
  }
  mValid(): boolean {
    return this.count() !== 0;
  }
  mData(): Beat {
    return this.q[this.head]!;
  }
  push(b: Beat): void {
    this.q.push(b);
  }
  pop(): void {
    this.head++;
    if (this.head > 64 && this.head * 2 > this.q.length) {
      this.q = this.q.slice(this.head);
      this.head = 0;
    }
  }
  step(_c: number, sValid: boolean, sData: Beat | null, mReady: boolean): void {
    const wr = sValid && this.sReady();
    const rd = this.mValid() && mReady;
    if (rd) this.pop();
    if (wr) this.push(sData!);
  }
  busy(): boolean {
    return this.count() !== 0;
  }
  occupancy(): number {
    return this.count();
  }
}

/**
 * The shared "issue / fixed latency / credit FIFO" template: a result whose completing step fired in
 * cycle t is written into the output FIFO at the edge ending cycle t + latency - 1.
 */
abstract class CreditSim implements BlockSim {
  protected reserved = 0;
  protected obuf: FifoSim;
  private inflight: { at: number; beat: Beat }[] = [];
  constructor(readonly name: string, protected obufDepth: number, protected latency: number) {
    this.obuf = new FifoSim(name + '.obuf', obufDepth);
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
  /** decide and perform one step; returns the result beat when the step completes one */
  protected abstract fire(cycle: number, sValid: boolean, sData: Beat | null): { fired: boolean; result: Beat | null };
  step(cycle: number, sValid: boolean, sData: Beat | null, mReady: boolean): void {
    const rd = this.obuf.mValid() && mReady;
    const { result } = this.fire(cycle, sValid, sData);
    if (rd) this.obuf.pop();
    while (this.inflight.length && this.inflight[0]!.at === cycle) this.obuf.push(this.inflight.shift()!.beat);
    if (result) {
      if (this.latency - 1 === 0) this.obuf.push(result);
      else this.inflight.push({ at: cycle + this.latency - 1, beat: result });
    }
    this.reserved += (result ? 1 : 0) - (rd ? 1 : 0);
  }
  busy(): boolean {
    return this.inflight.length > 0 || this.obuf.busy();
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
    if (!(sValid && this.creditOk())) return { fired: false, result: null };
    const { stage, pe } = this.b;
    const out = new Array<number>(pe);
    for (let k = 0; k < pe; k++) {
      const e = (this.taddr * pe + k) % stage.period;
      const x = sData![k]!;
      out[k] = (stage.dir[e]! > 0 ? x >= stage.thr[e]! : x <= stage.thr[e]!) ? 1 : 0;
    }
    this.taddr = this.taddr === this.b.tdepth - 1 ? 0 : this.taddr + 1;
    return { fired: true, result: out };
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
      this.rows = [];
      for (let j = 0; j < b.stage.mh; j++) this.rows.push(packBits(b.stage.weights, j * b.stage.mw, b.stage.mw));
    }
  }
  sReady(): boolean {
    return this.nf === 0 && (this.sf !== this.b.sf - 1 || this.creditOk());
  }
  protected fire(_c: number, sValid: boolean, sData: Beat | null) {
    const { sf: SF, nf: NF, simd, pe } = this.b;
    const last = this.sf === SF - 1;
    if (!((this.nf !== 0 || sValid) && (!last || this.creditOk()))) return { fired: false, result: null };
    if (this.nf === 0 && !this.timingOnly) {
      for (let i = 0; i < simd; i++) this.vec[this.sf * simd + i] = sData![i]!;
      if (this.mask) this.mask[this.sf] = sData![simd]! ? 1 : 0;
    }
    let result: Beat | null = null;
    if (last) {
      result = this.timingOnly ? [] : this.compute(this.nf * pe);
      this.nf = this.nf === NF - 1 ? 0 : this.nf + 1;
      this.sf = 0;
    } else this.sf++;
    return { fired: true, result };
  }
  private compute(first: number): Beat {
    const { pe, scores } = this.b;
    const { mw, weights } = this.b.stage;
    const out = new Array<number>(pe);
    if (first === 0 && this.rows) this.packed = packBits(this.vec, 0, mw);
    if (first === 0 && this.mask) {
      const simd = this.b.simd;
      const v = Array.from({ length: mw }, (_, i) => (this.mask![Math.floor(i / simd)] ? 0 : 1));
      this.valid = packBits(v, 0, mw);
      this.nValid = v.reduce<number>((a, x) => a + x, 0);
    }
    for (let k = 0; k < pe; k++) {
      const j = first + k;
      let acc = 0;
      if (this.rows) {
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
    if (!(sValid && (!last || this.creditOk()))) return { fired: false, result: null };
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
    return { fired: true, result };
  }
}

/** bnn_dwc: bit queue; ready when cnt <= CAP - IN_W, valid when cnt >= OUT_W. */
export class DwcSim implements BlockSim {
  private bits: number[] = [];
  private cap: number;
  constructor(private b: DwcBlock) {
    const g = gcd(b.inW, b.outW);
    this.cap = b.inW + b.outW + Math.min(b.inW, b.outW) - g;
  }
  get name(): string {
    return this.b.name;
  }
  sReady(): boolean {
    return this.bits.length <= this.cap - this.b.inW;
  }
  mValid(): boolean {
    return this.bits.length >= this.b.outW;
  }
  mData(): Beat {
    return this.bits.slice(0, this.b.outW);
  }
  step(_c: number, sValid: boolean, sData: Beat | null, mReady: boolean): void {
    const wr = sValid && this.sReady();
    const rd = this.mValid() && mReady;
    if (rd) this.bits.splice(0, this.b.outW);
    if (wr) for (let i = 0; i < this.b.inW; i++) this.bits.push(sData?.[i] ?? 0);
  }
  busy(): boolean {
    return this.bits.length > 0;
  }
  occupancy(): number {
    return this.bits.length;
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
