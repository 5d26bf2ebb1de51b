/**
 * The window-sum block of an `avgpool` shortcut (issue 13): bnn_pool with SUM = 1, per output pixel and
 * channel the exact integer sum of the window's codes (the division by KH*KW becomes the stream's scale,
 * folded downstream). No padding; a stride beyond the image is passed as the image size (one window), as
 * the chain planner does for max-pools. Built by the graph planner for an edge node.
 */
import type { PoolBlock } from './types.js';
import { checkPoolParams } from './kinds/pool-sim.js';

export { windowSumLane } from './levels.js';

/**
 * A window sum over an [h, w, c] code stream of `elem` lanes, `pe` channels per beat (pe divides c): the
 * output lanes are windowSumLane(elem, kh * kw). Throws (an internal error) on parameters bnn_pool refuses.
 */
export function windowSumBlock(name: string, inShape: [number, number, number], pool: [number, number], strides: [number, number], pe: number, elem: { w: number; signed: boolean }): PoolBlock {
  const [h, w, c] = inShape;
  const b: PoolBlock = {
    kind: 'pool',
    name,
    params: {
      C: c, PE: pe, ELEM_W: elem.w, SIGNED: elem.signed ? 1 : 0, H: h, W: w, KH: pool[0], KW: pool[1],
      SH: Math.min(strides[0], h), SW: Math.min(strides[1], w), AND_MASK: new Array<number>(c).fill(0), SUM: 1,
    },
  };
  checkPoolParams(b.params);
  return b;
}
