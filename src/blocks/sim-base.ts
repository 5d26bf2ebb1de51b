/**
 * The shared parts of the cycle models of the RTL library modules (templates/lib, docs/rtl-blocks.md):
 * the model interface, the FIFO (bnn_fifo, also every block's output buffer) and the credit template
 * (bnn_obuf: issue, fixed latency, credit-guarded output FIFO). The per-kind models are in kinds/. Each
 * model exposes the register-only outputs of its module (s_ready, m_valid, m_data) and a clock edge
 * `step` taking the inputs of that cycle. Values are computed at word level (a whole neuron's
 * XNOR-popcount at once) and delivered at exactly the cycle the RTL delivers them.
 */
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
export abstract class CreditSim implements BlockSim {
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


/**
 * The multi-port cycle model: the interface a block with several input or output streams (bnn_dup,
 * bnn_add, ...) exposes, and the one a graph (DAG) engine drives every block through. Ports are
 * numbered 0..inPorts-1 and 0..outPorts-1 in the order the descriptor names them (port-kind.ts). As
 * for BlockSim, sReady / mValid / mData are register-only outputs, read before the edge; `step` is
 * the clock edge with the inputs of the cycle that ends (one entry per port; sData[i] is null when
 * sValid[i] is false). A single-port BlockSim is a PortSim with one port each side (`asPortSim`), so
 * the chain engine (src/sim) keeps stepping BlockSims unchanged.
 */
export interface PortSim {
  readonly name: string;
  readonly inPorts: number;
  readonly outPorts: number;
  sReady(i: number): boolean;
  mValid(o: number): boolean;
  mData(o: number): Beat;
  step(cycle: number, sValid: readonly boolean[], sData: readonly (Beat | null)[], mReady: readonly boolean[]): void;
  /** true when a step could still change something (for idle detection) */
  busy(): boolean;
  /** words held (for reports) */
  occupancy(): number;
}

/** A single-port cycle model seen through the multi-port interface (port 0 in, port 0 out). */
export function asPortSim(b: BlockSim): PortSim {
  return {
    name: b.name,
    inPorts: 1,
    outPorts: 1,
    sReady: () => b.sReady(),
    mValid: () => b.mValid(),
    mData: () => b.mData(),
    step: (cycle, sValid, sData, mReady) => b.step(cycle, sValid[0]!, sData[0] ?? null, mReady[0]!),
    busy: () => b.busy(),
    occupancy: () => b.occupancy(),
  };
}
