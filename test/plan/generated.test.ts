// The bench's generated plans (bench/generate.mjs) have Terraform's full shape at any size: the
// loader must read one exactly like JSON.parse, whole or streamed in chunks, and the generator must
// write the same bytes for the same seed.

import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generatePlan } from '../../bench/generate.mjs';
import { createPlanReader, readPlan } from '../../src/plan';
import { buildModel } from '../../src/model';
import { referenceRead } from './reference';

const dir = mkdtempSync(join(tmpdir(), 'kmsgate-generated-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a generated plan of 21 units (three module calls of each kind, about 3.5 MB)', () => {
  const path = join(dir, 'plan.json');
  const manifest = generatePlan({ path, seed: 7, units: 21 });
  const bytes = readFileSync(path);

  it('is written the same way for the same seed', () => {
    const again = join(dir, 'again.json');
    expect(generatePlan({ path: again, seed: 7, units: 21 })).toEqual(manifest);
    const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
    expect(digest(again)).toBe(digest(path));
  });

  it('loads like JSON.parse, parsed whole or streamed in chunks', () => {
    const reference = referenceRead(bytes);
    const whole = readPlan('plan.json', bytes, { wholeFileBytes: 64 << 20 });
    const streamed = createPlanReader('plan.json', { wholeFileBytes: 0 });
    for (let at = 0; at < bytes.length; at += 100_003) streamed.push(bytes.subarray(at, at + 100_003));
    const document = streamed.end();
    expect(document).toEqual(whole);
    expect(document.resourceChanges).toEqual(reference.resourceChanges);
    expect(document.resourceDrift).toEqual(reference.resourceDrift);
    expect(document.priorState).toEqual(reference.priorState);
    expect(document.outputs).toEqual(reference.outputs);
    expect(document.configuration).toEqual(reference.configuration);
    expect(document.inventory).toEqual(reference.inventory);
    // What the bench's correctness guard relies on: prior_state adds only the data sources read while planning.
    expect(document.priorState.every((resource) => resource.mode === 'data')).toBe(true);
  });

  it('holds what the manifest says, in the model', () => {
    const model = buildModel(readPlan('plan.json', bytes));
    for (const [type, count] of Object.entries(manifest.types)) expect([type, model.byType.get(type)?.length ?? 0]).toEqual([type, count]);
  });
});
