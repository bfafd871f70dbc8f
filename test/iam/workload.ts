// A realistic estate of key policies: a handful of templates, each instance with its own account, role
// names and paths, endpoint ids and key ARN, the way module-built estates look. Deterministic per seed.
// Used by the differential test and by bench/iam-facts.mjs.
import type { FactsContext } from '../../src/iam';

export interface WorkloadKey {
  template: string;
  text: string;
  ctx: FactsContext;
}

type Json = Record<string, unknown>;

/** mulberry32: small, fast, deterministic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];
const TEAMS = ['payments', 'billing', 'search', 'identity', 'ledger', 'risk', 'data', 'platform', 'ml', 'edge'];
const APPS = ['api', 'worker', 'batch', 'ingest', 'export', 'reporting', 'sync', 'scheduler'];
const PATHS = ['/', '/service-role/', '/teams/{team}/', '/app/{team}/{env}/'];
const ENVS = ['prod', 'staging', 'dev'];

const ADMIN_ACTIONS = ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion', 'kms:RotateKeyOnDemand'];
const USER_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];
const GRANT_ACTIONS = ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'];

type RoleKind = 'admin' | 'app' | 'partner';

class Estate {
  /** Naming conventions are per estate: every application role lives under the same path, and so on. */
  private readonly paths: Record<RoleKind, string>;
  constructor(private readonly next: () => number) {
    this.paths = { admin: this.pick(PATHS), app: this.pick(PATHS), partner: this.pick(PATHS) };
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    const x = xs[this.int(xs.length)];
    if (x === undefined) throw new Error('empty choice');
    return x;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  account(): string {
    let s = String(1 + this.int(9));
    for (let i = 0; i < 11; i++) s += String(this.int(10));
    return s;
  }
  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'.charAt(this.int(16));
    return s;
  }
  uuid(): string {
    return `${this.hex(8)}-${this.hex(4)}-${this.hex(4)}-${this.hex(4)}-${this.hex(12)}`;
  }
  vpce(): string {
    return `vpce-0${this.hex(16)}`;
  }
  vpc(): string {
    return `vpc-0${this.hex(16)}`;
  }
  org(): string {
    return `o-${this.hex(10)}`;
  }
  role(kind: RoleKind, account: string, team: string, suffix: string, env: string): string {
    const path = this.paths[kind].replace('{team}', team).replace('{env}', env);
    return `arn:aws:iam::${account}:role${path}${team}-${suffix}-${env}`;
  }
}

const rootArn = (a: string) => `arn:aws:iam::${a}:root`;
const allow = (sid: string, principal: unknown, action: unknown, extra: Json = {}): Json => ({ Sid: sid, Effect: 'Allow', Principal: principal, Action: action, Resource: '*', ...extra });
const deny = (sid: string, principal: unknown, action: unknown, extra: Json = {}): Json => ({ Sid: sid, Effect: 'Deny', Principal: principal, Action: action, Resource: '*', ...extra });
const aws = (arns: string[]): Json => ({ AWS: arns.length === 1 ? arns[0] : arns });

interface Instance {
  e: Estate;
  account: string;
  region: string;
  team: string;
  keyArn: string;
  org: string;
  env: string;
  /** Application role names not used yet in this policy: a policy lists each role once. */
  apps: string[];
}

function app(i: Instance): string {
  const k = i.e.int(i.apps.length);
  const [name] = i.apps.splice(k, 1);
  if (name === undefined) throw new Error('out of application names');
  return name;
}

const rootStatement = (i: Instance, principalType: boolean): Json =>
  allow('Enable IAM User Permissions', aws([i.e.chance(0.5) ? rootArn(i.account) : i.account]), 'kms:*', principalType ? { Condition: { StringEquals: { 'aws:PrincipalType': 'Account' } } } : {});

/** The console default: root, key administrators, key users, attachment of persistent resources. */
function consoleDefault(i: Instance): Json[] {
  const admins = [i.e.role('admin', i.account, i.team, 'admin', i.env)];
  if (i.e.chance(0.4)) admins.push(`arn:aws:iam::${i.account}:role/aws-reserved/sso.amazonaws.com/${i.e.pick(REGIONS)}/AWSReservedSSO_AdministratorAccess_${i.e.hex(16)}`);
  const users = Array.from({ length: 1 + i.e.int(3) }, () => i.e.role('app', i.account, i.team, app(i), i.env));
  return [
    rootStatement(i, false),
    allow('Allow access for Key Administrators', aws(admins), ADMIN_ACTIONS),
    allow('Allow use of the key', aws(users), USER_ACTIONS),
    allow('Allow attachment of persistent resources', aws(users), GRANT_ACTIONS, { Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } }),
  ];
}

