/**
 * The command line as users meet it: builds dist/ once, then spawns `node dist/cli/main.js`.
 * Bad input must give exit code 1 and formatted diagnostics without a stack trace; usage errors exit 2.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'dist', 'cli', 'main.js');
let dir = '';

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, BNN_DEBUG: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** No JavaScript stack trace lines ("    at fn (file:line:col)"). */
const noStack = (s: string) => expect(s).not.toMatch(/^ {4}at /m);

const badWeights = {
  format: 'bnn-hw/model@1',
  name: 'bad',
  input: { shape: [4], type: 'uint8' },
  layers: [{ type: 'dense', name: 'fc0', units: 2, weights: [[1, -1, 1, -1]] }],
  output: 'argmax',
};

beforeAll(() => {
  execFileSync('npx', ['tsc', '-p', '.'], { cwd: ROOT, stdio: 'pipe' });
  dir = mkdtempSync(join(tmpdir(), 'bnn-hw-cli-'));
  writeFileSync(join(dir, 'bad.json'), JSON.stringify(badWeights, null, 2));
  writeFileSync(join(dir, 'syntax.json'), '{\n  "format": "bnn-hw/model@1",\n  "name": "x",\n}\n');
  writeFileSync(join(dir, 'bad-inputs.json'), '{"inputs": [[' + Array(784).fill(0).join(', ').replace(/0$/, '256') + ']]}');
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('bnn-hw CLI', () => {
  it('a bad model: exit 1, a formatted diagnostic on stderr, no stack trace', () => {
    const file = join(dir, 'bad.json');
    const r = cli('inspect', file);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'error[BNN021]: dense layer "fc0": expected 2 entries along units (axis 0), found 1\n' +
        `  at ${file} /layers/0/weights\n` +
        '  hint: weights have shape [2, 4] (units, fan-in)\n',
    );
    noStack(r.stderr);
  });

  it('malformed JSON: exit 1 with line and column', () => {
    const file = join(dir, 'syntax.json');
    const r = cli('infer', file, '--input', join(ROOT, 'examples', 'tfc-inputs.json'));
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      "error[BNN001]: model file is not valid JSON: expected a double-quoted property name, found '}' (line 4, column 1)\n" +
        `  at ${file} (document)\n` +
        '  hint: remove the comma before the closing brace: JSON allows no trailing commas\n',
    );
    noStack(r.stderr);
  });

  it('a missing model file: exit 1', () => {
    const file = join(dir, 'nope.json');
    const r = cli('inspect', file);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`error[BNN002]: cannot read model file '${file}' (ENOENT)`);
    noStack(r.stderr);
  });

  it('a bad input file: exit 1 with the pointer into the input file', () => {
    const file = join(dir, 'bad-inputs.json');
    const r = cli('infer', join(ROOT, 'examples', 'tfc.json'), '--input', file);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'error[BNN071]: input element 783 must be in [0, 255] for input type uint8, found 256\n' +
        `  at ${file} /inputs/0/783\n` +
        '  hint: uint8 inputs are integers in [0, 255]\n',
    );
    noStack(r.stderr);
  });

  it('--json prints {"diagnostics": [...]} to stdout', () => {
    const file = join(dir, 'bad.json');
    const r = cli('inspect', file, '--json');
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      diagnostics: [
        {
          code: 'BNN021',
          pointer: '/layers/0/weights',
          message: 'dense layer "fc0": expected 2 entries along units (axis 0), found 1',
          hint: 'weights have shape [2, 4] (units, fan-in)',
          file,
        },
      ],
    });
    noStack(r.stderr);
  });

  it('an unknown option: exit 2', () => {
    const r = cli('inspect', join(ROOT, 'examples', 'tfc.json'), '--bogus');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown option '--bogus'");
    noStack(r.stderr);
  });

  it('an unknown command: exit 2', () => {
    const r = cli('frobnicate');
    expect(r.status).toBe(2);
    noStack(r.stderr);
  });

  it('--help and --version: exit 0', () => {
    const help = cli('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: bnn-hw');
    expect(help.stdout).toContain('inspect');
    const version = cli('--version');
    expect(version.status).toBe(0);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(version.stdout.trim()).toBe(pkg.version);
    const sub = cli('infer', '--help');
    expect(sub.status).toBe(0);
    expect(sub.stdout).toContain('--engine');
  });

  it('infer on a good example prints its outputs', () => {
    const model = join(ROOT, 'examples', 'tfc.json');
    const inputs = join(ROOT, 'examples', 'tfc-inputs.json');
    const r = cli('infer', model, '--input', inputs);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(8);
    lines.forEach((l, i) => expect(l).toMatch(new RegExp(`^${i}: \\d$`)));
    // the same outputs the example's page documents, from both engines
    const md = readFileSync(join(ROOT, 'examples', 'tfc.md'), 'utf8');
    expect(md).toContain(r.stdout);
    const float = cli('infer', model, '--input', inputs, '--engine', 'float', '--json');
    expect(float.status).toBe(0);
    expect((JSON.parse(float.stdout) as { outputs: number[] }).outputs.map((o, i) => `${i}: ${o}`)).toEqual(lines);
  });

  it('inspect on a good example prints the table of its page', () => {
    const r = cli('inspect', join(ROOT, 'examples', 'cnv.json'));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('total');
    expect(readFileSync(join(ROOT, 'examples', 'cnv.md'), 'utf8')).toContain(r.stdout);
  });

  it('a closed output pipe ends quietly: exit 0, no stack trace', () => {
    const r = spawnSync('bash', ['-c', `set -o pipefail; node "${MAIN}" inspect examples/cnv.json | head -1`], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    noStack(r.stderr);
    expect(r.stderr).not.toContain('EPIPE');
    expect(r.status).toBe(0);
  });
});
