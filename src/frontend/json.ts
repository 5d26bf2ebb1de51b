/**
 * JSON parsing with precise diagnostics, for every JSON document bnn-hw reads from the user (model,
 * --input, --fold / FINN folding_config, the model_config of a Keras file). One iterative scan (no
 * recursion, so no depth can overflow the stack) checks the whole text before JSON.parse sees it:
 *   - syntax, reported with line and column and the JSON pointer of the value being read (BNN001);
 *   - nesting deeper than MAX_JSON_DEPTH arrays / objects (BNN003), refused before anything recursive runs;
 *   - a property name that appears twice in one object (BNN004): readers differ on which value counts;
 *   - the non-standard tokens NaN / Infinity / -Infinity (as written by Python's json module) and numbers
 *     too large for float64 (1e999), at their JSON pointer (BNN020).
 */
import { fail, pointerToken } from '../diagnostics/diagnostic.js';

/**
 * The deepest nesting of arrays and objects a JSON file may have. bnn-hw's own files need fewer than
 * ten levels (weights have at most four axes); the limit keeps every later walk of the value far from
 * the stack's end.
 */
export const MAX_JSON_DEPTH = 1000;

const NONFINITE_HINT = 'NaN and Infinity are not JSON numbers (Python writes them unless json.dump(..., allow_nan=False)); replace them by finite values';
const OVERFLOW_HINT = 'every number must be a finite float64 (magnitude below 1.8e308)';

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

const VALUE = 'a value (object, array, string, number, true, false or null)';

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

const isWordChar = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;

/** NaN / Infinity / -Infinity as a whole word at i, or null. */
function nonFiniteAt(text: string, i: number): string | null {
  for (const tok of ['-Infinity', 'Infinity', 'NaN']) {
    if (text.startsWith(tok, i) && !isWordChar(text.charCodeAt(i + tok.length))) return tok;
  }
  return null;
}

interface Frame {
  obj: boolean;
  /** the current element index (array) or property name (object) */
  tok: string | number;
  /** property name -> position of its first occurrence (objects) */
  keys: Map<string, number> | null;
}

/** A problem reported only when the text is otherwise sound: a NaN / Infinity token or a number too large for float64. */
interface Soft {
  pos: number;
  ptr: string;
  tok: string;
}

/**
 * Check the whole text; throws the diagnostic of its first problem. Problems are reported in text
 * order, except that NaN / Infinity tokens and overflowing numbers are reported (BNN020) only when
 * the text is otherwise sound: before a later syntax error a NaN token is itself the first syntax error.
 */
