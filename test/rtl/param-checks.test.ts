/**
 * Elaboration-time parameter checks of the library modules: a parameter set that breaks a module's
 * constraints fails elaboration in Icarus, Verilator and Yosys alike, naming the broken constraint
 * (an instance of the non-existent module bnn_param_error_<module>_<constraint>); the same module
 * with a valid set elaborates.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTool } from '../../src/flows/tools.js';
import { libFile, makeTmpDir, paramList, removeDir, withDeps, withStructure } from '../helpers/rtlsim.js';
import { requireTools } from '../helpers/tools.js';

type Params = Record<string, number | string>;

const CASES: { module: string; bad: Params; good: Params; error: string }[] = [
  { module: 'bnn_mvtu', bad: { MW: 9, MH: 4, PE: 2, SIMD: 4 }, good: { MW: 12, MH: 4, PE: 2, SIMD: 4 }, error: 'bnn_param_error_mvtu_SIMD_does_not_divide_MW' },
  { module: 'bnn_mvtu', bad: { MW: 8, MH: 5, PE: 2, SIMD: 4 }, good: { MW: 8, MH: 6, PE: 2, SIMD: 4 }, error: 'bnn_param_error_mvtu_PE_does_not_divide_MH' },
  { module: 'bnn_mvtu', bad: { MW: 16, MH: 4, PE: 2, SIMD: 8, SCORES: 1, ACC_W: 5 }, good: { MW: 16, MH: 4, PE: 2, SIMD: 8, SCORES: 1, ACC_W: 6 }, error: 'bnn_param_error_mvtu_ACC_W_below_clog2_MW_plus_1_plus_1' },
  // no structure parameters: the defaults describe SIMD 4, not 64
  { module: 'bnn_mvtu', bad: { MW: 128, MH: 4, PE: 2, SIMD: 64, POP_FA: 1, POP_LEVELS: 0 }, good: { MW: 128, MH: 4, PE: 2, SIMD: 64 }, error: 'bnn_param_error_popcount_' },
  { module: 'bnn_mvu_int', bad: { MW: 10, MH: 4, PE: 2, SIMD: 4 }, good: { MW: 12, MH: 4, PE: 2, SIMD: 4 }, error: 'bnn_param_error_mvu_int_SIMD_does_not_divide_MW' },
  { module: 'bnn_mvu_int', bad: { MW: 8, MH: 3, PE: 2, SIMD: 4 }, good: { MW: 8, MH: 4, PE: 2, SIMD: 4 }, error: 'bnn_param_error_mvu_int_PE_does_not_divide_MH' },
  { module: 'bnn_addtree', bad: { N: 5, IW: 4, OW: 3 }, good: { N: 5, IW: 4, OW: 7 }, error: 'bnn_param_error_addtree_OW_below_IW' },
  { module: 'bnn_addtree', bad: { N: 9, IW: 2, OW: 6, STAGES: 2, REGS: "40'h0100000000" }, good: { N: 9, IW: 2, OW: 6, STAGES: 2 }, error: 'bnn_param_error_addtree_REGS_do_not_add_up_to_STAGES' },
  { module: 'bnn_argmax', bad: { PE: 2, NF: 5, CLASSES: 11, IDX_W: 4 }, good: { PE: 2, NF: 5, CLASSES: 10, IDX_W: 4 }, error: 'bnn_param_error_argmax_CLASSES_not_in_the_last_beat' },
  { module: 'bnn_argmax', bad: { PE: 4, NF: 5, CLASSES: 20, IDX_W: 4 }, good: { PE: 4, NF: 5, CLASSES: 20, IDX_W: 5 }, error: 'bnn_param_error_argmax_IDX_W_below_clog2_CLASSES' },
  { module: 'bnn_thresh_in', bad: { PE: 2, TDEPTH: 0 }, good: { PE: 2, TDEPTH: 1 }, error: 'bnn_param_error_thresh_in_TDEPTH_below_1' },
  { module: 'bnn_thresh_in', bad: { PE: 2, IN_W: 8, TW: 9, NTHR: 3, OUT_BITS: 2 }, good: { PE: 2, IN_W: 8, TW: 10, NTHR: 3, OUT_BITS: 2 }, error: 'bnn_param_error_thresh_in_levels_need_TW_IN_W_plus_2' },
  { module: 'bnn_mvu_int', bad: { NTHR: 1, OUT_BITS: 2 }, good: { NTHR: 3, OUT_BITS: 2 }, error: 'bnn_param_error_mvu_int_NTHR_1_needs_OUT_BITS_1_OUT_MIN_0' },
  { module: 'bnn_mvtu', bad: { NTHR: 256, OUT_BITS: 8 }, good: { NTHR: 255, OUT_BITS: 8 }, error: 'bnn_param_error_mvtu_NTHR_not_1_to_255' },
  { module: 'bnn_levels', bad: { N: 4, OB: 2 }, good: { N: 3, OB: 2 }, error: 'bnn_param_error_levels_N_above_2_pow_OB_minus_1' },
  { module: 'bnn_mvu_ctl', bad: { SF: 2, NF: 2, XW: 1, TAG: 1 }, good: { SF: 2, NF: 2, XW: 2, TAG: 1 }, error: 'bnn_param_error_mvu_ctl_TAG_needs_XW_above_1' },
  { module: 'bnn_swg', bad: { SIMD: 3, C: 4 }, good: { SIMD: 2, C: 4 }, error: 'bnn_param_error_swg_SIMD_does_not_divide_C' },
  { module: 'bnn_swg', bad: { H: 2, W: 4, KH: 3, KW: 3 }, good: { H: 2, W: 4, KH: 3, KW: 3, PAD_B: 1 }, error: 'bnn_param_error_swg_kernel_larger_than_the_padded_image' },
  { module: 'bnn_swg', bad: { ELEM_W: 33, SIMD: 1, C: 1 }, good: { ELEM_W: 32, SIMD: 1, C: 1 }, error: 'bnn_param_error_swg_ELEM_W_not_in_1_to_32' },
  { module: 'bnn_swg', bad: { PAD_MODE: 2 }, good: { PAD_MODE: 1 }, error: 'bnn_param_error_swg_PAD_MODE_not_0_or_1' },
  { module: 'bnn_pool', bad: { C: 6, PE: 4, AND_MASK: "6'h0" }, good: { C: 8, PE: 4, AND_MASK: "8'h0" }, error: 'bnn_param_error_pool_PE_does_not_divide_C' },
  { module: 'bnn_pool', bad: { H: 4, W: 2, KH: 2, KW: 3 }, good: { H: 4, W: 3, KH: 2, KW: 3 }, error: 'bnn_param_error_pool_window_larger_than_the_image' },
  { module: 'bnn_pool', bad: { SH: 0 }, good: { SH: 1 }, error: 'bnn_param_error_pool_SH_or_SW_below_1' },
  { module: 'bnn_pool', bad: { ELEM_W: 33 }, good: { ELEM_W: 32 }, error: 'bnn_param_error_pool_ELEM_W_not_1_to_32' },
  { module: 'bnn_pool', bad: { ELEM_W: 1, SIGNED: 1 }, good: { ELEM_W: 2, SIGNED: 1 }, error: 'bnn_param_error_pool_SIGNED_needs_ELEM_W_at_least_2' },
  // geometry passed by the compiler: the module checks it against its own parameters
  { module: 'bnn_swg', bad: { OH: 3, OW: 2, ROWS: 6, FD: 3, OFF: 3, FROWS: 3 }, good: { OH: 2, OW: 2, ROWS: 6, FD: 3, OFF: 3, FROWS: 3 }, error: 'bnn_param_error_swg_OH_is_not_the_window_count' },
  { module: 'bnn_swg', bad: { SW: 2, OH: 2, OW: 2, ROWS: 6, FD: 3, OFF: 3, FROWS: 3 }, good: { SW: 2, OH: 2, OW: 1, ROWS: 6, FD: 3, OFF: 3, FROWS: 3 }, error: 'bnn_param_error_swg_OW_is_not_the_window_count' },
  { module: 'bnn_swg', bad: { OH: 2, OW: 2, ROWS: 3, FD: 3, OFF: 3, FROWS: 0 }, good: { OH: 2, OW: 2, ROWS: 4, FD: 3, OFF: 3, FROWS: 3 }, error: 'bnn_param_error_swg_ROWS_below_KH_plus_SH_or_FD_plus_1' },
  { module: 'bnn_swg', bad: { OH: 2, OW: 2, ROWS: 6, FD: 2, OFF: 3, FROWS: 3 }, good: { OH: 2, OW: 2, ROWS: 6, FD: 3, OFF: 3, FROWS: 3 }, error: 'bnn_param_error_swg_FD_is_not_H_minus_the_last_low_mark' },
  { module: 'bnn_swg', bad: { OH: 2, OW: 2, ROWS: 6, FD: 3, OFF: 2, FROWS: 3 }, good: { OH: 2, OW: 2, ROWS: 6, FD: 3, OFF: 4, FROWS: 3 }, error: 'bnn_param_error_swg_OFF_below_FD_PAD_T_or_SH' },
  { module: 'bnn_swg', bad: { OH: 2, OW: 2, ROWS: 6, FD: 3, OFF: 3, FROWS: 2 }, good: { OH: 2, OW: 2, ROWS: 6, FD: 3, OFF: 3, FROWS: 3 }, error: 'bnn_param_error_swg_FROWS_is_not_the_frame_row_step_mod_ROWS' },
  // the window sum: OUT_W comes from the compiler (poolOutWidth), the module checks that every sum fits
  { module: 'bnn_pool', bad: { ELEM_W: 4, SIGNED: 1, SUM: 1, OUT_W: 5 }, good: { ELEM_W: 4, SIGNED: 1, SUM: 1, OUT_W: 6 }, error: 'bnn_param_error_pool_OUT_W_too_narrow_for_the_sum' },
  { module: 'bnn_pool', bad: { ELEM_W: 3, SUM: 1, OUT_W: 4 }, good: { ELEM_W: 3, SUM: 1, OUT_W: 5 }, error: 'bnn_param_error_pool_OUT_W_too_narrow_for_the_sum' },
  { module: 'bnn_pool', bad: { ELEM_W: 2, OUT_W: 4 }, good: { ELEM_W: 2, OUT_W: 2 }, error: 'bnn_param_error_pool_OUT_W_differs_from_ELEM_W_without_SUM' },
  { module: 'bnn_pool', bad: { ELEM_W: 2, SUM: 1, OUT_W: 4, AND_MASK: "2'h1" }, good: { ELEM_W: 2, SUM: 1, OUT_W: 4, AND_MASK: "2'h0" }, error: 'bnn_param_error_pool_AND_MASK_set_with_SUM' },
  { module: 'bnn_pool', bad: { SUM: 2 }, good: { SUM: 0 }, error: 'bnn_param_error_pool_SUM_not_0_or_1' },
  { module: 'bnn_pool', bad: { W: 5, OW: 1 }, good: { W: 5, OW: 2 }, error: 'bnn_param_error_pool_OW_is_not_the_window_count' },
  { module: 'bnn_intdot', bad: { DATAPATH: 2 }, good: { DATAPATH: 1 }, error: 'bnn_param_error_intdot_DATAPATH_not_0_or_1' },
  // the bit-plane plan: the defaults describe SIMD 4 PLANES 2, the module checks the plan against its parameters
  { module: 'bnn_mvu_int', bad: { MW: 64, MH: 4, PE: 2, SIMD: 32, IN_W: 2, DATAPATH: 1, BP_COLS: 7, BP_LEVELS: 0 }, good: { MW: 64, MH: 4, PE: 2, SIMD: 32, IN_W: 2, DATAPATH: 1 }, error: 'bnn_param_error_bitplane_' },
  { module: 'bnn_bitplane', bad: { SIMD: 4, PLANES: 3 }, good: { SIMD: 4, PLANES: 2 }, error: 'bnn_param_error_bitplane_COLS_is_not_clog2_of_the_largest_sum_plus_1' },
  { module: 'bnn_obuf', bad: { WIDTH: 4, DEPTH: 0 }, good: { WIDTH: 4, DEPTH: 1 }, error: 'bnn_param_error_obuf_DEPTH_below_1' },
  { module: 'bnn_fifo', bad: { WIDTH: 0, DEPTH: 2 }, good: { WIDTH: 1, DEPTH: 2 }, error: 'bnn_param_error_fifo_WIDTH_below_1' },
  { module: 'bnn_rom', bad: { WIDTH: 8, DEPTH: 0 }, good: { WIDTH: 8, DEPTH: 1 }, error: 'bnn_param_error_rom_DEPTH_below_1' },
  { module: 'bnn_dup', bad: { WIDTH: 4, N: 1 }, good: { WIDTH: 4, N: 2 }, error: 'bnn_param_error_dup_N_below_2' },
  // OUT_W comes from the compiler (addOutWidth): the module checks that every sum fits
  { module: 'bnn_add', bad: { A_W: 4, B_W: 4, SHIFT: 2, OUT_W: 6 }, good: { A_W: 4, B_W: 4, SHIFT: 2, OUT_W: 7 }, error: 'bnn_param_error_add_OUT_W_too_narrow_for_the_sum' },
  { module: 'bnn_add', bad: { A_W: 4, A_SIGNED: 1, B_W: 4, OUT_W: 5 }, good: { A_W: 4, A_SIGNED: 1, B_W: 4, OUT_W: 6 }, error: 'bnn_param_error_add_OUT_W_too_narrow_for_the_sum' },
  { module: 'bnn_add', bad: { SHIFT: 17, OUT_W: 22 }, good: { SHIFT: 16, OUT_W: 21 }, error: 'bnn_param_error_add_SHIFT_not_0_to_16' },
  // a sign operand's -1 makes the sums signed: u4 + sign needs 6 bits, not the 5 of u4 + u1
  { module: 'bnn_add', bad: { A_W: 4, B_W: 1, B_BIPOLAR: 1, OUT_W: 5 }, good: { A_W: 4, B_W: 1, B_BIPOLAR: 1, OUT_W: 6 }, error: 'bnn_param_error_add_OUT_W_too_narrow_for_the_sum' },
  { module: 'bnn_add', bad: { A_W: 2, A_BIPOLAR: 1, OUT_W: 6 }, good: { A_W: 1, A_BIPOLAR: 1, OUT_W: 6 }, error: 'bnn_param_error_add_BIPOLAR_needs_1_bit_unsigned_lanes' },
  { module: 'bnn_add', bad: { B_W: 1, B_BIPOLAR: 2, OUT_W: 6 }, good: { B_W: 1, B_BIPOLAR: 1, OUT_W: 6 }, error: 'bnn_param_error_add_BIPOLAR_not_0_or_1' },
  // OUT_W comes from the compiler (gapOutWidth): the module checks that every sum fits
  { module: 'bnn_gap', bad: { HW: 10, IN_W: 3, OUT_W: 6 }, good: { HW: 10, IN_W: 3, OUT_W: 7 }, error: 'bnn_param_error_gap_OUT_W_too_narrow_for_the_sum' },
  { module: 'bnn_gap', bad: { HW: 4, IN_W: 4, IN_SIGNED: 1, OUT_W: 5 }, good: { HW: 4, IN_W: 4, IN_SIGNED: 1, OUT_W: 6 }, error: 'bnn_param_error_gap_OUT_W_too_narrow_for_the_sum' },
  { module: 'bnn_gap', bad: { C: 6, PE: 4 }, good: { C: 8, PE: 4 }, error: 'bnn_param_error_gap_PE_does_not_divide_C' },
  { module: 'bnn_dwc', bad: { IN_W: 0, OUT_W: 8 }, good: { IN_W: 1, OUT_W: 8 }, error: 'bnn_param_error_dwc_IN_W_below_1' },
];

const TOOLS = ['iverilog', 'verilator', 'yosys'] as const;
type Tool = (typeof TOOLS)[number];
const has: Record<Tool, boolean> = { iverilog: requireTools('iverilog'), verilator: requireTools('verilator'), yosys: requireTools('yosys') };

async function elaborate(tool: Tool, module: string, p: Params): Promise<{ code: number | null; out: string }> {
  const dir = await makeTmpDir('params');
  await writeFile(path.join(dir, 'top.v'), `module top;\n    ${module} #(${paramList(p)}) dut ();\nendmodule\n`);
  const files = ['top.v', ...withDeps(module).map(libFile)];
  const r =
    tool === 'iverilog'
      ? await runTool('iverilog', ['-g2005', '-o', 'top.vvp', '-s', 'top', ...files], { cwd: dir, timeoutMs: 60_000 })
      : tool === 'verilator'
        ? await runTool('verilator', ['--lint-only', '-Wno-fatal', '-Wno-lint', '--top-module', 'top', ...files], { cwd: dir, timeoutMs: 60_000 })
        : await runTool('yosys', ['-q', '-p', `read_verilog ${files.join(' ')}; hierarchy -check -top top`], { cwd: dir, timeoutMs: 60_000 });
  await removeDir(dir);
  return { code: r.code, out: r.stdout + r.stderr };
}

describe('library parameter checks fail elaboration with a readable name', () => {
  for (const c of CASES) {
    for (const tool of TOOLS) {
      it.skipIf(!has[tool])(`${tool}: ${c.module} ${JSON.stringify(c.bad)} -> ${c.error}`, async () => {
        const bad = await elaborate(tool, c.module, c.bad.POP_FA !== undefined || c.bad.BP_COLS !== undefined || c.module === 'bnn_bitplane' ? c.bad : withStructure(c.module, c.bad));
        expect(bad.code).not.toBe(0);
        expect(bad.out).toContain(c.error);
        const good = await elaborate(tool, c.module, withStructure(c.module, c.good));
        expect(good.out).not.toContain('bnn_param_error_');
        expect(good.code, good.out).toBe(0);
      });
    }
  }
});
