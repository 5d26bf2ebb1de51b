/**
 * JSON parsing with precise diagnostics: malformed text is reported with line and column, and the
 * non-standard tokens NaN / Infinity / -Infinity (as written by Python's json module) are reported at
 * their JSON pointer instead of as a syntax error.
 */
import { fail, pointerJoin } from '../diagnostics/diagnostic.js';

const SENTINEL = '\u0000bnn-hw-nonfinite:';

function lineCol(text: string, pos: number): string {
  let line = 1;
  let col = 1;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      col = 1;
    } else col++;
  }
  return `line ${line}, column ${col}`;
}

/** Replace bare NaN/Infinity tokens outside strings by sentinel strings; returns null when none. */
function replaceNonFinite(text: string): string | null {
  let out = '';
  let last = 0;
  let inString = false;
  let found = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') {
      inString = true;
      continue;
    }
    for (const tok of ['-Infinity', 'Infinity', 'NaN']) {
      if (text.startsWith(tok, i)) {
        out += text.slice(last, i) + JSON.stringify(SENTINEL + tok);
        i += tok.length - 1;
        last = i + 1;
        found = true;
        break;
      }
    }
  }
  return found ? out + text.slice(last) : null;
}

function findSentinel(v: unknown, ptr: string): { ptr: string; tok: string } | null {
  if (typeof v === 'string') return v.startsWith(SENTINEL) ? { ptr, tok: v.slice(SENTINEL.length) } : null;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const f = findSentinel(v[i], ptr + '/' + i);
      if (f) return f;
    }
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      const f = findSentinel(x, pointerJoin(ptr, k));
      if (f) return f;
    }
  }
  return null;
}

/** The first non-finite number (e.g. 1e999 parsed to Infinity) in a parsed document, as a pointer. */
export function findNonFinite(v: unknown, ptr = ''): string | null {
  if (typeof v === 'number') return Number.isFinite(v) ? null : ptr;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (typeof x === 'number') {
        if (!Number.isFinite(x)) return ptr + '/' + i;
      } else if (x !== null && typeof x === 'object') {
        const f = findNonFinite(x, ptr + '/' + i);
        if (f !== null) return f;
      }
    }
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      const f = findNonFinite(x, pointerJoin(ptr, k));
      if (f !== null) return f;
    }
  }
  return null;
}

export function parseJson(text: string, what: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const replaced = replaceNonFinite(text);
    if (replaced !== null) {
      try {
        const f = findSentinel(JSON.parse(replaced), '');
        if (f) fail('BNN020', f.ptr, `${what}: ${f.tok} is not a finite number`, 'every number must be finite; replace NaN/Infinity');
      } catch (inner) {
        if (!(inner instanceof SyntaxError)) throw inner;
      }
    }
    const msg = e instanceof Error ? e.message : String(e);
    const m = /position (\d+)/.exec(msg);
    const reason = text.trim() === '' ? 'the file is empty' : msg.replace(/, ".*" is not valid JSON$/s, '').replace(/ in JSON at position \d+.*$/s, '');
    const where = m ? ` (${lineCol(text, Number(m[1]))})` : '';
    return fail('BNN001', '', `${what} is not valid JSON: ${reason}${where}`, 'check for a missing comma, bracket or quote near that place');
  }
  const nf = findNonFinite(value);
  if (nf !== null) fail('BNN020', nf, `${what}: number out of range (not finite)`, 'every number must be a finite float64');
  return value;
}
