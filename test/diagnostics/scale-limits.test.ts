/**
 * The limits that keep every admitted model processable (docs/model-format.md, Limits): the cycle
 * budget of FIFO sizing and timing (BNN113, src/sim/budget.ts) and the 2^28 weight bits of the
 * whole model (BNN060). From the command line: exit 1, a coded diagnostic, no stack trace, nothing
 * written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CYCLE_BUDGET, checkCycleBudget } from '../../src/sim/budget.js';
import type { HwPlan } from '../../src/passes/plan.js';
import { DiagnosticError } from '../../src/diagnostics/diagnostic.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'dist', 'cli', 'main.js');
const CNV = join(ROOT, 'examples', 'cnv.json');
let dir = '';

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, BNN_DEBUG: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const packed = (bits: number, fill: number) => Buffer.alloc(Math.ceil(bits / 8), fill).toString('base64');

beforeAll(() => {
  execFileSync('npx', ['tsc', '-p', '.'], { cwd: ROOT, stdio: 'pipe' });
  dir = mkdtempSync(join(tmpdir(), 'bnn-hw-scale-'));
  // 2^27 + (2^27 + 8192) weight bits: each layer alone is within 2^28, the model is not. The second
  // layer's packed text is deliberately short: the limit must be reported before it is decoded.
  const n = 16384;
  writeFileSync(join(dir, 'over.json'), JSON.stringify({
    format: 'bnn-hw/model@1', name: 'over', input: { shape: [n], type: 'bipolar' },
    layers: [
      { type: 'dense', name: 'fc0', units: n / 2, weights: { shape: [n / 2, n], packed: packed((n * n) / 2, 0xff) } },
      { type: 'sign', name: 'act0' },
      { type: 'dense', name: 'fc1', units: n + 1, weights: { shape: [n + 1, n / 2], packed: 'AAAA' } },
    ],
    output: 'scores',
  }));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('cycle budget (BNN113)', () => {
  const fake = (cyclesPerFrame: number, blocks: number) => ({ cyclesPerFrame, blocks: new Array(blocks).fill({}) }) as unknown as HwPlan;
  const code = (f: () => void) => {
    try {
      f();
      return null;
    } catch (e) {
      return e instanceof DiagnosticError ? e.diagnostics[0]!.code : String(e);
    }
  };

  it('admits exactly the budget, refuses one cycle per frame more', () => {
    expect(code(() => checkCycleBudget(fake(CYCLE_BUDGET / 2, 2), 'FIFO sizing'))).toBe(null);
    expect(code(() => checkCycleBudget(fake(CYCLE_BUDGET / 2 + 1, 2), 'FIFO sizing'))).toBe('BNN113');
  });

  for (const cmd of ['generate', 'simulate', 'estimate'] as const) {
    it(`${cmd} of FINN's CNV without a folding is refused before the cycle model runs`, () => {
      const out = join(dir, `cnv-${cmd}`);
      const r = cli(cmd, CNV, ...(cmd === 'generate' ? ['-o', out] : []));
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/error\[BNN113\]: FIFO sizing: the design takes 28901376 cycles per frame/);
      expect(r.stderr).toMatch(/hint: give a folding with more PE \/ SIMD: --fold <file> \(the examples' foldings are in examples\/folds\/\)/);
      expect(r.stderr).not.toMatch(/^ {4}at /m);
      expect(existsSync(out)).toBe(false);
    });
  }

  it('generate --no-size-fifos: the timing prediction has the same budget', () => {
    const out = join(dir, 'cnv-nosize');
    const r = cli('generate', CNV, '--no-size-fifos', '-o', out);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error\[BNN113\]: timing prediction:/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('weight bits of the whole model (BNN060)', () => {
  it('counts every layer: two layers within 2^28 each, over it together, are refused at the second', () => {
    const out = join(dir, 'over-design');
    const r = cli('generate', join(dir, 'over.json'), '-o', out);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error\[BNN060\]: dense layer "fc1": weights of shape \[16385, 8192\] .*hold 134225920 bits, which with the 134217728 of the layers before it make 268443648, expected at most 268435456 \(2\^28\) in the whole model/);
    expect(r.stderr).toMatch(/\/layers\/2\/weights/);
    expect(r.stderr).not.toMatch(/^ {4}at /m);
    expect(existsSync(out)).toBe(false);
  });
});
