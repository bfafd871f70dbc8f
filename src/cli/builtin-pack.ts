// The built-in policy pack's files, read from policies/*.yaml: run from source, in the action bundle,
// and by `kmsgate test`. The CLI bundle embeds the pack already loaded instead (builtin-policies.ts).

import type { PolicySource } from '../policy/load';
import { builtInPoliciesDir, readPolicyFolder } from './files';

export function builtInPolicySources(): PolicySource[] {
  return readPolicyFolder(builtInPoliciesDir(), true).policies;
}
