// SARIF produced by the real pipeline from the example estate and the fixture plans: golden files
// that both validators accept with zero errors (the schema, and the Multitool with GitHub's rules).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kmsgate, ROOT } from '../cli/run';
import { validator } from './ajv';
import { expectGolden } from './golden';
import { multitool, SARIF_SCHEMA } from './multitool';

const validate = validator(SARIF_SCHEMA);

const CASES: readonly [string, readonly string[]][] = [
  ['example', ['testdata/example/plan.json', '--config', 'testdata/example/.kmsgate.yml']],
  ['key-policies', ['policies/fixtures/key-policies/plan.json']],
  ['modules-endpoints-scps', ['policies/fixtures/modules/plan.json', 'policies/fixtures/endpoints/plan.json', 'policies/fixtures/scps/plan.json']],
];

describe('SARIF from the pipeline', { timeout: 180_000 }, () => {
  it.each(CASES)('%s: golden, schema-valid, accepted by the Multitool with GitHub rules', (name, args) => {
    const run = kmsgate(['check', ...args, '--format', 'sarif', '--category', `kmsgate/${name}/`]);
    expect([0, 1]).toContain(run.code);
    expect(run.stderr).toBe('');
    expectGolden(`pipeline-${name}.sarif`, run.stdout);
    const log = JSON.parse(run.stdout) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    validate(log);
    const problems = multitool(run.stdout).filter((r) => r.level === 'error' || r.level === 'warning');
    expect(problems.map((r) => `${r.ruleId}: ${r.message.text ?? ''}`)).toEqual([]);
    // Locations are repository files, not the plan, wherever the source was read.
    for (const result of log.runs[0]?.results ?? []) {
      const uri = result.locations[0]?.physicalLocation.artifactLocation.uri ?? '';
      expect(() => readFileSync(join(ROOT, uri))).not.toThrow();
    }
  });
});
