/**
 * Geometry and cycle model of the pool block (templates/lib/bnn_pool.v; docs/rtl-blocks.md
 * "Convolution blocks"): max / min pool, or with SUM the window sum; mirroring the RTL's registers like
 * the other models. Lanes are bits (ELEM_W 1) or k-bit codes (lane values as the stream carries them:
 * unsigned, or signed numbers / their two's complement bits when SIGNED); window sums are numbers
 * (signed when SIGNED).
 */
import { type Beat, type BlockSim, FifoSim } from '../sim-base.js';
import type { PoolParams } from '../types.js';
import type { Param } from '../kind.js';
import { obufFor, POOL_LATENCY } from '../timing.js';
import { windowSumLane } from '../levels.js';

/** output FIFO entries: at most one result per step, so full rate needs LATENCY + 1 */
export const POOL_OBUF_DEPTH = obufFor(POOL_LATENCY, 1);

/** Derived geometry of bnn_pool. */
export interface PoolGeometry {
  cp: number;
  oh: number;
  ow: number;
  inBeats: number;
  outBeats: number;
}

export function poolGeometry(p: PoolParams): PoolGeometry {
  const cp = p.C / p.PE;
  const oh = Math.floor((p.H - p.KH) / p.SH) + 1;
  const ow = Math.floor((p.W - p.KW) / p.SW) + 1;
  return { cp, oh, ow, inBeats: p.H * p.W * cp, outBeats: oh * ow * cp };
}

/** The geometry parameter of bnn_pool (after the module's own parameters). */
export const poolStructureParams = (p: PoolParams): Param[] => [{ name: 'OW', value: poolGeometry(p).ow }];

/** the largest output lane the cycle model's numbers hold exactly (float64) and the RTL accepts */
export const MAX_POOL_OUT_W = 53;

/** bnn_pool's OUT_W: ELEM_W for max / min; with SUM the lane of KH*KW codes' sum (levels.ts: windowSumLane). */
export const poolOutWidth = (p: PoolParams): number => (p.SUM ? windowSumLane({ w: p.ELEM_W, signed: p.SIGNED === 1 }, p.KH * p.KW).w : p.ELEM_W);

export function checkPoolParams(p: PoolParams): void {
  const bad = (m: string) => {
    throw new Error(`bnn_pool: ${m}`);
  };
  if (p.C % p.PE !== 0) bad(`PE ${p.PE} does not divide C ${p.C}`);
  if (p.KH > p.H || p.KW > p.W) bad('kernel larger than the image');
  if (p.AND_MASK.length !== p.C) bad('AND_MASK needs C entries');
  if (!Number.isInteger(p.ELEM_W) || p.ELEM_W < 1 || p.ELEM_W > 32) bad('ELEM_W must be 1..32');
  if (p.SIGNED !== 0 && (p.SIGNED !== 1 || p.ELEM_W < 2)) bad('SIGNED needs ELEM_W >= 2');
  if (p.SUM !== undefined && p.SUM !== 0 && p.SUM !== 1) bad('SUM must be 0 or 1');
  if (p.SUM && p.AND_MASK.some((m) => m)) bad('a window sum takes no AND_MASK');
  if (p.SUM && poolOutWidth(p) > MAX_POOL_OUT_W) bad(`window sums of ${poolOutWidth(p)} bits exceed ${MAX_POOL_OUT_W}`);
}

/**
 * bnn_pool: per input beat, the last KW-1 pixels of its channel group (history, per group) and
 * the last KH-1 horizontally pooled rows (history, per (ox, group)) are combined with it (max / min, or
 * + with SUM); a beat that ends a window writes the pooled beat into the output FIFO at the same edge
 * (LATENCY = 1).
 */
export class PoolSim implements BlockSim {
  readonly geom: PoolGeometry;
  private obuf: FifoSim;
  private g = 0;
  private ix = 0;
  private iy = 0;
  private xe: number;
  private ye: number;
  private vptr = 0;
  private reserved = 0;
  /** per group: previous KW-1 pixels, newest first */
  private hist: Beat[][];
  /** per (ox, group): previous KH-1 pooled rows, newest first */
  private vhist: Beat[][];

