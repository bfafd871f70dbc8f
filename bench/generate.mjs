// Writes a synthetic `terraform show -json` plan of about a given size, deterministically from a
// seed, as one minified line (as Terraform prints it), section by section in Terraform's order. No
// section is held in memory: each unit of the estate (estate.mjs) is regenerated for each section,
// so plans larger than V8's string limit can be written. Returns a manifest of what was written,
// which the bench holds the checker's model against.
//
//   node bench/generate.mjs --mb 100 [--seed 1] --out plan.json

import { closeSync, fstatSync, openSync, writeSync } from 'node:fs';
import { Buffer } from 'node:buffer';
import { GENERATOR_VERSION, PROVIDER, Rng, estateOf, kmsVariant, rootResources, unitKind, unitModule, unitResources, UNIT_BLOCK } from './estate.mjs';

export { GENERATOR_VERSION };

const TERRAFORM_VERSION = '1.9.8';
const FLUSH_BYTES = 1 << 20;

class Out {
  constructor(fd) {
    this.fd = fd;
    this.parts = [];
    this.pending = 0;
    this.bytes = 0;
  }
  write(text) {
    this.parts.push(text);
    this.pending += text.length;
    if (this.pending >= FLUSH_BYTES) this.flush();
  }
  flush() {
    const buffer = Buffer.from(this.parts.join(''), 'utf8');
    this.bytes += buffer.length;
    if (this.fd !== undefined) writeSync(this.fd, buffer);
    this.parts = [];
    this.pending = 0;
  }
}

const json = JSON.stringify;

/** `after` without its unknown attributes, the `after_unknown` mask, for a create or a deferred read. */
function unknownMask(spec) {
  const mask = {};
  for (const attribute of spec.unknown) mask[attribute] = true;
  return mask;
}

function valuesResource(spec, values) {
  let text = `{"address":${json(spec.address)},"mode":"${spec.mode}","type":"${spec.type}","name":"${spec.name}"`;
  if (spec.index !== undefined) text += `,"index":${json(spec.index)}`;
  return `${text},"provider_name":"${PROVIDER}","schema_version":0,"values":${json(values)},"sensitive_values":${json(spec.sensitive)}}`;
}

const ACTIONS = { 'no-op': ['no-op'], update: ['update'], create: ['create'], delete: ['delete'], replace: ['delete', 'create'], read: ['read'] };

function resourceChange(spec, drift) {
  let text = `{"address":${json(spec.address)}`;
  if (spec.moduleAddress !== '') text += `,"module_address":${json(spec.moduleAddress)}`;
  text += `,"mode":"${spec.mode}","type":"${spec.type}","name":"${spec.name}"`;
  if (spec.index !== undefined) text += `,"index":${json(spec.index)}`;
  text += `,"provider_name":"${PROVIDER}","change":`;
  if (drift) {
    const before = { ...spec.after, tags: { ...spec.after.tags, LastModifiedBy: 'console' } };
    return `${text}{"actions":["update"],"before":${json(before)},"after":${json(spec.after)},"after_unknown":{},"before_sensitive":${json(spec.sensitive)},"after_sensitive":${json(spec.sensitive)}}}`;
  }
  const before = spec.before ?? null;
  const gone = spec.action === 'delete';
  text += `{"actions":${json(ACTIONS[spec.action])},"before":${json(before)},"after":${gone ? 'null' : json(spec.after)}`;
  text += `,"after_unknown":${gone ? '{}' : json(unknownMask(spec))},"before_sensitive":${before === null ? 'false' : json(spec.sensitive)},"after_sensitive":${gone ? 'false' : json(spec.sensitive)}`;
  if (spec.action === 'replace') text += `,"replace_paths":[["customer_master_key_spec"]]`;
  text += '}';
  if (spec.action === 'replace') text += `,"action_reason":"replace_because_cannot_update"`;
  if (spec.action === 'read') text += `,"action_reason":"read_because_config_unknown"`;
  return `${text}}`;
}

