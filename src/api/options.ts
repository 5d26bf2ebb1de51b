/**
 * The API's checks of option values (the command line's parser checks the same for its flags, so a
 * script gets a diagnostic where the CLI gets a usage error) and its error boundary: a filesystem error
 * no caller mapped becomes BNN142, as at the CLI's catch site, so bad input always throws DiagnosticError.
 */
import { describeValue, fail } from '../diagnostics/diagnostic.js';
import { isFsError, uncaughtFsDiagnostic } from '../util/fs-errors.js';
import { DiagnosticError } from '../diagnostics/diagnostic.js';

const invalid = (name: string, expected: string, v: unknown): never =>
  fail('BNN087', '', `option '${name}' must be ${expected}, found ${describeValue(v)}`, 'see docs/api.md for the options of each function');

export function oneOf<T extends string>(name: string, v: unknown, allowed: readonly T[], fallback: T): T {
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) return invalid(name, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, v);
  return v as T;
}

/** A required choice. */
export function choice<T extends string>(name: string, v: unknown, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) return invalid(name, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, v);
  return v as T;
}

export function optionalOneOf<T extends string>(name: string, v: unknown, allowed: readonly T[]): T | undefined {
  return v === undefined ? undefined : oneOf(name, v, allowed, allowed[0]!);
}

export function intAtLeast(name: string, v: unknown, min: number, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) return invalid(name, `an integer >= ${min}`, v);
  return v;
}

/** A probability per cycle in [0, 1) (the stall option). */
export function probability(name: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !(v >= 0 && v < 1)) return invalid(name, 'a number in [0, 1)', v);
  return v;
}

export function positiveNumber(name: string, v: unknown): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) return invalid(name, 'a positive number', v);
  return v;
}

export function text(name: string, v: unknown, required: true): string;
export function text(name: string, v: unknown, required?: false): string | undefined;
export function text(name: string, v: unknown, required = false): string | undefined {
  if (v === undefined && !required) return undefined;
  // an empty path is left to the output checks, which refuse it as the CLI does (BNN141)
  if (typeof v !== 'string') return invalid(name, 'a string (a path)', v);
  return v;
}

export function flag(name: string, v: unknown): boolean | undefined {
  if (v === undefined || typeof v === 'boolean') return v;
  return invalid(name, 'true or false', v);
}

/** The options object itself: undefined or an object. */
export function optionsObject<T extends object>(v: T | undefined): Partial<T> {
  if (v === undefined) return {};
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return invalid('options', 'an object', v);
  return v;
}

const mapped = (e: unknown): unknown => {
  if (e instanceof DiagnosticError || !isFsError(e)) return e;
  const d = uncaughtFsDiagnostic(e);
  return d ? new DiagnosticError(d) : e;
};

/** Run an API function: a filesystem error nobody mapped becomes DiagnosticError (BNN142). */
export function withDiagnostics<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw mapped(e);
  }
}

export async function withDiagnosticsAsync<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw mapped(e);
  }
}
