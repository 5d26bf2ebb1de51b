#!/usr/bin/env node
// Regenerate examples/ (run `npm run build` first): a thin wrapper around src/examples/builtin.ts.
// A page's "## Hardware" section (scripts/example-hardware.mjs) is kept as it was.
// Usage: node scripts/make-examples.mjs [out-dir] [--only name,name]
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeExamples } from '../dist/examples/builtin.js';
import { writeFileAtomic } from '../dist/util/fs.js';
import { hardwareSection, withHardware } from './example-pages.mjs';

const args = process.argv.slice(2);
const at = args.indexOf('--only');
const only = at >= 0 ? args.splice(at, 2)[1]?.split(',') : undefined;
const dir = args[0] ?? fileURLToPath(new URL('../examples', import.meta.url));
// the hardware sections of the pages there now, by path
const kept = new Map(
  (existsSync(dir) ? readdirSync(dir) : []).filter((f) => f.endsWith('.md')).map((f) => [join(dir, f), hardwareSection(readFileSync(join(dir, f), 'utf8'))]),
);
for (const path of writeExamples(dir, only)) {
  const section = kept.get(path) ?? '';
  if (section) writeFileAtomic(path, withHardware(readFileSync(path, 'utf8'), section));
  console.log(`wrote ${relative(process.cwd(), path) || path}`);
}
