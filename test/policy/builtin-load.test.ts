import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPolicies } from '../../src/policy/load';

const dir = join(import.meta.dirname, '../../policies');

describe('built-in policies', () => {
  it('all load without errors', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml') && !f.endsWith('.test.yaml'));
    const { policies, errors } = loadPolicies(files.map((f) => ({ file: `policies/${f}`, text: readFileSync(join(dir, f), 'utf8'), builtIn: true })));
    expect(errors.map((e) => e.message)).toEqual([]);
    expect(policies.length).toBe(files.length);
  });
});
