// The policies a run uses: the built-in pack (unless --no-builtin) and the folders named with
// --policies, with one id space across them.

import { UserError, UserErrors } from '../errors';
import { loadPolicies } from '../policy/load';
import type { Policy } from '../policy/types';
import { builtInPolicies } from './builtin-policies';
import { readPolicyFolder } from './files';

export function loadPolicySet(folders: readonly string[], builtin: boolean): Policy[] {
  const sources = folders.flatMap((dir) => readPolicyFolder(dir, false).policies);
  const { policies, errors } = loadPolicies(sources, builtin ? builtInPolicies() : []);
  if (errors.length > 0) throw new UserErrors(errors);
  if (policies.length === 0) throw new UserError('--policies', '', 'no policies to run: the folders hold no *.yaml policy files');
  return policies;
}
