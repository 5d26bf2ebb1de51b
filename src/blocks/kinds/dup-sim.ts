/**
 * Cycle model of bnn_dup (templates/lib/bnn_dup.v; docs/rtl-blocks.md "Graph blocks"): a shared
 * 2-entry buffer written at wp, a count per branch of the words it has not taken yet.
 */
import type { Beat, PortSim } from '../sim-base.js';

/** words bnn_dup holds: a branch may run this many words ahead of its slowest sibling */
export const DUP_DEPTH = 2;

export class DupSim implements PortSim {
  readonly inPorts = 1;
  readonly outPorts: number;
  private readonly mem: (Beat | undefined)[] = [undefined, undefined];
  private wp = 0;
  private readonly cnt: number[];
  constructor(readonly name: string, n: number) {
    if (!Number.isInteger(n) || n < 2) throw new Error(`bnn_dup: N ${n} must be an integer >= 2`);
    this.outPorts = n;
    this.cnt = new Array<number>(n).fill(0);
  }
  sReady(_i = 0): boolean {
    return this.cnt.every((c) => c !== DUP_DEPTH);
  }
  mValid(o: number): boolean {
    return this.cnt[o] !== 0;
  }
  /** the branch's oldest word: at wp with 2 words held, at the other slot with 1 */
  mData(o: number): Beat {
    return this.mem[this.cnt[o] === DUP_DEPTH ? this.wp : 1 - this.wp]!;
  }
  step(_c: number, sValid: readonly boolean[], sData: readonly (Beat | null)[], mReady: readonly boolean[]): void {
    const wr = sValid[0]! && this.sReady();
    for (let o = 0; o < this.outPorts; o++) {
      const rd = this.cnt[o] !== 0 && mReady[o]!;
      this.cnt[o]! += (wr ? 1 : 0) - (rd ? 1 : 0);
    }
    if (wr) {
      this.mem[this.wp] = sData[0]!;
      this.wp = 1 - this.wp;
    }
  }
  busy(): boolean {
    return this.cnt.some((c) => c !== 0);
  }
  occupancy(): number {
    return Math.max(...this.cnt);
  }
}
