/**
 * fifo: the stream FIFO (templates/lib/bnn_fifo.v) in front of every MVU (and, inside every compute
 * block, its output buffer): count != DEPTH ready, count != 0 valid, oldest entry out.
 */
import type { FifoBlock } from '../types.js';
import { clog2 } from '../../util/math.js';
import { FifoSim } from '../sim-base.js';
import { fifoFeatures, type FifoFf, type FifoLut } from '../features.js';
import type { BlockKind } from '../kind.js';
import { STREAM_LATENCY } from '../timing.js';

export const fifo: BlockKind<FifoBlock, FifoLut, FifoFf> = {
  kind: 'fifo',
  role: 'stream',
  unit: 'layer',
  keepHierarchy: true,
  search: 'layer',
  params: (b) => [{ name: 'WIDTH', value: b.width }, { name: 'DEPTH', value: b.depth }],
  inWidth: (b) => b.width,
  outWidth: (b) => b.width,
  wrapper: (b) => ({
    wires: [{ name: 'unused_fifo_count', msb: clog2(b.depth + 1) - 1 }], assigns: [], instances: [],
    ports: [{ port: 'count', signal: 'unused_fifo_count' }],
  }),
  memories: () => [],
  comment: (b) => `FIFO ${b.depth} x ${b.width} bits`,
  print: (b) => `${b.name}: fifo ${b.depth} x ${b.width}`,
  cycles: () => null,
  steps: (_b, n) => n.inBeats,
  layer: () => null,
  latency: () => STREAM_LATENCY,
  obufDepth: () => null,
  sim: (b) => new FifoSim(b.name, b.depth),
  /** pointers and count, storage (LUTRAM / BRAM / flip-flops). */
  features: (b, o) => fifoFeatures(b.width, b.depth, o.fabric),
  finn: null,
};
