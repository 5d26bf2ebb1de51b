/**
 * Filesystem errors as diagnostics: the one place that turns a Node error code (ENOENT, EACCES, ...)
 * into words. Every output writer and the CLI's catch site use it, so a filesystem problem is an
 * input error (exit 1) naming the path, never an internal error.
 */
import { lstatSync } from 'node:fs';
import { dirname } from 'node:path';
import { DiagnosticError, type Diagnostic } from '../diagnostics/diagnostic.js';

/** A Node filesystem error: it has an errno code, the system call and (usually) the path. */
export interface FsError extends Error {
  code: string;
  syscall: string;
  path?: string;
  dest?: string;
}

export function isFsError(e: unknown): e is FsError {
  if (!(e instanceof Error)) return false;
  const x = e as Partial<FsError>;
  return typeof x.code === 'string' && /^E[A-Z0-9]+$/.test(x.code) && typeof x.syscall === 'string';
}

const REASONS: Record<string, [reason: string, hint: string]> = {
  ENOENT: ['a folder on the path does not exist', 'create the folder first or choose another path'],
  ENOTDIR: ['a part of the path is not a folder', 'choose a path whose parent folders are folders'],
  EEXIST: ['something is already there', 'choose another path'],
  EISDIR: ['it is a folder', 'give a file name'],
  ENOTEMPTY: ['the folder is not empty', 'choose another path'],
  EACCES: ['permission denied', 'choose a path you can write to'],
  EPERM: ['the operation is not permitted', 'choose a path you can write to'],
  EROFS: ['the file system is read-only', 'choose a path on a writable file system'],
  ENOSPC: ['no space left on the device', 'free some space or choose another file system'],
  EDQUOT: ['the disk quota is exceeded', 'free some space or choose another file system'],
  EFBIG: ['the file is too large for the file system', 'choose another file system'],
  ENAMETOOLONG: ['the name is too long', 'choose a shorter path'],
  ELOOP: ['too many levels of symbolic links', 'choose a path without a symbolic link loop'],
  EMFILE: ['too many open files', 'close other programs or raise the limit (ulimit -n)'],
  ENFILE: ['too many open files in the system', 'close other programs'],
  EIO: ['an input/output error occurred', 'check the device'],
  EBUSY: ['it is busy or a mount point', 'choose another path'],
  EXDEV: ['it is on another file system than its folder (a mount point)', 'choose another path'],
  EINVAL: ['the operation is not valid there (a special file system such as /proc or /sys?)', 'choose a path on an ordinary file system'],
  ENXIO: ['it is a special file that cannot be opened for writing (a socket?)', 'choose a regular file'],
  ETXTBSY: ['the file is a running program', 'choose another path'],
  EAGAIN: ['the resource is temporarily unavailable', 'try again'],
};

export function fsReason(code: string): string {
  return REASONS[code]?.[0] ?? 'a filesystem error occurred';
}

/** `path` or its first ancestor that exists and is not a folder (why a mkdir or open under it fails). */
function blockingFile(path: string): string | null {
  for (let p = path; p !== dirname(p); p = dirname(p)) {
    try {
      return lstatSync(p).isDirectory() ? null : p;
    } catch {
      // not there: look further up
    }
  }
  return null;
}

/** The highest missing folder on the way to `path` (its parent exists). */
function missingFolder(path: string): string | null {
  let missing: string | null = null;
  for (let p = dirname(path); p !== dirname(p); p = dirname(p)) {
    try {
      lstatSync(p);
      return missing;
    } catch {
      missing = p;
    }
  }
  return missing;
}

const VERBS: Record<string, string> = { open: 'open', mkdir: 'create', rename: 'rename', write: 'write', read: 'read', scandir: 'list', unlink: 'remove', rmdir: 'remove', rm: 'remove', lstat: 'examine', stat: 'examine', chmod: 'change the mode of' };

/** What a system call did, as a verb for "cannot ... 'path'". */
export const syscallVerb = (syscall: string): string => VERBS[syscall] ?? 'access';

/** BNN142: a filesystem error while writing `target` (the output the user named). */
export function fsDiagnostic(e: FsError, target: string, what = 'write'): Diagnostic {
  const at = e.path ?? target;
  let reason = fsReason(e.code);
  let hint = REASONS[e.code]?.[1] ?? 'check the path';
  if (e.code === 'ENOTDIR' || (e.code === 'EEXIST' && e.syscall === 'mkdir')) {
    const f = blockingFile(at);
    if (f) reason = `'${f}' is a file, not a folder`;
  } else if (e.code === 'ENOENT') {
    const m = missingFolder(at);
    if (m) reason = `the folder '${m}' does not exist`;
    else [reason, hint] = ['it cannot be created there (a special file system such as /proc?)', 'choose a path on an ordinary file system'];
  }
  const detail = at === target ? `${e.code}` : `${e.code} on '${at}'`;
  return { code: 'BNN142', pointer: '', message: `cannot ${what} '${target}': ${reason} (${detail})`, hint, file: target };
}

/**
 * The CLI's safety net for a filesystem error no caller mapped: with a path, BNN142 about that path;
 * without one (a read of a folder gives EISDIR without a path), BNN142 for the errors the
 * environment causes (those in the table above); null for the rest (EBADF, ...: a bug).
 */
export function uncaughtFsDiagnostic(e: FsError): Diagnostic | null {
  if (typeof e.path === 'string') return fsDiagnostic(e, e.path, syscallVerb(e.syscall));
  if (!REASONS[e.code]) return null;
  return { code: 'BNN142', pointer: '', message: `cannot ${syscallVerb(e.syscall)} a file: ${fsReason(e.code)} (${e.code})`, hint: REASONS[e.code]![1] };
}

export function fsFail(e: unknown, target: string, what = 'write'): never {
  if (isFsError(e)) throw new DiagnosticError(fsDiagnostic(e, target, what));
  throw e;
}

/** Run `f`; a filesystem error becomes BNN142 about `target`. */
export function mapFsErrors<T>(target: string, f: () => T, what = 'write'): T {
  try {
    return f();
  } catch (e) {
    return fsFail(e, target, what);
  }
}
