// KMS authorization, the way AWS decides it:
// 1. an explicit Deny in any policy (key policy, identity policies, SCPs, VPC endpoint policy) wins;
// 2. SCPs bound the key account's principals: at every level some attached SCP must allow;
// 3. a VPC endpoint policy bounds calls made through the endpoint (default policy: full access);
// 4. the key policy must allow: naming the caller grants directly, naming its account only delegates to
//    that account's IAM policies; cross-account calls need the key policy and the caller's IAM policy;
//    only actions with "Cross-account use: Yes" work on another account's key;
// 5. grants are a third allow source that only an explicit Deny stops.
// https://docs.aws.amazon.com/kms/latest/developerguide/control-access.html
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
import { kmsAction } from '../catalog/actions';
import type { PolicyDocument } from '../policy/types';
import { isIamIdentity, type Caller } from './caller';
import type { KeyInfo } from './context';
import type { ContextLookup } from '../match/condition';
import { statementApplies, type Request } from './statement';
import { grantApplies, type Grant } from './grants';

export type Decision = 'allow' | 'explicit-deny' | 'implicit-deny';

export interface StatementRef {
  policy: string;
  sid: string;
  effect: 'Allow' | 'Deny';
}

export interface DecisionResult {
  decision: Decision;
  statements: StatementRef[];
  notes: string[];
}

export interface NamedPolicy {
  name: string;
  document: PolicyDocument;
}

export type ScpEntry = { name: string; fullAccess: true } | { name: string; fullAccess: false; document: PolicyDocument };

export interface ScpLevel {
  level: string;
  policies: readonly ScpEntry[];
}

export interface AuthorizationInput {
  key: KeyInfo;
  keyPolicy: NamedPolicy;
  /** The caller's own IAM policies; 'allow-all' for a caller whose account grants it everything. */
  identityPolicies: readonly NamedPolicy[] | 'allow-all';
  /** Levels from the root down to the key's account; null when SCPs are not part of the question. */
  scps: readonly ScpLevel[] | null;
  /** The VPC endpoint the call goes through; policy null means the default full-access policy. */
  endpoint: { id: string; policy: NamedPolicy | null } | null;
  grants: readonly Grant[];
  caller: Caller;
  action: string;
  resource: string;
  ctx: ContextLookup;
}

interface Matched {
  allows: StatementRef[];
  denies: StatementRef[];
  direct: StatementRef[];
  viaAccount: StatementRef[];
}

function matchPolicy(p: NamedPolicy, req: Request): Matched {
  const m: Matched = { allows: [], denies: [], direct: [], viaAccount: [] };
  for (const st of p.document.statements) {
    const how = statementApplies(st, p.document, req);
    if (how === null) continue;
    const ref: StatementRef = { policy: p.name, sid: st.ref, effect: st.effect };
    if (st.effect === 'Deny') m.denies.push(ref);
    else {
      m.allows.push(ref);
      (how === 'account' ? m.viaAccount : m.direct).push(ref);
    }
  }
  return m;
}

/** Do the SCPs bind this caller? Not the management account, service-linked roles, service principals or outsiders. */
export function scpBinds(caller: Caller, key: KeyInfo): string | null {
  if (!isIamIdentity(caller)) return 'SCPs do not apply to service principals';
  if (caller.account !== key.account) return 'SCPs of the key account do not bind principals of other accounts';
  if (key.managementAccount) return 'SCPs do not apply to the management account';
  if (caller.serviceLinked) return 'SCPs do not apply to service-linked roles';
  return null;
}

export interface ScpOutcome {
  denies: StatementRef[];
  allows: StatementRef[];
  /** First level where no attached SCP allows the request. */
  missingAllowAt: string | null;
}

export function evaluateScps(levels: readonly ScpLevel[], req: Request): ScpOutcome {
  const out: ScpOutcome = { denies: [], allows: [], missingAllowAt: null };
  for (const level of levels) {
    let allowed = false;
    for (const entry of level.policies) {
      if (entry.fullAccess) {
        allowed = true;
        out.allows.push({ policy: entry.name, sid: 'FullAWSAccess', effect: 'Allow' });
        continue;
      }
      const m = matchPolicy({ name: entry.name, document: entry.document }, req);
      out.denies.push(...m.denies);
      if (m.allows.length > 0) {
        allowed = true;
        out.allows.push(...m.allows);
      }
    }
    if (!allowed && out.missingAllowAt === null) out.missingAllowAt = level.level;
  }
  return out;
}

