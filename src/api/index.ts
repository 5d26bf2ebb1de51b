/**
 * bnn-hw's programmatic API (the package root, `import { loadModel, infer } from 'bnn-hw'`): the functions
 * the command line calls, each returning the data its `--json` prints. Bad input throws DiagnosticError,
 * whose `diagnostics` are the objects `--json` prints. Options and returns: docs/api.md.
 */
export { loadModel, type Model, type ModelSource } from './model.js';
export { inspect, type InspectReport, type LayerStats } from './inspect.js';
export { infer, evaluate, type Engine, type EvaluateOptions, type EvaluateReport, type InferOptions, type Inputs, type Layout, type Output } from './infer.js';
export { plan, type FoldOptions, type ManifestLayer, type PlanReport } from './plan.js';
export { generate, type GenerateOptions, type GenerateReport } from './generate.js';
export { simulate, type LayerActivity, type SimulateOptions, type SimulateReport } from './simulate.js';
export { estimate, type EstimateOptions, type EstimateReport, type Fabric } from './estimate.js';
export { DiagnosticError, type Diagnostic, type DiagCode } from '../diagnostics/diagnostic.js';
