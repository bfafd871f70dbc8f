import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPolicies } from '../../src/policy/load';
import type { Policy } from '../../src/policy/types';

export const POLICIES_DIR = join(process.env.KMSGATE_POLICIES ?? import.meta.dirname, process.env.KMSGATE_POLICIES ? '.' : '../../policies');

let cached: Policy[] | undefined;

/** The built-in pack, loaded the way the CLI loads it. */
export function builtInPolicies(): Policy[] {
  if (!cached) {
    const files = readdirSync(POLICIES_DIR).filter((f) => f.endsWith('.yaml') && !f.endsWith('.test.yaml')).sort();
    const { policies, errors } = loadPolicies(files.map((f) => ({ file: `policies/${f}`, text: readFileSync(join(POLICIES_DIR, f), 'utf8'), builtIn: true })));
    if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('\n'));
    cached = policies;
  }
  return cached;
}
