// The request context: what the caller sends plus what AWS sets from who the caller is.
// Keys AWS derives are filled in when the scenario does not give them (iam-simulate does not, and then a
// Deny on ArnNotLike aws:PrincipalArn denies everyone).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
// https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-caller-account
import { principalArn, type Caller } from './caller';

export type ContextScalar = string | number | boolean;
export type ContextInput = Readonly<Record<string, ContextScalar | readonly ContextScalar[]>>;
export type RequestContext = Map<string, readonly string[]>;

export interface KeyInfo {
  arn: string;
  account: string;
  partition: string;
  region: string | null;
  organizationId: string | null;
  /** The key's account is the organization's management account: SCPs do not apply there. */
  managementAccount: boolean;
}

const EC_PREFIX = 'kms:encryptioncontext:';
const GRANT_ACTIONS = new Set(['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant']);
export function normalizeContext(input: ContextInput): RequestContext {
  const ctx: RequestContext = new Map();
  for (const [k, v] of Object.entries(input)) {
    const list = Array.isArray(v) ? (v as readonly ContextScalar[]) : [v as ContextScalar];
    ctx.set(k.toLowerCase(), list.map(String));
  }
  return ctx;
}

/** The encryption-context key names as the request spells them (kms:EncryptionContextKeys keeps their case). */
export function encryptionContextKeyNames(input: ContextInput): string[] {
  return Object.keys(input)
    .filter((k) => k.toLowerCase().startsWith(EC_PREFIX))
    .map((k) => k.slice(EC_PREFIX.length))
    .sort();
}

export interface Derivation {
  ctx: RequestContext;
  /** Keys filled in by kmsgate, in original spelling, sorted. */
  derived: string[];
}

const PRINCIPAL_TYPE: Partial<Record<Caller['kind'], string>> = { root: 'Account', user: 'User', 'role-session': 'AssumedRole', 'federated-user': 'FederatedUser' };

export function deriveContext(caller: Caller, key: KeyInfo, endpoint: { id: string; vpc?: string | null } | null, given: RequestContext, request: { action?: string; encryptionContextKeys?: readonly string[] } = {}): Derivation {
  const { action } = request;
  const ctx: RequestContext = new Map(given);
  const derived: string[] = [];
  const set = (name: string, value: string | null | undefined) => {
    if (value === null || value === undefined) return;
    const k = name.toLowerCase();
    if (ctx.has(k)) return;
    ctx.set(k, [value]);
    derived.push(name);
  };
  const isService = caller.kind === 'service';
  set('aws:PrincipalArn', principalArn(caller));
  if (!isService) {
    set('aws:PrincipalAccount', caller.account);
    set('kms:CallerAccount', caller.account);
  }
  set('aws:PrincipalType', PRINCIPAL_TYPE[caller.kind]);
  if (caller.kind === 'root') set('aws:userid', caller.account);
  if (caller.kind === 'federated-user') set('aws:userid', `${caller.account}:${caller.name}`);
  if (caller.kind === 'user') set('aws:username', caller.name);
  set('aws:PrincipalIsAWSService', isService ? 'true' : 'false');
  if (isService) set('aws:PrincipalServiceName', caller.name);
  if (key.organizationId && caller.account === key.account) set('aws:PrincipalOrgID', key.organizationId);
  set('aws:ResourceAccount', key.account);
  if (key.organizationId) set('aws:ResourceOrgID', key.organizationId);
  set('aws:RequestedRegion', key.region);
  // The KMS API is HTTPS only.
  set('aws:SecureTransport', 'true');
  if (endpoint) {
    set('aws:SourceVpce', endpoint.id);
    set('aws:SourceVpc', endpoint.vpc ?? null);
  }
  set('aws:ViaAWSService', ctx.has('kms:viaservice') ? 'true' : 'false');
  // KMS sets kms:GrantIsForAWSResource on grant operations: true only when an integrated service calls.
  // https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grant-is-for-aws-resource
  if (action && GRANT_ACTIONS.has(action)) set('kms:GrantIsForAWSResource', ctx.has('kms:viaservice') ? 'true' : 'false');
  // The encryption context's key names, when the request gives pairs but not the key list.
  const names = request.encryptionContextKeys ?? [];
  if (!ctx.has('kms:encryptioncontextkeys') && names.length > 0) {
    ctx.set('kms:encryptioncontextkeys', [...names]);
    derived.push('kms:EncryptionContextKeys');
  }
  derived.sort();
  return { ctx, derived };
}