/** Resources of one unit grouped by module instance, parents first (the unit's module, then `module.kms`). */
function byModule(specs) {
  const modules = new Map();
  for (const spec of specs) {
    const list = modules.get(spec.moduleAddress);
    if (list) list.push(spec);
    else modules.set(spec.moduleAddress, [spec]);
  }
  return [...modules].sort(([a], [b]) => a.length - b.length);
}

/** A unit as `child_modules` entries of the values representation; `pick` gives each resource's values or undefined to leave it out. */
function writeModuleTree(out, specs, pick) {
  const modules = byModule(specs);
  const write = (index) => {
    const [address, list] = modules[index];
    const resources = list.map((spec) => [spec, pick(spec)]).filter(([, values]) => values !== undefined);
    out.write('{');
    if (resources.length > 0) out.write(`"resources":[${resources.map(([spec, values]) => valuesResource(spec, values)).join(',')}],`);
    out.write(`"address":${json(address)}`);
    if (index + 1 < modules.length) {
      out.write(',"child_modules":[');
      write(index + 1);
      out.write(']');
    }
    out.write('}');
  };
  write(0);
}

function writeValues(out, estate, units, pick) {
  const root = rootResources(estate).map((spec) => [spec, pick(spec)]).filter(([, values]) => values !== undefined);
  out.write(`{"resources":[${root.map(([spec, values]) => valuesResource(spec, values)).join(',')}],"child_modules":[`);
  for (let u = 0; u < units; u++) {
    if (u > 0) out.write(',');
    writeModuleTree(out, unitResources(estate, u), pick);
  }
  out.write(']}');
}

const planned = (spec) => (spec.action === 'delete' || spec.action === 'refresh' ? undefined : spec.after);
const prior = (spec) => (spec.action === 'refresh' ? spec.after : spec.action === 'create' || spec.action === 'read' ? undefined : spec.before);

/** About 1 in 97 existing tagged resources changed outside Terraform. */
function drifted(estate, u, i, spec) {
  return spec.mode === 'managed' && spec.action === 'no-op' && spec.after.tags !== undefined && spec.after.tags !== null && new Rng(estate.seed, u, i, 0xd71).int(97) === 0;
}

// Configuration ---------------------------------------------------------------------------------------

const ref = (...references) => ({ references });
const constant = (value) => ({ constant_value: value });
const refs = (address, attribute) => ref(`${address}.${attribute}`, address);

const KMS_EXPRESSIONS = {
  'aws_kms_key.this': (variant) => ({
    customer_master_key_spec: ref('var.key_spec'),
    deletion_window_in_days: ref('var.deletion_window_in_days'),
    description: ref('var.description'),
    enable_key_rotation: ref('var.enable_key_rotation'),
    tags: ref('var.tags'),
    ...(variant === 'document' ? { policy: refs('data.aws_iam_policy_document.key', 'json') } : variant === 'jsonencode' ? { policy: ref('var.admin_role_arn', 'var.user_role_arns', 'data.aws_caller_identity.current.account_id', 'data.aws_caller_identity.current') } : {}),
  }),
  'data.aws_iam_policy_document.key': () => ({
    statement: [
      { actions: constant(['kms:*']), effect: constant('Allow'), principals: [{ identifiers: ref('data.aws_caller_identity.current.account_id', 'data.aws_caller_identity.current'), type: constant('AWS') }], resources: constant(['*']), sid: constant('EnableIAMUserPermissions') },
      { actions: ref('local.admin_actions'), effect: constant('Allow'), principals: [{ identifiers: ref('var.admin_role_arn'), type: constant('AWS') }], resources: constant(['*']), sid: constant('AllowKeyAdministration') },
      { actions: constant(['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey']), effect: constant('Allow'), principals: [{ identifiers: ref('var.user_role_arns'), type: constant('AWS') }], resources: constant(['*']), sid: constant('AllowUseOfTheKey') },
    ],
  }),
  'aws_kms_key_policy.this': () => ({ key_id: refs('aws_kms_key.this', 'id'), policy: ref('var.admin_role_arn', 'var.user_role_arns', 'data.aws_caller_identity.current.account_id', 'data.aws_caller_identity.current') }),
  'aws_kms_alias.this': () => ({ name: ref('var.alias'), target_key_id: refs('aws_kms_key.this', 'key_id') }),
  'aws_kms_alias.legacy': () => ({ name: ref('var.alias'), target_key_id: refs('aws_kms_key.this', 'key_id') }),
  'aws_kms_grant.export': () => ({ grantee_principal: ref('var.export_role_arn'), key_id: refs('aws_kms_key.this', 'key_id'), name: ref('var.alias'), operations: constant(['Decrypt', 'DescribeKey']) }),
};

