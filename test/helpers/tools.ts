/**
 * Guard for tests that need external tools (iverilog, vvp, verilator, yosys).
 *
 * `requireTools(...names)` returns true when every tool is on PATH. When one is missing it
 * registers a test named "required tools: ..." in the calling file which
 *  - FAILS when process.env.CI === 'true' (a CI machine must have the tools), or
 *  - is skipped otherwise, after a console.warn naming the missing tools,
 * and returns false so the caller can `describe.skipIf(!has)(...)` the real tests.
 * Call it at the top level of a test file (during collection).
 */
import { test } from 'vitest';
import { toolPath } from '../../src/flows/tools.js';

export function missingTools(...names: string[]): string[] {
  return names.filter((n) => toolPath(n) === null);
}

export function requireTools(...names: string[]): boolean {
  const missing = missingTools(...names);
  if (missing.length === 0) return true;
  const what = `required tools: ${names.join(', ')}`;
  const msg = `missing tool(s): ${missing.join(', ')} (not found in PATH)`;
  if (process.env.CI === 'true') {
    test(what, () => {
      throw new Error(`${msg}; CI=true so this is a failure, not a skip`);
    });
  } else {
    console.warn(`[bnn-hw tests] SKIPPING tests that need ${missing.join(', ')}: ${msg}`);
    test.skip(`${what} -- SKIPPED, ${msg}`, () => {});
  }
  return false;
}
