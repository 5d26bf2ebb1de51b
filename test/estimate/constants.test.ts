/** The constants in the code are the ones the committed calibration produced. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONSTANTS } from '../../src/estimate/constants.js';
import { REGISTRY } from '../../src/blocks/registry.js';

describe('calibration constants', () => {
  it('src/estimate/constants.ts equals docs/calibration-constants.json', () => {
    const doc = JSON.parse(readFileSync(new URL('../../docs/calibration-constants.json', import.meta.url), 'utf8')) as unknown;
    expect(CONSTANTS).toEqual(doc);
  });
  it('every block kind has an estimator and constants for both fabrics', () => {
    for (const kind of Object.keys(REGISTRY)) {
      expect(CONSTANTS.xilinx[kind as keyof typeof REGISTRY], kind).toBeDefined();
      expect(CONSTANTS.ice40[kind as keyof typeof REGISTRY], kind).toBeDefined();
    }
  });
});
