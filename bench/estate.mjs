// A synthetic AWS estate, drawn deterministically from a seed: the resources of one "unit" (a module
// instance: a service, a network, or an organisation platform block) are a pure function of
// (seed, unit), so the plan writer can regenerate each unit once per section without holding the
// estate in memory. Shapes follow real `terraform show -json` output (policies/fixtures/*/plan.json,
// ../shared/notes/plan-format.md): attribute sets like hashicorp/aws 5.x, unknowns on creates,
// sensitive masks, data sources read at plan time or deferred, module nesting with for_each/count.

export const GENERATOR_VERSION = 5;

export const PROVIDER = 'registry.terraform.io/hashicorp/aws';

/** Units per block: 8 services, 1 network, 1 platform; each block is three module calls. */
const BLOCK = 10;

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hash(...values) {
  let h = 2166136261;
  for (const value of values) {
    h ^= value >>> 0;
    h = Math.imul(h, 16777619);
    h ^= h >>> 13;
  }
  return h >>> 0;
}

export class Rng {
  constructor(...seed) {
    this.next = mulberry32(hash(...seed));
  }
  int(n) {
    return Math.floor(this.next() * n);
  }
  chance(p) {
    return this.next() < p;
  }
  pick(list) {
    return list[this.int(list.length)];
  }
  hex(n) {
    let out = '';
    for (let i = 0; i < n; i++) out += '0123456789abcdef'[this.int(16)];
    return out;
  }
  digits(n) {
    let out = String(1 + this.int(9));
    for (let i = 1; i < n; i++) out += String(this.int(10));
    return out;
  }
  uuid() {
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${'89ab'[this.int(4)]}${this.hex(3)}-${this.hex(12)}`;
  }
}

const WORDS = ['payments', 'ledger', 'orders', 'billing', 'search', 'identity', 'catalog', 'shipping', 'reporting', 'analytics', 'audit', 'checkout', 'pricing', 'inventory', 'notifications', 'fraud', 'loyalty', 'media', 'profile', 'gateway'];
const TIERS = ['api', 'worker', 'stream', 'batch', 'etl', 'web', 'export', 'sync'];
const REGIONS = ['eu-west-1', 'eu-central-1', 'us-east-1', 'us-west-2'];
const ADMIN_ROLES = ['KeyAdministrator', 'platform-admin', 'security-admin', 'terraform-deployer', 'OrganizationAccountAccessRole'];
const INSTANCE_TYPES = ['t3.medium', 'm6i.large', 'c6i.xlarge', 'r6g.large', 't4g.small'];
const RUNTIMES = ['python3.12', 'nodejs20.x', 'java21', 'provided.al2023'];

/** Accounts, organisation and shared policy templates of the whole estate. */
export function estateOf(seed) {
  const rng = new Rng(seed, 0xe57a7e);
  const accounts = Array.from({ length: 6 }, () => rng.digits(12));
  return {
    seed,
    accounts,
    organizationId: `o-${rng.hex(10)}`,
    rootId: `r-${rng.hex(4)}`,
    managementAccount: accounts[0],
    partnerAccounts: [rng.digits(12), rng.digits(12)],
    guardian: `arn:aws:iam::${accounts[0]}:role/kms-guardian`,
    /** Keys in these accounts share one policy text per account (a platform team's standard template). */
    templateAccounts: new Set([accounts[1], accounts[2]]),
  };
}

export function unitKind(u) {
  const r = u % BLOCK;
  return r === BLOCK - 2 ? 'network' : r === BLOCK - 1 ? 'platform' : 'service';
}

/** The module instance of a unit: `module.svc_3["payments-2"]`, `module.network_3["eu-west-1"]`, `module.platform_3[0]`. */
export function unitModule(estate, u) {
  const block = Math.floor(u / BLOCK);
  const kind = unitKind(u);
  if (kind === 'platform') return { call: `platform_${block}`, key: 0, address: `module.platform_${block}[0]` };
  if (kind === 'network') {
    const region = REGIONS[block % REGIONS.length];
    return { call: `network_${block}`, key: region, address: `module.network_${block}["${region}"]` };
  }
  const rng = new Rng(estate.seed, u, 0x5e);
  const key = `${rng.pick(WORDS)}-${rng.pick(TIERS)}-${u % BLOCK}`;
  return { call: `svc_${block}`, key, address: `module.svc_${block}["${key}"]` };
}

function regionOf(u) {
  return REGIONS[Math.floor(u / BLOCK) % REGIONS.length];
}

function accountOf(estate, u) {
  return estate.accounts[1 + (Math.floor(u / BLOCK) % (estate.accounts.length - 1))];
}

/** The id of the KMS interface endpoint of a block's network unit (known: it exists already). */
function kmsEndpointId(estate, block) {
  return `vpce-${new Rng(estate.seed, block, 0x7ce).hex(17)}`;
}

function vpcId(estate, block) {
  return `vpc-${new Rng(estate.seed, block, 0x7c).hex(17)}`;
}

const tagsFor = (rng, service, extra = {}) => ({
  CostCenter: `cc-${1000 + rng.int(9000)}`,
  Environment: rng.pick(['prod', 'prod', 'staging', 'dev']),
  ManagedBy: 'terraform',
  Owner: `${service}-team`,
  Service: service,
  ...extra,
});

// Policy documents ---------------------------------------------------------------------------------

const ADMIN_ACTIONS = ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion'];
const USER_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];

function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys(value[k])]));
}

/** How the text was produced: `jsonencode` (minified, sorted keys), a policy document data source (2-space pretty), AWS's own formatting. */
export function policyText(document, style) {
  if (style === 'jsonencode') return JSON.stringify(sortKeys(document));
  if (style === 'document') return JSON.stringify(document, null, 2);
  return JSON.stringify(document, null, 2).replace(/": /g, '" : ');
}

/**
 * A key policy the way real estates vary them: the account-root statement, administrators and users
 * by role name, grants for AWS services, some cross-account users, some deny-unless-VPC-endpoint
 * statements and service principals, rare mistakes (a wildcard principal, one principal with every
 * action). Keys of the template accounts share one text.
 */
export function keyPolicyDocument(estate, rng, { account, region, service, vpce }) {
  if (estate.templateAccounts.has(account) && rng.chance(0.6)) {
    return {
      Version: '2012-10-17',
      Id: 'platform-standard-key-policy',
      Statement: [
        { Sid: 'EnableIAMUserPermissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalType': 'Account' } } },
        { Sid: 'KeyAdministrators', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:role/KeyAdministrator` }, Action: ADMIN_ACTIONS, Resource: '*' },
        { Sid: 'PlatformUsers', Effect: 'Allow', Principal: { AWS: '*' }, Action: USER_ACTIONS, Resource: '*', Condition: { StringEquals: { 'kms:CallerAccount': account, 'aws:PrincipalOrgID': estate.organizationId } } },
      ],
    };
  }
  if (rng.chance(0.08)) {
    return { Version: '2012-10-17', Id: 'key-default-1', Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }] };
  }
  const role = (name) => `arn:aws:iam::${account}:role/${name}`;
  const statements = [{ Sid: 'EnableIAMUserPermissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }];
  const admin = rng.pick(ADMIN_ROLES);
  const adminActions = rng.chance(0.05) ? [...ADMIN_ACTIONS, 'kms:Decrypt'] : ADMIN_ACTIONS;
  statements.push({ Sid: 'AllowKeyAdministration', Effect: 'Allow', Principal: { AWS: role(admin) }, Action: adminActions, Resource: '*' });
  const users = [role(`${service}-app`)];
  if (rng.chance(0.6)) users.push(role(`${service}-worker`));
  if (rng.chance(0.3)) users.push(role(`${service}-${rng.pick(TIERS)}-lambda`));
  statements.push({ Sid: 'AllowUseOfTheKey', Effect: 'Allow', Principal: { AWS: users.length === 1 ? users[0] : users }, Action: rng.chance(0.04) ? 'kms:*' : USER_ACTIONS, Resource: '*' });
  statements.push({
    Sid: 'AllowAttachmentOfPersistentResources',
    Effect: 'Allow',
    Principal: { AWS: users },
    Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
    Resource: '*',
    Condition: rng.chance(0.9) ? { Bool: { 'kms:GrantIsForAWSResource': 'true' } } : undefined,
  });
  if (rng.chance(0.2)) {
    const partner = rng.pick(estate.partnerAccounts);
    statements.push({
      Sid: 'PartnerAccountDecrypt',
      Effect: 'Allow',
      Principal: { AWS: rng.chance(0.5) ? `arn:aws:iam::${partner}:root` : `arn:aws:iam::${partner}:role/${service}-ingest` },
      Action: ['kms:Decrypt', 'kms:DescribeKey'],
      Resource: '*',
      Condition: rng.chance(0.5) ? { StringEquals: { 'aws:PrincipalOrgID': estate.organizationId } } : undefined,
    });
  }
  if (rng.chance(0.15)) {
    statements.push({
      Sid: 'AllowCloudWatchLogs',
      Effect: 'Allow',
      Principal: { Service: `logs.${region}.amazonaws.com` },
      Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      Resource: '*',
      Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${region}:${account}:log-group:/${service}/*` } },
    });
  }
  if (vpce !== undefined && rng.chance(0.3)) {
    statements.push({
      Sid: 'DenyOutsideTheVpcEndpoint',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: rng.chance(0.8) ? ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'] : ['kms:Decrypt'],
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:SourceVpce': vpce }, Bool: { 'aws:ViaAWSService': 'false' } },
    });
  }
  if (rng.chance(0.03)) statements.push({ Sid: 'LegacyAnyone', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' });
  for (const statement of statements) if (statement.Condition === undefined) delete statement.Condition;
  return { Version: '2012-10-17', Statement: statements };
}

export function endpointPolicyDocument(estate, rng, account) {
  if (rng.chance(0.25)) return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] };
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'OrganizationKeysOnly',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey', 'kms:ReEncrypt*'],
        Resource: rng.chance(0.5) ? `arn:aws:kms:*:${account}:key/*` : '*',
        Condition: { StringEquals: { 'aws:PrincipalOrgID': estate.organizationId } },
      },
    ],
  };
}

function identityPolicyDocument(rng, account, region, service, keyArn) {
  const statements = [
    { Sid: 'ReadOwnBucket', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::${service}-data-${account}`, `arn:aws:s3:::${service}-data-${account}/*`] },
    { Sid: 'UseServiceKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: rng.chance(0.1) ? '*' : keyArn },
    { Sid: 'Queues', Effect: 'Allow', Action: ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage'], Resource: `arn:aws:sqs:${region}:${account}:${service}-*` },
  ];
  return { Version: '2012-10-17', Statement: statements };
}

function assumeRolePolicy(service) {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] };
}

function scpDocuments(estate) {
  return [
    {
      name: 'deny_key_deletion',
      description: `Only kms-guardian may schedule key deletion`,
      document: {
        Version: '2012-10-17',
        Statement: [{ Sid: 'DenyKeyDeletion', Effect: 'Deny', Action: ['kms:ScheduleKeyDeletion', 'kms:Delete*'], Resource: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/kms-guardian' } } }],
      },
    },
    {
      name: 'region_restriction',
      description: 'Only approved Regions',
      document: {
        Version: '2012-10-17',
        Statement: [{ Sid: 'DenyOtherRegions', Effect: 'Deny', NotAction: ['iam:*', 'organizations:*', 'sts:*', 'support:*', 'cloudfront:*', 'route53:*'], Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': REGIONS } } }],
      },
    },
    {
      name: 'protect_key_policies',
      description: 'Key policies change only through the pipeline',
      document: {
        Version: '2012-10-17',
        Statement: [{ Sid: 'DenyKeyPolicyChanges', Effect: 'Deny', Action: ['kms:PutKeyPolicy'], Resource: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': [`arn:aws:iam::*:role/terraform-deployer`, estate.guardian] } } }],
      },
    },
  ];
}

// Resources -----------------------------------------------------------------------------------------

/**
 * One resource instance of a unit.
 * - `after`: its values once applied, `unknown`: top-level attributes known only after apply (on a
 *   create or a deferred read), `sensitive`: the sensitive mask of its values.
 * - `action`: 'no-op' | 'update' | 'create' | 'delete' | 'replace' | 'read' (deferred data source) |
 *   'refresh' (data source read while planning: only in prior_state).
 * - `before`: values in the prior state (updates: the old values).
 */
function resource(moduleAddress, relative, fields) {
  const mode = relative.startsWith('data.') ? 'data' : 'managed';
  const [type, instance] = (mode === 'data' ? relative.slice(5) : relative).split('.');
  const bracket = instance.indexOf('[');
  const name = bracket < 0 ? instance : instance.slice(0, bracket);
  const spec = { address: moduleAddress === '' ? relative : `${moduleAddress}.${relative}`, moduleAddress, mode, type, name, unknown: [], sensitive: {}, ...fields };
  if (bracket >= 0) spec.index = JSON.parse(instance.slice(bracket + 1, -1));
  return spec;
}

/** Existing resources mostly stay as they are; updates change tags; a new unit creates everything. */
function lifecycleOf(rng, isNew, rates = { update: 0.13 }) {
  if (isNew) return 'create';
  return rng.chance(rates.update) ? 'update' : 'no-op';
}

function withTagChange(values) {
  const before = structuredClone(values);
  before.tags = { ...values.tags, Release: 'r41' };
  before.tags_all = before.tags;
  return before;
}

/** Fills in before/after for the usual cases: create (unknown computed attributes), update (tags changed), no-op. */
function settle(spec, action, computed) {
  spec.action = action;
  if (action === 'create') {
    spec.unknown = computed;
    for (const attribute of computed) delete spec.after[attribute];
  } else {
    spec.before = action === 'update' && spec.after.tags !== undefined ? withTagChange(spec.after) : action === 'update' ? structuredClone(spec.after) : spec.after;
  }
  return spec;
}

function filler(rng, m, service, account, region, isNew, keyArn, vpc) {
  const out = [];
  const tags = tagsFor(rng, service);
  const sensitiveTags = { tags: {}, tags_all: {} };
  const bucketName = `${service}-data-${account}`;
  for (const suffix of ['data', 'logs']) {
    const bucket = `${service}-${suffix}-${account}`;
    out.push(
      settle(
        resource(m, `aws_s3_bucket.${suffix}`, {
          after: {
            acceleration_status: '', acl: null, arn: `arn:aws:s3:::${bucket}`, bucket, bucket_domain_name: `${bucket}.s3.amazonaws.com`, bucket_prefix: '', bucket_regional_domain_name: `${bucket}.s3.${region}.amazonaws.com`,
            cors_rule: [], force_destroy: false, grant: [{ id: rng.hex(64), permissions: ['FULL_CONTROL'], type: 'CanonicalUser', uri: '' }], hosted_zone_id: 'Z1BKCTXD74EZPE', id: bucket,
            lifecycle_rule: [], logging: [], object_lock_configuration: [], object_lock_enabled: false, policy: '', region, replication_configuration: [], request_payer: 'BucketOwner',
            server_side_encryption_configuration: [{ rule: [{ apply_server_side_encryption_by_default: [{ kms_master_key_id: keyArn, sse_algorithm: 'aws:kms' }], bucket_key_enabled: true }] }],
            tags, tags_all: tags, timeouts: null, versioning: [{ enabled: true, mfa_delete: false }], website: [], website_domain: null, website_endpoint: null,
          },
          sensitive: { cors_rule: [], grant: [{ permissions: [false] }], lifecycle_rule: [], logging: [], object_lock_configuration: [], replication_configuration: [], server_side_encryption_configuration: [{ rule: [{ apply_server_side_encryption_by_default: [{}] }] }], tags: {}, tags_all: {}, versioning: [{}], website: [] },
        }),
        lifecycleOf(rng, isNew),
        ['arn', 'bucket_domain_name', 'bucket_regional_domain_name', 'hosted_zone_id', 'id', 'region', 'tags_all', 'policy', 'acceleration_status', 'request_payer'],
      ),
    );
  }
  out.push(settle(resource(m, 'aws_s3_bucket_public_access_block.data', { after: { block_public_acls: true, block_public_policy: true, bucket: bucketName, id: bucketName, ignore_public_acls: true, restrict_public_buckets: true, skip_destroy: null } }), lifecycleOf(rng, isNew), ['id']));
  out.push(settle(resource(m, 'aws_s3_bucket_versioning.data', { after: { bucket: bucketName, expected_bucket_owner: '', id: bucketName, mfa: null, versioning_configuration: [{ mfa_delete: '', status: 'Enabled' }] } }), lifecycleOf(rng, isNew), ['id']));
  for (const [name, principalService] of [['app', 'ecs-tasks.amazonaws.com'], ['worker', 'lambda.amazonaws.com'], ['ci', 'codebuild.amazonaws.com']]) {
    const roleName = `${service}-${name}`;
    out.push(
      settle(
        resource(m, `aws_iam_role.${name}`, {
          after: {
            arn: `arn:aws:iam::${account}:role/${roleName}`, assume_role_policy: policyText(assumeRolePolicy(principalService), 'jsonencode'), create_date: '2024-03-11T09:12:44Z', description: `${service} ${name}`,
            force_detach_policies: false, id: roleName, inline_policy: [], managed_policy_arns: [`arn:aws:iam::${account}:policy/${service}-baseline`], max_session_duration: 3600, name: roleName, name_prefix: '', path: '/',
            permissions_boundary: null, tags, tags_all: tags, unique_id: `AROA${rng.hex(17).toUpperCase()}`,
          },
          sensitive: { inline_policy: [], managed_policy_arns: [false], tags: {}, tags_all: {} },
        }),
        lifecycleOf(rng, isNew),
        ['arn', 'create_date', 'id', 'inline_policy', 'managed_policy_arns', 'name_prefix', 'tags_all', 'unique_id'],
      ),
    );
    out.push(
      settle(
        resource(m, `aws_iam_role_policy.${name}`, { after: { id: `${roleName}:${service}-${name}-access`, name: `${service}-${name}-access`, name_prefix: '', policy: policyText(identityPolicyDocument(rng, account, region, service, keyArn), 'jsonencode'), role: roleName } }),
        lifecycleOf(rng, isNew),
        ['id', 'name_prefix'],
      ),
    );
  }
  out.push(settle(resource(m, 'aws_iam_role_policy_attachment.app', { after: { id: `${service}-app-${rng.digits(19)}`, policy_arn: 'arn:aws:iam::aws:policy/CloudWatchLambdaInsightsExecutionRolePolicy', role: `${service}-app` } }), lifecycleOf(rng, isNew), ['id']));
  for (const name of ['api', 'consumer']) {
    const fn = `${service}-${name}`;
    out.push(
      settle(
        resource(m, `aws_lambda_function.${name}`, {
          after: {
            architectures: ['arm64'], arn: `arn:aws:lambda:${region}:${account}:function:${fn}`, code_sha256: rng.hex(43), code_signing_config_arn: '', dead_letter_config: [], description: '',
            environment: [{ variables: { DB_PASSWORD: `pw-${rng.hex(16)}`, LOG_LEVEL: 'info', QUEUE_URL: `https://sqs.${region}.amazonaws.com/${account}/${service}-events`, SERVICE: service } }],
            ephemeral_storage: [{ size: 512 }], file_system_config: [], filename: null, function_name: fn, handler: 'main.handler', id: fn, image_config: [], image_uri: '',
            invoke_arn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/arn:aws:lambda:${region}:${account}:function:${fn}/invocations`, kms_key_arn: keyArn,
            last_modified: '2025-01-20T10:11:12.000+0000', layers: [], logging_config: [{ application_log_level: '', log_format: 'Text', log_group: `/aws/lambda/${fn}`, system_log_level: '' }],
            memory_size: 512, package_type: 'Zip', publish: false, qualified_arn: `arn:aws:lambda:${region}:${account}:function:${fn}:$LATEST`, qualified_invoke_arn: '', replace_security_groups_on_destroy: null,
            replacement_security_group_ids: null, reserved_concurrent_executions: -1, role: `arn:aws:iam::${account}:role/${service}-worker`, runtime: rng.pick(RUNTIMES), s3_bucket: `${service}-artifacts-${account}`,
            s3_key: `${fn}/${rng.hex(12)}.zip`, s3_object_version: null, signing_job_arn: '', signing_profile_version_arn: '', skip_destroy: false, snap_start: [], source_code_hash: '', source_code_size: 1000 + rng.int(90000),
            tags, tags_all: tags, timeout: 30, timeouts: null, tracing_config: [{ mode: 'PassThrough' }], version: '$LATEST', vpc_config: [],
          },
          sensitive: { architectures: [false], dead_letter_config: [], environment: [{ variables: { DB_PASSWORD: true } }], ephemeral_storage: [{}], file_system_config: [], image_config: [], layers: [], logging_config: [{}], snap_start: [], tags: {}, tags_all: {}, tracing_config: [{}], vpc_config: [] },
        }),
        lifecycleOf(rng, isNew),
        ['arn', 'code_sha256', 'id', 'invoke_arn', 'last_modified', 'qualified_arn', 'qualified_invoke_arn', 'signing_job_arn', 'signing_profile_version_arn', 'source_code_size', 'tags_all', 'version'],
      ),
    );
  }
  for (const name of ['app', 'api', 'consumer']) {
    const group = `/${service}/${name}`;
    out.push(settle(resource(m, `aws_cloudwatch_log_group.${name}`, { after: { arn: `arn:aws:logs:${region}:${account}:log-group:${group}`, id: group, kms_key_id: keyArn, log_group_class: 'STANDARD', name: group, name_prefix: '', retention_in_days: rng.pick([30, 90, 365]), skip_destroy: false, tags, tags_all: tags }, sensitive: sensitiveTags }), lifecycleOf(rng, isNew), ['arn', 'id', 'tags_all']));
  }
  for (const name of ['events', 'dlq']) {
    const queue = `${service}-${name}`;
    out.push(
      settle(
        resource(m, `aws_sqs_queue.${name}`, {
          after: {
            arn: `arn:aws:sqs:${region}:${account}:${queue}`, content_based_deduplication: false, deduplication_scope: '', delay_seconds: 0, fifo_queue: false, fifo_throughput_limit: '', id: `https://sqs.${region}.amazonaws.com/${account}/${queue}`,
            kms_data_key_reuse_period_seconds: 300, kms_master_key_id: keyArn, max_message_size: 262144, message_retention_seconds: 345600, name: queue, name_prefix: '', policy: '', receive_wait_time_seconds: 20,
            redrive_allow_policy: '', redrive_policy: '', sqs_managed_sse_enabled: false, tags, tags_all: tags, url: `https://sqs.${region}.amazonaws.com/${account}/${queue}`, visibility_timeout_seconds: 60,
          },
          sensitive: sensitiveTags,
        }),
        lifecycleOf(rng, isNew),
        ['arn', 'id', 'policy', 'tags_all', 'url', 'redrive_allow_policy', 'deduplication_scope', 'fifo_throughput_limit'],
      ),
    );
  }
  out.push(
    settle(
      resource(m, 'aws_dynamodb_table.state', {
        after: {
          arn: `arn:aws:dynamodb:${region}:${account}:table/${service}-state`, attribute: [{ name: 'pk', type: 'S' }, { name: 'sk', type: 'S' }], billing_mode: 'PAY_PER_REQUEST', deletion_protection_enabled: true, global_secondary_index: [], hash_key: 'pk', id: `${service}-state`,
          import_table: [], local_secondary_index: [], name: `${service}-state`, on_demand_throughput: [], point_in_time_recovery: [{ enabled: true }], range_key: 'sk', read_capacity: 0, replica: [], restore_date_time: null,
          restore_source_name: null, restore_to_latest_time: null, server_side_encryption: [{ enabled: true, kms_key_arn: keyArn }], stream_arn: '', stream_enabled: false, stream_label: '', stream_view_type: '', table_class: 'STANDARD',
          tags, tags_all: tags, timeouts: null, ttl: [{ attribute_name: 'expires', enabled: true }], write_capacity: 0,
        },
        sensitive: { attribute: [{}, {}], global_secondary_index: [], import_table: [], local_secondary_index: [], on_demand_throughput: [], point_in_time_recovery: [{}], replica: [], server_side_encryption: [{}], tags: {}, tags_all: {}, ttl: [{}] },
      }),
      lifecycleOf(rng, isNew),
      ['arn', 'id', 'stream_arn', 'stream_label', 'tags_all', 'read_capacity', 'write_capacity'],
    ),
  );
  for (const name of ['db_password', 'api_token', 'config']) {
    const secret = name !== 'config';
    out.push(
      settle(
        resource(m, `aws_ssm_parameter.${name}`, {
          after: { allowed_pattern: '', arn: `arn:aws:ssm:${region}:${account}:parameter/${service}/${name}`, data_type: 'text', description: '', id: `/${service}/${name}`, insecure_value: null, key_id: secret ? keyArn : '', name: `/${service}/${name}`, overwrite: null, tags, tags_all: tags, tier: 'Standard', type: secret ? 'SecureString' : 'String', value: secret ? `s3cr3t-${rng.hex(24)}` : JSON.stringify({ service, replicas: 1 + rng.int(5) }), version: 1 + rng.int(20) },
          sensitive: { tags: {}, tags_all: {}, value: true },
        }),
        lifecycleOf(rng, isNew),
        ['arn', 'id', 'tags_all', 'version'],
      ),
    );
  }
  for (const index of [0, 1]) {
    const id = `i-${rng.hex(17)}`;
    out.push(
      settle(
        resource(m, `aws_instance.node[${index}]`, {
          after: {
            ami: `ami-${rng.hex(17)}`, arn: `arn:aws:ec2:${region}:${account}:instance/${id}`, associate_public_ip_address: false, availability_zone: `${region}${'abc'[index]}`, capacity_reservation_specification: [{ capacity_reservation_preference: 'open', capacity_reservation_target: [] }],
            cpu_core_count: 2, cpu_options: [{ amd_sev_snp: '', core_count: 2, threads_per_core: 1 }], cpu_threads_per_core: 1, credit_specification: [], disable_api_stop: false, disable_api_termination: false, ebs_block_device: [], ebs_optimized: true,
            enclave_options: [{ enabled: false }], ephemeral_block_device: [], get_password_data: false, hibernation: false, host_id: '', host_resource_group_arn: null, iam_instance_profile: `${service}-node`, id, instance_initiated_shutdown_behavior: 'stop',
            instance_lifecycle: '', instance_market_options: [], instance_state: 'running', instance_type: rng.pick(INSTANCE_TYPES), ipv6_address_count: 0, ipv6_addresses: [], key_name: '', launch_template: [],
            maintenance_options: [{ auto_recovery: 'default' }], metadata_options: [{ http_endpoint: 'enabled', http_protocol_ipv6: 'disabled', http_put_response_hop_limit: 2, http_tokens: 'required', instance_metadata_tags: 'disabled' }],
            monitoring: true, network_interface: [], outpost_arn: '', password_data: '', placement_group: '', placement_partition_number: 0, primary_network_interface_id: `eni-${rng.hex(17)}`,
            private_dns: `ip-10-${rng.int(255)}-${rng.int(255)}-${rng.int(255)}.${region}.compute.internal`, private_dns_name_options: [{ enable_resource_name_dns_a_record: false, enable_resource_name_dns_aaaa_record: false, hostname_type: 'ip-name' }],
            private_ip: `10.${rng.int(255)}.${rng.int(255)}.${rng.int(255)}`, public_dns: '', public_ip: '',
            root_block_device: [{ delete_on_termination: true, device_name: '/dev/xvda', encrypted: true, iops: 3000, kms_key_id: keyArn, tags: {}, tags_all: {}, throughput: 125, volume_id: `vol-${rng.hex(17)}`, volume_size: 50, volume_type: 'gp3' }],
            secondary_private_ips: [], security_groups: [], source_dest_check: true, spot_instance_request_id: '', subnet_id: `subnet-${rng.hex(17)}`, tags, tags_all: tags, tenancy: 'default', timeouts: null, user_data: null, user_data_base64: null,
            user_data_replace_on_change: false, volume_tags: null, vpc_security_group_ids: [`sg-${rng.hex(17)}`],
          },
          sensitive: { capacity_reservation_specification: [{ capacity_reservation_target: [] }], cpu_options: [{}], credit_specification: [], ebs_block_device: [], enclave_options: [{}], ephemeral_block_device: [], instance_market_options: [], ipv6_addresses: [], launch_template: [], maintenance_options: [{}], metadata_options: [{}], network_interface: [], private_dns_name_options: [{}], root_block_device: [{ tags: {}, tags_all: {} }], secondary_private_ips: [], security_groups: [], tags: {}, tags_all: {}, vpc_security_group_ids: [false] },
        }),
        lifecycleOf(rng, isNew),
        ['arn', 'host_id', 'id', 'instance_state', 'outpost_arn', 'password_data', 'primary_network_interface_id', 'private_dns', 'private_ip', 'public_dns', 'public_ip', 'tags_all', 'ipv6_addresses', 'instance_lifecycle', 'spot_instance_request_id'],
      ),
    );
  }
  const sgId = `sg-${rng.hex(17)}`;
  out.push(
    settle(
      resource(m, 'aws_security_group.app', {
        after: {
          arn: `arn:aws:ec2:${region}:${account}:security-group/${sgId}`, description: `${service} application`, egress: [{ cidr_blocks: ['0.0.0.0/0'], description: '', from_port: 0, ipv6_cidr_blocks: [], prefix_list_ids: [], protocol: '-1', security_groups: [], self: false, to_port: 0 }],
          id: sgId, ingress: [{ cidr_blocks: ['10.0.0.0/8'], description: 'HTTPS from the VPC', from_port: 443, ipv6_cidr_blocks: [], prefix_list_ids: [], protocol: 'tcp', security_groups: [], self: false, to_port: 443 }],
          name: `${service}-app`, name_prefix: '', owner_id: account, revoke_rules_on_delete: false, tags, tags_all: tags, timeouts: null, vpc_id: vpc,
        },
        sensitive: { egress: [{ cidr_blocks: [false], ipv6_cidr_blocks: [], prefix_list_ids: [], security_groups: [] }], ingress: [{ cidr_blocks: [false], ipv6_cidr_blocks: [], prefix_list_ids: [], security_groups: [] }], tags: {}, tags_all: {} },
      }),
      lifecycleOf(rng, isNew),
      ['arn', 'id', 'owner_id', 'tags_all', 'vpc_id', 'egress'],
    ),
  );
  out.push(settle(resource(m, 'aws_sns_topic.alerts', { after: { application_failure_feedback_role_arn: '', arn: `arn:aws:sns:${region}:${account}:${service}-alerts`, content_based_deduplication: false, delivery_policy: '', display_name: '', fifo_topic: false, id: `arn:aws:sns:${region}:${account}:${service}-alerts`, kms_master_key_id: keyArn, name: `${service}-alerts`, name_prefix: '', owner: account, policy: '', signature_version: 0, tags, tags_all: tags, tracing_config: '' }, sensitive: sensitiveTags }), lifecycleOf(rng, isNew), ['arn', 'id', 'owner', 'policy', 'tags_all']));
  out.push(settle(resource(m, 'aws_ecr_repository.images', { after: { arn: `arn:aws:ecr:${region}:${account}:repository/${service}`, encryption_configuration: [{ encryption_type: 'KMS', kms_key: keyArn }], force_delete: null, id: service, image_scanning_configuration: [{ scan_on_push: true }], image_tag_mutability: 'IMMUTABLE', name: service, registry_id: account, repository_url: `${account}.dkr.ecr.${region}.amazonaws.com/${service}`, tags, tags_all: tags, timeouts: null }, sensitive: { encryption_configuration: [{}], image_scanning_configuration: [{}], tags: {}, tags_all: {} } }), lifecycleOf(rng, isNew), ['arn', 'id', 'registry_id', 'repository_url', 'tags_all']));
  for (const name of ['api', 'internal']) {
    out.push(settle(resource(m, `aws_route53_record.${name}`, { after: { alias: [], allow_overwrite: null, cidr_routing_policy: [], failover_routing_policy: [], fqdn: `${name}.${service}.example.internal`, geolocation_routing_policy: [], geoproximity_routing_policy: [], health_check_id: '', id: `Z${rng.hex(12).toUpperCase()}_${name}.${service}.example.internal_CNAME`, latency_routing_policy: [], multivalue_answer_routing_policy: false, name: `${name}.${service}.example.internal`, records: [`${service}-${name}.${region}.elb.amazonaws.com`], set_identifier: '', ttl: 300, type: 'CNAME', weighted_routing_policy: [], zone_id: `Z${rng.hex(12).toUpperCase()}` }, sensitive: { alias: [], cidr_routing_policy: [], failover_routing_policy: [], geolocation_routing_policy: [], geoproximity_routing_policy: [], latency_routing_policy: [], records: [false], weighted_routing_policy: [] } }), lifecycleOf(rng, isNew), ['fqdn', 'id']));
  }
  out.push(settle(resource(m, 'aws_cloudwatch_metric_alarm.errors', { after: { actions_enabled: true, alarm_actions: [`arn:aws:sns:${region}:${account}:${service}-alerts`], alarm_description: `${service} errors`, alarm_name: `${service}-errors`, arn: `arn:aws:cloudwatch:${region}:${account}:alarm:${service}-errors`, comparison_operator: 'GreaterThanThreshold', datapoints_to_alarm: 0, dimensions: { FunctionName: `${service}-api` }, evaluate_low_sample_count_percentiles: '', evaluation_periods: 3, extended_statistic: '', id: `${service}-errors`, insufficient_data_actions: [], metric_name: 'Errors', metric_query: [], namespace: 'AWS/Lambda', ok_actions: [], period: 60, statistic: 'Sum', tags, tags_all: tags, threshold: 5, threshold_metric_id: '', treat_missing_data: 'notBreaching', unit: '' }, sensitive: { alarm_actions: [false], dimensions: {}, insufficient_data_actions: [], metric_query: [], ok_actions: [], tags: {}, tags_all: {} } }), lifecycleOf(rng, isNew), ['arn', 'id', 'tags_all']));
  return out;
}

/**
 * How a service module call builds its keys' policies (one module source per call, as teams do):
 * `document` an inline policy from a data.aws_iam_policy_document, `jsonencode` an inline
 * jsonencode(...), `separate` an aws_kms_key_policy next to the key.
 */
export function kmsVariant(estate, block) {
  return ['document', 'jsonencode', 'separate'][new Rng(estate.seed, block, 0x7a7).int(3)];
}

/** Dependents of a key: known ids when the key exists, unknown ones (from the configuration) when it is created or replaced. */
function dependent(spec, key, unknown) {
  if (key.action === 'delete') {
    spec.action = 'delete';
    spec.before = spec.after;
  } else if (key.action === 'create') {
    spec.action = 'create';
    spec.unknown = unknown;
    for (const attribute of unknown) delete spec.after[attribute];
  } else if (key.action === 'replace') {
    spec.action = 'update';
    spec.before = structuredClone(spec.after);
    spec.unknown = unknown.filter((attribute) => /key_(id|arn)$/.test(attribute));
    for (const attribute of spec.unknown) delete spec.after[attribute];
  } else {
    spec.action = 'no-op';
    spec.before = spec.after;
  }
  return spec;
}

/** The nested `module.kms` of a service: a key, its aliases, its policy (inline or an aws_kms_key_policy), maybe a grant. */
function kmsModule(estate, rng, u, parent, service, account, region, isNew) {
  const m = `${parent}.module.kms`;
  const out = [];
  const keyId = new Rng(estate.seed, u, 0x4e7).uuid();
  const keyArn = `arn:aws:kms:${region}:${account}:key/${keyId}`;
  const block = Math.floor(u / BLOCK);
  const hasEndpoint = block * BLOCK + BLOCK - 2 < estate.units;
  const vpce = hasEndpoint ? kmsEndpointId(estate, block) : rng.chance(0.5) ? `vpce-${rng.hex(17)}` : undefined;
  const document = keyPolicyDocument(estate, rng, { account, region, service, vpce });
  const variant = kmsVariant(estate, block);
  const text = policyText(document, variant === 'document' ? 'document' : 'jsonencode');
  const fate = isNew ? 'create' : rng.chance(0.005) ? 'delete' : rng.chance(0.005) ? 'replace' : rng.chance(0.1) ? 'update' : 'no-op';
  const tags = tagsFor(rng, service, { DataClassification: rng.pick(['confidential', 'internal', 'restricted']) });
  const symmetric = rng.chance(0.97);
  const rotation = symmetric && !rng.chance(0.08);
  const after = {
    arn: keyArn, bypass_policy_lockout_safety_check: false, custom_key_store_id: '', customer_master_key_spec: symmetric ? 'SYMMETRIC_DEFAULT' : 'RSA_2048', deletion_window_in_days: rng.chance(0.9) ? 30 : 7,
    description: `${service} data key`, enable_key_rotation: rotation, id: keyId, is_enabled: true, key_id: keyId, key_usage: symmetric ? 'ENCRYPT_DECRYPT' : 'SIGN_VERIFY', multi_region: false, policy: text,
    rotation_period_in_days: rotation ? 365 : 0, tags, tags_all: tags, timeouts: null, xks_key_id: '',
  };
  const key = resource(m, 'aws_kms_key.this', { after, sensitive: { tags: {}, tags_all: {} } });
  const computed = ['arn', 'id', 'key_id', 'multi_region', 'rotation_period_in_days', 'tags_all'];
  key.action = fate;
  if (fate === 'update') {
    key.before = structuredClone(after);
    const change = rng.int(3);
    if (change === 0) key.before.enable_key_rotation = !after.enable_key_rotation;
    else if (change === 1) key.before.policy = policyText({ ...document, Statement: document.Statement.slice(0, Math.max(1, document.Statement.length - 1)) }, 'aws');
    else key.before.description = `${service} key`;
  } else if (fate === 'delete' || fate === 'no-op') {
    key.before = after;
  } else {
    if (fate === 'replace') key.before = { ...structuredClone(after), customer_master_key_spec: 'RSA_2048', key_usage: 'ENCRYPT_DECRYPT' };
    key.unknown = variant === 'separate' || (variant === 'document' && isNew) ? [...computed, 'policy'] : computed;
    for (const attribute of key.unknown) delete after[attribute];
  }
  out.push(key);
  if (variant === 'document') {
    // Read while planning when everything it names exists; deferred to apply on a new service, whose roles are created in the same plan.
    const data = resource(m, 'data.aws_iam_policy_document.key', {
      after: { id: String(hash(estate.seed, u, 0xd0c)), json: text, minified_json: JSON.stringify(document), override_policy_documents: null, policy_id: null, source_policy_documents: null, statement: statementBlocks(document), version: '2012-10-17' },
      action: isNew ? 'read' : 'refresh',
    });
    if (isNew) {
      data.unknown = ['id', 'json', 'minified_json'];
      for (const attribute of data.unknown) delete data.after[attribute];
    }
    out.push(data);
  }
  out.push(resource(m, 'data.aws_caller_identity.current', { after: { account_id: account, arn: `arn:aws:iam::${account}:role/terraform-deployer`, id: account, user_id: `AROA${rng.hex(17).toUpperCase()}:terraform` }, action: 'refresh' }));
  if (variant === 'separate') {
    const policy = dependent(resource(m, 'aws_kms_key_policy.this', { after: { bypass_policy_lockout_safety_check: false, id: keyId, key_id: keyId, policy: text, timeouts: null } }), key, ['id', 'key_id']);
    if (key.action === 'update' && key.before.policy !== text) {
      policy.action = 'update';
      policy.before = { ...policy.after, policy: key.before.policy };
    }
    out.push(policy);
  }
  const aliases = rng.chance(0.2) ? [service, `${service}-legacy`] : [service];
  aliases.forEach((name, i) => {
    const after = { arn: `arn:aws:kms:${region}:${account}:alias/${name}`, id: `alias/${name}`, name: `alias/${name}`, name_prefix: '', target_key_arn: keyArn, target_key_id: keyId };
    out.push(dependent(resource(m, i === 0 ? 'aws_kms_alias.this' : 'aws_kms_alias.legacy', { after }), key, ['arn', 'id', 'name_prefix', 'target_key_arn', 'target_key_id']));
  });
  if (rng.chance(0.3)) {
    const after = { constraints: [], grant_creation_tokens: null, grant_id: rng.hex(64), grant_token: rng.hex(120), grantee_principal: `arn:aws:iam::${account}:role/${service}-export`, id: `${keyId}:${rng.hex(64)}`, key_id: keyId, name: `${service}-export`, operations: ['Decrypt', 'DescribeKey'], retire_on_delete: false, retiring_principal: null };
    out.push(dependent(resource(m, 'aws_kms_grant.export', { after, sensitive: { constraints: [], grant_token: true, operations: [false, false] } }), key, ['grant_id', 'grant_token', 'id', 'key_id']));
  }
  return { resources: out, keyArn, keyId };
}

/** The `statement` blocks of an aws_iam_policy_document, as its values show them. */
function statementBlocks(document) {
  const list = (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
  return document.Statement.map((statement) => ({
    actions: list(statement.Action),
    condition: Object.entries(statement.Condition ?? {}).flatMap(([test, pairs]) => Object.entries(pairs).map(([variable, values]) => ({ test, values: list(values), variable }))),
    effect: statement.Effect,
    not_actions: list(statement.NotAction),
    not_principals: [],
    not_resources: [],
    principals: statement.Principal === undefined ? [] : statement.Principal === '*' ? [{ identifiers: ['*'], type: '*' }] : Object.entries(statement.Principal).map(([type, ids]) => ({ identifiers: list(ids), type })),
    resources: list(statement.Resource),
    sid: statement.Sid ?? '',
  }));
}

function serviceUnit(estate, u, isNew) {
  const rng = new Rng(estate.seed, u, 0x5e7);
  const { address: m, key } = unitModule(estate, u);
  const service = key.replace(/-\d+$/, '');
  const account = accountOf(estate, u);
  const region = regionOf(u);
  const kms = kmsModule(estate, rng, u, m, service, account, region, isNew);
  const resources = [...filler(rng, m, service, account, region, isNew, kms.keyArn, vpcId(estate, Math.floor(u / BLOCK)))];
  if (rng.chance(0.25)) {
    // A second key for logs, with a service principal; rotation is often forgotten on these.
    const keyId = rng.uuid();
    const document = keyPolicyDocument(estate, rng, { account, region, service, vpce: undefined });
    document.Statement.push({ Sid: 'AllowCloudWatchLogsService', Effect: 'Allow', Principal: { Service: `logs.${region}.amazonaws.com` }, Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'], Resource: '*' });
    const rotation = rng.chance(0.7);
    const tags = tagsFor(rng, service);
    const after = { arn: `arn:aws:kms:${region}:${account}:key/${keyId}`, bypass_policy_lockout_safety_check: false, custom_key_store_id: '', customer_master_key_spec: 'SYMMETRIC_DEFAULT', deletion_window_in_days: 30, description: `${service} logs`, enable_key_rotation: rotation, id: keyId, is_enabled: true, key_id: keyId, key_usage: 'ENCRYPT_DECRYPT', multi_region: false, policy: policyText(document, 'jsonencode'), rotation_period_in_days: rotation ? 365 : 0, tags, tags_all: tags, timeouts: null, xks_key_id: '' };
    const logsKey = settle(resource(m, 'aws_kms_key.logs', { after, sensitive: { tags: {}, tags_all: {} } }), isNew ? 'create' : 'no-op', ['arn', 'id', 'key_id', 'multi_region', 'rotation_period_in_days', 'tags_all']);
    resources.push(logsKey);
  }
  return [...kms.resources, ...resources];
}

function networkUnit(estate, u, isNew) {
  const rng = new Rng(estate.seed, u, 0x7e7);
  const { address: m } = unitModule(estate, u);
  const block = Math.floor(u / BLOCK);
  const account = accountOf(estate, u);
  const region = regionOf(u);
  const tags = tagsFor(rng, 'network');
  const vpc = vpcId(estate, block);
  const out = [];
  out.push(
    settle(
      resource(m, 'aws_vpc.this', {
        after: { arn: `arn:aws:ec2:${region}:${account}:vpc/${vpc}`, assign_generated_ipv6_cidr_block: false, cidr_block: `10.${block % 250}.0.0/16`, default_network_acl_id: `acl-${rng.hex(17)}`, default_route_table_id: `rtb-${rng.hex(17)}`, default_security_group_id: `sg-${rng.hex(17)}`, dhcp_options_id: `dopt-${rng.hex(17)}`, enable_dns_hostnames: true, enable_dns_support: true, enable_network_address_usage_metrics: false, id: vpc, instance_tenancy: 'default', ipv4_ipam_pool_id: null, ipv4_netmask_length: null, ipv6_association_id: '', ipv6_cidr_block: '', ipv6_cidr_block_network_border_group: '', ipv6_ipam_pool_id: '', ipv6_netmask_length: 0, main_route_table_id: `rtb-${rng.hex(17)}`, owner_id: account, tags, tags_all: tags },
        sensitive: { tags: {}, tags_all: {} },
      }),
      isNew ? 'create' : 'no-op',
      ['arn', 'default_network_acl_id', 'default_route_table_id', 'default_security_group_id', 'dhcp_options_id', 'id', 'ipv6_association_id', 'main_route_table_id', 'owner_id', 'tags_all'],
    ),
  );
  const subnets = [];
  for (let i = 0; i < 6; i++) {
    const id = `subnet-${rng.hex(17)}`;
    subnets.push(id);
    out.push(settle(resource(m, `aws_subnet.private[${i}]`, { after: { arn: `arn:aws:ec2:${region}:${account}:subnet/${id}`, assign_ipv6_address_on_creation: false, availability_zone: `${region}${'abc'[i % 3]}`, availability_zone_id: `euw1-az${1 + (i % 3)}`, cidr_block: `10.${block % 250}.${i * 16}.0/20`, customer_owned_ipv4_pool: '', enable_dns64: false, enable_lni_at_device_index: 0, enable_resource_name_dns_a_record_on_launch: false, enable_resource_name_dns_aaaa_record_on_launch: false, id, ipv6_cidr_block: '', ipv6_cidr_block_association_id: '', ipv6_native: false, map_customer_owned_ip_on_launch: false, map_public_ip_on_launch: false, outpost_arn: '', owner_id: account, private_dns_hostname_type_on_launch: 'ip-name', tags, tags_all: tags, timeouts: null, vpc_id: vpc }, sensitive: { tags: {}, tags_all: {} } }), isNew ? 'create' : 'no-op', ['arn', 'availability_zone_id', 'id', 'ipv6_cidr_block_association_id', 'owner_id', 'tags_all', 'vpc_id']));
  }
  for (let i = 0; i < 3; i++) {
    out.push(settle(resource(m, `aws_route_table.private[${i}]`, { after: { arn: `arn:aws:ec2:${region}:${account}:route-table/rtb-${rng.hex(17)}`, id: `rtb-${rng.hex(17)}`, owner_id: account, propagating_vgws: [], route: [{ carrier_gateway_id: '', cidr_block: '0.0.0.0/0', core_network_arn: '', destination_prefix_list_id: '', egress_only_gateway_id: '', gateway_id: '', ipv6_cidr_block: '', local_gateway_id: '', nat_gateway_id: `nat-${rng.hex(17)}`, network_interface_id: '', transit_gateway_id: '', vpc_endpoint_id: '', vpc_peering_connection_id: '' }], tags, tags_all: tags, timeouts: null, vpc_id: vpc }, sensitive: { propagating_vgws: [], route: [{}], tags: {}, tags_all: {} } }), isNew ? 'create' : 'no-op', ['arn', 'id', 'owner_id', 'tags_all', 'vpc_id']));
    out.push(settle(resource(m, `aws_route_table_association.private[${i}]`, { after: { gateway_id: '', id: `rtbassoc-${rng.hex(17)}`, route_table_id: `rtb-${rng.hex(17)}`, subnet_id: subnets[i], timeouts: null } }), isNew ? 'create' : 'no-op', ['id', 'route_table_id', 'subnet_id']));
  }
  // The KMS endpoint's security group, with rules as separate resources (some admit too much).
  const sgId = `sg-${rng.hex(17)}`;
  const open = rng.chance(0.1);
  out.push(
    settle(
      resource(m, 'aws_security_group.kms_endpoint', {
        after: { arn: `arn:aws:ec2:${region}:${account}:security-group/${sgId}`, description: 'HTTPS to the KMS endpoint', egress: [], id: sgId, ingress: [{ cidr_blocks: [open ? '0.0.0.0/0' : `10.${block % 250}.0.0/16`], description: 'HTTPS from the VPC', from_port: 443, ipv6_cidr_blocks: [], prefix_list_ids: [], protocol: 'tcp', security_groups: [], self: false, to_port: 443 }], name: `kms-endpoint-${region}`, name_prefix: '', owner_id: account, revoke_rules_on_delete: false, tags, tags_all: tags, timeouts: null, vpc_id: vpc },
        sensitive: { egress: [], ingress: [{ cidr_blocks: [false], ipv6_cidr_blocks: [], prefix_list_ids: [], security_groups: [] }], tags: {}, tags_all: {} },
      }),
      isNew ? 'create' : 'no-op',
      ['arn', 'id', 'owner_id', 'tags_all', 'vpc_id'],
    ),
  );
  out.push(settle(resource(m, 'aws_vpc_security_group_ingress_rule.kms_https', { after: { arn: `arn:aws:ec2:${region}:${account}:security-group-rule/sgr-${rng.hex(17)}`, cidr_ipv4: `10.${block % 250}.0.0/16`, cidr_ipv6: null, description: 'HTTPS', from_port: 443, id: `sgr-${rng.hex(17)}`, ip_protocol: 'tcp', prefix_list_id: null, referenced_security_group_id: null, security_group_id: sgId, security_group_rule_id: `sgr-${rng.hex(17)}`, tags: null, tags_all: {}, to_port: 443 } }), isNew ? 'create' : 'no-op', ['arn', 'id', 'security_group_id', 'security_group_rule_id', 'tags_all']));
  const endpointSg = `sg-${rng.hex(17)}`;
  out.push(settle(resource(m, 'aws_security_group.endpoints', { after: { arn: `arn:aws:ec2:${region}:${account}:security-group/${endpointSg}`, description: 'Interface endpoints', egress: [], id: endpointSg, ingress: [{ cidr_blocks: [`10.${block % 250}.0.0/16`], description: '', from_port: 443, ipv6_cidr_blocks: [], prefix_list_ids: [], protocol: 'tcp', security_groups: [], self: false, to_port: 443 }], name: `endpoints-${region}`, name_prefix: '', owner_id: account, revoke_rules_on_delete: false, tags, tags_all: tags, timeouts: null, vpc_id: vpc }, sensitive: { egress: [], ingress: [{ cidr_blocks: [false], ipv6_cidr_blocks: [], prefix_list_ids: [], security_groups: [] }], tags: {}, tags_all: {} } }), isNew ? 'create' : 'no-op', ['arn', 'id', 'owner_id', 'tags_all', 'vpc_id']));
  const endpoints = [
    ['kms', `com.amazonaws.${region}.kms`, kmsEndpointId(estate, block), sgId],
    ['ssm', `com.amazonaws.${region}.ssm`, `vpce-${rng.hex(17)}`, endpointSg],
    ['logs', `com.amazonaws.${region}.logs`, `vpce-${rng.hex(17)}`, endpointSg],
    ['sts', `com.amazonaws.${region}.sts`, `vpce-${rng.hex(17)}`, endpointSg],
  ];
  if (rng.chance(0.3)) endpoints.push(['kms_fips', `com.amazonaws.${region}.kms-fips`, `vpce-${rng.hex(17)}`, sgId]);
  for (const [name, serviceName, id, group] of endpoints) {
    const kms = serviceName.endsWith('.kms') || serviceName.endsWith('.kms-fips');
    const policy = kms && rng.chance(0.8) ? policyText(endpointPolicyDocument(estate, rng, account), 'jsonencode') : JSON.stringify({ Statement: [{ Action: '*', Effect: 'Allow', Principal: '*', Resource: '*' }], Version: '2008-10-17' });
    out.push(
      settle(
        resource(m, `aws_vpc_endpoint.${name}`, {
          after: { arn: `arn:aws:ec2:${region}:${account}:vpc-endpoint/${id}`, auto_accept: null, cidr_blocks: [], dns_entry: [{ dns_name: `${id}.${serviceName.split('.').pop()}.${region}.vpce.amazonaws.com`, hosted_zone_id: 'Z7HUB22UULQXV' }], dns_options: [{ dns_record_ip_type: 'ipv4', private_dns_only_for_inbound_resolver_endpoint: false }], id, ip_address_type: 'ipv4', network_interface_ids: subnets.slice(0, 3).map(() => `eni-${rng.hex(17)}`), owner_id: account, policy, prefix_list_id: null, private_dns_enabled: !(kms && rng.chance(0.15)), requester_managed: false, resource_configuration_arn: null, route_table_ids: [], security_group_ids: [group], service_name: serviceName, service_network_arn: null, service_region: region, state: 'available', subnet_configuration: [], subnet_ids: subnets.slice(0, 3), tags, tags_all: tags, timeouts: null, vpc_endpoint_type: 'Interface', vpc_id: vpc },
          sensitive: { cidr_blocks: [], dns_entry: [{}], dns_options: [{}], network_interface_ids: [false, false, false], route_table_ids: [], security_group_ids: [false], subnet_configuration: [], subnet_ids: [false, false, false], tags: {}, tags_all: {} },
        }),
        isNew ? 'create' : rng.chance(0.1) ? 'update' : 'no-op',
        ['arn', 'cidr_blocks', 'dns_entry', 'id', 'network_interface_ids', 'owner_id', 'prefix_list_id', 'requester_managed', 'security_group_ids', 'state', 'subnet_configuration', 'subnet_ids', 'tags_all', 'vpc_id', 'service_region', 'ip_address_type', 'dns_options'],
      ),
    );
  }
  const gateway = `vpce-${rng.hex(17)}`;
  out.push(settle(resource(m, 'aws_vpc_endpoint.s3', { after: { arn: `arn:aws:ec2:${region}:${account}:vpc-endpoint/${gateway}`, auto_accept: null, cidr_blocks: ['52.218.0.0/17'], dns_entry: [], dns_options: [], id: gateway, ip_address_type: '', network_interface_ids: [], owner_id: account, policy: JSON.stringify({ Statement: [{ Action: '*', Effect: 'Allow', Principal: '*', Resource: '*' }], Version: '2008-10-17' }), prefix_list_id: 'pl-6da54004', private_dns_enabled: false, requester_managed: false, resource_configuration_arn: null, route_table_ids: [`rtb-${rng.hex(17)}`], security_group_ids: [], service_name: `com.amazonaws.${region}.s3`, service_network_arn: null, service_region: region, state: 'available', subnet_configuration: [], subnet_ids: [], tags, tags_all: tags, timeouts: null, vpc_endpoint_type: 'Gateway', vpc_id: vpc }, sensitive: { cidr_blocks: [false], dns_entry: [], dns_options: [], network_interface_ids: [], route_table_ids: [false], security_group_ids: [], subnet_configuration: [], subnet_ids: [], tags: {}, tags_all: {} } }), isNew ? 'create' : 'no-op', ['arn', 'cidr_blocks', 'dns_entry', 'id', 'owner_id', 'prefix_list_id', 'requester_managed', 'state', 'tags_all', 'vpc_id', 'policy']));
  if (rng.chance(0.5)) {
    out.push(settle(resource(m, 'aws_vpc_endpoint_policy.s3', { after: { id: gateway, policy: policyText({ Version: '2012-10-17', Statement: [{ Sid: 'OrgBucketsOnly', Effect: 'Allow', Principal: '*', Action: ['s3:GetObject', 's3:PutObject', 's3:ListBucket'], Resource: '*', Condition: { StringEquals: { 'aws:ResourceOrgID': estate.organizationId } } }] }, 'jsonencode'), timeouts: null, vpc_endpoint_id: gateway } }), isNew ? 'create' : 'no-op', ['id', 'vpc_endpoint_id']));
  }
  out.push(settle(resource(m, 'aws_flow_log.this', { after: { arn: `arn:aws:ec2:${region}:${account}:vpc-flow-log/fl-${rng.hex(17)}`, deliver_cross_account_role: '', destination_options: [], eni_id: null, iam_role_arn: `arn:aws:iam::${account}:role/flow-logs`, id: `fl-${rng.hex(17)}`, log_destination: `arn:aws:logs:${region}:${account}:log-group:/vpc/flow`, log_destination_type: 'cloud-watch-logs', log_format: '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr}', log_group_name: '', max_aggregation_interval: 600, subnet_id: null, tags, tags_all: tags, traffic_type: 'ALL', transit_gateway_attachment_id: null, transit_gateway_id: null, vpc_id: vpc }, sensitive: { destination_options: [], tags: {}, tags_all: {} } }), isNew ? 'create' : 'no-op', ['arn', 'id', 'log_format', 'log_group_name', 'tags_all', 'vpc_id']));
  return out;
}

function platformUnit(estate, u, isNew) {
  const rng = new Rng(estate.seed, u, 0x9a7);
  const { address: m } = unitModule(estate, u);
  const block = Math.floor(u / BLOCK);
  const region = regionOf(u);
  const account = estate.managementAccount;
  const out = [];
  const ous = [0, 1].map((i) => ({ id: `ou-${estate.rootId.slice(2)}-${rng.hex(8)}`, name: `${['workloads', 'sandbox'][i]}-${block}` }));
  ous.forEach(({ id, name }, i) => {
    out.push(settle(resource(m, `aws_organizations_organizational_unit.ou[${i}]`, { after: { accounts: [{ arn: `arn:aws:organizations::${account}:account/${estate.organizationId}/${estate.accounts[1 + i]}`, email: `aws+${estate.accounts[1 + i]}@example.com`, id: estate.accounts[1 + i], name: `account-${i}` }], arn: `arn:aws:organizations::${account}:ou/${estate.organizationId}/${id}`, id, name, parent_id: estate.rootId, tags: null, tags_all: {} }, sensitive: { accounts: [{}], tags_all: {} } }), isNew ? 'create' : 'no-op', ['accounts', 'arn', 'id', 'tags_all']));
  });
  // The organisation-wide SCPs live in the first platform block; every other business unit adds one of its own.
  const scps = block === 0 ? scpDocuments(estate) : [scpDocuments(estate)[block % 3]];
  for (const { name, description, document } of scps) {
    const policyId = `p-${rng.hex(8)}`;
    const scp = settle(
      resource(m, `aws_organizations_policy.${name}`, { after: { arn: `arn:aws:organizations::${account}:policy/${estate.organizationId}/service_control_policy/${policyId}`, content: policyText(document, 'jsonencode'), description, id: policyId, name: `${name.replace(/_/g, '-')}-${block}`, skip_destroy: null, tags: null, tags_all: {}, type: 'SERVICE_CONTROL_POLICY' }, sensitive: { tags_all: {} } }),
      isNew ? 'create' : rng.chance(0.1) ? 'update' : 'no-op',
      ['arn', 'id', 'tags_all'],
    );
    if (scp.action === 'update') scp.before = { ...scp.before, content: policyText({ ...document, Statement: [{ ...document.Statement[0], Sid: 'Old' }] }, 'jsonencode') };
    out.push(scp);
    ous.forEach(({ id }, i) => {
      out.push(settle(resource(m, `aws_organizations_policy_attachment.${name}[${i}]`, { after: { id: `${id}:${policyId}`, policy_id: policyId, skip_destroy: null, target_id: id } }), isNew ? 'create' : 'no-op', ['id', 'policy_id', 'target_id']));
    });
  }
  const trail = `org-trail-${block}`;
  out.push(settle(resource(m, 'aws_cloudtrail.org', { after: { advanced_event_selector: [], arn: `arn:aws:cloudtrail:${region}:${account}:trail/${trail}`, cloud_watch_logs_group_arn: `arn:aws:logs:${region}:${account}:log-group:/cloudtrail/${trail}:*`, cloud_watch_logs_role_arn: `arn:aws:iam::${account}:role/cloudtrail-logs`, enable_log_file_validation: true, enable_logging: true, event_selector: [], home_region: region, id: trail, include_global_service_events: true, insight_selector: [], is_multi_region_trail: true, is_organization_trail: true, kms_key_id: `arn:aws:kms:${region}:${account}:key/${rng.uuid()}`, name: trail, s3_bucket_name: `org-trail-${account}`, s3_key_prefix: '', sns_topic_name: '', tags: null, tags_all: {} }, sensitive: { advanced_event_selector: [], event_selector: [], insight_selector: [], tags_all: {} } }), isNew ? 'create' : 'no-op', ['arn', 'home_region', 'id', 'tags_all']));
  out.push(settle(resource(m, 'aws_cloudwatch_event_rule.kms_deletion', { after: { arn: `arn:aws:events:${region}:${account}:rule/kms-deletion-${block}`, description: 'KMS key deletion or disabling', event_bus_name: 'default', event_pattern: JSON.stringify({ source: ['aws.kms'], 'detail-type': ['AWS API Call via CloudTrail'], detail: { eventSource: ['kms.amazonaws.com'], eventName: ['ScheduleKeyDeletion', 'DisableKey'] } }), force_destroy: false, id: `kms-deletion-${block}`, is_enabled: null, name: `kms-deletion-${block}`, name_prefix: '', role_arn: '', schedule_expression: '', state: 'ENABLED', tags: null, tags_all: {} }, sensitive: { tags_all: {} } }), isNew ? 'create' : 'no-op', ['arn', 'id', 'tags_all']));
  out.push(settle(resource(m, 'aws_cloudwatch_event_target.kms_deletion', { after: { appsync_target: [], arn: `arn:aws:sns:${region}:${account}:security-alerts`, batch_target: [], dead_letter_config: [], ecs_target: [], event_bus_name: 'default', force_destroy: false, http_target: [], id: `kms-deletion-${block}-sns`, input: '', input_path: '', input_transformer: [], kinesis_target: [], redshift_target: [], retry_policy: [], role_arn: '', rule: `kms-deletion-${block}`, run_command_targets: [], sagemaker_pipeline_target: [], sqs_target: [], target_id: 'sns' }, sensitive: {} }), isNew ? 'create' : 'no-op', ['id']));
  for (const name of ['security_auditors', 'break_glass']) {
    out.push(settle(resource(m, `aws_iam_group_policy.${name}`, { after: { group: `${name}-${block}`, id: `${name}-${block}:${name}`, name, name_prefix: '', policy: policyText({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: name === 'break_glass' ? ['kms:*'] : ['kms:Describe*', 'kms:List*', 'kms:Get*'], Resource: '*' }] }, 'jsonencode') } }), isNew ? 'create' : 'no-op', ['id', 'name_prefix']));
  }
  return out;
}

/** Every resource instance of unit `u` (its module instance and the modules nested in it). */
export function unitResources(estate, u) {
  const isNew = new Rng(estate.seed, u, 0x11fe).chance(0.07);
  const kind = unitKind(u);
  if (kind === 'network') return networkUnit(estate, u, isNew);
  if (kind === 'platform') return platformUnit(estate, u, isNew);
  return serviceUnit(estate, u, isNew);
}

/** Resources of the root module: the state bucket's key and the identity data sources. */
export function rootResources(estate) {
  const account = estate.managementAccount;
  const keyId = new Rng(estate.seed, 0x2007).uuid();
  const tags = { ManagedBy: 'terraform', Service: 'terraform-state' };
  const document = { Version: '2012-10-17', Statement: [{ Sid: 'EnableIAMUserPermissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }, { Sid: 'Deployer', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:role/terraform-deployer` }, Action: USER_ACTIONS, Resource: '*' }] };
  const after = { arn: `arn:aws:kms:eu-west-1:${account}:key/${keyId}`, bypass_policy_lockout_safety_check: false, custom_key_store_id: '', customer_master_key_spec: 'SYMMETRIC_DEFAULT', deletion_window_in_days: 30, description: 'Terraform state', enable_key_rotation: true, id: keyId, is_enabled: true, key_id: keyId, key_usage: 'ENCRYPT_DECRYPT', multi_region: false, policy: policyText(document, 'aws'), rotation_period_in_days: 365, tags, tags_all: tags, timeouts: null, xks_key_id: '' };
  return [
    resource('', 'aws_kms_key.terraform_state', { after, before: after, action: 'no-op', sensitive: { tags: {}, tags_all: {} } }),
    resource('', 'data.aws_caller_identity.current', { after: { account_id: account, arn: `arn:aws:iam::${account}:role/terraform-deployer`, id: account, user_id: 'AROAEXAMPLE:terraform' }, action: 'refresh' }),
    resource('', 'data.aws_region.current', { after: { description: 'Europe (Ireland)', endpoint: 'ec2.eu-west-1.amazonaws.com', id: 'eu-west-1', name: 'eu-west-1' }, action: 'refresh' }),
    resource('', 'data.aws_partition.current', { after: { dns_suffix: 'amazonaws.com', id: 'aws', partition: 'aws', reverse_dns_prefix: 'com.amazonaws' }, action: 'refresh' }),
  ];
}

export const UNIT_BLOCK = BLOCK;
