/**
 * Bad models: each case pins the exact diagnostic (code, message, JSON pointer, hint) that loading
 * (loadModelText / loadModelValue) or the compile front end (compileFront) reports. Every message says
 * what was expected and what was found; every diagnostic has a hint.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { d, diagnostics } from '../helpers/diagnostics.js';
import { loadModelText, loadModelValue } from '../../src/frontend/load.js';
import { codesFromValues, readInputs } from '../../src/frontend/inputs.js';
import { compileFront } from '../../src/passes/pipeline.js';
import { plan } from '../../src/passes/plan.js';
import { defaultFolding } from '../../src/passes/folding.js';
import type { Model } from '../../src/ir/model.js';

type Json = Record<string, any>; // loose on purpose: the cases edit models freely

/** A small valid MLP: uint8[4] -> dense 3 -> batchnorm -> sign -> dense 2. */
const mlp = (): Json => ({
  format: 'bnn-hw/model@1',
  name: 'tiny',
  input: { shape: [4], type: 'uint8' },
  layers: [
    { type: 'dense', name: 'fc0', units: 3, weights: [[1, -1, 1, -1], [1, 1, 1, 1], [-1, -1, -1, -1]] },
    { type: 'batchnorm', name: 'bn0', gamma: [1, 1, 1], beta: [0, 0, 0], mean: [0, 0, 0], variance: [1, 1, 1], epsilon: 1e-5 },
    { type: 'sign', name: 'act0' },
    { type: 'dense', name: 'fc1', units: 2, weights: [[1, -1, 1], [1, 1, -1]] },
  ],
  output: 'argmax',
});

const ones = (...s: number[]): unknown[] => (s.length === 1 ? Array(s[0]).fill(1) : Array.from({ length: s[0]! }, () => ones(...s.slice(1))));

/** A small valid CNN: fixed<8,7>[6, 6, 2] -> conv 3x3x3 -> batchnorm -> sign -> maxpool 2 -> flatten -> dense 2. */
const cnn = (): Json => ({
  format: 'bnn-hw/model@1',
  name: 'tinycnn',
  input: { shape: [6, 6, 2], type: { fixed: { bits: 8, frac: 7 } } },
  layers: [
    { type: 'conv2d', name: 'conv0', filters: 3, kernel: [3, 3], weights: ones(3, 3, 3, 2) },
    { type: 'batchnorm', name: 'bn0', gamma: [1, 1, 1], beta: [0, 0, 0], mean: [0, 0, 0], variance: [1, 1, 1], epsilon: 1e-5 },
    { type: 'sign', name: 'act0' },
    { type: 'maxpool', name: 'pool0', pool: [2, 2] },
    { type: 'flatten', name: 'flat' },
    { type: 'dense', name: 'fc1', units: 2, weights: ones(2, 12) },
  ],
  output: 'scores',
});

const edit = (base: () => Json, fn: (m: Json) => void): Json => {
  const m = base();
  fn(m);
  return m;
};
const text = (t: string) => loadModelText(t);
const value = (v: unknown) => loadModelValue(v);
const front = (v: unknown) => compileFront(loadModelValue(v));
const planned = (v: unknown) => {
  const { ir } = front(v);
  return plan(ir, defaultFolding(ir));
};

type Case = [name: string, run: () => unknown, want: Diagnostic];

