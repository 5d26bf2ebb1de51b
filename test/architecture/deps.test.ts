/**
 * The directory layering of src/ (.dependency-cruiser.cjs, docs/architecture.md): dependency-cruiser
 * finds no violation in src/, every directory under src/ has its place in the layering, and the rules do
 * catch a forbidden import (a scratch tree with sim/ importing emit/).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');

interface CruiseResult {
  summary: { violations: { rule: { name: string }; from: string; to: string }[]; error: number; totalCruised: number };
}

function cruise(cwd: string): CruiseResult {
  let text: string;
  try {
    text = execFileSync(process.execPath, [BIN, 'src', '--config', CONFIG, '--output-type', 'json'], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  } catch (e) {
    // exit code 1 with violations: the JSON is still on stdout
    text = (e as { stdout?: string }).stdout ?? '';
    if (!text) throw e;
  }
  return JSON.parse(text) as CruiseResult;
}

describe('dependency layering', () => {
  it('src/ has no violation', () => {
    const r = cruise(ROOT);
    const lines = r.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
    expect(lines).toEqual([]);
    expect(r.summary.totalCruised).toBeGreaterThan(50);
  });

  it('every directory under src/ has a layer', () => {
    const cfg = createRequire(import.meta.url)(CONFIG) as { forbidden: { name: string }[] };
    const layered = new Set(cfg.forbidden.map((r) => r.name.replace(/^layer-/, '')));
    const dirs = readdirSync(join(ROOT, 'src')).filter((d) => statSync(join(ROOT, 'src', d)).isDirectory());
    expect(dirs.filter((d) => !layered.has(d))).toEqual([]);
  });

  it('catches a forbidden import', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bnn-deps-'));
    try {
      for (const d of ['sim', 'emit', 'blocks']) mkdirSync(join(dir, 'src', d), { recursive: true });
      writeFileSync(join(dir, 'src/emit/rtl.ts'), "import { x } from '../blocks/kind.js';\nexport const y = x;\n");
      writeFileSync(join(dir, 'src/blocks/kind.ts'), 'export const x = 1;\n');
      writeFileSync(join(dir, 'src/sim/engine.ts'), "import { y } from '../emit/rtl.js';\nexport const z = y;\n");
      copyFileSync(join(ROOT, 'tsconfig.json'), join(dir, 'tsconfig.json'));
      const r = cruise(dir);
      expect(r.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`)).toEqual(['layer-sim: src/sim/engine.ts -> src/emit/rtl.ts']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
