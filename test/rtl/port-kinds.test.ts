/**
 * The registry of the graph blocks (src/blocks/port-registry.ts): every kind under its own name (each
 * kind's test checks its descriptor against its module: test/helpers/port-kind-checks.ts). And
 * asPortSim: a single-port BlockSim driven through the multi-port interface behaves exactly as driven
 * directly.
 */
import { describe, expect, it } from 'vitest';
import { PORT_REGISTRY } from '../../src/blocks/port-registry.js';
import { asPortSim, FifoSim } from '../../src/blocks/sim-base.js';
import { driveBlock } from '../helpers/blockdrive.js';
import { drivePorts } from '../helpers/porttb.js';

describe('graph-block descriptors', () => {
  it('every kind is registered under its own name', () => {
    for (const [k, d] of Object.entries(PORT_REGISTRY)) expect(d.kind).toBe(k);
  });

  it('asPortSim: a FIFO driven through the multi-port interface gives the same handshakes as driven directly', () => {
    const beats = Array.from({ length: 40 }, (_, i) => [i]);
    const drive = { seed: 11, validProb: 0.6, readyProb: 0.5, maxCycles: 600 };
    const direct = driveBlock(new FifoSim('f', 3), beats, 40, drive);
    const ported = drivePorts(asPortSim(new FifoSim('f', 3)), [beats], [40], { seed: 11, validProb: [0.6], readyProb: [0.5], maxCycles: 600 }, (_o, b) => BigInt(b[0]!));
    expect(ported.outs[0]!.cycles).toEqual(direct.outCycles);
    expect(ported.ins[0]).toEqual(direct.inCycles);
    expect(ported.outs[0]!.beats).toEqual(direct.beats.map((b) => BigInt(b[0]!)));
  });
});
