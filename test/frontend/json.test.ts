/**
 * Every JSON bnn-hw reads from the user (model, --input, --fold) goes through one iterative scan: a
 * nesting limit (MAX_JSON_DEPTH) checked before anything recursive runs, and duplicate property names
 * refused. Deep documents at the limit must reach the ordinary diagnostics (no stack overflow in the
 * loader, zod or the messages); one level more, or 100 000 levels, is BNN003 with the pointer.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Diagnostic, DiagnosticError } from '../../src/diagnostics/diagnostic.js';
import { diagnostics } from '../helpers/diagnostics.js';
import { MAX_JSON_DEPTH, parseJson } from '../../src/frontend/json.js';
import { loadModelText, loadModelValue } from '../../src/frontend/load.js';
import { readInputs } from '../../src/frontend/inputs.js';
import { readFolding } from '../../src/passes/folding.js';
import { compileFront } from '../../src/passes/pipeline.js';

function diagnostic(run: () => unknown): Diagnostic {
  try {
    run();
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics[0]!;
    throw e;
  }
  throw new Error('expected a diagnostic, but the document was accepted');
}

const all = (run: () => unknown): Diagnostic[] => diagnostics(run, 'the document');

/** `levels` nested arrays around `inner`. */
const nest = (levels: number, inner = ''): string => '['.repeat(levels) + inner + ']'.repeat(levels);
const zeros = (k: number): string => '/0'.repeat(k);

const MODEL = {
  format: 'bnn-hw/model@1',
  name: 'tiny',
  input: { shape: [4], type: 'uint8' },
  layers: [
    { type: 'dense', name: 'fc0', units: 2, weights: [[1, -1, 1, -1], [1, 1, 1, 1]] },
    { type: 'batchnorm', name: 'bn0', gamma: [1, 1], beta: [0, 0], mean: [0, 0], variance: [1, 1], epsilon: 1e-5 },
    { type: 'sign', name: 'act0' },
    { type: 'dense', name: 'fc1', units: 2, weights: [[1, -1], [1, 1]] },
  ],
  output: 'argmax',
};
/** MODEL's text with the JSON `replacement` in place of the value of `field` in layer `layer`. */
const modelWith = (layer: number, field: string, replacement: string): string => {
  const m = structuredClone(MODEL) as { layers: Record<string, unknown>[] };
  m.layers[layer]![field] = '@@';
  return JSON.stringify(m).replace('"@@"', replacement);
};

const DEEP_HINT = 'bnn-hw files need only a few levels (weights have at most 4 axes); check that the file is the one intended and was written correctly';
const DUP_HINT = 'remove one of the two: JSON readers differ on which value counts, so the file could mean different things to different tools';

