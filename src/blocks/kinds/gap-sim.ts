/**
 * Output width and cycle model of bnn_gap (templates/lib/bnn_gap.v; docs/rtl-blocks.md "Graph
 * blocks"): per channel group f a partial sum, the frame's last pixel writes the sums into a
 * credit-guarded output FIFO at the edge of its beat (LATENCY 1; the credit model of CreditSim, as
 * the MVUs, thresh_in and argmax). Lanes are code values.
 */
import { type Beat, CreditSim } from '../sim-base.js';
import type { GapParams } from '../port-types.js';
import { codeRange, MAX_SUM_W, rangeWidth } from './add-sim.js';

/** output FIFO entries: LATENCY + 1 */
export const GAP_OBUF_DEPTH = 2;
export const GAP_LATENCY = 1;

/** bnn_gap's OUT_W: the fewest bits holding the sum of HW codes of IN_W bits (signed when they are). */
export function gapOutWidth(p: GapParams): number {
  const [lo, hi] = codeRange(p.IN_W, p.IN_SIGNED === 1);
  return rangeWidth(lo * p.HW, hi * p.HW);
}

export function checkGapParams(p: GapParams): void {
  const bad = (m: string) => {
    throw new Error(`bnn_gap: ${m}`);
  };
  const int = (x: number, lo: number, hi: number) => Number.isInteger(x) && x >= lo && x <= hi;
  if (!int(p.PE, 1, p.C) || p.C % p.PE !== 0) bad(`PE ${p.PE} must divide C ${p.C}`);
  if (!int(p.HW, 1, 2 ** 24)) bad(`HW ${p.HW} must be 1..2^24`);
  if (!int(p.IN_W, 1, 32)) bad(`IN_W ${p.IN_W} must be 1..32`);
  if (gapOutWidth(p) > MAX_SUM_W) bad(`sums of ${gapOutWidth(p)} bits exceed ${MAX_SUM_W}`);
}

/** A single-stream block: the graph engine drives it through asPortSim (the descriptor's sim). */
export class GapSim extends CreditSim {
  private readonly acc: Beat[];
  private f = 0;
  private px = 0;
  constructor(name: string, readonly p: GapParams, obufDepth = GAP_OBUF_DEPTH) {
    super(name, obufDepth, GAP_LATENCY);
    checkGapParams(p);
    this.acc = Array.from({ length: p.C / p.PE }, () => new Array<number>(p.PE).fill(0));
  }
  private last(): boolean {
    return this.px === this.p.HW - 1;
  }
  sReady(): boolean {
    return !this.last() || this.creditOk();
  }
  /** adds the beat to its channel group's partial sums; the frame's last pixel completes the group's sums */
  protected fire(_c: number, sValid: boolean, sData: Beat | null): Beat | null {
    if (!sValid || !this.sReady()) return null;
    const last = this.last();
    const x = sData!;
    const s = this.px === 0 ? x.slice(0, this.p.PE) : this.acc[this.f]!.map((a, k) => a + x[k]!);
    this.acc[this.f] = s;
    if (this.f !== this.p.C / this.p.PE - 1) this.f++;
    else {
      this.f = 0;
      this.px = last ? 0 : this.px + 1;
    }
    return last ? s : null;
  }
}