const OTHER_EXPRESSIONS = {
  'aws_kms_key.logs': { enable_key_rotation: ref('var.rotate_log_key'), policy: ref('var.name', 'data.aws_caller_identity.current.account_id') },
  'aws_vpc_endpoint.kms': { policy: ref('var.organization_id'), private_dns_enabled: ref('var.private_dns'), security_group_ids: ref('aws_security_group.kms_endpoint.id', 'aws_security_group.kms_endpoint'), service_name: ref('var.region'), subnet_ids: ref('aws_subnet.private'), vpc_endpoint_type: constant('Interface'), vpc_id: refs('aws_vpc.this', 'id') },
  'aws_vpc_endpoint.kms_fips': { policy: ref('var.organization_id'), private_dns_enabled: constant(true), security_group_ids: ref('aws_security_group.kms_endpoint.id', 'aws_security_group.kms_endpoint'), service_name: ref('var.region'), subnet_ids: ref('aws_subnet.private'), vpc_endpoint_type: constant('Interface'), vpc_id: refs('aws_vpc.this', 'id') },
  'aws_vpc_endpoint.s3': { route_table_ids: ref('aws_route_table.private'), service_name: ref('var.region'), vpc_endpoint_type: constant('Gateway'), vpc_id: refs('aws_vpc.this', 'id') },
  'aws_vpc_endpoint_policy.s3': { policy: ref('var.organization_id'), vpc_endpoint_id: refs('aws_vpc_endpoint.s3', 'id') },
  'aws_vpc_security_group_ingress_rule.kms_https': { cidr_ipv4: refs('aws_vpc.this', 'cidr_block'), from_port: constant(443), ip_protocol: constant('tcp'), security_group_id: refs('aws_security_group.kms_endpoint', 'id'), to_port: constant(443) },
  'aws_security_group.kms_endpoint': { description: constant('HTTPS to the KMS endpoint'), vpc_id: refs('aws_vpc.this', 'id') },
  'aws_security_group.endpoints': { description: constant('Interface endpoints'), vpc_id: refs('aws_vpc.this', 'id') },
  'aws_subnet.private': { cidr_block: ref('aws_vpc.this.cidr_block', 'aws_vpc.this', 'count.index'), vpc_id: refs('aws_vpc.this', 'id') },
  'aws_organizations_organizational_unit.ou': { name: ref('local.ou_names', 'count.index'), parent_id: ref('var.root_id') },
  'aws_cloudwatch_event_target.kms_deletion': { arn: ref('var.alerts_topic_arn'), rule: refs('aws_cloudwatch_event_rule.kms_deletion', 'name'), target_id: constant('sns') },
};

for (const scp of ['deny_key_deletion', 'region_restriction', 'protect_key_policies']) {
  OTHER_EXPRESSIONS[`aws_organizations_policy.${scp}`] = { content: ref('local.guardian_arn'), name: ref('var.suffix'), type: constant('SERVICE_CONTROL_POLICY') };
  OTHER_EXPRESSIONS[`aws_organizations_policy_attachment.${scp}`] = { policy_id: refs(`aws_organizations_policy.${scp}`, 'id'), target_id: ref('aws_organizations_organizational_unit.ou', 'count.index') };
}

