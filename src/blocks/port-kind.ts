/**
 * The descriptor of a block kind with several streams (port-types.ts): what kind.ts's BlockKind holds
 * for a chain block, with the streams listed per port. Port i of `inputs` / `outputs` is port i of
 * the cycle model (PortSim, sim-base.ts). The graph planner, emitter and engine of issue 13 read
 * these; port-registry.ts holds one per kind.
 */
import type { Fabric } from './memory.js';
import type { EstimateOptions, Features } from './features.js';
import type { Param } from './kind.js';
import type { PortSim } from './sim-base.js';
import type { PortBlock } from './port-types.js';

/**
 * One stream of a block's instance: the Verilog port prefix (`<prefix>_tdata` / `_tvalid` /
 * `_tready`) and, for a vector port that carries several streams, the stream's index in it (tdata
 * bits [index*width +: width], tvalid / tready bit index); null for a port of its own.
 */
export interface StreamPort {
  prefix: string;
  index: number | null;
  width: number;
}

/** Estimator constants per feature (LUT = sum c_f * feature_f, likewise FF). */
export interface PortConstants<L extends string, F extends string> {
  lut: Record<L | 'one', number>;
  ff: Record<F | 'one', number>;
}

export interface PortKind<B extends PortBlock, L extends string = string, F extends string = string> {
  readonly kind: B['kind'];
  /** input and output streams, in port order */
  inputs(b: B): StreamPort[];
  outputs(b: B): StreamPort[];
  /** Verilog parameters of the library module bnn_<kind> */
  params(b: B): Param[];
  /** provenance comment before the instance */
  comment(b: B): string;
  /** the block's line in `--dump-after plan` */
  print(b: B): string;
  /**
   * LATENCY of the library module: a word (the later word of a pair for bnn_add) accepted at the edge
   * ending cycle t reaches the output in cycle t + latency when nothing waits (docs/rtl-blocks.md).
   */
  latency(b: B): number;
  /** OBUF_DEPTH of the module (its output FIFO entries), null without an output buffer */
  obufDepth(b: B): number | null;
  /** cycles per frame at full rate (input beats per frame), null: no count of its own */
  cycles(b: B): number | null;
  /** cycle model */
  sim(b: B): PortSim;
  /** structural features for the resource estimate (nested: the output buffer's / FIFOs' features) */
  features(b: B, o: EstimateOptions): Features<L, F>;
  /**
   * PROVISIONAL estimator constants of the kind's own features, per fabric, fitted by hand to a few
   * Yosys runs (source named in each descriptor), until `npm run calibrate` covers the kind.
   */
  readonly provisional: Record<Fabric, PortConstants<L, F>>;
}
