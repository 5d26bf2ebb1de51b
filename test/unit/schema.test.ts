import { expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { jsonSchema } from '../../src/frontend/schema.js';

it('docs/model.schema.json is the schema generated from src/frontend/schema.ts (run `bnn-hw schema -o docs/model.schema.json`)', () => {
  expect(JSON.parse(readFileSync('docs/model.schema.json', 'utf8'))).toEqual(jsonSchema());
});
