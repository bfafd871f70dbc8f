// `kmsgate rules`: the metadata of the policies a check would run, as text, JSON or the rules page.

import { renderRulesMarkdown } from '../policy/docs';
import type { Policy } from '../policy/types';
import { builtInPolicies } from './builtin-policies';

export async function runRules(args: { policies: readonly string[]; builtin: boolean; format: string }): Promise<string> {
  const policies = await policySet(args.policies, args.builtin);
  if (args.format === 'json') {
    // The rule metadata of reports; its module brings the whole pipeline, which text and markdown do without.
    const { ruleMeta } = await import('../analyze');
    return `${JSON.stringify(policies.map((p) => ({ ...ruleMeta(p), parameters: p.parameters, file: p.file })), null, 2)}\n`;
  }
  if (args.format === 'markdown') return renderRulesMarkdown(policies);
  const width = Math.max(...policies.map((p) => p.id.length));
  return `${policies.map((p) => `${p.id.padEnd(width)}  ${p.severity.padEnd(8)}  ${p.title}`).join('\n')}\n`;
}

/** The built-in pack comes loaded; only policy folders need the loader (YAML, schema, JSONPath). */
async function policySet(folders: readonly string[], builtin: boolean): Promise<Policy[]> {
  if (folders.length === 0 && builtin) return builtInPolicies();
  const { loadPolicySet } = await import('./policy-set');
  return loadPolicySet(folders, builtin);
}
