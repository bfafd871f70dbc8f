// What a key's effective policy allows, as the IAM stage reads it: principals and their action
// classes, public and cross-account exposure, delegation, escalation paths, lockout, the VPC endpoint
// Deny, and who gains or loses access in this plan.

import { diffAccess, expandActionPattern, keyPolicyFacts, type KeyPolicyFacts, type PolicyDocument, type Statement } from '../iam';
import { isUnknown, Unknown, type ModelValue, type Resource } from '../model';
import { callerAccount, documentText, edge, isConfigured, once, related, undecidedKeyPolicies, type DocumentText, type FactContext } from './context';
import { parseCached } from './documents';
import { isKmsEndpoint } from './network';

/** A stand-in account for the default policy of a key whose account the plan does not tell. */
const UNKNOWN_ACCOUNT = '000000000000';

/** The key policy KMS attaches when none is given. https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html */
export const defaultKeyPolicy = (account: string): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [
      { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' },
    ],
  });

/** The key's account: from its ARN (or the ARN of the key it replaces), else the plan's caller identity. */
export function keyAccount(resource: Resource, ctx: FactContext): string | null {
  for (const arn of [resource.values['arn'], resource.before?.['arn']]) {
    if (typeof arn !== 'string') continue;
    const account = arn.split(':')[4];
    if (account && /^\d{12}$/.test(account)) return account;
  }
  return callerAccount(ctx);
}

interface EffectivePolicy {
  /** The policy text (known or recovered), unknown, or null for the default policy. */
  text: DocumentText | Unknown | null;
  /** The resource whose attribute holds it. */
  holder: Resource;
  before: ModelValue;
  bypass: ModelValue;
}

/** Where the policy in force comes from: an attached aws_kms_key_policy (applied after the key), else the key's own. */
function effectivePolicy(resource: Resource, ctx: FactContext): EffectivePolicy | Unknown {
  const [attached] = related(ctx, resource, 'keyPolicies');
  if (attached) {
    return {
      text: documentText(attached, 'policy', attached.values['policy'] ?? null, ctx),
      holder: attached,
      before: attached.before?.['policy'] ?? null,
      bypass: attached.values['bypass_policy_lockout_safety_check'] ?? false,
    };
  }
  const [undecided] = undecidedKeyPolicies(resource, ctx);
  const configured = isConfigured(resource, 'policy');
  const own = resource.values['policy'] ?? null;
  if (undecided && !configured) return new Unknown('key_id', edge(ctx, undecided, 'key').waitsOn, undefined, undecided.address);
  return {
    // Not configured (or unknown only because the provider computes the default): the default policy.
    text: configured === false ? null : documentText(resource, 'policy', own, ctx),
    holder: resource,
    before: resource.before?.['policy'] ?? null,
    bypass: resource.values['bypass_policy_lockout_safety_check'] ?? false,
  };
}

/**
 * The key's account when neither its ARN nor the plan's caller identity tells: the one account whose
 * principals may change the key policy (PutKeyPolicy is never cross-account capable), else the one
 * account the policy names at all.
 */
function accountFromPolicy(document: PolicyDocument): string | null {
  const accounts = (statements: readonly Statement[]) =>
    new Set(statements.flatMap((st) => st.principal?.values.map((v) => v.account).filter((a): a is string => a !== null && /^\d{12}$/.test(a)) ?? []));
  const allows = document.statements.filter((st) => st.effect === 'Allow' && !st.principal?.negated);
  const owners = accounts(allows.filter((st) => st.action.patterns.some((p) => expandActionPattern(p).kms.includes('kms:PutKeyPolicy')) !== st.action.negated));
  if (owners.size === 1) return [...owners][0] ?? null;
  const named = accounts(allows);
  return named.size === 1 ? ([...named][0] ?? null) : null;
}

const GRANT_MANAGEMENT = new Set(['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant']);

/** `kms:GrantIsForAWSResource = true`: grants only for AWS services acting for the principal. */
function grantsForAwsResourcesOnly(statement: Statement): boolean {
  return statement.conditions.some(
    (c) => c.keyLower === 'kms:grantisforawsresource' && c.base === 'Bool' && !c.negated && !c.set && c.values.length > 0 && c.values.every((v) => v.toLowerCase() === 'true'),
  );
}

/**
 * Each principal's actions without the grant management that only AWS services can use on its behalf
 * (the "allow attachment of persistent resources" statement of the default key-user policy).
 */
function withUnscopedActions(facts: KeyPolicyFacts, document: PolicyDocument): KeyPolicyFacts {
  const byRef = new Map(document.statements.map((st) => [st.ref, st]));
  return {
    ...facts,
    principals: facts.principals.map((principal) => {
      const scoped = new Set(
        [...GRANT_MANAGEMENT].filter((action) => {
          const paths = principal.grants.filter((g) => g.actions.includes(action));
          return paths.length > 0 && paths.every((g) => {
            const statement = byRef.get(g.statement);
            return statement !== undefined && grantsForAwsResourcesOnly(statement);
          });
        }),
      );
      return { ...principal, unscopedActions: principal.actions.filter((a) => !scoped.has(a)) };
    }),
  };
}

function analyse(text: string, resource: Resource, account: string | null, symbols: DocumentText['symbols'] = {}): KeyPolicyFacts | undefined {
  const result = parseCached(text, 'key');
  if (!result.document) return undefined;
  const facts = keyPolicyFacts(result.document, {
    keyArn: typeof resource.values['arn'] === 'string' ? (resource.values['arn'] as string) : null,
    keyAccount: account ?? accountFromPolicy(result.document),
    symbols,
    keyUsage: typeof resource.values['key_usage'] === 'string' ? (resource.values['key_usage'] as string) : 'ENCRYPT_DECRYPT',
  });
  return withUnscopedActions(facts, result.document);
}

