/**
 * Every block kind has its own test that runs the library checks on its module: test/rtl/<kind>.test.ts
 * calls libraryChecks('bnn_<kind>', ...) (test/helpers/lib-checks.ts) with lint, parameter-error and
 * synthesis sets, and a graph block (port registry) also with a descriptor sample. So a new kind needs
 * no edit of a shared list of parameter sets, and none is forgotten.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REGISTRY } from '../../src/blocks/registry.js';
import { PORT_REGISTRY } from '../../src/blocks/port-registry.js';

const RTL_TESTS = resolve(import.meta.dirname, '../rtl');

/** the text of the libraryChecks call of a module in a test file, or null */
function checksCall(text: string, module: string): string | null {
  const start = text.indexOf(`libraryChecks('${module}', {`);
  if (start < 0) return null;
  const end = text.indexOf('\n});', start);
  return end < 0 ? null : text.slice(start, end);
}

const kinds = [...Object.keys(REGISTRY).map((k) => [k, false] as const), ...Object.keys(PORT_REGISTRY).map((k) => [k, true] as const)];

describe('every block kind has its test file calling the library checks', () => {
  it.each(kinds)('%s', (kind, graphBlock) => {
    const file = join(RTL_TESTS, `${kind}.test.ts`);
    expect(existsSync(file), `test/rtl/${kind}.test.ts`).toBe(true);
    const call = checksCall(readFileSync(file, 'utf8'), `bnn_${kind}`);
    expect(call, `test/rtl/${kind}.test.ts calls libraryChecks('bnn_${kind}', {...})`).not.toBeNull();
    const fields = ['lint: [', 'paramErrors: [', 'synth: [', ...(graphBlock ? ['portSample: {'] : [])];
    for (const f of fields) expect(call, `libraryChecks('bnn_${kind}') has ${f}`).toContain(f);
  });
});