const CASES: Record<string, Case[]> = {
  "malformed JSON": [
    ['trailing comma in an object', () => text('{"format": "bnn-hw/model@1", "name": "x",}'),
      d('BNN001', '', "model file is not valid JSON: expected a double-quoted property name, found '}' (line 1, column 42)", 'remove the comma before the closing brace: JSON allows no trailing commas')],
    ['trailing comma in an array', () => text('{"format": "bnn-hw/model@1", "input": {"shape": [4,], "type": "uint8"}}'),
      d('BNN001', '/input/shape', "model file is not valid JSON: expected a value (object, array, string, number, true, false or null), found ']' (line 1, column 52)", 'remove the comma before the closing bracket: JSON allows no trailing commas')],
    ['missing comma between properties', () => text('{\n  "format": "bnn-hw/model@1"\n  "name": "x"\n}'),
      d('BNN001', '', 'model file is not valid JSON: expected \',\' or \'}\' after the property value, found \'"\' (line 3, column 3)', 'a comma is missing between two properties')],
    ['missing comma between array elements', () => text('{"layers": [{"type": "sign"} {"type": "sign"}]}'),
      d('BNN001', '/layers', "model file is not valid JSON: expected ',' or ']' after the array element, found '{' (line 1, column 30)", 'a comma is missing between two elements')],
    ['truncated file', () => text('{"format": "bnn-hw/model@1", "layers": [\n  {"type": "dense", "units": 3, "weights": [[1, -1'),
      d('BNN001', '/layers/0/weights/0', "model file is not valid JSON: expected ',' or ']' after the array element, found the end of the file (line 2, column 51)", 'the file ends too early: it may be truncated, or a closing bracket, brace or quote is missing')],
    ['empty file', () => text(''),
      d('BNN001', '', 'model file is not valid JSON: expected a JSON object, found an empty file', 'check that the file was written completely')],
    ['whitespace only', () => text('  \n\t '),
      d('BNN001', '', 'model file is not valid JSON: expected a JSON object, found an empty file', 'check that the file was written completely')],
    ['single-quoted strings', () => text("{'format': 'bnn-hw/model@1'}"),
      d('BNN001', '', 'model file is not valid JSON: expected a double-quoted property name, found "\'" (line 1, column 2)', 'JSON property names and strings use double quotes')],
    ['comment', () => text('{\n  // model\n  "format": "bnn-hw/model@1"\n}'),
      d('BNN001', '', "model file is not valid JSON: expected a double-quoted property name, found '/' (line 2, column 3)", 'JSON has no comments; remove them')],
    ['unquoted property name', () => text('{format: "bnn-hw/model@1"}'),
      d('BNN001', '', "model file is not valid JSON: expected a double-quoted property name, found 'format' (line 1, column 2)", 'put the property name in double quotes')],
    ['Python literal True', () => text('{"format": "bnn-hw/model@1", "x": True}'),
      d('BNN001', '/x', "model file is not valid JSON: expected a value (object, array, string, number, true, false or null), found 'True' (line 1, column 35)", 'the JSON literals are true, false and null, in lower case')],
    ['unterminated string', () => text('{"format": "bnn-hw/model@1, "name": "x"}'),
      d('BNN001', '', "model file is not valid JSON: expected ',' or '}' after the property value, found 'name' (line 1, column 30)", 'a quote may be missing: a string before this place seems to end too early')],
    ['line break inside a string', () => text('{"name": "a\nb"}'),
      d('BNN001', '/name', 'model file is not valid JSON: expected a closing \'"\', found a line break (line 1, column 12)', 'strings cannot span lines or hold control characters; write a line break as \\n')],
    ['bad escape', () => text('{"name": "a\\qb"}'),
      d('BNN001', '/name', 'model file is not valid JSON: expected an escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX), found \'\\q\' (line 1, column 12)', 'write a backslash inside a string as \\\\')],
    ['two JSON values', () => text('{"format": "bnn-hw/model@1"} {}'),
      d('BNN001', '', "model file is not valid JSON: expected the end of the file after the JSON value, found '{' (line 1, column 30)", 'the file holds more than one JSON value, or a bracket or brace closes too early')],
    ['number with leading dot', () => text('{"epsilon": .5}'),
      d('BNN001', '/epsilon', "model file is not valid JSON: expected a value (object, array, string, number, true, false or null), found '.' (line 1, column 13)", 'JSON numbers start with a digit or a minus sign (write 0.5, not .5 or +0.5)')],
    ['the model is an array', () => text('[{"type": "sign"}]'),
      d('BNN002', '', 'the model must be a JSON object, found an array', 'start from {"format": "bnn-hw/model@1", ...}')],
    ['the model is a number', () => value(42),
      d('BNN002', '', 'the model must be a JSON object, found 42', 'start from {"format": "bnn-hw/model@1", ...}')],
  ],
  "non-finite numbers": [
    ['bare NaN', () => text(JSON.stringify(mlp()).replace('"gamma":[1,1,1]', '"gamma":[1,NaN,1]')),
      d('BNN020', '/layers/1/gamma/1', 'model file: expected a finite number, found NaN', 'NaN and Infinity are not JSON numbers (Python writes them unless json.dump(..., allow_nan=False)); replace them by finite values')],
    ['bare Infinity', () => text(JSON.stringify(mlp()).replace('"epsilon":0.00001', '"epsilon":Infinity')),
      d('BNN020', '/layers/1/epsilon', 'model file: expected a finite number, found Infinity', 'NaN and Infinity are not JSON numbers (Python writes them unless json.dump(..., allow_nan=False)); replace them by finite values')],
    ['bare -Infinity in weights', () => text(JSON.stringify(mlp()).replace('[[1,-1,1],[1,1,-1]]', '[[1,-Infinity,1],[1,1,-1]]')),
      d('BNN020', '/layers/3/weights/0/1', 'model file: expected a finite number, found -Infinity', 'NaN and Infinity are not JSON numbers (Python writes them unless json.dump(..., allow_nan=False)); replace them by finite values')],
    ['1e999', () => text(JSON.stringify(mlp()).replace('[[1,-1,1],[1,1,-1]]', '[[1,1e999,1],[1,1,-1]]')),
      d('BNN020', '/layers/3/weights/0/1', 'model file: expected a finite number, found a number too large for float64 (it reads as Infinity)', 'every number must be a finite float64 (magnitude below 1.8e308)')],
    ['-1e999 in batchnorm', () => text(JSON.stringify(mlp()).replace('"mean":[0,0,0]', '"mean":[0,-1e999,0]')),
      d('BNN020', '/layers/1/mean/1', 'model file: expected a finite number, found a number too large for float64 (it reads as -Infinity)', 'every number must be a finite float64 (magnitude below 1.8e308)')],
    ['NaN next to a syntax error', () => text('{"gamma": [NaN,]}'),
      d('BNN001', '/gamma/0', "model file is not valid JSON: expected a value (object, array, string, number, true, false or null), found 'NaN' (line 1, column 12)", 'NaN and Infinity are not JSON; write a finite number')],
    ['NaN weight in a JS value', () => value(edit(mlp, (m) => { m.layers[0].weights[1][2] = NaN; })),
      d('BNN020', '/layers/0/weights/1/2', 'dense layer "fc0": expected a finite weight, found NaN', 'replace NaN / Infinity by a real weight (only its sign matters)')],
    ['Infinity in gamma in a JS value', () => value(edit(mlp, (m) => { m.layers[1].gamma[0] = Infinity; })),
      d('BNN011', '/layers/1/gamma/0', 'element 0 of \'gamma\' in batchnorm layer "bn0" must be a finite number, found Infinity', 'one value per channel (the last axis of the layer input)')],
  ],
  "format tag": [
    ['wrong format tag', () => value(edit(mlp, (m) => { m.format = 'bnn-hw/model@2'; })),
      d('BNN002', '/format', 'not a bnn-hw model: expected "format": "bnn-hw/model@1", found "format": "bnn-hw/model@2"', 'this version of bnn-hw reads bnn-hw/model@1 only')],
    ['foreign format tag', () => value(edit(mlp, (m) => { m.format = 'onnx'; })),
      d('BNN002', '/format', 'not a bnn-hw model: expected "format": "bnn-hw/model@1", found "format": "onnx"', 'set "format": "bnn-hw/model@1"')],
    ['missing format', () => value(edit(mlp, (m) => { delete m.format; })),
      d('BNN002', '/format', 'not a bnn-hw model: expected "format": "bnn-hw/model@1", found no "format" field', 'set "format": "bnn-hw/model@1"')],
  ],
  "layer types and fields": [
    ['unknown layer type relu', () => value(edit(mlp, (m) => { m.layers[2].type = 'relu'; })),
      d('BNN013', '/layers/2/type', 'unknown layer type "relu", expected one of dense, conv2d, batchnorm, affine, sign, quant, multithreshold, maxpool, flatten, add, globalavgpool, avgpool', 'activations are "sign", "quant" (k-bit) or "multithreshold" layers')],
    ['unknown layer type close to a real one', () => value(edit(mlp, (m) => { m.layers[0].type = 'Dense'; })),
      d('BNN013', '/layers/0/type', 'unknown layer type "Dense", expected one of dense, conv2d, batchnorm, affine, sign, quant, multithreshold, maxpool, flatten, add, globalavgpool, avgpool', 'did you mean "dense"?')],
    ['layer without type', () => value(edit(mlp, (m) => { delete m.layers[2].type; })),
      d('BNN010', '/layers/2/type', "missing required field 'type' in layer 2, expected one of dense, conv2d, batchnorm, affine, sign, quant, multithreshold, maxpool, flatten, add, globalavgpool, avgpool", 'for example {"type": "sign"}')],
    ['layer that is not an object', () => value(edit(mlp, (m) => { m.layers[2] = 5; })),
      d('BNN011', '/layers/2', 'layer 2 must be an object with a "type", found 5', 'for example {"type": "sign"}; types: dense, conv2d, batchnorm, affine, sign, quant, multithreshold, maxpool, flatten, add, globalavgpool, avgpool')],
    ['missing units', () => value(edit(mlp, (m) => { delete m.layers[0].units; })),
      d('BNN010', '/layers/0/units', 'missing required field \'units\' in dense layer "fc0", expected a positive integer', 'the number of outputs of the dense layer, for example 64')],
    ['missing weights', () => value(edit(mlp, (m) => { delete m.layers[0].weights; })),
      d('BNN010', '/layers/0/weights', 'missing required field \'weights\' in dense layer "fc0", expected nested arrays of numbers or {"shape": [...], "packed": "<base64>"}', 'the weights of the layer, binarised by sign')],
    ['missing epsilon', () => value(edit(mlp, (m) => { delete m.layers[1].epsilon; })),
      d('BNN010', '/layers/1/epsilon', 'missing required field \'epsilon\' in batchnorm layer "bn0", expected a positive number', 'typical values are 1e-5 or 1e-3')],
    ['missing model name', () => value(edit(mlp, (m) => { delete m.name; })),
      d('BNN010', '/name', 'missing required field \'name\' in the model, expected a plain identifier (a string such as "tfc")', 'letters, digits and _, starting with a letter, at most 48 characters')],
    ['missing output', () => value(edit(mlp, (m) => { delete m.output; })),
      d('BNN010', '/output', 'missing required field \'output\' in the model, expected "argmax" or "scores"', '"argmax" outputs the class index, "scores" the values of the last layer')],
    ['missing input type', () => value(edit(mlp, (m) => { delete m.input.type; })),
      d('BNN010', '/input/type', 'missing required field \'type\' in the input, expected "uintK" (K = 1..32), "intK" (K = 2..32), "bipolar" or {"fixed": {"bits": K, "frac": F}}', 'for 8-bit pixels use "uint8"')],
    ['units as a string', () => value(edit(mlp, (m) => { m.layers[0].units = '3'; })),
      d('BNN011', '/layers/0/units', '\'units\' in dense layer "fc0" must be a positive integer, found "3"', 'write numbers without quotes')],
    ['units not an integer', () => value(edit(mlp, (m) => { m.layers[0].units = 2.5; })),
      d('BNN011', '/layers/0/units', '\'units\' in dense layer "fc0" must be a positive integer, found 2.5', 'the number of outputs of the dense layer, for example 64')],
    ['units zero', () => value(edit(mlp, (m) => { m.layers[0].units = 0; })),
      d('BNN014', '/layers/0/units', '\'units\' in dense layer "fc0" must be a positive integer, found 0', 'the number of outputs of the dense layer, for example 64')],
    ['gamma as a string', () => value(edit(mlp, (m) => { m.layers[1].gamma = 'abc'; })),
      d('BNN011', '/layers/1/gamma', '\'gamma\' in batchnorm layer "bn0" must be an array of numbers, one per channel, found "abc"', 'one value per channel (the last axis of the layer input)')],
    ['gamma element not a number', () => value(edit(mlp, (m) => { m.layers[1].gamma = [1, 'x', 1]; })),
      d('BNN011', '/layers/1/gamma/1', 'element 1 of \'gamma\' in batchnorm layer "bn0" must be a finite number, found "x"', 'one value per channel (the last axis of the layer input)')],
    ['kernel with one value', () => value(edit(cnn, (m) => { m.layers[0].kernel = [3]; })),
      d('BNN014', '/layers/0/kernel', '\'kernel\' in conv2d layer "conv0" must be two positive integers [height, width], found [3]', 'for example [3, 3]')],
    ['input shape with four axes', () => value(edit(cnn, (m) => { m.input.shape = [1, 2, 3, 4]; })),
      d('BNN014', '/input/shape', "'shape' in the input must be an array of 1 or 3 positive integers ([N] or [H, W, C]), found [1, 2, 3, 4]", 'use [N] for vectors and [H, W, C] for images')],
    ['input shape with a zero', () => value(edit(mlp, (m) => { m.input.shape = [0]; })),
      d('BNN014', '/input/shape/0', "element 0 of 'shape' in the input must be a positive integer, found 0", 'use [N] for vectors and [H, W, C] for images')],
    ['input type float32', () => value(edit(mlp, (m) => { m.input.type = 'float32'; })),
      d('BNN014', '/input/type', '\'type\' in the input must be "uintK" (K = 1..32), "intK" (K = 2..32), "bipolar" or {"fixed": {"bits": K, "frac": F}}, found "float32"', 'for 8-bit pixels use "uint8"')],
    ['fixed type with bits 1', () => value(edit(mlp, (m) => { m.input.type = { fixed: { bits: 1, frac: 0 } }; })),
      d('BNN014', '/input/type/fixed/bits', "'bits' in the fixed-point input type must be an integer from 2 to 32, found 1", 'the total width of the fixed-point number, sign included')],
    ['output softmax', () => value(edit(mlp, (m) => { m.output = 'softmax'; })),
      d('BNN014', '/output', '\'output\' in the model must be "argmax" or "scores", found "softmax"', '"argmax" outputs the class index, "scores" the values of the last layer')],
    ['padding full', () => value(edit(cnn, (m) => { m.layers[0].padding = 'full'; })),
      d('BNN014', '/layers/0/padding', '\'padding\' in conv2d layer "conv0" must be "valid", "same" or four non-negative integers [top, bottom, left, right], found "full"', '"same" keeps the image size at stride 1')],
    ['padValue 2', () => value(edit(cnn, (m) => { m.layers[0].padValue = 2; })),
      d('BNN014', '/layers/0/padValue', '\'padValue\' in conv2d layer "conv0" must be -1, 1 or 0, found 2', 'the value of the border: -1 or +1 (binary), or 0 for true zero padding')],
    ['empty layers', () => value(edit(mlp, (m) => { m.layers = []; })),
      d('BNN014', '/layers', "'layers' in the model must be a non-empty array of layers, found []", 'for example [{"type": "dense", "units": 10, "weights": [...]}]')],
    ['unknown field in a layer (typo)', () => value(edit(mlp, (m) => { m.layers[1].epsilom = 1e-5; delete m.layers[1].epsilon; })),
      d('BNN012', '/layers/1/epsilom', 'unknown field \'epsilom\' in batchnorm layer "bn0", expected one of \'gamma\', \'beta\', \'mean\', \'variance\', \'epsilon\', \'name\', \'inputs\'', "did you mean 'epsilon'?")],
    ['unknown field activation', () => value(edit(mlp, (m) => { m.layers[0].activation = 'sign'; })),
      d('BNN012', '/layers/0/activation', 'unknown field \'activation\' in dense layer "fc0", expected one of \'units\', \'weights\', \'bias\', \'name\', \'inputs\'', 'activations are layers of their own: add {"type": "sign"} after this layer')],
    ['unknown field in the model', () => value(edit(mlp, (m) => { m.version = 1; })),
      d('BNN012', '/version', "unknown field 'version' in the model, expected one of 'format', 'name', 'description', 'input', 'layers', 'output', '$schema'", 'remove it, or check its spelling')],
    ['unknown field in the input', () => value(edit(mlp, (m) => { m.input.layout = 'nchw'; })),
      d('BNN012', '/input/layout', "unknown field 'layout' in the input, expected one of 'shape', 'type'", 'remove it, or check its spelling')],
    ['unknown field in packed weights', () => value(edit(mlp, (m) => { m.layers[0].weights = { shape: [3, 4], packed: 'AAA=', dtype: 'bits' }; })),
      d('BNN012', '/layers/0/weights/dtype', 'dense layer "fc0": unknown field \'dtype\' in packed weights, expected only \'shape\' and \'packed\'', 'packed weights are {"shape": [...], "packed": "<base64>"}')],
  ],
  "weights": [
    ['too few rows', () => value(edit(mlp, (m) => { m.layers[0].weights.pop(); })),
      d('BNN021', '/layers/0/weights', 'dense layer "fc0": expected 3 entries along units (axis 0), found 2', 'weights have shape [3, 4] (units, fan-in)')],
    ['too many columns', () => value(edit(mlp, (m) => { m.layers[0].weights[1].push(1); })),
      d('BNN021', '/layers/0/weights/1', 'dense layer "fc0": expected 4 entries along fan-in (axis 1), found 5', 'weights have shape [3, 4] (units, fan-in)')],
    ['flat weights (too few axes)', () => value(edit(mlp, (m) => { m.layers[0].weights = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]; })),
      d('BNN021', '/layers/0/weights', 'dense layer "fc0": expected 3 entries along units (axis 0), found 12', 'the weights are a flat list of 12 numbers; nest them as [3, 4] (units, fan-in)')],
    ['weights one axis too deep', () => value(edit(mlp, (m) => { m.layers[0].weights[1][2] = [1]; })),
      d('BNN021', '/layers/0/weights/1/2', 'dense layer "fc0": expected a number (one weight), found an array: the weights have too many axes', 'weights have shape [3, 4] (units, fan-in)')],
    ['conv weights missing the channel axis', () => value(edit(cnn, (m) => { m.layers[0].weights = ones(3, 3, 3); })),
      d('BNN021', '/layers/0/weights/0/0/0', 'conv2d layer "conv0": expected an array of 2 entries along input channels (axis 3), found 1 (a number): the weights have too few axes', 'weights have shape [3, 3, 3, 2] (filters, kernel rows, kernel columns, input channels)')],
    ['conv weights with the wrong kernel depth', () => value(edit(cnn, (m) => { m.layers[0].weights[2] = ones(3, 2, 2); })),
      d('BNN021', '/layers/0/weights/2/0', 'conv2d layer "conv0": expected 3 entries along kernel columns (axis 2), found 2', 'weights have shape [3, 3, 3, 2] (filters, kernel rows, kernel columns, input channels)')],
    ['weight count off by one in the last row', () => value(edit(mlp, (m) => { m.layers[3].weights[1].pop(); })),
      d('BNN021', '/layers/3/weights/1', 'dense layer "fc1": expected 3 entries along fan-in (axis 1), found 2', 'weights have shape [2, 3] (units, fan-in)')],
    ['weight as a string', () => value(edit(mlp, (m) => { m.layers[0].weights[1][2] = '1'; })),
      d('BNN021', '/layers/0/weights/1/2', 'dense layer "fc0": expected a number (one weight), found "1" (a string)', 'weights have shape [3, 4] (units, fan-in)')],
    ['weight null', () => value(edit(mlp, (m) => { m.layers[0].weights[1][2] = null; })),
      d('BNN021', '/layers/0/weights/1/2', 'dense layer "fc0": expected a number (one weight), found null', 'weights have shape [3, 4] (units, fan-in)')],
    ['weights as a string', () => value(edit(mlp, (m) => { m.layers[0].weights = 'abc'; })),
      d('BNN021', '/layers/0/weights', 'dense layer "fc0": weights must be nested arrays of numbers or {"shape": [...], "packed": "<base64>"}, found "abc" (a string)', 'expected shape [3, 4] (units, fan-in)')],
    ['weights object without packed', () => value(edit(mlp, (m) => { m.layers[0].weights = { shape: [3, 4] }; })),
      d('BNN021', '/layers/0/weights', 'dense layer "fc0": weights must be nested arrays of numbers or {"shape": [...], "packed": "<base64>"}, found an object', 'the packed form needs a "packed" field; expected shape [3, 4] (units, fan-in)')],
  ],
  "batchnorm and per-channel parameters": [
    ['negative variance', () => value(edit(mlp, (m) => { m.layers[1].variance[1] = -0.5; })),
      d('BNN023', '/layers/1/variance/1', 'batchnorm layer "bn0": variance of channel 1 must be >= 0, found -0.5', 'a variance is a mean of squares and cannot be negative; check that the running variance (not the standard deviation or its log) was exported')],
    ['epsilon zero', () => value(edit(mlp, (m) => { m.layers[1].epsilon = 0; })),
      d('BNN024', '/layers/1/epsilon', 'batchnorm layer "bn0": epsilon must be > 0, found 0', 'typical values are 1e-5 or 1e-3')],
    ['epsilon negative', () => value(edit(mlp, (m) => { m.layers[1].epsilon = -1e-5; })),
      d('BNN024', '/layers/1/epsilon', 'batchnorm layer "bn0": epsilon must be > 0, found -0.00001', 'typical values are 1e-5 or 1e-3')],
    ['gamma with too few values', () => value(edit(mlp, (m) => { m.layers[1].gamma = [1, 1]; })),
      d('BNN031', '/layers/1/gamma', 'batchnorm layer "bn0": \'gamma\' has 2 values, expected 3 (one per channel of its input [3])', 'give exactly 3 values')],
    ['variance with too many values', () => value(edit(cnn, (m) => { m.layers[1].variance = [1, 1, 1, 1]; })),
      d('BNN031', '/layers/1/variance', 'batchnorm layer "bn0": \'variance\' has 4 values, expected 3 (one per channel of its input [4, 4, 3])', 'give exactly 3 values')],
    ['dense bias of the wrong length', () => value(edit(mlp, (m) => { m.layers[0].bias = [1, 1]; })),
      d('BNN031', '/layers/0/bias', 'dense layer "fc0": \'bias\' has 2 values, expected 3 (one per unit)', 'give exactly 3 values')],
    ['conv bias of the wrong length', () => value(edit(cnn, (m) => { m.layers[0].bias = [0.5]; })),
      d('BNN031', '/layers/0/bias', 'conv2d layer "conv0": \'bias\' has 1 value, expected 3 (one per filter)', 'give exactly 3 values')],
    ['affine scale of the wrong length', () => value(edit(mlp, (m) => { m.layers.splice(2, 0, { type: 'affine', scale: [1, 2], bias: 0 }); })),
      d('BNN031', '/layers/2/scale', 'affine layer "l2_affine": \'scale\' has 2 values, expected 3 (one per channel of its input [3])', 'give exactly 3 values')],
  ],
  "shapes between layers": [
    ['dense after an image without flatten', () => value(edit(cnn, (m) => { m.layers.splice(4, 1); })),
      d('BNN030', '/layers/4', 'dense layer "fc1" needs a 1-D input, found [2, 2, 3]', 'add a flatten layer before it')],
    ['conv2d on a vector', () => value(edit(mlp, (m) => { m.layers.splice(3, 1, { type: 'conv2d', filters: 2, kernel: [1, 1], weights: ones(2, 1, 1, 3) }); })),
      d('BNN030', '/layers/3', 'conv2d layer "l3_conv2d" needs an [H, W, C] input, found [3]', 'conv2d and maxpool work on images: give the input shape as [H, W, C]')],
    ['maxpool on a vector', () => value(edit(mlp, (m) => { m.layers.splice(3, 0, { type: 'maxpool', pool: [2, 2] }); })),
      d('BNN030', '/layers/3', 'maxpool layer "l3_maxpool" needs an [H, W, C] input, found [3]', 'conv2d and maxpool work on images: give the input shape as [H, W, C]')],
    ['pool larger than its input', () => value(edit(cnn, (m) => { m.layers[3].pool = [5, 5]; })),
      d('BNN030', '/layers/3/pool', 'maxpool layer "pool0": pool [5, 5] does not fit its input [4, 4, 3]: expected at most [4, 4]', 'use a smaller pool, or pool earlier in the network')],
    ['kernel larger than its input', () => value(edit(cnn, (m) => { m.layers[0].kernel = [7, 7]; m.layers[0].weights = ones(3, 7, 7, 2); })),
      d('BNN030', '/layers/0/kernel', 'conv2d layer "conv0": kernel [7, 7] does not fit its padded input (6 x 6 from [6, 6, 2]): expected at most [6, 6]', 'use a smaller kernel, or pad the input')],
    ['padding beyond the axis limit', () => value(edit(cnn, (m) => { m.layers[0].padding = [3, 0, 65537, 0]; })),
      d('BNN060', '/layers/0/padding', 'conv2d layer "conv0": padding [3, 0, 65537, 0] (top, bottom, left, right) is too large: expected at most 65536 on each side, found 65537', 'check the padding; a border wider than the largest image axis only adds windows of padding')],
    ['input shape with two axes', () => value(edit(mlp, (m) => { m.input.shape = [2, 2]; })),
      d('BNN030', '/input/shape', 'input shape [2, 2] has 2 axes, expected 1 ([N]) or 3 ([H, W, C])', 'use [N] for vectors and [H, W, C] for images ([H, W, 1] for one channel)')],
  ],
  "names": [
    ['model name with a path separator', () => value(edit(mlp, (m) => { m.name = 'nets/tfc'; })),
      d('BNN050', '/name', 'model name "nets/tfc" is not allowed: expected a plain identifier, but it contains the path separator \'/\'', 'names must be plain ASCII identifiers (a letter, then letters, digits and _; at most 48 characters; not a Verilog keyword; not starting with bnn_), for example "nets_tfc"')],
    ['model name with a backslash', () => value(edit(mlp, (m) => { m.name = 'nets\\tfc'; })),
      d('BNN050', '/name', 'model name "nets\\\\tfc" is not allowed: expected a plain identifier, but it contains the path separator \'\\\'', 'names must be plain ASCII identifiers (a letter, then letters, digits and _; at most 48 characters; not a Verilog keyword; not starting with bnn_), for example "nets_tfc"')],
    ['model name ..', () => value(edit(mlp, (m) => { m.name = '..'; })),
      d('BNN050', '/name', 'model name ".." is not allowed: expected a plain identifier, but it contains ".."', 'names must be plain ASCII identifiers (a letter, then letters, digits and _; at most 48 characters; not a Verilog keyword; not starting with bnn_), for example "model"')],
    ['model name ../evil', () => value(edit(mlp, (m) => { m.name = '../evil'; })),
      d('BNN050', '/name', 'model name "../evil" is not allowed: expected a plain identifier, but it contains the path separator \'/\'', 'names must be plain ASCII identifiers (a letter, then letters, digits and _; at most 48 characters; not a Verilog keyword; not starting with bnn_), for example "evil"')],
    ['model name module (Verilog keyword)', () => value(edit(mlp, (m) => { m.name = 'module'; })),
      d('BNN050', '/name', 'model name "module" is not allowed: expected a plain identifier, but it is a Verilog keyword', 'names must be plain ASCII identifiers (a letter, then letters, digits and _; at most 48 characters; not a Verilog keyword; not starting with bnn_), for example "module_net"')],
    ['layer name wire (Verilog keyword)', () => value(edit(mlp, (m) => { m.layers[0].name = 'wire'; })),
      d('BNN050', '/layers/0/name', 'layer name "wire" is not allowed: expected a plain identifier, but it is a Verilog keyword', 'names must be plain ASCII identifiers (a letter, then letters, digits and _; at most 48 characters; not a Verilog keyword; not starting with bnn_), for example "wire_net"')],
    ['layer name non-ASCII', () => value(edit(mlp, (m) => { m.layers[0].name = 'schicht_ä'; })),
      d('BNN050', '/layers/0/name', 'layer name "schicht_ä" is not allowed: expected a plain identifier, but it contains non-ASCII characters', 'names must be plain ASCII identifiers (a letter, then letters, digits and _; at most 48 characters; not a Verilog keyword; not starting with bnn_), for example "schicht_a"')],
    ['layer name empty', () => value(edit(mlp, (m) => { m.layers[0].name = ''; })),
      d('BNN050', '/layers/0/name', 'layer name "" is not allowed: expected a plain identifier, but it is empty', 'names must be plain ASCII identifiers (a letter, then letters, digits and _; at most 48 characters; not a Verilog keyword; not starting with bnn_), for example "model"')],
    ['model name empty', () => value(edit(mlp, (m) => { m.name = ''; })),
      d('BNN050', '/name', 'model name "" is not allowed: expected a plain identifier, but it is empty', 'names must be plain ASCII identifiers (a letter, then letters, digits and _; at most 48 characters; not a Verilog keyword; not starting with bnn_), for example "model"')],
    ['layer name too long (49)', () => value(edit(mlp, (m) => { m.layers[0].name = 'a'.repeat(49); })),
      d('BNN050', '/layers/0/name', 'layer name "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" is not allowed: expected a plain identifier, but it is longer than 48 characters', 'names must be plain ASCII identifiers (a letter, then letters, digits and _; at most 48 characters; not a Verilog keyword; not starting with bnn_), for example "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"')],
    ['layer name too long (65)', () => value(edit(mlp, (m) => { m.layers[0].name = 'b'.repeat(65); })),
      d('BNN050', '/layers/0/name', 'layer name "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" is not allowed: expected a plain identifier, but it is longer than 48 characters', 'names must be plain ASCII identifiers (a letter, then letters, digits and _; at most 48 characters; not a Verilog keyword; not starting with bnn_), for example "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"')],
    ['model name with the bnn_ prefix', () => value(edit(mlp, (m) => { m.name = 'bnn_top'; })),
      d('BNN050', '/name', 'model name "bnn_top" is not allowed: expected a plain identifier, but the prefix bnn_ is reserved for library modules', 'names must be plain ASCII identifiers (a letter, then letters, digits and _; at most 48 characters; not a Verilog keyword; not starting with bnn_), for example "top"')],
    ['model name starting with a digit', () => value(edit(mlp, (m) => { m.name = '1net'; })),
      d('BNN050', '/name', 'model name "1net" is not allowed: expected a plain identifier, but it must start with a letter and contain only letters, digits and _', 'names must be plain ASCII identifiers (a letter, then letters, digits and _; at most 48 characters; not a Verilog keyword; not starting with bnn_), for example "m_1net"')],
    ['model name with a space', () => value(edit(mlp, (m) => { m.name = 'my net'; })),
      d('BNN050', '/name', 'model name "my net" is not allowed: expected a plain identifier, but it must start with a letter and contain only letters, digits and _', 'names must be plain ASCII identifiers (a letter, then letters, digits and _; at most 48 characters; not a Verilog keyword; not starting with bnn_), for example "my_net"')],
    ['model name not a string', () => value(edit(mlp, (m) => { m.name = 5; })),
      d('BNN011', '/name', '\'name\' in the model must be a plain identifier (a string such as "tfc"), found 5', 'letters, digits and _, starting with a letter, at most 48 characters')],
    ['duplicate layer names', () => value(edit(mlp, (m) => { m.layers[3].name = 'fc0'; })),
      d('BNN051', '/layers/3/name', 'layer name "fc0" is already used by layer 0 at /layers/0: expected unique layer names', 'give every layer a unique name')],
    ['name clashing with a default name', () => value(edit(mlp, (m) => { delete m.layers[0].name; m.layers[3].name = 'l0_dense'; })),
      d('BNN051', '/layers/3/name', 'layer name "l0_dense" is already used by layer 0 (its default name) at /layers/0: expected unique layer names', 'give every layer a unique name')],
  ],
  "absurd sizes": [
    ['units 1e9 with a small weights array', () => value(edit(mlp, (m) => { m.layers[3].units = 1e9; })),
      d('BNN060', '/layers/3/units', 'dense layer "fc1": \'units\' is 1000000000, expected at most 65536', 'check the layer size')],
    ['filters 2^30', () => value(edit(cnn, (m) => { m.layers[0].filters = 2 ** 30; })),
      d('BNN060', '/layers/0/filters', 'conv2d layer "conv0": \'filters\' is 1073741824, expected at most 65536', 'check the layer size')],
    ['input of 1e9 elements', () => value(edit(mlp, (m) => { m.input.shape = [1e9]; })),
      d('BNN060', '/input/shape', 'input shape [1000000000] is too large: expected at most 65536 per axis and 67108864 elements in all', 'check the sizes; a binarised network of this size cannot be compiled')],
    ['65536 x 4096 weights declared, one row given', () => value(edit(mlp, (m) => { m.input.shape = [4096]; m.layers[0].units = 65536; m.layers[0].weights = [[1, 1]]; })),
      d('BNN021', '/layers/0/weights', 'dense layer "fc0": expected 65536 entries along units (axis 0), found 1', 'weights have shape [65536, 4096] (units, fan-in)')],
    ['weights over the bit limit', () => value(edit(cnn, (m) => { m.input.shape = [64, 64, 4096]; m.layers[0].filters = 8192; })),
      d('BNN060', '/layers/0/weights', 'conv2d layer "conv0": weights of shape [8192, 3, 3, 4096] (filters, kernel rows, kernel columns, input channels) hold 301989888 bits, expected at most 268435456 (2^28) in the whole model', 'check the units / filters / kernel sizes')],
  ],
  "packed weights": [
    ['packed weights with a padding bit set in the last byte', () => value(edit(mlp, (m) => { m.layers[0].weights = { shape: [3, 4], packed: 'ABA=' }; })),
      d('BNN025', '/layers/0/weights/packed', 'dense layer "fc0": packed weights have nonzero padding bits: 12 bits use only the low 4 bits of the last byte (byte 1), expected its top 4 bits to be 0, found 0x10', 'set bits are probably weights packed for another shape or bit order: pack row-major, least significant bit first, and leave the unused bits of the last byte 0')],
    ['packed weights in one byte with a padding bit set', () => value(edit(mlp, (m) => { m.layers[3].weights = { shape: [2, 3], packed: 'QA==' }; })),
      d('BNN025', '/layers/3/weights/packed', 'dense layer "fc1": packed weights have nonzero padding bits: 6 bits use only the low 6 bits of the last byte (byte 0), expected its top 2 bits to be 0, found 0x40', 'set bits are probably weights packed for another shape or bit order: pack row-major, least significant bit first, and leave the unused bits of the last byte 0')],
    ['packed base64 with nonzero bits in its last character', () => value(edit(mlp, (m) => { m.layers[0].weights = { shape: [3, 4], packed: 'AA9=' }; })),
      d('BNN025', '/layers/0/weights/packed', 'dense layer "fc0": "packed" has nonzero padding bits in its last base64 character "9": expected "AA8=" at the end (the same 2 bytes, unused bits 0)', 'encode the bytes with a standard base64 encoder (Python base64.b64encode, Node Buffer.toString("base64")): it leaves the unused bits 0')],
    ['packed weights truncated', () => value(edit(mlp, (m) => { m.layers[0].weights = { shape: [3, 4], packed: 'AA==' }; })),
      d('BNN022', '/layers/0/weights/packed', 'dense layer "fc0": packed weights are truncated: expected 2 bytes for 12 bits, found 1', 'the base64 must decode to ceil(prod(shape) / 8) bytes (bits row-major, least significant bit first)')],
    ['packed weights too long', () => value(edit(mlp, (m) => { m.layers[0].weights = { shape: [3, 4], packed: 'AAAA' }; })),
      d('BNN022', '/layers/0/weights/packed', 'dense layer "fc0": packed weights are too long: expected 2 bytes for 12 bits, found 3', 'the base64 must decode to ceil(prod(shape) / 8) bytes (bits row-major, least significant bit first)')],
    ['packed invalid base64 character', () => value(edit(mlp, (m) => { m.layers[0].weights = { shape: [3, 4], packed: 'AA!=' }; })),
      d('BNN022', '/layers/0/weights/packed', 'dense layer "fc0": "packed" is not valid base64: expected only A-Z a-z 0-9 + / and = padding, found "!" at offset 2', 'use standard base64 (A-Z a-z 0-9 + /, padded with = to a multiple of 4 characters), not the URL-safe alphabet')],
    ['packed base64 URL-safe alphabet', () => value(edit(mlp, (m) => { m.layers[0].weights = { shape: [3, 4], packed: '_-8=' }; })),
      d('BNN022', '/layers/0/weights/packed', 'dense layer "fc0": "packed" is not valid base64: expected only A-Z a-z 0-9 + / and = padding, found "_" at offset 0', 'use standard base64 (A-Z a-z 0-9 + /, padded with = to a multiple of 4 characters), not the URL-safe alphabet')],
    ['packed base64 bad length', () => value(edit(mlp, (m) => { m.layers[0].weights = { shape: [3, 4], packed: 'AAA' }; })),
      d('BNN022', '/layers/0/weights/packed', 'dense layer "fc0": "packed" is not valid base64: expected a length that is a multiple of 4, found 3 characters', 'use standard base64 (A-Z a-z 0-9 + /, padded with = to a multiple of 4 characters), not the URL-safe alphabet')],
    ['packed base64 padding in the middle', () => value(edit(mlp, (m) => { m.layers[0].weights = { shape: [3, 4], packed: 'A=AA' }; })),
      d('BNN022', '/layers/0/weights/packed', 'dense layer "fc0": "packed" is not valid base64: expected \'=\' padding only at the end, found it at offset 1', 'use standard base64 (A-Z a-z 0-9 + /, padded with = to a multiple of 4 characters), not the URL-safe alphabet')],
    ['packed not a string', () => value(edit(mlp, (m) => { m.layers[0].weights = { shape: [3, 4], packed: 12 }; })),
      d('BNN022', '/layers/0/weights/packed', 'dense layer "fc0": "packed" must be a base64 string, found 12 (a number)', 'encode the bit bytes with standard base64')],
    ['packed shape transposed', () => value(edit(mlp, (m) => { m.layers[0].weights = { shape: [4, 3], packed: 'AAA=' }; })),
      d('BNN021', '/layers/0/weights/shape', 'dense layer "fc0": packed shape [4, 3] does not match the expected [3, 4] (units, fan-in)', 'the shape follows from the layer: [units, fan-in] for dense, [filters, kernel rows, kernel columns, input channels] for conv2d')],
    ['packed shape with a wrong rank', () => value(edit(cnn, (m) => { m.layers[0].weights = { shape: [3, 18], packed: 'AAAAAAAAAA==' }; })),
      d('BNN021', '/layers/0/weights/shape', 'conv2d layer "conv0": packed shape [3, 18] does not match the expected [3, 3, 3, 2] (filters, kernel rows, kernel columns, input channels)', 'the shape follows from the layer: [units, fan-in] for dense, [filters, kernel rows, kernel columns, input channels] for conv2d')],
    ['packed shape negative', () => value(edit(mlp, (m) => { m.layers[0].weights = { shape: [3, -4], packed: 'AAA=' }; })),
      d('BNN021', '/layers/0/weights/shape', 'dense layer "fc0": packed shape must be an array of positive integers, found [3, -4]', 'expected [3, 4] (units, fan-in)')],
    ['packed shape missing', () => value(edit(mlp, (m) => { m.layers[0].weights = { packed: 'AAA=' }; })),
      d('BNN010', '/layers/0/weights/shape', 'dense layer "fc0": missing field \'shape\' in packed weights, expected [3, 4] (units, fan-in)', 'write "shape": [3, 4]')],
  ],
  "not mappable (compile front end)": [
    ['two linear layers without sign', () => front(edit(mlp, (m) => { m.layers.splice(1, 2); })),
      d('BNN040', '/layers/1', 'dense layer "fc1" directly follows "fc0": expected a sign between them, found nothing', 'put batchnorm (optional) and sign between linear layers')],
    ['batchnorm but no sign between linear layers', () => front(edit(mlp, (m) => { m.layers.splice(2, 1); })),
      d('BNN040', '/layers/1', 'expected a sign between "fc0" and "fc1", found only batchnorm "bn0": "fc1" would receive non-binary values', 'put a sign layer (after the optional batchnorm) before every linear layer but the first')],
    ['sign after the last layer', () => front(edit(mlp, (m) => { m.layers.push({ type: 'sign', name: 'act1' }); })),
      d('BNN040', '/layers/4', 'sign layer "act1" after the last linear layer "fc1" is not mappable: expected only batchnorm, affine or flatten there', 'remove it: the output is the scores of the last linear layer or their argmax, not their signs')],
    ['batchnorm after sign', () => front(edit(mlp, (m) => { m.layers.splice(3, 0, { type: 'batchnorm', name: 'bn1', gamma: [1, 1, 1], beta: [0, 0, 0], mean: [0, 0, 0], variance: [1, 1, 1], epsilon: 1e-5 }); })),
      d('BNN040', '/layers/3', 'batchnorm layer "bn1" after the sign "act0" is not mappable: expected only maxpool or flatten between "fc0" and "fc1" after the sign', 'move it before the sign, where it folds into the threshold')],
    ['maxpool on the raw input', () => front(edit(cnn, (m) => { m.input.shape = [12, 12, 2]; m.layers.unshift({ type: 'maxpool', name: 'pool_in', pool: [2, 2] }); })),
      d('BNN040', '/layers/0', 'maxpool layer "pool_in" on the raw input is not mappable without a sign after it: expected only flatten, or batchnorm / affine followed by a sign, before the first linear layer "conv0"', 'pool after a sign (binary values), or after the first linear layer')],
    ['batchnorm on the raw input without sign', () => front(edit(mlp, (m) => { m.layers.unshift({ type: 'batchnorm', name: 'in_bn', gamma: [1, 1, 1, 1], beta: [0, 0, 0, 0], mean: [0, 0, 0, 0], variance: [1, 1, 1, 1], epsilon: 1e-5 }); })),
      d('BNN040', '/layers/0', 'batchnorm layer "in_bn" on the raw input is not mappable without a sign after it: expected only flatten, or batchnorm / affine followed by a sign, before the first linear layer "fc0"', 'the raw input may only be flattened, or binarised by batchnorm / affine layers followed by a sign')],
    ['no linear layer', () => front(edit(mlp, (m) => { m.layers = [{ type: 'sign', name: 's' }]; })),
      d('BNN040', '/layers', 'expected at least one dense or conv2d layer, found only sign "s"', 'a BNN needs at least one linear layer; the last one gives the scores')],
    ['two signs between linear layers', () => front(edit(mlp, (m) => { m.layers.splice(3, 0, { type: 'sign', name: 'act0b' }); })),
      d('BNN040', '/layers/3', 'expected one sign between "fc0" and "fc1", found 2: "act0", "act0b"', 'remove the extra sign: sign(sign(x)) = sign(x)')],
    ['maxpool after the last layer', () => front(edit(cnn, (m) => { m.layers.splice(1, 5, { type: 'maxpool', name: 'pool_out', pool: [2, 2] }); })),
      d('BNN040', '/layers/1', 'maxpool layer "pool_out" after the last linear layer "conv0" is not mappable: expected only batchnorm, affine or flatten there', 'after the last linear layer only batchnorm / affine (and flatten) may follow; the output is its scores or their argmax')],
    ['batchnorm per pixel after a flatten', () => front(edit(cnn, (m) => { m.layers.splice(1, 3, { type: 'maxpool', name: 'pool0', pool: [2, 2] }, { type: 'flatten', name: 'flat' }, { type: 'affine', name: 'aff', scale: 1, bias: 0 }, { type: 'sign', name: 'act0' }); m.layers.splice(m.layers.length - 2, 1); m.layers[m.layers.length-1].weights = ones(2, 12); })),
      d('BNN040', '/layers/3', 'affine layer "aff" after flattening an image needs a parameter per pixel, which is not mappable here: expected batchnorm / affine per channel, before the flatten', 'apply batchnorm / affine before the flatten (per channel)')],
  ],
  "not mappable at planning": [
    ['uint32 input padded with -1 (33-bit window elements)', () => planned(edit(cnn, (m) => { m.input.type = 'uint32'; m.layers[0].padding = 'same'; m.layers[5].weights = ones(2, 27); })),
      d('BNN041', '/layers/0', 'conv2d layer "conv0" is not mappable: its padding is input code -1, outside the uint32 input range [0, 4294967295], so the window elements would need 33 bits; expected at most 32', 'pad with a value inside the input range (padValue 0), use "valid" padding, or a narrower input type')],
    ['fixed<32,31> input padded with +1 (code 2^31)', () => planned(edit(cnn, (m) => { m.input.type = { fixed: { bits: 32, frac: 31 } }; m.layers[0].padding = [1, 0, 0, 0]; m.layers[0].padValue = 1; })),
      d('BNN041', '/layers/0', 'conv2d layer "conv0" is not mappable: its padding is input code 2147483648, outside the fixed<32,31> input range [-2147483648, 2147483647], so the window elements would need 33 bits; expected at most 32', 'pad with a value inside the input range (padValue 0), use "valid" padding, or a narrower input type')],
    ['a line buffer larger than any tensor (kernel 4000 rows on a one-row image)', () => planned({
      format: 'bnn-hw/model@1', name: 'tall', input: { shape: [1, 32768, 1], type: 'bipolar' },
      layers: [
        { type: 'conv2d', name: 'c0', filters: 1, kernel: [4000, 1], padding: [2000, 2000, 0, 0], weights: { shape: [1, 4000, 1, 1], packed: Buffer.alloc(500).toString('base64') } },
        { type: 'sign', name: 's0' }, { type: 'flatten', name: 'f' },
        { type: 'dense', name: 'fc', units: 2, weights: { shape: [2, 65536], packed: Buffer.alloc(16384).toString('base64') } },
      ],
      output: 'argmax',
    }),
      d('BNN042', '/layers/0', 'conv2d layer "c0" is not mappable: its sliding window needs a line buffer of 4001 rows x 32768 words (131104768 words of 1 bit); expected at most 67108864 words', 'the buffer holds kernel rows + stride rows of the input image: use a smaller kernel or stride along the rows, less padding, or a narrower image; a larger SIMD makes fewer, wider words')],
  ],

};

