/** Running a model in software: the float reference or the bit-packed integer engine, and accuracy on a dataset (`bnn-hw infer`). */
import { argmax, inferFloat, type Output } from '../reference/float.js';
import { inferInteger } from '../reference/integer.js';
import { compileIr } from '../passes/pipeline.js';
import type { Model } from '../ir/model.js';
import { inputRange } from '../ir/model.js';
import { type DatasetName, type Split, accuracy, datasetCodes, loadDataset, type Accuracy, type Dataset } from '../frontend/datasets.js';
import { table } from '../util/table.js';

export type Engine = 'float' | 'integer';

/** Run a model on integer input codes with the chosen engine. */
export function runInference(model: Model, inputs: number[][], engine: Engine): Output[] {
  if (engine === 'float') {
    const scale = inputRange(model.input.type).scale;
    return inputs.map((codes) => inferFloat(model, codes.map((c) => c * scale)));
  }
  const ir = compileIr(model);
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
