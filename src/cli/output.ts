/** The only place that prints: plain text for people, JSON for scripts, diagnostics on stderr. */
import { type Diagnostic, formatDiagnostic } from '../diagnostics/diagnostic.js';

export const out = (s: string): void => {
  process.stdout.write(s.endsWith('\n') ? s : s + '\n');
};
export const err = (s: string): void => {
  process.stderr.write(s.endsWith('\n') ? s : s + '\n');
};
export const json = (v: unknown): void => out(JSON.stringify(v, null, 2));

export function printDiagnostics(ds: Diagnostic[], asJson: boolean): void {
  if (asJson) json({ diagnostics: ds });
  else for (const d of ds) err(formatDiagnostic(d));
}

/** Progress on stderr for long runs; silent when stderr is not a terminal or under --json. */
export function progress(enabled: boolean): (msg: string) => void {
  return enabled ? (msg) => err(`... ${msg}`) : () => {};
}

export { table } from '../util/table.js';
