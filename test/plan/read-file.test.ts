// loadPlanFile: the file-system entry used by tests and the bench streams through the same reader.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readPlan } from '../../src/plan';
import { loadPlanFile } from '../../src/plan/read-file';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/plans', import.meta.url));
const EXPECTED = 'kmsgate reads the output of `terraform show -json tfplan > plan.json` (or of `terraform show -json` on a state)';

describe('loadPlanFile', () => {
  it('streams a file in chunks and gives what readPlan gives', () => {
    const path = join(CORPUS, 'overmindtech-terraform-example/large-aws-stack-drift-checks-modules_tf1.14.2.json');
    const expected = readPlan(path, readFileSync(path));
    expect(loadPlanFile(path)).toEqual(expected);
    expect(loadPlanFile(path, { chunkBytes: 4096, wholeFileBytes: 0 })).toEqual(expected);
  });

  it('names a directory and a missing file', () => {
    expect(() => loadPlanFile(CORPUS)).toThrow(`${CORPUS}: this is a directory, not a plan file; ${EXPECTED}`);
    expect(() => loadPlanFile(join(CORPUS, 'missing.json'))).toThrow(`${join(CORPUS, 'missing.json')}: cannot open the file (no such file)`);
  });
});
