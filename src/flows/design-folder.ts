/**
 * Reading a design folder written by `bnn-hw generate` for `bnn-hw synth`: manifest.json,
 * flows/sources.f and flows/estimate.json. The folder may be damaged, from another bnn-hw version
 * or hand-edited by someone else, and its names and paths go into a Yosys script, where `;` starts
 * a new command (`exec` runs a shell command). So everything is checked before it is used: the JSON
 * with the tool's strict reader (BNN001 / BNN003 / BNN004), the manifest's format tag and structure,
 * every module and instance name a plain Verilog identifier, every source a design file the
 * manifest lists (relative, no `..`, no spaces or script syntax). Anything else is BNN225 (no
 * manifest at all, or no sources.f: BNN130).
 */
import { lstatSync } from 'node:fs';
import { readInputText } from '../util/input-file.js';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { DiagnosticError, describeValue, diag, fail, pointerJoin, type DiagCode } from '../diagnostics/diagnostic.js';
import { parseJson } from '../frontend/json.js';
import type { PlanEstimate } from '../estimate/estimate.js';
import { noteInput } from '../util/inputs-read.js';

const MANIFEST_FORMAT = 'bnn-hw/manifest@1';
const REGENERATE = 'regenerate the design with `bnn-hw generate MODEL -o DIR` (this bnn-hw reads the designs it writes)';
/** bigger files are not a design's: refuse before reading them */
const MAX_BYTES = 64 << 20;

/** A Verilog simple identifier without `$` (what bnn-hw generates): safe in a Yosys script. */
const ident = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'a plain Verilog identifier (letters, digits, _)');
const width = z.number().int().min(1).max(1 << 16);

const Manifest = z.object({
  format: z.string(),
  name: ident,
  top: ident,
  input: z.object({ tdataWidth: width }),
  output: z.object({ tdataWidth: width }),
  layers: z.array(z.object({
    name: z.string(),
    kind: z.string(),
    module: ident,
    blocks: z.array(z.object({ kind: z.string(), module: ident, inst: ident, hierarchy: z.boolean() })),
  })).min(1),
  files: z.array(z.string()),
});
export type DesignManifest = z.infer<typeof Manifest>;

const counts = { lut: z.number(), ff: z.number(), bram18: z.number(), ebr: z.number(), dsp: z.number(), lutram: z.number() };
const PlanEstimateFile = z.object({
  layers: z.array(z.object({ module: z.string(), ...counts, blocks: z.array(z.object({ kind: z.string(), ...counts })) })),
  total: z.object(counts),
});
const EstimateFile = z.object({ xilinx: PlanEstimateFile.optional(), ice40: PlanEstimateFile.optional() });

/** A design file path as generate writes them (rtl/x.v, mem/y.hex): no spaces, quotes, `;`, `..` or absolute paths. */
const safeSource = (p: string): boolean => /^[A-Za-z0-9_][A-Za-z0-9_.\/-]*$/.test(p) && !p.split('/').includes('..');

function bad(code: DiagCode, file: string, pointer: string, message: string, hint = REGENERATE): never {
  throw new DiagnosticError({ ...diag(code, pointer, message, hint), file });
}

/** The text of a file of the design folder, or null when it does not exist; BNN225 when it is not a readable regular file. */
function readDesignFile(dirArg: string, dir: string, rel: string): string | null {
  const path = join(dir, rel);
  let st;
  try {
    st = lstatSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    return bad('BNN225', path, '', `cannot read ${rel} of the design '${dirArg}' (${code ?? 'error'})`, 'check the folder\'s permissions');
  }
  if (!st.isFile()) bad('BNN225', path, '', `${rel} of the design '${dirArg}' is not a regular file`, REGENERATE);
  if (st.size > MAX_BYTES) bad('BNN225', path, '', `${rel} of the design '${dirArg}' has ${st.size} bytes, more than a design's ${MAX_BYTES}`, REGENERATE);
  // the checks above name the design; the reader repeats them on the opened file (it could have been swapped since)
  return readInputText(path, 'design');
}