export interface EscalationPath {
  action: 'kms:PutKeyPolicy' | 'kms:CreateGrant';
  principal: string;
  type: string;
  keyAccountRoot: boolean;
  grantIsForAWSResource: boolean | null;
  statements: readonly string[];
}

function escalationPaths(facts: KeyPolicyFacts): EscalationPath[] {
  const roots = new Set(facts.principals.filter((p) => p.isKeyAccountRoot).map((p) => p.id));
  const isRoot = (principal: string) => roots.has(principal);
  return [
    ...facts.escalation.putKeyPolicy.map((p) => ({
      action: 'kms:PutKeyPolicy' as const,
      principal: p.principal,
      type: p.type,
      keyAccountRoot: isRoot(p.principal),
      grantIsForAWSResource: null,
      statements: p.statements,
    })),
    ...facts.escalation.createGrant.map((p) => ({
      action: 'kms:CreateGrant' as const,
      principal: p.principal,
      type: p.type,
      keyAccountRoot: isRoot(p.principal),
      grantIsForAWSResource: p.grantIsForAWSResource,
      statements: p.statements,
    })),
  ];
}

/** KMS endpoints of the plan, and whether the key policy's Deny names endpoints that none of them is. */
function endpointNaming(facts: KeyPolicyFacts, ctx: FactContext): { missing: string[] } | Unknown {
  const named = facts.vpceRestriction.endpoints;
  if (named.length === 0) return { missing: [] };
  const { known, undecided } = kmsEndpointIds(ctx);
  const missing = named.filter((n) => !known.has(n) && !n.includes('*') && !n.includes('?'));
  if (missing.length > 0 && undecided) return undecided;
  return { missing };
}

/** The ids a key policy may name the plan's KMS endpoints by, once per plan; the first endpoint whose id is unknown. */
function kmsEndpointIds(ctx: FactContext): { known: ReadonlySet<string>; undecided: Unknown | undefined } {
  return once(ctx, 'kmsEndpointIds', () => {
    const known = new Set<string>();
    let undecided: Unknown | undefined;
    for (const endpoint of ctx.model.byType.get('aws_vpc_endpoint') ?? []) {
      if (isKmsEndpoint(endpoint) === false) continue;
      const id = endpoint.values['id'];
      if (typeof id === 'string') known.add(id);
      else if (isUnknown(id)) undecided ??= new Unknown('id', [], undefined, endpoint.address);
      known.add(`\${tf:${endpoint.address}.id}`);
    }
    return { known, undecided };
  });
}

/** Everything derived from the key policy: all unknown (or undecidable) together when the policy is. */
function undecided(account: string | null, cause: Unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { keyAccount: account, keyPolicy: cause, escalationPaths: cause, vpceEndpointNaming: cause, accessChange: cause, ...extra };
}

export function keyPolicyView(resource: Resource, ctx: FactContext): Record<string, unknown> {
  const account = keyAccount(resource, ctx);
  const effective = effectivePolicy(resource, ctx);
  if (isUnknown(effective)) return undecided(account, effective, { bypassLockout: effective });
  const { text, holder } = effective;
  const policyHolder = holder.address;
  const bypassLockout = effective.bypass;
  if (isUnknown(text)) return undecided(account, text, { policyHolder, bypassLockout });
  const isDefault = text === null;
  const facts = isDefault
    ? analyse(defaultKeyPolicy(account ?? UNKNOWN_ACCOUNT), resource, account ?? UNKNOWN_ACCOUNT)
    : analyse(text.text, resource, account, text.symbols);
  if (!facts) {
    const invalid = new Unknown('policy', [], `the key policy of ${resource.address} is not a valid policy document (see policy-document-valid)`, policyHolder);
    return undecided(account, invalid, { policyHolder, bypassLockout });
  }
  return {
    keyAccount: account ?? facts.keyAccount,
    keyPolicy: facts,
    defaultPolicy: isDefault,
    policyHolder,
    bypassLockout,
    escalationPaths: escalationPaths(facts),
    vpceEndpointNaming: endpointNaming(facts, ctx),
    accessChange: accessChange(effective, resource, account, facts),
  };
}

export interface AccessChangeEntry {
  principal: string;
  type: string;
  change: 'gains' | 'loses';
  actions: readonly string[];
  actionClasses: readonly string[];
}

/** Who gains and who loses which actions when the plan changes an existing key policy. */
function accessChange(effective: EffectivePolicy, resource: Resource, account: string | null, after: KeyPolicyFacts) {
  const none = { changed: false, changes: [] as AccessChangeEntry[], publicBefore: false, publicAfter: false };
  const before = effective.before;
  if (typeof before !== 'string' || before === '' || effective.holder.before === null) return none;
  const previous = analyse(before, resource, account);
  if (!previous) return none;
  const diff = diffAccess(previous, after);
  const changes: AccessChangeEntry[] = [
    ...diff.gained.map((c) => ({ ...c, change: 'gains' as const })),
    ...diff.lost.map((c) => ({ ...c, change: 'loses' as const })),
  ];
  return { changed: diff.changed, changes, publicBefore: diff.publicBefore, publicAfter: diff.publicAfter };
}

/** Does the plan hold a KMS interface endpoint (so key policies should pin use to it)? */
export function planHasKmsEndpoint(ctx: FactContext): boolean | Unknown {
  let undecided: Unknown | undefined;
  for (const endpoint of ctx.model.byType.get('aws_vpc_endpoint') ?? []) {
    const kms = isKmsEndpoint(endpoint);
    if (kms === true) return true;
    if (isUnknown(kms)) undecided ??= kms;
  }
  return undecided ?? false;
}
