/**
 * Diagnostics are data: a stable code, a message, a JSON pointer into the input, and a hint.
 * User errors travel as values (or as a DiagnosticError caught at the single CLI catch site);
 * only internal bugs throw anything else.
 */
export interface Diagnostic {
  code: string;
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
  /** exit code the CLI should use: 1 input error, 2 usage, 3 external tool failure */
  readonly exitCode: number;
  constructor(diagnostics: Diagnostic[] | Diagnostic, exitCode = 1) {
    const list = Array.isArray(diagnostics) ? diagnostics : [diagnostics];
    super(list.map((d) => `${d.code}: ${d.message}`).join('\n'));
    this.diagnostics = list;
    this.exitCode = exitCode;
  }
}

export function diag(code: string, pointer: string, message: string, hint?: string): Diagnostic {
  return hint === undefined ? { code, pointer, message } : { code, pointer, message, hint };
}

export function fail(code: string, pointer: string, message: string, hint?: string): never {
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