/** Configuration blocks for the module-relative resource addresses of a module, in sorted order. */
function blocks(relatives, expressionsOf) {
  return [...relatives.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([address, counted]) => {
      const data = address.startsWith('data.');
      const [type, name] = (data ? address.slice(5) : address).split('.');
      const block = { address, mode: data ? 'data' : 'managed', type, name, provider_config_key: 'aws', expressions: expressionsOf(address) ?? { tags: ref('local.tags') }, schema_version: 0 };
      if (counted > 0) block.count_expression = constant(counted);
      return block;
    });
}

/** The resource blocks each module source declares: the union of what its instances hold over a sample of the estate. */
function moduleSources(estate) {
  const sources = { service: new Map(), kms: new Map(), network: new Map(), platform: new Map() };
  for (let u = 0; u < 200; u++) {
    const kind = unitKind(u);
    for (const spec of unitResources(estate, u)) {
      const relative = spec.address.slice(spec.moduleAddress.length + 1).replace(/\[[^\]]*\]$/, '');
      const source = kind !== 'service' ? kind : spec.moduleAddress.endsWith('.module.kms') ? 'kms' : 'service';
      sources[source].set(relative, Math.max(sources[source].get(relative) ?? 0, spec.index === undefined ? 0 : spec.index + 1));
    }
  }
  return sources;
}

function configurationOf(estate, units) {
  const sources = moduleSources(estate);
  const kmsModule = (variant) => ({
    outputs: { key_arn: { expression: refs('aws_kms_key.this', 'arn') }, key_id: { expression: refs('aws_kms_key.this', 'key_id') } },
    resources: blocks(
      new Map([...sources.kms].filter(([address]) => (address === 'aws_kms_key_policy.this' ? variant === 'separate' : address === 'data.aws_iam_policy_document.key' ? variant === 'document' : true))),
      (address) => KMS_EXPRESSIONS[address]?.(variant) ?? {},
    ),
    variables: { admin_role_arn: {}, alias: {}, deletion_window_in_days: { default: 30 }, description: {}, enable_key_rotation: { default: true }, export_role_arn: { default: null }, key_spec: { default: 'SYMMETRIC_DEFAULT' }, tags: { default: {} }, user_role_arns: {} },
  });
  const service = (variant) => ({
    module_calls: {
      kms: {
        source: '../kms',
        expressions: { admin_role_arn: ref('var.key_admin_role_arn'), alias: ref('var.name'), description: ref('var.name'), export_role_arn: ref('var.export_role_arn'), tags: ref('local.tags'), user_role_arns: ref('aws_iam_role.app.arn', 'aws_iam_role.app', 'aws_iam_role.worker.arn', 'aws_iam_role.worker') },
        module: kmsModule(variant),
      },
    },
    outputs: { key_arn: { expression: ref('module.kms.key_arn', 'module.kms') } },
    resources: blocks(sources.service, (address) => OTHER_EXPRESSIONS[address]),
    variables: { export_role_arn: { default: null }, key_admin_role_arn: {}, name: {}, rotate_log_key: { default: true } },
  });
  const network = { resources: blocks(sources.network, (address) => OTHER_EXPRESSIONS[address]), variables: { organization_id: {}, private_dns: { default: true }, region: {} } };
  const platform = { resources: blocks(sources.platform, (address) => OTHER_EXPRESSIONS[address]), variables: { alerts_topic_arn: {}, root_id: {}, suffix: {} } };
  const moduleCalls = {};
  for (let block = 0; block * UNIT_BLOCK < units; block++) {
    moduleCalls[`svc_${block}`] = { source: './modules/service', expressions: { key_admin_role_arn: ref('local.key_admin_role_arn') }, for_each_expression: ref('local.services'), module: service(kmsVariant(estate, block)) };
    if (block * UNIT_BLOCK + UNIT_BLOCK - 2 < units) moduleCalls[`network_${block}`] = { source: './modules/network', expressions: { organization_id: ref('var.organization_id'), region: ref('each.key') }, for_each_expression: ref('local.regions'), module: network };
    if (block * UNIT_BLOCK + UNIT_BLOCK - 1 < units) moduleCalls[`platform_${block}`] = { source: './modules/platform', expressions: { root_id: ref('var.root_id'), suffix: constant(String(block)) }, count_expression: constant(1), module: platform };
  }
  return {
    provider_config: { aws: { name: 'aws', full_name: PROVIDER, version_constraint: '~> 5.0', expressions: { region: ref('var.region') } } },
    root_module: {
      outputs: { db_password: { sensitive: true, expression: ref('var.db_password') }, state_key_arn: { expression: refs('aws_kms_key.terraform_state', 'arn') } },
      resources: [
        { address: 'aws_kms_key.terraform_state', mode: 'managed', type: 'aws_kms_key', name: 'terraform_state', provider_config_key: 'aws', expressions: { description: constant('Terraform state'), enable_key_rotation: constant(true), policy: ref('data.aws_caller_identity.current.account_id', 'data.aws_caller_identity.current') }, schema_version: 0 },
        { address: 'data.aws_caller_identity.current', mode: 'data', type: 'aws_caller_identity', name: 'current', provider_config_key: 'aws', schema_version: 0 },
        { address: 'data.aws_partition.current', mode: 'data', type: 'aws_partition', name: 'current', provider_config_key: 'aws', schema_version: 0 },
        { address: 'data.aws_region.current', mode: 'data', type: 'aws_region', name: 'current', provider_config_key: 'aws', schema_version: 0 },
      ],
      module_calls: moduleCalls,
      variables: { db_password: { sensitive: true }, organization_id: {}, region: { default: 'eu-west-1' }, root_id: {} },
    },
  };
}

