/**
 * Every `$ bnn-hw ...` example in the built CLI's --help (the program's and each command's) runs from
 * the repo root and exits 0. The examples run in order in a scratch copy of the repo root (examples/,
 * bench/foldings/, an empty docs/, and ../shared beside it, which the import examples read), so the files they write
 * (tfc.json, build/..., docs/model.schema.json) land there and a later example may use an earlier one's
 * output, as a reader following the help would. `a && b` runs a, then b.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAIN, ROOT } from './helpers.js';
import { requireTools } from '../helpers/tools.js';

const SHARED = join(ROOT, '..', 'shared');

function help(args: string[]): string {
  const r = spawnSync(process.execPath, [MAIN, ...args, '--help'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bnn-hw ${args.join(' ')} --help exited ${r.status} (run npm run build first): ${r.stderr}`);
  return r.stdout;
}

/** The command names listed under "Commands:" in the program's --help. */
function commandNames(text: string): string[] {
  const section = text.split(/^Commands:$/m)[1] ?? '';
  return [...section.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)].map((m) => m[1]!).filter((n) => n !== 'help');
}

/** The `$ ...` lines of a help text, without the prompt. */
const exampleLines = (text: string): string[] => [...text.matchAll(/^\s*\$ (.+)$/gm)].map((m) => m[1]!.trim());

/** One example line as argument lists of `bnn-hw` runs; anything a plain word split cannot carry fails. */
function parseExample(line: string): string[][] {
  if (/["'`\\|;<>*?]|\$\(/.test(line)) throw new Error(`example needs a shell to run, which this test does not emulate: ${line}`);
  return line.split(' && ').map((part) => {
    const words = part.trim().split(/\s+/);
    if (words[0] !== 'bnn-hw') throw new Error(`example step does not run bnn-hw: ${part}`);
    return words.slice(1);
  });
}

const top = help([]);
const commands = commandNames(top);
const perCommand = commands.map((c) => ({ command: c, lines: exampleLines(help([c])) }));
// each distinct example once, in the order of the help texts (program first, then each command's)
const examples = [...new Set([...exampleLines(top), ...perCommand.flatMap((c) => c.lines)])];

describe('--help examples', () => {
  it('lists the commands and an example for each of them', () => {
    expect(commands).toEqual(expect.arrayContaining(['import', 'inspect', 'infer', 'generate', 'verify', 'simulate', 'estimate', 'synth', 'schema']));
    for (const c of perCommand) expect(c.lines.length, `${c.command} --help has no example`).toBeGreaterThan(0);
    for (const line of examples) expect(() => parseExample(line)).not.toThrow();
  });

  it('has ../shared/models beside the repo (the import examples read it)', () => {
    expect(existsSync(join(SHARED, 'models', 'qonnx-TFC_1W1A.onnx'))).toBe(true);
  });
});

const hasTools = requireTools('iverilog', 'vvp', 'verilator', 'yosys', 'nextpnr-ice40', 'icepack');

describe.runIf(hasTools)('every --help example runs from the repo root', () => {
  let scratch = '';
  let cwd = '';
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'bnn-hw-help-'));
    cwd = join(scratch, 'repo');
    mkdirSync(join(cwd, 'docs'), { recursive: true });
    cpSync(join(ROOT, 'examples'), join(cwd, 'examples'), { recursive: true });
    cpSync(join(ROOT, 'bench', 'foldings'), join(cwd, 'bench', 'foldings'), { recursive: true });
    if (existsSync(SHARED)) symlinkSync(SHARED, join(scratch, 'shared'));
  });
  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  for (const line of examples) {
    it(`$ ${line}`, () => {
      for (const args of parseExample(line)) {
        const r = spawnSync(process.execPath, [MAIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, BNN_DEBUG: '' }, maxBuffer: 64 << 20 });
        expect(r.status, `bnn-hw ${args.join(' ')} exited ${r.status}\n${r.stderr.slice(-2000)}`).toBe(0);
      }
    }, 600_000);
  }
});
