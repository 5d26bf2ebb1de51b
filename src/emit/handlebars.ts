/**
 * Handlebars set-up: no HTML escaping (it would corrupt Verilog) and strict mode (a missing field is an
 * error, never an empty string in the output). Templates only format values computed in TypeScript.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import Handlebars from 'handlebars';

export const TEMPLATE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'templates');

const hb = Handlebars.create();
const cache = new Map<string, HandlebarsTemplateDelegate>();

export function render(template: string, data: unknown): string {
  let t = cache.get(template);
  if (!t) {
    t = hb.compile(readFileSync(join(TEMPLATE_DIR, template), 'utf8'), { noEscape: true, strict: true });
    cache.set(template, t);
  }
  return t(data);
}

export function readTemplateFile(rel: string): string {
  return readFileSync(join(TEMPLATE_DIR, rel), 'utf8');
}