// The plan ------------------------------------------------------------------------------------------

const TRACKED = ['aws_kms_key', 'aws_kms_key_policy', 'aws_kms_alias', 'aws_kms_grant', 'aws_vpc_endpoint', 'aws_vpc_endpoint_policy', 'aws_security_group', 'aws_organizations_policy', 'aws_organizations_policy_attachment', 'aws_iam_policy_document', 'aws_iam_role'];

/** What the checker's model must hold, and what some built-in policies must report, for this plan. */
class Manifest {
  constructor() {
    this.resources = 0;
    this.changes = 0;
    this.types = Object.fromEntries(TRACKED.map((type) => [type, 0]));
    this.kmsEndpoints = 0;
    this.rotationOff = [];
    this.destroyedKeys = [];
  }
  add(spec) {
    if (spec.type in this.types) this.types[spec.type]++;
    if (spec.type === 'aws_vpc_endpoint' && /\.kms(-fips)?$/.test(spec.after.service_name)) this.kmsEndpoints++;
    if (spec.type === 'aws_kms_key') {
      const values = spec.action === 'delete' ? spec.before : spec.after;
      // A key being deleted needs no rotation: key-rotation-enabled does not report it.
      if (spec.action !== 'delete' && values.customer_master_key_spec === 'SYMMETRIC_DEFAULT' && values.key_usage === 'ENCRYPT_DECRYPT' && values.enable_key_rotation === false) this.rotationOff.push(spec.address);
      if (spec.action === 'delete' || spec.action === 'replace') this.destroyedKeys.push(spec.address);
    }
  }
}

