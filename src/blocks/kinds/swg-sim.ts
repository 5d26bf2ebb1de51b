/**
 * Geometry and cycle model of the sliding-window generator (templates/lib/bnn_swg.v;
 * docs/rtl-blocks.md "Convolution blocks"). Like the other models it exposes the register-only outputs
 * of its module and takes one clock edge per `step`; it mirrors the RTL's registers (counters,
 * line-buffer pointers, credits, output FIFO) so that every handshake happens in exactly the cycle the
 * RTL makes it.
 *
 * Beat lanes: bnn_swg passes elements through unchanged (a lane is one element: a bit 0/1 or an
 * integer code); a padding tap is SIMD copies of PAD_ELEM (PAD_MODE 0) or SIMD zeros plus a last lane
 * 1 (PAD_MODE 1, whose beats have SIMD+1 lanes, the last one the mask).
 */
import { type Beat, type BlockSim, FifoSim } from '../sim-base.js';
import type { SwgParams } from '../types.js';
import type { Param } from '../kind.js';
import { obufFor, SWG_LATENCY } from '../timing.js';

/** output FIFO entries: one result per step, so full rate needs LATENCY + 1 */
export const SWG_OBUF_DEPTH = obufFor(SWG_LATENCY, 1);
/**
 * Derived geometry of bnn_swg, computed here once: the cycle model uses it and the module receives
 * oh, ow, rows, fd, off and frows as parameters (swgStructureParams), which it checks at elaboration.
 */
export interface SwgGeometry {
  /** beats per pixel */
  cg: number;
  /** beats per input row */
  roww: number;
  oh: number;
  ow: number;
  /** low-mark step at a frame switch (rows) */
  fd: number;
  /** line-buffer rows */
  rows: number;
  /** offset keeping the module's ahead / dy registers >= 0 */
  off: number;
  /** row-base step at a frame switch: H - (OH-1)*SH rows, mod rows */
  frows: number;
  /** line-buffer words (SIMD*ELEM_W bits each) */
  depth: number;
  /** input beats per frame */
  inBeats: number;
  /** output beats per frame */
  outBeats: number;
  /** output beat width in bits */
  outW: number;
}

export function swgGeometry(p: SwgParams): SwgGeometry {
  const cg = p.C / p.SIMD;
  const roww = p.W * cg;
  const oh = Math.floor((p.H + p.PAD_T + p.PAD_B - p.KH) / p.SH) + 1;
  const ow = Math.floor((p.W + p.PAD_L + p.PAD_R - p.KW) / p.SW) + 1;
  // windows made only of bottom padding keep the frame's last row as their low mark
  const loLast = Math.min(Math.max(0, (oh - 1) * p.SH - p.PAD_T), p.H - 1);
  const fd = p.H - loLast;
  const newr = Math.max(1, Math.min(p.KH - p.PAD_T, p.H));
  const rows = Math.max(p.KH + p.SH, fd + newr);
  return {
    cg,
    roww,
    oh,
    ow,
    fd,
    rows,
    off: Math.max(fd, p.PAD_T, p.SH),
    frows: (((p.H - (oh - 1) * p.SH) % rows) + rows) % rows,
    depth: rows * roww,
    inBeats: p.H * roww,
    outBeats: oh * ow * p.KH * p.KW * cg,
    outW: p.SIMD * p.ELEM_W + (p.PAD_MODE ? 1 : 0),
  };
}

/** The geometry parameters of bnn_swg (after the module's own parameters). */
export function swgStructureParams(p: SwgParams): Param[] {
  const g = swgGeometry(p);
  return [
    { name: 'OH', value: g.oh }, { name: 'OW', value: g.ow }, { name: 'ROWS', value: g.rows },
    { name: 'FD', value: g.fd }, { name: 'OFF', value: g.off }, { name: 'FROWS', value: g.frows },
  ];
}

export function checkSwgParams(p: SwgParams): void {
  const bad = (m: string) => {
    throw new Error(`bnn_swg: ${m}`);
  };
  if (p.C % p.SIMD !== 0) bad(`SIMD ${p.SIMD} does not divide C ${p.C}`);
  if (p.ELEM_W < 1 || p.ELEM_W > 32) bad('ELEM_W must be 1..32');
  if (p.SH < 1 || p.SW < 1) bad('strides must be >= 1');
  if (Math.min(p.PAD_T, p.PAD_B, p.PAD_L, p.PAD_R) < 0) bad('padding must be >= 0');
  if (p.KH > p.H + p.PAD_T + p.PAD_B || p.KW > p.W + p.PAD_L + p.PAD_R) bad('kernel larger than the padded image');
}

/** bnn_swg: line buffer (ring of R rows) with a credit-guarded output FIFO; see the module header. */
export class SwgSim implements BlockSim {
  readonly geom: SwgGeometry;
  private mem: (Beat | undefined)[];
  private obuf: FifoSim;
  private readonly off: number;
  // writer
  private waddr = 0;
  private wpos = 0;
  private aho: number;
  // reader
  private g = 0;
  private kx = 0;
  private ky = 0;
  private ox = 0;
  private oy = 0;
  private ixp = 0;
  private ix0p = 0;
  private iyp = 0;
  private iy0p = 0;
  private lop: number;
  private dyo: number;
  private dyo0: number;
  /** column address ix*CG + g as an unbounded integer (the RTL keeps it mod 2^RAW) */
  private ca: number;
  private ca0: number;
  private rbase: number;
  private obase: number;
  private reserved = 0;
  // stage 2
  private v2 = false;
  private pad2 = false;
  private q: Beat | undefined = undefined;
  private readonly padBeat: Beat;

