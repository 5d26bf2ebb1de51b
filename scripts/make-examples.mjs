#!/usr/bin/env node
// Regenerate examples/ (run `npm run build` first): a thin wrapper around src/examples/builtin.ts.
// Usage: node scripts/make-examples.mjs [out-dir] [--only name,name]
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeExamples } from '../dist/examples/builtin.js';

const args = process.argv.slice(2);
const at = args.indexOf('--only');
const only = at >= 0 ? args.splice(at, 2)[1]?.split(',') : undefined;
const dir = args[0] ?? fileURLToPath(new URL('../examples', import.meta.url));
for (const path of writeExamples(dir, only)) console.log(`wrote ${relative(process.cwd(), path) || path}`);
