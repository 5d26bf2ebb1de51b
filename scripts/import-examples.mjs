#!/usr/bin/env node
// Regenerate examples/imported/ (run `npm run build` first): imports the trained models of
// ../shared/models with bnn-hw's importers; a thin wrapper around src/examples/imported.ts.
// Usage: node scripts/import-examples.mjs [shared-models-dir] [out-dir]
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeImportedExamples } from '../dist/examples/imported.js';

const shared = process.argv[2] ?? fileURLToPath(new URL('../../shared/models', import.meta.url));
const dir = process.argv[3] ?? fileURLToPath(new URL('../examples/imported', import.meta.url));
for (const path of await writeImportedExamples(shared, dir)) console.log(`wrote ${relative(process.cwd(), path) || path}`);
