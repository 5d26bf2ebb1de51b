/**
 * Output width and cycle model of bnn_add (templates/lib/bnn_add.v; docs/rtl-blocks.md "Graph
 * blocks"): two 2-entry input FIFOs, beats paired in order, the sums into a credit-guarded output FIFO
 * at the edge of the pair's fire. Lanes are code values (signed numbers when signed); a bipolar
 * operand's lanes are bits 0 / 1 (as a sign stream carries them), added as the codes -1 / +1.
 */
import { type Beat, FifoSim, type PortSim } from '../sim-base.js';
import type { AddParams } from '../port-types.js';
import { laneFormat } from '../levels.js';

/** output FIFO entries: fire to output is 1 cycle, so full rate needs 2 */
export const ADD_OBUF_DEPTH = 2;
/** entries of each input FIFO (the fewest with which a register-only tready takes a beat per cycle) */
export const ADD_IN_DEPTH = 2;
/** the largest lane the cycle model's numbers hold exactly (float64) and the RTL accepts */
export const MAX_SUM_W = 53;

/** The codes a lane of `w` bits holds: [-2^(w-1), 2^(w-1) - 1] signed, [0, 2^w - 1] unsigned. */
export const codeRange = (w: number, signed: boolean): [number, number] => (signed ? [-(2 ** (w - 1)), 2 ** (w - 1) - 1] : [0, 2 ** w - 1]);

/** The fewest bits holding every integer of [lo, hi]: two's complement when lo < 0, else unsigned (the lane rule). */
export const rangeWidth = (lo: number, hi: number): number => laneFormat(lo, hi).w;

/** The codes an operand's lane stands for: a sign lane (BIPOLAR) -1 .. 1, else codeRange. */
const operandRange = (w: number, signed: 0 | 1, bipolar: 0 | 1 | undefined): [number, number] => (bipolar ? [-1, 1] : codeRange(w, signed === 1));

/** bnn_add's output lanes: the fewest bits holding every a + (b << SHIFT), signed when either input is signed or bipolar. */
export function addOutLane(p: AddParams): { w: number; signed: boolean } {
  const [alo, ahi] = operandRange(p.A_W, p.A_SIGNED, p.A_BIPOLAR);
  const [blo, bhi] = operandRange(p.B_W, p.B_SIGNED, p.B_BIPOLAR);
  return laneFormat(alo + blo * 2 ** p.SHIFT, ahi + bhi * 2 ** p.SHIFT);
}

/** bnn_add's OUT_W (addOutLane's width). */
export const addOutWidth = (p: AddParams): number => addOutLane(p).w;

export function checkAddParams(p: AddParams): void {
  const bad = (m: string) => {
    throw new Error(`bnn_add: ${m}`);
  };
  const int = (x: number, lo: number, hi: number) => Number.isInteger(x) && x >= lo && x <= hi;
  if (!int(p.PE, 1, 1 << 16)) bad(`PE ${p.PE} must be >= 1`);
  if (!int(p.A_W, 1, 32) || !int(p.B_W, 1, 32)) bad('A_W and B_W must be 1..32');
  if (!int(p.SHIFT, 0, 16)) bad(`SHIFT ${p.SHIFT} must be 0..16`);
  for (const [op, bip, w, s] of [['A', p.A_BIPOLAR, p.A_W, p.A_SIGNED], ['B', p.B_BIPOLAR, p.B_W, p.B_SIGNED]] as const) {
    if (bip !== undefined && bip !== 0 && bip !== 1) bad(`${op}_BIPOLAR must be 0 or 1`);
    if (bip === 1 && (w !== 1 || s !== 0)) bad(`${op}_BIPOLAR needs 1-bit unsigned lanes (${op}_W 1, ${op}_SIGNED 0)`);
  }
  if (addOutWidth(p) > MAX_SUM_W) bad(`sums of ${addOutWidth(p)} bits exceed ${MAX_SUM_W}`);
}

export class AddSim implements PortSim {
  readonly inPorts = 2;
  readonly outPorts = 1;
  private readonly fa: FifoSim;
  private readonly fb: FifoSim;
  private readonly obuf: FifoSim;
  private reserved = 0;
  constructor(readonly name: string, readonly p: AddParams, private readonly obufDepth = ADD_OBUF_DEPTH) {
    checkAddParams(p);
    this.fa = new FifoSim(name + '.a', ADD_IN_DEPTH);
    this.fb = new FifoSim(name + '.b', ADD_IN_DEPTH);
    this.obuf = new FifoSim(name + '.obuf', obufDepth);
  }
  sReady(i: number): boolean {
    return (i === 0 ? this.fa : this.fb).sReady();
  }
  mValid(_o = 0): boolean {
    return this.obuf.mValid();
  }
  mData(_o = 0): Beat {
    return this.obuf.mData();
  }
  step(c: number, sValid: readonly boolean[], sData: readonly (Beat | null)[], mReady: readonly boolean[]): void {
    const rd = this.obuf.mValid() && mReady[0]!;
    const fire = this.fa.mValid() && this.fb.mValid() && this.reserved < this.obufDepth;
    const k = 2 ** this.p.SHIFT;
    // a sign lane's bit x is the code 2x - 1
    const av = (x: number): number => (this.p.A_BIPOLAR ? 2 * x - 1 : x);
    const bv = (x: number): number => (this.p.B_BIPOLAR ? 2 * x - 1 : x);
    const sum = fire ? this.fa.mData().map((a, i) => av(a) + bv(this.fb.mData()[i]!) * k) : null;
    this.fa.step(c, sValid[0]!, sData[0] ?? null, fire);
    this.fb.step(c, sValid[1]!, sData[1] ?? null, fire);
    if (rd) this.obuf.pop();
    if (sum) this.obuf.push(sum);
    this.reserved += (fire ? 1 : 0) - (rd ? 1 : 0);
  }
  busy(): boolean {
    return this.fa.busy() || this.fb.busy() || this.obuf.busy();
  }
  occupancy(): number {
    return this.obuf.count();
  }
}
