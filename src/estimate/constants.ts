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
        acc: 1.2586,
        cmp: 0.5387,
        cmp_const: 0.7811,
        cpa: 0,
        ctl: 2.3676,
        ibuf_bypass: 7.0033,
        ibuf_ffmux: 0,
        ibuf_mux: 0,
        ibuf_sel: 1.2521,
        lvl_enc: 1.7427,
        one: 0,
        pop: 1.1555,
        pop_const: 0.7303,
        pop_lvl: 2.638,
        score: 0.0038,
        trom_logic: 0.9842,
        trom_small: 0,
        wrom_logic: 0.9517,
        wrom_mux: 1.2887,
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
        acc: 1.9813,
        bitplane: 0.9537,
        cmp: 0.5352,
        ctl: 1.5029,
        ibuf_ffmux: 180.5938,
        ibuf_sel: 1.5571,
        lvl_enc: 0.2483,
        neg: 0.7066,
        one: 0,
        tree: 0.8179,
        trom_logic: 1.6189,
        trom_small: 3.3981,
        wrom_logic: 0.5124,
        wrom_small: 3.0231
      },
      ff: {
        acc: 0.9827,
        bitplane: 0.9925,
        ctl: 0.8365,
        ibuf_store: 0.9825,
        obuf_v: 0.561,
        one: 0,
        tree: 0,
        trom_q: 1.0031,
        trom_small_q: 1.013,
        wrom_q: 0.998,
        wrom_small_q: 1.1359,
        x: 1.0109
      }
    },
    thresh_in: {
      lut: {
        cmp: 0.588,
        cmp_const: 0.506,
        ctl: 2.4307,
        lvl_enc: 0,
        one: 0,
        trom_logic: 1.5111,
        trom_small: 2.8307
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
        cand_add: 2.8348,
        one: 0.3048,
        run: 2.0029,
        tree: 1.0644
      },
      ff: {
        in: 0.861,
        one: 0,
        run: 1.3318
      }
    },
    swg: {
      lut: {
        ctl: 6.8183,
        mem_mux: 0.9537,
        one: 0,
        out: 1.2318
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
        aw: 8.4621,
        mem_bypass: 1.1767,
        mem_ffmux: 0.9716,
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
        acc: 1.7175,
        cmp: 0.6118,
        cmp_const: 0,
        cpa: 0.8724,
        ctl: 0.9381,
        ibuf_bypass: 0,
        ibuf_ffmux: 1.0653,
        ibuf_mux: 0,
        ibuf_sel: 1.7053,
        lvl_enc: 0,
        one: 3.037,
        pop: 1.566,
        pop_const: 1.3264,
        pop_lvl: 0,
        score: 0,
        trom_logic: 1.533,
        trom_mux: 0,
        trom_small: 1.1721,
        wrom_logic: 1.1736,
        wrom_mux: 0.8719,
        wrom_small: 2.8386
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
        acc: 1.6128,
        bitplane: 0.7425,
        cmp: 0.5547,
        ctl: 0.4793,
        ibuf_bypass: 0,
        ibuf_ffmux: 0.6721,
        ibuf_mux: 0,
        ibuf_sel: 2.3266,
        lvl_enc: 2.9862,
        neg: 0.3837,
        one: 7.2953,
        tree: 1.5475,
        trom_logic: 1.7183,
        trom_small: 1.4089,
        wrom_logic: 1.25,
        wrom_mux: 0,
        wrom_small: 8.9134
      },
      ff: {
        acc: 0.9823,
        bitplane: 0.9821,
        ctl: 0.8262,
        ibuf_bypass: 0,
        ibuf_store: 0.9858,
        obuf_v: 0,
        one: 0,
        tree: 0,
        trom_q: 1.0018,
        trom_small_q: 1.0049,
        wrom_mux: 0,
        wrom_q: 0.9988,
        wrom_small_q: 1.1942,
        x: 1.0334
      }
    },
    thresh_in: {
      lut: {
        cmp: 0.5677,
        cmp_const: 0.3016,
        ctl: 0,
        lvl_enc: 0.1046,
        one: 4.2149,
        trom_logic: 1.7052,
        trom_small: 0.9337
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
        cand_add: 1.5829,
        one: 5.0169,
        run: 1.4176,
        tree: 1.5142
      },
      ff: {
        in: 1.0155,
        one: 5.5474,
        run: 0.8319
      }
    },
    swg: {
      lut: {
        ctl: 3.9245,
        mem_ffmux: 0.7311,
        mem_mux: 0,
        one: 105.1983,
        out: 0.6585
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
        ctl: 3.1609,
        hist_ffmux: 0,
        one: 0,
        ops: 0.8694,
        vhist_bypass: 2.5613,
        vhist_ffmux: 1.6015,
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
