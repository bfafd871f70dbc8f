// VPC endpoint policy facts. No policy means the default, full access (Allow * on * to *).
// https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
// https://docs.aws.amazon.com/kms/latest/developerguide/kms-vpc-endpoint.html#vpce-policy
import { KMS_ACTION_NAMES, expandActionPattern } from '../catalog/actions';
import { parsePolicy } from '../policy/parse';
import type { PolicyDocument, Statement } from '../policy/types';

export interface EndpointPolicyFacts {
  /** No policy attached: the default policy allows everything. */
  defaultFullAccess: boolean;
  allowsAnyPrincipal: boolean;
  /** Principals named by Allow statements (`*` for any). */
  principals: string[];
  /** KMS actions some Allow statement allows and no unconditional Deny takes away. */
  actions: string[];
  /** Allowed through `*`, `kms:*` or Allow + NotAction. */
  wildcardActions: boolean;
  /** Allowed actions outside the given list. */
  actionsBeyond: string[];
  resources: string[];
  /** Resource patterns of Allow statements that are not one specific key ARN. */
  resourcesOtherThanKeyArns: string[];
  statements: string[];
}

const SPECIFIC_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[^*?]+$/;
const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

function coveredKms(st: Statement): Set<string> {
  const hit = new Set<string>();
  for (const p of st.action.patterns) for (const a of expandActionPattern(p).kms) hit.add(a);
  return new Set(KMS_ACTION_NAMES.filter((a) => hit.has(a) !== st.action.negated));
}

function expandList(list: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const p of list) for (const a of expandActionPattern(p.includes(':') || p === '*' ? p : `kms:${p}`).kms) out.add(a);
  return out;
}

export function endpointPolicyFacts(policy: PolicyDocument | string | null, opts: { allowedActions?: readonly string[] } = {}): EndpointPolicyFacts {
  const allowed = expandList(opts.allowedActions ?? KMS_ACTION_NAMES);
  if (policy === null) {
    return {
      defaultFullAccess: true,
      allowsAnyPrincipal: true,
      principals: ['*'],
      actions: [...KMS_ACTION_NAMES],
      wildcardActions: true,
      actionsBeyond: KMS_ACTION_NAMES.filter((a) => !allowed.has(a)),
      resources: ['*'],
      resourcesOtherThanKeyArns: ['*'],
      statements: [],
    };
  }
  const doc = typeof policy === 'string' ? parsePolicy(policy, 'endpoint').document : policy;
  const statements = doc?.statements ?? [];
  const denied = new Set<string>();
  for (const st of statements) {
    const toEveryone = !st.principal || (!st.principal.negated && st.principal.values.some((v) => v.type === 'any'));
    const everywhere = st.resource !== null && !st.resource.negated && st.resource.patterns.includes('*');
    if (st.effect === 'Deny' && st.conditions.length === 0 && toEveryone && everywhere) coveredKms(st).forEach((a) => denied.add(a));
  }
  const actions = new Set<string>();
  const principals = new Set<string>();
  const resources = new Set<string>();
  const broad = new Set<string>();
  const refs = new Set<string>();
  let wildcard = false;
  for (const st of statements) {
    if (st.effect !== 'Allow' || !st.resource) continue;
    const acts = [...coveredKms(st)].filter((a) => !denied.has(a));
    if (acts.length === 0) continue;
    refs.add(st.ref);
    acts.forEach((a) => actions.add(a));
    if (st.action.negated || st.action.patterns.some((p) => p === '*' || p.toLowerCase() === 'kms:*')) wildcard = true;
    if (!st.principal || st.principal.negated) principals.add('*');
    else for (const v of st.principal.values) principals.add(v.type === 'any' ? '*' : v.id);
    for (const r of st.resource.patterns) {
      const shown = st.resource.negated ? `NotResource:${r}` : r;
      resources.add(shown);
      if (st.resource.negated || !(SPECIFIC_KEY_ARN.test(r) || /^\$\{tf:[^}]+\}$/.test(r))) broad.add(shown);
    }
  }
  return {
    defaultFullAccess: false,
    allowsAnyPrincipal: principals.has('*'),
    principals: sorted(principals),
    actions: sorted(actions),
    wildcardActions: wildcard,
    actionsBeyond: sorted([...actions].filter((a) => !allowed.has(a))),
    resources: sorted(resources),
    resourcesOtherThanKeyArns: sorted(broad),
    statements: sorted(refs),
  };
}
