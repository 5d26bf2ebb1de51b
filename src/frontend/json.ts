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

interface SyntaxProblem {
  pos: number;
  expected: string;
  ptr: string;
  hint?: string;
  /** what was found, when not simply the text at pos */
  found?: string;
}

const VALUE = 'a value (object, array, string, number, true, false or null)';
const MAX_SCAN_DEPTH = 4096;

/** What stands at position i, for "found ..." (a whole word when it is one, e.g. NaN or True). */
function foundAt(text: string, i: number): string {
  if (i >= text.length) return 'the end of the file';
  const word = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(text.slice(i, i + 40));
  if (word) return `'${word[0]}'`;
  const cp = text.codePointAt(i)!;
  if (cp === 10 || cp === 13) return 'a line break';
  if (cp < 0x20) return `the control character U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return cp === 39 ? `"'"` : `'${String.fromCodePoint(cp)}'`;
}

/**
 * Locate the first syntax error of a text JSON.parse rejected and say what was expected there, in
 * stable words (V8's own messages differ between Node versions) and with the JSON pointer of the
 * value being read.
 */
export function findSyntaxError(text: string): SyntaxProblem | null {
  const n = text.length;
  let i = 0;
  class Stop {
    constructor(readonly p: SyntaxProblem) {}
  }
  const stop = (pos: number, expected: string, ptr: string, hint?: string, found?: string): never => {
    const p: SyntaxProblem = { pos, expected, ptr };
    if (hint !== undefined) p.hint = hint;
    if (found !== undefined) p.found = found;
    throw new Stop(p);
  };
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const digits = (ptr: string, what: string) => {
    const s = i;
    while (i < n && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
    if (i === s) stop(i, what, ptr);
  };
  const str = (ptr: string): string => {
    const s = ++i;
    for (;;) {
      if (i >= n) stop(i, "a closing '\"'", ptr, 'the string is not closed: a quote is missing');
      const c = text.charCodeAt(i);
      if (c === 34) break;
      if (c === 92) {
        const e = text[i + 1];
        if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else if (e === 'u' && /^[0-9A-Fa-f]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else stop(i, 'an escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)', ptr, 'write a backslash inside a string as \\\\', `'${text.slice(i, i + (e === 'u' ? 6 : 2))}'`);
      } else if (c < 0x20) stop(i, "a closing '\"'", ptr, 'strings cannot span lines or hold control characters; write a line break as \\n');
      else i++;
    }
    i++;
    return text.slice(s, i - 1);
  };
  const value = (ptr: string, depth: number): void => {
    if (depth > MAX_SCAN_DEPTH) stop(i, `at most ${MAX_SCAN_DEPTH} levels of nesting`, ptr);
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') stop(i, 'a double-quoted property name', ptr, nameHint(text, i));
        let key = str(ptr);
        try {
          key = JSON.parse(`"${key}"`) as string;
        } catch {
          /* already checked */
        }
        ws();
        if (text[i] !== ':') stop(i, `':' after the property name "${key}"`, pointerJoin(ptr, key));
        i++;
        value(pointerJoin(ptr, key), depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          ws();
          if (text[i] === '}') stop(i, 'a double-quoted property name', ptr, 'remove the comma before the closing brace: JSON allows no trailing commas');
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        const afterString = i < n && /[A-Za-z_$]/.test(text[i]!);
        stop(i, "',' or '}' after the property value", ptr, text[i] === '"' ? 'a comma is missing between two properties' : afterString ? 'a quote may be missing: a string before this place seems to end too early' : closeHint(text, i));
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (let k = 0; ; k++) {
        value(ptr + '/' + k, depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          ws();
          if (text[i] === ']') stop(i, VALUE, ptr, 'remove the comma before the closing bracket: JSON allows no trailing commas');
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        stop(i, "',' or ']' after the array element", ptr, i < n && /[-0-9"[{tfn]/.test(text[i]!) ? 'a comma is missing between two elements' : closeHint(text, i));
      }
    }
    if (c === '"') {
      str(ptr);
      return;
    }
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      if (c === '-') i++;
      if (text[i] === '0') i++;
      else digits(ptr, "a digit");
      if (text[i] === '.') {
        i++;
        digits(ptr, "a digit after the decimal point");
      }
      if (text[i] === 'e' || text[i] === 'E') {
        i++;
        if (text[i] === '+' || text[i] === '-') i++;
        digits(ptr, 'a digit in the exponent');
      }
      return;
    }
    for (const lit of ['true', 'false', 'null']) {
      if (text.startsWith(lit, i)) {
        i += lit.length;
        return;
      }
    }
    stop(i, VALUE, ptr, valueHint(text, i));
  };
  try {
    value('', 0);
    ws();
    if (i < n) stop(i, 'the end of the file after the JSON value', '', 'the file holds more than one JSON value, or a bracket or brace closes too early');
  } catch (e) {
    if (e instanceof Stop) return e.p;
    throw e;
  }
  return null;
}

const EOF_HINT = 'the file ends too early: it may be truncated, or a closing bracket, brace or quote is missing';

function closeHint(text: string, i: number): string {
  return i >= text.length ? EOF_HINT : 'check for a missing comma, bracket or brace just before that place';
}

function nameHint(text: string, i: number): string {
  const c = text[i];
  if (i >= text.length) return EOF_HINT;
  if (c === "'") return 'JSON property names and strings use double quotes';
  if (c === '/') return 'JSON has no comments; remove them';
  if (c !== undefined && /[A-Za-z_$]/.test(c)) return 'put the property name in double quotes';
  return 'check for a missing comma, bracket or quote just before that place';
}

function valueHint(text: string, i: number): string {
  if (i >= text.length) return EOF_HINT;
  const word = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(text.slice(i, i + 40))?.[0];
  if (word === 'NaN' || word === 'Infinity') return 'NaN and Infinity are not JSON; write a finite number';
  if (word === 'True' || word === 'False' || word === 'None' || word === 'TRUE' || word === 'FALSE') return 'the JSON literals are true, false and null, in lower case';
  if (word !== undefined) return 'strings need double quotes';
  const c = text[i];
  if (c === "'") return 'JSON strings use double quotes';
  if (c === '/') return 'JSON has no comments; remove them';
  if (c === '+' || c === '.') return 'JSON numbers start with a digit or a minus sign (write 0.5, not .5 or +0.5)';
  return 'check for a missing value or an extra comma just before that place';
}

export function parseJson(text: string, what: string): unknown {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a UTF-8 byte order mark is not an error
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    if (text.trim() === '') {
      return fail('BNN001', '', `${what} is not valid JSON: expected a JSON object, found an empty file`, 'check that the file was written completely');
    }
    const replaced = replaceNonFinite(text);
    if (replaced !== null) {
      try {
        const f = findSentinel(JSON.parse(replaced), '');
        if (f) {
          fail('BNN020', f.ptr, `${what}: expected a finite number, found ${f.tok}`, 'NaN and Infinity are not JSON numbers (Python writes them unless json.dump(..., allow_nan=False)); replace them by finite values');
        }
      } catch (inner) {
        if (!(inner instanceof SyntaxError)) throw inner;
      }
    }
    const p = findSyntaxError(text);
    if (p) {
      const hint = p.hint ?? 'check for a missing comma, bracket or quote just before that place';
      return fail('BNN001', p.ptr, `${what} is not valid JSON: expected ${p.expected}, found ${p.found ?? foundAt(text, p.pos)} (${lineCol(text, p.pos)})`, hint);
    }
    const msg = e instanceof Error ? e.message : String(e);
    return fail('BNN001', '', `${what} is not valid JSON: ${msg}`, 'check for a missing comma, bracket or quote');
  }
  const nf = findNonFinite(value);
  if (nf !== null) {
    fail('BNN020', nf, `${what}: expected a finite number, found a number too large for float64 (it reads as ${String(getAt(value, nf))})`, 'every number must be a finite float64 (magnitude below 1.8e308)');
  }
  return value;
}

function getAt(v: unknown, ptr: string): unknown {
  let x = v;
  for (const t of ptr.split('/').slice(1)) x = (x as Record<string, unknown>)[t.replace(/~1/g, '/').replace(/~0/g, '~')];
  return x;
}
