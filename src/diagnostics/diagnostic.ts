/**
 * Diagnostics are data: a stable code, a message, a JSON pointer into the input, and a hint.
 * User errors travel as values (or as a DiagnosticError caught at the single CLI catch site);
 * only internal bugs throw anything else. Codes, their exit class and documentation live in the
 * catalog (catalog.ts).
 */
import { CATALOG, EXIT_CODES, type DiagCode } from './catalog.js';

export type { DiagCode } from './catalog.js';

export interface Diagnostic {
  code: DiagCode;
  message: string;
  /** RFC 6901 JSON pointer into the model (or input) file; '' is the whole document. */
  pointer: string;
  hint?: string;
  notes?: string[];
  /** file the pointer refers to, when known */
  file?: string;
}

/** Thrown to abort a pass with one or more user-facing diagnostics. */
export class DiagnosticError extends Error {
  readonly diagnostics: Diagnostic[];
  /** exit code the CLI should use (1 input error, 2 usage, 3 external tool failure): the catalog's
   * exit class of the first diagnostic */
  readonly exitCode: number;
  constructor(diagnostics: Diagnostic[] | Diagnostic) {
    const list = Array.isArray(diagnostics) ? diagnostics : [diagnostics];
    super(list.map((d) => `${d.code}: ${d.message}`).join('\n'));
    this.diagnostics = list;
    this.exitCode = Math.max(1, EXIT_CODES[CATALOG[list[0]!.code].exit]);
  }
}

export function diag(code: DiagCode, pointer: string, message: string, hint?: string): Diagnostic {
  return hint === undefined ? { code, pointer, message } : { code, pointer, message, hint };
}

export function fail(code: DiagCode, pointer: string, message: string, hint?: string): never {
  throw new DiagnosticError(diag(code, pointer, message, hint));
}

/** Escape one reference token per RFC 6901. */
export function pointerToken(t: string | number): string {
  return String(t).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function pointerJoin(base: string, ...tokens: (string | number)[]): string {
  return base + tokens.map((t) => '/' + pointerToken(t)).join('');
}

/** Human-readable rendering used by the CLI (one block per diagnostic). */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.pointer === '' ? '(document)' : d.pointer;
  const lines = [`error[${d.code}]: ${d.message}`, `  at ${d.file ? d.file + ' ' : ''}${where}`];
  for (const n of d.notes ?? []) lines.push(`  note: ${n}`);
  if (d.hint) lines.push(`  hint: ${d.hint}`);
  return lines.join('\n');
}

/**
 * A short rendering of a value found in the input, for "expected ..., found ..." messages: small
 * values verbatim (NaN and Infinity included), large ones by kind and size.
 */
export function describeValue(v: unknown, limit = 40): string {
  if (v === undefined) return 'nothing';
  const text = shortText(v, limit + 1);
  if (text.length <= limit) return text;
  if (typeof v === 'string') return `a string of ${v.length} characters`;
  if (Array.isArray(v)) return `an array of ${v.length} items`;
  return 'an object';
}

function shortText(v: unknown, budget: number): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || typeof v !== 'object') return String(v);
  let s = '';
  const entries: [string | null, unknown][] = Array.isArray(v) ? v.map((x) => [null, x]) : Object.entries(v);
  for (const [k, x] of entries) {
    if (s.length > budget) break;
    s += (s ? ', ' : '') + (k === null ? '' : `${JSON.stringify(k)}: `) + shortText(x, budget - s.length);
  }
  return Array.isArray(v) ? `[${s}]` : `{${s}}`;
}
