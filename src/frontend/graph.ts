/**
 * Checks of a residual graph's wiring (issue 13): each layer's `inputs` name the model input or an
 * earlier layer (so file order is a topological order and the graph has no cycle), an add reads two
 * tensors of one shape and every other layer one tensor, every layer but the last is read by some
 * layer (so the output is reachable from every layer; every layer is reachable from the input because
 * each reads an earlier one), and code tensors stay exact integers in float64. No layer can be named
 * "input" (a Verilog keyword, BNN050), so "input" in `inputs` always means the model input.
 */
import { fail } from '../diagnostics/diagnostic.js';
import type { Layer, Shape } from '../ir/model.js';
import { INPUT, isLinear } from '../ir/model.js';
import { type CodeDomain, defaultInput, maxCode, readNames } from '../ir/graph.js';
import { padCodeOf } from '../ir/activation.js';
import type { RawLayer } from './schema.js';

const shapeText = (s: Shape) => `[${s.join(', ')}]`;
const EXACT = 2 ** 53;

/** The resolved `inputs` of layer i (the default: the layer before it, or the model input). */
export function resolveInputs(layers: readonly RawLayer[], names: readonly string[], i: number): string[] {
  const rl = layers[i]!;
  const ptr = `/layers/${i}`;
  const what = `${rl.type} layer "${names[i]}"`;
  if (rl.inputs === undefined) return [defaultInput(names.map((name) => ({ name })), i)];
  const want = rl.type === 'add' ? 2 : 1;
  if (rl.inputs.length !== want) {
    fail(
      'BNN029', `${ptr}/inputs`,
      `${what} has ${rl.inputs.length} input${rl.inputs.length === 1 ? '' : 's'}, expected ${want === 2 ? 'exactly 2' : '1'}`,
      want === 2 ? 'an add sums two tensors: "inputs": ["<layer a>", "<layer b>"]; chain adds to sum more' : 'only add reads two tensors; this layer reads one: "inputs": ["<layer>"]',
    );
  }
  rl.inputs.forEach((src, k) => {
    if (src === INPUT) return;
    const at = names.indexOf(src);
    if (at < 0) {
      const known = [INPUT, ...names.slice(0, i)];
      fail('BNN017', `${ptr}/inputs/${k}`, `${what} reads "${src}", which is no layer of the model: expected "${INPUT}" or the name of an earlier layer`, `known names before it: ${known.map((n) => `"${n}"`).join(', ')}`);
    }
    if (at >= i) {
      const self = at === i;
      fail(
        'BNN018', `${ptr}/inputs/${k}`,
        `${what} reads ${self ? 'itself' : `"${src}" (layer ${at}), which comes after it`}: expected a layer before it in the file (layers must read only earlier layers, so the graph has no cycle)`,
        self ? 'a layer cannot read its own output; name the layer it follows' : 'reorder the layers so that every layer comes after the layers it reads',
      );
    }
  });
  return [...rl.inputs];
}

/** An add's two inputs must have one shape. */
export function checkAddShapes(name: string, ptr: string, inputs: readonly string[], shapes: readonly Shape[]): void {
  if (shapes[0]!.join() !== shapes[1]!.join()) {
    fail('BNN033', `${ptr}/inputs/1`, `add layer "${name}": "${inputs[1]}" has shape ${shapeText(shapes[1]!)} and "${inputs[0]}" ${shapeText(shapes[0]!)}: expected two inputs of the same shape`, 'sum tensors of one shape; on a shortcut that changes the shape, downsample it first (for example an avgpool, or a strided 1x1 conv2d)');
  }
}

/** Every layer but the last must be read by some layer: otherwise the output does not depend on it. */
export function checkAllRead(layers: readonly Layer[]): void {
  const read = readNames({ layers });
  layers.slice(0, -1).forEach((l) => {
    if (!read.has(l.name)) {
      fail('BNN019', l.ptr, `${l.type} layer "${l.name}" is read by no layer, so the output (the last layer, "${layers[layers.length - 1]!.name}") does not depend on it: expected every layer but the last to be an input of a later layer`, `remove it, or name it in the "inputs" of a later layer (for example an add)`);
    }
  });
}

/** Codes must stay integers below 2^53: after an add or a pool sum, and in a linear layer's sums. */
export function checkExact(l: Layer, inDomain: CodeDomain | null, out: CodeDomain | null): void {
  if ((l.type === 'add' || l.type === 'avgpool' || l.type === 'globalavgpool') && out && maxCode(out) >= EXACT) {
    fail('BNN060', l.ptr, `${l.type} layer "${l.name}": its codes reach ${maxCode(out)} in magnitude, expected below 2^53 (exact in float64)`, 'use narrower activations before it, or scales closer to each other');
  }
  if (isLinear(l) && inDomain) {
    const fanIn = l.type === 'dense' ? l.fanIn : l.kernel[0] * l.kernel[1] * l.inShape[2]!;
    const pad = l.type === 'conv2d' ? Math.abs(padCodeOf(l.padValue, inDomain.scale, inDomain.offset) ?? 0) : 0;
    const m = Math.max(maxCode(inDomain), pad);
    if (fanIn * m >= EXACT) {
      fail('BNN060', l.ptr, `${l.type} layer "${l.name}": fan-in ${fanIn} x input code magnitude ${m} is ${fanIn * m}, expected below 2^53 (exact in float64)`, 'use narrower activations before it');
    }
  }
}
