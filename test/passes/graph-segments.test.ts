/**
 * Chain sub-models cut out of residual graphs (issue 13, the graph planner's segments): each run of
 * layers between junctions, compiled by the chain pipeline with a 'codes' input (the full lane range of
 * the junction tensor's producer, at its scale) and a 'codes' output (the trailing activation), run on
 * the chain integer engine, gives exactly the tensor the graph float reference (equal to the graph
 * integer engine, test/graph/engines.test.ts) holds at the cut points.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadModelValue } from '../../src/frontend/load.js';
import { type Coded, type Tensor, graphStep, inferFloat, inputTensor, runGraph } from '../../src/reference/float.js';
import { inferInteger } from '../../src/reference/integer.js';
import { compileIr } from '../../src/passes/pipeline.js';
import { segmentModel, splitGraph } from '../../src/passes/graph-split.js';
import { type CodeDomain, inputDomain, layerDomain } from '../../src/ir/graph.js';
import { INPUT, type InputType, type Model, inputRange } from '../../src/ir/model.js';
import { laneFormat } from '../../src/blocks/levels.js';
import { codeRange } from '../../src/blocks/kinds/add-sim.js';
import { DiagnosticError } from '../../src/diagnostics/diagnostic.js';
import { randomGraphJson } from '../../src/examples/random-graphs.js';
import { randomInputs } from '../helpers/random-models.js';

/** Every tensor of one run of the float reference, by name. */
function tensors(model: Model, values: number[]): Map<string, Tensor> {
  const env = new Map<string, Tensor>();
  const x = inputTensor(model, values);
  env.set(INPUT, x);
  runGraph<Tensor>(model, x, (l, ins) => {
    const y = graphStep(l, ins);
    env.set(l.name, y);
    return y;
  });
  return env;
}

function domains(model: Model): Map<string, CodeDomain | null> {
  const out = new Map<string, CodeDomain | null>([[INPUT, inputDomain(model.input.type)]]);
  for (const l of model.layers) out.set(l.name, layerDomain(l, l.inputs.map((n) => out.get(n) ?? null)));
  return out;
}

/** The input type a segment reading tensor t gets: the model input's, bipolar after a sign, else the lane's full code range. */
function typeOf(model: Model, t: string, d: CodeDomain | null): InputType | null {
  if (t === INPUT) return model.input.type;
  const producer = model.layers.find((l) => l.name === t)!;
  if (!d || d.offset !== 0) return null;
  if (producer.type === 'sign') return { kind: 'bipolar' };
  const lane = laneFormat(d.min, d.max);
  const [min, max] = codeRange(lane.w, lane.signed);
  return { kind: 'codes', min, max, scale: d.scale };
}

describe('chain segments of random graphs', () => {
  it('the chain integer engine on a cut-out segment equals the graph reference at its cut points', () => {
    const seen = { segments: 0, codesIn: 0, codesOut: 0, refused: 0 };
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), (seed) => {
        const model = loadModelValue(randomGraphJson(seed));
        const dom = domains(model);
        const last = model.layers[model.layers.length - 1]!;
        const inputs = randomInputs(model, seed, 3);
        const runs = inputs.map((v) => tensors(model, v));
        for (const p of splitGraph(model)) {
          if (p.kind !== 'segment') continue;
          const type = typeOf(model, p.input, dom.get(p.input) ?? null);
          const end = p.layers[p.layers.length - 1]!;
          const isLast = end === last;
          if (!type || (!isLast && !dom.get(end.name))) continue;
          let ir;
          try {
            ir = compileIr(segmentModel(model, p, type, isLast ? model.output : 'codes'));
          } catch (e) {
            if (e instanceof DiagnosticError && e.diagnostics[0]!.code === 'BNN040') {
              seen.refused++;
              continue;
            }
            throw e;
          }
          seen.segments++;
          if (type.kind === 'codes') seen.codesIn++;
          if (!isLast) seen.codesOut++;
          runs.forEach((env, k) => {
            const x = env.get(p.input)!;
            const scale = inputRange(model.input.type).scale;
            const codes = p.input === INPUT ? inputs[k]!.map((v) => v / scale) : Array.from((x as Coded).codes);
            const got = inferInteger(ir, codes).output;
            const want = isLast ? inferFloat(model, inputs[k]!) : Array.from((env.get(end.name) as Coded).codes);
            expect(got, `seed ${seed} segment ${p.name}`).toEqual(want);
          });
        }
      }),
      { numRuns: 600, seed: 20261203 },
    );
    expect(seen.codesIn).toBeGreaterThan(100);
    expect(seen.codesOut).toBeGreaterThan(100);
  });
});
