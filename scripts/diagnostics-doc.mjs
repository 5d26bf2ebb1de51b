// Writes docs/diagnostics.md from the diagnostics catalog (src/diagnostics/catalog.ts). Run after `npm run build`.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const { catalogMarkdown } = await import('../dist/diagnostics/catalog.js');
writeFileSync(fileURLToPath(new URL('../docs/diagnostics.md', import.meta.url)), catalogMarkdown());
