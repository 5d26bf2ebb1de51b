/**
 * Clean-up on SIGINT, SIGTERM and SIGHUP. While a clean-up is registered (a temporary output folder
 * exists), these signals are caught: the clean-ups run, a note goes to stderr and the process exits
 * with 128 + the signal number (130, 143, 129). With nothing registered Node's default applies and
 * the process ends at once, which is right when there is nothing to undo and keeps Ctrl-C instant
 * during long computations. A caught signal is handled between synchronous steps only, so the
 * writers yield to the event loop between files (see output-dir.ts).
 */
import { diag, formatDiagnostic } from '../diagnostics/diagnostic.js';

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };
const cleanups = new Set<() => void>();

function onSignal(sig: NodeJS.Signals): void {
  for (const f of [...cleanups].reverse()) {
    try {
      f();
    } catch {
      // best effort: the next run removes stale temporary files of dead processes
    }
  }
  cleanups.clear();
  const d = diag('BNN143', '', `interrupted by ${sig}: the unfinished output was removed, nothing else was changed`);
  // printed here, not at the CLI's catch site: the process ends before control returns there
  if (process.argv.includes('--json')) process.stdout.write(JSON.stringify({ diagnostics: [d] }, null, 2) + '\n');
  else process.stderr.write(formatDiagnostic(d) + '\n');
  process.exit(128 + (SIGNALS[sig] ?? 0));
}

/** Run `f` if the process is interrupted before the returned function is called. */
export function onInterrupt(f: () => void): () => void {
  if (cleanups.size === 0) for (const s of Object.keys(SIGNALS)) process.on(s, onSignal);
  cleanups.add(f);
  return () => {
    if (!cleanups.delete(f)) return;
    if (cleanups.size === 0) for (const s of Object.keys(SIGNALS)) process.off(s, onSignal);
  };
}