describe('bad models', () => {
  it('the valid bases load and compile', () => {
    expect(() => front(mlp())).not.toThrow();
    expect(() => front(cnn())).not.toThrow();
  });

  it('padding at least as large as the kernel and strides larger than the pool load and plan (windows of padding only, skipped rows)', () => {
    const m = edit(cnn, (x) => {
      x.layers[0].padding = [3, 4, 5, 3];
      x.layers[3].strides = [3, 4];
      x.layers[5].weights = ones(2, 4 * 3 * 3);
    });
    const model = value(m);
    // (6+3+4-3)/1+1 = 11 rows, (6+5+3-3)/1+1 = 12 columns; pool 2x2 stride 3x4: 4 x 3
    expect(model.layers[0]!.outShape).toEqual([11, 12, 3]);
    expect(model.layers[3]!.outShape).toEqual([4, 3, 3]);
    expect(() => planned(m)).not.toThrow();
  });

  it('has at least 30 cases', () => {
    expect(Object.values(CASES).flat().length).toBeGreaterThanOrEqual(30);
  });

  for (const [group, cases] of Object.entries(CASES)) {
    describe(group, () => {
      it.each(cases)('%s', (_name, run, want) => {
        expect(diagnostics(run)).toEqual([want]);
      });
    });
  }

  it('every diagnostic says what was expected and gives a hint', () => {
    for (const [, run] of Object.values(CASES).flat()) {
      for (const dg of diagnostics(run)) {
        expect(dg.hint, dg.message).toBeTruthy();
        expect(dg.message, dg.message).toMatch(/expected|must|needs/);
      }
    }
  });

  it('reports a misspelt field and a second unknown field together', () => {
    const m = edit(mlp, (x) => {
      x.layers[1].epsilom = 1e-5;
      delete x.layers[1].epsilon;
      x.layers[0].actvation = 'sign';
    });
    expect(diagnostics(() => value(m)).map((x) => `${x.code} ${x.pointer}`)).toEqual(['BNN012 /layers/0/actvation', 'BNN012 /layers/1/epsilom']);
  });

  describe('absurd sizes are refused before anything is allocated', () => {
    const quick = (m: Json, code: string) => {
      const t0 = performance.now();
      const ds = diagnostics(() => value(m));
      const ms = performance.now() - t0;
      expect(ds[0]!.code).toBe(code);
      expect(ms).toBeLessThan(250);
    };
    it('units 1e9 with a 2 x 3 weights array', () => quick(edit(mlp, (m) => (m.layers[3].units = 1e9)), 'BNN060'));
    it('units 1e9 in the packed form', () => quick(edit(mlp, (m) => {
      m.layers[3].units = 1e9;
      m.layers[3].weights = { shape: [1e9, 3], packed: 'AAAA' };
    }), 'BNN060'));
    it('2^28 weight bits declared (at the limit), one short row given', () => quick(edit(mlp, (m) => {
      m.input.shape = [4096];
      m.layers[0].units = 65536;
      m.layers[0].weights = [[1, 1]];
    }), 'BNN021'));
    it('2^28 weight bits declared, rows of the right count but one of them short', () => quick(edit(mlp, (m) => {
      m.input.shape = [65536];
      m.layers[0].units = 4096;
      m.layers[0].weights = Array.from({ length: 4096 }, (_, i) => (i === 0 ? [1] : []));
    }), 'BNN021'));
    it('2^28 packed bits declared, 3 bytes given', () => quick(edit(mlp, (m) => {
      m.input.shape = [4096];
      m.layers[0].units = 65536;
      m.layers[0].weights = { shape: [65536, 4096], packed: 'AAAA' };
    }), 'BNN022'));
    it('an input of 1e9 elements', () => quick(edit(mlp, (m) => (m.input.shape = [1e9])), 'BNN060'));
    it('an image of 65536 x 65536 x 3', () => quick(edit(cnn, (m) => (m.input.shape = [65536, 65536, 3])), 'BNN060'));
  });
});

