/**
 * The block-kind descriptor: everything bnn-hw knows about one kind of hardware block (one library
 * module in templates/lib), behind one typed interface. The registry (registry.ts) holds one per kind;
 * emit, the cycle model, the estimator, the manifest, `simulate`'s report, synthesis, calibration and
 * the folding search read these members instead of switching on the kind. Adding a kind:
 * docs/architecture.md.
 */
import type { RomName, StageUnit } from '../util/names.js';
import type { BlockSim } from './sim-base.js';
import type { EstimateOptions, Features } from './features.js';
import type { HwBlock } from './types.js';

/** A Verilog parameter of an instance. */
export interface Param {
  name: string;
  value: string | number;
}
export interface Port {
  port: string;
  signal: string;
}
export interface Instance {
  comment: string;
  module: string;
  inst: string;
  params: Param[];
  ports: Port[];
}
export interface Wire {
  name: string;
  msb: number;
}
export interface Assign {
  lhs: string;
  rhs: string;
}

/** What a block adds to its layer wrapper besides its own instance: wires, ROM instances, assigns, ports. */
export interface WrapperParts {
  wires: Wire[];
  assigns: Assign[];
  /** instances placed before the block's own (its ROMs) */
  instances: Instance[];
  /** ports of the block's instance beyond clock, reset and the two streams */
  ports: Port[];
}

/** Path (relative to the design folder) of the image file of one ROM of the block's wrapper. */
export type RomPath = (rom: RomName) => string;

/** A ROM image of a block: written to mem/<wrapper>_<rom>.mem ($readmemh text, as bytes for the large ones). */
export interface Memory {
  rom: RomName;
  image: () => string | Uint8Array;
}

/** The manifest's fields of a layer (after name, kind, module); each kind writes them in its output order. */
export interface LayerFields {
  pe: number;
  simd: number;
  mw: number;
  mh: number;
  sf?: number;
  nf?: number;
  /** cycles per frame: the descriptor's `cycles` */
  cycles: number;
  popStages?: number;
  scores?: boolean;
  rankTables?: boolean;
}

/** The inputs of FINN's MVAU estimate formulas (estimate/finn.ts) for a block FINN builds as an MVAU. */
export interface FinnRow {
  mw: number;
  mh: number;
  pe: number;
  simd: number;
  /** input bits */
  a: number;
  signedInput: boolean;
}

/** Handshake counts of a block in a simulation run. */
export interface BlockCounts {
  inBeats: number;
  outBeats: number;
}

export interface BlockKind<B extends HwBlock, L extends string = string, F extends string = string> {
  readonly kind: B['kind'];
  /**
   * 'compute': the block a layer wrapper is made for (it ends the wrapper); 'stream': a block in front
   * of a compute block inside its wrapper (width converter, FIFO, sliding window).
   */
  readonly role: 'compute' | 'stream';
  /**
   * Naming unit of the wrapper a compute block ends (src/util/names.ts): 'layer' (<model>_layer_<name>)
   * or a stage bnn-hw adds after the last layer (its unit is the stage name).
   */
  readonly unit: 'layer' | StageUnit;
  /** synthesis keeps the block's library instance as its own module, so it is measured on its own */
  readonly keepHierarchy: boolean;
  /**
   * How the folding search (estimate/search.ts) prices the block: 'layer' with the linear layer it
   * belongs to (whose PE / SIMD the search varies), 'next' / 'previous' with the linear layer after /
   * before it, 'transition' per pair of adjacent layers (it depends on both).
   */
  readonly search: 'layer' | 'next' | 'previous' | 'transition';
  /** Verilog parameters of the library module bnn_<kind> */
  params(b: B, rom: RomPath): Param[];
  /** tdata widths (bits) of the input and output stream */
  inWidth(b: B): number;
  outWidth(b: B): number;
  wrapper(b: B, rom: RomPath): WrapperParts;
  memories(b: B): Memory[];
  /** provenance comment before the instance (cycles: the layer's cycles per frame) */
  comment(b: B, cycles: number | null): string;
  /** the block's line in `--dump-after plan` */
  print(b: B): string;
  /**
   * LATENCY of the library module: a result whose step fired in cycle t is on m_axis in cycle
   * t + latency when the output FIFO was empty (docs/rtl-blocks.md). The cycle model takes it from here.
   */
  latency(b: B): number;
  /**
   * OBUF_DEPTH of the library module (its output FIFO entries = credits), which `params` passes and the
   * cycle model uses; null for a block without an output buffer (FIFO, width converter).
   */
  obufDepth(b: B): number | null;
  /** cycles per frame the block needs at full rate (null: no count of its own) */
  cycles(b: B): number | null;
  /** compute steps performed, from its handshake counts (for `simulate`'s busy %) */
  steps(b: B, n: BlockCounts): number;
  /** manifest fields of the layer this compute block ends (null for stream blocks) */
  layer(b: B): LayerFields | null;
  /** cycle model of the block */
  sim(b: B, timingOnly: boolean): BlockSim;
  /** structural features of the block for the resource estimate (estimate/ applies the constants) */
  features(b: B, o: EstimateOptions): Features<L, F>;
  /** FINN's estimate inputs (`estimate --model finn`), null when FINN has no matching MVAU */
  finn: ((b: B) => FinnRow) | null;
}
