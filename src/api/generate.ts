/** Generating the streaming Verilog design of a model into a folder (`bnn-hw generate`). */
import { PASSES, type Pass } from '../passes/pipeline.js';
import { type Built, type FoldOptions, buildDesign } from '../flows/build.js';
import { checkOutputDir, writeOutputDir } from '../util/output-dir.js';
import { fail } from '../diagnostics/diagnostic.js';
import { type ModelSource, loadModel } from './model.js';
import { firstGraphLayer } from '../ir/graph.js';
import { type GraphPlanned, planGraphDesign } from '../flows/graph-build.js';
import { emitGraphDesign } from '../flows/graph-design.js';
import type { FileBody } from '../emit/design.js';
import { flag, optionalOneOf, optionsObject, text, withDiagnosticsAsync } from './options.js';
import { type ManifestLayer, foldOptionsOf } from './plan.js';

export interface GenerateOptions extends FoldOptions {
  /** the output folder; replaced only when it is empty or holds a design bnn-hw wrote, unless `force` (docs/output-folders.md) */
  outDir: string;
  force?: boolean;
  /** give the IR as text after this compiler pass to `dumpOut` (the CLI's --dump-after) */
  dumpAfter?: Pass;
  dumpOut?: (text: string) => void;
}

/** What `generate --json` prints: the output folder and the design's manifest (manifest.json). */
export interface GenerateReport {
  outputDir: string;
  format: string;
  generator: string;
  name: string;
  top: string;
  input: object;
  output: object;
  layers: ManifestLayer[];
  cyclesPerFrame: number;
  latencyCycles: number;
  files: string[];
}

/** A residual graph's design (issue 13): its sized graph plan, timing and files. */
export type GraphBuilt = GraphPlanned & { files: Map<string, FileBody> };

/** The report and the built design (a chain's or a graph's), for the CLI's text. */
export async function generateRun(model: ModelSource, options: GenerateOptions): Promise<{ report: GenerateReport; built: Built | GraphBuilt }> {
  return withDiagnosticsAsync(async () => {
    const m = loadModel(model);
    const o = optionsObject(options);
    const target = text('outDir', o.outDir, true);
    const force = { force: flag('force', o.force) === true };
    const fold = foldOptionsOf(o);
    checkOutputDir(target, force); // before the work: a refused folder is reported at once
    const after = optionalOneOf('dumpAfter', o.dumpAfter, PASSES);
    if (after !== undefined && typeof o.dumpOut !== 'function') fail('BNN087', '', "option 'dumpAfter' needs 'dumpOut', a function that receives the printed IR", 'for example dumpOut: (text) => console.log(text)');
    const dump = after !== undefined ? { after, out: o.dumpOut! } : undefined;
    let built: Built | GraphBuilt;
    if (firstGraphLayer(m)) {
      const g = planGraphDesign(m, fold, dump);
      built = { ...g, files: emitGraphDesign(m, g.plan, g.timing) };
    } else built = buildDesign(m, fold, dump);
    const dir = await writeOutputDir(target, built.files, force);
    const manifest = JSON.parse(built.files.get('manifest.json') as string) as Omit<GenerateReport, 'outputDir'>;
    return { report: { outputDir: dir, ...manifest }, built };
  });
}

/** `bnn-hw generate --json`: write the design (rtl/, mem/, tb/, flows/, manifest.json) to `outDir`; returns the folder and the manifest. */
export async function generate(model: ModelSource, options: GenerateOptions): Promise<GenerateReport> {
  return (await generateRun(model, options)).report;
}
