/**
 * File outputs (`import -o`, `schema -o`, `estimate --pareto`, `simulate --vcd`). A new file or an
 * existing regular file (also through a symbolic link: the link's target is replaced) is written
 * into a temporary sibling `.<name>.tmp-<pid>` that is renamed over it when complete. A character
 * device or a named pipe (`/dev/stdout`, `/dev/null`) is written to directly, never replaced.
 * Anything else (a folder, a dangling link, a block device, a socket) is refused with BNN141; the
 * parent folder must exist, as for a shell redirection. Rules: docs/output-folders.md.
 */
import { closeSync, fchmodSync, openSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fsFail, isFsError, mapFsErrors } from './fs-errors.js';
import { cleanStale, describeKind, lstatOrNull, refuse, tempSibling } from './output-paths.js';
import { inputUnder } from './inputs-read.js';

interface FileTarget {
  /** the path as given, made absolute */
  path: string;
  /** 'device': written to directly */
  kind: 'new' | 'file' | 'device';
  /** the file that is replaced (the target of a symbolic link) */
  dest: string;
  /** the mode of the file that is replaced */
  mode: number | null;
}

/** Check that `file` can be written as an output; throws BNN141 / BNN142 otherwise. */
export function checkFileOutput(file: string): FileTarget {
  const path = resolve(file);
  const never = (what: string, hint = 'give the path of a file') =>
    refuse('BNN141', path, `cannot write the output file '${path}': it is ${what}`, hint);
  return mapFsErrors(path, (): FileTarget => {
    const lst = lstatOrNull(path);
    if (!lst) {
      try {
        statSync(dirname(path)); // the folder must exist: ENOENT names it
      } catch (e) {
        if (isFsError(e)) e.path = path;
        throw e;
      }
      return { path, kind: 'new', dest: path, mode: null };
    }
    let st = lst;
    if (lst.isSymbolicLink()) {
      try {
        st = statSync(path);
      } catch {
        never(describeKind(path, lst), 'give the path of a file; a dangling link is not followed');
      }
    }
    if (st.isFile()) {
      const input = inputUnder(path);
      if (input) never(`the file '${input}', an input of this command`, 'write the output to another file; the input would be lost');
      return { path, kind: 'file', dest: lst.isSymbolicLink() ? realpathSync(path) : path, mode: st.mode & 0o7777 };
    }
    if (st.isCharacterDevice() || st.isFIFO()) return { path, kind: 'device', dest: path, mode: null };
    return never(describeKind(path, lst), st.isDirectory() ? 'give the path of a file, for example a new name inside this folder' : 'give the path of a regular file');
  }, 'write the output file');
}

/** An output file being written: `write` appends, `commit` puts it in place, `abort` removes it. */
export interface FileSink {
  readonly path: string;
  write(data: string | Uint8Array): void;
  commit(): void;
  abort(): void;
}

export function openFileOutput(file: string): FileSink {
  const t = checkFileOutput(file);
  const tmp = t.kind === 'device' ? null : tempSibling(t.dest, 'tmp');
  let fd: number | null = null;
  const fail = (e: unknown): never => {
    abort();
    return fsFail(e, t.path, 'write the output file');
  };
  const close = () => {
    if (fd !== null) closeSync(fd);
    fd = null;
  };
  function abort(): void {
    try {
      close();
    } catch {
      // closing after a failed write: nothing more to do
    }
    if (tmp) rmSync(tmp, { force: true, recursive: true });
  }
  try {
    if (tmp) {
      cleanStale(t.dest);
      rmSync(tmp, { force: true, recursive: true });
      fd = openSync(tmp, 'wx'); // mode 0666 minus the umask
      if (t.mode !== null) fchmodSync(fd, t.mode);
    } else fd = openSync(t.path, 'w');
  } catch (e) {
    fail(e);
  }
  return {
    path: t.path,
    write(data) {
      try {
        const buf = typeof data === 'string' ? Buffer.from(data) : data;
        for (let off = 0; off < buf.length; ) off += writeSync(fd!, buf, off);
      } catch (e) {
        fail(e);
      }
    },
    commit() {
      try {
        close();
        if (tmp) renameSync(tmp, t.dest);
      } catch (e) {
        fail(e);
      }
    },
    abort,
  };
}

/** Write a whole output file (see the module comment). */
export function writeFileOutput(file: string, data: string | Uint8Array): void {
  const sink = openFileOutput(file);
  sink.write(data);
  sink.commit();
}