export function authorize(input: AuthorizationInput): DecisionResult {
  const { caller, key } = input;
  const notes: string[] = [];
  const req: Request = { caller, action: input.action, resource: input.resource, ctx: input.ctx };
  if (caller.kind === 'anonymous') {
    return { decision: 'implicit-deny', statements: [], notes: ['KMS does not accept unsigned (anonymous) requests'] };
  }
  const info = kmsAction(input.action);
  const identity = isIamIdentity(caller);
  const crossAccount = identity && caller.account !== null && caller.account !== key.account;

  const kp = info?.iamOnly ? { allows: [], denies: [], direct: [], viaAccount: [] } : matchPolicy(input.keyPolicy, req);
  if (info?.iamOnly) notes.push(`${input.action} is authorised by IAM policies only; the key policy does not apply`);
  const idm: Matched = { allows: [], denies: [], direct: [], viaAccount: [] };
  if (identity && input.identityPolicies !== 'allow-all') {
    for (const p of input.identityPolicies) {
      const m = matchPolicy(p, req);
      idm.allows.push(...m.allows);
      idm.denies.push(...m.denies);
    }
  }
  const identityAllowAll = identity && input.identityPolicies === 'allow-all';
  // The root user is not governed by identity policies: it has every permission its account has.
  const identityAllows = caller.kind === 'root' || identityAllowAll || idm.allows.length > 0;

  const scpSkip = input.scps ? scpBinds(caller, key) : null;
  const scp = input.scps && scpSkip === null ? evaluateScps(input.scps, req) : null;
  if (input.scps && scpSkip) notes.push(scpSkip);

  let endpoint: Matched | null = null;
  if (input.endpoint && caller.kind !== 'service') {
    if (input.endpoint.policy) endpoint = matchPolicy(input.endpoint.policy, req);
    else notes.push(`endpoint ${input.endpoint.id} has the default policy (full access)`);
  }

  const denies = [...kp.denies, ...idm.denies, ...(scp?.denies ?? []), ...(endpoint?.denies ?? [])];
  if (denies.length > 0) return { decision: 'explicit-deny', statements: denies, notes };

  const bounds: StatementRef[] = [];
  if (scp) {
    if (scp.missingAllowAt !== null) {
      notes.push(`no SCP attached at level "${scp.missingAllowAt}" allows ${input.action}`);
      return { decision: 'implicit-deny', statements: [], notes };
    }
    bounds.push(...scp.allows);
  }
  if (endpoint) {
    if (endpoint.allows.length === 0) {
      notes.push(`the policy of endpoint ${input.endpoint?.id ?? ''} does not allow ${input.action}`);
      return { decision: 'implicit-deny', statements: [], notes };
    }
    bounds.push(...endpoint.allows);
  }
  if (crossAccount && info && !info.crossAccount) {
    notes.push(`${input.action} cannot be used on a key in another account (KMS: Cross-account use: No)`);
    return { decision: 'implicit-deny', statements: [], notes };
  }

  const identityRefs = identityAllowAll ? [{ policy: 'identityPolicies', sid: 'allow-all', effect: 'Allow' as const }] : idm.allows;
  if (info?.iamOnly) {
    if (identity && identityAllows && !crossAccount) return { decision: 'allow', statements: [...identityRefs, ...bounds], notes };
    notes.push('no identity policy allows it');
    return { decision: 'implicit-deny', statements: [], notes };
  }

  if (caller.kind === 'service') {
    if (kp.direct.length > 0) return { decision: 'allow', statements: [...kp.direct, ...bounds], notes };
  } else if (!crossAccount) {
    if (kp.direct.length > 0) return { decision: 'allow', statements: [...kp.direct, ...bounds], notes };
    if (kp.viaAccount.length > 0 && identityAllows) {
      if (caller.kind !== 'root') notes.push('the key policy delegates to the account; an identity policy allows');
      return { decision: 'allow', statements: [...kp.viaAccount, ...identityRefs, ...bounds], notes };
    }
  } else if (kp.allows.length > 0 && identityAllows) {
    notes.push('cross-account: the key policy and an identity policy in the caller account both allow');
    return { decision: 'allow', statements: [...kp.allows, ...identityRefs, ...bounds], notes };
  }

  const grant = input.grants.find((g) => grantApplies(g, caller, input.action, input.ctx));
  if (grant) {
    notes.push(`allowed by grant ${grant.name}: grants need no policy and only an explicit Deny stops them`);
    return { decision: 'allow', statements: [{ policy: `grant:${grant.name}`, sid: grant.name, effect: 'Allow' }, ...bounds], notes };
  }

  if (kp.allows.length === 0) notes.push('the key policy does not allow this request, and IAM policies cannot allow what the key policy does not');
  else if (crossAccount) notes.push('cross-account: the key policy allows, but no identity policy in the caller account does');
  else notes.push('the key policy only delegates to the account (IAM), and no identity policy allows');
  return { decision: 'implicit-deny', statements: [], notes };
}
