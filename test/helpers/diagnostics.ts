/** Catching the diagnostics a call throws, for tests that pin them. */
import { DiagnosticError, type Diagnostic } from '../../src/diagnostics/diagnostic.js';
import type { DiagCode } from '../../src/diagnostics/catalog.js';

export const d = (code: DiagCode, pointer: string, message: string, hint: string): Diagnostic => ({ code, pointer, message, hint });

/** The diagnostics `run` throws (fails when it throws none, rethrows anything else). */
export function diagnostics(run: () => unknown, what = 'the model'): Diagnostic[] {
  try {
    run();
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics;
    throw e;
  }
  throw new Error(`expected a diagnostic, but ${what} was accepted`);
}
