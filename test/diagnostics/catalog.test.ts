/**
 * The diagnostics catalog is the single list of codes: every code reported in src/ is in it (the
 * DiagCode type enforces this for typed call sites; this test also catches codes in plain strings),
 * every listed code is reported somewhere, and docs/diagnostics.md is generated from it.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CATALOG, catalogMarkdown } from '../../src/diagnostics/catalog.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p, ext) : ext.test(f) ? [p] : [];
  });
}

const sources = files(join(ROOT, 'src'), /\.ts$/).filter((f) => !f.endsWith(join('diagnostics', 'catalog.ts')));
const used = new Set(sources.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/['"`](BNN\d{3})['"`]/g)].map((m) => m[1]!)));

describe('diagnostics catalog', () => {
  it('lists every code that src/ reports', () => {
    expect([...used].filter((c) => !(c in CATALOG)).sort()).toEqual([]);
  });

  it('lists no code that src/ never reports', () => {
    expect(Object.keys(CATALOG).filter((c) => !used.has(c))).toEqual([]);
  });

  it('docs/diagnostics.md is generated from it (npm run docs:diagnostics)', () => {
    expect(readFileSync(join(ROOT, 'docs', 'diagnostics.md'), 'utf8')).toBe(catalogMarkdown());
  });

  it('every code the documentation mentions exists', () => {
    const docs = [join(ROOT, 'README.md'), ...files(join(ROOT, 'docs'), /\.md$/)];
    const mentioned = new Set(docs.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/\bBNN\d{3}\b/g)].map((m) => m[0])));
    expect([...mentioned].filter((c) => !(c in CATALOG)).sort()).toEqual([]);
  });
});
