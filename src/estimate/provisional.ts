/**
 * PROVISIONAL constants of features the calibration sweep has not fitted yet: used only where
 * constants.ts has no value for the feature, so a calibration run that fits them replaces these. Each
 * is a structural guess, not a measurement:
 *   lvl_enc:  bnn_levels' thermometer-to-binary encoder, per threshold: bit b of the code ORs about
 *             n / 2^(b+1) two-input terms, so about one 2-input gate per threshold in all; a LUT6
 *             packs about three of them (xilinx 0.35), a LUT4 about two (ice40 0.5).
 *   bitplane: mvu_int's bit-plane datapath, whose feature is already its estimate at the constants of
 *             scripts/kdot-measure.mjs (blocks/mvu-int-datapath.ts): 1, LUTs and flip-flops as counted.
 *   sum:      bnn_pool's window-sum adders (SUM = 1), per adder bit: fitted by hand to 4 Yosys 0.23 runs
 *             per fabric of the module alone (2x2 / 3x3 windows, PE 2..16, 2..4-bit unsigned / signed
 *             codes; docs/rtl-blocks.md "bnn_pool", window sum), the rest of the block at its
 *             calibrated max-pool constants: xilinx 0.85 (one LUT per bit and a carry chain, less where
 *             the adder's low bits pack), ice40 0.8 (the carry chain takes part of the adder).
 */
import type { Fabric } from '../blocks/memory.js';

export const PROVISIONAL_LUT: Record<Fabric, Record<string, Record<string, number>>> = {
  xilinx: { mvtu: { lvl_enc: 0.35 }, mvu_int: { lvl_enc: 0.35, bitplane: 1 }, thresh_in: { lvl_enc: 0.35 }, pool: { sum: 0.85 } },
  ice40: { mvtu: { lvl_enc: 0.5 }, mvu_int: { lvl_enc: 0.5, bitplane: 1 }, thresh_in: { lvl_enc: 0.5 }, pool: { sum: 0.8 } },
};

export const PROVISIONAL_FF: Record<Fabric, Record<string, Record<string, number>>> = {
  xilinx: { mvu_int: { bitplane: 1 } },
  ice40: { mvu_int: { bitplane: 1 } },
};
