/**
 * `bnn-hw simulate` as users run it (spawns dist/cli/main.js after building it), and `verify
 * --simulator ts` without an RTL simulator.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'dist', 'cli', 'main.js');
const cli = (...args: string[]) => spawnSync(process.execPath, [MAIN, ...args], { cwd: ROOT, encoding: 'utf8' });

beforeAll(() => {
  execFileSync('npx', ['tsc', '-p', '.'], { cwd: ROOT, stdio: 'pipe' });
});

describe('bnn-hw simulate', () => {
  it('--json: outputs, handshake cycles, cycles per frame, latency, layers, bottleneck', () => {
    const r = cli('simulate', 'examples/tfc.json', '--fold', 'bench/foldings/tfc.json', '--vectors', '5', '--json');
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j).slice(0, 6)).toEqual(['outputs', 'outputCycles', 'cyclesPerFrame', 'latencyCycles', 'layers', 'bottleneck']);
    expect(j.outputs).toHaveLength(5);
    expect(j.outputCycles).toEqual([198, 262, 326, 390, 454]);
    expect(j.cyclesPerFrame).toBe(64);
    expect(j.latencyCycles).toBe(198);
    expect(j.mismatches).toBe(0);
    expect(j.layers.map((l: { name: string }) => l.name)).toEqual(['in_sign', 'fc0', 'fc1', 'fc2', 'fc3', 'argmax']);
    expect(['fc0', 'fc1', 'fc2']).toContain(j.bottleneck);
    // outputs are the reference's
    const inf = spawnSync(process.execPath, [MAIN, 'infer', 'examples/tfc.json', '--input', 'examples/tfc-inputs.json', '--json'], { cwd: ROOT, encoding: 'utf8' });
    const s = cli('simulate', 'examples/tfc.json', '--fold', 'bench/foldings/tfc.json', '--input', 'examples/tfc-inputs.json', '--stall', '0.3', '--json');
    expect(JSON.parse(s.stdout).outputs).toEqual(JSON.parse(inf.stdout).outputs ?? JSON.parse(inf.stdout));
  });

  it('text report and a VCD file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bnn-hw-simcli-'));
    try {
      const vcd = join(dir, 'tfc.vcd');
      const r = cli('simulate', 'examples/tfc.json', '--fold', 'bench/foldings/tfc.json', '--stall', '0.2', '--vcd', vcd);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^cycles per frame [\d.]+ \(steady state; plan 64\), latency \d+ cycles \(plan 198\), \d+ cycles simulated$/m);
      expect(r.stdout).toMatch(/^layer +block +cycles\/frame +busy % +stall % +starve %$/m);
      expect(r.stdout).toMatch(/^bottleneck: fc[0-2]$/m);
      expect(r.stdout).toMatch(/outputs equal the reference for all 8 frames/);
      const text = readFileSync(vcd, 'utf8');
      expect(text).toMatch(/\$scope module tb \$end/);
      expect(text).toMatch(/\$scope module dut \$end/);
      expect(text).toMatch(/\$scope module u_layer_fc1 \$end/);
      expect(text).toMatch(/\$var wire 1 \S+ s2_tvalid \$end/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('verify --simulator ts', () => {
    const r = cli('verify', 'examples/tfc.json', '--fold', 'bench/foldings/tfc.json', '--simulator', 'ts', '--stall', '0.2', '--json');
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j.simulators)).toEqual(['ts']);
    expect(j.simulators.ts).toMatchObject({ mismatches: 0, cyclesPerFrame: 64, latencyCycles: 198, stalled: { mismatches: 0, frames: 8 } });
  });

  it('a usage error for an unknown simulator', () => {
    const r = cli('verify', 'examples/tfc.json', '--simulator', 'modelsim');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown simulator 'modelsim': expected icarus, verilator, ts or all/);
  });
});
