/** Running a model in software: the float reference or the bit-packed integer engine, and accuracy on a dataset (`bnn-hw infer`). */
import { argmax, inferFloat, type Output } from '../reference/float.js';
import { inferInteger } from '../reference/integer.js';
import { graphIntegerEngine } from '../reference/graph-integer.js';
import { firstGraphLayer } from '../ir/graph.js';
import { compileIr } from '../passes/pipeline.js';
import type { Model } from '../ir/model.js';
import { inputRange } from '../ir/model.js';
import { DATASETS, type DatasetName, type Split, accuracy, datasetCodes, loadDataset, type Accuracy, type Dataset } from '../frontend/datasets.js';
import { inputsFromJson, readInputs, type Layout } from '../frontend/inputs.js';
import { table } from '../util/table.js';
import { type ModelSource, loadModel } from './model.js';
import { choice, intAtLeast, oneOf, optionalOneOf, optionsObject, withDiagnostics } from './options.js';

export type { Output } from '../reference/float.js';
export type { Layout } from '../frontend/inputs.js';

export type Engine = 'float' | 'integer';

/** Run a model on integer input codes with the chosen engine. */
export function runInference(model: Model, inputs: number[][], engine: Engine): Output[] {
  if (engine === 'float') {
    const scale = inputRange(model.input.type).scale;
    return inputs.map((codes) => inferFloat(model, codes.map((c) => c * scale)));
  }
  // graphs (issue 13) run on the graph integer engine until the hardware maps them; chains on the hardware IR
  if (firstGraphLayer(model)) return inputs.map(graphIntegerEngine(model));
  const ir = compileIr(model, { multiBit: true });
  return inputs.map((codes) => inferInteger(ir, codes).output);
}

/** The class an output stands for: the label itself, or the argmax of the scores. */
export const predictedClass = (o: Output): number => (Array.isArray(o) ? argmax(o) : o);

export interface DatasetOptions {
  dataset?: DatasetName;
  limit?: number;
  split?: Split;
}

/** Load the dataset for a model and give its images as input codes. */
export function datasetInputs(model: Model, o: DatasetOptions, defaultLimit?: number): { ds: Dataset; codes: number[][] } {
  const limit = o.limit ?? defaultLimit;
  const ds = loadDataset(o.dataset!, { ...(limit !== undefined ? { limit } : {}), ...(o.split ? { split: o.split } : {}) });
  return { ds, codes: datasetCodes(ds, model) };
}

export function accuracyReport(ds: Dataset, outputs: Output[]): Accuracy {
  return accuracy(outputs.map(predictedClass), ds.labels, ds.classes.length);
}

export function accuracyText(ds: Dataset, a: Accuracy): string {
  const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
  const k = ds.classes.length;
  const rows = a.confusion.map((r, t) => [`${t} ${ds.classes[t] === String(t) ? '' : ds.classes[t]}`.trim(), ...r, r.reduce((x, y) => x + y, 0) ? pct(r[t]! / r.reduce((x, y) => x + y, 0)) : '-']);
  return [
    `${ds.name}: ${a.images} images from ${ds.source}`,
    `accuracy ${pct(a.accuracy)} (${a.correct} / ${a.images} correct)`,
    'confusion matrix (rows: true class, columns: predicted class):',
    table(['true', ...Array.from({ length: k }, (_, i) => String(i)), 'recall'], rows, [false, ...new Array<boolean>(k + 1).fill(true)]),
  ].join('\n');
}

export const ENGINES: readonly Engine[] = ['float', 'integer'];
export const LAYOUTS: readonly Layout[] = ['hwc', 'nchw'];

/** Input vectors: a JSON ({"inputs": [[...], ...]}) or .npy file, or the vectors themselves (real values, each the flattened HWC input). */
export type Inputs = string | readonly (readonly number[])[];

/** The integer codes of the inputs, checked against the model's input as `--input` files are. */
export function inputCodes(model: Model, inputs: Inputs, layout: Layout = 'hwc'): number[][] {
  return typeof inputs === 'string' ? readInputs(inputs, model, layout) : inputsFromJson({ inputs }, model, layout);
}

export interface InferOptions {
  /** 'integer' (default): the bit-packed hardware arithmetic; 'float': the reference semantics */
  engine?: Engine;
  /** layout of image inputs: 'hwc' (default) or 'nchw' */
  layout?: Layout;
}

/** `bnn-hw infer --input ... --json`: the outputs (labels, or score arrays) of the inputs. */
export function infer(model: ModelSource, inputs: Inputs, options?: InferOptions): { outputs: Output[] } {
  return withDiagnostics(() => {
    const m = loadModel(model);
    const o = optionsObject(options);
    const engine = oneOf('engine', o.engine, ENGINES, 'integer');
    const layout = oneOf('layout', o.layout, LAYOUTS, 'hwc');
    return { outputs: runInference(m, inputCodes(m, inputs, layout), engine) };
  });
}

export interface EvaluateOptions extends DatasetOptions {
  engine?: Engine;
}

export interface EvaluateReport extends Accuracy {
  dataset: string;
  split: Dataset['split'];
  source: string;
  engine: Engine;
  classes: string[];
}

/** The dataset and its accuracy, for the CLI's text. */
export function evaluateRun(model: ModelSource, options?: EvaluateOptions): { ds: Dataset; accuracy: Accuracy; report: EvaluateReport } {
  return withDiagnostics(() => {
    const m = loadModel(model);
    const o = optionsObject(options);
    const engine = oneOf('engine', o.engine, ENGINES, 'integer');
    const dataset = choice('dataset', o.dataset, DATASETS);
    const split = optionalOneOf('split', o.split, ['test', 'train'] as const);
    const limit = o.limit === undefined ? undefined : intAtLeast('limit', o.limit, 1, 1);
    const { ds, codes } = datasetInputs(m, { dataset, ...(limit !== undefined ? { limit } : {}), ...(split ? { split } : {}) });
    const a = accuracyReport(ds, runInference(m, codes, engine));
    return { ds, accuracy: a, report: { dataset: ds.name, split: ds.split, source: ds.source, engine, classes: ds.classes, ...a } };
  });
}

/** `bnn-hw infer --dataset ... --json`: top-1 accuracy and confusion matrix of the model on a dataset. */
export function evaluate(model: ModelSource, options?: EvaluateOptions): EvaluateReport {
  return evaluateRun(model, options).report;
}
