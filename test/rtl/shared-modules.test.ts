/**
 * The tool checks (lint, parameter checks, synthesis: test/helpers/lib-checks.ts) of the library modules
 * that are not a block kind of their own: the output buffer, the MVU control, popcount, ROM, adder tree,
 * threshold levels and the k-bit MVU datapaths. A block kind's own module is checked by its test
 * (test/rtl/<kind>.test.ts).
 */
import { libraryChecks } from '../helpers/lib-checks.js';

libraryChecks('bnn_obuf', {
  lint: [
    {},
    { WIDTH: 1, DEPTH: 1 },
    { WIDTH: 17, DEPTH: 6 },
  ],
  paramErrors: [
    { bad: { WIDTH: 4, DEPTH: 0 }, good: { WIDTH: 4, DEPTH: 1 }, error: 'bnn_param_error_obuf_DEPTH_below_1' },
  ],
});

libraryChecks('bnn_mvu_ctl', {
  lint: [
    {},
    { SF: 1, NF: 1, XW: 1, STAGES: 0, THRESH: 0, OUT_W: 3, OBUF_DEPTH: 1 },
    { SF: 5, NF: 3, XW: 9, TAG: 1, STAGES: 3, OUT_W: 4, OBUF_DEPTH: 2 },
    { SF: 1, NF: 4, XW: 2, TAG: 1, STAGES: 1, OUT_W: 8, OBUF_DEPTH: 3 },
  ],
  paramErrors: [
    { bad: { SF: 2, NF: 2, XW: 1, TAG: 1 }, good: { SF: 2, NF: 2, XW: 2, TAG: 1 }, error: 'bnn_param_error_mvu_ctl_TAG_needs_XW_above_1' },
  ],
});

libraryChecks('bnn_popcount', {
  lint: [
    {},
  ],
});

libraryChecks('bnn_rom', {
  lint: [
    {},
    { WIDTH: 49, DEPTH: 3, FILE: 'w.hex' },
    { WIDTH: 1, DEPTH: 1 },
  ],
  paramErrors: [
    { bad: { WIDTH: 8, DEPTH: 0 }, good: { WIDTH: 8, DEPTH: 1 }, error: 'bnn_param_error_rom_DEPTH_below_1' },
  ],
});

libraryChecks('bnn_addtree', {
  lint: [
    {},
    { N: 1, IW: 3, OW: 3, STAGES: 0 },
    { N: 1, IW: 3, OW: 5, STAGES: 2 },
    { N: 9, IW: 3, OW: 7, STAGES: 2 },
    { N: 49, IW: 9, SIGNED: 1, OW: 15, STAGES: 3 },
    { N: 5, IW: 4, SIGNED: 1, OW: 5, STAGES: 1 },
  ],
  paramErrors: [
    { bad: { N: 5, IW: 4, OW: 3 }, good: { N: 5, IW: 4, OW: 7 }, error: 'bnn_param_error_addtree_OW_below_IW' },
    { bad: { N: 9, IW: 2, OW: 6, STAGES: 2, REGS: "40'h0100000000" }, good: { N: 9, IW: 2, OW: 6, STAGES: 2 }, error: 'bnn_param_error_addtree_REGS_do_not_add_up_to_STAGES' },
  ],
});

libraryChecks('bnn_levels', {
  lint: [
    {},
    { N: 1, OB: 1 },
    { N: 2, OB: 2, OMIN: -1 },
    { N: 7, OB: 3, OMIN: -4 },
    { N: 5, OB: 3, OMIN: 1 },
    { N: 255, OB: 8, OMIN: -128 },
  ],
  paramErrors: [
    { bad: { N: 4, OB: 2 }, good: { N: 3, OB: 2 }, error: 'bnn_param_error_levels_N_above_2_pow_OB_minus_1' },
  ],
});

libraryChecks('bnn_intdot', {
  lint: [
    {},
    { PE: 3, SIMD: 32, IN_W: 2, IN_SIGNED: 1, POP_STAGES: 1, OW: 8, DATAPATH: 1 },
    { PE: 1, SIMD: 7, IN_W: 5, POP_STAGES: 0, OW: 6, DATAPATH: 1 },
  ],
  paramErrors: [
    { bad: { DATAPATH: 2 }, good: { DATAPATH: 1 }, error: 'bnn_param_error_intdot_DATAPATH_not_0_or_1' },
  ],
});

libraryChecks('bnn_bitplane', {
  lint: [
    {},
    { SIMD: 32, PLANES: 3, NEG_MSB: 1, STAGES: 2 },
    { SIMD: 5, PLANES: 1, FA: 0, STAGES: 0 },
    { SIMD: 1, PLANES: 4, STAGES: 1 },
  ],
  paramErrors: [
    { bad: { SIMD: 4, PLANES: 3 }, good: { SIMD: 4, PLANES: 2 }, error: 'bnn_param_error_bitplane_COLS_is_not_clog2_of_the_largest_sum_plus_1', raw: true },
  ],
});
