/**
 * Target devices: fabric family and capacities (vendor data sheets / product tables; see
 * ../shared/REFERENCE.md section 7 and docs/estimation.md). Xilinx capacities count 6-input LUTs,
 * flip-flops, 18 Kbit block RAM halves (one RAMB36 = two BRAM18) and DSP slices; "LUT as memory" is
 * the SLICEM share of the LUTs (LUTRAM / SRL capacity). iCE40 capacities count 4-input LUTs, DFFs,
 * 4 Kbit EBRs (SB_RAM40_4K), SPRAMs and DSPs (SB_MAC16).
 */
import { fail } from '../diagnostics/diagnostic.js';
import type { Fabric } from '../blocks/memory.js';

export type { Fabric };

export interface Device {
  name: string;
  fabric: Fabric;
  /** part string for Vivado / package for nextpnr */
  part: string;
  description: string;
  lut: number;
  ff: number;
  /** Xilinx: 18 Kbit block RAM units (2 per RAMB36); iCE40: 0 */
  bram18: number;
  /** iCE40: 4 Kbit embedded block RAMs; Xilinx: 0 */
  ebr: number;
  dsp: number;
  /** Xilinx: LUTs usable as distributed RAM (SLICEM) */
  lutram: number;
  /** iCE40 UltraPlus: 256 Kbit single-port RAMs (not used by bnn-hw) */
  spram: number;
  /** nextpnr-ice40 device flag and package, e.g. ['--up5k', 'sg48'] */
  nextpnr?: { flag: string; pkg: string };
}

export const DEVICES: readonly Device[] = [
  { name: 'xc7z020', fabric: 'xilinx', part: 'xc7z020clg400-1', description: 'Zynq-7020 (PYNQ-Z1/Z2)', lut: 53_200, ff: 106_400, bram18: 280, ebr: 0, dsp: 220, lutram: 17_400, spram: 0 },
  { name: 'xc7z045', fabric: 'xilinx', part: 'xc7z045ffg900-2', description: 'Zynq-7045 (ZC706)', lut: 218_600, ff: 437_200, bram18: 1_090, ebr: 0, dsp: 900, lutram: 70_400, spram: 0 },
  { name: 'xczu3eg', fabric: 'xilinx', part: 'xczu3eg-sbva484-1-e', description: 'Zynq UltraScale+ ZU3EG (Ultra96)', lut: 70_560, ff: 141_120, bram18: 432, ebr: 0, dsp: 360, lutram: 28_800, spram: 0 },
  { name: 'ice40up5k', fabric: 'ice40', part: 'up5k-sg48', description: 'iCE40 UltraPlus 5K', lut: 5_280, ff: 5_280, bram18: 0, ebr: 30, dsp: 8, lutram: 0, spram: 4, nextpnr: { flag: '--up5k', pkg: 'sg48' } },
  { name: 'ice40hx8k', fabric: 'ice40', part: 'hx8k-ct256', description: 'iCE40 HX8K', lut: 7_680, ff: 7_680, bram18: 0, ebr: 32, dsp: 0, lutram: 0, spram: 0, nextpnr: { flag: '--hx8k', pkg: 'ct256' } },
];

export const deviceNames = (): string[] => DEVICES.map((d) => d.name);

export function findDevice(name: string): Device {
  const d = DEVICES.find((x) => x.name === name.toLowerCase());
  if (!d) fail('BNN086', '', `unknown device '${name}'`, `known devices: ${deviceNames().join(', ')}`);
  return d;
}