function writePlan(out, estate, units) {
  const manifest = new Manifest();
  const root = rootResources(estate);
  out.write(`{"format_version":"1.2","terraform_version":"${TERRAFORM_VERSION}","variables":${json({ db_password: { value: `hunter2-${new Rng(estate.seed, 0xdb).hex(12)}` }, organization_id: { value: estate.organizationId }, region: { value: 'eu-west-1' }, root_id: { value: estate.rootId } })}`);
  const stateKeyArn = root[0].after.arn;
  out.write(`,"planned_values":{"outputs":{"db_password":{"sensitive":true,"type":"string","value":"hunter2"},"state_key_arn":{"sensitive":false,"type":"string","value":${json(stateKeyArn)}}},"root_module":`);
  writeValues(out, estate, units, planned);
  out.write('}');
  const drift = [];
  out.write(',"resource_drift":[');
  let first = true;
  for (let u = 0; u < units; u++) {
    unitResources(estate, u).forEach((spec, i) => {
      if (!drifted(estate, u, i, spec)) return;
      out.write(first ? '' : ',');
      first = false;
      out.write(resourceChange(spec, true));
      drift.push(spec.address);
    });
  }
  out.write('],"resource_changes":[');
  first = true;
  const change = (spec) => {
    manifest.resources++;
    manifest.add(spec);
    if (spec.action === 'refresh') return;
    manifest.changes++;
    out.write(first ? '' : ',');
    first = false;
    out.write(resourceChange(spec, false));
  };
  root.forEach(change);
  for (let u = 0; u < units; u++) unitResources(estate, u).forEach(change);
  out.write(`],"output_changes":{"db_password":{"actions":["no-op"],"before":"hunter2","after":"hunter2","after_unknown":false,"before_sensitive":true,"after_sensitive":true},"state_key_arn":{"actions":["no-op"],"before":${json(stateKeyArn)},"after":${json(stateKeyArn)},"after_unknown":false,"before_sensitive":false,"after_sensitive":false}}`);
  out.write(`,"prior_state":{"format_version":"1.0","terraform_version":"${TERRAFORM_VERSION}","values":{"outputs":{"state_key_arn":{"sensitive":false,"value":${json(stateKeyArn)},"type":"string"}},"root_module":`);
  writeValues(out, estate, units, prior);
  out.write('}}');
  out.write(`,"configuration":${json(configurationOf(estate, units))}`);
  out.write(`,"relevant_attributes":${json(drift.slice(0, 500).map((address) => ({ resource: address, attribute: ['tags'] })))}`);
  out.write(`,"timestamp":"2025-06-02T09:30:00Z","applyable":true,"complete":true,"errored":false}`);
  out.flush();
  return manifest;
}

/** Units needed for about `targetBytes`, from the size of a sample written to nowhere. */
export function unitsFor(targetBytes, seed) {
  const sample = 300;
  const estate = { ...estateOf(seed), units: sample };
  const out = new Out(undefined);
  writePlan(out, estate, sample);
  return Math.max(1, Math.round((targetBytes / out.bytes) * sample));
}

/** Writes the plan to `path`; returns the manifest. */
export function generatePlan({ path, seed, units }) {
  const estate = { ...estateOf(seed), units };
  const fd = openSync(path, 'w');
  try {
    const out = new Out(fd);
    const manifest = writePlan(out, estate, units);
    return { generator: GENERATOR_VERSION, seed, units, bytes: fstatSync(fd).size, ...manifest };
  } finally {
    closeSync(fd);
  }
}

function main(argv) {
  const option = (name, fallback) => {
    const at = argv.indexOf(`--${name}`);
    return at < 0 ? fallback : argv[at + 1];
  };
  const seed = Number(option('seed', '1'));
  const out = option('out');
  if (out === undefined) throw new Error('usage: node bench/generate.mjs --mb N [--seed S] --out FILE');
  const units = unitsFor(Number(option('mb', '10')) * 1e6, seed);
  const manifest = generatePlan({ path: out, seed, units });
  const { rotationOff, destroyedKeys, ...summary } = manifest;
  process.stdout.write(`${JSON.stringify({ ...summary, rotationOff: rotationOff.length, destroyedKeys: destroyedKeys.length })}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) main(process.argv.slice(2));
