/**
 * Bypass-FIFO sizing for a graph (issue 13), the graph counterpart of fifo-sizing.ts's step 1 / 2.
 *
 * A bypass FIFO holds the words the short branch of a residual block has already delivered while the
 * long branch still works on them (a sliding window needs whole rows before its first output). Sized
 * from the cycle model:
 *
 * 1. Run the graph with every bypass FIFO very deep, the sink always ready and the input released at
 *    the planned rate (`paced`: frame f's beats from cycle f * interval, offered back to back), and
 *    record each bypass FIFO's `needAtWrite`: its largest occupancy + 1 in a cycle in which a beat is
 *    offered to it (bnn_fifo refuses a write when full even if a read happens in the same cycle). At
 *    that depth the FIFO never refuses a beat, so the deep run is reproduced handshake for handshake:
 *    neither branch ever stalls the other at the planned rate and the design runs at its slowest
 *    node with zero bubbles. This is `exact` (fifo-sizing.ts's peak + its first margin entry, the
 *    entry taken only when the FIFO is actually written at its peak).
 * 2. depth = exact + slack; slack (default 1) is fifo-sizing.ts's second margin entry: room for the
 *    phase shifts of real traffic (an input gap or a cycle of backpressure moves a frame's beats).
 *
 * Below `exact` a branch stalls its sibling; where the long branch needs more words than the bypass
 * path holds before its first output, the run deadlocks, which the graph engine's watchdog reports
 * (BNN046) instead of hanging.
 */
import { FifoSim, asPortSim, type PortSim } from '../blocks/sim-base.js';
import { simulateGraph, watchdogBound, type SimGraph } from './dag-engine.js';
import type { BeatSource } from './engine.js';
import { paced } from './fifo-sizing.js';

const DEEP = 2 ** 40;
export const BYPASS_SLACK = 1;

export interface BypassSize {
  node: number;
  name: string;
  peak: number;
  /** the depth at which the deep run is reproduced exactly */
  exact: number;
  depth: number;
}

export interface BypassSizingInput {
  /** builds the graph with fresh models (the run steps them) */
  graph: () => SimGraph;
  /** node indices of the bypass FIFOs (their models are replaced by deep FIFOs for the run) */
  bypass: readonly number[];
  input: BeatSource;
  beatsPerFrame: number;
  /** planned cycles per frame (the slowest node's) */
  interval: number;
  outBeats: number;
  /** longest a node works without a handshake (watchdogBound) */
  longestSilence: number;
  slack?: number;
}

export function sizeBypassFifos(s: BypassSizingInput): BypassSize[] {
  const slack = s.slack ?? BYPASS_SLACK;
  const g = s.graph();
  const nodes: PortSim[] = g.nodes.map((n, i) => (s.bypass.includes(i) ? asPortSim(new FifoSim(n.name, DEEP)) : n));
  const atRate = paced(s.beatsPerFrame, s.interval);
  const r = simulateGraph({ ...g, nodes }, s.input, s.outBeats, { ...atRate, watchdog: watchdogBound(s.longestSilence, atRate.patterns), track: s.bypass });
  return s.bypass.map((n) => {
    const exact = Math.max(1, r.needAtWrite.get(n)!);
    return { node: n, name: nodes[n]!.name, peak: r.peakOccupancy.get(n)!, exact, depth: exact + slack };
  });
}
