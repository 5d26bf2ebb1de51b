/**
 * What an output path is, which folders are never replaced, and the temporary siblings the writers
 * use (`.<name>.tmp-<pid>` while writing, `.<name>.old-<pid>` for the previous folder during the
 * swap), with the clean-up of those a killed run left behind. Rules: docs/output-folders.md.
 */
import { type Stats, lstatSync, mkdirSync, readdirSync, readlinkSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { DiagnosticError } from '../diagnostics/diagnostic.js';

/** BNN140 / BNN141 about the output `path`. */
export function refuse(code: 'BNN140' | 'BNN141', path: string, message: string, hint: string): never {
  throw new DiagnosticError({ code, pointer: '', message, hint, file: path });
}

export function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** "a file", "a folder", "a symbolic link to a folder", "a dangling symbolic link", "a character device", ... */
export function describeKind(path: string, st: Stats): string {
  if (st.isSymbolicLink()) {
    let to = '';
    try {
      to = ` to '${readlinkSync(path)}'`;
    } catch {
      // unreadable link: say no more
    }
    let target: Stats;
    try {
      target = statSync(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ELOOP') return `a symbolic link${to} in a loop of links`;
      return `a dangling symbolic link${to} (its target does not exist)`;
    }
    return `a symbolic link${to} (${describeKind(path, target)})`;
  }
  if (st.isDirectory()) return 'a folder';
  if (st.isFile()) return 'a file';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  return 'a special file';
}

/** `path` with every existing folder on it resolved (symbolic links followed), the last part kept as it is. */
function realParentPath(path: string): string {
  const abs = resolve(path);
  const parent = dirname(abs);
  if (parent === abs) return abs;
  try {
    return join(realpathSync(parent), basename(abs));
  } catch {
    return join(realParentPath(parent), basename(abs));
  }
}

const isSameOrAncestor = (a: string, b: string): boolean => a === b || b.startsWith(a.endsWith(sep) ? a : a + sep);

/** Why the folder `path` may never be replaced (even with --force), or null. */
export function protectedFolder(path: string): string | null {
  const p = realParentPath(path);
  if (p === dirname(p)) return 'the root folder';
  const real = (q: string) => {
    try {
      return realpathSync(q);
    } catch {
      return resolve(q);
    }
  };
  const cwd = real(process.cwd());
  if (p === cwd) return 'the current working folder';
  if (isSameOrAncestor(p, cwd)) return 'a parent of the current working folder';
  const home = real(homedir());
  if (p === home) return 'the home folder';
  if (isSameOrAncestor(p, home)) return 'a parent of the home folder';
  return null;
}

/**
 * mkdir -p with the umask's modes. Node's `recursive: true` loops forever where mkdir fails with
 * ENOENT under an existing folder (/proc), so the folders are made one by one from the top.
 */
export function mkdirs(path: string): void {
  const missing: string[] = [];
  for (let p = resolve(path); ; p = dirname(p)) {
    let st = lstatOrNull(p);
    if (st?.isSymbolicLink()) st = statSync(p); // a link to a folder is a folder here
    if (st) {
      if (!st.isDirectory()) mkdirSync(p); // fails with EEXIST, which names the file in the way
      break;
    }
    missing.push(p);
    if (p === dirname(p)) break;
  }
  for (const p of missing.reverse()) mkdirSync(p);
}

/** At most 200 bytes of `name`, cut at a character boundary, so that the temporary names stay legal. */
function prefix(name: string): string {
  let s = name;
  while (Buffer.byteLength(s) > 200) s = [...s].slice(0, -1).join('');
  return s;
}

export const tempSibling = (path: string, kind: 'tmp' | 'old', pid = process.pid): string =>
  join(dirname(path), `.${prefix(basename(path))}.${kind}-${pid}`);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Temporary siblings of `path` left by killed runs (their process no longer exists): a `.tmp-<pid>`
 * is removed; a `.old-<pid>` (the previous folder, renamed aside) is put back when `path` is missing
 * (the run died between the two renames) and removed otherwise. Best effort: failures are ignored.
 */
export function cleanStale(path: string): void {
  const dir = dirname(path);
  const p = prefix(basename(path));
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) {
    const m = n.startsWith(`.${p}.`) ? /^\.(tmp|old)-(\d+)$/.exec(n.slice(p.length + 1)) : null;
    if (!m || Number(m[2]) === process.pid || alive(Number(m[2]))) continue;
    const stale = join(dir, n);
    try {
      if (m[1] === 'old' && lstatOrNull(path) === null) renameSync(stale, path);
      else rmSync(stale, { recursive: true, force: true });
    } catch {
      // leave it
    }
  }
}
