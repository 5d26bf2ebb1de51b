/**
 * Keras / Larq functional graphs (issue 13): an `Add` of two layers of one shape becomes an `add`
 * layer reading both (the shortcut of Bi-Real Net / QuickNet blocks); `GlobalAveragePooling2D`
 * becomes `globalavgpool`. Fan-out needs nothing here: the converter moves the builder to the output
 * of whichever layer a layer reads. Refused (BNN227): an Add of more or fewer than two layers, or of
 * two shapes (Keras would broadcast).
 */
import type { KerasConverter, KerasLayer } from './keras.js';

export function addLayer(cx: KerasConverter, l: KerasLayer, srcs: string[]): void {
  if (srcs.length !== 2) cx.fail('BNN227', l, `adds ${srcs.length} layers (${l.inbound.map((n) => JSON.stringify(n)).join(', ')}), expected 2`, 'chain Add layers of two inputs each');
  const shapes = srcs.map((s) => {
    cx.b.at(s);
    return [...cx.b.shape];
  });
  if (shapes[0]!.join() !== shapes[1]!.join()) {
    cx.fail('BNN227', l, `adds ${JSON.stringify(l.inbound[0])} of shape [${shapes[0]!.join(', ')}] and ${JSON.stringify(l.inbound[1])} of shape [${shapes[1]!.join(', ')}], expected one shape (no broadcasting)`, 'bring the shortcut to the shape of the other branch before the Add (an AveragePooling2D, or a strided 1x1 convolution)');
  }
  cx.b.add(l.name, cx.from(l), srcs[0]!, srcs[1]!);
}

export function globalAvgpool(cx: KerasConverter, l: KerasLayer): void {
  if (cx.b.shape.length !== 3) cx.fail('BNN216', l, `gets the vector input [${cx.b.shape.join(', ')}]`, 'global average pooling needs an [H, W, C] input');
  if ((l.cfg['data_format'] ?? 'channels_last') !== 'channels_last') cx.fail('BNN217', l, `uses data_format ${JSON.stringify(l.cfg['data_format'])}`, 'bnn-hw reads channels_last models');
  // keepdims gives [1, 1, C]: the same values in the same order as [C]
  cx.b.globalavgpool(l.name, cx.from(l));
}
