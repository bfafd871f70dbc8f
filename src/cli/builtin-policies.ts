// The built-in policy pack, loaded. Run from source (and in the action bundle) it is loaded from
// policies/*.yaml like any folder. The CLI bundle replaces this module with the policies loaded at
// build time (scripts/build.mjs), so start-up pays for no YAML parsing, schema validation or JSONPath
// compilation; test/policy/builtin-load.test.ts holds the embedded pack to what loading gives.

import { UserErrors } from '../errors';
import { loadPolicies } from '../policy/load';
import type { Policy } from '../policy/types';
import { builtInPolicySources } from './builtin-pack';

export function builtInPolicies(): Policy[] {
  const { policies, errors } = loadPolicies(builtInPolicySources());
  if (errors.length > 0) throw new UserErrors(errors);
  return policies;
}
