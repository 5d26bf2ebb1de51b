/**
 * dwc: the stream width converter (templates/lib/bnn_dwc.v) between blocks whose beats differ in
 * width: a bit queue of CAP bits, IN_W bits in, OUT_W bits out.
 */
import type { DwcBlock } from '../types.js';
import { clog2, gcd } from '../../util/math.js';
import type { Beat, BlockSim } from '../sim-base.js';
import { empty } from '../features.js';
import type { BlockKind } from '../kind.js';
import { STREAM_LATENCY } from '../timing.js';

export type DwcLut = 'cap' | 'insert' | 'cnt' | 'dbit' | 'dbit_wide' | 'bit_lut' | 'bit_s7' | 'bit_s8' | 'bit_wide';
export type DwcFf = 'cap' | 'cnt';

export const dwc: BlockKind<DwcBlock, DwcLut, DwcFf> = {
  kind: 'dwc',
  role: 'stream',
  unit: 'layer',
  keepHierarchy: true,
  search: 'transition',
  params: (b) => [{ name: 'IN_W', value: b.inW }, { name: 'OUT_W', value: b.outW }],
  inWidth: (b) => b.inW,
  outWidth: (b) => b.outW,
  wrapper: () => ({ wires: [], assigns: [], instances: [], ports: [] }),
  memories: () => [],
  comment: (b) => `width converter ${b.inW} -> ${b.outW} bits`,
  print: (b) => `${b.name}: dwc ${b.inW} -> ${b.outW}`,
  cycles: () => null,
  steps: (_b, n) => n.inBeats,
  layer: () => null,
  latency: () => STREAM_LATENCY,
  obufDepth: () => null,
  sim: (b) => new DwcSim(b),
  /** CAP-bit buffer, variable-position write (IN_W bits into CU-IU+1 positions), fixed shift out. */
  features: (b) => {
    const f = empty<DwcLut, DwcFf>('dwc');
    const g = gcd(b.inW, b.outW);
    const cap = b.inW + b.outW + Math.min(b.inW, b.outW) - g;
    const cu = cap / g;
    const positions = cu - b.inW / g + 1;
    const nw = clog2(cu + 1);
    const psw = positions > 1 ? clog2(positions) : 1;
    // down-converter (IN_W > OUT_W): a write only lands in an empty or nearly empty buffer, so each
    // bit selects among few input bits; the insert mux is folded into the per-bit functions (dbit*)
    const down = b.inW > b.outW;
    f.lut['cap'] = cap;
    if (!down) f.lut['insert'] = b.inW * positions;
    f.lut['cnt'] = nw;
    // next state of buffer bit j: a function of sreg[j], valid, ready, the NW count bits, the input
    // bits the (full, 2^PSW-position) shifter can move to j and sreg[j + OUT_W] (shift source).
    // Up to the LUT size it is one LUT; ABC builds wider ones as Shannon trees (LUT + MUXF7/F8 on
    // Xilinx: 2 LUTs for one extra input, 4 for two); beyond that it factors through shared decodes.
    for (let j = 0; j < cap; j++) {
      // positions p < 2^PSW with p*G <= j < p*G + IN_W
      const data = Math.max(0, Math.min(2 ** psw - 1, Math.floor(j / g)) - Math.max(0, Math.floor((j - b.inW) / g) + 1) + 1);
      const support = 3 + nw + data + (j + b.outW < cap ? 1 : 0);
      // down-converter bits: Shannon trees up to 8 inputs (dbit), shared-decode factoring above (dbit_wide)
      const key = down ? (support <= 8 ? 'dbit' : 'dbit_wide') : support <= 6 ? 'bit_lut' : support === 7 ? 'bit_s7' : support === 8 ? 'bit_s8' : 'bit_wide';
      f.lut[key] = (f.lut[key] ?? 0) + 1;
    }
    f.ff['cap'] = cap;
    f.ff['cnt'] = clog2(cu + 1);
    return f;
  },
  finn: null,
};

/**
 * bnn_dwc: bit queue; ready when cnt <= CAP - IN_W, valid when cnt >= OUT_W. Beats of k-bit lanes
 * (b.lane) are taken apart into their two's complement bits and output beats put together from them.
 */
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
      this.out = this.b.lane ? lanesOf(o, this.b.lane.w, this.b.lane.signed) : o;
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
      const lw = this.b.lane ? this.b.lane.w : 1;
      for (let i = 0; i < inW; i++, t = t + 1 === this.cap ? 0 : t + 1) {
        const v = sData?.[Math.floor(i / lw)] ?? 0;
        this.ring[t] = lw === 1 ? (v ? 1 : 0) : (((v % 2 ** lw) + 2 ** lw) % 2 ** lw >> i % lw) & 1;
      }
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

/** Bits (lane 0's LSB first) -> w-bit lane values (two's complement when signed). */
function lanesOf(bits: number[], w: number, signed: boolean): number[] {
  const out = new Array<number>(bits.length / w);
  for (let k = 0; k < out.length; k++) {
    let v = 0;
    for (let b = w - 1; b >= 0; b--) v = v * 2 + bits[k * w + b]!;
    out[k] = signed && v >= 2 ** (w - 1) ? v - 2 ** w : v;
  }
  return out;
}
