/**
 * `verify` on a residual graph (issue 13): plan and size the graph (graph-build.ts), expected outputs
 * from the graph integer engine (graph-expected.ts), then the graph design in the simulators
 * (graph-verify.ts), with verify's options and report.
 */
import type { Model } from '../ir/model.js';
import { planGraphDesign } from './graph-build.js';
import { expectedGraphOutputs } from './graph-expected.js';
import { type GraphVerifyReport, verifyGraph } from './graph-verify.js';
import type { VerifyOptions } from './verify.js';

export async function verifyGraphModel(model: Model, o: VerifyOptions, codes: number[][]): Promise<GraphVerifyReport> {
  const { plan, timing } = planGraphDesign(model, o);
  const exp = expectedGraphOutputs(plan, codes);
  // the hardware streams the label (argmax) or the integer scores
  const expected = plan.output.format.kind === 'argmax' ? exp.outputs : exp.scores;
  const report = await verifyGraph(model, plan, timing, {
    simulators: o.simulators, inputs: codes, expected, seed: o.seed, stall: o.stall, progress: o.progress,
    ...(o.outDir !== undefined ? { outDir: o.outDir, force: o.force === true } : {}),
  });
  return { ...report, outputs: exp.outputs };
}