function scan(text: string, what: string): void {
  const n = text.length;
  let i = 0;
  const frames: Frame[] = [];
  /** the first NaN / Infinity token and the first overflowing number */
  const soft: { nan: Soft | null; big: Soft | null } = { nan: null, big: null };

  /** pointer of the value being read inside the first `upto` frames */
  const ptr = (upto = frames.length): string => {
    let p = '';
    for (let k = 0; k < upto; k++) p += '/' + pointerToken(frames[k]!.tok);
    return p;
  };
  const containerPtr = () => ptr(frames.length - 1);
  /** before any later problem, a NaN / Infinity token is the first syntax error */
  const nanFirst = () => {
    const nan = soft.nan;
    if (nan !== null) fail('BNN001', nan.ptr, `${what} is not valid JSON: expected ${VALUE}, found '${nan.tok}' (${lineCol(text, nan.pos)})`, 'NaN and Infinity are not JSON; write a finite number');
  };
  const syntax = (pos: number, expected: string, p: string, hint: string, found?: string): never => {
    nanFirst();
    return fail('BNN001', p, `${what} is not valid JSON: expected ${expected}, found ${found ?? foundAt(text, pos)} (${lineCol(text, pos)})`, hint);
  };
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
  };
  const digits = (expected: string) => {
    const s = i;
    while (i < n && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
    if (i === s) syntax(i, expected, ptr(), 'check for a missing comma, bracket or quote just before that place');
  };
  /** a string starting at the quote at i (a property name or a value); returns its raw (still escaped) content */
  const str = (name: boolean): string => {
    const p = () => (name ? containerPtr() : ptr());
    const s = ++i;
    for (;;) {
      if (i >= n) syntax(i, "a closing '\"'", p(), 'the string is not closed: a quote is missing');
      const c = text.charCodeAt(i);
      if (c === 34) break;
      if (c === 92) {
        const e = text[i + 1];
        if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else if (e === 'u' && /^[0-9A-Fa-f]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else syntax(i, 'an escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)', p(), 'write a backslash inside a string as \\\\', `'${text.slice(i, i + (e === 'u' ? 6 : 2))}'`);
      } else if (c < 0x20) syntax(i, "a closing '\"'", p(), 'strings cannot span lines or hold control characters; write a line break as \\n');
      else i++;
    }
    i++;
    return text.slice(s, i - 1);
  };
  const number = () => {
    const s = i;
    if (text.charCodeAt(i) === 45) i++;
    if (text.charCodeAt(i) === 48) i++;
    else digits('a digit');
    let exp = false;
    if (text.charCodeAt(i) === 46) {
      i++;
      digits('a digit after the decimal point');
    }
    const e = text.charCodeAt(i);
    if (e === 101 || e === 69) {
      exp = true;
      i++;
      if (text.charCodeAt(i) === 43 || text.charCodeAt(i) === 45) i++;
      digits('a digit in the exponent');
    }
    // only an exponent or more than 308 digits can overflow float64
    if ((exp || i - s > 300) && soft.big === null && !Number.isFinite(Number(text.slice(s, i)))) soft.big = { pos: s, ptr: ptr(), tok: text.slice(s, i) };
  };
  const tooDeep = (pos: number): never => {
    nanFirst();
    return fail(
      'BNN003', containerPtr(),
      `${what} is nested too deeply: expected at most ${MAX_JSON_DEPTH} levels of arrays and objects, found ${text[pos] === '[' ? 'an array' : 'an object'} at level ${frames.length} (${lineCol(text, pos)})`,
      'bnn-hw files need only a few levels (weights have at most 4 axes); check that the file is the one intended and was written correctly',
    );
  };
  /** a property name and its colon, at i (after '{' or ',') */
  const key = () => {
    ws();
    if (text.charCodeAt(i) !== 34) syntax(i, 'a double-quoted property name', containerPtr(), nameHint(text, i));
    const at = i;
    const raw = str(true);
    let k = raw;
    if (raw.includes('\\')) k = JSON.parse(`"${raw}"`) as string;
    const top = frames[frames.length - 1]!;
    top.tok = k;
    const first = top.keys!.get(k);
    if (first !== undefined) {
      nanFirst();
      fail(
        'BNN004', ptr(),
        `${what}: the property ${JSON.stringify(k)} appears twice in the same object (${lineCol(text, first)} and ${lineCol(text, at)}): expected unique property names`,
        'remove one of the two: JSON readers differ on which value counts, so the file could mean different things to different tools',
      );
    }
    top.keys!.set(k, at);
    ws();
    if (text.charCodeAt(i) !== 58) syntax(i, `':' after the property name "${k}"`, ptr(), 'check for a missing comma, bracket or quote just before that place');
    i++;
  };

  let wantValue = true;
  for (;;) {
    if (wantValue) {
      ws();
      const c = text.charCodeAt(i);
      if (c === 123 || c === 91) {
        const open = i++;
        const obj = c === 123;
        frames.push({ obj, tok: obj ? '' : 0, keys: obj ? new Map() : null });
        if (frames.length > MAX_JSON_DEPTH) tooDeep(open);
        ws();
        if (text.charCodeAt(i) === (obj ? 125 : 93)) {
          i++;
          frames.pop();
          wantValue = false;
        } else if (obj) key();
        continue;
      }
      wantValue = false;
      if (c === 34) {
        str(false);
        continue;
      }
      const nf = c === 45 || c === 73 || c === 78 ? nonFiniteAt(text, i) : null;
      if (nf !== null) {
        soft.nan ??= { pos: i, ptr: ptr(), tok: nf };
        i += nf.length;
        continue;
      }
      if (c === 45 || (c >= 48 && c <= 57)) {
        number();
        continue;
      }
      const lit = c === 116 ? 'true' : c === 102 ? 'false' : c === 110 ? 'null' : '';
      if (lit !== '' && text.startsWith(lit, i)) {
        i += lit.length;
        continue;
      }
      syntax(i, VALUE, ptr(), valueHint(text, i));
    }
    // a value has just ended
    ws();
    if (frames.length === 0) {
      if (i < n) syntax(i, 'the end of the file after the JSON value', '', 'the file holds more than one JSON value, or a bracket or brace closes too early');
      break;
    }
    const top = frames[frames.length - 1]!;
    const c = text.charCodeAt(i);
    if (c === 44) {
      i++;
      ws();
      if (top.obj) {
        if (text.charCodeAt(i) === 125) syntax(i, 'a double-quoted property name', containerPtr(), 'remove the comma before the closing brace: JSON allows no trailing commas');
        key();
      } else {
        if (text.charCodeAt(i) === 93) syntax(i, VALUE, containerPtr(), 'remove the comma before the closing bracket: JSON allows no trailing commas');
        top.tok = (top.tok as number) + 1;
      }
      wantValue = true;
    } else if (c === (top.obj ? 125 : 93)) {
      i++;
      frames.pop();
    } else if (top.obj) {
      const afterString = i < n && /[A-Za-z_$]/.test(text[i]!);
      syntax(i, "',' or '}' after the property value", containerPtr(), text[i] === '"' ? 'a comma is missing between two properties' : afterString ? 'a quote may be missing: a string before this place seems to end too early' : closeHint(text, i));
    } else {
      syntax(i, "',' or ']' after the array element", containerPtr(), i < n && /[-0-9"[{tfn]/.test(text[i]!) ? 'a comma is missing between two elements' : closeHint(text, i));
    }
  }
  const { nan, big: b } = soft;
  if (nan !== null && (b === null || nan.pos < b.pos)) fail('BNN020', nan.ptr, `${what}: expected a finite number, found ${nan.tok}`, NONFINITE_HINT);
  if (b !== null) fail('BNN020', b.ptr, `${what}: expected a finite number, found a number too large for float64 (it reads as ${Number(b.tok)})`, OVERFLOW_HINT);
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

/** Parse a JSON document the user gave; `what` names it in messages ("model file", "input file", ...). */
export function parseJson(text: string, what: string): unknown {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a UTF-8 byte order mark is not an error
  if (text.trim() === '') {
    return fail('BNN001', '', `${what} is not valid JSON: expected a JSON object, found an empty file`, 'check that the file was written completely');
  }
  scan(text, what);
  try {
    return JSON.parse(text);
  } catch (e) {
    // the scan accepts exactly the JSON grammar: this is not expected to happen
    return fail('BNN001', '', `${what} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`, 'check for a missing comma, bracket or quote');
  }
}