describe('bad inputs', () => {
  const model = (type: unknown, shape = [4]): Model =>
    loadModelValue({
      format: 'bnn-hw/model@1',
      name: 'tiny',
      input: { shape, type },
      layers: [...(shape.length === 3 ? [{ type: 'flatten' }] : []), { type: 'dense', name: 'fc0', units: 2, weights: ones(2, shape.reduce((a, b) => a * b, 1)) }],
      output: 'argmax',
    });
  const uint8 = model('uint8');
  const fixed = model({ fixed: { bits: 8, frac: 7 } });

  it.each<[string, () => unknown, Diagnostic]>([
    ['too few values', () => codesFromValues([1, 2, 3], uint8, '/inputs/0'),
      d('BNN070', '/inputs/0', 'input has 3 values, expected 4 (input shape [4])', 'each input is the flattened HWC tensor')],
    ['too many values for an image', () => codesFromValues([1, 2, 3, 4, 5], model('uint8', [2, 2, 1]), '/inputs/2'),
      d('BNN070', '/inputs/2', 'input has 5 values, expected 4 (input shape [2, 2, 1])', 'each input is the flattened HWC tensor')],
    ['uint8 above 255', () => codesFromValues([1, 2, 3, 256], uint8, '/inputs/0'),
      d('BNN071', '/inputs/0/3', 'input element 3 must be in [0, 255] for input type uint8, found 256', 'uint8 inputs are integers in [0, 255]')],
    ['uint8 negative', () => codesFromValues([-1, 2, 3, 4], uint8, '/inputs/0'),
      d('BNN071', '/inputs/0/0', 'input element 0 must be in [0, 255] for input type uint8, found -1', 'uint8 inputs are integers in [0, 255]')],
    ['uint8 not an integer', () => codesFromValues([1.5, 2, 3, 4], uint8, '/inputs/0'),
      d('BNN071', '/inputs/0/0', 'input element 0 must be an integer for input type uint8, found 1.5', 'uint8 inputs are integers in [0, 255]')],
    ['int4 out of range', () => codesFromValues([1, 2, 3, 8], model('int4'), '/inputs/0'),
      d('BNN071', '/inputs/0/3', 'input element 3 must be in [-8, 7] for input type int4, found 8', 'int4 inputs are integers in [-8, 7]')],
    ['fixed not a multiple of 2^-frac', () => codesFromValues([0.5, 0.3, 0, 0], fixed, '/inputs/0'),
      d('BNN071', '/inputs/0/1', 'input element 1 must be a multiple of 2^-7 = 0.0078125 for input type fixed<8,7>, found 0.3', 'fixed<8,7> inputs are multiples of 0.0078125 in [-1, 0.9921875] (real values, not the integer codes)')],
    ['fixed out of range', () => codesFromValues([0.5, 1, 0, 0], fixed, '/inputs/0'),
      d('BNN071', '/inputs/0/1', 'input element 1 must be in [-1, 0.9921875] for input type fixed<8,7>, found 1', 'fixed<8,7> inputs are multiples of 0.0078125 in [-1, 0.9921875] (real values, not the integer codes)')],
    ['fixed given as integer codes', () => codesFromValues([64, 0, 0, 0], fixed, '/inputs/0'),
      d('BNN071', '/inputs/0/0', 'input element 0 must be in [-1, 0.9921875] for input type fixed<8,7>, found 64', 'fixed<8,7> inputs are multiples of 0.0078125 in [-1, 0.9921875] (real values, not the integer codes)')],
    ['bipolar 0', () => codesFromValues([1, -1, 0, 1], model('bipolar'), '/inputs/0'),
      d('BNN071', '/inputs/0/2', 'input element 2 must be -1 or +1 for input type bipolar, found 0', 'bipolar inputs are -1 or +1')],
    ['NaN', () => codesFromValues([1, NaN, 0, 1], uint8, '/inputs/0'),
      d('BNN071', '/inputs/0/1', 'input element 1 must be a finite number for input type uint8, found NaN', 'uint8 inputs are integers in [0, 255]')],
  ])('%s', (_name, run, want) => {
    expect(diagnostics(run)).toEqual([want]);
  });

  describe('input files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bnn-hw-bad-inputs-'));
    const file = (name: string, content: string) => {
      const p = join(dir, name);
      writeFileSync(p, content);
      return p;
    };
    const inFile = (name: string, want: Diagnostic) => ({ ...want, file: join(dir, name) });
    it.each<[string, string, Diagnostic]>([
      ['wrong-length.json', '{"inputs": [[1, 2, 3, 4], [1, 2, 3]]}',
        d('BNN070', '/inputs/1', 'input has 3 values, expected 4 (input shape [4])', 'each input is the flattened HWC tensor')],
      ['out-of-range.json', '{"inputs": [[1, 2, 3, 300]]}',
        d('BNN071', '/inputs/0/3', 'input element 3 must be in [0, 255] for input type uint8, found 300', 'uint8 inputs are integers in [0, 255]')],
      ['string-value.json', '{"inputs": [[1, "2", 3, 4]]}',
        d('BNN071', '/inputs/0/1', 'input element 1 must be a number for input type uint8, found "2"', 'uint8 inputs are integers in [0, 255]')],
      ['no-inputs.json', '{"input": [[1, 2, 3, 4]]}',
        d('BNN072', '/inputs', 'input file must be {"inputs": [[...], ...]}: expected "inputs" to be an array, found nothing', 'the file has "input" but no "inputs"')],
      ['empty-inputs.json', '{"inputs": []}',
        d('BNN072', '/inputs', 'expected at least one input, found an empty "inputs" array', 'add an input vector')],
      ['not-an-array.json', '{"inputs": [5]}',
        d('BNN072', '/inputs/0', 'input 0 must be an array of numbers, found 5', 'each input is an array of real values (flattened HWC)')],
      ['top-level-array.json', '[[1, 2, 3, 4]]',
        d('BNN072', '', 'input file must be {"inputs": [[...], ...]}, found [[1, 2, 3, 4]]', 'each input is an array of real values (flattened HWC)')],
      ['truncated.json', '{"inputs": [[1, 2, 3, 4]',
        d('BNN001', '/inputs', "input file is not valid JSON: expected ',' or ']' after the array element, found the end of the file (line 1, column 25)", 'the file ends too early: it may be truncated, or a closing bracket, brace or quote is missing')],
      ['nan.json', '{"inputs": [[1, NaN, 3, 4]]}',
        d('BNN020', '/inputs/0/1', 'input file: expected a finite number, found NaN', 'NaN and Infinity are not JSON numbers (Python writes them unless json.dump(..., allow_nan=False)); replace them by finite values')],
    ])('%s', (name, content, want) => {
      expect(diagnostics(() => readInputs(file(name, content), uint8))).toEqual([inFile(name, want)]);
    });

    it('nchw layout with the wrong length', () => {
      const p = file('nchw.json', '{"inputs": [[1, 2, 3]]}');
      expect(diagnostics(() => readInputs(p, model('uint8', [2, 2, 1]), 'nchw'))).toEqual([
        inFile('nchw.json', d('BNN070', '/inputs/0', 'input has 3 values, expected 4 (input shape [2, 2, 1])', 'each input is the flattened HWC tensor')),
      ]);
    });

    it('a missing file: the diagnostic names it', () => {
      const p = join(dir, 'missing.json');
      expect(diagnostics(() => readInputs(p, uint8))).toEqual([{ ...d('BNN072', '', `cannot read input file '${p}' (ENOENT)`, 'check the path'), file: p }]);
      rmSync(dir, { recursive: true, force: true });
    });
  });
});
