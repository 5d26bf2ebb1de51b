/**
 * The chain testbench's watchdog (+watchdog): a design whose output is never ready stops after the
 * cycle model's BNN110 bound without a handshake, in the same cycle as the cycle model's BNN110, and
 * names as full exactly the streams the cycle model lists as valid and not ready (not a hang, not the
 * testbench's timeout).
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { randomPlans } from '../helpers/plans.js';
import { requireTools } from '../helpers/tools.js';
import { makeTmpDir, removeDir } from '../helpers/rtlsim.js';
import { emitDesign } from '../../src/flows/design.js';
import { writeOutputDir } from '../../src/util/output-dir.js';
import { buildSim, runSim, type RtlRun } from '../../src/flows/rtlsim.js';
import { inputBeats } from '../../src/flows/stimulus.js';
import { seededCodes } from '../../src/flows/expected.js';
import { deadlockBound, simulate } from '../../src/sim/engine.js';
import { DiagnosticError } from '../../src/diagnostics/diagnostic.js';

const has = requireTools('iverilog', 'vvp');

describe.skipIf(!has)('chain testbench watchdog', () => {
  it('an output that is never ready: the RTL watchdog and BNN110 stop in the same cycle with the same full streams', async () => {
    const { model, plan } = randomPlans(1, 40)[0]!;
    const codes = seededCodes(model, 3, 1);
    const patterns = { valid: Uint8Array.of(1), ready: Uint8Array.of(0) };
    const bound = deadlockBound(plan, patterns);
    const inBeats = codes.flatMap((c) => inputBeats(plan, c));
    const outBeats = Array.from({ length: 3 * plan.output.beats }, () => new Array<number>(plan.output.lanes).fill(0));
    let err: unknown = null;
    try {
      simulate(plan, inBeats, outBeats.length, { patterns });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DiagnosticError);
    const d = (err as DiagnosticError).diagnostics[0]!;
    expect(d.code).toBe('BNN110');
    const cycle = Number(/at cycle (\d+)/.exec(d.message)![1]);
    const states = /stream states at cycle \d+: (.*)$/m.exec(d.notes!.join('\n'))![1]!.split(', ').map((s) => /^(\S+): valid=(\d) ready=(\d)$/.exec(s)!);
    const full = states.filter((m) => m[2] === '1' && m[3] === '0').map((m) => m[1]);
    const starved = states.filter((m) => m[2] === '0' && m[3] === '1').map((m) => m[1]);
    expect(full).toContain(plan.streams[plan.streams.length - 1]!.path);

    const dir = await makeTmpDir('tb-watchdog');
    const design = await writeOutputDir(join(dir, 'd'), emitDesign(model, plan, { cyclesPerFrame: plan.cyclesPerFrame, latencyCycles: 0 }), { force: false });
    const run: RtlRun = { inBeats, outBeats, inLaneW: plan.input.laneW, outLaneW: plan.output.laneW, patterns, dataDir: 'tb/data/wd', timeoutCycles: 100 * bound, watchdog: bound };
    const cmd = await buildSim('icarus', design, inBeats.length, outBeats.length);
    const r = await runSim('icarus', design, cmd, run);
    expect(r.timeout).toBe(false);
    expect(r.watchdog).toEqual({ cycle, bound, full, starved });
    // without the plusarg the same run ends at the timeout
    const r2 = await runSim('icarus', design, cmd, { ...run, watchdog: undefined, timeoutCycles: 3 * bound });
    expect(r2.watchdog).toBeNull();
    expect(r2.timeout).toBe(true);
    await removeDir(dir);
  }, 600_000);
});