describe('nesting limit', () => {
  it('is 1000 levels of arrays and objects', () => {
    expect(MAX_JSON_DEPTH).toBe(1000);
  });

  it('accepts exactly the limit and refuses one level more, with the pointer of the level past it', () => {
    expect(() => parseJson(nest(MAX_JSON_DEPTH), 'model file')).not.toThrow();
    expect(diagnostic(() => parseJson(nest(MAX_JSON_DEPTH + 1), 'model file'))).toEqual({
      code: 'BNN003',
      pointer: zeros(MAX_JSON_DEPTH),
      message: 'model file is nested too deeply: expected at most 1000 levels of arrays and objects, found an array at level 1001 (line 1, column 1001)',
      hint: DEEP_HINT,
    });
  });

  it('refuses 100 000 levels of arrays or objects without overflowing the stack', () => {
    const arrays = diagnostic(() => loadModelText(nest(100_000)));
    expect(arrays.code).toBe('BNN003');
    expect(arrays.pointer).toBe(zeros(1000));
    const objects = diagnostic(() => loadModelText('{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)));
    expect(objects).toMatchObject({ code: 'BNN003', pointer: '/a'.repeat(1000) });
    expect(objects.message).toBe('model file is nested too deeply: expected at most 1000 levels of arrays and objects, found an object at level 1001 (line 1, column 5001)');
  });

  it('is checked before NaN, syntax errors further on and overflowing numbers are looked at', () => {
    expect(diagnostic(() => parseJson(nest(5000, '1e999'), 'input file')).code).toBe('BNN003');
    expect(diagnostic(() => parseJson(nest(5000, 'NaN'), 'input file')).code).toBe('BNN003');
    expect(diagnostic(() => parseJson('[' + nest(5000) + ',]', 'input file')).code).toBe('BNN003');
  });

  it('counts levels inside a model: the pointer leads to the deep value', () => {
    // {"layers": [{"weights": ...}]} is three levels deep already
    const d = diagnostic(() => loadModelText(modelWith(0, 'weights', nest(MAX_JSON_DEPTH - 2))));
    expect(d.code).toBe('BNN003');
    expect(d.pointer).toBe('/layers/0/weights' + zeros(MAX_JSON_DEPTH - 3));
  });

  it.each<[string, number, string, string]>([
    ['weights', 0, 'weights', 'BNN021'],
    ['bias', 0, 'bias', 'BNN011'],
    ['an unknown field', 0, 'extra', 'BNN012'],
    ['a layer name', 3, 'name', 'BNN011'],
    ['batchnorm gamma', 1, 'gamma', 'BNN011'],
  ])('a value at the limit in %s reaches the loader\'s own diagnostic', (_what, layer, field, code) => {
    const deepest = MAX_JSON_DEPTH - 3;
    expect(diagnostic(() => loadModelText(modelWith(layer, field, nest(deepest)))).code).toBe(code);
    expect(diagnostic(() => loadModelText(modelWith(layer, field, nest(deepest, '1')))).code).toBe(code);
  });

  it('a whole model at the limit: a deep top-level array, a deep object of unknown fields', () => {
    expect(diagnostic(() => loadModelText(nest(MAX_JSON_DEPTH))).code).toBe('BNN002');
    const obj = '{"format": "bnn-hw/model@1", "x": ' + '{"a":'.repeat(MAX_JSON_DEPTH - 1) + '1' + '}'.repeat(MAX_JSON_DEPTH);
    for (const run of [() => loadModelText(obj), () => loadModelValue(JSON.parse(obj))]) {
      expect(all(run)).toContainEqual(expect.objectContaining({ code: 'BNN012', pointer: '/x' }));
    }
  });

  describe('input and folding files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bnn-hw-json-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const file = (name: string, text: string) => {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    };
    const model = loadModelValue(MODEL);
    const { ir } = compileFront(model);

    it('an input file at the limit reaches the input diagnostics, past it BNN003 with the file', () => {
      const at = file('at.json', '{"inputs": ' + nest(MAX_JSON_DEPTH - 1) + '}');
      expect(diagnostic(() => readInputs(at, model)).code).toBe('BNN070');
      const elem = file('elem.json', '{"inputs": [[1, 2, 3, ' + nest(MAX_JSON_DEPTH - 3) + ']]}');
      expect(diagnostic(() => readInputs(elem, model)).code).toBe('BNN071');
      const past = file('past.json', '{"inputs": ' + nest(100_000) + '}');
      expect(diagnostic(() => readInputs(past, model))).toMatchObject({ code: 'BNN003', file: past, pointer: '/inputs' + zeros(MAX_JSON_DEPTH - 1) });
    });

    it('a folding file (bnn-hw or FINN form) past the limit is BNN003, at the limit an ordinary BNN081', () => {
      const past = file('fold-past.json', '{"layers": ' + nest(5000) + '}');
      expect(diagnostic(() => readFolding(past, ir))).toMatchObject({ code: 'BNN003', message: expect.stringMatching(/^folding file is nested too deeply/) });
      const finn = file('finn-past.json', '{"MVAU_0": {"PE": ' + nest(5000) + '}}');
      expect(diagnostic(() => readFolding(finn, ir)).code).toBe('BNN003');
      const at = file('fold-at.json', '{"layers": [' + nest(MAX_JSON_DEPTH - 2) + ', {"pe": 1, "simd": 1}]}');
      expect(diagnostic(() => readFolding(at, ir)).code).toBe('BNN081');
    });

    it('duplicate keys in input and folding files', () => {
      const inp = file('dup-in.json', '{"inputs": [[1, 2, 3, 4]], "inputs": [[5, 6, 7, 8]]}');
      expect(diagnostic(() => readInputs(inp, model))).toMatchObject({ code: 'BNN004', pointer: '/inputs', file: inp });
      const fold = file('dup-fold.json', '{"MVAU_0": {"PE": 1, "SIMD": 1}, "MVAU_1": {"PE": 1, "SIMD": 2, "PE": 2}}');
      expect(diagnostic(() => readFolding(fold, ir))).toEqual({
        code: 'BNN004',
        pointer: '/MVAU_1/PE',
        message: 'folding file: the property "PE" appears twice in the same object (line 1, column 45 and line 1, column 65): expected unique property names',
        hint: DUP_HINT,
        file: fold,
      });
    });
  });
});

describe('duplicate property names', () => {
  it('the model name twice: the pointer and both places', () => {
    const text = '{\n  "format": "bnn-hw/model@1",\n  "name": "reviewed",\n  "name": "used"\n}';
    expect(diagnostic(() => loadModelText(text))).toEqual({
      code: 'BNN004',
      pointer: '/name',
      message: 'model file: the property "name" appears twice in the same object (line 3, column 3 and line 4, column 3): expected unique property names',
      hint: DUP_HINT,
    });
  });

  it('inside a layer, and spelt differently with escapes', () => {
    const t = JSON.stringify(MODEL).replace('"units":2,', '"units":2,"units":3,');
    expect(diagnostic(() => loadModelText(t))).toMatchObject({ code: 'BNN004', pointer: '/layers/0/units' });
    const escaped = JSON.stringify(MODEL).replace('"name":"bn0",', '"name":"bn0","n\\u0061me":"bn1",');
    expect(diagnostic(() => loadModelText(escaped))).toMatchObject({ code: 'BNN004', pointer: '/layers/1/name' });
    const slash = '{"a/b": 1, "a\\/b": 2}';
    expect(diagnostic(() => parseJson(slash, 'model file'))).toMatchObject({ code: 'BNN004', pointer: '/a~1b' });
  });

  it('the same name in different objects, or differing only in case, is fine', () => {
    expect(parseJson('{"a": {"x": 1}, "b": {"x": 2}, "X": 3, "x": 4}', 'model file')).toEqual({ a: { x: 1 }, b: { x: 2 }, X: 3, x: 4 });
    expect(() => loadModelText(JSON.stringify(MODEL))).not.toThrow();
  });

  it('a duplicate before a syntax error is reported first; a NaN before a duplicate is the first syntax error', () => {
    expect(diagnostic(() => parseJson('{"a": 1, "a": 2,}', 'model file')).code).toBe('BNN004');
    expect(diagnostic(() => parseJson('{"a": NaN, "a": 2}', 'model file'))).toMatchObject({ code: 'BNN001', pointer: '/a' });
    expect(diagnostic(() => parseJson('{"a": 1e999, "a": 2}', 'model file')).code).toBe('BNN004');
  });
});

describe('the single scan keeps the syntax and NaN reports', () => {
  it.each<[string, string, Partial<Diagnostic>]>([
    ['NaN as a key is a syntax error', '{NaN: 1}', { code: 'BNN001', pointer: '', hint: 'put the property name in double quotes' }],
    ['a word starting with NaN is a syntax error', '{"a": NaNa}', { code: 'BNN001', pointer: '/a', hint: 'strings need double quotes' }],
    ['the first of NaN and 1e999 counts', '[1e999, NaN]', { code: 'BNN020', pointer: '/0', message: 'x: expected a finite number, found a number too large for float64 (it reads as Infinity)' }],
    ['NaN before 1e999', '[NaN, -1e999]', { code: 'BNN020', pointer: '/0', message: 'x: expected a finite number, found NaN' }],
    ['an overflow before a syntax error: the syntax error', '[1e999, ]', { code: 'BNN001', pointer: '' }],
    ['a long integer that overflows', '[' + '9'.repeat(400) + ']', { code: 'BNN020', pointer: '/0' }],
  ])('%s', (_name, text, want) => {
    expect(diagnostic(() => parseJson(text, 'x'))).toMatchObject(want);
  });

  it('valid documents parse as JSON.parse parses them', () => {
    for (const t of ['{}', '[]', '0', '-0.5e-3', '"a\\u00e9\\n"', 'null', ' {"a": [1, {"b": [true, false, null]}], "c": "\\\\"} ', '\ufeff[1]']) {
      expect(parseJson(t, 'x')).toEqual(JSON.parse(t.replace(/^\ufeff/, '')));
    }
  });
});
