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
        alu: 21.1485,
        aw: 2.0745,
        mem_ffmux: 0.5526,
        mem_slices: 8.5955,
        one: 6.8735
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
        bit_s7: 2.4308,
        bit_s8: 0.7094,
        bit_wide: 0.7077,
        cap: 1.4147,
        cnt: 2.0697,
        dbit: 1.8998,
        dbit_wide: 0.0467,
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
        acc: 1.2712,
        cmp: 0.5334,
        cmp_const: 0.7663,
        cpa: 0,
        ctl: 2.2914,
        ibuf_bypass: 6.5404,
        ibuf_ffmux: 0,
        ibuf_mux: 0,
        ibuf_sel: 1.3253,
        one: 0,
        pop: 1.1714,
        pop_const: 0.755,
        pop_lvl: 2.5692,
        score: 0.0601,
        trom_logic: 1.0408,
        trom_small: 0,
        wrom_logic: 0.9238,
        wrom_mux: 1.2301,
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
        acc: 1.1457,
        cmp: 0.8654,
        ctl: 1.0921,
        ibuf_ffmux: 0,
        ibuf_sel: 3.1082,
        neg: 1.4787,
        one: 0,
        tree: 0,
        trom_logic: 1.0906,
        trom_small: 0,
        wrom_logic: 0.5357
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
        cand_add: 3.1225,
        one: 13.9864,
        run: 1.1639,
        tree: 1.0063
      },
      ff: {
        in: 0.8397,
        one: 0,
        run: 1.3169
      }
    },
    swg: {
      lut: {
        ctl: 6.6196,
        mem_mux: 1.0931,
        one: 0,
        out: 1.2843
      },
      ff: {
        ctl: 1.134,
        one: 45.524,
        out: 0.5946
      }
    },
    pool: {
      lut: {
        ctl: 4.5498,
        one: 0,
        ops: 0.4684
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
        alu: 0.0577,
        aw: 8.4664,
        mem_bypass: 1.1978,
        mem_ffmux: 0.9698,
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
        acc: 1.4891,
        cmp: 0.9657,
        cmp_const: 0,
        cpa: 0.8714,
        ctl: 1.1259,
        ibuf_bypass: 0,
        ibuf_ffmux: 1.0562,
        ibuf_mux: 0,
        ibuf_sel: 1.734,
        one: 1.2306,
        pop: 1.542,
        pop_const: 1.3017,
        pop_lvl: 0,
        score: 0.4052,
        trom_logic: 1.4019,
        trom_mux: 0,
        trom_small: 0,
        wrom_logic: 1.1774,
        wrom_mux: 0.8688,
        wrom_small: 3.3126
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
        acc: 0.8174,
        cmp: 0.6298,
        ctl: 0,
        ibuf_bypass: 1.2091,
        ibuf_ffmux: 0,
        ibuf_mux: 0,
        ibuf_sel: 1.0936,
        neg: 1.1647,
        one: 0,
        tree: 0.8972,
        trom_logic: 1.8875,
        trom_small: 0,
        wrom_logic: 1.6229,
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
        cmp: 0.5924,
        cmp_const: 0.3019,
        ctl: 0,
        one: 4.2322,
        trom_logic: 1.6865,
        trom_small: 0.3906
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
        cand_add: 1.6097,
        one: 13.5329,
        run: 0.8605,
        tree: 1.4668
      },
      ff: {
        in: 1.0183,
        one: 3.0792,
        run: 0.9564
      }
    },
    swg: {
      lut: {
        ctl: 3.1703,
        mem_ffmux: 0.7488,
        mem_mux: 0,
        one: 127.7625,
        out: 0.743
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
        ctl: 3.3704,
        hist_ffmux: 0,
        one: 0,
        ops: 1.6333,
        vhist_bypass: 0.8166,
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
