/**
 * The registry of block kinds: one descriptor (kinds/<kind>.ts) per member of HwBlock['kind']. Its
 * type makes a missing kind, or a descriptor missing a member, a compile error; the consumers (emit,
 * the cycle model, the estimator, the manifest, `simulate`'s report, synthesis, calibration, the
 * folding search) reach a block's rules only through `kindOf`.
 */
import type { HwBlock } from './types.js';
import type { BlockKind } from './kind.js';
import type { BlockSim } from './sim-base.js';
import { argmax } from './kinds/argmax.js';
import { dwc } from './kinds/dwc.js';
import { fifo } from './kinds/fifo.js';
import { mvtu } from './kinds/mvtu.js';
import { mvuInt } from './kinds/mvu_int.js';
import { pool } from './kinds/pool.js';
import { swg } from './kinds/swg.js';
import { threshIn } from './kinds/thresh_in.js';

export type Kind = HwBlock['kind'];
export type BlockOf<K extends Kind> = Extract<HwBlock, { kind: K }>;
/** The registry's type: one descriptor per kind, for that kind's block. */
export type Registry = { [K in Kind]: BlockKind<BlockOf<K>> };

/** In the order blocks appear in a design. */
export const REGISTRY = {
  thresh_in: threshIn,
  dwc,
  swg,
  fifo,
  mvtu,
  mvu_int: mvuInt,
  pool,
  argmax,
} satisfies Registry;

/** Feature names of a kind's estimator (typed constants: estimate/constants.ts). */
export type FeatureNames<K extends Kind> = (typeof REGISTRY)[K] extends BlockKind<infer _B, infer L, infer F> ? { lut: L | 'one'; ff: F | 'one' } : never;

/** The descriptor of a block's kind. */
export const kindOf = <B extends HwBlock>(b: B, registry: Registry = REGISTRY): BlockKind<B> => registry[b.kind as Kind] as unknown as BlockKind<B>;

/** The cycle model of a block. */
export const blockSim = (b: HwBlock, timingOnly: boolean, registry: Registry = REGISTRY): BlockSim => kindOf(b, registry).sim(b, timingOnly);
