/**
 * `verilator --lint-only -Wall` on every library module, with several parameter sets each:
 * the run must succeed and print no warning at all.
 */
import { describe, expect, it } from 'vitest';
import { runTool } from '../../src/flows/tools.js';
import { libFile, withDeps, withStructure } from '../helpers/rtlsim.js';
import { requireTools } from '../helpers/tools.js';

type Params = Record<string, number | string>;

const SETS: Record<string, Params[]> = {
  bnn_fifo: [{}, { WIDTH: 8, DEPTH: 1 }, { WIDTH: 1, DEPTH: 2 }, { WIDTH: 33, DEPTH: 5 }, { WIDTH: 4, DEPTH: 16 }],
  bnn_obuf: [{}, { WIDTH: 1, DEPTH: 1 }, { WIDTH: 17, DEPTH: 6 }],
  bnn_dup: [{}, { WIDTH: 1, N: 3 }, { WIDTH: 33, N: 5 }],
  bnn_add: [
    {},
    { PE: 2, A_W: 2, B_W: 3, B_SIGNED: 1, SHIFT: 3, OUT_W: 6 },
    { PE: 4, A_W: 8, A_SIGNED: 1, B_W: 1, SHIFT: 1, OUT_W: 9, OBUF_DEPTH: 1 },
    { PE: 1, A_W: 32, A_SIGNED: 1, B_W: 32, B_SIGNED: 1, SHIFT: 16, OUT_W: 49 },
    // sign operands (+-1)
    { PE: 4, A_W: 3, A_SIGNED: 1, B_W: 1, B_BIPOLAR: 1, OUT_W: 4 },
    { PE: 2, A_W: 1, A_BIPOLAR: 1, B_W: 1, B_BIPOLAR: 1, SHIFT: 3, OUT_W: 5 },
  ],
  bnn_gap: [
    {},
    { PE: 2, C: 6, HW: 9, IN_W: 3, IN_SIGNED: 1, OUT_W: 7 },
    { PE: 4, C: 4, HW: 1, IN_W: 2, OUT_W: 2, OBUF_DEPTH: 1 },
    { PE: 1, C: 3, HW: 1, IN_W: 1, OUT_W: 1 },
    { PE: 1, C: 1, HW: 16777216, IN_W: 16, IN_SIGNED: 1, OUT_W: 40 },
  ],
  bnn_mvu_ctl: [
    {},
    { SF: 1, NF: 1, XW: 1, STAGES: 0, THRESH: 0, OUT_W: 3, OBUF_DEPTH: 1 },
    { SF: 5, NF: 3, XW: 9, TAG: 1, STAGES: 3, OUT_W: 4, OBUF_DEPTH: 2 },
    { SF: 1, NF: 4, XW: 2, TAG: 1, STAGES: 1, OUT_W: 8, OBUF_DEPTH: 3 },
  ],
  bnn_popcount: [{}],
  bnn_rom: [{}, { WIDTH: 49, DEPTH: 3, FILE: 'w.hex' }, { WIDTH: 1, DEPTH: 1 }],
  bnn_addtree: [
    {},
    { N: 1, IW: 3, OW: 3, STAGES: 0 },
    { N: 1, IW: 3, OW: 5, STAGES: 2 },
    { N: 9, IW: 3, OW: 7, STAGES: 2 },
    { N: 49, IW: 9, SIGNED: 1, OW: 15, STAGES: 3 },
    { N: 5, IW: 4, SIGNED: 1, OW: 5, STAGES: 1 },
  ],
  bnn_thresh_in: [
    {},
    { PE: 1, IN_W: 8, TDEPTH: 1, TW: 8, OBUF_DEPTH: 1 },
    { PE: 3, IN_W: 6, IN_SIGNED: 1, TDEPTH: 5, TW: 4, OBUF_DEPTH: 2 },
    { PE: 4, IN_W: 8, TDEPTH: 2, TW: 9, OBUF_DEPTH: 4, TFILE: 't.hex' },
    { PE: 2, IN_W: 8, TDEPTH: 3, TW: 10, NTHR: 3, OUT_BITS: 2, OBUF_DEPTH: 3 },
    { PE: 3, IN_W: 4, IN_SIGNED: 1, TDEPTH: 1, TW: 6, NTHR: 255, OUT_BITS: 8, OUT_MIN: -128, OBUF_DEPTH: 3 },
  ],
  bnn_levels: [{}, { N: 1, OB: 1 }, { N: 2, OB: 2, OMIN: -1 }, { N: 7, OB: 3, OMIN: -4 }, { N: 5, OB: 3, OMIN: 1 }, { N: 255, OB: 8, OMIN: -128 }],
  bnn_mvtu: [
    {},
    { MW: 4, MH: 3, PE: 1, SIMD: 1, POP_STAGES: 0, OBUF_DEPTH: 1 },
    { MW: 9, MH: 4, PE: 2, SIMD: 3, POP_STAGES: 1, OBUF_DEPTH: 2 },
    { MW: 98, MH: 8, PE: 4, SIMD: 49, POP_STAGES: 2, TW: 9, OBUF_DEPTH: 4 },
    { MW: 7, MH: 5, PE: 5, SIMD: 7, POP_STAGES: 3, TW: 3, OBUF_DEPTH: 1 },
    { MW: 32, MH: 6, PE: 3, SIMD: 16, SCORES: 1, ACC_W: 8, POP_STAGES: 1, OBUF_DEPTH: 8 },
    { MW: 13, MH: 10, PE: 10, SIMD: 13, SCORES: 1, ACC_W: 5, POP_STAGES: 0, OBUF_DEPTH: 3 },
    { MW: 36, MH: 16, PE: 8, SIMD: 4, POP_STAGES: 1, TW: 7, OBUF_DEPTH: 1, MASKED: 1 },
    { MW: 7, MH: 5, PE: 5, SIMD: 7, POP_STAGES: 0, TW: 2, OBUF_DEPTH: 1, MASKED: 1 },
    { MW: 1, MH: 2, PE: 1, SIMD: 1, POP_STAGES: 2, TW: 3, OBUF_DEPTH: 2, MASKED: 1 },
    { MW: 54, MH: 6, PE: 3, SIMD: 18, SCORES: 1, ACC_W: 8, POP_STAGES: 1, OBUF_DEPTH: 2, MASKED: 1 },
    { MW: 9, MH: 4, PE: 2, SIMD: 3, POP_STAGES: 1, TW: 4, NTHR: 3, OUT_BITS: 2, OBUF_DEPTH: 2 },
    { MW: 36, MH: 16, PE: 8, SIMD: 4, POP_STAGES: 1, TW: 7, NTHR: 7, OUT_BITS: 3, OUT_MIN: -4, OBUF_DEPTH: 1, MASKED: 1 },
  ],
  bnn_mvu_int: [
    {},
    { MW: 3, MH: 2, PE: 1, SIMD: 1, IN_W: 8, POP_STAGES: 0, ACC_W: 11, TW: 11, OBUF_DEPTH: 1 },
    { MW: 6, MH: 6, PE: 2, SIMD: 3, IN_W: 4, IN_SIGNED: 1, POP_STAGES: 1, ACC_W: 8, TW: 6 },
    { MW: 98, MH: 8, PE: 4, SIMD: 49, IN_W: 8, POP_STAGES: 2, ACC_W: 16, TW: 16, OBUF_DEPTH: 4 },
    { MW: 5, MH: 3, PE: 3, SIMD: 5, IN_W: 6, IN_SIGNED: 1, POP_STAGES: 3, SCORES: 1, ACC_W: 10 },
    { MW: 6, MH: 6, PE: 2, SIMD: 3, IN_W: 2, IN_SIGNED: 1, POP_STAGES: 1, ACC_W: 5, TW: 5, NTHR: 3, OUT_BITS: 2, OUT_MIN: -2 },
    { MW: 98, MH: 8, PE: 4, SIMD: 49, IN_W: 8, POP_STAGES: 2, ACC_W: 16, TW: 16, NTHR: 255, OUT_BITS: 8, OBUF_DEPTH: 4 },
    { MW: 6, MH: 6, PE: 2, SIMD: 3, IN_W: 4, IN_SIGNED: 1, POP_STAGES: 1, ACC_W: 8, TW: 6, DATAPATH: 1 },
    { MW: 98, MH: 8, PE: 4, SIMD: 49, IN_W: 2, POP_STAGES: 2, ACC_W: 9, TW: 9, OBUF_DEPTH: 4, DATAPATH: 1 },
    { MW: 64, MH: 4, PE: 4, SIMD: 64, IN_W: 8, IN_SIGNED: 1, POP_STAGES: 1, SCORES: 1, ACC_W: 16, DATAPATH: 1 },
    { MW: 3, MH: 2, PE: 1, SIMD: 1, IN_W: 3, POP_STAGES: 0, ACC_W: 5, TW: 5, OBUF_DEPTH: 1, DATAPATH: 1 },
    { MW: 6, MH: 6, PE: 2, SIMD: 3, IN_W: 2, IN_SIGNED: 1, POP_STAGES: 1, ACC_W: 5, TW: 5, NTHR: 3, OUT_BITS: 2, OUT_MIN: -2, DATAPATH: 1 },
  ],
  bnn_intdot: [
    {},
    { PE: 3, SIMD: 32, IN_W: 2, IN_SIGNED: 1, POP_STAGES: 1, OW: 8, DATAPATH: 1 },
    { PE: 1, SIMD: 7, IN_W: 5, POP_STAGES: 0, OW: 6, DATAPATH: 1 },
  ],
  bnn_bitplane: [
    {},
    { SIMD: 32, PLANES: 3, NEG_MSB: 1, STAGES: 2 },
    { SIMD: 5, PLANES: 1, FA: 0, STAGES: 0 },
    { SIMD: 1, PLANES: 4, STAGES: 1 },
  ],
  bnn_dwc: [
    {},
    { IN_W: 1, OUT_W: 8 },
    { IN_W: 16, OUT_W: 8 },
    { IN_W: 8, OUT_W: 16 },
    { IN_W: 49, OUT_W: 16 },
    { IN_W: 16, OUT_W: 49 },
    { IN_W: 3, OUT_W: 32 },
    { IN_W: 32, OUT_W: 3 },
  ],
  bnn_argmax: [
    {},
    { PE: 1, NF: 10, CLASSES: 10, IDX_W: 4, OBUF_DEPTH: 1 },
    { PE: 10, NF: 1, CLASSES: 10, IDX_W: 4 },
    { PE: 4, NF: 3, CLASSES: 10, IDX_W: 4, SCORE_W: 5 },
    { PE: 9, NF: 1, CLASSES: 5, IDX_W: 3, SCORE_W: 3 },
    { PE: 3, NF: 4, CLASSES: 12, IDX_W: 4, RANK: 1, RANK_W: 5, NVALS: 17, SCORE_MIN: -16, SHIFT: 1, SCORE_W: 6 },
    { PE: 1, NF: 1, CLASSES: 1, IDX_W: 1, RANK: 1, NVALS: 1 },
  ],
  bnn_swg: [
    {},
    { ELEM_W: 1, SIMD: 4, C: 8, H: 6, W: 5, KH: 3, KW: 3, PAD_T: 1, PAD_B: 1, PAD_L: 1, PAD_R: 1, PAD_MODE: 1 },
    { ELEM_W: 8, SIMD: 3, C: 3, H: 9, W: 6, KH: 5, KW: 3, SH: 2, SW: 2, PAD_T: 2, PAD_B: 1, PAD_R: 2, PAD_ELEM: -128 },
    { ELEM_W: 1, SIMD: 2, C: 2, H: 7, W: 7, KH: 1, KW: 1, SH: 3, SW: 3 },
    { ELEM_W: 1, SIMD: 1, C: 1, H: 1, W: 3, KH: 3, KW: 2, PAD_T: 2, PAD_B: 2, PAD_L: 1, PAD_R: 1, PAD_MODE: 1 },
    { ELEM_W: 1, SIMD: 64, C: 64, H: 32, W: 32, KH: 3, KW: 3, PAD_T: 1, PAD_B: 1, PAD_L: 1, PAD_R: 1, PAD_MODE: 1 },
    { ELEM_W: 3, SIMD: 2, C: 6, H: 5, W: 2, KH: 2, KW: 4, SH: 2, SW: 3, PAD_T: 1, PAD_B: 1, PAD_L: 3, PAD_R: 2, PAD_ELEM: -3 },
    // padding beyond the kernel: windows made only of padding (the bottom clamp of the low mark)
    { ELEM_W: 1, SIMD: 1, C: 2, H: 3, W: 2, KH: 1, KW: 1, PAD_T: 5, PAD_B: 4, PAD_R: 3, PAD_ELEM: 1 },
    { ELEM_W: 8, SIMD: 1, C: 1, H: 4, W: 3, KH: 2, KW: 2, SH: 5, SW: 5, PAD_T: 6, PAD_B: 6, PAD_L: 6, PAD_R: 6, PAD_MODE: 1 },
  ],
  bnn_pool: [
    {},
    { C: 8, PE: 4, H: 8, W: 8, KH: 2, KW: 2, SH: 2, SW: 2 },
    { C: 4, PE: 2, H: 7, W: 9, KH: 3, KW: 3, SH: 2, SW: 2, AND_MASK: "4'h9" },
    { C: 3, PE: 1, H: 10, W: 8, KH: 3, KW: 3, SH: 3, SW: 3, AND_MASK: "3'h7" },
    { C: 6, PE: 6, H: 4, W: 5, KH: 4, KW: 5, SH: 4, SW: 5, AND_MASK: "6'h1a" },
    { C: 2, PE: 1, H: 3, W: 4, KH: 1, KW: 2, SH: 1, SW: 1, AND_MASK: "2'h2" },
    { C: 64, PE: 16, H: 16, W: 16, KH: 3, KW: 3, SH: 2, SW: 2 },
    // strides larger than the window
    { C: 4, PE: 2, H: 8, W: 8, KH: 2, KW: 2, SH: 3, SW: 3, AND_MASK: "4'h5" },
    { C: 3, PE: 3, H: 5, W: 7, KH: 1, KW: 1, SH: 2, SW: 3 },
    // k-bit code lanes (max / min), unsigned and signed
    { C: 4, PE: 2, ELEM_W: 2, H: 7, W: 9, KH: 3, KW: 3, SH: 2, SW: 2, AND_MASK: "4'h9" },
    { C: 6, PE: 3, ELEM_W: 8, SIGNED: 1, H: 4, W: 5, KH: 4, KW: 5, SH: 4, SW: 5, AND_MASK: "6'h1a" },
    { C: 2, PE: 1, ELEM_W: 3, SIGNED: 1, H: 3, W: 4, KH: 1, KW: 1, SH: 1, SW: 1 },
    // window sums (SUM = 1)
    { C: 8, PE: 4, ELEM_W: 4, SIGNED: 1, H: 8, W: 8, KH: 2, KW: 2, SH: 2, SW: 2, SUM: 1, OUT_W: 6 },
    { C: 3, PE: 1, ELEM_W: 1, H: 10, W: 8, KH: 3, KW: 3, SH: 3, SW: 3, SUM: 1, OUT_W: 4 },
    { C: 2, PE: 2, ELEM_W: 5, H: 3, W: 3, KH: 1, KW: 1, SH: 1, SW: 1, SUM: 1, OUT_W: 5 },
    { C: 6, PE: 3, ELEM_W: 32, SIGNED: 1, H: 4, W: 5, KH: 4, KW: 5, SH: 4, SW: 5, SUM: 1, OUT_W: 37 },
  ],
};

function gArgs(p: Params): string[] {
  // strings are passed quoted (file names), except sized Verilog literals such as 4'h9
  return Object.entries(p).map(([k, v]) => (typeof v === 'string' && !/^\d+'[bhd]/.test(v) ? `-G${k}="${v}"` : `-G${k}=${v}`));
}

const has = requireTools('verilator');

describe.skipIf(!has)('verilator --lint-only -Wall on templates/lib', () => {
  for (const [mod, sets] of Object.entries(SETS)) {
    it(`${mod}: no warnings for ${sets.length} parameter sets`, async () => {
      const files = withDeps(mod).map(libFile);
      const runs = await Promise.all(
        sets.map(async (p) => {
          const r = await runTool('verilator', ['--lint-only', '-Wall', '--top-module', mod, ...gArgs(withStructure(mod, p)), ...files], {
            timeoutMs: 60_000,
          });
          return { p, r };
        }),
      );
      const problems = runs
        .filter(({ r }) => r.code !== 0 || /%(Warning|Error)/.test(r.stdout + r.stderr))
        .map(({ p, r }) => `${JSON.stringify(p)}: code ${r.code}\n${r.stdout}${r.stderr}`);
      expect(problems.join('\n')).toBe('');
    });
  }
});
