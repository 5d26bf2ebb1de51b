/**
 * The tool checks every library module gets, registered by its own test file with its own parameter
 * sets (a block kind's in test/rtl/<kind>.test.ts, the shared modules' in test/rtl/shared-modules.test.ts;
 * test/architecture/kind-tests.test.ts checks that every kind calls it):
 * - `lint`: `verilator --lint-only -Wall` with each set succeeds and prints no warning at all;
 * - `paramErrors`: a set that breaks a constraint fails elaboration in Icarus, Verilator and Yosys alike,
 *   naming the broken constraint (an instance of the non-existent module bnn_param_error_<module>_<constraint>),
 *   and the same module with a valid set elaborates;
 * - `synth`: Yosys generic synthesis and the ready / valid cone check (test/helpers/lib-synth.ts);
 * - `portSample`: a graph block's descriptor against its module (test/helpers/port-kind-checks.ts).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTool } from '../../src/flows/tools.js';
import { libFile, makeTmpDir, paramList, removeDir, withDeps, withStructure } from './rtlsim.js';
import { requireTools } from './tools.js';
import { synthChecks, type SynthCase } from './lib-synth.js';
import { portKindChecks } from './port-kind-checks.js';
import type { PortBlock } from '../../src/blocks/port-types.js';

export type Params = Record<string, number | string>;

export interface ParamErrorCase {
  bad: Params;
  good: Params;
  /** the name elaboration must print (a prefix of the error module's name) */
  error: string;
  /** pass `bad` as given: it sets the structure parameters (popcount / bit-plane plan) itself */
  raw?: boolean;
}

export interface LibraryChecks {
  lint?: Params[];
  paramErrors?: ParamErrorCase[];
  synth?: SynthCase[];
  /** a graph block (a kind of the port registry): its descriptor's instance (test/helpers/port-kind-checks.ts) */
  portSample?: PortBlock;
}

/** Registers the lint, parameter-check and synthesis tests of one library module. */
export function libraryChecks(module: string, checks: LibraryChecks): void {
  if (checks.lint) lintChecks(module, checks.lint);
  if (checks.paramErrors) paramErrorChecks(module, checks.paramErrors);
  if (checks.synth) synthChecks(module, checks.synth);
  if (checks.portSample) portKindChecks(checks.portSample);
}

function gArgs(p: Params): string[] {
  // strings are passed quoted (file names), except sized Verilog literals such as 4'h9
  return Object.entries(p).map(([k, v]) => (typeof v === 'string' && !/^\d+'[bhd]/.test(v) ? `-G${k}="${v}"` : `-G${k}=${v}`));
}

function lintChecks(mod: string, sets: Params[]): void {
  describe.skipIf(!requireTools('verilator'))('verilator --lint-only -Wall on templates/lib', () => {
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
  });
}

const TOOLS = ['iverilog', 'verilator', 'yosys'] as const;
type Tool = (typeof TOOLS)[number];

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

function paramErrorChecks(module: string, cases: ParamErrorCase[]): void {
  describe('library parameter checks fail elaboration with a readable name', () => {
    for (const c of cases) {
      for (const tool of TOOLS) {
        it.skipIf(!requireTools(tool))(`${tool}: ${module} ${JSON.stringify(c.bad)} -> ${c.error}`, async () => {
          const bad = await elaborate(tool, module, c.raw ? c.bad : withStructure(module, c.bad));
          expect(bad.code).not.toBe(0);
          expect(bad.out).toContain(c.error);
          const good = await elaborate(tool, module, withStructure(module, c.good));
          expect(good.out).not.toContain('bnn_param_error_');
          expect(good.code, good.out).toBe(0);
        });
      }
    }
  });
}
