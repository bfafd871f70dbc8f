// The built-in policy pack. Run from source, it is read from policies/*.yaml; the bundle replaces this
// module with the same files parsed at build time (scripts/build.mjs), so start-up pays no YAML parsing.

import type { PolicySource } from '../policy/load';
import { builtInPoliciesDir, readPolicyFolder } from './files';

export function builtInPolicySources(): PolicySource[] {
  return readPolicyFolder(builtInPoliciesDir(), true).policies;
}
