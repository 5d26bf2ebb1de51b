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
    fifo: {
      lut: {
        alu: 22.835,
        aw: 0.6562,
        mem_ffmux: 0.5514,
        mem_mux: 0,
        one: 9.7107
      },
      ff: {
        ctl: 1.3333,
        mem_store: 1,
        one: 0
      }
    },
    dwc: {
      lut: {
        bit_lut: 0,
        bit_s7: 2.29,
        bit_s8: 0.6162,
        bit_wide: 0.4557,
        cap: 1.0856,
        cnt: 1.9157,
        insert: 0.4587,
        one: 0.1361
      },
      ff: {
        cap: 1,
        cnt: 1,
        one: 0
      }
    },
    mvtu: {
      lut: {
        acc: 0.9252,
        cmp: 0.7586,
        cmp_const: 0.9024,
        cpa: 1.0957,
        ctl: 1.7829,
        ibuf_ffmux: 0,
        ibuf_mux: 0,
        ibuf_sel: 1.1673,
        one: 2.9873,
        pop: 1.1974,
        pop_const: 0.8971,
        score: 0,
        trom_logic: 0.713,
        trom_small: 0,
        wrom_logic: 1.0918,
        wrom_mux: 0,
        wrom_small: 0
      },
      ff: {
        acc: 0.8367,
        ctl: 0.7351,
        ibuf_store: 0.8857,
        obuf_v: 0,
        one: 0,
        pop: 1.0556,
        trom_q: 1.3423,
        trom_small_q: 1.5762,
        wrom_mux: 0,
        wrom_q: 0.9944,
        wrom_small_q: 0.9636,
        x: 1.0866
      }
    },
    mvu_int: {
      lut: {
        acc: 1.2805,
        cmp: 0.9481,
        ctl: 1.0913,
        ibuf_ffmux: 0,
        ibuf_mux: 0,
        ibuf_sel: 3.025,
        neg: 1.0496,
        one: 0,
        tree: 0.3911,
        trom_logic: 0.9932,
        trom_small: 0,
        wrom_logic: 0.4335
      },
      ff: {
        acc: 1.1954,
        ctl: 0.7098,
        ibuf_store: 0.5477,
        obuf_v: 0,
        one: 0,
        tree: 0,
        trom_q: 0.6274,
        trom_small_q: 0,
        wrom_q: 1.3187,
        x: 1.0637
      }
    },
    thresh_in: {
      lut: {
        cmp: 0.5463,
        ctl: 2.2353,
        one: 0,
        trom_logic: 1.5373,
        trom_small: 3.0562
      },
      ff: {
        ctl: 0.7499,
        one: 0,
        trom_q: 1.0058,
        trom_small_q: 1.087,
        x: 1.0002
      }
    },
    argmax: {
      lut: {
        cand_add: 2.8513,
        one: 5.0305,
        run: 1.755,
        tree: 1.0134
      },
      ff: {
        in: 0.8216,
        one: 0,
        run: 1.3498
      }
    },
    swg: {
      lut: {
        ctl: 5.5659,
        mem_mux: 1.1341,
        one: 39.1768,
        out: 1.1065
      },
      ff: {
        ctl: 0.2979,
        one: 76.4488,
        out: 0.5783
      }
    },
    pool: {
      lut: {
        ctl: 4.4811,
        hist_mux: 0,
        one: 0,
        ops: 0.4656,
        vhist_mux: 0
      },
      ff: {
        ctl: 1.6771,
        one: 0
      }
    }
  },
  ice40: {
    fifo: {
      lut: {
        alu: 1.2233,
        aw: 8.268,
        mem_bypass: 1.1692,
        mem_ffmux: 0.9839,
        mem_mux: 0,
        one: 0
      },
      ff: {
        ctl: 0.9779,
        mem_bypass: 0.928,
        mem_store: 1.003,
        one: 2.1179
      }
    },
    dwc: {
      lut: {
        bit_lut: 0.0353,
        bit_s7: 0.4202,
        bit_s8: 0,
        bit_wide: 0.6337,
        cap: 0.9646,
        cnt: 2.2958,
        insert: 0.5903,
        one: 2.5501
      },
      ff: {
        cap: 1,
        cnt: 1,
        one: 0
      }
    },
    mvtu: {
      lut: {
        acc: 1.0592,
        cmp: 0.4285,
        cmp_const: 0,
        cpa: 0,
        ctl: 1.2462,
        ibuf_bypass: 0.142,
        ibuf_ffmux: 1.0219,
        ibuf_mux: 0,
        ibuf_sel: 1.6466,
        one: 4.0998,
        pop: 1.5255,
        pop_const: 1.3501,
        score: 0.6579,
        trom_logic: 3.5587,
        trom_mux: 0,
        trom_small: 4.2428,
        wrom_logic: 1.2087,
        wrom_mux: 0,
        wrom_small: 6.1647
      },
      ff: {
        acc: 0.7797,
        ctl: 0.7545,
        ibuf_bypass: 0.242,
        ibuf_store: 1.0201,
        obuf_v: 0,
        one: 0,
        pop: 1.1222,
        trom_mux: 0,
        trom_q: 1.2851,
        trom_small_q: 1.8216,
        wrom_mux: 0,
        wrom_q: 1.0171,
        wrom_small_q: 1.3639,
        x: 0.8643
      }
    },
    mvu_int: {
      lut: {
        acc: 0.819,
        cmp: 0.631,
        ctl: 0,
        ibuf_bypass: 1.2112,
        ibuf_ffmux: 0,
        ibuf_mux: 0,
        ibuf_sel: 1.0955,
        neg: 1.1648,
        one: 0,
        tree: 0.8963,
        trom_logic: 1.8872,
        trom_small: 0,
        wrom_logic: 1.6228,
        wrom_mux: 0
      },
      ff: {
        acc: 1.4269,
        ctl: 0,
        ibuf_bypass: 0,
        ibuf_store: 0.6455,
        obuf_v: 0,
        one: 0,
        tree: 0,
        trom_q: 0.6109,
        trom_small_q: 0,
        wrom_mux: 0,
        wrom_q: 0.7825,
        x: 1.3895
      }
    },
    thresh_in: {
      lut: {
        cmp: 0.3374,
        ctl: 1.3547,
        one: 0,
        trom_logic: 2.3006,
        trom_small: 4.5017
      },
      ff: {
        ctl: 0.7649,
        one: 0,
        trom_q: 1.0122,
        trom_small_q: 1.1561,
        x: 0.9933
      }
    },
    argmax: {
      lut: {
        cand_add: 1.791,
        one: 0,
        run: 1.7714,
        tree: 1.524
      },
      ff: {
        in: 1.0083,
        one: 4.2929,
        run: 0.9036
      }
    },
    swg: {
      lut: {
        ctl: 6.3328,
        mem_ffmux: 0.8428,
        mem_mux: 0,
        one: 11.4764,
        out: 1.0465
      },
      ff: {
        ctl: 1.924,
        mem_store: 0.8773,
        one: 28.3356,
        out: 2.0326
      }
    },
    pool: {
      lut: {
        ctl: 3.3764,
        hist_ffmux: 0,
        one: 0,
        ops: 1.6311,
        vhist_bypass: 0.8155,
        vhist_mux: 0
      },
      ff: {
        ctl: 1.2967,
        hist_store: 1.2805,
        one: 0,
        vhist_bypass: 0
      }
    }
  }
};
