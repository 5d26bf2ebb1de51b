/**
 * Locating and running external EDA tools (iverilog, vvp, verilator, yosys, ...).
 *
 * Tools are always started with `child_process.spawn` and an argument vector, never through a
 * shell, so file names with spaces or shell metacharacters are passed through unchanged.
 * Nothing here prints; callers decide what to report.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

export interface ToolResult {
  /** Exit code; -1 if the process was killed (timeout or signal). */
  code: number;
  stdout: string;
  stderr: string;
  /** True when the process was killed because `timeoutMs` elapsed. */
  timedOut?: boolean;
  /** Name of the signal that terminated the process, if any. */
  signal?: string;
}

export interface RunToolOptions {
  cwd?: string;
  /** Kill the process (SIGKILL) after this many milliseconds. No limit when omitted or <= 0. */
  timeoutMs?: number;
  /** the tool's environment (default: this process's) */
  env?: NodeJS.ProcessEnv;
}

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Absolute path of the executable `name`, searched in the directories of `PATH`, or null when it
 * cannot be found. A name containing a path separator is checked as given (relative to the current
 * directory) instead of being searched.
 */
export function toolPath(name: string): string | null {
  if (name.length === 0) return null;
  const exts =
    process.platform === 'win32'
      ? ['', ...(process.env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').filter((e) => e.length > 0)]
      : [''];
  if (name.includes('/') || (process.platform === 'win32' && name.includes('\\'))) {
    for (const ext of exts) {
      const candidate = path.resolve(name + ext);
      if (isExecutableFile(candidate)) return candidate;
    }
    return null;
  }
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter((d) => d.length > 0);
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = path.resolve(dir, name + ext);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return null;
}

/**
 * Run tool `name` with `args` and collect its output. Resolves with the exit code (also when it is
 * non-zero); rejects only when the tool cannot be found or started.
 */
export function runTool(name: string, args: string[], opts: RunToolOptions = {}): Promise<ToolResult> {
  const exe = toolPath(name);
  if (exe === null) {
    return Promise.reject(new Error(`tool not found: ${name} (not in PATH)`));
  }
  return new Promise<ToolResult>((resolve, reject) => {
    const child = spawn(exe, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      shell: false,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    if (opts.timeoutMs !== undefined && opts.timeoutMs > 0) {
      timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, opts.timeoutMs);
    }
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      reject(new Error(`failed to start ${name}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      const result: ToolResult = {
        code: code ?? -1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      };
      if (timedOut) {
        result.timedOut = true;
        result.stderr += `\n${name}: killed after ${opts.timeoutMs} ms timeout`;
      }
      if (signal !== null) result.signal = signal;
      resolve(result);
    });
  });
}
