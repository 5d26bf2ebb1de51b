/**
 * Compile-time checks of the registry (compiled by registry.test.ts): each @ts-expect-error line must
 * fail to compile, or tsc reports the directive as unused and the test fails.
 */
import { REGISTRY, type Registry } from '../../src/blocks/registry.js';
import type { BlockKind } from '../../src/blocks/kind.js';
import type { FifoBlock } from '../../src/blocks/types.js';
import type { KindConstants } from '../../src/estimate/constants.js';

const { pool: _pool, ...withoutPool } = REGISTRY;
// @ts-expect-error a registry without the pool kind
export const missingKind: Registry = withoutPool;

const { finn: _finn, ...fifoWithoutFinn } = REGISTRY.fifo;
// @ts-expect-error a descriptor without its FINN member
export const missingMember: BlockKind<FifoBlock> = fifoWithoutFinn;

export const constants: KindConstants<'fifo'> = {
  // @ts-expect-error a misspelt feature name (the fifo's is "aw")
  lut: { one: 1, awx: 2 },
  ff: { ctl: 1 },
};

// @ts-expect-error a feature the kind's estimator never writes
export const foreign: KindConstants<'dwc'> = { lut: { pop: 1 }, ff: {} };
