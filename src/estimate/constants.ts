/**
 * Calibrated constants of the block estimators (the kinds' `features`, src/blocks/kinds/): per fabric, per block kind, one
 * coefficient per LUT feature and per FF feature. Written by `node scripts/calibrate.mjs --write`
 * from the sweep in docs/calibration.md (the same numbers are in docs/calibration-constants.json;
 * test/estimate/constants.test.ts checks that they agree). Do not edit by hand.
 */
import type { FeatureNames, Kind } from '../blocks/registry.js';

/** The constants of one kind: one per LUT feature and per FF feature (names: the kind's estimator). */
export interface KindConstants<K extends Kind = Kind> {
  lut: Partial<Record<FeatureNames<K>['lut'], number>>;
  ff: Partial<Record<FeatureNames<K>['ff'], number>>;
}

/** Constants per fabric and kind; a feature name the kind's estimator does not write does not compile. */
export type Constants = Record<'xilinx' | 'ice40', { [K in Kind]: KindConstants<K> }>;

export const CONSTANTS: Constants = {
  xilinx: {
    fifo: {
      lut: {
        alu: 20.689,
        aw: 2.1282,
        mem_bypass: 1.9413,
        mem_ffmux: 0.5535,
        mem_mux: 0,
        mem_slices: 9.8818,
        one: 6.7582,
        raddr: 0.9332
      },
      ff: {
        ctl: 1.3255,
        mem_bypass: 0.7114,
        mem_store: 0.9999,
        one: 0.0481
      }
    },
    dwc: {
      lut: {
        bit_lut: 0,
        bit_s7: 2.3226,
        bit_s8: 0.6568,
        bit_wide: 0.6425,
        cap: 1.2691,
        cnt: 2.0858,
        dbit: 2.0442,
        dbit_wide: 0.1844,
        insert: 0.2199,
        one: 0
      },
      ff: {
        cap: 1,
        cnt: 1,
        one: 0
      }
    },
    mvtu: {
      lut: {
        acc: 1.265,
        cmp: 0.5213,
        cmp_const: 0.7649,
        cpa: 0,
        ctl: 2.3793,
        ibuf_bypass: 7.062,
        ibuf_ffmux: 0,
        ibuf_mux: 0,
        ibuf_sel: 1.2516,
        lvl_enc: 1.8755,
        one: 0,
        pop: 1.1555,
        pop_const: 0.7292,
        pop_lvl: 2.672,
        score: 0,
        trom_logic: 1.0107,
        trom_small: 0,
        wrom_logic: 0.9532,
        wrom_mux: 1.2788,
        wrom_small: 0
      },
      ff: {
        acc: 0.8366,
        ctl: 0.8093,
        ibuf_bypass: 0.0098,
        ibuf_store: 0.9313,
        obuf_v: 0,
        one: 0,
        pop: 1.0866,
        trom_q: 1.1823,
        trom_small_q: 1.7028,
        wrom_mux: 2.5205,
        wrom_q: 0.9913,
        wrom_small_q: 0.8992,
        x: 1.0141
      }
    },
    mvu_int: {
      lut: {
        acc: 1.777,
        bitplane: 0.922,
        cmp: 0.5512,
        ctl: 0.8204,
        ibuf_bypass: 0.4226,
        ibuf_ffmux: 187.1266,
        ibuf_mux: 0,
        ibuf_sel: 1.8325,
        ibuf_slices: 0,
        lvl_enc: 1.5325,
        neg: 1.6801,
        one: 0,
        tree: 0,
        trom_logic: 0.6298,
        trom_mux: 0,
        trom_small: 0.0859,
        wrom_logic: 0.6523,
        wrom_mux: 0.3965,
        wrom_small: 3.7703,
        xc_rom: 0.0537
      },
      ff: {
        acc: 0.9716,
        bitplane: 1.0029,
        ctl: 0.9142,
        ibuf_bypass: 0.0325,
        ibuf_store: 0.9925,
        obuf_v: 0,
        one: 0,
        tree: 0,
        trom_mux: 0,
        trom_q: 1.0044,
        trom_small_q: 1.0146,
        wrom_mux: 1.2123,
        wrom_q: 0.996,
        wrom_small_q: 1.1139,
        x: 0.9977
      }
    },
    thresh_in: {
      lut: {
        cmp: 0.5877,
        cmp_const: 0.506,
        ctl: 2.4312,
        lvl_enc: 0,
        one: 0,
        trom_logic: 1.5117,
        trom_small: 2.8451
      },
      ff: {
        ctl: 0.7552,
        one: 0,
        trom_q: 1.0107,
        trom_small_q: 1.0845,
        x: 1.0003
      }
    },
    argmax: {
      lut: {
        cand_add: 2.5701,
        key: 1.4072,
        one: 1.7723,
        run: 1.0828,
        tree: 0.0209
      },
      ff: {
        in: 0.863,
        one: 0,
        run: 1.3359
      }
    },
    swg: {
      lut: {
        ctl: 6.8357,
        mem_mux: 0.9142,
        one: 0,
        out: 1.2857
      },
      ff: {
        ctl: 0.3945,
        one: 69.3302,
        out: 0.4355
      }
    },
    pool: {
      lut: {
        ctl: 4.5725,
        one: 0,
        ops: 0.49
      },
      ff: {
        ctl: 1.119,
        one: 10.6016
      }
    }
  },
  ice40: {
    fifo: {
      lut: {
        alu: 0,
        aw: 5.5264,
        mem_bypass: 0.9769,
        mem_ffmux: 0.994,
        mem_mux: 0,
        one: 5.0477,
        raddr: 3.2039
      },
      ff: {
        ctl: 0.9048,
        mem_bypass: 0.9515,
        mem_store: 1.0038,
        one: 2.5149
      }
    },
    dwc: {
      lut: {
        bit_lut: 0.1014,
        bit_s7: 0.4671,
        bit_s8: 0,
        bit_wide: 0.7571,
        cap: 1.0765,
        cnt: 3.2326,
        dbit: 1.3152,
        dbit_wide: 0.5354,
        insert: 0.4121,
        one: 0
      },
      ff: {
        cap: 1,
        cnt: 1,
        one: 0
      }
    },
    mvtu: {
      lut: {
        acc: 1.6923,
        cmp: 0.6226,
        cmp_const: 0,
        cpa: 0.9417,
        ctl: 0.9023,
        ibuf_bypass: 0,
        ibuf_ffmux: 1.0608,
        ibuf_mux: 0,
        ibuf_sel: 1.7441,
        lvl_enc: 0,
        one: 1.4888,
        pop: 1.5673,
        pop_const: 1.3272,
        pop_lvl: 0,
        score: 0,
        trom_logic: 1.5293,
        trom_mux: 0,
        trom_small: 0.9912,
        wrom_logic: 1.174,
        wrom_mux: 0.8683,
        wrom_small: 2.6497
      },
      ff: {
        acc: 0.791,
        ctl: 0.8406,
        ibuf_bypass: 0.1438,
        ibuf_store: 0.9776,
        obuf_v: 0,
        one: 0,
        pop: 1.1281,
        trom_mux: 0,
        trom_q: 1.1518,
        trom_small_q: 1.6909,
        wrom_mux: 2.9654,
        wrom_q: 1.0273,
        wrom_small_q: 1.2796,
        x: 0.8524
      }
    },
    mvu_int: {
      lut: {
        acc: 1.6042,
        bitplane: 0.7528,
        cmp: 0.6812,
        ctl: 1.1882,
        ibuf_bypass: 0,
        ibuf_ffmux: 0.6556,
        ibuf_mux: 0,
        ibuf_sel: 1.8052,
        lvl_enc: 1.9266,
        neg: 0.7305,
        one: 0,
        tree: 1.3233,
        trom_logic: 1.1795,
        trom_mux: 0,
        trom_small: 0,
        wrom_logic: 1.357,
        wrom_mux: 1.2292,
        wrom_small: 10.4178,
        xc_rom: 0.0776
      },
      ff: {
        acc: 0.9677,
        bitplane: 1.002,
        ctl: 0.8874,
        ibuf_bypass: 0,
        ibuf_store: 0.989,
        obuf_v: 0,
        one: 0,
        tree: 0,
        trom_mux: 0,
        trom_q: 1.0051,
        trom_small_q: 1.0282,
        wrom_mux: 1.4265,
        wrom_q: 1,
        wrom_small_q: 1.1339,
        x: 1.0058
      }
    },
    thresh_in: {
      lut: {
        cmp: 0.5615,
        cmp_const: 0.2971,
        ctl: 0,
        lvl_enc: 0.1298,
        one: 4.9759,
        trom_logic: 1.7081,
        trom_small: 1.0097
      },
      ff: {
        ctl: 0.7748,
        one: 0,
        trom_q: 1.012,
        trom_small_q: 1.1254,
        x: 0.9944
      }
    },
    argmax: {
      lut: {
        cand_add: 1.1083,
        key: 2.0427,
        one: 6.4779,
        run: 0,
        tree: 0
      },
      ff: {
        in: 1.0192,
        one: 5.3624,
        run: 0.839
      }
    },
    swg: {
      lut: {
        ctl: 4.305,
        mem_ffmux: 0.7295,
        mem_mux: 0,
        one: 93.4217,
        out: 0.7916
      },
      ff: {
        ctl: 1.5247,
        mem_store: 0.8743,
        one: 41.725,
        out: 2.0482
      }
    },
    pool: {
      lut: {
        ctl: 3.0536,
        hist_ffmux: 0,
        one: 0,
        ops: 0.8641,
        vhist_bypass: 2.5518,
        vhist_ffmux: 1.5939,
        vhist_mux: 0
      },
      ff: {
        ctl: 1.2772,
        hist_store: 1.27,
        one: 0,
        vhist_bypass: 0,
        vhist_store: 0.7923
      }
    }
  }
};
