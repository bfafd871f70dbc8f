// The fuzz targets with a fixed seed and few runs, so `npm test` stays fast and repeatable; the long
// run (`node scripts/fuzz-long.mjs 100000`) explores the same targets with many more. A failure prints
// the seed and path fast-check needs to replay and shrink it.

import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, it } from 'vitest';
import { loadJsonSchema } from './invariants';
import { loadSeeds, type Seeds } from './seeds';
import { TARGETS } from './targets';

const ROOT = join(import.meta.dirname, '../..');
const SEED = 20260601;
/** Runs per target: enough to pass every kind of edit over every seed family in a few seconds. */
const RUNS: Readonly<Record<string, number>> = {
  'plan-bytes': 20,
  'plan-json': 30,
  'plan-policy': 10,
  'plan-secrets': 15,
  'policy-document': 200,
  'policy-file': 40,
  config: 40,
};

let seeds: Seeds;
beforeAll(() => {
  seeds = loadSeeds(ROOT);
  loadJsonSchema(ROOT);
});

describe('fuzzing with a fixed seed', () => {
  for (const target of TARGETS) {
    it(`${target.name}: a result or a UserError naming the file; reports parse; no pollution`, () => {
      fc.assert(
        fc.property(target.arbitrary(seeds), (input) => target.run(input, seeds)),
        { seed: SEED, numRuns: RUNS[target.name] ?? 50, endOnFailure: false },
      );
    });
  }
});
