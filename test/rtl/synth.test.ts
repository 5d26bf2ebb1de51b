/**
 * Yosys generic synthesis of the library blocks: `hierarchy -check`, `proc`, `synth`,
 * `check -assert` must succeed and no latch may be inferred.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTool } from '../../src/flows/tools.js';
import { libFile, makeTmpDir, removeDir, withDeps, withStructure } from '../helpers/rtlsim.js';
import { requireTools } from '../helpers/tools.js';

interface SynthCase {
  top: string;
  params: Record<string, number | string>;
  files?: Record<string, string>;
}

const CASES: SynthCase[] = [
  { top: 'bnn_fifo', params: { WIDTH: 9, DEPTH: 5 } },
  {
    top: 'bnn_thresh_in',
    params: { PE: 3, IN_W: 6, IN_SIGNED: 1, TDEPTH: 3, TW: 5, OBUF_DEPTH: 3, TFILE: 't.hex' },
    files: { 't.hex': '00000\n3ffff\n01234\n' },
  },
  {
    top: 'bnn_mvtu',
    params: { MW: 24, MH: 6, PE: 3, SIMD: 12, POP_STAGES: 2, TW: 5, OBUF_DEPTH: 3 },
  },
  {
    top: 'bnn_mvtu',
    params: { MW: 13, MH: 4, PE: 4, SIMD: 13, POP_STAGES: 0, SCORES: 1, ACC_W: 6, OBUF_DEPTH: 1 },
  },
  {
    top: 'bnn_mvtu',
    params: { MW: 36, MH: 8, PE: 4, SIMD: 9, POP_STAGES: 1, TW: 7, OBUF_DEPTH: 1, MASKED: 1 },
  },
  {
    top: 'bnn_mvtu',
    params: { MW: 12, MH: 3, PE: 3, SIMD: 12, POP_STAGES: 0, SCORES: 1, ACC_W: 6, OBUF_DEPTH: 2, MASKED: 1 },
  },
  {
    top: 'bnn_swg',
    params: { ELEM_W: 1, SIMD: 4, C: 8, H: 6, W: 5, KH: 3, KW: 3, SH: 1, SW: 1, PAD_T: 1, PAD_B: 1, PAD_L: 1, PAD_R: 1, PAD_MODE: 1 },
  },
  {
    top: 'bnn_swg',
    params: { ELEM_W: 8, SIMD: 3, C: 3, H: 9, W: 6, KH: 5, KW: 3, SH: 2, SW: 2, PAD_T: 2, PAD_B: 1, PAD_L: 0, PAD_R: 2, PAD_MODE: 0, PAD_ELEM: -128 },
  },
  {
    top: 'bnn_pool',
    params: { C: 8, PE: 4, H: 8, W: 8, KH: 2, KW: 2, SH: 2, SW: 2, AND_MASK: 0x5a },
  },
  {
    top: 'bnn_pool',
    params: { C: 4, PE: 2, H: 7, W: 9, KH: 3, KW: 3, SH: 2, SW: 2, AND_MASK: 9 },
  },
  {
    top: 'bnn_pool',
    params: { C: 4, PE: 2, ELEM_W: 2, SIGNED: 1, H: 7, W: 9, KH: 3, KW: 3, SH: 2, SW: 2, AND_MASK: 9 },
  },
  {
    top: 'bnn_mvu_int',
    params: { MW: 9, MH: 4, PE: 2, SIMD: 3, IN_W: 8, IN_SIGNED: 1, POP_STAGES: 1, ACC_W: 14, TW: 14, OBUF_DEPTH: 2 },
  },
  { top: 'bnn_dwc', params: { IN_W: 16, OUT_W: 49 } },
  { top: 'bnn_dup', params: { WIDTH: 7, N: 3 } },
  { top: 'bnn_gap', params: { PE: 2, C: 6, HW: 9, IN_W: 3, IN_SIGNED: 1, OUT_W: 7 } },
  { top: 'bnn_add', params: { PE: 2, A_W: 4, A_SIGNED: 1, B_W: 3, SHIFT: 2, OUT_W: 7 } },
  { top: 'bnn_dwc', params: { IN_W: 32, OUT_W: 3 } },
  {
    top: 'bnn_argmax',
    params: { PE: 4, NF: 3, CLASSES: 10, SCORE_W: 6, IDX_W: 4, OBUF_DEPTH: 2 },
  },
  {
    top: 'bnn_argmax',
    params: { PE: 2, NF: 5, CLASSES: 10, SCORE_W: 6, IDX_W: 4, RANK: 1, RANK_W: 4, NVALS: 16, SCORE_MIN: -15, SHIFT: 1 },
  },
];

function describeParams(c: SynthCase): string {
  return Object.entries(c.params)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

function chparamArgs(c: SynthCase): string {
  return Object.entries(withStructure(c.top, c.params))
    .map(([k, v]) => {
      if (typeof v === 'string') return /^\d+'[bhd]/.test(v) ? `-set ${k} ${v}` : `-set ${k} "${v}"`;
      // chparam cannot parse a leading minus: pass negative integers as 32-bit two's complement
      return v < 0 ? `-set ${k} 32'h${(v >>> 0).toString(16)}` : `-set ${k} ${v}`;
    })
    .join(' ');
}

const has = requireTools('yosys');

describe.skipIf(!has)('yosys synth of templates/lib', () => {
  for (const c of CASES) {
    it(`${c.top} (${describeParams(c)}): synth + check -assert, no latches`, async () => {
      const dir = await makeTmpDir('yosys');
      for (const [name, text] of Object.entries(c.files ?? {})) await writeFile(path.join(dir, name), text);
      const chparam = chparamArgs(c);
      const lines = [
        `read_verilog ${withDeps(c.top).map(libFile).join(' ')}`,
        `chparam ${chparam} ${c.top}`,
        `hierarchy -check -top ${c.top}`,
        'proc',
        `synth -top ${c.top}`,
        'check -assert',
        'select -assert-none t:$*latch* t:$_DLATCH* t:$sr t:$_SR_*',
        'stat',
      ];
      await writeFile(path.join(dir, 'synth.ys'), lines.join('\n') + '\n');
      const r = await runTool('yosys', ['-q', '-l', 'yosys.log', '-s', 'synth.ys'], { cwd: dir, timeoutMs: 100_000 });
      const log = await readFile(path.join(dir, 'yosys.log'), 'utf8');
      expect(r.code, `${r.stderr}\n${log.slice(-3000)}`).toBe(0);
      expect(log).not.toMatch(/Latch inferred/);
      expect(log).not.toMatch(/ERROR/);
      await removeDir(dir);
    });
  }
});

// Structural check of the contract "every tready / tvalid output is a function of registers only":
// the combinational input cone of the port (stopping at flip-flops and memories) must contain no
// module input. w_en of bnn_mvtu / bnn_mvu_int (= fire) is the positive control: it does depend on s_axis_tvalid.
const FF_STOP = '%ci*:-$dff,$adff,$aldff,$dffe,$adffe,$sdff,$sdffe,$sdffce,$dffsr,$mem_v2,$mem';


describe.skipIf(!has)('ready / valid outputs depend on registers only (yosys cone check)', () => {
  for (const c of CASES) {
    it(`${c.top} (${describeParams(c)}): tready / tvalid have no input in their combinational cone`, async () => {
      const dir = await makeTmpDir('cone');
      for (const [name, text] of Object.entries(c.files ?? {})) await writeFile(path.join(dir, name), text);
      const chparam = chparamArgs(c);
      const lines = [
        `read_verilog ${withDeps(c.top).map(libFile).join(' ')}`,
        `chparam ${chparam} ${c.top}`,
        `hierarchy -check -top ${c.top}`,
        'proc',
        'flatten',
        'memory -nomap',
        'opt_clean',
        `select -assert-none w:s_axis_tready ${FF_STOP} i:* %i`,
        `select -assert-none w:m_axis_tvalid ${FF_STOP} i:* %i`,
        // every output tready / tvalid port, also those of the multi-port modules (a_axis_tready, N-bit m_axis_tvalid)
        'select -assert-min 2 o:*_tready o:*_tvalid %u',
        `select -assert-none o:*_tready o:*_tvalid %u ${FF_STOP} i:* %i`,
      ];
      if (c.top === 'bnn_mvtu' || c.top === 'bnn_mvu_int') lines.push(`select -assert-any w:w_en ${FF_STOP} i:s_axis_tvalid %i`);
      await writeFile(path.join(dir, 'cone.ys'), lines.join('\n') + '\n');
      const r = await runTool('yosys', ['-q', '-l', 'yosys.log', '-s', 'cone.ys'], { cwd: dir, timeoutMs: 60_000 });
      const log = await readFile(path.join(dir, 'yosys.log'), 'utf8');
      expect(r.code, `${r.stderr}\n${log.slice(-3000)}`).toBe(0);
      await removeDir(dir);
    });
  }
});
