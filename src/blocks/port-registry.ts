/**
 * The registry of block kinds with several streams (port-kind.ts, port-types.ts): one descriptor per
 * member of PortBlock['kind']; a missing one does not compile. Kept apart from registry.ts until the
 * graph planner places these blocks (their descriptors list ports instead of one input and one
 * output stream).
 */
import type { PortBlock } from './port-types.js';
import type { PortKind } from './port-kind.js';
import type { PortSim } from './sim-base.js';
import { add } from './kinds/add.js';
import { dup } from './kinds/dup.js';
import { gap } from './kinds/gap.js';

export type PortKindName = PortBlock['kind'];
export type PortRegistry = { [K in PortKindName]: PortKind<Extract<PortBlock, { kind: K }>> };

export const PORT_REGISTRY = { dup, add, gap } satisfies PortRegistry;

/** The descriptor of a multi-port block's kind. */
export const portKindOf = <B extends PortBlock>(b: B): PortKind<B> => PORT_REGISTRY[b.kind as PortKindName] as unknown as PortKind<B>;

/** The cycle model of a multi-port block. */
export const portBlockSim = (b: PortBlock): PortSim => portKindOf(b).sim(b);