function parseIn(path: string, text: string, what: string): unknown {
  try {
    return parseJson(text, what);
  } catch (e) {
    if (e instanceof DiagnosticError) for (const d of e.diagnostics) d.file ??= path;
    throw e;
  }
}

function expected(iss: z.core.$ZodIssue): string {
  if (iss.code === 'invalid_type') return `${/^[aeiou]/.test(iss.expected) ? 'an' : 'a'} ${iss.expected}`;
  if (iss.code === 'too_small') return iss.origin === 'array' ? `at least ${String(iss.minimum)} entries` : `a number >= ${String(iss.minimum)}`;
  if (iss.code === 'too_big') return iss.origin === 'array' ? `at most ${String(iss.maximum)} entries` : `a number <= ${String(iss.maximum)}`;
  return iss.message;
}

function firstIssue(path: string, issues: z.core.$ZodIssue[], value: unknown, what: string): never {
  const iss = issues[0]!;
  const ptr = pointerJoin('', ...(iss.path as (string | number)[]));
  let at: unknown = value;
  for (const k of iss.path) at = at !== null && typeof at === 'object' ? (at as Record<PropertyKey, unknown>)[k] : undefined;
  const found = at === undefined ? 'nothing (missing)' : describeValue(at);
  return bad('BNN225', path, ptr, `${what} at '${ptr || '/'}': expected ${expected(iss)}, found ${found}`);
}

/** The manifest and the Yosys sources of the design folder `dirArg` (checked as the module comment says). */
export function readDesignFolder(dirArg: string): { dir: string; manifest: DesignManifest; sources: string[] } {
  const dir = resolve(dirArg);
  noteInput(dir); // the work folder may not be the design folder or hold it
  const mpath = join(dir, 'manifest.json');
  const text = readDesignFile(dirArg, dir, 'manifest.json');
  if (text === null) fail('BNN130', '', `'${dirArg}' is not a generated design (no manifest.json)`, 'run `bnn-hw generate model.json -o DIR` first');
  const raw = parseIn(mpath, text, 'the design\'s manifest.json');
  const format = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as { format?: unknown }).format : undefined;
  if (format !== MANIFEST_FORMAT) {
    const found = format === undefined ? 'no "format"' : `the format ${describeValue(format)}`;
    bad('BNN225', mpath, '/format', `'${dirArg}' has a manifest.json with ${found}: expected "${MANIFEST_FORMAT}" (a design written by this version of bnn-hw)`);
  }
  const m = Manifest.safeParse(raw);
  if (!m.success) firstIssue(mpath, m.error.issues, raw, 'the design\'s manifest.json');
  const listed = new Set(m.data.files);
  const sf = 'flows/sources.f';
  const sourcesText = readDesignFile(dirArg, dir, sf);
  const sources = (sourcesText ?? '').split('\n').map((s) => s.trim()).filter(Boolean);
  if (sources.length === 0) fail('BNN130', '', `'${dirArg}' has no flows/sources.f`, 'regenerate the design with `bnn-hw generate`');
  sources.forEach((s, i) => {
    if (!safeSource(s) || !listed.has(s)) {
      bad('BNN225', join(dir, sf), '', `line ${i + 1} of ${sf} names ${JSON.stringify(s.slice(0, 80))}: expected a file of the design that manifest.json lists (a relative path of letters, digits, _ . - /)`);
    }
  });
  return { dir, manifest: m.data, sources };
}

/** flows/estimate.json of the design (written by generate) for `arch`, or null when there is none. */
export function readDesignEstimate(dir: string, arch: string): PlanEstimate | null {
  const path = join(dir, 'flows', 'estimate.json');
  const text = readDesignFile(dir, dir, 'flows/estimate.json');
  if (text === null) return null;
  const raw = parseIn(path, text, 'the design\'s flows/estimate.json');
  const e = EstimateFile.safeParse(raw);
  if (!e.success) firstIssue(path, e.error.issues, raw, 'the design\'s flows/estimate.json');
  // checked above are the fields synth reads; the rest is the estimate as generate wrote it
  const all = raw as Record<string, PlanEstimate | undefined>;
  return (arch === 'xilinx' || arch === 'ice40') && e.data[arch] ? (all[arch] ?? null) : null;
}