/** Root user only (aws:PrincipalType), an administrator role, user roles, and a Deny unless the VPC endpoint. */
function rootOnlyWithVpce(i: Instance): Json[] {
  const endpoints = Array.from({ length: 1 + i.e.int(3) }, () => i.e.vpce());
  const exempt: Json = i.e.chance(0.5) ? { Bool: { 'aws:PrincipalIsAWSService': 'false' } } : { Null: { 'kms:ViaService': 'true' } };
  return [
    rootStatement(i, true),
    allow('KeyAdministration', aws([i.e.role('admin', i.account, i.team, 'key-admin', i.env)]), ADMIN_ACTIONS),
    allow('KeyUsage', aws([i.e.role('app', i.account, i.team, app(i), i.env), i.e.role('app', i.account, i.team, app(i), i.env)]), USER_ACTIONS),
    deny('DenyOutsideVpce', '*', ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'], { Condition: { StringNotEquals: { 'aws:SourceVpce': endpoints.length === 1 ? endpoints[0] : endpoints }, ...exempt } }),
  ];
}

/** Service principals: CloudWatch Logs and CloudTrail with source conditions, plus a ViaService user. */
function servicePrincipals(i: Instance): Json[] {
  return [
    rootStatement(i, false),
    allow('AllowCloudWatchLogs', { Service: `logs.${i.region}.amazonaws.com` }, ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'], {
      Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${i.region}:${i.account}:log-group:/${i.team}/*` } },
    }),
    allow('AllowCloudTrailEncrypt', { Service: 'cloudtrail.amazonaws.com' }, 'kms:GenerateDataKey*', {
      Condition: { StringEquals: { 'aws:SourceArn': `arn:aws:cloudtrail:${i.region}:${i.account}:trail/${i.team}-trail` }, StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${i.account}:trail/*` } },
    }),
    allow('AllowSnsViaAccount', { Service: 'sns.amazonaws.com' }, ['kms:Decrypt', 'kms:GenerateDataKey'], { Condition: { StringEquals: { 'aws:SourceAccount': i.account } } }),
    allow('AllowAppViaS3', aws([i.e.role('app', i.account, i.team, app(i), i.env)]), USER_ACTIONS, { Condition: { StringEquals: { 'kms:ViaService': `s3.${i.region}.amazonaws.com`, 'kms:CallerAccount': i.account } } }),
  ];
}

/** A partner account: its root for use (delegation), one partner role for grants to AWS resources. */
function crossAccountPartner(i: Instance): Json[] {
  const partner = i.e.account();
  const partnerRole = i.e.role('partner', partner, i.e.pick(TEAMS), 'consumer', i.e.pick(ENVS));
  return [
    rootStatement(i, false),
    allow('KeyAdmins', aws([i.e.role('admin', i.account, i.team, 'admin', i.env)]), ADMIN_ACTIONS),
    allow('ExternalUse', aws([rootArn(partner)]), USER_ACTIONS),
    allow('ExternalGrants', aws([partnerRole]), GRANT_ACTIONS, { Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } }),
    allow('ExternalViaEbs', aws([partnerRole]), ['kms:Decrypt', 'kms:CreateGrant'], { Condition: { StringEquals: { 'kms:ViaService': `ec2.${i.region}.amazonaws.com` } } }),
  ];
}

/** "*" restricted to the organization, with a Deny for principals outside it. */
function orgRestricted(i: Instance): Json[] {
  return [
    rootStatement(i, i.e.chance(0.3)),
    allow('KeyAdmins', aws([i.e.role('admin', i.account, i.team, 'admin', i.env)]), ADMIN_ACTIONS),
    allow('OrgDecrypt', '*', ['kms:Decrypt', 'kms:DescribeKey'], { Condition: { StringEquals: { 'aws:PrincipalOrgID': i.org } } }),
    deny('DenyOutsideOrg', '*', 'kms:*', { Condition: { StringNotEquals: { 'aws:PrincipalOrgID': i.org }, Bool: { 'aws:PrincipalIsAWSService': 'false' } } }),
  ];
}

/** The AWS-managed-key style: every principal of the account, through one service only. */
function viaServiceAccount(i: Instance): Json[] {
  const service = i.e.pick(['ec2', 'rds', 's3', 'secretsmanager', 'dynamodb']);
  return [
    allow('Allow access through the service for all principals in the account', { AWS: '*' }, [...USER_ACTIONS, 'kms:CreateGrant'], {
      Condition: { StringEquals: { 'kms:CallerAccount': i.account, 'kms:ViaService': `${service}.${i.region}.amazonaws.com` } },
    }),
    allow('Allow direct access to key metadata to the account', aws([rootArn(i.account)]), ['kms:Describe*', 'kms:Get*', 'kms:List*', 'kms:RevokeGrant']),
  ];
}

/** Console admins with kms:*, a deletion guard exempting them by aws:PrincipalArn, SSO users by pattern. */
function wildcardAdmins(i: Instance): Json[] {
  const admin = i.e.role('admin', i.account, i.team, 'admin', i.env);
  const sso = `arn:aws:iam::${i.account}:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_${i.team}Dev_*`;
  return [
    rootStatement(i, false),
    allow('ConsoleAdmins', aws([admin]), 'kms:*'),
    allow('SsoDevelopers', '*', USER_ACTIONS, { Condition: { ArnLike: { 'aws:PrincipalArn': sso } } }),
    deny('OnlyAdminsDelete', '*', ['kms:ScheduleKeyDeletion', 'kms:PutKeyPolicy'], { Condition: { ArnNotLike: { 'aws:PrincipalArn': [admin, rootArn(i.account)] } } }),
    allow('AllowGrantsForAwsResources', aws([rootArn(i.account)]), 'kms:CreateGrant', { Condition: { Bool: { 'kms:GrantIsForAWSResource': true } } }),
  ];
}

/** Break-glass user, per-VPC Deny with a ViaService exemption, several apps. */
function vpcPerimeter(i: Instance): Json[] {
  const vpcs = Array.from({ length: 1 + i.e.int(2) }, () => i.e.vpc());
  return [
    rootStatement(i, i.e.chance(0.5)),
    allow('BreakGlass', aws([`arn:aws:iam::${i.account}:user/break-glass-${i.team}`]), 'kms:*'),
    allow('Apps', aws(Array.from({ length: 2 + i.e.int(3) }, () => i.e.role('app', i.account, i.team, app(i), i.env))), USER_ACTIONS),
    deny('DenyOutsideVpc', '*', 'kms:*', { Condition: { StringNotEquals: { 'aws:SourceVpc': vpcs.length === 1 ? vpcs[0] : vpcs }, StringNotEqualsIfExists: { 'kms:ViaService': [`s3.${i.region}.amazonaws.com`, `sqs.${i.region}.amazonaws.com`] } } }),
  ];
}

const TEMPLATES: Readonly<Record<string, (i: Instance) => Json[]>> = {
  consoleDefault,
  rootOnlyWithVpce,
  servicePrincipals,
  crossAccountPartner,
  orgRestricted,
  viaServiceAccount,
  wildcardAdmins,
  vpcPerimeter,
};

/** `count` keys of an estate: template chosen per key, every identifier fresh. */
export function workload(count: number, seed = 1): WorkloadKey[] {
  const e = new Estate(rng(seed));
  const names = Object.keys(TEMPLATES).sort();
  const org = e.org();
  const out: WorkloadKey[] = [];
  for (let n = 0; n < count; n++) {
    const template = e.pick(names);
    const account = e.account();
    const region = e.pick(REGIONS);
    const keyArn = `arn:aws:kms:${region}:${account}:key/${e.uuid()}`;
    const i: Instance = { e, account, region, team: e.pick(TEAMS), keyArn, org, env: e.pick(ENVS), apps: [...APPS] };
    const make = TEMPLATES[template];
    if (!make) throw new Error(`no template ${template}`);
    const policy = { Version: '2012-10-17', Id: `key-policy-${n}`, Statement: make(i) };
    // jsonencode() output is minified; aws_iam_policy_document output is pretty-printed.
    const text = e.chance(0.5) ? JSON.stringify(policy) : JSON.stringify(policy, null, 2);
    // At plan time a new key's ARN is known after apply: only its account is known then.
    const known = e.chance(0.7);
    const ctx: FactsContext = known ? { keyArn, keyUsage: 'ENCRYPT_DECRYPT' } : { keyArn: null, keyAccount: account, keyUsage: 'ENCRYPT_DECRYPT' };
    if (e.chance(0.5)) ctx.organizationId = org;
    out.push({ template, text, ctx });
  }
  return out;
}