  constructor(
    readonly name: string,
    readonly p: SwgParams,
    private readonly obufDepth = SWG_OBUF_DEPTH,
  ) {
    checkSwgParams(p);
    this.geom = swgGeometry(p);
    const g = this.geom;
    this.mem = new Array<Beat | undefined>(g.depth);
    this.obuf = new FifoSim(name + '.obuf', obufDepth);
    this.off = g.off;
    this.aho = this.off;
    this.lop = p.PAD_T;
    this.dyo = this.dyo0 = this.off - p.PAD_T;
    this.ca = this.ca0 = -p.PAD_L * g.cg;
    this.rbase = this.obase = ((((g.rows - p.PAD_T) % g.rows) + g.rows) % g.rows) * g.roww;
    this.padBeat = p.PAD_MODE ? [...new Array<number>(p.SIMD).fill(0), 1] : new Array<number>(p.SIMD).fill(p.PAD_ELEM);
  }

  sReady(): boolean {
    return this.aho < this.geom.rows + this.off;
  }
  mValid(): boolean {
    return this.obuf.mValid();
  }
  mData(): Beat {
    return this.obuf.mData();
  }
  private pad(): boolean {
    const p = this.p;
    return this.iyp < p.PAD_T || this.iyp >= p.H + p.PAD_T || this.ixp < p.PAD_L || this.ixp >= p.W + p.PAD_L;
  }
  private addmod(a: number, b: number): number {
    const s = a + b;
    return s >= this.geom.depth ? s - this.geom.depth : s;
  }

  step(_c: number, sValid: boolean, sData: Beat | null, mReady: boolean): void {
    const p = this.p;
    const g = this.geom;
    const wr = sValid && this.sReady();
    const rowDone = wr && this.wpos === g.roww - 1;
    const rd = this.obuf.mValid() && mReady;
    const pad = this.pad();
    // a padding tap waits for the first beat of the low-mark row, an image tap for its own beat
    const dyq = pad ? this.off : this.dyo;
    const caq = pad ? 0 : this.ca;
    const avail = this.aho > dyq || (this.aho === dyq && this.wpos > caq);
    const fire = avail && this.reserved < this.obufDepth;

    // output FIFO: read, then the stage-2 result is written (credits guarantee room)
    if (rd) this.obuf.pop();
    if (this.v2) {
      let beat: Beat;
      if (this.pad2) beat = this.padBeat;
      else beat = p.PAD_MODE ? [...this.q!, 0] : this.q!;
      this.obuf.push(beat);
    }
    // stage 2 registers and RAM read (the read sees the memory before this edge's write)
    this.v2 = fire;
    this.pad2 = pad;
    if (fire && !pad) this.q = this.mem[this.rbase + this.ca];
    if (wr) this.mem[this.waddr] = sData!;

    // low mark / ahead
    const lastG = this.g === g.cg - 1;
    const lastKx = this.kx === p.KW - 1;
    const lastKy = this.ky === p.KH - 1;
    const lastOx = this.ox === g.ow - 1;
    const lastOy = this.oy === g.oh - 1;
    const rowAdv = fire && lastG && lastKx && lastKy && lastOx;
    const iy0n = this.iy0p + p.SH;
    const lon = Math.min(Math.max(p.PAD_T, iy0n), p.PAD_T + p.H - 1);
    // dy is only used by image taps: a window below the image has none
    const dyon = this.off + Math.min(0, iy0n - p.PAD_T);
    const loStep = !rowAdv ? 0 : lastOy ? g.fd : lon - this.lop;

    if (wr) {
      this.waddr = this.waddr === g.depth - 1 ? 0 : this.waddr + 1;
      this.wpos = rowDone ? 0 : this.wpos + 1;
    }
    this.aho = this.aho + (rowDone ? 1 : 0) - loStep;
    // the RTL register is AHW bits wide and holds ahead + OFF in 0 .. R + OFF
    if (this.aho < 0 || this.aho > g.rows + this.off) throw new Error(`${this.name}: ahead register out of range (${this.aho - this.off})`);
    this.reserved += (fire ? 1 : 0) - (rd ? 1 : 0);

    if (!fire) return;
    if (!lastG) {
      this.g++;
      this.ca++;
      return;
    }
    this.g = 0;
    if (!lastKx) {
      this.kx++;
      this.ixp++;
      this.ca++;
      return;
    }
    this.kx = 0;
    if (!lastKy) {
      this.ky++;
      this.iyp++;
      this.dyo++;
      this.rbase = this.addmod(this.rbase, g.roww);
      this.ixp = this.ix0p;
      this.ca = this.ca0;
      return;
    }
    this.ky = 0;
    if (!lastOx) {
      this.ox++;
      this.ix0p += p.SW;
      this.ixp = this.ix0p;
      this.ca0 += p.SW * g.cg;
      this.ca = this.ca0;
      this.iyp = this.iy0p;
      this.dyo = this.dyo0;
      this.rbase = this.obase;
      return;
    }
    this.ox = 0;
    this.ix0p = this.ixp = 0;
    this.ca0 = this.ca = -p.PAD_L * g.cg;
    if (!lastOy) {
      this.oy++;
      this.iy0p = this.iyp = iy0n;
      this.lop = lon;
      this.dyo0 = this.dyo = dyon;
      this.obase = this.rbase = this.addmod(this.obase, p.SH * g.roww);
    } else {
      this.oy = 0;
      this.iy0p = this.iyp = 0;
      this.lop = p.PAD_T;
      this.dyo0 = this.dyo = this.off - p.PAD_T;
      this.obase = this.rbase = this.addmod(this.obase, g.frows * g.roww);
    }
  }

  busy(): boolean {
    return this.v2 || this.obuf.busy();
  }
  occupancy(): number {
    return this.obuf.count();
  }
}
