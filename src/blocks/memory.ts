/**
 * Where Yosys 0.23 puts a memory: block RAM, distributed RAM (LUTRAM) or soft logic.
 *
 * A re-statement (not a copy) of the decision `memory_libmap` makes with the memory libraries that
 * `synth_xilinx` (family xc7) and `synth_ice40` pass it: every RAM cell option is scored by the
 * geometry rule of memory_libmap ("for every base width: words per cell, cells needed to hold
 * ceil(depth / words) slices of the (byte-padded) word, plus 0.5 per read-mux and write-demux
 * input, plus 2 per emulated feature") and the cheapest option wins unless soft logic is cheaper:
 * width * depth * 1/64 (Xilinx ROM) or 1/16 (iCE40 ROM), width * depth (RAM). The option tables are
 * the ones in /usr/share/yosys/{xilinx/brams_xc4v.txt, xilinx/lutrams_xc5v.txt, ice40/brams.txt}.
 * Checked against synthesis in test/estimate (BRAM counts must be exact) and docs/calibration.md.
 */
/** The FPGA fabrics the estimators model: Xilinx 7-series (LUT6) and iCE40 (LUT4). */
export type Fabric = 'xilinx' | 'ice40';

/** rom: read only; ram: write port and asynchronous read port with their own addresses (FIFO);
 * ram1: write and asynchronous read at one shared address (input buffers), which the single-port
 * LUTRAM options (one "arsw" port) can take */
export type MemKind = 'rom' | 'ram' | 'ram1';

export interface MemShape {
  /** data bits per word that synthesis keeps (constant columns of a ROM removed) */
  width: number;
  depth: number;
  kind: MemKind;
}

export interface CellOption {
  name: string;
  /** block RAM, distributed RAM */
  kind: 'block' | 'distributed';
  abits: number;
  dbits: number[];
  cost: number;
  widthscale: number;
  /** byte (write-enable granule); 0 = none */
  byte: number;
  /** index into dbits of the widest read / write port width; min write width index */
  rdMax: number;
  wrMin: number;
  wrMax: number;
  rom: boolean;
  /** single-port cell: only for memories whose read and write address are the same signal */
  sp?: boolean;
  /** resources of one cell */
  bram18: number;
  ebr: number;
  lutPerCell: number;
  /** LUTRAM options mapped one primitive per used data bit (RAM64X1S, RAM128X1D, ...): LUTs per bit */
  lutPerBit?: number;
  /** primitive name in the synthesised netlist */
  prim: string;
}

const b18 = (o: Omit<CellOption, 'kind' | 'widthscale' | 'rom' | 'ebr' | 'lutPerCell'>): CellOption => ({ ...o, kind: 'block', widthscale: 0, rom: true, ebr: 0, lutPerCell: 0 });
const lutram = (name: string, abits: number, width: number, cost: number, widthscale: number, prim: string, lutPerBit?: number): CellOption => ({
  name, kind: 'distributed', abits, dbits: [width], cost, widthscale, byte: 0, rdMax: 0, wrMin: 0, wrMax: 0, rom: false, bram18: 0, ebr: 0, lutPerCell: 4, prim, ...(lutPerBit ? { lutPerBit } : {}),
});
/** single-port LUTRAM ($__XILINX_LUTRAM_SP_: cost 8, widthscale) */
const lutramSp = (name: string, abits: number, width: number, prim: string, lutPerBit?: number): CellOption => ({ ...lutram(name, abits, width, 8, 8, prim, lutPerBit), sp: true });

/** synth_xilinx (xc7): brams_xc4v.txt with HAS_SIZE_36 + HAS_CASCADE, lutrams_xc5v.txt. */
export const XILINX_CELLS: readonly CellOption[] = [
  b18({ name: 'TDP HALF', abits: 14, dbits: [1, 2, 4, 9, 18], cost: 129, byte: 9, rdMax: 4, wrMin: 0, wrMax: 4, bram18: 1, prim: 'RAMB18E1' }),
  b18({ name: 'TDP FULL', abits: 15, dbits: [1, 2, 4, 9, 18, 36], cost: 257, byte: 9, rdMax: 5, wrMin: 0, wrMax: 5, bram18: 2, prim: 'RAMB36E1' }),
  b18({ name: 'TDP CASCADE', abits: 16, dbits: [1, 2, 4, 9], cost: 513, byte: 9, rdMax: 3, wrMin: 0, wrMax: 3, bram18: 4, prim: '2 x RAMB36E1' }),
  b18({ name: 'SDP HALF', abits: 14, dbits: [1, 2, 4, 9, 18, 36], cost: 129, byte: 9, rdMax: 5, wrMin: 5, wrMax: 5, bram18: 1, prim: 'RAMB18E1' }),
  b18({ name: 'SDP FULL', abits: 15, dbits: [1, 2, 4, 9, 18, 36, 72], cost: 257, byte: 9, rdMax: 6, wrMin: 6, wrMax: 6, bram18: 2, prim: 'RAMB36E1' }),
  lutramSp('LUTRAM SP 32', 5, 8, 'RAM32M'),
  lutramSp('LUTRAM SP 64', 6, 4, 'RAM64X1S', 1),
  lutramSp('LUTRAM SP 128', 7, 2, 'RAM128X1S', 2),
  lutramSp('LUTRAM SP 256', 8, 1, 'RAM256X1S', 4),
  lutram('LUTRAM DP 32', 5, 4, 8, 8, 'RAM32M'),
  lutram('LUTRAM DP 64', 6, 2, 8, 8, 'RAM64X1D', 2),
  lutram('LUTRAM DP 128', 7, 1, 8, 8, 'RAM128X1D', 4),
  lutram('LUTRAM QP 32', 5, 2, 7, 7, 'RAM32M'),
  lutram('LUTRAM QP 64', 6, 1, 7, 7, 'RAM64M'),
  lutram('LUTRAM SDP 32', 5, 6, 8, 7, 'RAM32M'),
  lutram('LUTRAM SDP 64', 6, 3, 8, 7, 'RAM64M'),
];

