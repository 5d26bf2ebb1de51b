/** Loading a model for the API: from a model.json path, from its parsed JSON value, or a model loadModel already returned. */
import { loadModelFile, loadModelValue } from '../frontend/load.js';
import type { Model } from '../ir/model.js';
import { withDiagnostics } from './options.js';

export type { Model } from '../ir/model.js';

/** What every API function takes as its model: a model.json path, the parsed model.json value, or loadModel's result. */
export type ModelSource = Model | string | object;

/** Models this module returned: checked once, taken as they are afterwards. */
const loaded = new WeakSet<object>();

/** Read and check a model (format bnn-hw/model@1): a path to model.json, or its parsed JSON value. Throws DiagnosticError. */
export function loadModel(source: ModelSource): Model {
  if (typeof source === 'object' && source !== null && loaded.has(source)) return source as Model;
  const model = withDiagnostics(() => (typeof source === 'string' ? loadModelFile(source) : loadModelValue(source)));
  loaded.add(model);
  return model;
}
