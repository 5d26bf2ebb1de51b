/**
 * Nodes that combine two data tensors (issue 13, residual graphs): an ONNX `Add` (or a two-input
 * `Sum`) of two data tensors of one shape becomes an `add` layer reading both. Fan-out needs nothing
 * here: every data tensor remembers the bnn-hw layer that computes it, so any number of nodes may read
 * it (the converter gives each its own copy, with its own pending scale).
 * Refused (BNN227): other ops on two data tensors (Sub, Mul, ...), a Sum of more than two, shapes that
 * differ (broadcasting), and vectors whose elements are in different orders.
 */
import type { Converter, Dyn } from './onnx-convert.js';
import type { OnnxNode } from './onnx.js';

const SUM_HINT = 'bnn-hw maps the element-wise sum of two data tensors of one shape (an ONNX Add, or a Sum of two): the shortcut of a residual block';

export function addTensors(cx: Converter, node: OnnxNode, xs: Dyn[], idx: number[]): void {
  const names = idx.map((i) => JSON.stringify(node.inputs[i])).join(', ');
  const isSum = node.domain === '' && (node.opType === 'Add' || node.opType === 'Sum');
  if (!isSum) cx.fail('BNN227', node, `combines the data tensors ${names}, which bnn-hw does not map`, SUM_HINT);
  if (xs.length !== 2 || node.inputs.length !== 2) cx.fail('BNN227', node, `sums ${node.inputs.length} tensors (${names} from the data), expected 2 data tensors`, 'chain Add nodes of two tensors each');
  if (!node.outputs[0]) cx.fail('BNN201', node, 'has no output tensor', 'the graph is incomplete or damaged; re-export it');
  const [a, b] = xs as [Dyn, Dyn];
  if (a.shape.join() !== b.shape.join()) {
    cx.fail('BNN227', node, `sums ${names} of shapes [${a.shape.join(', ')}] and [${b.shape.join(', ')}], expected one shape (no broadcasting)`, 'bring the shortcut to the shape of the other branch before the Add (an AveragePool, or a strided 1x1 Conv)');
  }
  if ((a.perm === null) !== (b.perm === null) || (a.perm && b.perm && a.perm.some((v, i) => v !== b.perm![i]))) {
    cx.fail('BNN227', node, `sums the vectors ${names}, whose elements come from images flattened in different ways`, 'add the images before flattening them');
  }
  for (const x of xs) if (x.softmaxed) cx.fail('BNN220', node, `follows the Softmax ${x.softmaxed}`, 'a Softmax is accepted only at the end of the graph (before an optional TopK / ArgMax)');
  // a pending scale common to both stays pending (s a + s b = s (a + b)); otherwise each is applied
  const scale = a.scale === b.scale ? a.scale : 1;
  for (const x of xs) {
    cx.b.at(x.src!);
    if (x.scale !== scale) {
      cx.materialize(node, x);
      x.src = cx.b.src;
    }
  }
  cx.b.add(cx.layerName(node), cx.from(node), a.src!, b.src!);
  cx.setDyn(node.outputs[0]!, { shape: [...a.shape], perm: a.perm, scale, raw: false, softmaxed: null });
}