/** synth_ice40: ice40/brams.txt, the two HAS_BE variants of SB_RAM40_4K. */
export const ICE40_CELLS: readonly CellOption[] = [
  { name: 'RAM4K', kind: 'block', abits: 11, dbits: [2, 4, 8, 16], cost: 64, widthscale: 0, byte: 0, rdMax: 3, wrMin: 0, wrMax: 2, rom: true, bram18: 0, ebr: 1, lutPerCell: 0, prim: 'SB_RAM40_4K' },
  { name: 'RAM4K BE', kind: 'block', abits: 11, dbits: [2, 4, 8, 16], cost: 64, widthscale: 0, byte: 1, rdMax: 3, wrMin: 3, wrMax: 3, rom: true, bram18: 0, ebr: 1, lutPerCell: 0, prim: 'SB_RAM40_4K' },
];

const FACTOR_MUX = 0.5;
const FACTOR_DEMUX = 0.5;
const FACTOR_EMU = 2;
/** emulation score observed for our memories: a ROM (sync read with enable) 1; a FIFO / buffer RAM 4
 * (asynchronous read from a pointer register: merged address FF with reset and enable, transparency);
 * a single-address buffer (ram1) 3: a 1-bit x 9 buffer goes to one RAM32M, not to flip-flops */
const EMU = { rom: 1, ram: 4, ram1: 3 } as const;
const LOGIC_COST_ROM: Record<Fabric, number> = { xilinx: 1 / 64, ice40: 1 / 16 };
const LOGIC_COST_RAM = 1;

export interface MemMapping {
  /** 'logic' when synthesis lowers the memory to LUTs and flip-flops */
  option: CellOption | null;
  cells: number;
  /** number of address slices (words per cell < depth) that a read mux selects between */
  slices: number;
  cost: number;
  logicCost: number;
  bram18: number;
  ebr: number;
  /** LUTs of LUTRAM cells (4 per cell) */
  lutram: number;
}

interface Geom {
  cost: number;
  cells: number;
  slices: number;
}

/** memory_libmap's geometry search for one cell option (one write port with one enable or none, one read port). */
export function geometry(o: CellOption, m: MemShape): Geom | null {
  if (m.kind === 'rom' && !o.rom) return null;
  if (o.sp && m.kind !== 'ram1') return null;
  let best: Geom | null = null;
  const hasWr = m.kind !== 'rom';
  let byteWidthLog2 = 0;
  for (let i = 0; i < o.dbits.length; i++) if (o.byte >= o.dbits[i]!) byteWidthLog2 = i;
  if (o.byte === 0) byteWidthLog2 = o.dbits.length - 1;
  for (let base = 0; base < o.dbits.length; base++) {
    let unit = base;
    if (hasWr && unit > o.wrMax) unit = o.wrMax;
    if (unit > o.rdMax) unit = o.rdMax;
    if (unit !== base && best) break;
    const unitWidth = o.dbits[unit]!;
    let effByte = o.byte === 0 || o.byte > unitWidth ? unitWidth : o.byte;
    if (!hasWr) effByte = 1;
    // a write port narrower than its minimum width and than a byte cannot be widened (not wide)
    if (hasWr && base < o.wrMin && base < byteWidthLog2) continue;
    const swizzle = Math.ceil(m.width / effByte) * effByte;
    const addrs = 2 ** (o.abits - base);
    const multA = Math.floor((m.depth - 1) / addrs) + 1;
    const bits = multA * swizzle;
    const repl = Math.ceil(bits / unitWidth);
    const demux = hasWr && multA !== 1 ? multA : 0;
    const mux = (multA - 1) * m.width;
    let cost = (o.cost - o.widthscale) * repl;
    cost += Math.trunc((o.widthscale * multA * m.width) / unitWidth);
    cost += mux * FACTOR_MUX + demux * FACTOR_DEMUX + EMU[m.kind] * FACTOR_EMU;
    if (!best || cost < best.cost) best = { cost, cells: repl, slices: multA };
  }
  return best;
}

export function mapMemory(fabric: Fabric, m: MemShape): MemMapping {
  // iCE40 has no single-port cell: SB_RAM40_4K's separate read / write ports emulate it as for a FIFO
  if (fabric === 'ice40' && m.kind === 'ram1') m = { ...m, kind: 'ram' };
  const logicCost = m.width * m.depth * (m.kind === 'rom' ? LOGIC_COST_ROM[fabric] : LOGIC_COST_RAM);
  const none: MemMapping = { option: null, cells: 0, slices: 1, cost: logicCost, logicCost, bram18: 0, ebr: 0, lutram: 0 };
  if (m.width <= 0 || m.depth <= 0) return none;
  let best = none;
  for (const o of fabric === 'xilinx' ? XILINX_CELLS : ICE40_CELLS) {
    const g = geometry(o, m);
    if (!g) continue;
    if (g.cost < best.cost) {
      const lutram = o.lutPerBit ? g.slices * m.width * o.lutPerBit : g.cells * o.lutPerCell;
      best = { option: o, cells: g.cells, slices: g.slices, cost: g.cost, logicCost, bram18: g.cells * o.bram18, ebr: g.cells * o.ebr, lutram };
    }
  }
  return best;
}
