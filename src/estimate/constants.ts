/**
 * Calibrated constants of the block estimators (blocks.ts): per fabric, per block kind, one
 * coefficient per LUT feature and per FF feature. Written by `node scripts/calibrate.mjs --write`
 * from the sweep in docs/calibration.md (the same numbers are in docs/calibration-constants.json;
 * test/estimate/constants.test.ts checks that they agree). Do not edit by hand.
 */
export interface KindConstants {
  lut: Record<string, number>;
  ff: Record<string, number>;
}

export const CONSTANTS: Record<'xilinx' | 'ice40', Record<string, KindConstants>> = {
  xilinx: {
    fifo: { lut: { one: 12, aw: 6, mem_ffmux: 0.35, mem_mux: 0.5 }, ff: { one: 0, ctl: 1, mem_store: 1 } },
    dwc: { lut: { one: 4, cap: 0.6, insert: 0.2, cnt: 2 }, ff: { one: 0, cap: 1, cnt: 1 } },
    mvtu: {
      lut: { one: 10, ctl: 2, pop: 1.05, pop_const: 1.05, cpa: 1, acc: 1, cmp: 0.6, ibuf_sel: 1, ibuf_mux: 0.5, ibuf_ffmux: 0.35, wrom_logic: 1, wrom_mux: 0.5, trom_logic: 0.6, trom_mux: 0.5 },
      ff: { one: 0, ctl: 1, x: 1, pop: 1, acc: 1, wrom_q: 1, trom_q: 1, wrom_mux: 1, trom_mux: 1, ibuf_store: 1, obuf_v: 1 },
    },
    mvu_int: {
      lut: { one: 10, ctl: 2, neg: 0.3, tree: 1, acc: 1, cmp: 0.6, ibuf_sel: 1, ibuf_mux: 0.5, ibuf_ffmux: 0.35, wrom_logic: 1, wrom_mux: 0.5, trom_logic: 0.6, trom_mux: 0.5 },
      ff: { one: 0, ctl: 1, x: 1, tree: 1, acc: 1, wrom_q: 1, trom_q: 1, wrom_mux: 1, trom_mux: 1, ibuf_store: 1, obuf_v: 1 },
    },
    thresh_in: { lut: { one: 5, ctl: 2, cmp: 0.7, trom_logic: 1, trom_mux: 0.5 }, ff: { one: 0, ctl: 1, x: 1, trom_q: 1, trom_mux: 1 } },
    argmax: { lut: { one: 10, tree: 1, run: 1, rrom_logic: 1, rrom_mux: 0.5 }, ff: { one: 0, in: 1, run: 1, rrom_q: 1, rrom_mux: 1 } },
    swg: { lut: { one: 40, ctl: 3, out: 1, mem_ffmux: 0.35, mem_mux: 0.5 }, ff: { one: 0, ctl: 1, out: 1, mem_store: 1 } },
    pool: { lut: { one: 20, ctl: 3, ops: 1, hist_ffmux: 0.35, hist_mux: 0.5, vhist_ffmux: 0.35, vhist_mux: 0.5 }, ff: { one: 0, ctl: 1, hist_store: 1, vhist_store: 1 } },
  },
  ice40: {
    fifo: { lut: { one: 12, aw: 8, mem_ffmux: 1, mem_mux: 1 }, ff: { one: 0, ctl: 1, mem_store: 1 } },
    dwc: { lut: { one: 4, cap: 1, insert: 0.5, cnt: 3 }, ff: { one: 0, cap: 1, cnt: 1 } },
    mvtu: {
      lut: { one: 15, ctl: 3, pop: 2.5, pop_const: 2, cpa: 1, acc: 1, cmp: 1, ibuf_sel: 1, ibuf_mux: 1, ibuf_ffmux: 1, wrom_logic: 1, wrom_mux: 1, trom_logic: 0.6, trom_mux: 1 },
      ff: { one: 0, ctl: 1, x: 1, pop: 1, acc: 1, wrom_q: 1, trom_q: 1, wrom_mux: 1, trom_mux: 1, ibuf_store: 1, obuf_v: 1 },
    },
    mvu_int: {
      lut: { one: 15, ctl: 3, neg: 1, tree: 1, acc: 1, cmp: 1, ibuf_sel: 1, ibuf_mux: 1, ibuf_ffmux: 1, wrom_logic: 1, wrom_mux: 1, trom_logic: 0.6, trom_mux: 1 },
      ff: { one: 0, ctl: 1, x: 1, tree: 1, acc: 1, wrom_q: 1, trom_q: 1, wrom_mux: 1, trom_mux: 1, ibuf_store: 1, obuf_v: 1 },
    },
    thresh_in: { lut: { one: 5, ctl: 3, cmp: 1, trom_logic: 1, trom_mux: 1 }, ff: { one: 0, ctl: 1, x: 1, trom_q: 1, trom_mux: 1 } },
    argmax: { lut: { one: 10, tree: 1.5, run: 1.5, rrom_logic: 1, rrom_mux: 1 }, ff: { one: 0, in: 1, run: 1, rrom_q: 1, rrom_mux: 1 } },
    swg: { lut: { one: 40, ctl: 4, out: 1, mem_ffmux: 1, mem_mux: 1 }, ff: { one: 0, ctl: 1, out: 1, mem_store: 1 } },
    pool: { lut: { one: 20, ctl: 4, ops: 1, hist_ffmux: 1, hist_mux: 1, vhist_ffmux: 1, vhist_mux: 1 }, ff: { one: 0, ctl: 1, hist_store: 1, vhist_store: 1 } },
  },
};
