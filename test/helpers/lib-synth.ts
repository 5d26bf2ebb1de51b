/**
 * Yosys checks of a library module (registered through libraryChecks, test/helpers/lib-checks.ts):
 * generic synthesis (`hierarchy -check`, `proc`, `synth`, `check -assert` succeed, no latch inferred),
 * and the contract "every tready / tvalid output is a function of registers only": the combinational
 * input cone of each such port (stopping at flip-flops and memories) contains no module input.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTool } from '../../src/flows/tools.js';
import { libFile, makeTmpDir, removeDir, withDeps, withStructure } from './rtlsim.js';
import { requireTools } from './tools.js';

export interface SynthCase {
  params: Record<string, number | string>;
  /** files the parameters name (ROM images), written next to the script */
  files?: Record<string, string>;
  /** a wire that must depend on s_axis_tvalid (the positive control of the cone check, e.g. w_en = fire) */
  coneControl?: string;
}

function describeParams(c: SynthCase): string {
  return Object.entries(c.params)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

function chparamArgs(top: string, c: SynthCase): string {
  return Object.entries(withStructure(top, c.params))
    .map(([k, v]) => {
      if (typeof v === 'string') return /^\d+'[bhd]/.test(v) ? `-set ${k} ${v}` : `-set ${k} "${v}"`;
      // chparam cannot parse a leading minus: pass negative integers as 32-bit two's complement
      return v < 0 ? `-set ${k} 32'h${(v >>> 0).toString(16)}` : `-set ${k} ${v}`;
    })
    .join(' ');
}

/** runs a Yosys script on the module with the case's parameters; the log on failure */
async function runYosys(prefix: string, top: string, c: SynthCase, body: string[], timeoutMs: number): Promise<{ code: number | null; log: string }> {
  const dir = await makeTmpDir(prefix);
  for (const [name, text] of Object.entries(c.files ?? {})) await writeFile(path.join(dir, name), text);
  const lines = [`read_verilog ${withDeps(top).map(libFile).join(' ')}`, `chparam ${chparamArgs(top, c)} ${top}`, `hierarchy -check -top ${top}`, 'proc', ...body];
  await writeFile(path.join(dir, 'run.ys'), lines.join('\n') + '\n');
  const r = await runTool('yosys', ['-q', '-l', 'yosys.log', '-s', 'run.ys'], { cwd: dir, timeoutMs });
  const log = await readFile(path.join(dir, 'yosys.log'), 'utf8');
  if (r.code === 0) await removeDir(dir);
  return { code: r.code, log: `${r.stderr}\n${log}` };
}

const FF_STOP = '%ci*:-$dff,$adff,$aldff,$dffe,$adffe,$sdff,$sdffe,$sdffce,$dffsr,$mem_v2,$mem';

export function synthChecks(top: string, cases: SynthCase[]): void {
  const has = requireTools('yosys');
  describe.skipIf(!has)('yosys synth of templates/lib', () => {
    for (const c of cases) {
      it(`${top} (${describeParams(c)}): synth + check -assert, no latches`, async () => {
        const body = [`synth -top ${top}`, 'check -assert', 'select -assert-none t:$*latch* t:$_DLATCH* t:$sr t:$_SR_*', 'stat'];
        const r = await runYosys('yosys', top, c, body, 100_000);
        expect(r.code, r.log.slice(-3000)).toBe(0);
        expect(r.log).not.toMatch(/Latch inferred/);
        expect(r.log).not.toMatch(/ERROR/);
      });
    }
  });

  describe.skipIf(!has)('ready / valid outputs depend on registers only (yosys cone check)', () => {
    for (const c of cases) {
      it(`${top} (${describeParams(c)}): tready / tvalid have no input in their combinational cone`, async () => {
        const body = [
          'flatten',
          'memory -nomap',
          'opt_clean',
          `select -assert-none w:s_axis_tready ${FF_STOP} i:* %i`,
          `select -assert-none w:m_axis_tvalid ${FF_STOP} i:* %i`,
          // every output tready / tvalid port, also those of the multi-port modules (a_axis_tready, N-bit m_axis_tvalid)
          'select -assert-min 2 o:*_tready o:*_tvalid %u',
          `select -assert-none o:*_tready o:*_tvalid %u ${FF_STOP} i:* %i`,
        ];
        if (c.coneControl) body.push(`select -assert-any w:${c.coneControl} ${FF_STOP} i:s_axis_tvalid %i`);
        const r = await runYosys('cone', top, c, body, 60_000);
        expect(r.code, r.log.slice(-3000)).toBe(0);
      });
    }
  });
}
