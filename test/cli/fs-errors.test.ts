/**
 * Filesystem errors as diagnostics (the errno table in src/util/fs-errors.ts) and the writers'
 * behaviour when a write fails half-way: BNN142 naming the output, no temporary left, the previous
 * output untouched. Errors a root user cannot provoke (EACCES) or that need a full or read-only
 * disk (ENOSPC, EROFS) are checked on the mapping itself.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiagnosticError } from '../../src/diagnostics/diagnostic.js';
import { fsDiagnostic, uncaughtFsDiagnostic, type FsError } from '../../src/util/fs-errors.js';
import { writeOutputDir } from '../../src/util/output-dir.js';
import { writeFileOutput } from '../../src/util/output-file.js';

let dir = '';
afterEach(() => {
  if (dir) {
    chmodSync(dir, 0o755);
    rmSync(dir, { recursive: true, force: true });
  }
  dir = '';
});
const scratch = () => (dir = mkdtempSync(join(tmpdir(), 'bnn-hw-fserr-')));

const err = (code: string, syscall: string, path?: string): FsError =>
  Object.assign(new Error(`${code}: ${syscall}`), { code, syscall, ...(path !== undefined ? { path } : {}) }) as FsError;

async function diagnosticOf(p: Promise<unknown> | (() => unknown)): Promise<DiagnosticError> {
  try {
    if (typeof p === 'function') p();
    else await p;
  } catch (e) {
    expect(e).toBeInstanceOf(DiagnosticError);
    return e as DiagnosticError;
  }
  throw new Error('expected a diagnostic');
}

describe('errno -> message', () => {
  it.each([
    ['ENOSPC', 'no space left on the device'],
    ['EROFS', 'the file system is read-only'],
    ['EACCES', 'permission denied'],
    ['ENAMETOOLONG', 'the name is too long'],
    ['ELOOP', 'too many levels of symbolic links'],
    ['EDQUOT', 'the disk quota is exceeded'],
  ])('%s: BNN142 with the path, the reason and the code', (code, reason) => {
    const d = fsDiagnostic(err(code, 'open', '/data/out/model.json'), '/data/out/model.json');
    expect(d.code).toBe('BNN142');
    expect(d.message).toBe(`cannot write '/data/out/model.json': ${reason} (${code})`);
    expect(d.hint).toBeTruthy();
  });

  it('names the temporary path when the error happened there', () => {
    const d = fsDiagnostic(err('ENOSPC', 'write', '/data/.out.tmp-12'), '/data/out');
    expect(d.message).toBe("cannot write '/data/out': no space left on the device (ENOSPC on '/data/.out.tmp-12')");
  });

  it('the safety net: a path-less error the environment causes is BNN142; an unknown one stays a bug', () => {
    expect(uncaughtFsDiagnostic(err('EISDIR', 'read'))?.message).toBe('cannot read a file: it is a folder (EISDIR)');
    expect(uncaughtFsDiagnostic(err('EBADF', 'read'))).toBe(null);
    expect(uncaughtFsDiagnostic(err('EBADF', 'read', '/x'))?.code).toBe('BNN142');
  });
});

describe('a write that fails half-way', () => {
  it('folder output: BNN142, no temporary folder, the previous output untouched', async () => {
    const d = scratch();
    const out = join(d, 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'manifest.json'), JSON.stringify({ format: 'bnn-hw/manifest@1', generator: 'bnn-hw 0.1.0' }));
    // 'rtl' is written as a file, then 'rtl/x.v' needs it to be a folder: ENOTDIR / EEXIST inside the temporary folder
    const files = new Map([['rtl', 'a file'], ['rtl/x.v', 'module x; endmodule\n']]);
    const e = await diagnosticOf(writeOutputDir(out, files));
    expect(e.diagnostics[0]!.code).toBe('BNN142');
    expect(e.diagnostics[0]!.message).toContain(`cannot write the output folder '${out}'`);
    expect(readdirSync(d)).toEqual(['out']);
    expect(readdirSync(out)).toEqual(['manifest.json']);
  });

  it.skipIf(process.getuid?.() === 0)('permission denied (not as root): BNN142 EACCES, nothing left', async () => {
    const d = scratch();
    const ro = join(d, 'ro');
    mkdirSync(ro);
    chmodSync(ro, 0o555);
    const e = await diagnosticOf(writeOutputDir(join(ro, 'out'), new Map([['a.v', 'x']])));
    expect(e.diagnostics[0]!.message).toContain('permission denied (EACCES');
    const f = await diagnosticOf(() => writeFileOutput(join(ro, 'x.json'), '{}'));
    expect(f.diagnostics[0]!.message).toContain('permission denied (EACCES');
    chmodSync(ro, 0o755);
    expect(readdirSync(ro)).toEqual([]);
  });

  it('file output over a folder: BNN141, the folder untouched, no temporary file', async () => {
    const d = scratch();
    mkdirSync(join(d, 'x.json'));
    writeFileSync(join(d, 'x.json', 'keep'), 'k');
    const e = await diagnosticOf(() => writeFileOutput(join(d, 'x.json'), '{}'));
    expect(e.diagnostics[0]!.code).toBe('BNN141');
    expect(readdirSync(d)).toEqual(['x.json']);
    expect(readFileSync(join(d, 'x.json', 'keep'), 'utf8')).toBe('k');
  });
});
