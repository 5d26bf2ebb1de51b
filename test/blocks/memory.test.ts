/**
 * The memory_libmap model (src/blocks/memory.ts) against Yosys 0.23 decisions recorded with
 * synth_xilinx / synth_ice40 on bnn_rom and bnn_fifo (see docs/calibration.md). Pure: no tools.
 */
import { describe, expect, it } from 'vitest';
import { mapMemory } from '../../src/blocks/memory.js';
import { BitMatrix } from '../../src/util/bits.js';

// [width, depth, BRAM18 units (RAMB18 = 1, RAMB36 = 2)] measured with synth_xilinx on bnn_rom (random contents)
const XILINX_ROM: [number, number, number][] = [
  [8, 16, 0], [36, 256, 1], [36, 200, 0], [8, 512, 0], [8, 2048, 1], [1, 4096, 0], [1, 16384, 1], [160, 256, 0],
  [784, 256, 22], [784, 64, 0], [4, 32768, 8], [32, 18432, 32], [8, 4096, 2], [72, 1024, 4], [1, 65536, 4], [36, 2048, 4],
];
// [width, depth, SB_RAM40_4K] with synth_ice40 on bnn_rom
const ICE40_ROM: [number, number, number][] = [
  [8, 16, 0], [8, 64, 0], [8, 128, 0], [16, 128, 1], [36, 64, 0], [36, 256, 3], [784, 64, 0], [1, 4096, 1], [4, 1024, 1], [2, 2048, 1], [160, 4, 0], [8, 512, 1],
];
// [width, depth, kind, cells] with synth_xilinx on bnn_fifo: LUTRAM cells (RAM32M / RAM64M / RAM128X1D) or BRAM18
const XILINX_FIFO: [number, number, string, number][] = [
  [8, 1, 'logic', 0], [8, 2, 'logic', 0], [64, 2, 'LUTRAM SDP 32', 11], [8, 3, 'LUTRAM SDP 32', 2], [8, 16, 'LUTRAM SDP 32', 2],
  [8, 33, 'LUTRAM SDP 64', 3], [8, 65, 'LUTRAM SDP 32', 6], [8, 128, 'LUTRAM SDP 64', 6], [49, 18, 'LUTRAM SDP 32', 9], [784, 18, 'LUTRAM SDP 32', 131],
  [8, 514, 'TDP HALF', 1],
];

describe('memory_libmap model', () => {
  it.each(XILINX_ROM)('xilinx ROM %i x %i -> %i BRAM18', (w, d, b) => {
    expect(mapMemory('xilinx', { width: w, depth: d, kind: 'rom' }).bram18).toBe(b);
  });
  it.each(ICE40_ROM)('ice40 ROM %i x %i -> %i EBR', (w, d, e) => {
    expect(mapMemory('ice40', { width: w, depth: d, kind: 'rom' }).ebr).toBe(e);
  });
  it.each(XILINX_FIFO)('xilinx FIFO RAM %i x %i -> %s (%i cells)', (w, d, kind, cells) => {
    const m = mapMemory('xilinx', { width: w, depth: d, kind: 'ram' });
    expect(m.option?.name ?? 'logic').toBe(kind);
    expect(m.cells).toBe(cells);
  });
  it('ROM columns constant over all words are dropped (opt_mem)', () => {
    expect(BitMatrix.fromHex('a\n8\ne\n', 4).varyingColumns()).toBe(2);
    expect(BitMatrix.fromHex('5\n', 4).varyingColumns()).toBe(0);
  });
});
