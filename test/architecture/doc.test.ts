/** docs/architecture.md holds the dependency graph dependency-cruiser draws of src/ today. */
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

describe('docs/architecture.md', () => {
  it('its dependency graph is current (npm run docs:architecture)', () => {
    expect(() => execFileSync(process.execPath, [join(ROOT, 'scripts/architecture-doc.mjs'), '--check'], { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' })).not.toThrow();
  });
});