  constructor(
    readonly name: string,
    readonly p: PoolParams,
    private readonly obufDepth = POOL_OBUF_DEPTH,
  ) {
    checkPoolParams(p);
    this.geom = poolGeometry(p);
    this.obuf = new FifoSim(name + '.obuf', obufDepth);
    this.xe = p.KW - 1;
    this.ye = p.KH - 1;
    const zero = () => new Array<number>(p.PE).fill(0);
    this.hist = Array.from({ length: this.geom.cp }, () => Array.from({ length: p.KW - 1 }, zero));
    this.vhist = Array.from({ length: this.geom.ow * this.geom.cp }, () => Array.from({ length: p.KH - 1 }, zero));
  }
  private produce(): boolean {
    return this.ix === this.xe && this.iy === this.ye;
  }
  sReady(): boolean {
    return !this.produce() || this.reserved < this.obufDepth;
  }
  mValid(): boolean {
    return this.obuf.mValid();
  }
  mData(): Beat {
    return this.obuf.mData();
  }
  /** the lane value as a number to order: two's complement bits read as signed when SIGNED */
  private key(v: number): number {
    const w = this.p.ELEM_W;
    return this.p.SIGNED && v >= 2 ** (w - 1) ? v - 2 ** w : v;
  }
  /** per lane: SUM: the sum; else min where AND_MASK is set, max elsewhere (AND / OR on bits); ties keep acc's lane */
  private combine(acc: Beat, t: Beat): Beat {
    const { PE, AND_MASK } = this.p;
    if (this.p.SUM) return acc.map((a, k) => a + t[k]!);
    return acc.map((a, k) => {
      const gt = this.key(a) > this.key(t[k]!);
      return gt !== Boolean(AND_MASK[this.g * PE + k]) ? a : t[k]!;
    });
  }
  step(_c: number, sValid: boolean, sData: Beat | null, mReady: boolean): void {
    const p = this.p;
    const geo = this.geom;
    const rd = this.obuf.mValid() && mReady;
    const fire = sValid && this.sReady();
    const hitX = this.ix === this.xe;
    const produce = fire && this.produce();
    if (rd) this.obuf.pop();
    this.reserved += (produce ? 1 : 0) - (rd ? 1 : 0);
    if (!fire) return;
    // a window sum adds the codes as numbers (two's complement bits read as signed)
    const x = p.SUM ? sData!.slice(0, p.PE).map((v) => this.key(v)) : sData!.slice(0, p.PE);
    let h = x;
    for (const b of this.hist[this.g]!) h = this.combine(h, b);
    if (p.KW > 1) this.hist[this.g] = [x, ...this.hist[this.g]!.slice(0, p.KW - 2)];
    if (hitX) {
      let v = h;
      const vh = this.vhist[this.vptr]!;
      for (const b of vh) v = this.combine(v, b);
      if (p.KH > 1) this.vhist[this.vptr] = [h, ...vh.slice(0, p.KH - 2)];
      if (produce) this.obuf.push(v);
      this.vptr = this.vptr === geo.ow * geo.cp - 1 ? 0 : this.vptr + 1;
    }
    // counters
    if (this.g !== geo.cp - 1) {
      this.g++;
      return;
    }
    this.g = 0;
    if (hitX) this.xe += p.SW;
    if (this.ix !== p.W - 1) {
      this.ix++;
      return;
    }
    this.ix = 0;
    this.xe = p.KW - 1;
    if (this.iy === this.ye) this.ye += p.SH;
    if (this.iy !== p.H - 1) {
      this.iy++;
      return;
    }
    this.iy = 0;
    this.ye = p.KH - 1;
  }
  busy(): boolean {
    return this.obuf.busy();
  }
  occupancy(): number {
    return this.obuf.count();
  }
}
