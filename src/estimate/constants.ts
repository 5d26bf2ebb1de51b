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
        alu: 21.3401,
        aw: 2.0029,
        mem_ffmux: 0.5526,
        mem_slices: 9.905,
        one: 7.0168
      },
      ff: {
        ctl: 1.3309,
        mem_store: 1,
        one: 0.0148
      }
    },
    dwc: {
      lut: {
        bit_lut: 0,
        bit_s7: 2.4411,
        bit_s8: 0.6924,
        bit_wide: 0.7103,
        cap: 1.3981,
        cnt: 2.1386,
        dbit: 1.8976,
        dbit_wide: 0.0391,
        insert: 0,
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
        acc: 1.2567,
        cmp: 0.5274,
        cmp_const: 0.6352,
        cpa: 0,
        ctl: 2.3745,
        ibuf_bypass: 6.9947,
        ibuf_ffmux: 0,
        ibuf_mux: 0,
        ibuf_sel: 1.2638,
        one: 0,
        pop: 1.1412,
        pop_const: 0.7249,
        pop_lvl: 2.8711,
        score: 0.0213,
        trom_logic: 0.9734,
        trom_small: 0,
        wrom_logic: 0.9476,
        wrom_mux: 1.2893,
        wrom_small: 0
      },
      ff: {
        acc: 0.8221,
        ctl: 0.7929,
        ibuf_bypass: 0,
        ibuf_store: 0.947,
        obuf_v: 0,
        one: 0,
        pop: 1.0735,
        trom_q: 1.4261,
        trom_small_q: 1.8251,
        wrom_mux: 1.9148,
        wrom_q: 0.9826,
        wrom_small_q: 1.0323,
        x: 1.0134
      }
    },
    mvu_int: {
      lut: {
        acc: 1.1671,
        cmp: 0.8788,
        ctl: 1.0972,
        ibuf_ffmux: 0,
        ibuf_sel: 3.1226,
        neg: 1.4587,
        one: 0,
        tree: 0,
        trom_logic: 1.1274,
        trom_small: 0,
        wrom_logic: 0.5244
      },
      ff: {
        acc: 1.1953,
        ctl: 0.7098,
        ibuf_store: 0.5478,
        obuf_v: 0,
        one: 0,
        tree: 0,
        trom_q: 0.6274,
        trom_small_q: 0,
        wrom_q: 1.3189,
        x: 1.0635
      }
    },
    thresh_in: {
      lut: {
        cmp: 0.6736,
        cmp_const: 0.5056,
        ctl: 2.4492,
        one: 0,
        trom_logic: 1.4409,
        trom_small: 0.94
      },
      ff: {
        ctl: 0.7516,
        one: 0,
        trom_q: 1.0092,
        trom_small_q: 1.0901,
        x: 0.9999
      }
    },
    argmax: {
      lut: {
        cand_add: 3.2292,
        one: 8.1653,
        run: 1.5058,
        tree: 1.0132
      },
      ff: {
        in: 0.8397,
        one: 0,
        run: 1.3169
      }
    },
    swg: {
      lut: {
        ctl: 6.7054,
        mem_mux: 1.0736,
        one: 0,
        out: 1.1982
      },
      ff: {
        ctl: 1.134,
        one: 45.524,
        out: 0.5946
      }
    },
    pool: {
      lut: {
        ctl: 4.6221,
        one: 0,
        ops: 0.456
      },
      ff: {
        ctl: 1.6768,
        one: 0
      }
    }
  },
  ice40: {
    fifo: {
      lut: {
        alu: 0,
        aw: 8.3865,
        mem_bypass: 1.1763,
        mem_ffmux: 0.9734,
        mem_mux: 0,
        one: 0
      },
      ff: {
        ctl: 0.9019,
        mem_bypass: 0.9492,
        mem_store: 1.0042,
        one: 2.5729
      }
    },
    dwc: {
      lut: {
        bit_lut: 0.1207,
        bit_s7: 0.4792,
        bit_s8: 0,
        bit_wide: 0.7839,
        cap: 1.498,
        cnt: 3.1723,
        dbit: 0.9217,
        dbit_wide: 0.1281,
        insert: 0,
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
        acc: 1.6388,
        cmp: 1.2061,
        cmp_const: 0,
        cpa: 0.5963,
        ctl: 0.7239,
        ibuf_bypass: 0,
        ibuf_ffmux: 1.0607,
        ibuf_mux: 0,
        ibuf_sel: 1.7771,
        one: 7.2151,
        pop: 1.5193,
        pop_const: 1.3469,
        pop_lvl: 0,
        score: 0.2498,
        trom_logic: 1.397,
        trom_mux: 0,
        trom_small: 0,
        wrom_logic: 1.1634,
        wrom_mux: 0.8563,
        wrom_small: 4.9401
      },
      ff: {
        acc: 0.7701,
        ctl: 0.8303,
        ibuf_bypass: 0.1023,
        ibuf_store: 0.9706,
        obuf_v: 0,
        one: 0,
        pop: 1.1057,
        trom_mux: 0,
        trom_q: 1.3519,
        trom_small_q: 1.8202,
        wrom_mux: 3.2173,
        wrom_q: 1.0287,
        wrom_small_q: 1.4202,
        x: 0.8783
      }
    },
    mvu_int: {
      lut: {
        acc: 1.4204,
        cmp: 1.2028,
        ctl: 0,
        ibuf_bypass: 1.161,
        ibuf_ffmux: 0,
        ibuf_mux: 0,
        ibuf_sel: 1.0271,
        neg: 1.4197,
        one: 0,
        tree: 0.6939,
        trom_logic: 1.0745,
        trom_small: 0,
        wrom_logic: 1.1272,
        wrom_mux: 0
      },
      ff: {
        acc: 1.4248,
        ctl: 0,
        ibuf_bypass: 0,
        ibuf_store: 0.6547,
        obuf_v: 0,
        one: 0,
        tree: 0,
        trom_q: 0.6121,
        trom_small_q: 0,
        wrom_mux: 0,
        wrom_q: 0.7803,
        x: 1.3855
      }
    },
    thresh_in: {
      lut: {
        cmp: 0.5889,
        cmp_const: 0.3012,
        ctl: 0,
        one: 4.3738,
        trom_logic: 1.6868,
        trom_small: 0.3485
      },
      ff: {
        ctl: 0.7664,
        one: 0,
        trom_q: 1.0149,
        trom_small_q: 1.1593,
        x: 0.9925
      }
    },
    argmax: {
      lut: {
        cand_add: 0.8939,
        one: 12.1742,
        run: 0.9621,
        tree: 1.4686
      },
      ff: {
        in: 1.0183,
        one: 3.0792,
        run: 0.9564
      }
    },
    swg: {
      lut: {
        ctl: 3.455,
        mem_ffmux: 0.7437,
        mem_mux: 0,
        one: 119.1399,
        out: 0.7503
      },
      ff: {
        ctl: 1.4578,
        mem_store: 0.8748,
        one: 43.8577,
        out: 2.0489
      }
    },
    pool: {
      lut: {
        ctl: 3.2759,
        hist_ffmux: 0,
        one: 0,
        ops: 1.6607,
        vhist_bypass: 0.8303,
        vhist_mux: 0
      },
      ff: {
        ctl: 1.289,
        hist_store: 1.2801,
        one: 0,
        vhist_bypass: 0
      }
    }
  }
};
