// V8 compiles the scanner's loop with what it has seen so far; the first escape, number or non-ASCII
// character met later throws that code away and the loop runs unoptimised until it is recompiled
// (~70 ms each, several times over a 10 MB plan). Reading these small documents first, once per
// process, takes every path once, so the first optimised code is the one that lasts: containers
// entered, skipped and captured, empty ones included, at every depth the loader reads, and a module
// tree in `prior_state`. Check with `node --trace-deopt` on a large plan that `push` is not
// deoptimised after a change to the scanner or the extractor.

import { Buffer } from 'node:buffer';

const AWS = 'registry.terraform.io/hashicorp/aws';

function resource(address: string, type: string, values: object): object {
  return { address, mode: 'managed', type, name: 'a', index: 0, provider_name: AWS, schema_version: 0, values, sensitive_values: { tags: {} } };
}

function change(address: string, type: string, after: object, known = false): object {
  const afterUnknown = known ? {} : { id: true, list: [false, true] };
  return { address, module_address: 'module.m["k"]', mode: 'managed', type, name: 'a', provider_name: AWS, change: { actions: known ? ['no-op'] : ['delete', 'create'], before: known ? after : null, after, after_unknown: afterUnknown, before_sensitive: known ? {} : false, after_sensitive: {}, replace_paths: [] } };
}

const values = {
  description: 'quote " backslash \\ tab \t newline \n é ü 中文 😀 \u0001',
  policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: ['kms:*'], Resource: '*' }] }, null, 2),
  numbers: [0, -1, 12.5, -0.25e-3, 1e21, 3E+2],
  flags: [true, false, null],
  empty: [{}, []],
  tags: { Name: 'x' },
};

const document = {
  format_version: '1.2',
  terraform_version: '1.9.5',
  variables: { region: { value: 'eu-west-1' } },
  planned_values: {
    outputs: { arn: { sensitive: false, value: 'arn' } },
    root_module: { resources: [resource('aws_kms_key.a', 'aws_kms_key', values)], child_modules: [{ resources: [resource('module.m.aws_s3_bucket.a', 'aws_s3_bucket', values)], address: 'module.m' }] },
  },
  resource_drift: [change('aws_kms_key.a', 'aws_kms_key', values)],
  resource_changes: [change('aws_kms_key.a', 'aws_kms_key', values), change('aws_s3_bucket.a', 'aws_s3_bucket', values, true), change('aws_iam_role.a', 'aws_iam_role', values, true)],
  output_changes: {},
  deferred_changes: [{ reason: 'deferred_prereq', resource_change: change('aws_kms_alias.a', 'aws_kms_alias', values) }],
  prior_state: {
    format_version: '1.0',
    values: {
      root_module: {
        resources: [resource('data.aws_iam_policy_document.a', 'aws_iam_policy_document', values), resource('aws_kms_key.a', 'aws_kms_key', values)],
        child_modules: [{ resources: [resource('module.m.aws_iam_role.a', 'aws_iam_role', values), resource('module.m.aws_s3_bucket.a', 'aws_s3_bucket', values)], address: 'module.m', child_modules: [{ address: 'module.m.module.n' }] }],
      },
    },
  },
  configuration: { root_module: { resources: [{ address: 'aws_kms_key.a', expressions: { policy: { references: ['data.x.json'] } } }] } },
  checks: [values],
  applyable: true,
  complete: true,
  errored: false,
};

const minified = JSON.stringify(document);
/** The same with empty sections where the first has content (captured and entered containers that close at once). */
const empty = { ...document, variables: {}, planned_values: { outputs: {}, root_module: {} }, resource_drift: [], deferred_changes: [], configuration: {} };
/** Minified and pretty, some keys escaped; pushed in small chunks so tokens also span chunks. */
export const WARM_UP_DOCUMENTS: readonly Buffer[] = [
  Buffer.from(minified.replace('"format_version"', '"\\u0066ormat_version"'), 'utf8'),
  Buffer.from(JSON.stringify(document, null, 2).replace(/\n/g, '\r\n'), 'utf8'),
  Buffer.from(JSON.stringify(empty), 'utf8'),
];
