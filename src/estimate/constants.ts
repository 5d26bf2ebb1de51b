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
        alu: 21.3225,
        aw: 1.8488,
        mem_ffmux: 0.5533,
        mem_slices: 10.1421,
        one: 7.319
      },
      ff: {
        ctl: 1.3315,
        mem_store: 1,
        one: 0.0114
      }
    },
    dwc: {
      lut: {
        bit_lut: 0,
        bit_s7: 2.3623,
        bit_s8: 0.6277,
        bit_wide: 0.6515,
        cap: 1.2448,
        cnt: 2.0653,
        dbit: 2.0733,
        dbit_wide: 0.2165,
        insert: 0.227,
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
        acc: 1.2552,
        cmp: 0.5443,
        cmp_const: 0.7849,
        cpa: 0,
        ctl: 2.3685,
        ibuf_bypass: 6.9916,
        ibuf_ffmux: 0,
        ibuf_mux: 0,
        ibuf_sel: 1.2512,
        lvl_enc: 1.7141,
        one: 0,
        pop: 1.1559,
        pop_const: 0.7307,
        pop_lvl: 2.6299,
        score: 0.0112,
        trom_logic: 0.9789,
        trom_small: 0,
        wrom_logic: 0.9517,
        wrom_mux: 1.2905,
        wrom_small: 0
      },
      ff: {
        acc: 0.8367,
        ctl: 0.8093,
        ibuf_bypass: 0.0062,
        ibuf_store: 0.9313,
        obuf_v: 0,
        one: 0,
        pop: 1.0863,
        trom_q: 1.1888,
        trom_small_q: 1.7016,
        wrom_mux: 2.5154,
        wrom_q: 0.9927,
        wrom_small_q: 0.9058,
        x: 1.0125
      }
    },
    mvu_int: {
      lut: {
        acc: 2.5097,
        bitplane: 0.948,
        cmp: 0.5419,
        ctl: 1.1875,
        ibuf_ffmux: 219.2018,
        ibuf_sel: 2.067,
        lvl_enc: 0.3679,
        neg: 0.1343,
        one: 0,
        tree: 1.2403,
        trom_logic: 1.556,
        trom_small: 2.2166,
        wrom_logic: 0.4862,
        wrom_small: 0
      },
      ff: {
        acc: 1.0016,
        bitplane: 0.9774,
        ctl: 0.6802,
        ibuf_store: 0.9677,
        obuf_v: 0,
        one: 0,
        tree: 0,
        trom_q: 1.0162,
        trom_small_q: 1.1483,
        wrom_q: 0.9824,
        wrom_small_q: 1.0667,
        x: 1.0562
      }
    },
    thresh_in: {
      lut: {
        cmp: 0.5878,
        cmp_const: 0.506,
        ctl: 2.4321,
        lvl_enc: 0,
        one: 0,
        trom_logic: 1.5093,
        trom_small: 2.8337
      },
      ff: {
        ctl: 0.7552,
        one: 0,
        trom_q: 1.0107,
        trom_small_q: 1.0844,
        x: 1.0003
      }
    },
    argmax: {
      lut: {
        cand_add: 2.8253,
        one: 0.3698,
        run: 1.9991,
        tree: 1.0642
      },
      ff: {
        in: 0.861,
        one: 0,
        run: 1.3318
      }
    },
    swg: {
      lut: {
        ctl: 6.8174,
        mem_mux: 0.947,
        one: 0,
        out: 1.2465
      },
      ff: {
        ctl: 0.6162,
        one: 62.1375,
        out: 0.5047
      }
    },
    pool: {
      lut: {
        ctl: 4.5596,
        one: 0,
        ops: 0.4891
      },
      ff: {
        ctl: 1.1189,
        one: 10.6158
      }
    }
  },
  ice40: {
    fifo: {
      lut: {
        alu: 0,
        aw: 8.4633,
        mem_bypass: 1.1734,
        mem_ffmux: 0.9715,
        mem_mux: 0,
        one: 0
      },
      ff: {
        ctl: 0.8952,
        mem_bypass: 0.9506,
        mem_store: 1.0036,
        one: 2.6026
      }
    },
    dwc: {
      lut: {
        bit_lut: 0.1008,
        bit_s7: 0.4665,
        bit_s8: 0,
        bit_wide: 0.7793,
        cap: 1.099,
        cnt: 3.2259,
        dbit: 1.2942,
        dbit_wide: 0.5156,
        insert: 0.3931,
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
        acc: 1.7174,
        cmp: 0.6148,
        cmp_const: 0,
        cpa: 0.8698,
        ctl: 0.9432,
        ibuf_bypass: 0,
        ibuf_ffmux: 1.0637,
        ibuf_mux: 0,
        ibuf_sel: 1.7022,
        lvl_enc: 0,
        one: 3.001,
        pop: 1.5664,
        pop_const: 1.3269,
        pop_lvl: 0,
        score: 0,
        trom_logic: 1.5277,
        trom_mux: 0,
        trom_small: 1.1651,
        wrom_logic: 1.1739,
        wrom_mux: 0.8717,
        wrom_small: 2.8402
      },
      ff: {
        acc: 0.7874,
        ctl: 0.8405,
        ibuf_bypass: 0.1523,
        ibuf_store: 0.9755,
        obuf_v: 0,
        one: 0,
        pop: 1.1362,
        trom_mux: 0,
        trom_q: 1.1484,
        trom_small_q: 1.6999,
        wrom_mux: 2.9416,
        wrom_q: 1.0324,
        wrom_small_q: 1.2961,
        x: 0.8449
      }
    },
    mvu_int: {
      lut: {
        acc: 0.5245,
        bitplane: 0.7472,
        cmp: 0.6476,
        ctl: 0.6173,
        ibuf_bypass: 0,
        ibuf_ffmux: 0.7645,
        ibuf_mux: 0,
        ibuf_sel: 2.2696,
        lvl_enc: 0.7236,
        neg: 1.8444,
        one: 5.3235,
        tree: 0.1998,
        trom_logic: 2.0643,
        trom_small: 0.6135,
        wrom_logic: 1.2542,
        wrom_mux: 0,
        wrom_small: 9.5595
      },
      ff: {
        acc: 0.9957,
        bitplane: 0.9588,
        ctl: 0.6299,
        ibuf_bypass: 0.0037,
        ibuf_store: 0.9777,
        obuf_v: 0,
        one: 0,
        tree: 0,
        trom_q: 1.0121,
        trom_small_q: 1.1168,
        wrom_mux: 0,
        wrom_q: 0.9866,
        wrom_small_q: 1.1954,
        x: 1.1009
      }
    },
    thresh_in: {
      lut: {
        cmp: 0.5659,
        cmp_const: 0.3016,
        ctl: 0,
        lvl_enc: 0.0311,
        one: 4.208,
        trom_logic: 1.7079,
        trom_small: 0.9648
      },
      ff: {
        ctl: 0.7674,
        one: 0,
        trom_q: 1.0122,
        trom_small_q: 1.1273,
        x: 0.9945
      }
    },
    argmax: {
      lut: {
        cand_add: 1.4449,
        one: 5.3196,
        run: 1.3999,
        tree: 1.5478
      },
      ff: {
        in: 1.0155,
        one: 5.5474,
        run: 0.8319
      }
    },
    swg: {
      lut: {
        ctl: 3.8907,
        mem_ffmux: 0.7335,
        mem_mux: 0,
        one: 106.0051,
        out: 0.6672
      },
      ff: {
        ctl: 1.497,
        mem_store: 0.8723,
        one: 42.762,
        out: 2.025
      }
    },
    pool: {
      lut: {
        ctl: 3.1891,
        hist_ffmux: 0,
        one: 0,
        ops: 0.909,
        vhist_bypass: 2.4448,
        vhist_ffmux: 1.5481,
        vhist_mux: 0
      },
      ff: {
        ctl: 1.2748,
        hist_store: 1.27,
        one: 0,
        vhist_bypass: 0,
        vhist_store: 0.7921
      }
    }
  }
};
