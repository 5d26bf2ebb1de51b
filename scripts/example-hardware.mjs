#!/usr/bin/env node
// Write the "## Hardware" section of the residual-graph example pages (examples/<name>.md) from the real
// output of `bnn-hw generate`, `bnn-hw estimate` and `bnn-hw verify` with the bench folding (run
// `npm run build` first; verify needs Verilator and takes a few minutes). `npm run examples` keeps the
// section (scripts/make-examples.mjs). Usage: node scripts/example-hardware.mjs [name,name]
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../dist/util/fs.js';
import { HARDWARE_HEADING, withHardware } from './example-pages.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const names = (process.argv[2] ?? 'residual_mlp,birealnet_small').split(',');

/** Run the CLI from the repository root; the command as shown on the page and its standard output. */
function run(/** @type {string[]} */ args) {
  const out = execFileSync(process.execPath, ['dist/cli/main.js', ...args], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 });
  // paths under the repository root as the reader's relative ones (no machine path on the page)
  return ['```text', `$ bnn-hw ${args.join(' ')}`, out.trimEnd().replaceAll(root, ''), '```'].join('\n');
}

for (const name of names) {
  const model = `examples/${name}.json`;
  const fold = ['--fold', `bench/foldings/${name}.json`];
  const dir = `build/examples-hw/${name}`;
  const generate = run(['generate', model, ...fold, '-o', dir]);
  rmSync(`${root}/${dir}`, { recursive: true, force: true });
  const estimate = run(['estimate', model, ...fold]);
  const verify = run(['verify', model, ...fold, '--simulator', 'verilator,ts', '--stall', '0.3', '--vectors', '3']);
  const section = [
    HARDWARE_HEADING,
    '',
    `A residual graph maps to streaming hardware (docs/graphs.md): \`bnn-hw plan\`, \`generate\`, \`simulate\`, \`estimate\` and \`verify\` take it. The folding is \`bench/foldings/${name}.json\`. The outputs below are the commands' real output, written by \`node scripts/example-hardware.mjs\`.`,
    '',
    '### `bnn-hw generate`: the plan, the cycles and the bypass FIFOs',
    '',
    'Each bypass FIFO holds the shortcut\'s beats while the long branch (the layers named in its origin) works on them; its depth is the peak occupancy the graph cycle model measured at the planned rate, + 1 slack.',
    '',
    generate,
    '',
    '### `bnn-hw estimate`: resources per layer, port and bypass blocks',
    '',
    'Rows ending in `_dup` are fan-out blocks, `_bypass` the bypass FIFOs, `_cvt` width converters, the `add` / `pool` / `gap` rows the graph\'s port blocks. Calibrated estimates, not synthesis.',
    '',
    estimate,
    '',
    '### `bnn-hw verify`: RTL and TypeScript cycle model against the reference',
    '',
    'Three seeded random vectors, random input gaps and output backpressure with probability 0.3 per cycle; the testbench has a watchdog (no handshake on any stream for its bound stops the run with the full and starved streams). Icarus agrees too: `--simulator all` (a few minutes on birealnet_small).',
    '',
    verify,
    '',
  ].join('\n');
  const page = `${root}/examples/${name}.md`;
  writeFileAtomic(page, withHardware(readFileSync(page, 'utf8'), section));
  console.log(`wrote examples/${name}.md`);
}
