import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPolicies } from '../../src/policy/load';
import type { Policy } from '../../src/policy/types';

const root = join(import.meta.dirname, '../..');
const dir = join(root, 'policies');

function loadFolder() {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && !f.endsWith('.test.yaml'))
    .sort();
  return { files, ...loadPolicies(files.map((f) => ({ file: `policies/${f}`, text: readFileSync(join(dir, f), 'utf8'), builtIn: true }))) };
}

describe('built-in policies', () => {
  it('all load without errors', () => {
    const { files, policies, errors } = loadFolder();
    expect(errors.map((e) => e.message)).toEqual([]);
    expect(policies.length).toBe(files.length);
  });

  // The bundle embeds the pack loaded at build time and does not validate it again (npm test builds first).
  it('are embedded in the bundle exactly as loading policies/ gives them', async () => {
    const bundled = (await import(pathToFileURL(join(root, 'build/builtin-policies.mjs')).href)) as { builtInPolicies: () => Policy[] };
    expect(bundled.builtInPolicies()).toStrictEqual(loadFolder().policies);
  });
});
